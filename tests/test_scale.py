"""National lists stay bounded: past a few dozen structures, a type page lists départements, not fiches."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from annuaire360.site.render import TYPE_PAGE_CARDS
from tests.conftest import build_site, java, node_module, run_axe, served
from tests.helpers import copy_fixture
from tests.page_types import soup_of

# Where the extra structures go (code → file), and how many: together more than a type page shows as cards.
SPREAD = {"19": ("19-correze", 50), "59": ("59-nord", 45), "2A": ("2A-corse-du-sud", 30)}


def gem(code: str, index: int) -> str:
    return (
        f"  - id: gem-fictif-{code.lower()}-{index}\n"
        f"    nom: GEM fictif {index} ({code})\n"
        "    type: gem\n"
        "    contacts:\n"
        f"      - {{libelle: Accueil, telephone: \"05 36 49 {index // 100 % 100:02d} {index % 100:02d}\"}}\n"
        f"    sources: [{{url: 'https://www.example.org/gem/{code}/{index}', consulte_le: 2025-01-10}}]\n"
    )


@pytest.fixture(scope="module")
def crowded_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture data with 125 more GEM in three départements."""
    tmp = tmp_path_factory.mktemp("crowded")
    data = copy_fixture(tmp)
    for code, (stem, count) in SPREAD.items():
        path = data / "departements" / f"{stem}.yaml"
        text = path.read_text(encoding="utf-8")
        blocks = "".join(gem(code, i) for i in range(count))
        text = text.replace("structures:\n", "structures:\n" + blocks, 1) if "\nstructures:\n" in text else (
            text.rstrip("\n") + "\nstructures:\n" + blocks)
        path.write_text(text, encoding="utf-8")
    return build_site(data, tmp / "site", index=False)


def test_the_limit_is_below_the_crowd():
    assert sum(count for _, count in SPREAD.values()) > TYPE_PAGE_CARDS


def test_a_crowded_type_page_lists_departements_with_counts(crowded_site):
    main = soup_of(crowded_site, "/types/gem/").find("main")
    assert not main.select("article.carte"), "no fiche is listed on the type page itself"
    links = {a.get_text(): a["href"] for a in main.select("li a")}
    assert links == {
        "Corrèze (19)": "/departements/19-correze/#type-gem",
        "Nord (59)": "/departements/59-nord/#type-gem",
        "Corse-du-Sud (2A)": "/departements/2a-corse-du-sud/#type-gem",
    }
    counts = {li["id"]: " ".join(li.get_text().split()) for li in main.select("li[id]")}
    assert counts["groupe-19"] == "Corrèze (19) : 50 structures"
    assert [h.get_text() for h in main.find_all("h2")] == ["Corse", "Hauts-de-France", "Nouvelle-Aquitaine"]


def test_each_link_leads_to_the_heading_that_lists_them(crowded_site):
    main = soup_of(crowded_site, "/types/gem/").find("main")
    for link in main.select("li a"):
        page, anchor = link["href"].split("#")
        target = soup_of(crowded_site, page).find(id=anchor)
        assert target is not None and target.name == "h3", link["href"]
        cards = target.find_next_siblings("article", limit=200)
        expected = int(re.search(r": (\d+) structure", link.parent.get_text()).group(1))
        assert len([c for c in cards if c.find("a", href=re.compile("^/structures/gem-fictif-"))]) == expected


def test_a_small_type_page_still_shows_its_fiches(crowded_site):
    main = soup_of(crowded_site, "/types/cra/").find("main")
    assert len(main.select("a[href='/structures/cra-fictif-npdc/']")) == 2


def test_a_crowded_type_page_is_valid_html(crowded_site, tmp_path):
    vnu = node_module("vnu-jar", "build", "dist", "vnu.jar")
    page = crowded_site / "types" / "gem" / "index.html"
    result = subprocess.run([java(), "-jar", str(vnu), "--errors-only", "--format", "json", str(page)],
                            capture_output=True, text=True, timeout=300)
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    assert [f"{m.get('lastLine', '?')}: {m['message']}" for m in messages] == []


@pytest.mark.browser
@pytest.mark.parametrize("width", [320, 1280])
def test_a_crowded_type_page_passes_axe(browser, crowded_site, width):
    with served(crowded_site) as url:
        context = browser.new_context(bypass_csp=True, viewport={"width": width, "height": 800})
        try:
            page = context.new_page()
            response = page.goto(url + "/types/gem/")
            assert response is not None and response.ok
            result = run_axe(page)
        finally:
            context.close()
    assert result["rules"] > 90, "axe-core n'a pas chargé toutes ses règles"
    assert [v["id"] for v in result["violations"]] == []
