"""Communes, postal codes and the map of France: the committed reference data, and what the site ships.

``annuaire360/site/geodata/`` is written by ``tools/refresh_geodata.py`` from pinned npm packages (sources,
versions and licences in ``source.json``). At build time :func:`site_files` turns it into small JSON
shards under ``/static/geo/``, so that finding a commune downloads a few kilobytes, and :func:`carte`
gives the map partial its outlines. :class:`Lookup` is the reference implementation of the search
that ``static/trouver.js`` performs in the browser on those shards (the tests run both).
"""

from __future__ import annotations

import functools
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ..format.values import fold

GEODATA = Path(__file__).resolve().parent / "geodata"
PREFIX = "static/geo/"
SHARD_MIN = 2  # characters of the compact name that pick a shard
SHARD_MAX_ENTRIES = 400  # a larger shard is split on one more character (≈ 5 KB gzipped at most)
ABBREVIATIONS = {"st": "saint", "ste": "sainte"}


def normalize(text: str) -> str:
    """Lower case, no accents, words separated by one space, "st" read as "saint": "St-Étienne" → "saint etienne".

    ``static/lieux.js`` does exactly the same (same character ranges), so both sides agree.
    """
    return " ".join(ABBREVIATIONS.get(word, word) for word in fold(text).split())


@dataclass(frozen=True)
class Place:
    """One line of communes.tsv."""

    nom: str
    departement: str
    codes_postaux: tuple[str, ...]
    rattachement: str  # parent commune of an arrondissement, commune déléguée or associée
    population: int

    @property
    def detail(self) -> str:
        """What tells two places of one name apart: the first postal code, else the parent commune."""
        return self.codes_postaux[0] if self.codes_postaux else self.rattachement

    @property
    def label(self) -> str:
        """How a choice is shown: "Saint-Denis (93200)", "Hellemmes-Lille (Lille)"."""
        return f"{self.nom} ({self.detail})" if self.detail else self.nom


@functools.cache
def places() -> tuple[Place, ...]:
    """Every place of the committed index."""
    lines = (GEODATA / "communes.tsv").read_text(encoding="utf-8").splitlines()[1:]
    out = []
    for line in lines:
        nom, dep, cps, parent, population = line.split("\t")
        out.append(Place(nom, dep, tuple(cps.split()), parent, int(population)))
    return tuple(out)


@functools.cache
def source() -> dict[str, Any]:
    """Names, versions and licences of the sources, and the names of the collectivités not covered."""
    found: dict[str, Any] = json.loads((GEODATA / "source.json").read_text(encoding="utf-8"))
    return found


@functools.cache
def carte() -> dict[str, Any]:
    """Outlines of the 96 metropolitan départements: ``{"viewBox": …, "departements": {code: path}}``."""
    found: dict[str, Any] = json.loads((GEODATA / "carte.json").read_text(encoding="utf-8"))
    return found


@dataclass(frozen=True)
class Choice:
    """A département the query may mean, with the words that justify it."""

    departement: str
    label: str


@dataclass(frozen=True)
class Answer:
    """``trouve``: one covered département; ``choix``: several; ``hors``: only collectivités not covered."""

    status: Literal["trouve", "choix", "hors", "inconnu"]
    choices: tuple[Choice, ...] = ()

    @property
    def departements(self) -> list[str]:
        return list(dict.fromkeys(c.departement for c in self.choices))


def _dep_code(text: str) -> str:
    """ "2a" → "2A", "1" → "01"."""
    code = text.upper()
    return code.zfill(2) if code.isdigit() and len(code) == 1 else code


ARTICLES = frozenset({"la", "le", "les", "l"})
POSTCODE = re.compile(r"(?:^|[^\d])(\d{2})[ .\u00a0]?(\d{3})(?!\d)")
"""A postal code in a text, as families type it: "93200", "93 200", "93.200"."""


def without_article(key: str) -> str:
    """ "la reunion" and "reunion", "les landes" and "landes" are the same name."""
    words = key.split(" ")
    return " ".join(words[1:]) if len(words) > 1 and words[0] in ARTICLES else key


def departement_code(text: str) -> str | None:
    """ "93", "2a", "974", "1" → a département code; None for anything else."""
    text = text.strip()
    return _dep_code(text) if re.fullmatch(r"\d{1,3}|2[abAB]", text) else None


class Lookup:
    """Postal code, commune, département or région name → département(s), on the committed index."""

    def __init__(self, covered: set[str] | None = None, regions: dict[str, list[str]] | None = None) -> None:
        self.covered = covered if covered is not None else set(source()["departements"])
        self.by_postcode: dict[str, list[Place]] = defaultdict(list)
        self.by_name: dict[str, list[Place]] = defaultdict(list)
        for place in places():
            for code in place.codes_postaux:
                self.by_postcode[code].append(place)
            self.by_name[normalize(place.nom)].append(place)
        for found in self.by_name.values():
            found.sort(key=lambda p: (-p.population, p.departement, p.nom))
        # Names of départements and régions, without their article: "reunion", "corse".
        self.names: dict[str, list[str]] = {
            without_article(normalize(nom)): [code] for code, nom in source()["departements"].items()
        }
        for nom, codes in (regions or {}).items():
            self.names.setdefault(without_article(normalize(nom)), codes)

    def _answer(self, choices: list[Choice]) -> Answer:
        if not choices:
            return Answer("inconnu")
        deps = {c.departement for c in choices}
        if not deps & self.covered:
            return Answer("hors", tuple(choices))
        if len(deps) == 1:
            return Answer("trouve", tuple(choices))
        return Answer("choix", tuple(choices))

    def _communes(self, key: str) -> list[Choice]:
        return [Choice(p.departement, p.label) for p in self.by_name.get(key, [])]

    def _hint(self, words: list[str]) -> tuple[list[str], list[str]] | None:
        """The département a trailing hint names ("… 93", "… reunion"), and the words before it."""
        if len(words) < 2:
            return None
        last = departement_code(words[-1])
        if last and (last in self.covered or last in source()["hors_annuaire"]):
            return [last], words[:-1]
        for n in range(min(4, len(words) - 1), 0, -1):
            deps = self.names.get(without_article(" ".join(words[-n:])))
            if deps:
                return deps, words[:-n]
        return None

    def find(self, query: str) -> Answer:
        """What the box on the home page answers."""
        text = query.strip()
        code = POSTCODE.search(text)
        if code:
            found = self.by_postcode.get(code.group(1) + code.group(2), [])
            grouped: dict[str, list[str]] = defaultdict(list)
            for place in sorted(found, key=lambda p: (p.departement, -p.population)):
                grouped[place.departement].append(place.nom)
            return self._answer([Choice(dep, ", ".join(names)) for dep, names in grouped.items()])
        dep = departement_code(text)
        if dep:
            known = self.covered | set(source()["hors_annuaire"])
            return self._answer([Choice(dep, dep)] if dep in known else [])
        key = normalize(text)
        # A département's or région's own name leads to it, beside any commune of that name (as lieux.js does).
        named = [Choice(code, code) for code in self.names.get(without_article(key), [])]
        exact = self._communes(key)
        if named or exact:
            return self._answer(named + exact)
        hint = self._hint(key.split(" "))
        if hint and hint[1]:
            homonyms = self._communes(" ".join(hint[1]))
            return self._answer([c for c in homonyms if c.departement in hint[0]] or homonyms)
        return Answer("inconnu")


# --- files shipped in the site --------------------------------------------------------------


def shard_of(compact: str, split: set[str]) -> str:
    """Shard name of a compact name (no spaces): its first characters, more of them where the shard was split."""
    key = compact[:SHARD_MIN]
    while key in split and len(compact) > len(key):
        key = compact[: len(key) + 1]
    return key


def _shards(entries: list[tuple[str, list[Any]]]) -> tuple[dict[str, dict[str, list[Any]]], set[str]]:
    """Group (normalized name, row) entries by shard, splitting the big shards until they are small.

    Gives the same shards as :func:`shard_of` with the returned split set (tests check it).
    """
    split: set[str] = set()
    shards: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))

    def place(group: list[tuple[str, str, list[Any]]], length: int) -> None:
        by_key: dict[str, list[tuple[str, str, list[Any]]]] = defaultdict(list)
        for item in group:
            by_key[item[0][:length]].append(item)
        for key, items in by_key.items():
            longer = [item for item in items if len(item[0]) > length]
            if len(items) > SHARD_MAX_ENTRIES and longer:
                split.add(key)
                place(longer, length + 1)
                items = [item for item in items if len(item[0]) <= length]
            for _, name, row in items:
                shards[key][name].append(row)

    place([(name.replace(" ", ""), name, row) for name, row in entries], SHARD_MIN)
    return shards, split


def _dump(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def site_files(departements: dict[str, tuple[str, str]], regions: dict[str, list[str]],
               autres: dict[str, str]) -> dict[str, bytes]:
    """Files of ``/static/geo/``: ``index.json`` (départements, régions, shard splits), ``cp-*.json``, ``n-*.json``.

    ``departements`` maps each covered code to its (name, page URL), ``regions`` each région's name to its
    départements, ``autres`` the code of a collectivité outside the directory to the anchor of what is
    said about it on /numero-national/ — all from the site model.
    """
    # The shards depend only on the committed commune data and the départements: computed once per
    # process, so that the preview server's rebuilds (``serve``) do not normalise 37,000 names each time.
    files = dict(_site_files(tuple(sorted(departements.items()))))
    index = json.loads(files[f"{PREFIX}index.json"])
    index.update(regions=regions, autres=autres)
    files[f"{PREFIX}index.json"] = _dump(index)
    return files


@functools.cache
def postcode_prefixes() -> dict[str, list[str]]:
    """For each département, the first digits of the postal codes of most of its communes ("59", or "200"
    and "201" for Corse-du-Sud, "974" overseas): the list /trouver/ shows without JavaScript."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for place in places():
        for code in place.codes_postaux:
            counts[code[:3] if code[:2] in ("20", "97", "98") else code[:2]][place.departement] += 1
    out: dict[str, list[str]] = defaultdict(list)
    for prefix, deps in sorted(counts.items()):
        out[deps.most_common(1)[0][0]].append(prefix)
    return dict(out)


@functools.lru_cache(maxsize=2)
def _site_files(departements_items: tuple[tuple[str, tuple[str, str]], ...]) -> tuple[tuple[str, bytes], ...]:
    departements = dict(departements_items)
    rows = list(places())
    files: dict[str, bytes] = {}
    # Postal codes: one shard per 2 first digits (3 for overseas 97x/98x). A code shared by several
    # départements lists the communes of each, so that the family can recognise theirs.
    postcodes: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for place in sorted(rows, key=lambda p: (-p.population, p.nom)):
        for code in place.codes_postaux:
            postcodes[code][place.departement].append(place.nom)
    cp_shards: dict[str, dict[str, Any]] = defaultdict(dict)
    for code, by_dep in postcodes.items():
        prefix = code[:3] if code.startswith(("97", "98")) else code[:2]
        cp_shards[prefix][code] = (
            next(iter(by_dep)) if len(by_dep) == 1 else [[dep, ", ".join(names)] for dep, names in sorted(by_dep.items())]
        )
    for prefix, data in cp_shards.items():
        files[f"{PREFIX}cp-{prefix}.json"] = _dump(data)
    # Names: rows [name, département, detail, population] ordered by population, detail = first postal
    # code or parent commune; the population orders suggestions across names.
    entries = [
        (
            normalize(p.nom),
            [p.nom, p.departement, p.detail, p.population],
        )
        for p in sorted(rows, key=lambda p: (-p.population, p.departement, p.nom))
    ]
    shards, split = _shards(entries)
    for shard, data in shards.items():
        files[f"{PREFIX}n-{shard}.json"] = _dump(data)
    index = {
        "departements": {code: [nom, url] for code, (nom, url) in departements.items()},
        "hors": source()["hors_annuaire"],
        "decoupe": sorted(split),
        # The shards that exist, so that a word no commune begins with (« pcpe ») asks for no file.
        "fragments": " ".join(sorted(shards)),
        "prefixe": SHARD_MIN,
    }
    files[f"{PREFIX}index.json"] = _dump(index)
    return tuple(sorted(files.items()))


INSET_REGION = "11"
"""Île-de-France: its départements are a few pixels wide on the map, so they get tiles too (WCAG 2.5.8)."""


def map_context(
    departements: list[tuple[str, str, str, str]], levels: dict[str, tuple[int, str]] | None = None
) -> dict[str, Any]:
    """What ``partials/carte.html`` draws: outlined metropolitan départements, labelled overseas tiles, and
    tiles for the Île-de-France départements, too small on the map to be tapped.

    ``departements`` lists (code, name, page URL, région code) in display order, from the site model.
    ``levels`` (the coverage map) gives each code its band, 0 to 3 (the pattern that fills it), and the band
    in words.
    """
    outlines = carte()["departements"]

    def entry(code: str, nom: str, url: str) -> dict[str, Any]:
        found: dict[str, Any] = {"code": code, "nom": nom, "url": url}
        if levels is not None:
            found["niveau"], found["detail"] = levels[code]
        return found

    metro = [{**entry(c, n, u), "path": outlines[c]} for c, n, u, _ in departements if c in outlines]
    outremer = [entry(c, n, u) for c, n, u, _ in departements if c not in outlines]
    encart = [entry(c, n, u) for c, n, u, r in departements if r == INSET_REGION]
    return {"viewBox": carte()["viewBox"], "metro": metro, "outremer": outremer, "encart": encart}
