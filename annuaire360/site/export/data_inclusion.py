"""data·inclusion (schema v1, PyPI ``data-inclusion-schema``): ``structures.json`` and ``services.json``.

Each structure of the directory is one data·inclusion structure and one service; each communauté 360
with published information is one more of each, and so is the national number (« france »). The tables
below say how our types and situations map to data·inclusion's closed lists; the data dictionary page
(/donnees/dictionnaire/) prints them. What data·inclusion cannot say (several phone numbers, hours per
line, accessibility of a line) stays in annuaire.json.
"""

from __future__ import annotations

from typing import Any

from ... import format as fmt
from ..model import Annuaire, DepartementView, StructureView
from .common import first_email, first_form, first_hours, first_phone, json_bytes, shorten, zone_codes
from .dates import record_date, structure_date

SOURCE = "communautes-360"
"""Our producer code in data·inclusion ids (``communautes-360--<identifiant>``)."""

NAME_MAX = 150  # data·inclusion's limit on ``nom`` (ours is 200)

SERVICE_TYPES: dict[str, str] = {
    "communaute-360": "accompagnement", "mdph": "accompagnement", "mda": "accompagnement", "dac": "accompagnement",
    "equipe-mobile": "accompagnement", "pcpe": "accompagnement", "plateforme-repit": "accompagnement",
    "emploi-accompagne": "accompagnement", "cap-emploi": "accompagnement", "erhr": "accompagnement",
    "cra": "information", "pco": "accompagnement", "pole-ressources-handicap": "accompagnement", "gem": "atelier",
    "camsp": "accompagnement", "cmpp": "accompagnement", "sessad": "accompagnement", "savs": "accompagnement",
    "samsah": "accompagnement", "esat": "accompagnement", "ccas": "accompagnement", "ligne-ecoute": "information",
    "site-information": "information",
}
"""Our type code → data·inclusion ``type`` (a type not listed here, such as « autre », has none)."""

THEMATIQUES: dict[str, tuple[str, ...]] = {
    "communaute-360": ("difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits",
                       "famille--prise-en-charge-personne-dependante"),
    "mdph": ("sante--constituer-un-dossier-mdph-invalidite",
             "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits"),
    "mda": ("sante--constituer-un-dossier-mdph-invalidite",
            "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits"),
    "dac": ("sante--acces-aux-soins", "famille--prise-en-charge-personne-dependante"),
    "equipe-mobile": ("famille--prise-en-charge-personne-dependante",),
    "pcpe": ("famille--prise-en-charge-personne-dependante",),
    "plateforme-repit": ("famille--soutien-aidants",),
    "emploi-accompagne": ("trouver-un-emploi--maintien-dans-lemploi",),
    "cap-emploi": ("trouver-un-emploi--maintien-dans-lemploi",
                   "preparer-sa-candidature--organiser-ses-demarches-de-recherche-demploi"),
    "erhr": ("famille--prise-en-charge-personne-dependante",),
    "cra": ("sante--acces-aux-soins", "famille--soutien-a-la-parentalite-et-a-leducation"),
    "pco": ("sante--acces-aux-soins",),
    "pole-ressources-handicap": ("famille--garde-denfants", "famille--soutien-a-la-parentalite-et-a-leducation"),
    "gem": ("remobilisation--lien-social",),
    "camsp": ("sante--acces-aux-soins",),
    "cmpp": ("sante--acces-aux-soins",),
    "sessad": ("famille--prise-en-charge-personne-dependante",),
    "savs": ("logement-hebergement--se-maintenir-dans-le-logement", "remobilisation--lien-social"),
    "samsah": ("sante--acces-aux-soins", "logement-hebergement--se-maintenir-dans-le-logement"),
    "esat": ("trouver-un-emploi--maintien-dans-lemploi",),
    "ccas": ("difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives",),
}
"""Our type code → data·inclusion ``thematiques``. Two more come from the public: « psychique » adds
``sante--sante-mentale``, proches aidants add ``famille--soutien-aidants``."""

RESEAUX_PORTEURS: dict[str, str] = {
    "mdph": "mdph", "mda": "maison-departementale-de-lautonomie", "cap-emploi": "cap-emploi-reseau-cheops",
    "esat": "esat", "ccas": "ccas-cias",
}
"""Our type code → data·inclusion ``reseaux_porteurs`` (it has no code for communautés 360, DAC, PCPE or
plateformes de répit)."""

MOBILISABLE_PAR: dict[str, list[str]] = {
    "direct": ["usagers"], "professionnel": ["professionnels"], "direct-ou-professionnel": ["professionnels", "usagers"],
}
"""Our ``acces`` → data·inclusion ``mobilisable_par`` (« inconnu » gives nothing)."""


def _thematiques(view: StructureView) -> list[str]:
    found = set(THEMATIQUES.get(view.type.code, ()))
    if "psychique" in view.data.public.situations:
        found.add("sante--sante-mentale")
    if view.data.public.aidants:
        found.add("famille--soutien-aidants")
    return sorted(found)


def _publics(public: fmt.Public) -> list[str]:
    found = {"personnes-en-situation-de-handicap"}
    if public.aidants:
        found.add("familles")
    if public.age_max is not None and public.age_max <= 25:
        found.add("jeunes")
    if public.age_min is not None and public.age_min >= 60:
        found.add("seniors")
    return sorted(found)


def _public_words(public: fmt.Public) -> str | None:
    """The public in words: what data·inclusion's closed list loses (ages, kinds of handicap)."""
    parts = []
    if public.age_min is not None or public.age_max is not None:
        low, high = public.age_min, public.age_max
        parts.append(f"de {low} à {high} ans" if low is not None and high is not None
                     else f"à partir de {low} ans" if low is not None else f"jusqu'à {high} ans")
    parts += [fmt.SITUATIONS[code] for code in public.situations]
    if public.aidants:
        parts.append("proches aidants")
    if public.professionnels:
        parts.append("conseil aux professionnels")
    if public.precisions:
        parts.append(public.precisions)
    return " ; ".join(parts) or None


def _address(structure: fmt.Structure) -> dict[str, Any]:
    found: dict[str, Any] = {
        "adresse": structure.adresse, "complement_adresse": structure.complement_adresse,
        "code_postal": structure.code_postal, "commune": structure.commune, "code_insee": structure.code_insee,
    }
    if structure.coordonnees is not None:
        found.update(latitude=structure.coordonnees.latitude, longitude=structure.coordonnees.longitude)
    return found


def _description(view: StructureView) -> str:
    """Our description, after the type's plain explanation (data·inclusion wants 200 characters or more)."""
    parts = [view.type.explication]
    if view.data.description:
        parts.append(view.data.description)
    parts.append(f"Territoire couvert : {view.scope_label}.")
    return "\n\n".join(parts)


def _channels(contacts: list[fmt.PointDeContact]) -> dict[str, Any]:
    phone, email, form = first_phone(contacts), first_email(contacts), first_form(contacts)
    modes = [mode for mode, present in (("envoyer-un-courriel", email), ("telephoner", phone),
                                        ("utiliser-lien-mobilisation", form)) if present]
    return {
        "telephone": phone.e164 if phone else None, "courriel": email, "lien_mobilisation": form,
        "modes_mobilisation": modes or None,
        "modes_accueil": ["a-distance"] if (phone or email or form) else None,
    }


def _structure_records(view: StructureView, base: str) -> tuple[dict[str, Any], dict[str, Any]]:
    s = view.data
    key = f"{SOURCE}--{s.id}"
    date = structure_date(view).isoformat()
    channels = _channels(s.contacts)
    gestionnaire = s.gestionnaire
    structure = {
        "source": SOURCE, "id": key, "nom": shorten(s.nom, NAME_MAX), "date_maj": date,
        "description": s.description, "lien_source": base + view.url,
        "siret": gestionnaire.siret if gestionnaire else None, **_address(s),
        "telephone": channels["telephone"], "courriel": channels["courriel"], "site_web": s.site_web,
        "horaires_accueil": s.horaires_accueil,
        "reseaux_porteurs": [RESEAUX_PORTEURS[view.type.code]] if view.type.code in RESEAUX_PORTEURS else None,
    }
    modes_accueil = sorted({*(channels["modes_accueil"] or []), *(["en-presentiel"] if s.adresse else [])})
    service = {
        "source": SOURCE, "structure_id": key, "id": key, "nom": shorten(s.nom, NAME_MAX),
        "description": _description(view), "lien_source": base + view.url, "date_maj": date,
        "type": SERVICE_TYPES.get(view.type.code), "thematiques": _thematiques(view) or None,
        "publics": _publics(s.public), "publics_precisions": _public_words(s.public),
        "conditions_acces": fmt.NOTIFICATIONS[s.notification_mdph] if s.notification_mdph in ("oui", "non") else None,
        **_address(s), **channels, "modes_accueil": modes_accueil or None,
        "zone_eligibilite": zone_codes(view),
        "mobilisable_par": MOBILISABLE_PAR.get(s.acces), "mobilisation_precisions": fmt.ACCES[s.acces],
        "horaires_accueil": s.horaires_accueil or first_hours(s.contacts),
    }
    return structure, service


def _national_records(annuaire: Annuaire, base: str,
                      departement: DepartementView | None) -> tuple[dict[str, Any], dict[str, Any]]:
    """The national number (departement None) or a département's communauté 360: both answer on the number."""
    national = annuaire.national.numero_national
    communaute = departement.communaute if departement else None
    record: fmt.Provenance = communaute if communaute is not None else national
    key = f"{SOURCE}--communaute-360-{departement.info.code.lower()}" if departement else f"{SOURCE}--numero-national"
    name = communaute.nom if communaute is not None else national.libelle
    url = base + (departement.url if departement else "/")
    local = communaute.contacts if communaute is not None else []
    email = first_email(local)
    hours = communaute.horaires if communaute is not None and communaute.horaires else national.horaires
    presentation = "\n\n".join(p for p in (national.presentation, communaute.presentation if communaute else None) if p)
    structure = {
        "source": SOURCE, "id": key, "nom": shorten(name, NAME_MAX), "date_maj": record_date(record).isoformat(),
        "description": presentation, "lien_source": url,
        "siret": communaute.porteur.siret if communaute is not None and communaute.porteur else None,
        "telephone": national.telephone.e164, "courriel": email, "horaires_accueil": hours,
        "site_web": communaute.porteur.site_web if communaute is not None and communaute.porteur else None,
    }
    service = {
        "source": SOURCE, "structure_id": key, "id": key, "nom": shorten(name, NAME_MAX),
        "description": presentation, "lien_source": url, "date_maj": structure["date_maj"],
        "type": "accompagnement", "thematiques": list(THEMATIQUES["communaute-360"]),
        "publics": ["familles", "personnes-en-situation-de-handicap"],
        "publics_precisions": "Personnes handicapées de tout âge, leurs familles, leurs proches aidants et les professionnels.",
        "frais": "gratuit", "frais_precisions": "Appel gratuit.",
        "conditions_acces": fmt.NOTIFICATIONS["non"],
        "telephone": national.telephone.e164, "courriel": email,
        "modes_accueil": ["a-distance"],
        "modes_mobilisation": ["envoyer-un-courriel", "telephoner"] if email else ["telephoner"],
        "mobilisable_par": ["professionnels", "usagers"], "mobilisation_precisions": fmt.ACCES["direct-ou-professionnel"],
        "zone_eligibilite": [departement.info.code] if departement else ["france"],
        "horaires_accueil": hours,
    }
    return structure, service


def _clean(record: dict[str, Any]) -> dict[str, Any]:
    """Absent values are left out (data·inclusion reads a missing key and null alike)."""
    return {key: value for key, value in record.items() if value is not None}


def export_data_inclusion(annuaire: Annuaire) -> dict[str, bytes]:
    """``structures.json`` and ``services.json``: JSON arrays of data·inclusion v1 records, by id."""
    base = annuaire.site.url
    pairs = [_national_records(annuaire, base, None)]
    pairs += [_national_records(annuaire, base, d) for d in annuaire.departements if d.communaute is not None]
    pairs += [_structure_records(view, base) for view in annuaire.structures.values()]
    structures = sorted((_clean(s) for s, _ in pairs), key=lambda r: r["id"])
    services = sorted((_clean(s) for _, s in pairs), key=lambda r: r["id"])
    return {
        "donnees/data-inclusion/structures.json": json_bytes(structures),
        "donnees/data-inclusion/services.json": json_bytes(services),
    }
