"""From a source's record to a validated imported structure, in the format's own words.

Each importer turns its records into ``Record`` values (the format's field names, cleaned); here they
become ``StructureImportee`` dictionaries, validated with the project's models. A value the models still
refuse is dropped from its record (and counted); a record that stays invalid is left out (and counted).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from .. import format as fmt
from ..format.imports import asp_id, finess_id
from .common import Summary

FIELD_ORDER = (
    "id", "nom", "sigle", "type", "finess", "annuaire_service_public", "gestionnaire", "description", "contacts",
    "adresse", "complement_adresse", "code_postal", "commune", "code_insee", "coordonnees", "horaires_accueil",
    "horaires_precisions", "site_web", "mis_a_jour_le", "sources",
)
"""The order of the keys in a written record: what a family reads first, the provenance last."""


@dataclass(frozen=True)
class Dataset:
    """The file an import read, as its licence asks re-users to cite it (``format.imports.JeuDeDonnees``)."""

    nom: str
    producteur: str
    page: str
    telechargement: str
    fichier: str
    date: dt.date
    licence: str
    licence_url: str

    def as_dict(self) -> dict[str, Any]:
        return {key: getattr(self, key) for key in fmt.JeuDeDonnees.model_fields}


@dataclass
class Record:
    """One record of a source, in the format's field names (cleaned values)."""

    departement: str
    key: str  # the source's own identifier (FINESS number, Annuaire id)
    fields: dict[str, Any]
    updated: dt.date | None = None  # the record's own last update, if the source gives it
    page: str | None = None  # the record's own public page, if there is one
    suffix: str = ""  # "-pcpe", "-repit": a second record for a service run by a FINESS site
    extra: dict[str, Any] = field(default_factory=dict)

    def id(self, source: str) -> str:
        return asp_id(self.key) if source == "annuaire-service-public" else finess_id(self.key, self.suffix)


def structure_dict(record: Record, source: str, dataset: Dataset) -> dict[str, Any]:
    """The imported structure as it is written: ordered keys, its source (the record's page, else the dataset's)."""
    label = "Annuaire de l'administration" if source == "annuaire-service-public" else "FINESS"
    what = "fiche du service" if source == "annuaire-service-public" else f"établissement n° {record.key}"
    reference: dict[str, Any] = {"url": record.page or dataset.page, "titre": f"{label} : {what}",
                                 "consulte_le": dataset.date}
    if record.updated is not None and record.updated <= dataset.date:
        reference["publie_le"] = record.updated
    values = {**record.fields, "id": record.id(source), "mis_a_jour_le": record.updated, "sources": [reference]}
    return {key: values[key] for key in FIELD_ORDER if values.get(key) not in (None, [], "")}


def _field_of(error: Any) -> str | None:
    loc = error.get("loc") or ()
    return str(loc[0]) if loc and loc[0] not in ("id", "nom", "type", "sources") else None


def validated(values: dict[str, Any], context: fmt.Context, summary: Summary) -> dict[str, Any] | None:
    """The record if the format accepts it, once the values it refuses are dropped; None if it stays invalid."""
    for _ in range(4):
        try:
            fmt.StructureImportee.model_validate(values, context=context)
            return values
        except ValidationError as exc:
            fields = {_field_of(error) for error in exc.errors(include_url=False)}
            if None in fields:
                first = exc.errors(include_url=False)[0]
                summary.skip(f"fiche refusée par le format ({'.'.join(map(str, first['loc']))} : {first['msg'][:100]})")
                return None
            for name in fields:
                assert name is not None
                summary.drop(f"valeur refusée par le format ({name})", values.get(name))
                values = {k: v for k, v in values.items() if k != name}
    summary.skip("fiche refusée par le format")
    return None
