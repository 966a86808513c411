"""Export: the open data files — the whole directory as JSON, and structures as CSV.

Re-users get stable ids, E.164 phone numbers, INSEE codes, OSM opening hours and sources, under
the licence named in data/site.yaml.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

from .model import Annuaire, StructureView

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
    return (json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode()


def export_csv(annuaire: Annuaire) -> bytes:
    """One line per structure, for spreadsheets (UTF-8 with BOM so that spreadsheet software reads accents)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for view in annuaire.structures.values():
        s = view.data
        phone = next((c.telephone for c in s.contacts if c.telephone), None)
        email = next((c.courriel for c in s.contacts if c.courriel), None)
        writer.writerow({
            "id": s.id, "nom": s.nom, "type": s.type, "type_libelle": view.type.libelle,
            "departements": "France entière" if view.national else " ".join(d.info.code for d in view.departements),
            "role": s.role, "notification_mdph": s.notification_mdph, "acces": s.acces,
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
        })
    return ("\ufeff" + buffer.getvalue()).encode()


def sitemap(annuaire: Annuaire, urls: list[str]) -> bytes:
    """sitemap.xml of every page, so that search engines find every département and fiche."""
    from xml.sax.saxutils import escape

    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    lines += [f"  <url><loc>{escape(annuaire.site.url + url)}</loc></url>" for url in sorted(urls)]
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode()


def export_data(annuaire: Annuaire, urls: list[str], today: dt.date) -> dict[str, bytes]:
    """Every open data file, plus sitemap.xml and robots.txt, by path in the site."""
    return {
        "donnees/annuaire.json": export_json(annuaire, today),
        "donnees/structures.csv": export_csv(annuaire),
        "sitemap.xml": sitemap(annuaire, urls),
        "robots.txt": f"User-agent: *\nAllow: /\nSitemap: {annuaire.site.url}/sitemap.xml\n".encode(),
    }
