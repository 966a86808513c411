"""Easy-read texts (facile à lire et à comprendre, FALC): the rules a program can measure, as located warnings.

The European easy-to-read standards (« L'information pour tous », Inclusion Europe with Unapei and Nous
Aussi) ask for short sentences, one idea per sentence and per line, everyday words, no abbreviation without
its explanation, numbers in digits, no italics. Some of that can be measured: ``check`` warns, on the line
of data/facile-a-lire.yaml or data/types.yaml, and never fails (a warning is advice to a writer). Whether
a text is really easy to read is decided by people with an intellectual disability who read it, not here:
see content/ecrire-facile-a-lire.md.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .. import format as fmt
from ..diagnostics import Report
from ..format.content import NUMBER_TOKEN
from ..format.glossary import ACRONYMS
from .load import Document, Path_

if TYPE_CHECKING:
    from .dataset import Dataset

MAX_WORDS = 15
"""Most words in one sentence. The European rules say « short » without a number; easy-read writers aim
at about 12 (content/ecrire-facile-a-lire.md gives the sources); 15 leaves room for a name or a place."""

GUIDE = "content/ecrire-facile-a-lire.md"

# A sentence ends with . ! ? or … followed by a blank; "0 800 360 360" or "1er" never end one.
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
_LETTERS = "A-Za-zÀ-ÖØ-öø-ÿŒœ"
_WORD = re.compile(rf"{re.escape(NUMBER_TOKEN)}|[0-9]+(?:[\s\u202f][0-9]{{3}})*|[{_LETTERS}]+(?:['’-][{_LETTERS}]+)*")
_ACRONYM = re.compile(r"(?<![\w-])[A-ZÀ-ÖØ-Þ]{2,}[0-9]*(?![\w-])")
_ITALIC = re.compile(r"(?<![*\w])\*(?!\*)\S[^*]*?\*(?![*\w])|(?<![_\w])_\S[^_]*?_(?![_\w])")
# Numbers written as words (« neuf » is left out: it also means « new »; « un », « une » are articles).
_NUMBER_WORDS = [
    "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "dix", "onze", "douze", "treize", "quatorze", "quinze",
    "seize", "vingt", "vingts", "trente", "quarante", "cinquante", "soixante", "cent", "cents", "mille",
]


def sentences(text: str) -> list[str]:
    """The sentences of a text, in order (a type's easy-read text is shown one sentence per line)."""
    return [part for part in _SENTENCE_END.split(text.strip()) if part]


def words(sentence: str) -> list[str]:
    """The words of a sentence; the national number's token and a number in digits count as one word."""
    return _WORD.findall(sentence)


def normalised(text: str) -> str:
    """Lower case, without accents, apostrophes and blanks made alike: how explanations are looked for."""
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'"))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def _whole_words(forms: list[str]) -> re.Pattern[str]:
    alternatives = "|".join(r"\s+".join(map(re.escape, form.split())) for form in sorted(forms, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)


_NUMBER_WORD = _whole_words(_NUMBER_WORDS)


@dataclass(frozen=True)
class Line:
    """One line of an easy-read text, and where it is written."""

    text: str
    loc: Path_
    title: bool = False  # a heading: an acronym there may be explained by the sentence that follows it
    several_sentences: bool = False  # a type's text: the site shows each of its sentences on its own line


@dataclass(frozen=True)
class Text:
    """A text read as a whole (a page, a type): an acronym must be explained in it before it is used."""

    doc: Document
    lines: list[Line]
    context: str = ""  # what the reader already sees: a type's name above its easy-read text


@dataclass(frozen=True)
class Checker:
    """The measurable rules, with the glossary and the hard words of the dataset."""

    glossary: dict[str, str]  # sigle → its words (type sigles from data/types.yaml, then format.glossary)
    hard_words: list[tuple[re.Pattern[str], fmt.MotDifficile]]

    @classmethod
    def of(cls, dataset: Dataset) -> Checker:
        glossary = {t.sigle: t.libelle for t in dataset.types.record.types if t.sigle}
        glossary.update({sigle: words for sigle, (words, _) in ACRONYMS.items() if sigle not in glossary})
        hard = [(_whole_words([w.mot, *w.formes]), w) for w in dataset.facile_a_lire.record.mots_difficiles]
        return cls(glossary, hard)

    def check(self, text: Text, report: Report) -> None:
        """Every rule on every line of a text."""
        for line in text.lines:
            for offset, message in self.line_problems(line):
                report.warning(text.doc.display, *_position(text.doc, line, offset), message)
        for line, offset, message in self.acronym_problems(text):
            report.warning(text.doc.display, *_position(text.doc, line, offset), message)

    def line_problems(self, line: Line) -> Iterator[tuple[int, str]]:
        """(offset in the line, message) of each rule a line breaks, acronyms aside."""
        parts = sentences(line.text)
        if len(parts) > 1 and not line.several_sentences:
            yield line.text.find(parts[1]), (
                f"une ligne, une idée : cette ligne a {len(parts)} phrases ; mettez chaque phrase sur sa propre "
                "ligne (un nouvel élément de la liste)"
            )
        for part in parts:
            count = len(words(part))
            if count > MAX_WORDS:
                yield line.text.find(part), (
                    f"phrase de {count} mots ({MAX_WORDS} au plus) : coupez-la en phrases courtes, une idée par phrase"
                )
        for pattern, hard in self.hard_words:
            for match in pattern.finditer(line.text):
                yield match.start(), f"« {match.group(0)} » est un mot difficile : écrivez plutôt « {hard.remplacer_par} »"
        for match in _NUMBER_WORD.finditer(line.text):
            yield match.start(), f"écrivez les nombres en chiffres : « {match.group(0)} » → en chiffres (2, 3, 10…)"
        for match in _ITALIC.finditer(line.text):
            yield match.start(), (
                f"pas d'italique ({match.group(0)}) : il est difficile à lire ; pour un mot important, écrivez-le en "
                "gras, entre deux paires d'étoiles (**mot**)"
            )

    def acronym_problems(self, text: Text) -> Iterator[tuple[Line, int, str]]:
        """Acronyms used before their words are written in the same text, or unknown to the glossary."""
        first: dict[str, tuple[Line, int]] = {}  # first use in a sentence (else in a heading)
        for line in text.lines:
            for match in _ACRONYM.finditer(line.text):
                known = first.get(match.group(0))
                if known is None or (known[0].title and not line.title):
                    first[match.group(0)] = (line, match.start())
        for sigle, (line, offset) in first.items():
            meaning = self.glossary.get(sigle)
            if meaning is None:
                yield line, offset, (
                    f"« {sigle} » : sigle inconnu du glossaire, ou mot en capitales ; écrivez les mots en entier, en "
                    "minuscules (un sigle connu s'ajoute dans annuaire360/format/glossary.py)"
                )
            elif not self._explained(text, line, normalised(meaning)):
                yield line, offset, (
                    f"« {sigle} » n'est pas expliqué : écrivez avant, ou dans la même phrase, ce qu'il veut dire "
                    f"(« {meaning} »), ou n'utilisez pas le sigle"
                )

    @staticmethod
    def _explained(text: Text, use: Line, meaning: str) -> bool:
        """Whether the words of an acronym are written in the text up to its first use (or the reader sees them)."""
        if meaning in normalised(text.context):
            return True
        for line in text.lines:
            if meaning in normalised(line.text):
                return True
            if line is use:
                return False
        return False


def _position(doc: Document, line: Line, offset: int) -> tuple[int, int]:
    """Where a piece of a line is in the file: found after the value's start, else the value's start."""
    start_line, start_column = doc.locate(line.loc)
    probe = line.text[offset:offset + 12].split("\n")[0]
    lines = doc.text.splitlines()
    for number in range(start_line - 1, min(len(lines), start_line + 40)):
        found = lines[number].find(probe, start_column - 1 if number == start_line - 1 else 0) if probe else -1
        if found >= 0:
            return number + 1, found + 1
    return start_line, start_column


def _part_lines(partie: fmt.PartieFacileALire, where: Path_) -> Iterator[Line]:
    yield Line(partie.titre, (*where, "titre"), title=True)
    for i, phrase in enumerate(partie.phrases):
        yield Line(phrase, (*where, "phrases", i))
    for i, lien in enumerate(partie.liens):
        yield Line(lien.texte, (*where, "liens", i, "texte"), title=True)


def _page_lines(page: fmt.AccueilFacileALire, where: Path_) -> list[Line]:
    lines = [Line(page.titre, (*where, "titre"), title=True), Line(page.description, (*where, "description"), title=True)]
    for i, partie in enumerate(page.parties):
        lines.extend(_part_lines(partie, (*where, "parties", i)))
    return lines


def texts(dataset: Dataset) -> Iterator[Text]:
    """Every easy-read text of the dataset: the pages of data/facile-a-lire.yaml, then each type's."""
    loaded = dataset.facile_a_lire
    record, doc = loaded.record, loaded.doc
    yield Text(doc, _page_lines(record.accueil, ("accueil",)))
    yield Text(doc, [Line(text, ("pas_encore_relu", i)) for i, text in enumerate(record.pas_encore_relu)])
    for i, page in enumerate(record.pages):
        yield Text(doc, _page_lines(page, ("pages", i)))
    types = dataset.types
    for i, type_ in enumerate(types.record.types):
        if type_.facile_a_lire:
            heading = f"{type_.libelle} ({type_.sigle})" if type_.sigle else type_.libelle
            line = Line(type_.facile_a_lire, ("types", i, "facile_a_lire"), several_sentences=True)
            yield Text(types.doc, [line], context=heading)


def easy_read_texts(dataset: Dataset, report: Report, today: dt.date) -> None:
    """The easy-read texts follow the measurable rules of « L'information pour tous » (warnings)."""
    checker = Checker.of(dataset)
    for text in texts(dataset):
        checker.check(text, report)


def easy_read_pages_unique(dataset: Dataset, report: Report, today: dt.date) -> None:
    """Each easy-read page has its own address."""
    loaded = dataset.facile_a_lire
    seen: set[str] = set()
    for i, page in enumerate(loaded.record.pages):
        if page.adresse in seen:
            line, column = loaded.doc.locate(("pages", i, "adresse"))
            report.error(loaded.doc.display, line, column,
                         f"adresse « {page.adresse} » déjà utilisée par une autre page facile à lire : choisissez-en une autre")
        seen.add(page.adresse)


def types_have_easy_read(dataset: Dataset, report: Report, today: dt.date) -> None:
    """Each type of structure has its easy-read text (a warning: a new type may wait for its text)."""
    types = dataset.types
    for i, type_ in enumerate(types.record.types):
        if not type_.facile_a_lire:
            line, column = types.doc.locate(("types", i, "explication"), key=True)
            report.warning(
                types.doc.display, line, column,
                f"le type « {type_.code} » n'a pas de texte facile à lire : ajoutez facile_a_lire sous explication "
                f"(2 à 4 phrases très courtes ; règles dans {GUIDE})",
            )
