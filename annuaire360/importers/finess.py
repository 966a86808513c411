"""FINESS, the national file of health, social and medico-social establishments: the disability services.

Two shapes:

- the historical extract (``etalab-cs1100507-stock-….csv``, frozen since May 2026): no header, ``;`` separated,
  a first line ``finess;etalab;<n>;<AAAA-MM-JJ>``, ``structureet`` lines (32 cells) and ``geolocalisation``
  lines (6 cells, Lambert 93 or an overseas projection, not always beside their site: joined by number);
  Latin-1 or UTF-8 (with mojibake) depending on the year, detected per file; overseas départements coded
  ``9A``…``9F``;
- the new daily JSON « FINESS Structures » (``{schemaVersion, generatedAt, pmej: [{…, ege: [sites]}]}``, WGS84
  given), and optionally « FINESS Activités » (the same ``pmej`` with ``ege[].activitesExercees``): a site whose
  engagements or activities say PCPE (``PCP``) or respite platform (``CPP``/``CPU``, social activity 963) gets a
  second record of that type (``finess-<n>-pcpe``, ``finess-<n>-repit``).

Only open sites (``etatObjet`` A) of the categories in ``CATEGORIES`` are kept.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import IO, Any

from pyproj import Transformer

from ..format.values import DEPARTEMENT_CODES
from .common import (
    ImporterError,
    Summary,
    clean_email,
    clean_insee,
    clean_phone,
    clean_postcode,
    clean_text,
    contact,
    coordinates,
    departement_of,
)
from .jsonstream import container, head_text, header_value, items
from .records import Dataset, Record

SOURCE = "finess"

CATEGORIES = {
    "190": "camsp", "189": "cmpp", "182": "sessad", "183": "ime", "186": "itep", "188": "eeap", "246": "esat",
    "255": "mas", "437": "eam", "448": "eam", "449": "eanm", "446": "savs", "445": "samsah", "606": "dac", "705": "gem",
}
"""FINESS establishment categories (TRE-R66, ``categetab`` / ``categorieentiteGeographiqueExercice``) → types of
data/types.yaml. The MDPH (609) comes from the Annuaire de l'administration, which has its hours."""

ENGAGEMENTS = {"PCP": "-pcpe", "CPP": "-repit", "CPU": "-repit"}
"""TRE-R395 engagements: PCPE, and respite platforms (financed by several funders / by the ARS only)."""
RESPITE_ACTIVITY = "963"
"""TRE-R401 social activity « Plateforme d'accompagnement et de répit des aidants »."""
DERIVED = {"-pcpe": ("pcpe", "un pôle de compétences et de prestations externalisées (PCPE)"),
           "-repit": ("plateforme-repit", "une plateforme d'accompagnement et de répit des aidants")}

DATASET_API = "https://www.data.gouv.fr/api/1/datasets/finess-structures-1/"
PAGE = "https://www.data.gouv.fr/datasets/finess-structures-1"
CSV_PAGE = "https://www.data.gouv.fr/datasets/finess-extraction-du-fichier-des-etablissements"
DAILY = re.compile(r"^finess-structures-journalier-(\d{8})\.json(?:\.gz)?$")
EXPECTED_BYTES = 1_500_000_000
"""The daily JSON is about 50 MB compressed and well over a gigabyte decompressed: a cap of ten times that would
not protect anything, so the decompressed stream stops at 1.5 GB and the download at 500 MB."""
DOWNLOAD_BYTES = 500_000_000

DROM = {"9A": "971", "9B": "972", "9C": "973", "9D": "974", "9E": "975", "9F": "976"}
STREET_TYPES = {
    "R": "rue", "AV": "avenue", "BD": "boulevard", "PL": "place", "CHE": "chemin", "RTE": "route", "ALL": "allée",
    "IMP": "impasse", "QUA": "quai", "SQ": "square", "CRS": "cours", "PROM": "promenade", "SEN": "sentier",
    "RPT": "rond-point", "LOT": "lotissement", "HAM": "hameau", "CITE": "cité", "RES": "résidence", "FG": "faubourg",
    "VOIE": "voie", "PASS": "passage", "MTE": "montée", "ESP": "esplanade", "PARV": "parvis", "ZI": "zone industrielle",
    "ZA": "zone artisanale", "ZAC": "zone d'aménagement concerté", "DOM": "domaine", "CHS": "chaussée", "QUAI": "quai",
}


def dataset(url: str, name: str, date: dt.date, *, historical: bool) -> Dataset:
    return Dataset(
        nom=("FINESS : extraction du fichier des établissements" if historical else "FINESS Structures"),
        producteur=("Ministère chargé de la santé (DREES)" if historical else "Agence du numérique en santé (ANS)"),
        page=CSV_PAGE if historical else PAGE, telechargement=url, fichier=name, date=date,
        licence="Licence Ouverte 2.0 (Etalab)", licence_url="https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    )


def street(number: str | None, kind: str | None, name: str | None) -> str | None:
    kind_text = STREET_TYPES.get((kind or "").strip().upper(), (kind or "").strip().lower() or None)
    parts = [p for p in (clean_text(number), kind_text, clean_text(name)) if p]
    return clean_text(" ".join(parts)) if clean_text(name) else None


@lru_cache(maxsize=16)
def _transformer(epsg: int) -> Transformer:
    return Transformer.from_crs(f"EPSG:{epsg}", "EPSG:4326", always_xy=True)


def to_wgs84(x: str, y: str, system: str, summary: Summary) -> dict[str, float] | None:
    """Projected coordinates (Lambert 93 in mainland France, UTM or local systems overseas, named in the
    ``sourcecoordet`` cell as « EPSG:2154 … ») → WGS84, with pyproj."""
    match = re.search(r"EPSG:(\d{4,5})", system or "")
    try:
        east, north = float(x), float(y)
    except ValueError:
        if (x or "").strip():
            summary.drop("coordonnées illisibles", f"{x};{y}")
        return None
    if match is None:
        summary.drop("coordonnées sans système de projection connu", system)
        return None
    try:
        longitude, latitude = _transformer(int(match.group(1))).transform(east, north)
    except Exception:  # pyproj raises its own errors for unknown or unusable systems
        summary.drop("système de projection inconnu", system)
        return None
    return coordinates(latitude, longitude, summary)


# ---------------------------------------------------------------------------
# The historical CSV


def decode(raw: bytes) -> str:
    """UTF-8 if the file is valid UTF-8, else Windows-1252 (Latin-1 for the bytes it leaves undefined); mojibake
    inside a UTF-8 file is repaired value by value (common.clean_text)."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return raw.decode("cp1252")
        except UnicodeDecodeError:
            return raw.decode("latin-1")


@dataclass
class CsvExtract:
    date: dt.date
    sites: list[list[str]] = field(default_factory=list)
    geo: dict[str, list[str]] = field(default_factory=dict)
    malformed: int = 0


def read_csv(text: str, name: str) -> CsvExtract:
    lines = text.splitlines()
    first = lines[0].split(";") if lines else []
    if len(first) < 4 or first[0] != "finess" or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", first[3].strip()):
        raise ImporterError(f"« {name} » ne commence pas par la ligne « finess;etalab;…;AAAA-MM-JJ » de l'extraction "
                            "FINESS : ce n'est pas le bon fichier (ou son format a changé)")
    extract = CsvExtract(date=dt.date.fromisoformat(first[3].strip()))
    last_ok = True
    for cells in csv.reader(io.StringIO("\n".join(lines[1:])), delimiter=";"):
        kind = cells[0] if cells else ""
        last_ok = (kind == "structureet" and len(cells) >= 31) or (kind == "geolocalisation" and len(cells) >= 5)
        if kind == "structureet" and last_ok:
            extract.sites.append(cells + [""] * (32 - len(cells)))
        elif kind == "geolocalisation" and last_ok:
            extract.geo[cells[1]] = cells
        elif kind in ("structureet", "geolocalisation") or (kind and kind not in ("equipementsocial",)):
            extract.malformed += 1
        else:
            last_ok = True
    total = len(extract.sites) + extract.malformed
    # A last line cut short is a truncated file; a few odd lines elsewhere are the source's own noise.
    if total == 0 or not last_ok or extract.malformed > max(10, total // 100):
        raise ImporterError(f"« {name} » : {extract.malformed} lignes sur {total} n'ont pas la forme attendue "
                            "(32 cases pour « structureet », 6 pour « geolocalisation ») : fichier coupé ou format "
                            "changé ; rien n'a été importé")
    return extract


def csv_records(extract: CsvExtract, summary: Summary) -> Iterator[Record]:
    for cells in extract.sites:
        summary.read += 1
        category = cells[18].strip()
        type_ = CATEGORIES.get(category)
        if type_ is None:
            summary.skip("catégorie d'établissement non importée")
            continue
        number = cells[1].strip().upper()
        code = DROM.get(cells[13].strip().upper(), cells[13].strip().upper())
        name = clean_text(cells[4]) or clean_text(cells[3])
        if not re.fullmatch(r"[0-9]{2}[0-9AB][0-9]{6}", number) or not name:
            summary.skip("établissement sans numéro FINESS valide ou sans nom")
            continue
        commune_code = cells[12].strip()
        insee = clean_insee(("97" + commune_code) if code.startswith("97") else (code + commune_code))
        departement = departement_of(insee) or (code if code in DEPARTEMENT_CODES else None)
        if departement is None:
            summary.skip("commune absente ou hors des 101 départements")
            continue
        postcode, _, town = (clean_text(cells[15]) or "").partition(" ")
        fields: dict[str, Any] = {"nom": name[:200], "type": type_, "finess": number,
                                  "contacts": contact("Accueil", clean_phone(cells[16], summary), None)}
        address = street(cells[7], cells[8], cells[9])
        if address and clean_postcode(postcode) and clean_text(town):
            fields.update(adresse=address[:200], code_postal=postcode, commune=clean_text(town), code_insee=insee)
            complement = clean_text(cells[10]) or clean_text(cells[11])
            if complement:
                fields["complement_adresse"] = complement[:200]
        geo = extract.geo.get(number)
        if geo is not None and "adresse" in fields:
            fields["coordonnees"] = to_wgs84(geo[2], geo[3], geo[4], summary)
        updated = _date(cells[30])
        yield Record(departement=departement, key=number, fields=fields, updated=updated)


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value or "").strip()[:10])
    except ValueError:
        return None


# ---------------------------------------------------------------------------
# The new JSON « FINESS Structures » and « FINESS Activités »


def _first(values: Any) -> dict[str, Any]:
    return next((v for v in values if isinstance(v, dict)), {}) if isinstance(values, list) else {}


def _site_address(site: dict[str, Any], summary: Summary) -> dict[str, Any]:
    addresses = [a for a in site.get("adresse") or [] if isinstance(a, dict)]
    chosen = next((a for a in addresses if str(a.get("usageAdresse", "")).strip() == "03"), _first(addresses))
    insee = clean_insee(chosen.get("cogCommune"))
    found: dict[str, Any] = {
        "adresse": street(chosen.get("numeroVoie"), chosen.get("typeVoie"), chosen.get("libelleVoie")),
        "complement_adresse": clean_text(chosen.get("complementVoie")) or clean_text(chosen.get("lieuDit")),
        "code_postal": clean_postcode(chosen.get("codePostal")),
        "commune": clean_text(chosen.get("ligneAcheminement")),
        "code_insee": insee,
    }
    geo = chosen.get("coordonneesGeographique") or {}
    if isinstance(geo, dict) and (geo.get("directionLatitude") or geo.get("directionLongitude")):
        found["coordonnees"] = coordinates(geo.get("directionLatitude"), geo.get("directionLongitude"), summary)
    if not (found["adresse"] and found["code_postal"] and found["commune"]):
        found = {"code_insee": insee} if insee else {}
    return {k: (v[:200] if isinstance(v, str) else v) for k, v in found.items() if v}


def _site_contacts(site: dict[str, Any], summary: Summary) -> list[dict[str, str]]:
    for point in site.get("contact") or []:
        telecom = point.get("telecom") if isinstance(point, dict) else None
        if isinstance(telecom, dict):
            found = contact("Accueil", clean_phone(telecom.get("telephone"), summary),
                            clean_email(telecom.get("courriel"), summary))
            if found:
                return found
    return []


def _derived(site: dict[str, Any], activities: dict[str, set[str]], number: str) -> list[str]:
    suffixes = {ENGAGEMENTS[str(e.get("sousTypeEngagement", "")).strip()] for e in site.get("engagement") or []
                if isinstance(e, dict) and str(e.get("sousTypeEngagement", "")).strip() in ENGAGEMENTS}
    if RESPITE_ACTIVITY in activities.get(number, set()):
        suffixes.add("-repit")
    return sorted(suffixes)


def _kept_site(site: Any, activities: dict[str, set[str]],
               summary: Summary) -> tuple[str, str, str | None, list[str]] | None:
    """Number, name, type and PCPE/respite suffixes of a site to keep; None (with the reason) for the others."""
    info = site.get("informationsGeneralesEGE") if isinstance(site, dict) else None
    if not isinstance(info, dict):
        summary.skip("site qui n'a pas la forme attendue (format inattendu)")
        return None
    number = str(info.get("numFinessEge") or "").strip().upper()
    derived = _derived(site, activities, number)
    type_ = CATEGORIES.get(str(site.get("categorieentiteGeographiqueExercice") or "").strip())
    if type_ is None and not derived:
        summary.skip("catégorie d'établissement non importée")
        return None
    if str(site.get("etatObjet", "A")).strip() != "A" or info.get("dateFermeture"):
        summary.skip("établissement fermé")
        return None
    name = clean_text(info.get("nomEgeLong")) or clean_text(info.get("nomEgeCourt"))
    if not re.fullmatch(r"[0-9]{2}[0-9AB][0-9]{6}", number) or not name:
        summary.skip("établissement sans numéro FINESS valide ou sans nom")
        return None
    return number, name, type_, derived


def site_records(entity: Any, activities: dict[str, set[str]], summary: Summary) -> Iterator[Record]:
    """The records of one legal entity (``pmej``): its open sites of kept categories, and their PCPE/respite."""
    if not isinstance(entity, dict) or not isinstance(entity.get("ege", []), list):
        summary.skip("entité qui n'a pas la forme attendue (format inattendu)")
        return
    manager = clean_text((entity.get("informationsGeneralesPMEJ") or {}).get("denominationLonguePmSmsse"))
    for site in entity.get("ege") or []:
        summary.read += 1
        kept = _kept_site(site, activities, summary)
        if kept is None:
            continue
        number, name, type_, derived = kept
        address = _site_address(site, summary)
        departement = departement_of(address.get("code_insee"))
        if departement is None:
            summary.skip("commune absente ou hors des 101 départements")
            continue
        fields: dict[str, Any] = {"nom": name[:200], "finess": number, **address,
                                  "contacts": _site_contacts(site, summary)}
        if manager:
            fields["gestionnaire"] = {"nom": manager[:200]}
        updated = _date(site.get("dateDerniereMaj"))
        if type_ is not None:
            yield Record(departement=departement, key=number, fields={**fields, "type": type_}, updated=updated)
        for suffix in derived:
            derived_type, words = DERIVED[suffix]
            description = f"D'après FINESS, cet établissement porte {words}."
            yield Record(departement=departement, key=number, suffix=suffix, updated=updated,
                         fields={**fields, "type": derived_type, "description": description})


def activity_sites(stream: IO[bytes], name: str) -> dict[str, set[str]]:
    """« FINESS Activités »: site number → the social activities it runs (``activiteSocialeRegulee``)."""
    found: dict[str, set[str]] = {}
    prefix = container(head_text(stream), ("pmej",))
    if prefix is None:
        raise ImporterError(f"« {name} » n'est pas un fichier « FINESS Activités » (objet avec une liste « pmej »)")
    for entity in items(stream, prefix, name):
        for site in (entity.get("ege") or []) if isinstance(entity, dict) else []:
            number = str(site.get("numFinessEge") or "").strip().upper() if isinstance(site, dict) else ""
            for activity in site.get("activitesExercees") or [] if number else []:
                specific = ((activity.get("nature") or {}).get("caracteristiquesSpecifiques") or {})
                code = (specific.get("typeActiviteASOCR") or {}).get("activiteSocialeRegulee")
                state = (activity.get("caracteristiquesGeneriques") or {}).get("etatObjet", "A")
                if code and state == "A":
                    found.setdefault(number, set()).add(str(code).strip())
    return found


def json_date(head: str) -> dt.date | None:
    generated = header_value(head, "generatedAt")
    return _date(generated) if generated else None
