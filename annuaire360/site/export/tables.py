"""The whole directory as JSON (annuaire.json), and structures as CSV (structures.csv).

Re-users get stable ids, E.164 phone numbers, INSEE codes, OSM opening hours and sources, under
the licence named in data/site.yaml.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ...tabular import write_csv
from ..model import Annuaire, StructureView
from .common import json_bytes

CSV_COLUMNS = [
    "id", "nom", "type", "type_libelle", "departements", "role", "notification_mdph", "acces",
    "age_min", "age_max", "situations", "aidants", "professionnels", "telephone", "courriel", "site_web",
    "adresse", "code_postal", "commune", "code_insee", "horaires_accueil", "url_fiche", "sources", "verifie_le",
    "verifie_par",
]


def _structure(view: StructureView, base: str) -> dict[str, Any]:
    data = view.data.model_dump(mode="json", exclude_none=True)
    data["url_fiche"] = base + view.url
    data["departements_couverts"] = [d.info.code for d in view.departements] if not view.national else []
    data["nationale"] = view.national
    return data


def export_json(annuaire: Annuaire, today: dt.date) -> bytes:
    """The whole directory: national number, types, départements with their communauté and structures."""
    base = annuaire.site.url
    document = {
        "titre": annuaire.site.titre,
        "licence": {"nom": annuaire.site.licence_donnees, "url": annuaire.site.licence_donnees_url},
        "genere_le": today.isoformat(),
        "numero_national": annuaire.national.numero_national.model_dump(mode="json", exclude_none=True),
        "types": [t.model_dump(mode="json", exclude_none=True) for t in annuaire.types.values()],
        "departements": [
            {
                "code": d.info.code,
                "nom": d.info.nom,
                "region": d.region.info.nom,
                "url": base + d.url,
                "communaute": d.communaute.model_dump(mode="json", exclude_none=True) if d.communaute else None,
                "structures": [s.data.id for s in d.members],
                "ressources": [s.data.id for s in d.resources],
            }
            for d in annuaire.departements
        ],
        "structures": [_structure(view, base) for view in annuaire.structures.values()],
    }
    return json_bytes(document)


def export_csv(annuaire: Annuaire) -> bytes:
    """One line per structure, for spreadsheets (UTF-8 with BOM so that spreadsheet software reads accents).

    Every cell goes through ``tabular.safe_cell``: a name or an e-mail address that starts with « = » is not
    a formula in anyone's spreadsheet. The JSON export keeps every value exact."""
    rows = []
    for view in annuaire.structures.values():
        s = view.data
        phone = next((c.telephone for c in s.contacts if c.telephone), None)
        email = next((c.courriel for c in s.contacts if c.courriel), None)
        row = {
            "id": s.id, "nom": s.nom, "type": s.type, "type_libelle": view.type.libelle,
            "departements": "France entière" if view.national else " ".join(d.info.code for d in view.departements),
            "role": view.role or "", "notification_mdph": s.notification_mdph, "acces": s.acces,
            "age_min": "" if s.public.age_min is None else s.public.age_min,
            "age_max": "" if s.public.age_max is None else s.public.age_max,
            "situations": " ".join(s.public.situations), "aidants": "oui" if s.public.aidants else "",
            "professionnels": "oui" if s.public.professionnels else "",
            "telephone": phone.display if phone else "", "courriel": email or "", "site_web": s.site_web or "",
            "adresse": s.adresse or "", "code_postal": s.code_postal or "", "commune": s.commune or "",
            "code_insee": s.code_insee or "", "horaires_accueil": s.horaires_accueil or "",
            "url_fiche": annuaire.site.url + view.url,
            "sources": " ".join(src.url for src in s.sources),
            "verifie_le": s.verifie_le.isoformat() if s.verifie_le else "",
            "verifie_par": s.verifie_par or "",
        }
        rows.append([str(row[column]) for column in CSV_COLUMNS])
    return write_csv(CSV_COLUMNS, rows)
