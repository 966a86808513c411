"""Every word of data/mots.yaml, searched as a family types it, finds a page of what it names: the page of
its need, a structure of its type, a structure of its situation (one test per word).

The site is the fixture dataset with the real vocabularies (data/besoins.yaml, data/types.yaml,
data/mots.yaml) and one fictional structure of each type and of each situation, so that a word added to
data/mots.yaml, or a type added to data/types.yaml, is tested without writing a test."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, build_site, real_today, served
from tests.helpers import copy_fixture

pytestmark = pytest.mark.browser

VOCABULARIES = ("besoins.yaml", "types.yaml", "mots.yaml")
GROUPS = yaml.safe_load((ROOT / "data" / "mots.yaml").read_text(encoding="utf-8"))["groupes"]
WORDS = [(word, group) for group in GROUPS for word in group["mots"]]


def _source() -> list[dict[str, str]]:
    return [{"url": "https://www.example.org/fictif", "consulte_le": "2025-01-10"}]


def _structures() -> list[dict[str, object]]:
    """One fictional structure of each type of data/types.yaml, and one of each situation."""
    from annuaire360.format import SITUATIONS

    types = yaml.safe_load((ROOT / "data" / "types.yaml").read_text(encoding="utf-8"))["types"]
    out: list[dict[str, object]] = [
        {"id": f"fictif-type-{t['code']}", "nom": f"Structure fictive : {t['libelle']}", "type": t["code"], "sources": _source()}
        for t in types
    ]
    out += [
        {"id": f"fictif-situation-{code}", "nom": f"Service fictif : {label}", "type": "autre",
         "public": {"situations": [code]}, "sources": _source()}
        for code, label in SITUATIONS.items() if code != "tous-handicaps"
    ]
    return out


@pytest.fixture(scope="module")
def mots_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data = copy_fixture(tmp_path_factory.mktemp("mots"))
    for name in VOCABULARIES:
        shutil.copyfile(ROOT / "data" / name, data / name)
    allier = {"code": "03", "nom": "Allier", "structures": _structures()}
    Path(data / "departements" / "03-allier.yaml").write_text(yaml.safe_dump(allier, allow_unicode=True), encoding="utf-8")
    # The real vocabularies are dated by the real calendar (their sources are recent).
    with served(build_site(data, data.parent / "site", today=real_today())) as url:
        yield url


@pytest.fixture(scope="module")
def search_page(browser: object, mots_url: str) -> Iterator[object]:
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(mots_url + "/recherche/")
    yield page
    context.close()


def expected_pages(group: dict[str, list[str]]) -> set[str]:
    """The pages a group of words names."""
    return ({f"/besoins/{code}/" for code in group.get("besoins", [])}
            | {f"/structures/fictif-type-{code}/" for code in group.get("types", [])}
            | {f"/structures/fictif-situation-{code}/" for code in group.get("situations", [])})


@pytest.mark.parametrize(("word", "group"), WORDS, ids=[word for word, _ in WORDS])
def test_each_word_finds_what_it_names(search_page, word, group):
    found = search_page.evaluate("async w => (await import('/static/recherche.js')).find(w)", word)
    right = expected_pages(group)
    assert right & set(found), f"« {word} » ne trouve aucune de ces pages : {sorted(right)} ; trouvé : {found[:8]}"
    # And what it names comes among the first results a family sees.
    first = next(i for i, url in enumerate(found) if url in right)
    assert first < 5, f"« {word} » : la première bonne page est en position {first + 1} : {found[:8]}"


def test_a_word_and_a_place_lead_to_the_need_s_page_there(search_page):
    found = search_page.evaluate("async () => (await import('/static/recherche.js')).find('AESH', '03')")
    assert found[0] == "/departements/03-allier/ecole/"


def test_every_type_and_need_is_named_by_some_word():
    """A family can reach each need by a word (types may be reached through their need)."""
    needs = {b["code"] for b in yaml.safe_load((ROOT / "data" / "besoins.yaml").read_text(encoding="utf-8"))["besoins"]}
    named = {code for group in GROUPS for code in group.get("besoins", [])}
    assert needs <= named, sorted(needs - named)
