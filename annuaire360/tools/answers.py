"""A filled call sheet back into the data files: ``python build.py campagne --reponses fichier.csv``.

Every answer is checked first, each mistake a located French message (``fichier.csv:ligne:colonne``); a fiche
changes only when every question about it was answered and the call is dated and signed with a role
(``verifie_le``, ``verifie_par``). The edits are made on the contributor's YAML as it is written (ruamel.yaml's
round trip keeps comments, quotes and layout), the whole data folder is checked again as ``check`` would, and
only then each file is replaced, atomically. On any error nothing is written.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from .. import format as fmt
from ..diagnostics import Report, quoted, suggest
from ..errors import system_message
from ..format.values import Phone
from ..settings import Paths
from ..source import Dataset, read_dataset
from ..tabular import read_csv
from .campaign import ANSWERS, COLUMNS, FACT_BY_CODE, AnswerError, Fact, Fiche, fiches


@dataclass
class Answer:
    """One filled row of the sheet."""

    line: int
    fact: Fact
    reponse: str
    value: Any  # the parsed new value, None when the answer confirms or does not apply
    current: str  # « valeur_actuelle » as the sheet said
    verified: tuple[dt.date, str]


@dataclass
class Outcome:
    """What reading the answers changed."""

    verified: list[Fiche] = field(default_factory=list)
    corrections: int = 0
    unanswered: int = 0  # fiches nobody could ask
    files: list[Path] = field(default_factory=list)


def column_name(index: int) -> str:
    """The spreadsheet's name of a column: 0 → A, 26 → AA."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(ord("A") + rest) + name
    return name


class Sheet:
    """Reads the rows of a filled sheet, reporting each mistake at its line and column."""

    def __init__(self, display: str, report: Report, today: dt.date) -> None:
        self.display, self.report, self.today = display, report, today

    def error(self, line: int, column: str, message: str) -> None:
        index = COLUMNS.index(column)
        self.report.error(self.display, line, index + 1,
                          f"colonne {column_name(index)} ({column}) : {message}")

    def rows(self, text: str) -> list[tuple[int, dict[str, str]]]:
        found = list(read_csv(text))
        if not found or found[0][1] != COLUMNS:
            self.report.error(self.display, 1, 1, "ce n'est pas une feuille d'appels : la première ligne doit être "
                              f"{','.join(COLUMNS)} (utilisez le fichier écrit par « build.py campagne »)")
            return []
        out = []
        for line, cells in found[1:]:
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(COLUMNS):
                self.report.error(self.display, line, 1, f"{len(cells)} colonnes au lieu de {len(COLUMNS)} : "
                                  "ne supprimez ni n'ajoutez de colonne")
                continue
            out.append((line, {name: cell.strip() for name, cell in zip(COLUMNS, cells, strict=True)}))
        return out

    def answer(self, line: int, row: dict[str, str], fiche: Fiche) -> Answer | None:
        """One row checked against the fiche as it is today; None (with messages) when it cannot be used."""
        fact = FACT_BY_CODE.get(row["fait"])
        if fact is None or fiche.kind not in fact.kinds:
            self.error(line, "fait", f"fait {quoted(row['fait'])} inconnu{suggest(row['fait'], FACT_BY_CODE)} : "
                       "ne modifiez pas les colonnes remplies par build.py campagne")
            return None
        reponse, new = row["reponse"].lower(), row["nouvelle_valeur"]
        if not reponse and not new:
            return None  # not asked, or no answer: the fiche will not change
        if fact.current(fiche) != row["valeur_actuelle"]:
            self.error(line, "valeur_actuelle", f"la fiche {quoted(fiche.nom)} a changé depuis la feuille d'appels "
                       f"({quoted(row['valeur_actuelle'])} est devenu {quoted(fact.current(fiche))}) : refaites la feuille "
                       "avec build.py campagne, puis reportez-y les réponses")
            return None
        value = self._value(line, fact, reponse, new, row["valeur_actuelle"])
        verified = self._verified(line, row)
        if value is False or verified is None:
            return None
        return Answer(line, fact, reponse or "non", value, row["valeur_actuelle"], verified)

    def _value(self, line: int, fact: Fact, reponse: str, new: str, current: str) -> Any:
        """The parsed new value, None when there is none to write, False (with a message) on a mistake."""
        if reponse and reponse not in ANSWERS:
            self.error(line, "reponse", f"réponse {quoted(reponse)} inconnue{suggest(reponse, ANSWERS)} : écrivez "
                       + ", ".join(f"« {code} » ({meaning})" for code, meaning in ANSWERS.items())
                       + ", ou laissez vide si la question n'a pas été posée")
            return False
        if reponse in ("oui", "sans objet") and new:
            self.error(line, "nouvelle_valeur", f"réponse {quoted(reponse)} et une nouvelle valeur : écrivez « non » "
                       "dans reponse si l'information a changé, sinon videz nouvelle_valeur")
            return False
        if reponse == "oui" and not current:
            self.error(line, "reponse", "« oui » mais rien n'est écrit à confirmer : écrivez la réponse du service "
                       f"dans nouvelle_valeur ({fact.hint})")
            return False
        if reponse == "non" and not new:
            self.error(line, "nouvelle_valeur", "réponse « non » sans nouvelle valeur : écrivez la bonne "
                       f"information ({fact.hint}), ou « sans objet » dans reponse si elle ne s'applique pas")
            return False
        if not new:
            return None
        try:
            return fact.parse(new)
        except AnswerError as exc:
            self.error(line, "nouvelle_valeur", f"{exc} ({fact.label.lower()})")
            return False

    def _verified(self, line: int, row: dict[str, str]) -> tuple[dt.date, str] | None:
        """The day of the call and who made it, checked; None (with a message) when missing or wrong."""
        day, role = row["verifie_le"], row["verifie_par"]
        try:
            date = dt.date.fromisoformat(day)
        except ValueError:
            self.error(line, "verifie_le", f"date {quoted(day)} illisible : écrivez le jour de l'appel au format "
                       "AAAA-MM-JJ, par exemple 2027-03-03" if day else "date de l'appel manquante : écrivez le "
                       "jour de l'appel au format AAAA-MM-JJ")
            return None
        if date > self.today:
            self.error(line, "verifie_le", f"date {date} dans le futur : écrivez le jour de l'appel")
            return None
        if role not in fmt.VERIFICATEURS:
            self.error(line, "verifie_par", f"{quoted(role)} n'est pas un rôle connu{suggest(role, fmt.VERIFICATEURS)} : "
                       "écrivez qui a appelé, par son rôle et jamais par son nom : " + ", ".join(fmt.VERIFICATEURS))
            return None
        return date, role


def read_answers(text: str, display: str, dataset: Dataset, report: Report, today: dt.date) -> dict[str, list[Answer]]:
    """Every usable answer, by fiche id; every mistake reported (the caller writes nothing if there is one)."""
    sheet = Sheet(display, report, today)
    known = {f.id: f for f in fiches(dataset)}
    by_fiche: dict[str, list[Answer]] = defaultdict(list)
    seen: dict[tuple[str, str], int] = {}
    for line, row in sheet.rows(text):
        fiche = known.get(row["id"])
        if fiche is None or fiche.file.repository_path != row["fichier"]:
            sheet.error(line, "id", f"{quoted(row['id'])} n'est pas (ou plus) dans {quoted(row['fichier'])}{suggest(row['id'], known)}"
                        " : ne modifiez pas les colonnes remplies par build.py campagne")
            continue
        if (fiche.id, row["fait"]) in seen:
            sheet.error(line, "fait", f"question déjà posée ligne {seen[fiche.id, row['fait']]} : gardez une seule "
                        "ligne par question")
            continue
        seen[fiche.id, row["fait"]] = line
        answer = sheet.answer(line, row, fiche)
        if answer is not None:
            by_fiche[fiche.id].append(answer)
    return by_fiche


# ---------------------------------------------------------------------------
# Editing the YAML as written


def yaml_round_trip() -> YAML:
    """ruamel.yaml in round-trip mode, set to the layout of the data files (tests check a load-dump changes
    no byte of any of them)."""
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold a long line the contributor wrote on one line
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _node(document: Any, at: tuple[str | int, ...]) -> CommentedMap:
    node = document
    for part in at:
        node = node[part]
    assert isinstance(node, CommentedMap)
    return node


def _quoted(text: str) -> str:
    """A value written between double quotes, as the guide asks for phones, postcodes and hours."""
    quoted: str = DoubleQuotedScalarString(text)
    return quoted


def _phone_contact(node: CommentedMap, kind: str, create: bool) -> CommentedMap | None:
    contacts = node.get("contacts")
    for point in contacts or []:
        if point.get("telephone"):
            return point  # type: ignore[no-any-return]
    if not create:
        return None
    if contacts is None:
        contacts = node["contacts"] = CommentedSeq()
    point = CommentedMap(libelle="Coordination" if kind == "communaute" else "Accueil")
    contacts.append(point)
    return point


def apply(node: CommentedMap, fiche: Fiche, answer: Answer) -> None:
    """Write one new value into a fiche's mapping."""
    code, value = answer.fact.code, answer.value
    if code == "telephone":
        assert isinstance(value, Phone)
        point = _phone_contact(node, fiche.kind, create=True)
        assert point is not None
        point["telephone"] = _quoted(value.display)
    elif code == "horaires":  # the phone line's hours when there is one, as campaign._current_hours reads them
        point = _phone_contact(node, fiche.kind, create=False)
        own = "horaires" if fiche.kind == "communaute" else "horaires_accueil"
        target, key = (point, "horaires") if point is not None else (node, own)
        target[key] = _quoted(value)
    elif code == "porteur":
        if node.get("porteur") is None:
            node["porteur"] = CommentedMap()
        node["porteur"]["nom"] = value
    elif code == "adresse":
        street, postcode, town = value
        if node.get("commune") != town:
            node.pop("code_insee", None)  # the INSEE code of another commune would be wrong
        node["adresse"], node["code_postal"], node["commune"] = street, _quoted(postcode), town
    else:  # acces, notification_mdph: a code of a closed list
        node[code] = value


def edited_text(text: str, edits: list[tuple[Fiche, list[Answer]]]) -> str:
    """The file's new text: each verified fiche's corrections, then its verification date and role."""
    yaml = yaml_round_trip()
    document = yaml.load(text)
    for fiche, answers in edits:
        node = _node(document, fiche.at)
        for answer in answers:
            if answer.value is not None:
                apply(node, fiche, answer)
        date, role = answers[0].verified
        node["verifie_le"], node["verifie_par"] = date, role
    out = io.StringIO()
    yaml.dump(document, out)
    return out.getvalue()


def write_atomically(path: Path, text: str) -> None:
    """Replace a file's content in one step: a reader sees the old file or the new one, never half of it."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        shutil.copymode(path, temporary)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# ---------------------------------------------------------------------------
# The whole round trip


def _complete(sheet: Sheet, answers: list[Answer], fiche: Fiche, asked: int) -> bool:
    """Whether a fiche was fully answered, with one date and one role; a warning or an error when not."""
    dated = {a.verified for a in answers}
    if len(dated) > 1:
        sheet.error(answers[-1].line, "verifie_le", f"{quoted(fiche.nom)} : plusieurs dates ou rôles de vérification "
                    "pour un même appel : écrivez les mêmes verifie_le et verifie_par sur chacune de ses lignes")
        return False
    if len(answers) < asked:
        sheet.report.warning(sheet.display, answers[0].line, 1, f"{quoted(fiche.nom)} : {asked - len(answers)} "
                             "question(s) sans réponse : la fiche n'est pas modifiée ; répondez à toutes ses "
                             "questions (« sans objet » si l'une ne s'applique pas)")
        return False
    return True


def apply_answers(csv_path: Path, display: str, paths: Paths, dataset: Dataset, report: Report,
                  today: dt.date) -> Outcome | None:
    """Read a filled sheet and write its answers into the data files; None (nothing written) on any error."""
    try:
        text = csv_path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        report.error(display, 1, 1, f"feuille d'appels illisible ({system_message(exc)}) : vérifiez son chemin")
        return None
    except UnicodeDecodeError:
        report.error(display, 1, 1, "feuille d'appels illisible (ce n'est pas de l'UTF-8) : enregistrez-la au format "
                     "CSV, en UTF-8")
        return None
    sheet = Sheet(display, report, today)
    answered = read_answers(text, display, dataset, report, today)
    asked = _questions_per_fiche(text)
    outcome = Outcome()
    by_file: dict[Path, list[tuple[Fiche, list[Answer]]]] = defaultdict(list)
    known = {f.id: f for f in fiches(dataset)}
    for fiche_id, answers in answered.items():
        fiche = known[fiche_id]
        if _complete(sheet, answers, fiche, asked[fiche_id]):
            by_file[fiche.file.path].append((fiche, answers))
            outcome.verified.append(fiche)
            outcome.corrections += sum(1 for a in answers if a.value is not None)
    outcome.unanswered = len(set(asked) - set(answered))
    if report.errors:
        return None
    new_texts = {path: edited_text(path.read_text(encoding="utf-8"), edits) for path, edits in sorted(by_file.items())}
    if not _still_valid(paths, new_texts, report, today):
        return None
    for path, new in new_texts.items():
        write_atomically(path, new)
        outcome.files.append(path)
    return outcome


def _questions_per_fiche(text: str) -> dict[str, int]:
    counted: dict[str, int] = defaultdict(int)
    for _, cells in list(read_csv(text))[1:]:
        if len(cells) == len(COLUMNS) and cells[COLUMNS.index("id")].strip():
            counted[cells[COLUMNS.index("id")].strip()] += 1
    return counted


def _still_valid(paths: Paths, new_texts: dict[Path, str], report: Report, today: dt.date) -> bool:
    """Check a copy of the data folder with the edited files, as ``check`` would (the copy is named « data »,
    so messages name the files as the contributor knows them)."""
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "data"
        shutil.copytree(paths.data, copy)
        for path, text in new_texts.items():
            (copy / path.relative_to(paths.data)).write_text(text, encoding="utf-8")
        found = Report()
        read_dataset(paths.with_(data=copy), found, today)
        for item in found.errors:
            report.error(item.path, item.line, item.column,
                         f"après avoir reporté les réponses : {item.message} (aucun fichier n'a été modifié)")
        return not found.errors
