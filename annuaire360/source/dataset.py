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
from ..diagnostics import Report, invisible_hint, quoted, suggest
from ..format.values import Phone, fold, is_fiction
from .content import ContentSource
from .falc import easy_read_pages_unique, easy_read_texts, types_have_easy_read
from .files import DataFile, DataFiles
from .imports import RULES as IMPORT_RULES
from .imports import index_imports
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
    facile_a_lire: Loaded[fmt.FichierFacileALire]
    departements: list[Loaded[fmt.FichierDepartement]] = field(default_factory=list)
    ressources: list[Loaded[fmt.FichierRessources]] = field(default_factory=list)
    imports: list[Loaded[fmt.FichierImport]] = field(default_factory=list)  # data/imports/, generated
    content: list[ContentSource] = field(default_factory=list)
    complete: bool = True  # False when a département or ressources file was broken (and left out)

    def documents(self) -> Iterator[Loaded[Any]]:
        """Every data file's record, in reading order."""
        yield from (self.besoins, self.types, self.mots, self.site, self.national, self.territoires, self.facile_a_lire)
        yield from self.departements
        yield from self.ressources
        yield from self.imports

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
                f"région {quoted(departement.region)} inconnue pour {departement.nom} : utilisez le code INSEE d'une "
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
                f"le fichier s'appelle {quoted(doc.path.name)} mais décrit le département {record.code} ({expected.nom}) : "
                f"renommez-le « {good_name}.yaml » ou corrigez le code",
            )
        if record.nom != expected.nom:
            line, column = doc.locate(("nom",))
            hint = invisible_hint(record.nom, own=True)
            report.error(doc.display, line, column,
                         f"nom {quoted(record.nom)} différent du nom officiel « {expected.nom} » : "
                         + (f"{hint}" if hint else f"écrivez « {expected.nom} »"))
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
                         f"identifiant {quoted(structure.id)} déjà utilisé ({ids[structure.id]}) : choisissez-en un autre")
        else:
            ids[structure.id] = f"{doc.display}:{line}"


def _links_resolve(dataset: Dataset, report: Report, today: dt.date) -> None:
    """Each voir_aussi names another structure (hand-written, or imported and shown) (once: _lists_without_repeats)."""
    shown = {record.id for _, _, record in index_imports(dataset).visible()}
    ids = sorted({structure.id for _, _, structure in dataset.structures()} | shown)
    known = set(ids)
    for doc, where, structure in dataset.structures():
        for i, target in enumerate(structure.voir_aussi):
            line, column = doc.locate((*where, "voir_aussi", i))
            if target == structure.id:
                report.error(doc.display, line, column, f"{quoted(target)} renvoie vers sa propre fiche : retirez-le de voir_aussi")
            elif target not in known:
                report.error(
                    doc.display, line, column,
                    f"voir_aussi : aucune structure n'a l'identifiant {quoted(target)}{suggest(target, ids)} "
                    "(recopiez le champ id de la structure voulue, ou retirez la ligne)",
                )


IMPORTED_PREFIXES = ("finess-", "asp-")
"""Ids of the records the importers write (data/imports/): « finess-<numéro FINESS> », « asp-<slug> »."""


def _coverage(dataset: Dataset) -> dict[str, set[str] | None]:
    """Each structure's id → the départements it serves (None: all of France, or not known because the id is
    used twice, which its own message reports)."""
    covered: dict[str, set[str] | None] = {}

    def add(identifier: str, served: set[str] | None) -> None:
        covered[identifier] = None if identifier in covered else served

    for structure in dataset.national.record.ressources_nationales:
        add(structure.id, None)
    for loaded in dataset.departements:
        for structure in loaded.record.structures:
            zone = structure.zone_eligibilite.departements if structure.zone_eligibilite else []
            add(structure.id, {loaded.record.code, *zone})
    for resources in dataset.ressources:
        for structure in resources.record.ressources:
            add(structure.id, set(structure.zone_eligibilite.departements if structure.zone_eligibilite else []))
    for imported in dataset.imports:
        for record in imported.record.structures:
            add(record.id, {imported.record.departement})
    return covered


def imported_ids(dataset: Dataset) -> set[str]:
    """Ids of the imported records (data/imports/) a communauté may name as members."""
    return {record.id for loaded in dataset.imports for record in loaded.record.structures}


def _members_known(dataset: Dataset, report: Report, today: dt.date) -> None:
    """Each member of a communauté is a structure of the directory (or an imported record) that serves its
    département, named once."""
    coverage = _coverage(dataset)
    known = sorted(set(coverage) | imported_ids(dataset))
    for loaded in dataset.departements:
        communaute, code = loaded.record.communaute, loaded.record.code
        seen: set[str] = set()
        for i, member in enumerate(communaute.membres if communaute else []):
            line, column = loaded.doc.locate(("communaute", "membres", i, "id"))
            served = coverage.get(member.id, set())
            if member.id not in known and not dataset.complete:
                continue  # it may be in the broken file left out: that file's own message comes first
            if member.id not in known:
                kind = " (fiche importée : vérifiez le numéro)" if member.id.startswith(IMPORTED_PREFIXES) else ""
                report.error(
                    loaded.doc.display, line, column,
                    f"membres : aucune structure n'a l'identifiant « {member.id} »{kind}{suggest(member.id, known)} "
                    "(recopiez le champ id d'une structure de l'annuaire, ou celui d'une fiche importée "
                    "« finess-… » ou « asp-… » ; ajoutez d'abord la structure si elle n'y est pas)",
                )
            elif member.id in seen:
                report.error(loaded.doc.display, line, column,
                             f"membres : « {member.id} » est écrit deux fois : gardez-en un seul")
            elif served is not None and member.id in coverage and code not in served:
                report.error(
                    loaded.doc.display, line, column,
                    f"membres : « {member.id} » ne couvre pas ce département ({code}) : un membre de la communauté "
                    "sert ses habitants ; vérifiez l'identifiant, ou ajoutez le département à son zone_eligibilite",
                )
            seen.add(member.id)


def _verifications_fresh(dataset: Dataset, report: Report, today: dt.date) -> None:
    """A verification older than a year is a warning: contact details change."""
    limit = today - dt.timedelta(days=STALE_AFTER_DAYS)
    for doc, where, structure in dataset.structures():
        if structure.verifie_le is not None and structure.verifie_le < limit:
            line, column = doc.locate((*where, "verifie_le"))
            report.warning(
                doc.display, line, column,
                f"{quoted(structure.nom)} a été vérifié il y a plus d'un an ({structure.verifie_le}) : "
                "revérifiez ses coordonnées puis mettez la date du jour",
            )
    for loaded in dataset.departements:
        communaute = loaded.record.communaute
        if communaute is not None and communaute.verifie_le is not None and communaute.verifie_le < limit:
            line, column = loaded.doc.locate(("communaute", "verifie_le"))
            report.warning(loaded.doc.display, line, column,
                           f"la communauté a été vérifiée il y a plus d'un an ({communaute.verifie_le}) : revérifiez-la")


# A French phone number as people write it: ten digits from 0, or +33, grouped in any way with spaces, dots or
# dashes (« 03 53 01 11 11 », « 0 800 360 360 », « 0800 360 360 », « 0.800.360.360 »: the national number is
# mostly written in threes). Each branch starts with its literal (« + » or « 0 ») and looks behind it only
# then: the regular expression engine jumps from one « + » or « 0 » to the next instead of trying every
# position (three times faster on a megabyte of text).
PHONE_IN_TEXT = re.compile(
    r"(?:\+(?<![\d/=?&#-]\+)33[\s.]?(?:\(0\)\s?)?|0(?<![\d/=?&#-]0)[\s.\-]?)([1-9](?:[\s.\-]?\d){8})(?!\d)"
)
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
                    f"{quoted(match.group(0))} est un numéro de fiction (réservé par l'ARCEP aux films et aux tests) : "
                    "recopiez le vrai numéro depuis la source, ou retirez-le",
                )
        for line, column, match in _written(doc, EXAMPLE_DOMAIN):
            report.error(
                doc.display, line, column,
                f"{quoted(match.group(0))} est un domaine d'exemple (réservé aux tests) : recopiez la vraie adresse "
                "depuis la source, ou retirez-la",
            )


_REMOVE = ("le numéro national {} est ajouté automatiquement sur toutes les pages : retirez-le de ce fichier "
           "(il n'est écrit que dans data/national.yaml)")
_TOKEN = ("écrivez [[numero-national]] à la place de {} : le numéro est alors pris dans data/national.yaml, "
          "le seul endroit où il est écrit")


def _spelled(national: str) -> re.Pattern[str]:
    """A number however it is written: blanks, dots or dashes anywhere between its digits (« 0 800 360 360 »,
    « 08 00 36 03 60 »), or +33 for its first 0."""
    body = r"[\s.\-]?".join(national[1:])
    return re.compile(rf"(?<![\d/=?&#-])(?:\+33[\s.]?(?:\(0\)\s?)?|0[\s.\-]?){body}(?!\d)")


def _national_number_once(dataset: Dataset, report: Report, today: dt.date) -> None:
    """The national number is written in data/national.yaml only: it is added to every page automatically;
    a text that needs it (a content page, an easy-read text) writes [[numero-national]]."""
    pattern = _spelled(dataset.national.record.numero_national.telephone.national)
    for loaded in dataset.documents():
        if loaded.file.kind in ("national", "import"):  # an official record may publish it: not ours to fix
            continue
        advice = _TOKEN if loaded.file.kind == "facile_a_lire" else _REMOVE
        for line, column, match in _written(loaded.doc, pattern):
            report.error(loaded.doc.display, line, column, advice.format(quoted(match.group(0))))
    for page in dataset.content:
        for number, text in enumerate(page.text.splitlines(), start=1):
            for match in pattern.finditer(text):
                report.error(page.display, number, match.start() + 1, _TOKEN.format(quoted(match.group(0))))


def _types_declared_once(dataset: Dataset, report: Report, today: dt.date) -> None:
    """Each type code of data/types.yaml is declared once (a second one would relabel every page of its type)."""
    types = dataset.types
    first: dict[str, int] = {}
    for i, entry in enumerate(types.record.types):
        if entry.code in first:
            line, column = types.doc.locate(("types", i, "code"))
            earlier = types.doc.locate(("types", first[entry.code], "code"))[0]
            report.error(types.file.display, line, column,
                         f"le type {quoted(entry.code)} est déjà déclaré à la ligne {earlier} : gardez une seule "
                         "déclaration (la seconde changerait le nom de toutes les fiches de ce type)")
        else:
            first[entry.code] = i


def _repeats(value: Any, where: Path_) -> Iterator[tuple[Path_, Path_]]:
    """Every value written twice in one list of a document: (where the repeat is, where the first one is)."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _repeats(item, (*where, key))
    elif isinstance(value, list):
        seen: dict[Any, int] = {}
        for i, item in enumerate(value):
            if isinstance(item, (dict, list)):
                yield from _repeats(item, (*where, i))
            elif item in seen:
                yield (*where, i), (*where, seen[item])
            else:
                seen[item] = i


def _lists_without_repeats(dataset: Dataset, report: Report, today: dt.date) -> None:
    """No list of values names the same value twice (a département twice in a zone would list a resource
    twice on its page; a situation twice would be shown twice)."""
    for loaded in dataset.documents():
        doc = loaded.doc
        for repeat, first in _repeats(doc.data, ()):
            line, column = doc.locate(repeat)
            value = doc.data
            for part in repeat:
                value = value[part]
            name = next((p for p in reversed(repeat) if isinstance(p, str)), "liste")
            report.error(doc.display, line, column,
                         f"{name} : {quoted(value)} est écrit deux fois (déjà à la ligne {doc.locate(first)[0]}) : "
                         "gardez-en un seul")


def _phones(value: Any, where: Path_) -> Iterator[tuple[Path_, Phone]]:
    """Every phone number of a validated record, with its path."""
    if isinstance(value, Phone):
        yield where, value
    elif isinstance(value, fmt.Modele):
        for name in type(value).model_fields:
            yield from _phones(getattr(value, name), (*where, name))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _phones(item, (*where, i))


def _surcharged_numbers(dataset: Dataset, report: Report, today: dt.date) -> None:
    """A surcharged number (« 081 », « 082 ») costs families more than a call: say so (premium ones are refused)."""
    for loaded in dataset.documents():
        for where, phone in _phones(loaded.record, ()):
            if phone.surcharged:
                line, column = loaded.doc.locate(where)
                report.warning(loaded.doc.display, line, column,
                               f"numéro surtaxé {quoted(phone.display)} : l'appel coûte plus qu'une communication "
                               "ordinaire (numéros en 081 et 082) ; publiez plutôt le numéro ordinaire du service "
                               "s'il en a un")


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
    _types_declared_once,
    _regions_known,
    _one_file_per_departement,
    _unique_ids,
    _links_resolve,
    _members_known,
    _verifications_fresh,
    _no_fiction,
    _national_number_once,
    _types_answer_needs,
    _words_once,
    easy_read_pages_unique,
    types_have_easy_read,
    easy_read_texts,
    _lists_without_repeats,
    _surcharged_numbers,
    *IMPORT_RULES,
]
"""The rules that span files, in the order their messages are most useful."""


def check_dataset(dataset: Dataset, report: Report, today: dt.date) -> None:
    """Run every rule that spans files."""
    for rule in RULES:
        rule(dataset, report, today)
