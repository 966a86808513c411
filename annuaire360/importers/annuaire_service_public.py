"""DILA's « Annuaire de l'administration » (service-public.gouv.fr): the local offices families are sent to.

Two shapes, one reader (``embedded`` decodes both): the API export (``/exports/json``, a bare array, or the
``/records`` answer ``{"results": […]}``), whose structured fields are JSON **inside strings**; and the bulk
``…data.gouv_local.json`` (``{"service": […]}``, also read inside the published ``.tar.bz2``), with real
arrays, where ``pivot[].code_insee_commune`` is a string in 2022 files and an array since 2023.

Kept: ``maison_handicapees`` (the MDPH; a maison départementale de l'autonomie when its name says so: DILA
has no code of its own for them), ``accompagnement_personnes_agees`` (plateformes d'accompagnement et de répit,
open to carers of disabled people since 2021) and ``clic`` (local information points for older people, which
maisons de l'autonomie often run). France services, MDS and CCAS are general-purpose offices counted in
thousands: they would drown the disability services of a département page, and the communauté 360 directs
families to them. Never read: ``affectation_personne`` (names of staff).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import urllib.parse
from collections.abc import Iterator
from typing import IO, Any

from .common import (
    ImporterError,
    Summary,
    clean_email,
    clean_hours,
    clean_insee,
    clean_phone,
    clean_postcode,
    clean_text,
    clean_url,
    coordinates,
    departement_of,
)
from .jsonstream import container, head_text, items
from .records import Dataset, Record

SOURCE = "annuaire-service-public"

TYPES = {"maison_handicapees": "mdph", "accompagnement_personnes_agees": "plateforme-repit", "clic": "clic"}
"""DILA's type_service_local → a type of data/types.yaml, in order of preference when a record has several."""

EXPORT_URL = (
    "https://api-lannuaire.service-public.gouv.fr/api/explore/v2.1/catalog/datasets/api-lannuaire-administration/"
    "exports/json?" + urllib.parse.urlencode({
        "select": ",".join((
            "id", "nom", "pivot", "code_insee_commune", "adresse", "telephone", "adresse_courriel", "site_internet",
            "plage_ouverture", "commentaire_plage_ouverture", "date_modification", "url_service_public",
        )),
        "where": " or ".join(f'pivot like "{code}"' for code in TYPES),
    }, quote_via=urllib.parse.quote)
)
"""The official export of the records kept (a few thousand), fields chosen with ``select`` (never the staff)."""

BULK_URL = "https://www.data.gouv.fr/fr/datasets/r/73302880-e4df-4d4c-8676-1a61bb997f3d"
PAGE = "https://www.data.gouv.fr/fr/datasets/service-public-fr-annuaire-de-l-administration-base-de-donnees-locales/"
EXPECTED_BYTES = 30_000_000
"""The API export of the kept records is a few MB; the bulk file, decompressed, a few hundred (a cap of ten times
what is expected, for each)."""
BULK_EXPECTED_BYTES = 400_000_000


def dataset(url: str, name: str, date: dt.date) -> Dataset:
    return Dataset(
        nom="Annuaire de l'administration : base de données locales",
        producteur="Service-Public.gouv.fr / DILA (Direction de l'information légale et administrative)",
        page=PAGE, telechargement=url, fichier=name, date=date,
        licence="Licence Ouverte 2.0 (Etalab)", licence_url="https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    )


def embedded(value: Any) -> list[Any]:
    """A structured field as a list, whether it arrives as JSON inside a string (API), a real array (bulk file),
    a single object or scalar, or null."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        text = value.strip()
        if text[:1] in "[{":
            try:
                value = json.loads(text)
            except ValueError:
                return [value]
        else:
            return [value]
    return value if isinstance(value, list) else [value]


def records(stream: IO[bytes], name: str) -> Iterator[Any]:
    """Every record of either shape; ImporterError when the file is neither."""
    prefix = container(head_text(stream), ("results", "service"))
    if prefix is None:
        raise ImporterError(
            f"« {name} » n'est pas un export de l'Annuaire de l'administration : on attend une liste JSON (export "
            "de l'API) ou un objet {\"service\": […]} (fichier data.gouv_local.json) ; vérifiez le fichier"
        )
    yield from items(stream, prefix, name)


_DAYS = {"lundi": "Mo", "mardi": "Tu", "mercredi": "We", "jeudi": "Th", "vendredi": "Fr", "samedi": "Sa", "dimanche": "Su"}
_ORDER = list(_DAYS.values())


def _time(value: Any) -> str | None:
    match = re.fullmatch(r"(\d{1,2}):(\d{2})(?::\d{2})?", str(value or "").strip())
    return f"{int(match.group(1)):02d}:{match.group(2)}" if match else None


def _day(value: Any) -> str | None:
    return _DAYS.get(str(value or "").strip().lower())


def _slots(entry: dict[str, Any]) -> list[str] | None:
    """The time ranges of one entry (« 09:00-12:30 »); None when one is unreadable."""
    slots = []
    for i in range(1, 4):
        start_raw, end_raw = entry.get(f"valeur_heure_debut_{i}"), entry.get(f"valeur_heure_fin_{i}")
        if not start_raw and not end_raw:
            continue
        start, end = _time(start_raw), _time(end_raw)
        if start is None or end is None:
            return None
        slots.append(f"{start}-{end}")
    return slots


def opening_hours(entries: list[Any]) -> tuple[str | None, list[str], bool]:
    """``plage_ouverture`` → OSM ``opening_hours`` (rules of disjoint days joined by « ; », else « , » so that no rule
    overrides another), the entries' comments, and whether something could not be read."""
    rules: list[str] = []
    comments: list[str] = []
    used: set[int] = set()
    overlapping, unreadable = False, False
    for entry in entries:
        if not isinstance(entry, dict):
            unreadable = True
            continue
        comment = clean_text(entry.get("commentaire"))
        if comment:
            comments.append(comment)
        first, last = _day(entry.get("nom_jour_debut")), _day(entry.get("nom_jour_fin"))
        last = last or first
        slots = _slots(entry)
        if first is None or last is None or slots is None:
            unreadable = unreadable or bool(entry.get("nom_jour_debut") or slots)
            continue
        if not slots:
            continue
        span = set(range(_ORDER.index(first), _ORDER.index(last) + 1))
        overlapping = overlapping or bool(span & used)
        used |= span
        days = first if first == last else f"{first}-{last}"
        rules.append(f"{days} {','.join(slots)}")
    return ("; " if not overlapping else ", ").join(rules) or None, comments, unreadable


def _date(record: dict[str, Any]) -> dt.date | None:
    raw = str(record.get("date_modification") or "")
    match = re.match(r"(\d{2})/(\d{2})/(\d{4})", raw)
    try:
        if match:
            return dt.date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        iso = str(record.get("date_modification_datetime") or "")[:10]
        return dt.date.fromisoformat(iso) if iso else None
    except ValueError:
        return None


def _type(pivots: list[Any], name: str) -> str | None:
    codes = {str(p.get("type_service_local") or "").strip() for p in pivots if isinstance(p, dict)}
    for code, type_ in TYPES.items():
        if code in codes:
            return "mda" if type_ == "mdph" and "autonomie" in name.lower() else type_
    return None


def _commune(record: dict[str, Any], pivots: list[Any]) -> str | None:
    """The seat commune: the record's own code, else the first commune of its pivot (a string in 2022 files, an
    array since 2023)."""
    own = clean_insee(record.get("code_insee_commune"))
    if own:
        return own
    for pivot in pivots:
        communes = pivot.get("code_insee_commune") if isinstance(pivot, dict) else None
        for code in communes if isinstance(communes, list) else [communes]:
            if clean_insee(code):
                return clean_insee(code)
    return None


def _address(record: dict[str, Any], summary: Summary) -> dict[str, Any]:
    """The physical address (« Adresse »), else the first one, as the format's fields."""
    addresses = [a for a in embedded(record.get("adresse")) if isinstance(a, dict)]
    if not addresses:
        return {}
    chosen = next((a for a in addresses if str(a.get("type_adresse", "")).strip() == "Adresse"), addresses[0])
    found: dict[str, Any] = {
        "adresse": clean_text(chosen.get("numero_voie")),
        "complement_adresse": clean_text(" — ".join(filter(None, (clean_text(chosen.get("complement1")),
                                                                   clean_text(chosen.get("complement2")))))),
        "code_postal": clean_postcode(chosen.get("code_postal")),
        "commune": clean_text(chosen.get("nom_commune")),
        "coordonnees": coordinates(chosen.get("latitude"), chosen.get("longitude"), summary)
        if chosen.get("latitude") or chosen.get("longitude") else None,
    }
    if found["adresse"] and not (found["code_postal"] and found["commune"]):
        summary.drop("adresse sans code postal ou sans commune", found["adresse"])
        return {}
    return {k: v for k, v in found.items() if v}


def _contacts(record: dict[str, Any], summary: Summary) -> list[dict[str, str]]:
    """One point of contact per phone number (labelled by its description), the e-mails on the first one or on
    points of their own."""
    points: list[dict[str, str]] = []
    for phone in embedded(record.get("telephone")):
        raw = phone.get("valeur") if isinstance(phone, dict) else phone
        number = clean_phone(raw, summary)
        if number and number not in {p.get("telephone") for p in points}:
            label = clean_text(phone.get("description")) if isinstance(phone, dict) else None
            points.append({"libelle": (label or "Accueil")[:120], "telephone": number})
    emails: list[str] = []
    for raw in embedded(record.get("adresse_courriel")):
        for part in re.split(r"[;,\s]+", str(raw)) if isinstance(raw, str) else [raw]:
            email = clean_email(part, summary) if part else None
            if email and email not in emails:
                emails.append(email)
    for email in emails:
        if points and "courriel" not in points[0]:
            points[0]["courriel"] = email
        else:
            points.append({"libelle": "Courriel", "courriel": email})
    return points


def _hours(record: dict[str, Any], summary: Summary) -> dict[str, Any]:
    entries = embedded(record.get("plage_ouverture"))
    osm, comments, unreadable = opening_hours(entries)
    if unreadable:
        summary.drop("horaires illisibles", json.dumps(entries, ensure_ascii=False)[:80])
    found: dict[str, Any] = {"horaires_accueil": clean_hours(osm, summary, osm)}
    general = clean_text(record.get("commentaire_plage_ouverture"))
    notes = "; ".join(dict.fromkeys([*([general] if general else []), *comments]))
    if notes:
        found["horaires_precisions"] = notes if len(notes) <= 500 else notes[:499] + "…"
    return {k: v for k, v in found.items() if v}


def convert(record: Any, summary: Summary) -> Record | None:
    """One DILA record → the fields of an imported structure (None: left out, with the reason in the summary)."""
    if not isinstance(record, dict):
        summary.skip("fiche qui n'est pas un objet JSON (format inattendu)")
        return None
    pivots = embedded(record.get("pivot"))
    name = clean_text(record.get("nom"))
    type_ = _type(pivots, name or "")
    if type_ is None:
        summary.skip("type de service non importé (ni MDPH, ni plateforme de répit, ni CLIC)")
        return None
    identifier = clean_text(record.get("id"))
    if not name or not identifier or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]{0,79}", identifier):
        summary.skip("fiche sans nom ou sans identifiant")
        return None
    commune = _commune(record, pivots)
    departement = departement_of(commune)
    if departement is None:
        summary.skip("commune absente ou hors des 101 départements")
        return None
    fields: dict[str, Any] = {"nom": name[:200], "type": type_, "annuaire_service_public": identifier}
    fields.update(_address(record, summary))
    if "adresse" in fields or "commune" in fields:
        fields["code_insee"] = commune
    fields["contacts"] = _contacts(record, summary)
    fields.update(_hours(record, summary))
    sites = [s.get("valeur") if isinstance(s, dict) else s for s in embedded(record.get("site_internet"))]
    fields["site_web"] = next((url for url in (clean_url(s, summary) for s in sites if s) if url), None)
    page = clean_text(record.get("url_service_public"))
    return Record(departement=departement, key=identifier, fields={k: v for k, v in fields.items() if v},
                  updated=_date(record), page=page if page and page.startswith("https://") else None)
