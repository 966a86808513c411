"""What the directory knows: the completeness of each fiche, each département and France, from one table.

The criteria are tables (``STRUCTURE_CRITERIA``, ``COMMUNAUTE_CRITERIA``): each a question about a fiche,
with a weight that says how much it matters to a family looking for help, and its French label. The
coverage page explains the score from these tables; the département pages, the home page, the campaign
command (``tools/campaign.py``) and the reminders (``tools/reminders.py``) all read them from here.

Pure functions over the site model, one pass over the structures: thousands of imported structures cost
milliseconds.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Generic, Literal, TypeVar

from .. import format as fmt
from ..source.dataset import STALE_AFTER_DAYS
from .model import Annuaire, DepartementView, StructureView, departement_order

SOON_AFTER_DAYS = 186
"""A verification older than this is due soon (awesome-selfhosted's warning threshold; the error one is
``STALE_AFTER_DAYS``, a year)."""

Fiche = TypeVar("Fiche")


@dataclass(frozen=True)
class Criterion(Generic[Fiche]):
    """One thing a fiche may say, and how much it matters to families (its weight)."""

    code: str
    label: str  # completes « Ce qui est connu : … »; starts with a lower-case letter
    weight: int
    why: str  # one plain sentence for the page that explains the score
    met: Callable[[Fiche, dt.date], bool]

    @property
    def title(self) -> str:
        """The label as a heading or a table cell: its first letter in capitals."""
        return self.label[:1].upper() + self.label[1:]


# ---------------------------------------------------------------------------
# Questions about a fiche


def freshest_source(fiche: fmt.Provenance) -> dt.date:
    """The day its most recent source was read."""
    return max(source.consulte_le for source in fiche.sources)


def is_recent(day: dt.date | None, today: dt.date, days: int = STALE_AFTER_DAYS) -> bool:
    """Whether ``day`` is at most ``days`` before today."""
    return day is not None and (today - day).days <= days


def known_since(fiche: fmt.Provenance) -> dt.date:
    """The most recent day someone read or checked it: its last verification, else its freshest source."""
    return max(filter(None, (fiche.verifie_le, freshest_source(fiche))))


Freshness = Literal["a-jour", "bientot", "ancienne", "jamais"]


def freshness(fiche: fmt.Provenance, today: dt.date) -> Freshness:
    """Verified less than six months ago, less than a year ago (due soon), over a year ago, or never."""
    if fiche.verifie_le is None:
        return "jamais"
    if is_recent(fiche.verifie_le, today, SOON_AFTER_DAYS):
        return "a-jour"
    return "bientot" if is_recent(fiche.verifie_le, today) else "ancienne"


def has_phone(contacts: list[fmt.PointDeContact]) -> bool:
    return any(point.telephone for point in contacts)


def _structure_hours(s: fmt.Structure, _today: dt.date) -> bool:
    return bool(s.horaires_accueil) or any(point.horaires for point in s.contacts)


def _structure_public(s: fmt.Structure, _today: dt.date) -> bool:
    p = s.public
    return bool(p.situations) or p.age_min is not None or p.age_max is not None


STRUCTURE_CRITERIA: list[Criterion[fmt.Structure]] = [
    Criterion("telephone", "un numéro de téléphone", 3,
              "Le téléphone est le premier moyen de joindre un service.",
              lambda s, _t: has_phone(s.contacts)),
    Criterion("verifiee", "une vérification par une personne il y a moins d'un an", 3,
              "Quelqu'un a appelé le service pour confirmer ce qui est écrit : c'est ce qui rend une fiche sûre.",
              lambda s, t: is_recent(s.verifie_le, t)),
    Criterion("horaires", "des horaires", 2,
              "Savoir quand appeler ou passer évite des appels et des trajets pour rien.",
              _structure_hours),
    Criterion("acces", "comment y accéder (directement ou par un professionnel)", 1,
              "Une famille sait si elle peut appeler elle-même.",
              lambda s, _t: s.acces != "inconnu"),
    Criterion("public", "à qui il s'adresse (âges ou handicaps)", 1,
              "Une famille sait si le service est pour elle.",
              _structure_public),
    Criterion("adresse", "une adresse", 1,
              "Pour s'y rendre, ou savoir où le service se trouve.",
              lambda s, _t: s.adresse is not None),
    Criterion("source_recente", "une source lue il y a moins d'un an", 1,
              "Une page publique lue récemment dit que le service existe toujours.",
              lambda s, t: is_recent(freshest_source(s), t)),
]
"""What a structure's fiche may say, by what matters most to families."""


def _members_named(d: DepartementView, _today: dt.date) -> bool:
    return bool(d.community)  # communaute.membres names at least one structure of the directory


COMMUNAUTE_CRITERIA: list[Criterion[DepartementView]] = [
    Criterion("decrite", "la communauté 360 décrite", 3,
              "Une famille sait qui répond au numéro national dans son département.",
              lambda d, _t: d.communaute is not None),
    Criterion("verifiee", "une vérification par une personne il y a moins d'un an", 3,
              "Quelqu'un a confirmé auprès de la communauté ce qui est écrit.",
              lambda d, t: d.communaute is not None and is_recent(d.communaute.verifie_le, t)),
    Criterion("porteur", "son porteur", 2,
              "On sait quelle organisation la porte.",
              lambda d, _t: d.communaute is not None and d.communaute.porteur is not None),
    Criterion("contact", "un contact local (téléphone, courriel ou formulaire)", 2,
              "Les professionnels peuvent joindre l'équipe du département.",
              lambda d, _t: d.communaute is not None and bool(d.communaute.contacts)),
    Criterion("membres", "ses membres (liste membres du bloc communaute)", 2,
              "On sait quels services travaillent ensemble dans la communauté.",
              _members_named),
    Criterion("source_recente", "une source lue il y a moins d'un an", 1,
              "Une page publique lue récemment la décrit.",
              lambda d, t: d.communaute is not None and is_recent(freshest_source(d.communaute), t)),
]
"""What the communauté 360 of a département may say."""

COMMUNAUTE_SHARE = 50
"""Percent of a département's score that comes from its communauté 360; the rest is the mean of its
structures' scores (a département with no structure gets nothing for that part)."""


@dataclass(frozen=True)
class Level:
    """A band of scores, named in words (never shown by colour alone)."""

    rank: int  # 0 (least known) … 3: the map's pattern and the legend's order
    minimum: int  # lowest score of the band, out of 100
    label: str

    @property
    def words(self) -> str:
        """The label inside a sentence: « informations partielles »."""
        return self.label[:1].lower() + self.label[1:]


LEVELS: list[Level] = [
    Level(0, 0, "Informations très incomplètes"),
    Level(1, 25, "Informations partielles"),
    Level(2, 50, "Informations assez complètes"),
    Level(3, 80, "Informations complètes"),
]


def level_of(score: int) -> Level:
    """The band a score (out of 100) falls in."""
    return [level for level in LEVELS if score >= level.minimum][-1]


@dataclass(frozen=True)
class Score(Generic[Fiche]):
    """Which criteria a fiche meets, and its score out of 100."""

    met: frozenset[str]
    points: int
    total: int

    @property
    def percent(self) -> int:
        return percent(self.points, self.total)


def percent(part: float, whole: float) -> int:
    """``part`` out of ``whole`` as a whole percentage, halves rounded up (0 for an empty whole)."""
    return int(100 * part / whole + 0.5) if whole else 0


def score(fiche: Fiche, criteria: list[Criterion[Fiche]], today: dt.date) -> Score[Fiche]:
    """Score a fiche against a table of criteria."""
    met = frozenset(c.code for c in criteria if c.met(fiche, today))
    return Score(met, sum(c.weight for c in criteria if c.code in met), sum(c.weight for c in criteria))


# ---------------------------------------------------------------------------
# A département, and France


@dataclass
class DepartementCoverage:
    """What is known about one département: its communauté, its structures, its score."""

    departement: DepartementView
    communaute: Score[DepartementView]
    members: list[tuple[StructureView, Score[fmt.Structure]]]
    today: dt.date

    @cached_property
    def score(self) -> int:
        members = sum(s.points / s.total for _, s in self.members) / len(self.members) if self.members else 0.0
        part = self.communaute.points / self.communaute.total
        return percent(COMMUNAUTE_SHARE * part + (100 - COMMUNAUTE_SHARE) * members, 100)

    @property
    def level(self) -> Level:
        return level_of(self.score)

    def count(self, code: str) -> int:
        """How many of its structures meet a structure criterion."""
        return sum(1 for _, s in self.members if code in s.met)

    @property
    def phones_verified(self) -> int:
        """Structures with a phone number verified by a person less than a year ago."""
        return sum(1 for _, s in self.members if {"telephone", "verifiee"} <= s.met)

    @property
    def fiches(self) -> list[fmt.Provenance]:
        """Its communauté (when described) and its structures: what can be verified."""
        own = [self.departement.communaute] if self.departement.communaute else []
        return [*own, *(view.data for view, _ in self.members)]

    @property
    def verified(self) -> int:
        """Fiches verified by a person less than a year ago."""
        return sum(1 for fiche in self.fiches if is_recent(fiche.verifie_le, self.today))

    @property
    def oldest(self) -> dt.date | None:
        """The least fresh fiche: the day its information was last read or checked."""
        return min((known_since(fiche) for fiche in self.fiches), default=None)

    @property
    def members_by_type(self) -> list[tuple[fmt.TypeStructure, int]]:
        """How many structures of each type, in the order of data/types.yaml."""
        counted = Counter(view.type.code for view, _ in self.members)
        ranked = sorted({view.type.code: view for view, _ in self.members}.values(), key=lambda v: v.rank)
        return [(view.type, counted[view.type.code]) for view in ranked]

    @property
    def known(self) -> list[Criterion[DepartementView]]:
        return [c for c in COMMUNAUTE_CRITERIA if c.code in self.communaute.met]

    @property
    def missing(self) -> list[Criterion[DepartementView]]:
        return [c for c in COMMUNAUTE_CRITERIA if c.code not in self.communaute.met]

    @property
    def summary(self) -> str:
        """The score in words: « Informations partielles : 2 services sur 9 ont un numéro de téléphone vérifié »."""
        total, count = len(self.members), self.phones_verified
        if total == 0:
            detail = "aucun service n'est encore décrit dans l'annuaire"
        elif count == 0 and total == 1:
            detail = "le seul service décrit n'a pas de numéro de téléphone vérifié"
        elif count == 0:
            detail = f"aucun des {total} services n'a de numéro de téléphone vérifié"
        elif count == 1:
            detail = f"1 service sur {total} a un numéro de téléphone vérifié"
        else:
            detail = f"{count} services sur {total} ont un numéro de téléphone vérifié"
        return f"{self.level.label} : {detail}"


@dataclass
class FranceCoverage:
    """The national figures: every département, every structure (regional and national ones too)."""

    departements: list[DepartementCoverage]
    structures: dict[str, Score[fmt.Structure]]
    today: dt.date

    @property
    def described(self) -> int:
        return sum(1 for d in self.departements if "decrite" in d.communaute.met)

    @property
    def porteurs(self) -> int:
        return sum(1 for d in self.departements if "porteur" in d.communaute.met)

    def count(self, code: str) -> int:
        """How many structures meet a structure criterion."""
        return sum(1 for s in self.structures.values() if code in s.met)

    @property
    def score(self) -> int:
        """The mean of the départements' scores."""
        return percent(sum(d.score for d in self.departements), 100 * len(self.departements))

    @property
    def level(self) -> Level:
        return level_of(self.score)

    @property
    def by_level(self) -> list[tuple[Level, int]]:
        """How many départements in each band, least known first."""
        counted = Counter(d.level.rank for d in self.departements)
        return [(level, counted[level.rank]) for level in LEVELS]


@dataclass
class Coverage:
    """Every département's coverage, in the order of the site, and France's."""

    departements: list[DepartementCoverage]
    france: FranceCoverage

    @cached_property
    def by_code(self) -> dict[str, DepartementCoverage]:
        return {d.departement.info.code: d for d in self.departements}

    def sorted(self, order: Sort) -> list[DepartementCoverage]:
        """The départements in one of the table's orders."""
        return sorted(self.departements, key=order.key)

    def levels(self) -> dict[str, tuple[int, str]]:
        """Each département's band and its words, for the map (``geo.map_context``)."""
        return {code: (d.level.rank, f"{d.level.words}, {d.score} sur 100") for code, d in self.by_code.items()}


def coverage(annuaire: Annuaire, today: dt.date) -> Coverage:
    """Score every structure once, then every département and France."""
    structures = {sid: score(view.data, STRUCTURE_CRITERIA, today) for sid, view in annuaire.structures.items()}
    departements = [
        DepartementCoverage(
            d, score(d, COMMUNAUTE_CRITERIA, today), [(view, structures[view.data.id]) for view in d.members], today
        )
        for d in annuaire.departements
    ]
    return Coverage(departements, FranceCoverage(departements, structures, today))


# ---------------------------------------------------------------------------
# The coverage table's orders: one page each, so that sorting works without JavaScript


def _phone_share(d: DepartementCoverage) -> float:
    return d.count("telephone") / len(d.members) if d.members else 0.0


def _verified_share(d: DepartementCoverage) -> float:
    return d.verified / len(d.fiches) if d.fiches else 0.0


@dataclass(frozen=True)
class Sort:
    """One order of the coverage table, at its own address; the least known first, except by département."""

    code: str
    url: str
    label: str  # completes « triés par … »
    key: Callable[[DepartementCoverage], tuple[float | dt.date, int]]


def _rank(d: DepartementCoverage) -> int:
    return departement_order(d.departement.info.code)


SORTS: list[Sort] = [
    Sort("departement", "/couverture/", "département", lambda d: (0, _rank(d))),
    Sort("note", "/couverture/par-note/", "note, de la plus basse à la plus haute", lambda d: (d.score, _rank(d))),
    Sort("telephone", "/couverture/par-telephone/", "part des services avec un numéro de téléphone, de la plus "
         "petite à la plus grande", lambda d: (_phone_share(d), _rank(d))),
    Sort("verification", "/couverture/par-verification/", "part des fiches vérifiées, de la plus petite à la plus "
         "grande", lambda d: (_verified_share(d), _rank(d))),
    Sort("anciennete", "/couverture/par-anciennete/", "information la plus ancienne, de la plus ancienne à la plus "
         "récente", lambda d: (d.oldest or dt.date.max, _rank(d))),
]
"""Every order of the coverage table; the first is the page with the map and the explanation."""
SORT_BY: dict[str, Sort] = {order.code: order for order in SORTS}
