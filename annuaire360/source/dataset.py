"""The validated dataset, and the rules that span files: each rule a small named function in ``RULES``.

``check`` is the whole truth about the data: every rule the tests know about data/ runs here, with a
located French message, so that a contributor who reads « Tout est bon » never sees CI fail on their data.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from .. import format as fmt
from ..diagnostics import Report, suggest
from ..format.values import fold, is_fiction
from .content import ContentSource
from .files import DataFile, DataFiles
from .load import Document, Path_

STALE_AFTER_DAYS = 365
"""A verification older than this is flagged: contact details change."""

Record = TypeVar("Record", bound=fmt.Modele)


@dataclass(frozen=True)
class Loaded(Generic[Record]):
    """A validated record, with its file and parsed document (to locate the messages about it)."""

    file: DataFile
    doc: Document
    record: Record


@dataclass
class Dataset:
    """Every validated record of a data folder, and the content pages: what the site is made from."""

    files: DataFiles
    besoins: Loaded[fmt.FichierBesoins]
    mots: Loaded[fmt.FichierMots]
    site: Loaded[fmt.FichierSite]
    national: Loaded[fmt.FichierNational]
    types: Loaded[fmt.FichierTypes]
    territoires: Loaded[fmt.FichierTerritoires]
    departements: list[Loaded[fmt.FichierDepartement]] = field(default_factory=list)
    ressources: list[Loaded[fmt.FichierRessources]] = field(default_factory=list)
    content: list[ContentSource] = field(default_factory=list)
    complete: bool = True  # False when a département or ressources file was broken (and left out)

    def documents(self) -> Iterator[Loaded[Any]]:
        """Every data file's record, in reading order."""
        yield from (self.besoins, self.types, self.mots, self.site, self.national, self.territoires)
        yield from self.departements
        yield from self.ressources

    def structures(self) -> Iterator[tuple[Document, Path_, fmt.Structure]]:
        """Every structure, with its document and its path in it."""
        national = self.national
        for i, structure in enumerate(national.record.ressources_nationales):
            yield national.doc, ("ressources_nationales", i), structure
        for loaded in self.departements:
            for i, structure in enumerate(loaded.record.structures):
                yield loaded.doc, ("structures", i), structure
        for resources in self.ressources:
            for i, structure in enumerate(resources.record.ressources):
                yield resources.doc, ("ressources", i), structure


Rule = Callable[[Dataset, Report, dt.date], None]


def _regions_known(dataset: Dataset, report: Report, today: dt.date) -> None:
    """Every département of territoires.yaml belongs to a région of the same file."""
    territoires = dataset.territoires
    region_codes = {r.code for r in territoires.record.regions}
    for i, departement in enumerate(territoires.record.departements):
        if departement.region not in region_codes:
            line, column = territoires.doc.locate(("departements", i, "region"))
            report.error(
                territoires.file.display, line, column,
                f"région « {departement.region} » inconnue pour {departement.nom} : utilisez le code INSEE d'une "
                "région de la liste regions de ce fichier",
            )


def _one_file_per_departement(dataset: Dataset, report: Report, today: dt.date) -> None:
    """Each département file is named after its code and official name, once; none is missing."""
    by_code = {d.code: d for d in dataset.territoires.record.departements}
    seen: dict[str, str] = {}
    for loaded in dataset.departements:
        doc, record = loaded.doc, loaded.record
        expected = by_code[record.code]
        good_name = f"{record.code}-{expected.slug}"
        line, column = doc.locate(("code",))
        if doc.path.stem != good_name:
            report.error(
                doc.display, line, column,
                f"le fichier s'appelle « {doc.path.name} » mais décrit le département {record.code} ({expected.nom}) : "
                f"renommez-le « {good_name}.yaml » ou corrigez le code",
            )
        if record.nom != expected.nom:
            line, column = doc.locate(("nom",))
            report.error(doc.display, line, column,
                         f"nom « {record.nom} » différent du nom officiel « {expected.nom} » : écrivez « {expected.nom} »")
        if record.code in seen:
            report.error(
                doc.display, line, column,
                f"le département {record.code} est déjà décrit dans {seen[record.code]} : un seul fichier par "
                "département ; corrigez le code de l'un des deux",
            )
        seen[record.code] = doc.display
    if not dataset.complete:
        return  # a broken file may be the "missing" one: its own message says what is wrong
    folder = dataset.files.folder
    for code, departement in by_code.items():
        if code not in seen:
            missing = folder.file(folder.path / "departements" / f"{code}-{departement.slug}.yaml", "departement")
            report.error(
                missing.display, 1, 1,
                f"fichier manquant pour le département {code} ({departement.nom}) : créez-le avec au moins "
                f"code: \"{code}\" et nom: {departement.nom}",
            )


def _unique_ids(dataset: Dataset, report: Report, today: dt.date) -> None:
    """No two structures share an identifier (it is the address of their page)."""
    ids: dict[str, str] = {}
    for doc, where, structure in dataset.structures():
        line, column = doc.locate((*where, "id"))
        if structure.id in ids:
            report.error(doc.display, line, column,
                         f"identifiant « {structure.id} » déjà utilisé ({ids[structure.id]}) : choisissez-en un autre")
        else:
            ids[structure.id] = f"{doc.display}:{line}"


def _links_resolve(dataset: Dataset, report: Report, today: dt.date) -> None:
    """Each voir_aussi names another structure, once."""
    ids = sorted({structure.id for _, _, structure in dataset.structures()})
    known = set(ids)
    for doc, where, structure in dataset.structures():
        seen: set[str] = set()
        for i, target in enumerate(structure.voir_aussi):
            line, column = doc.locate((*where, "voir_aussi", i))
            if target == structure.id:
                report.error(doc.display, line, column, f"« {target} » renvoie vers sa propre fiche : retirez-le de voir_aussi")
            elif target not in known:
                report.error(
                    doc.display, line, column,
                    f"voir_aussi : aucune structure n'a l'identifiant « {target} »{suggest(target, ids)} "
                    "(recopiez le champ id de la structure voulue, ou retirez la ligne)",
                )
            elif target in seen:
                report.error(doc.display, line, column, f"voir_aussi : « {target} » est écrit deux fois : gardez-en un seul")
            seen.add(target)


def _verifications_fresh(dataset: Dataset, report: Report, today: dt.date) -> None:
    """A verification older than a year is a warning: contact details change."""
    limit = today - dt.timedelta(days=STALE_AFTER_DAYS)
    for doc, where, structure in dataset.structures():
        if structure.verifie_le is not None and structure.verifie_le < limit:
            line, column = doc.locate((*where, "verifie_le"))
            report.warning(
                doc.display, line, column,
                f"« {structure.nom} » a été vérifié il y a plus d'un an ({structure.verifie_le}) : "
                "revérifiez ses coordonnées puis mettez la date du jour",
            )
    for loaded in dataset.departements:
        communaute = loaded.record.communaute
        if communaute is not None and communaute.verifie_le is not None and communaute.verifie_le < limit:
            line, column = loaded.doc.locate(("communaute", "verifie_le"))
            report.warning(loaded.doc.display, line, column,
                           f"la communauté a été vérifiée il y a plus d'un an ({communaute.verifie_le}) : revérifiez-la")


# A French phone number as people write it: 0X XX XX XX XX, with spaces, dots or dashes, or +33.
PHONE_IN_TEXT = re.compile(r"(?<![\d/=?&#-])(?:\+33[\s.]?(?:\(0\)\s?)?|0)([1-9](?:[\s.\-]?\d{2}){4})(?!\d)")
EXAMPLE_DOMAIN = re.compile(r"\bexample\.(?:org|com|net)\b", re.IGNORECASE)


def _written(doc: Document, pattern: re.Pattern[str]) -> Iterator[tuple[int, int, re.Match[str]]]:
    """Every match of ``pattern`` in what a file says (comments left out: they are never published)."""
    for number, line in enumerate(doc.text.splitlines(), start=1):
        if line.lstrip().startswith("#"):
            continue
        for match in pattern.finditer(line):
            yield number, match.start() + 1, match


def _no_fiction(dataset: Dataset, report: Report, today: dt.date) -> None:
    """ARCEP's fiction numbers and example.org are for tests and the guide's example, never for real data."""
    if dataset.site.record.donnees_de_test:
        return
    for loaded in dataset.documents():
        doc = loaded.doc
        for line, column, match in _written(doc, PHONE_IN_TEXT):
            if is_fiction("0" + re.sub(r"\D", "", match.group(1))):
                report.error(
                    doc.display, line, column,
                    f"« {match.group(0)} » est un numéro de fiction (réservé par l'ARCEP aux films et aux tests) : "
                    "recopiez le vrai numéro depuis la source, ou retirez-le",
                )
        for line, column, match in _written(doc, EXAMPLE_DOMAIN):
            report.error(
                doc.display, line, column,
                f"« {match.group(0)} » est un domaine d'exemple (réservé aux tests) : recopiez la vraie adresse "
                "depuis la source, ou retirez-la",
            )


def _national_number_once(dataset: Dataset, report: Report, today: dt.date) -> None:
    """The national number is written in data/national.yaml only: it is added to every page automatically."""
    national = dataset.national.record.numero_national.telephone.national
    for loaded in dataset.documents():
        if loaded.file.kind == "national":
            continue
        doc = loaded.doc
        for line, column, match in _written(doc, PHONE_IN_TEXT):
            if "0" + re.sub(r"\D", "", match.group(1)) == national:
                report.error(
                    doc.display, line, column,
                    f"le numéro national {match.group(0)} est ajouté automatiquement sur toutes les pages : "
                    "retirez-le de ce fichier (il n'est écrit que dans data/national.yaml)",
                )
    for page in dataset.content:
        for number, text in enumerate(page.text.splitlines(), start=1):
            for match in PHONE_IN_TEXT.finditer(text):
                if "0" + re.sub(r"\D", "", match.group(1)) == national:
                    report.error(
                        page.display, number, match.start() + 1,
                        f"écrivez [[numero-national]] à la place de « {match.group(0)} » : le numéro est alors pris "
                        "dans data/national.yaml, le seul endroit où il est écrit",
                    )


def _types_answer_needs(dataset: Dataset, report: Report, today: dt.date) -> None:
    """Each type says which needs it answers (or [] on purpose): else its structures are on no need page."""
    types = dataset.types
    for i, type_ in enumerate(types.record.types):
        if type_.besoins is None:
            line, column = types.doc.locate(("types", i, "code"))
            report.warning(
                types.file.display, line, column,
                f"le type « {type_.code} » n'est rattaché à aucun besoin : ses structures ne seront sur aucune page "
                "de besoin ; ajoutez par exemple besoins: [ecole, domicile] (codes de data/besoins.yaml), ou "
                "besoins: [] avec un commentaire qui dit pourquoi",
            )


def _words_once(dataset: Dataset, report: Report, today: dt.date) -> None:
    """A word of data/mots.yaml means one thing: it is in one group only (accents and case aside)."""
    mots = dataset.mots
    seen: dict[str, str] = {}
    for i, group in enumerate(mots.record.groupes):
        for j, word in enumerate(group.mots):
            key = fold(word)
            line, column = mots.doc.locate(("groupes", i, "mots", j))
            if key in seen:
                report.error(mots.file.display, line, column,
                             f"le mot « {word} » est déjà dans un autre groupe ({seen[key]}) : gardez-le dans un seul")
            else:
                seen[key] = f"ligne {line}"


RULES: list[Rule] = [
    _regions_known,
    _one_file_per_departement,
    _unique_ids,
    _links_resolve,
    _verifications_fresh,
    _no_fiction,
    _national_number_once,
    _types_answer_needs,
    _words_once,
]
"""The rules that span files, in the order their messages are most useful."""


def check_dataset(dataset: Dataset, report: Report, today: dt.date) -> None:
    """Run every rule that spans files."""
    for rule in RULES:
        rule(dataset, report, today)
