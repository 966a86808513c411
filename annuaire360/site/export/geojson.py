"""GeoJSON (RFC 7946): the structures whose premises have coordinates, one Point feature each.

Coordinates are WGS84 longitude then latitude (RFC 7946 §3.1.1), with no ``crs`` member (§4).
A structure without coordinates is not in the file: its fiche still gives its address in words.
"""

from __future__ import annotations

from typing import Any

from ..model import Annuaire, StructureView
from .common import first_phone, json_bytes
from .dates import structure_date


def _feature(view: StructureView, base: str) -> dict[str, Any] | None:
    s = view.data
    if s.coordonnees is None:
        return None
    phone = first_phone(s.contacts)
    properties = {
        "id": s.id, "nom": s.nom, "type": view.type.code, "type_libelle": view.type.libelle,
        "adresse": s.adresse, "complement_adresse": s.complement_adresse, "code_postal": s.code_postal,
        "commune": s.commune, "code_insee": s.code_insee, "telephone": phone.e164 if phone else None,
        "horaires_accueil": s.horaires_accueil, "url_fiche": base + view.url,
        "date_maj": structure_date(view).isoformat(),
    }
    return {
        "type": "Feature",
        "id": s.id,
        "geometry": {"type": "Point", "coordinates": [s.coordonnees.longitude, s.coordonnees.latitude]},
        "properties": {key: value for key, value in properties.items() if value is not None},
    }


def export_geojson(annuaire: Annuaire) -> dict[str, bytes]:
    """``structures.geojson``: a FeatureCollection, features in identifier order."""
    base = annuaire.site.url
    features = [f for f in (_feature(view, base) for view in annuaire.structures.values()) if f is not None]
    return {"donnees/structures.geojson": json_bytes({"type": "FeatureCollection", "features": features})}
