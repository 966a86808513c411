"""What the search index holds for each page, its filters with their catch-all values, and its chunks.

Read from the Pagefind bundle of the fixture build: the words a visitor can find a page by, and the
bytes each result costs them.
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest

from annuaire360.publish.pagefind import CHUNK_SETTING
from annuaire360.site.search_facets import AGE_BANDS, TOUS_LES_AGES, TOUS_LES_HANDICAPS, TOUTE_LA_FRANCE
from tests.page_types import soup_of


@pytest.fixture(scope="module")
def indexed(fixture_site: Path) -> dict[str, dict]:
    """Each indexed page's Pagefind fragment (its indexed text, filters and metadata), by URL."""
    out = {}
    for path in (fixture_site / "pagefind" / "fragment").glob("*.pf_fragment"):
        raw = gzip.decompress(path.read_bytes())
        data = json.loads(raw[raw.index(b"{") :])
        out[data["url"]] = data
    return out


def test_a_fiche_is_found_by_its_name_type_and_description_only(indexed):
    content = indexed["/structures/pcpe-fictif-lille/"]["content"]
    assert content.startswith("PCPE fictif de Lille. Pôle de compétences et de prestations externalisées.")
    assert "psychologue" in content  # from its description
    # Not the standard headings, contact details and sentences that every fiche repeats.
    for noise in ("Pour qui", "Contacter", "Faut-il passer", "03 53 01", "0 800 360 360", "Territoire"):
        assert noise not in content, noise


def test_a_departement_is_found_by_its_name_and_its_communaute(indexed):
    assert indexed["/departements/23-creuse/"]["content"] == "Creuse (23). La communauté 360 du département."
    nord = indexed["/departements/59-nord/"]["content"]
    assert "Communauté 360 du Nord (fictive)" in nord and "elle écoute et oriente" in nord
    # The structures listed on the page are found through their own fiches, not twice.
    assert "PCPE fictif de Lille" not in nord


def test_content_pages_are_found_by_their_title_and_headings(indexed):
    contribuer = indexed["/contribuer/"]
    assert contribuer["content"].startswith("Contribuer. En bref.")
    assert "Ajouter une structure" in contribuer["content"]
    assert contribuer["word_count"] < 200  # the headings (about 120 words), not the thousands of words of the guide


def test_pages_with_nothing_to_find_are_not_indexed(indexed):
    assert "/recherche/" not in indexed
    assert not any(url.startswith("/404") for url in indexed)


def test_region_and_type_pages_do_not_repeat_the_fiches_they_list(indexed):
    assert indexed["/regions/hauts-de-france/"]["content"] == "Hauts-de-France."
    pcpe = indexed["/types/pcpe/"]["content"]
    assert pcpe.startswith("Pôles de compétences et de prestations externalisées (PCPE).")
    assert "PCPE fictif de Lille" not in pcpe


def test_every_age_and_every_situation_are_one_catch_all_value(indexed):
    mdph = indexed["/structures/mdph-nord-fictive/"]  # 0 to any age, "tous-handicaps", aidants
    assert mdph["filters"]["public"] == [TOUS_LES_AGES, "Proches aidants"]
    assert mdph["filters"]["situation"] == [TOUS_LES_HANDICAPS]
    pcpe = indexed["/structures/pcpe-fictif-lille/"]  # 0 to 20 years: four bands, named
    assert pcpe["filters"]["public"] == [label for label, start, _ in AGE_BANDS if start <= 20]
    national = indexed["/structures/ligne-nationale-fictive/"]
    assert national["filters"]["departement"] == [TOUTE_LA_FRANCE]


def test_the_type_is_shown_from_the_filters_not_repeated_as_metadata(indexed):
    for url, data in indexed.items():
        assert "type" not in data["meta"], url
    assert indexed["/structures/pcpe-fictif-lille/"]["meta"]["lieu"] == "Lille — Nord (59)"


def test_each_filter_option_names_its_catch_all(fixture_site):
    soup = soup_of(fixture_site, "/recherche/")

    def jokers(key: str) -> dict[str, str | None]:
        return {o["value"]: o.get("data-joker") for o in soup.select(f"#filtre-{key} option") if o["value"]}

    assert set(jokers("departement").values()) == {TOUTE_LA_FRANCE}
    assert set(jokers("region").values()) == {TOUTE_LA_FRANCE}
    assert set(jokers("type").values()) == {None}
    public = jokers("public")
    assert all(public[label] == TOUS_LES_AGES for label, _, _ in AGE_BANDS)
    assert public["Proches aidants"] is None and public["Professionnels"] is None
    situation = jokers("situation")
    assert situation.pop(TOUS_LES_HANDICAPS) is None  # chosen alone, it finds what serves every situation
    assert set(situation.values()) == {TOUS_LES_HANDICAPS} and "Polyhandicap" in situation


def test_index_chunks_are_small_so_that_a_further_query_stays_light(fixture_site):
    chunks = sorted((fixture_site / "pagefind" / "index").glob("*.pf_index"))
    # Pagefind's default would hold this small index in one chunk: several mean it read CHUNK_SETTING.
    assert len(chunks) > 5, f"Pagefind n'a pas tenu compte de {CHUNK_SETTING}"
    assert max(p.stat().st_size for p in chunks) < 2_000
    # And a result costs little: a fiche's fragment, compressed, stays small.
    fragments = (fixture_site / "pagefind" / "fragment").glob("*.pf_fragment")
    fiches = [p.stat().st_size for p in fragments if re.search(rb"/structures/", gzip.decompress(p.read_bytes()))]
    assert fiches and max(fiches) < 700


def test_the_words_families_use_find_a_structure_by_its_type_or_situation(indexed):
    cra = indexed["/structures/cra-fictif-npdc/"]  # type cra, situations: [autisme-tnd]
    assert "autiste" in cra["meta"]["mots"] and "Asperger" in cra["meta"]["mots"]
    # TDAH and dyslexia are neurodevelopmental disorders, not autism: they lead to the PCO, CAMSP, CMPP.
    assert "TDAH" not in cra["meta"]["mots"] and "dyslexie" not in cra["meta"]["mots"]
    assert "autiste" not in cra["content"]  # searched, never shown in an excerpt
    mdph = indexed["/structures/mdph-nord-fictive/"]
    assert "AAH" in mdph["meta"]["mots"]  # by its type


def test_a_need_page_is_found_by_the_words_that_name_it(indexed):
    ecole = indexed["/besoins/ecole/"]
    assert ecole["meta"]["besoin"] == "ecole" and ecole["filters"]["besoin"] == ["ecole"]
    assert {"AESH", "scolarisation", "ULIS"} <= set(ecole["meta"]["mots"].split(", "))
    assert ecole["filters"]["departement"] == [TOUTE_LA_FRANCE]
    # The need's page in each département is reached from the search page, never indexed 101 times.
    assert not any(re.fullmatch(r"/departements/[^/]+/[^/]+/", url) for url in indexed)


def test_the_words_file_names_the_needs_of_each_word(fixture_site):
    words = json.loads((fixture_site / "static" / "mots.json").read_text(encoding="utf-8"))
    assert words["mots"]["ecole"] == ["ecole"] and words["mots"]["plus de solution"] == ["crise"]
    assert words["besoins"]["ecole"] == "Crèche, école et études"
    assert "sourd" not in words["mots"]  # a situation, not a need: found through the index


def test_the_search_page_offers_exactly_the_filter_values_the_index_holds(indexed, fixture_site: Path):
    """The build decides which values the filters offer (the browser no longer downloads every filter of the
    index to find out): each one finds a page, and no value a page carries is missing."""
    carried: dict[str, set[str]] = {}
    for data in indexed.values():
        for key, values in data["filters"].items():
            carried.setdefault(key, set()).update(values)
    soup = soup_of(fixture_site, "/recherche/")
    for select in soup.select("select[data-filtre]"):
        key = select["data-filtre"]
        offered = {option.get("data-valeur") or option["value"] for option in select.select("option") if option["value"]}
        jokers = {option["data-joker"] for option in select.select("option[data-joker]")}
        if key == "departement":  # every place stays offered: its page lists the national lines at least
            assert len(offered) == 101
            continue
        assert all(value in carried[key] or jokers & carried[key] for value in offered), key
        assert carried[key] - jokers <= offered, key
    types = {option["value"] for option in soup.select("select[data-filtre=type] option") if option["value"]}
    assert "Équipe mobile" not in types  # a type no structure of the fixture has: it would find nothing
