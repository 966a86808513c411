"""Search facets: the Pagefind filters and metadata of each page, as human French labels.

Templates write them as ``<meta name="filtre-recherche" data-pagefind-filter="clé[content]" content="…">``
in ``<head>``: Pagefind reads them there, and they stay out of the indexed text and of the page.
"""

from __future__ import annotations

import json
from typing import cast

from markupsafe import Markup, escape

from ..format import SITUATIONS
from ..format.values import fold
from .facile_a_lire import SEARCH_FILTER as EASY_READ
from .model import Annuaire, BesoinView, DepartementView, StructureView

# Age bands shown to families; a structure is in a band if its age range overlaps it.
AGE_BANDS: list[tuple[str, int, int]] = [
    ("Jeunes enfants (0 à 6 ans)", 0, 6),
    ("Enfants (7 à 11 ans)", 7, 11),
    ("Adolescents (12 à 17 ans)", 12, 17),
    ("Jeunes adultes (18 à 25 ans)", 18, 25),
    ("Adultes (26 à 59 ans)", 26, 59),
    ("Personnes de 60 ans et plus", 60, 200),
]
AIDANTS = "Proches aidants"
PROFESSIONNELS = "Professionnels"

# Catch-all values. A page that serves every place, every age or every situation carries one value
# instead of them all, and the search page asks for "the chosen value, or the catch-all" (each <option>
# names its catch-all in data-joker): the result stays the same, every search result downloads less.
TOUTE_LA_FRANCE = "Toute la France"
TOUS_LES_AGES = "Tous les âges"
TOUS_LES_HANDICAPS = SITUATIONS["tous-handicaps"]


WORDS_FILE = "static/mots.json"
"""The families' words that name a need (data/mots.yaml), for the search page to propose the need's page at once."""


def structure_words(structure: StructureView, annuaire: Annuaire) -> list[str]:
    """The families' words (data/mots.yaml) that designate a structure: by its type or its situations.

    Searched with its page but never shown: the labels are the administration's ("Surdité,
    malentendance"), a parent types "sourd"."""
    situations = set(structure.data.public.situations)
    return [word for group in annuaire.mots
            if structure.type.code in group.types or situations & set(group.situations)
            for word in group.mots]


def besoin_words(besoin: BesoinView, annuaire: Annuaire) -> list[str]:
    """The families' words that name a need: its page is found by them."""
    return [word for group in annuaire.mots if besoin.code in group.besoins for word in group.mots]


def words_file(annuaire: Annuaire) -> bytes:
    """``/static/mots.json``: each word that names needs (accents and case folded as fold() does), with the
    needs' labels, so that the search page can propose a need's page before the index has loaded."""
    # A word is in one group only (check says so): its needs are that group's.
    words = {fold(word): group.besoins for group in annuaire.mots if group.besoins for word in group.mots}
    data = {"mots": dict(sorted(words.items())), "besoins": {b.code: b.info.libelle for b in annuaire.besoins}}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def _communaute_label(annuaire: Annuaire) -> str:
    """The type label of a département page (the page of its communauté 360)."""
    return annuaire.types["communaute-360"].libelle if "communaute-360" in annuaire.types else "Communauté 360"


def _age_bands(structure: StructureView) -> list[str]:
    public = structure.data.public
    low = public.age_min if public.age_min is not None else 0
    high = public.age_max if public.age_max is not None else 200
    return [label for label, start, end in AGE_BANDS if low <= end and high >= start]


def _publics(structure: StructureView) -> list[str]:
    public = structure.data.public
    bands = _age_bands(structure)
    labels = [TOUS_LES_AGES] if len(bands) == len(AGE_BANDS) else bands
    if public.aidants:
        labels.append(AIDANTS)
    if public.professionnels:
        labels.append(PROFESSIONNELS)
    return labels


def _situations(structure: StructureView) -> list[str]:
    codes = structure.data.public.situations
    # "Tous les handicaps" serves every situation: the search page also asks for it, whatever the choice.
    if "tous-handicaps" in codes:
        return [TOUS_LES_HANDICAPS]
    return [SITUATIONS[code] for code in codes]


def structure_filters(structure: StructureView) -> list[tuple[str, str]]:
    """(filter, value) pairs of a structure's page.

    A national line carries ``TOUTE_LA_FRANCE`` as its département and région, a structure for every
    age ``TOUS_LES_AGES``, one for every situation ``TOUS_LES_HANDICAPS``: static/recherche.js asks for
    "the chosen value, or its catch-all", so the line shows under every choice without carrying every
    value in its index entry.
    """
    if structure.national:
        pairs = [("departement", TOUTE_LA_FRANCE), ("region", TOUTE_LA_FRANCE)]
    else:
        pairs = [("departement", d.label) for d in structure.departements]
        pairs += [("region", name) for name in dict.fromkeys(d.region.info.nom for d in structure.departements)]
    pairs.append(("type", structure.type.libelle))
    pairs += [("public", label) for label in _publics(structure)]
    pairs += [("situation", label) for label in _situations(structure)]
    return pairs


def structure_meta(structure: StructureView, annuaire: Annuaire) -> list[tuple[str, str]]:
    """Metadata of a result: where it is (shown) and who it is for, in the families' words too (searched).

    Its type is shown from the ``type`` filter, which every result carries already: a meta copy would
    only add bytes to each result a visitor downloads.

    The fiche's "Pour qui ?" table is left out of the index (its labels and standard sentences are on
    every fiche: "mdph" or "aidants" would find them all); the words that matter come back here,
    as metadata, which Pagefind also searches.
    """
    place = structure.data.commune or ""
    where = structure.scope_label if not place else f"{place} — {structure.scope_label}"
    situations = [SITUATIONS[code] for code in structure.data.public.situations]
    # Ages, aidants, professionals; "Tous les âges" is nothing worth searching for.
    words = situations + [label for label in _publics(structure) if label != TOUS_LES_AGES]
    meta = [("lieu", where)]
    if words:
        meta.append(("public", ", ".join(words)))
    family = structure_words(structure, annuaire)
    if family:
        meta.append(("mots", ", ".join(family)))
    return meta


def departement_filters(view: DepartementView, annuaire: Annuaire) -> list[tuple[str, str]]:
    """A département page is the page of its communauté 360."""
    return [("departement", view.label), ("region", view.region.info.nom), ("type", _communaute_label(annuaire))]


def departement_meta(view: DepartementView) -> list[tuple[str, str]]:
    return [("lieu", view.region.info.nom)]


BESOIN_FILTERS = [("departement", TOUTE_LA_FRANCE), ("region", TOUTE_LA_FRANCE), ("public", TOUS_LES_AGES),
                  ("situation", TOUS_LES_HANDICAPS)]
"""The catch-alls a need's national page carries, besides its own need."""


def besoin_head_tags(besoin: BesoinView, annuaire: Annuaire) -> Markup:
    """A need's national page: found under every place, age and situation (the search page then offers the
    need's page of the chosen département), by the families' words that name it."""
    filters = [*BESOIN_FILTERS, ("besoin", besoin.code)]
    meta = [("besoin", besoin.code), ("mots", ", ".join(besoin_words(besoin, annuaire)))]
    return _tags(filters, meta)


def head_tags(view: StructureView | DepartementView, annuaire: Annuaire) -> Markup:
    """The ``<meta>`` tags that carry a page's filters and result metadata to Pagefind."""
    if isinstance(view, StructureView):
        return _tags(structure_filters(view), structure_meta(view, annuaire))
    return _tags(departement_filters(view, annuaire), departement_meta(view))


def _tags(filters: list[tuple[str, str]], meta: list[tuple[str, str]]) -> Markup:
    groups = [("filtre-recherche", "filter", filters), ("meta-recherche", "meta", meta)]
    lines = [
        f'<meta name="{name}" data-pagefind-{kind}="{key}[content]" content="{escape(value)}">'
        for name, kind, pairs in groups
        for key, value in pairs
    ]
    return Markup("\n".join(lines) + "\n")


def carried(annuaire: Annuaire) -> set[tuple[str, str]]:
    """Every (filter, value) pair some page of the index carries: fiches, département pages, need pages and
    easy-read pages (each through the function that writes its tags)."""
    found = {pair for view in annuaire.structures.values() for pair in structure_filters(view)}
    found.update(pair for d in annuaire.departements for pair in departement_filters(d, annuaire))
    found.update(BESOIN_FILTERS)
    found.update(("besoin", besoin.code) for besoin in annuaire.besoins)
    if annuaire.facile_a_lire.pages:
        found.add(EASY_READ)
    return found


def facets(annuaire: Annuaire) -> list[dict[str, object]]:
    """The filters of the search page, in a natural order, with the values some page carries (a type with
    no structure yet is not offered: it would find nothing). Decided here rather than in the browser, which
    would download every filter of the index (~270 KB at 15,000 fiches) before the first search.

    Each value is a ``(value, catch-all or None)`` pair: choosing the value also finds the pages that
    carry its catch-all; a value is offered when a page carries it or its catch-all. Every département stays
    offered (the place the family chose): its page lists the national lines at least.
    """
    found = carried(annuaire)
    offered = []
    for facet in _all_facets(annuaire):
        key = facet["cle"]
        values = cast("list[tuple[str, str | None]]", facet["valeurs"])
        kept = [(value, joker) for value, joker in values
                if key == "departement" or (key, value) in found or (joker is not None and (key, joker) in found)]
        offered.append({**facet, "valeurs": kept})
    return offered


def _all_facets(annuaire: Annuaire) -> list[dict[str, object]]:
    """Every filter of the search page with every value a page could carry."""
    types = [_communaute_label(annuaire)] + [t.libelle for code, t in annuaire.types.items() if code != "communaute-360"]
    situations = [label for label in SITUATIONS.values() if label != TOUS_LES_HANDICAPS]
    return [
        {"cle": "departement", "libelle": "Département", "tous": "Tous les départements",
         "valeurs": [(d.label, TOUTE_LA_FRANCE) for d in annuaire.departements]},
        {"cle": "region", "libelle": "Région", "tous": "Toutes les régions",
         "valeurs": [(r.info.nom, TOUTE_LA_FRANCE) for r in annuaire.regions]},
        {"cle": "type", "libelle": "Type de structure", "tous": "Tous les types", "valeurs": [(t, None) for t in types]},
        {"cle": "public", "libelle": "Pour qui", "tous": "Tous les publics",
         "valeurs": [(label, TOUS_LES_AGES) for label, _, _ in AGE_BANDS] + [(AIDANTS, None), (PROFESSIONNELS, None)]},
        {"cle": "situation", "libelle": "Situation de handicap", "tous": "Toutes les situations",
         "valeurs": [(TOUS_LES_HANDICAPS, None)] + [(label, TOUS_LES_HANDICAPS) for label in situations]},
        # Easy-read pages carry their own value (site/facile_a_lire.py): « only the easy-read pages ».
        {"cle": EASY_READ[0], "libelle": "Façon d'écrire", "tous": "Toutes les pages", "valeurs": [(EASY_READ[1], None)]},
    ]
