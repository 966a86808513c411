"""Imported records (data/imports/) beside the hand-written ones: which are linked, hidden, or duplicates.

Hand-written data wins, field by field: a structure of a département file that names an imported record
(``finess: "…"``, ``annuaire_service_public: "…"``) is completed by it where it says nothing, and the
imported record is no longer shown on its own. ``masquer:`` hides a record the communauté knows is wrong
or closed, whatever the next import brings. The rules here say, located and in French, what does not fit.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .. import format as fmt
from ..diagnostics import Report
from ..format.imports import ID_PREFIXES, asp_id, checksum, finess_id, split_generated
from .files import DataFile
from .load import Document

SOURCE_LABELS = {
    "annuaire-service-public": "l'Annuaire de l'administration",
    "finess": "FINESS",
}
"""How the fiche names each source: « d'après l'Annuaire de l'administration, mis à jour le … »."""

ADDRESS_FIELDS = ("adresse", "complement_adresse", "code_postal", "commune", "code_insee", "coordonnees")
HOURS_FIELDS = ("horaires_accueil", "horaires_precisions")
SINGLE_FIELDS = ("sigle", "gestionnaire", "contacts", "site_web", "description", "finess", "annuaire_service_public")
"""What an imported record may complete. The address and the hours are taken whole or not at all: half of
one address with half of another would send a family to the wrong door."""


def generated_error(file: DataFile, doc: Document) -> str | None:
    """Why a generated file was changed by hand (its checksum no longer matches), or None if it is intact."""
    written, body = split_generated(doc.text)
    if written is not None and written == checksum(body):
        return None
    folder = file.path.parent.name
    return (
        "ce fichier est généré par « python build.py importer " + folder + " » et a été modifié à la main "
        "(son empreinte ne correspond plus) : le prochain import effacerait ce changement. Remettez-le comme il "
        "était (git checkout -- " + file.repository_path + ") et écrivez la correction dans le fichier du département "
        "(data/departements/…) : une structure avec " + ("finess" if folder == "finess" else "annuaire_service_public")
        + ": \"…\" complète ou corrige la fiche importée, masquer: la cache (voir le guide « Contribuer »)"
    )


def linked_ids(structure: fmt.Structure) -> list[tuple[str, str]]:
    """The imported records a hand-written structure names: (source, id) pairs."""
    found = []
    if structure.annuaire_service_public:
        found.append(("annuaire-service-public", asp_id(structure.annuaire_service_public)))
    if structure.finess:
        found.append(("finess", finess_id(structure.finess)))
    return found


def _empty(value: Any) -> bool:
    return value is None or value == [] or value == ""


@dataclass(frozen=True)
class ImportedFacts:
    """What one imported record brought to a fiche: which source, as of when, and which fields."""

    source: str  # a key of SOURCE_LABELS
    dataset: fmt.JeuDeDonnees
    record: fmt.StructureImportee
    fields: tuple[str, ...]  # French titles of the fields taken; empty: the whole fiche comes from the source

    @property
    def label(self) -> str:
        return SOURCE_LABELS[self.source]

    @property
    def updated(self) -> dt.date:
        """The record's own date when the source gives one, else the dataset's."""
        return self.record.mis_a_jour_le or self.dataset.date

    @property
    def url(self) -> str:
        return self.record.sources[0].url


def merge(hand: fmt.Structure, imported: fmt.StructureImportee) -> tuple[fmt.Structure, tuple[str, ...]]:
    """The hand-written structure completed by an imported record where it says nothing; the French titles of the
    fields taken. Hand-written values always win."""
    update: dict[str, Any] = {}
    groups = [(name,) for name in SINGLE_FIELDS] + [ADDRESS_FIELDS, HOURS_FIELDS]
    for group in groups:
        if all(_empty(getattr(hand, name)) for name in group):
            update.update({name: getattr(imported, name) for name in group if not _empty(getattr(imported, name))})
    titles = tuple(
        (fmt.Structure.model_fields[name].title or name).lower()
        for name in fmt.Structure.model_fields if name in update and name not in ("finess", "annuaire_service_public")
    )
    return hand.model_copy(update=update), titles


@dataclass
class ImportIndex:
    """Every imported record by id, the masks and the links of the hand-written side."""

    records: dict[str, tuple[Any, int, fmt.StructureImportee]] = field(default_factory=dict)  # id → (Loaded, i, record)
    imported_files: set[tuple[str, str]] = field(default_factory=set)  # (source, département) present in data/imports
    masks: dict[str, tuple[Any, int, fmt.Masque]] = field(default_factory=dict)  # id → (Loaded département, i, mask)
    links: dict[str, tuple[Any, tuple[str | int, ...], fmt.Structure]] = field(default_factory=dict)  # id → hand side

    def visible(self) -> Iterator[tuple[Any, int, fmt.StructureImportee]]:
        """Imported records shown on their own: neither hidden nor completing a hand-written structure."""
        for record_id, entry in self.records.items():
            if record_id not in self.masks and record_id not in self.links:
                yield entry


def index_imports(dataset: Any) -> ImportIndex:
    """Index the imported records, the masks and the links of a dataset (``source.Dataset``)."""
    index = ImportIndex()
    for loaded in dataset.imports:
        index.imported_files.add((loaded.record.source, loaded.record.departement))
        for i, record in enumerate(loaded.record.structures):
            index.records.setdefault(record.id, (loaded, i, record))
    for loaded in dataset.departements:
        for i, mask in enumerate(loaded.record.masquer):
            index.masks.setdefault(mask.id, (loaded, i, mask))
        for i, structure in enumerate(loaded.record.structures):
            for _, record_id in linked_ids(structure):
                index.links.setdefault(record_id, (loaded, ("structures", i), structure))
    return index


# ---------------------------------------------------------------------------
# Rules (run by source.dataset.check_dataset)


def rule_import_files(dataset: Any, report: Report, today: dt.date) -> None:
    """An imported file lives in its source's folder, under its département's name, once."""
    names = {d.code: d.slug for d in dataset.territoires.record.departements}
    seen: dict[str, str] = {}
    for loaded in dataset.imports:
        record, doc = loaded.record, loaded.doc
        expected = f"{record.departement}-{names[record.departement]}.yaml"
        if loaded.file.path.parent.name != record.source or loaded.file.path.name != expected:
            line, column = doc.locate(("departement",))
            report.error(doc.display, line, column,
                         f"fichier importé mal rangé : il devrait s'appeler data/imports/{record.source}/{expected} ; "
                         f"relancez « python build.py importer {record.source} »")
        for i, structure in enumerate(record.structures):
            if structure.id in seen:
                line, column = doc.locate(("structures", i, "id"))
                report.error(doc.display, line, column,
                             f"fiche « {structure.id} » importée deux fois (aussi dans {seen[structure.id]}) : relancez "
                             f"« python build.py importer {record.source} »")
            seen[structure.id] = doc.display


def rule_links(dataset: Any, report: Report, today: dt.date) -> None:
    """A link names a record of the import (when that import was run), and a record is completed once."""
    index = index_imports(dataset)
    claimed: dict[str, str] = {}
    for loaded in dataset.departements:
        doc = loaded.doc
        for i, structure in enumerate(loaded.record.structures):
            for source, record_id in linked_ids(structure):
                key = "finess" if source == "finess" else "annuaire_service_public"
                line, column = doc.locate(("structures", i, key))
                if record_id in claimed:
                    report.error(doc.display, line, column,
                                 f"la fiche importée « {record_id} » complète déjà « {claimed[record_id]} » : une fiche "
                                 "importée ne complète qu'une structure ; retirez ce champ de l'une des deux")
                claimed[record_id] = structure.id
                if record_id in index.masks:
                    report.error(doc.display, line, column,
                                 f"la fiche « {record_id} » est à la fois complétée par « {structure.id} » et masquée : "
                                 "retirez-la de masquer, ou retirez ce champ")
                in_import = record_id in index.records
                if not in_import and (source, loaded.record.code) in index.imported_files:
                    report.warning(doc.display, line, column,
                                   f"{key} : la fiche « {record_id} » n'est pas (ou plus) dans l'import "
                                   f"{SOURCE_LABELS[source]} de ce département : vérifiez le numéro, ou que le service "
                                   "existe encore")
                elif in_import and index.records[record_id][0].record.departement != loaded.record.code:
                    report.warning(doc.display, line, column,
                                   f"{key} : la fiche « {record_id} » est importée dans un autre département : "
                                   "vérifiez le numéro")
            if structure.id in index.records and structure.id not in {r for _, r in linked_ids(structure)}:
                line, column = doc.locate(("structures", i, "id"))
                report.error(doc.display, line, column,
                             f"l'identifiant « {structure.id} » est celui d'une fiche importée : pour la compléter, "
                             "ajoutez à cette structure le champ qui la nomme (finess: ou annuaire_service_public:) ; "
                             "sinon choisissez un autre identifiant")


def rule_masks(dataset: Any, report: Report, today: dt.date) -> None:
    """``masquer`` names imported records of the département."""
    index = index_imports(dataset)
    for loaded in dataset.departements:
        doc = loaded.doc
        for i, mask in enumerate(loaded.record.masquer):
            line, column = doc.locate(("masquer", i, "id"))
            source = next((s for s, prefix in ID_PREFIXES.items() if mask.id.startswith(prefix)), None)
            if source is None:
                report.error(doc.display, line, column,
                             f"masquer : « {mask.id} » n'est pas une fiche importée (leurs identifiants commencent par "
                             "« finess- » ou « asp- ») ; pour retirer une structure écrite à la main, supprimez-la")
            elif mask.id not in index.records and (source, loaded.record.code) in index.imported_files:
                report.warning(doc.display, line, column,
                               f"masquer : la fiche « {mask.id} » n'est plus dans l'import de ce département : "
                               "vous pouvez retirer cette ligne")


_WORDS = re.compile(r"[a-z0-9]+")


def name_key(name: str) -> str:
    """A name without accents, case, punctuation or articles: how two sources may write the same service."""
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    return " ".join(w for w in _WORDS.findall(ascii_text) if w not in {"de", "du", "des", "la", "le", "les", "l", "d"})


def _phones(structure: fmt.Structure) -> set[str]:
    return {point.telephone.national for point in structure.contacts if point.telephone}


def rule_duplicates(dataset: Any, report: Report, today: dt.date) -> None:
    """An imported record shown beside a hand-written structure of the same service is reported, with the fix."""
    index = index_imports(dataset)
    by_departement: dict[str, list[tuple[Any, int, fmt.StructureImportee]]] = {}
    for entry in index.visible():
        by_departement.setdefault(entry[0].record.departement, []).append(entry)
    for loaded in dataset.departements:
        candidates = by_departement.get(loaded.record.code, [])
        for i, structure in enumerate(loaded.record.structures):
            key, phones = name_key(structure.nom), _phones(structure)
            for imported_file, _, record in candidates:
                if not ((key and key == name_key(record.nom)) or phones & _phones(record)):
                    continue
                field_name = "finess" if imported_file.record.source == "finess" else "annuaire_service_public"
                value = record.finess if field_name == "finess" else record.annuaire_service_public
                line, column = loaded.doc.locate(("structures", i, "id"))
                report.warning(
                    loaded.doc.display, line, column,
                    f"« {structure.nom} » semble être la fiche importée « {record.id} » ({record.nom}), publiée en "
                    f"double : ajoutez {field_name}: \"{value}\" à la structure « {structure.id} » pour les réunir, ou "
                    f"masquez la fiche importée (masquer: - id: {record.id}, avec sa raison)",
                )


RULES = [rule_import_files, rule_links, rule_masks, rule_duplicates]
"""The rules about imported records, run after the rules of ``dataset``."""
