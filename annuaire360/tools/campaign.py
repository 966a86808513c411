"""Campaigns (« campagnes d'appels »): the facts to verify by phone, as a call sheet to print and a CSV to fill.

``python build.py campagne [--departement 93] [--avant 2027-01-01]`` lists the fiches never verified, or verified
before the date (by default six months ago, ``coverage.SOON_AFTER_DAYS``), one call per fiche, with the number to
call and, for each fact, the question to ask. Calls and questions come in the order of what matters most to
families: the communauté 360 first, then the services families can call themselves; the phone number first, then
hours… (the weights of ``site/coverage.py``). ``tools/answers.py`` reads the filled CSV back into the data files.

Beside the pipeline: it reads a checked dataset and writes files of its own, never the site.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from jinja2 import Environment
from pydantic import TypeAdapter, ValidationError

from .. import format as fmt
from ..diagnostics import DisplayRule, Report
from ..format.values import Horaires, Telephone, Texte
from ..settings import Settings
from ..site.coverage import COMMUNAUTE_CRITERIA, SOON_AFTER_DAYS, STRUCTURE_CRITERIA
from ..site.model import departement_order
from ..site.text import date_fr, hours_fr
from ..source import Dataset
from ..source.files import DataFile
from ..tabular import write_csv

Kind = Literal["communaute", "structure"]
YamlPath = tuple[str | int, ...]

COLUMNS = [
    "appel", "departement", "fichier", "id", "nom", "numero_a_appeler", "ou_trouver_le_numero", "fait", "question",
    "valeur_actuelle", "reponse", "nouvelle_valeur", "verifie_le", "verifie_par", "remarque",
]
"""The call sheet's columns; the callers fill the last five."""

ANSWERS = {
    "oui": "ce qui est écrit est juste",
    "non": "c'est faux : la bonne valeur est dans nouvelle_valeur",
    "sans objet": "ne s'applique pas à ce service (pas d'accueil sur place, par exemple)",
}
"""What the « reponse » column may say; empty: not asked, or no answer."""


@dataclass(frozen=True)
class Fiche:
    """Something to verify by phone: a structure, or a département's communauté 360, and where it is written."""

    kind: Kind
    id: str  # the structure's identifier, or « communaute-<code> »
    nom: str
    departement: str  # codes of the départements it is about, for the caller's bearings
    file: DataFile
    at: YamlPath  # where its mapping is in the file: ("communaute",), ("structures", 3)…
    record: fmt.Structure | fmt.Communaute360
    order: tuple[Any, ...]  # calls in the order of what matters most to families

    @property
    def phone_contact(self) -> fmt.PointDeContact | None:
        return next((point for point in self.record.contacts if point.telephone), None)


class AnswerError(ValueError):
    """A new value a caller wrote that cannot go in the data, with the French reason."""


def _validated(kind: Any, text: str) -> Any:
    """``text`` validated as a value type of the format, or AnswerError with its French message."""
    try:
        return TypeAdapter(kind).validate_python(text)
    except ValidationError as exc:
        raise AnswerError("; ".join(error["msg"] for error in exc.errors())) from None


def _choice(codes: dict[str, str]) -> Callable[[str], str]:
    def parse(text: str) -> str:
        if text not in codes:
            raise AnswerError(f"« {text} » n'est pas une réponse possible : écrivez {' ou '.join(codes)}")
        return text
    return parse


def _address(text: str) -> tuple[str, str, str]:
    found = re.fullmatch(r"(?P<rue>.+?),\s*(?P<cp>\d{5})\s+(?P<commune>.+)", text)
    if not found:
        raise AnswerError(f"adresse « {text} » : écrivez le numéro et la rue, une virgule, le code postal et la "
                          "commune, par exemple « 1 rue de l'Exemple, 59000 Lille »")
    for part in found.groups():
        _validated(Texte, part)
    return found["rue"], found["cp"], found["commune"]


def _current_phone(f: Fiche) -> str:
    point = f.phone_contact
    return point.telephone.display if point and point.telephone else ""


def _current_hours(f: Fiche) -> str:
    """The hours of the phone line when there is one, else those of the fiche (the reception's)."""
    point = f.phone_contact
    if point is not None:
        return point.horaires or ""
    own = f.record.horaires if isinstance(f.record, fmt.Communaute360) else f.record.horaires_accueil
    return own or ""


def _current_address(f: Fiche) -> str:
    s = f.record
    if not isinstance(s, fmt.Structure) or not s.adresse:
        return ""
    return f"{s.adresse}, {s.code_postal} {s.commune}"


def _current_code(name: str, unknown: str) -> Callable[[Fiche], str]:
    def current(f: Fiche) -> str:
        value = getattr(f.record, name)
        return "" if value == unknown else str(value)
    return current


WEIGHTS: dict[str, int] = {c.code: c.weight for c in STRUCTURE_CRITERIA} | {c.code: c.weight for c in COMMUNAUTE_CRITERIA}
"""How much each fact matters to families: the score's weights, written once in site/coverage.py."""


@dataclass(frozen=True)
class Fact:
    """One thing to ask: how to read it in a fiche, the question, how to check the answer."""

    code: str
    label: str
    kinds: tuple[Kind, ...]
    current: Callable[[Fiche], str]  # as written today, "" when unknown
    ask_known: str  # {valeur}: the current value in words
    ask_missing: str
    parse: Callable[[str], Any]  # a caller's new value → what goes in the file; AnswerError when it cannot
    hint: str  # how to write a new value

    @property
    def weight(self) -> int:
        """The weight of the criterion of the same code in site/coverage.py (0 if the score does not count it):
        the calls ask what matters most to families first."""
        return WEIGHTS.get(self.code, 0)

    def question(self, fiche: Fiche) -> str:
        value = self.current(fiche)
        return self.ask_known.format(valeur=self.words(value)) if value else self.ask_missing

    def words(self, value: str) -> str:
        """A current value as the caller reads it out."""
        if self.code == "horaires":
            return hours_fr(value) or value
        if self.code == "acces":
            return fmt.ACCES[value]
        if self.code == "notification_mdph":
            return fmt.NOTIFICATIONS[value]
        return value


FACTS: list[Fact] = [
    Fact("telephone", "Numéro de téléphone", ("structure", "communaute"), _current_phone,
         "Les familles peuvent-elles toujours vous joindre au {valeur} ?",
         "Quel numéro les familles peuvent-elles appeler ?",
         lambda text: _validated(Telephone, text), "10 chiffres : 03 53 01 23 45"),
    Fact("porteur", "Porteur de la communauté", ("communaute",),
         lambda f: f.record.porteur.nom if isinstance(f.record, fmt.Communaute360) and f.record.porteur else "",
         "La communauté 360 est-elle toujours portée par {valeur} ?",
         "Quelle organisation porte la communauté 360 ?",
         lambda text: _validated(Texte, text), "le nom de l'organisation, tel qu'elle l'écrit"),
    Fact("horaires", "Horaires", ("structure", "communaute"), _current_hours,
         "Vos horaires sont-ils toujours : {valeur} ?",
         "À quelles heures peut-on vous appeler ?",
         lambda text: _validated(Horaires, text),
         "syntaxe OpenStreetMap : Mo-Fr 09:00-12:00,14:00-17:00; PH off"),
    Fact("acces", "Comment y accéder", ("structure",), _current_code("acces", "inconnu"),
         "« {valeur} » Est-ce toujours le cas ?",
         "Une famille peut-elle vous contacter directement, ou faut-il passer par un professionnel ?",
         _choice({k: v for k, v in fmt.ACCES.items() if k != "inconnu"}),
         "direct, professionnel ou direct-ou-professionnel"),
    Fact("notification_mdph", "Notification de la MDPH", ("structure",),
         _current_code("notification_mdph", "inconnu"),
         "« {valeur} » Est-ce toujours le cas ?",
         "Faut-il une notification (décision) de la MDPH pour bénéficier de votre service ?",
         _choice({"oui": "", "non": ""}), "oui ou non"),
    Fact("adresse", "Adresse de l'accueil", ("structure",), _current_address,
         "Votre accueil est-il toujours au {valeur} ?",
         "À quelle adresse les familles peuvent-elles venir ?",
         _address, "1 rue de l'Exemple, 59000 Lille"),
]
"""What a call can verify (each call asks them by weight, most important first)."""
FACT_BY_CODE = {fact.code: fact for fact in FACTS}


# ---------------------------------------------------------------------------
# Which fiches


def fiches(dataset: Dataset) -> Iterator[Fiche]:
    """Every fiche a campaign may verify, in the order of the calls: each département's communauté then its
    structures, then the wider resources, then the national ones."""
    for loaded in dataset.departements:
        record, code = loaded.record, loaded.record.code
        rank = departement_order(code)
        if record.communaute is not None:
            yield Fiche("communaute", f"communaute-{code}", record.communaute.nom, code, loaded.file, ("communaute",),
                        record.communaute, (0, rank, 0))
        for i, s in enumerate(record.structures):
            yield Fiche("structure", s.id, s.nom, code, loaded.file, ("structures", i), s, (0, rank, *_priority(s)))
    for resources in dataset.ressources:
        for i, s in enumerate(resources.record.ressources):
            codes = s.zone_eligibilite.departements if s.zone_eligibilite else []
            yield Fiche("structure", s.id, s.nom, " ".join(codes), resources.file, ("ressources", i), s,
                        (1, min(map(departement_order, codes), default=0), *_priority(s)))
    national = dataset.national
    for i, s in enumerate(national.record.ressources_nationales):
        yield Fiche("structure", s.id, s.nom, "", national.file, ("ressources_nationales", i), s, (2, 0, *_priority(s)))


def _priority(s: fmt.Structure) -> tuple[int, int, str]:
    # Services families may call themselves come first; then a service no one knows how to reach.
    families = 0 if s.acces in ("direct", "direct-ou-professionnel") else 1
    return (1, families, s.nom.casefold())


def due(fiche: Fiche, before: dt.date) -> bool:
    """Never verified, or verified before the date."""
    return fiche.record.verifie_le is None or fiche.record.verifie_le < before


def default_before(today: dt.date) -> dt.date:
    """Verified more than six months ago: due soon (a verification counts a year)."""
    return today - dt.timedelta(days=SOON_AFTER_DAYS)


def select(dataset: Dataset, departements: list[str], before: dt.date) -> list[Fiche]:
    """The fiches to verify, in the order of the calls."""
    wanted = set(departements)
    chosen = [
        f for f in fiches(dataset)
        if due(f, before) and (not wanted or wanted & set(f.departement.split()))
    ]
    return sorted(chosen, key=lambda f: f.order)


# ---------------------------------------------------------------------------
# The call sheet


@dataclass(frozen=True)
class Call:
    """One call: the fiche, who to call, the questions."""

    number: int
    fiche: Fiche
    phone: str
    where: str  # where to find a number when the fiche has none
    questions: list[tuple[Fact, str, str]]  # (fact, question, current value)


def calls(chosen: list[Fiche], national: fmt.NumeroNational) -> list[Call]:
    """Number the calls and ask, for each fiche, every fact that applies, most important first."""
    out = []
    for number, fiche in enumerate(chosen, 1):
        phone, where = _current_phone(fiche), ""
        if not phone and fiche.kind == "communaute":
            phone, where = national.telephone.display, "le numéro national mène à l'équipe du département"
        elif not phone:
            site = getattr(fiche.record, "site_web", None)
            where = site or fiche.record.sources[0].url
        facts = sorted((f for f in FACTS if fiche.kind in f.kinds), key=lambda f: -f.weight)
        out.append(Call(number, fiche, phone, where, [(f, f.question(fiche), f.current(fiche)) for f in facts]))
    return out


def sheet_csv(sheet: list[Call]) -> bytes:
    """The CSV the callers fill and ``build.py campagne --reponses`` reads back."""
    rows = (
        [str(call.number), call.fiche.departement, call.fiche.file.repository_path, call.fiche.id, call.fiche.nom,
         call.phone, call.where, fact.code, question, current, "", "", "", "", ""]
        for call in sheet for fact, question, current in call.questions
    )
    return write_csv(COLUMNS, rows)


def sheet_html(env: Environment, sheet: list[Call], title: str, today: dt.date) -> bytes:
    """The printable call sheet."""
    page = env.get_template("outils/campagne.html").render(
        calls=sheet, titre=title, today=today, answers=ANSWERS, verificateurs=fmt.VERIFICATEURS, facts=FACTS,
    )
    return page.encode("utf-8")


def sheet_name(departements: list[str], today: dt.date) -> str:
    """« campagne-93-2027-01-05 », « campagne-france-2027-01-05 »."""
    return f"campagne-{'-'.join(departements).lower() or 'france'}-{today.isoformat()}"


def write_sheet(folder: Path, name: str, csv_data: bytes, html: bytes) -> list[Path]:
    """Write the CSV and the printable page; their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for suffix, data in ((".csv", csv_data), (".html", html)):
        path = folder / f"{name}{suffix}"
        path.write_bytes(data)
        written.append(path)
    return written


# ---------------------------------------------------------------------------
# The command


def run(settings: Settings, *, departements: list[str], before: dt.date | None, out: Path | None,
        answers: Path | None) -> int:
    """``build.py campagne``: write a call sheet, or (``answers``) read a filled one back. Exit code 0, or 1."""
    from ..site.render import make_environment
    from . import checked_dataset
    from .answers import apply_answers

    report = Report()
    dataset = checked_dataset(settings, report)
    if dataset is None:
        return 1
    paths = settings.paths
    shown = DisplayRule(Path.cwd())  # the files the contributor named or will open, as they can find them
    if answers is not None:
        outcome = apply_answers(answers, shown(answers), paths, dataset, report, settings.today)
        report.print(sys.stderr)
        if outcome is None:
            print("Aucun fichier n'a été modifié : corrigez la feuille d'appels, puis relancez.", file=sys.stderr)
            return 1
        changed = ", ".join(paths.display(p) for p in outcome.files) or "aucun"
        print(f"Réponses reportées : {len(outcome.verified)} fiche(s) vérifiée(s), {outcome.corrections} "
              f"correction(s) ; fichiers modifiés : {changed} ; {outcome.unanswered} fiche(s) sans réponse. "
              "Relisez les modifications (git diff) avant de les proposer.")
        return 0
    when = before or default_before(settings.today)
    sheet = calls(select(dataset, departements, when), dataset.national.record.numero_national)
    where = ", ".join(departements) or "toute la France"
    title = f"Campagne d'appels : {where} (fiches jamais vérifiées ou vérifiées avant le {date_fr(when)})"
    env = make_environment(paths.templates)
    name = sheet_name(departements, settings.today)
    written = write_sheet(out or paths.root / "campagnes", name, sheet_csv(sheet), sheet_html(env, sheet, title,
                                                                                             settings.today))
    questions = sum(len(call.questions) for call in sheet)
    print(f"Feuille d'appels : {len(sheet)} appel(s), {questions} question(s) ; "
          f"{', '.join(shown(p) for p in written)}.")
    return 0
