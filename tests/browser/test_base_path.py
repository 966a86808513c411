"""The fixture site built for https://annuaire.example.org/un/chemin/ and served under /un/chemin/ only (as a
project's GitHub Pages site or a pull request preview is): every link of every page answers, and in Chromium
every page type, the search and the lookup load nothing from outside the base path."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from tests.conftest import FIXTURE_DATA, served
from tests.helpers import run_build
from tests.page_types import PAGE_TYPES, all_pages

pytestmark = pytest.mark.browser

BASE = "/un/chemin/"


@pytest.fixture(scope="module")
def www(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site, search index included, in www/un/chemin/; www/ holds nothing else."""
    folder = tmp_path_factory.mktemp("www")
    result = run_build("--data", str(FIXTURE_DATA), "--out", str(folder / "un" / "chemin"), "--base-url",
                       "https://annuaire.example.org" + BASE)
    assert result.returncode == 0, result.stderr
    return folder


@pytest.fixture(scope="module")
def base_url(www: Path) -> Iterator[str]:
    """The server of www/: only what is under /un/chemin/ exists."""
    with served(www) as url:
        yield url


def test_every_link_of_every_page_answers(base_url: str, www: Path) -> None:
    """Not in the browser: thousands of links, each fetched once over HTTP from the server of the base path."""
    pages = all_pages(www / "un" / "chemin")
    assert len(pages) > 100
    targets: set[str] = set()
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        address = "/" + page.relative_to(www).as_posix().removesuffix("index.html")
        for tag in soup.find_all(["a", "link", "script", "img", "form"]):
            value = tag.get("href") or tag.get("src") or tag.get("action")
            if not value or urlsplit(value).scheme or value.startswith("#"):
                continue
            targets.add(urlsplit(urljoin(address, value)).path)
    assert all(target.startswith(BASE) for target in targets), sorted(t for t in targets if not t.startswith(BASE))
    broken = []
    for target in sorted(targets):
        try:
            with urllib.request.urlopen(base_url + target, timeout=10) as response:
                assert response.status == 200
        except urllib.error.HTTPError as error:
            broken.append(f"{target} : {error.code}")
    assert not broken, broken[:20]


@pytest.fixture
def watched(page):
    """The page, with every request it makes recorded (address, failure)."""
    page.requests_made = []
    page.on("requestfinished", lambda request: page.requests_made.append((request.url, request.response().status)))
    page.on("requestfailed", lambda request: page.requests_made.append((request.url, request.failure)))
    return page


def assert_stayed_under_the_base(page, base_url: str) -> None:
    own = [(url, status) for url, status in page.requests_made if url.startswith(base_url)]
    assert own, "aucune requête enregistrée"
    outside = [url for url, _ in own if not urlsplit(url).path.startswith(BASE)]
    # a request the page itself dropped by going elsewhere (the lookup leaves at once) is no failure
    failed = [(url, status) for url, status in own if status not in (200, 304, "net::ERR_ABORTED")]  # 304: cached
    assert not outside and not failed, (outside, failed)
    assert page.console_errors == []


@pytest.mark.parametrize("kind", sorted(PAGE_TYPES))
def test_each_page_type_loads_only_from_the_base(watched, base_url: str, kind: str) -> None:
    url = base_url + BASE.rstrip("/") + PAGE_TYPES[kind]
    watched.goto(url, wait_until="networkidle")
    assert watched.locator("link[rel=stylesheet]").first.get_attribute("href") == BASE + "static/style.css"
    assert watched.evaluate("getComputedStyle(document.body).margin") is not None
    assert_stayed_under_the_base(watched, base_url)


def test_search_under_the_base(watched, base_url: str) -> None:
    watched.goto(f"{base_url}{BASE}recherche/?q=pcpe")
    watched.locator("#recherche-statut").filter(has_text=re.compile("résultat")).wait_for()
    links = watched.locator("#recherche-resultats a").evaluate_all("a => a.map(x => x.getAttribute('href'))")
    assert links and all(link.startswith(BASE) for link in links), links
    watched.locator("#recherche-resultats a").first.click()
    watched.wait_for_load_state("networkidle")
    assert urlsplit(watched.url).path.startswith(BASE + "structures/") or urlsplit(watched.url).path.startswith(BASE)
    assert watched.locator("h1").count() == 1 and "introuvable" not in watched.locator("h1").inner_text()
    assert_stayed_under_the_base(watched, base_url)


def test_lookup_under_the_base(watched, base_url: str) -> None:
    watched.goto(f"{base_url}{BASE}")
    watched.fill("#trouver-q", "59000")
    watched.press("#trouver-q", "Enter")
    watched.wait_for_url(f"{base_url}{BASE}departements/59-nord/")
    assert watched.locator("h1").inner_text().startswith("Nord")
    watched.goto(f"{base_url}{BASE}trouver/?q=Lille")  # the form sent without JavaScript, then answered
    watched.wait_for_url(f"{base_url}{BASE}departements/59-nord/")
    assert_stayed_under_the_base(watched, base_url)
