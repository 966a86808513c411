"""Offline, in Chromium: a family that opened its pages opens them again with no network; a new build
replaces the kept copies; the search index is never kept; the site works the same without the worker.

Service workers need http:// (not file://): the site is served on 127.0.0.1 and the network is cut with
``context.set_offline``.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import re
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from annuaire360.site.offline import PRECACHE
from tests.conftest import KEPT_COPIES, build_site, served
from tests.helpers import copy_fixture

pytestmark = pytest.mark.browser

HOME, DEPARTEMENT, FICHE = "/", "/departements/59-nord/", "/structures/pcpe-fictif-lille/"
NEVER_OPENED = "/structures/mdph-nord-fictive/"



@pytest.fixture(scope="module")
def offline_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, Path]]:
    """A copy of the fixture data, built with its search index and served: (URL, data folder, site folder).
    The site folder can be rebuilt in place (the server reads it at each request)."""
    root = tmp_path_factory.mktemp("hors-ligne")
    data = copy_fixture(root)
    site = build_site(data, root / "site")
    with served(site) as url:
        yield url, data, site


def controlled(page) -> None:
    """Wait until the service worker is installed and controls the page."""
    page.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller !== null", timeout=15000)


@contextlib.contextmanager
def phone(browser, base: str, **options: object) -> Iterator[tuple[object, object]]:
    """A new browser context (a family's phone) whose first page opened the home page under the worker."""
    context = browser.new_context(**options)
    try:
        page = context.new_page()
        page.goto(base + HOME)
        controlled(page)
        yield context, page
    finally:
        context.close()


def kept(page) -> list[dict]:
    return page.evaluate(KEPT_COPIES)


def page_shows(page, heading: str) -> None:
    assert page.locator("h1").inner_text() == heading
    number = page.locator("header a[href='tel:0800360360']")
    assert number.inner_text() == "0 800 360 360"
    # The stylesheet came too: the header's green bar is drawn.
    assert page.evaluate("getComputedStyle(document.querySelector('.entete')).borderBottomWidth") == "6px"


def test_visited_pages_open_again_offline_and_others_show_the_offline_page(browser, offline_site) -> None:
    base, _, _ = offline_site
    with phone(browser, base) as (context, page):
        headings = {HOME: page.locator("h1").inner_text()}
        for url in (DEPARTEMENT, FICHE):
            page.goto(base + url)
            headings[url] = page.locator("h1").inner_text()
        context.set_offline(True)
        for url in (HOME, DEPARTEMENT, FICHE):
            page.goto(base + url)
            page.reload()
            page_shows(page, headings[url])
        page.goto(base + NEVER_OPENED)
        page_shows(page, "Pas de connexion à internet")
        assert page.url == base + NEVER_OPENED  # back online, a reload shows the page asked for
        assert page.locator("main .encart-numero a[href='tel:0800360360']").is_visible()


def test_the_kept_copies_are_the_precache_and_the_pages_opened(browser, offline_site) -> None:
    base, _, _ = offline_site
    with phone(browser, base) as (_, page):
        page.goto(base + FICHE + "?depuis=recherche")
        page.goto(base + "/recherche/?q=autisme")  # the search runs: its index is fetched…
        page.locator("#recherche-statut").filter(has_text=re.compile("résultat")).wait_for()
        urls = {entry["url"].removeprefix(base) for entry in kept(page)}
        assert not [url for url in urls if "/pagefind/" in url]  # …but never kept
        expected_pages = {"/" + path.removeprefix("./") for path in PRECACHE} | {FICHE, "/recherche/"}
        assert expected_pages <= urls  # a page is kept once, without its query
        assert not [url for url in urls if "?" in url]
        assert {url for url in urls - expected_pages if not url.startswith("/static/")} == set()
        assert len({entry["cache"] for entry in kept(page)}) == 1


def version_of(page) -> str:
    [name] = {entry["cache"] for entry in kept(page)}
    return name.rsplit(" ", 1)[1]


def test_a_new_build_replaces_the_kept_copies(browser, offline_site) -> None:
    base, data, site = offline_site
    departement = data / "departements" / "59-nord.yaml"
    original = departement.read_text()
    try:
        with phone(browser, base) as (context, page):
            page.goto(base + FICHE)
            first = version_of(page)
            assert first in (site / "service-worker.js").read_text()
            # The contributor renames the PCPE; the site is rebuilt and published at the same place.
            departement.write_text(original.replace("nom: PCPE fictif de Lille", "nom: PCPE fictif de Lille-Sud"))
            build_site(data, site, index=False)
            second = re.search(r'const VERSION = "([0-9a-f]+)"', (site / "service-worker.js").read_text()).group(1)
            assert second != first
            page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.update())")
            deadline = time.monotonic() + 20
            while {entry["cache"].rsplit(" ", 1)[1] for entry in kept(page)} != {second}:
                assert time.monotonic() < deadline, f"le cache n'a pas été remplacé : {kept(page)}"
                time.sleep(0.2)
            urls = {entry["url"].removeprefix(base) for entry in kept(page)}
            assert FICHE in urls  # the page the family opened is kept, fetched again from the new build
            context.set_offline(True)
            page.goto(base + FICHE)
            assert page.locator("h1").inner_text() == "PCPE fictif de Lille-Sud"
    finally:
        departement.write_text(original)
        build_site(data, site)


def test_the_worker_registers_under_the_strict_policy(browser, offline_site) -> None:
    base, _, _ = offline_site
    context = browser.new_context()
    try:
        page = context.new_page()
        page.add_init_script("""window.__violations = [];
          document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective));""")
        errors: list[str] = []
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.goto(base + "/facile-a-lire/")
        controlled(page)
        assert page.evaluate("window.__violations") == [] and errors == []
        scope = page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.scope)")
        assert scope == base + "/"
    finally:
        context.close()


def test_without_javascript_nothing_is_registered_and_pages_work(browser, offline_site) -> None:
    base, _, _ = offline_site
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(base + FICHE)
        page.locator("header .entete__facile a").click()
        assert page.url == base + "/facile-a-lire/services/#type-pcpe"
        assert page.locator("#type-pcpe").is_visible()
        assert len(context.service_workers) == 0
    finally:
        context.close()


def test_a_copy_under_a_sub_path_keeps_its_own_pages(browser, offline_site, tmp_path) -> None:
    """Under /pr-42/ (a pull request preview), the worker's scope, its kept copies and its offline page
    follow the sub-path; another copy of the site on the same origin keeps its own cache."""
    _, _, site = offline_site
    root = tmp_path / "racine"
    copy = root / "pr-42"
    shutil.copytree(site, copy)
    for path in copy.rglob("*.html"):  # what publishing under a base path does to root-relative addresses
        path.write_text(re.sub(r'((?:href|src)=")/(?!/)', r"\1/pr-42/", path.read_text(encoding="utf-8")), encoding="utf-8")
    with served(root) as url:
        base = url + "/pr-42"
        with phone(browser, base) as (context, page):
            assert page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.scope)") == base + "/"
            page.goto(base + FICHE)
            names = {entry["cache"] for entry in kept(page)}
            assert len(names) == 1 and names.pop().startswith(f"annuaire360 {base}/ ")
            assert all(entry["url"].startswith(base + "/") for entry in kept(page))
            context.set_offline(True)
            page.goto(base + FICHE)
            page_shows(page, "PCPE fictif de Lille")
            page.goto(base + NEVER_OPENED)
            page_shows(page, "Pas de connexion à internet")


class _SlowFiches(http.server.SimpleHTTPRequestHandler):
    """Serves a site; while ``slow`` is set, a fiche takes ``DELAY`` seconds to come (a very poor connection)."""

    slow = threading.Event()
    DELAY = 15.0

    def do_GET(self) -> None:
        if self.slow.is_set() and "/structures/" in self.path:
            time.sleep(self.DELAY)
        super().do_GET()

    def log_message(self, *args: object) -> None:
        pass


def test_on_a_very_slow_network_the_kept_copy_is_shown(browser, offline_site) -> None:
    """The network first, but not for ever: after a few seconds, the copy kept on the device."""
    _, _, site = offline_site
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_SlowFiches, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with phone(browser, base) as (_, page):
            page.goto(base + FICHE)
            _SlowFiches.slow.set()
            start = time.monotonic()
            page.goto(base + FICHE, timeout=30000)
            page_shows(page, "PCPE fictif de Lille")
            assert time.monotonic() - start < _SlowFiches.DELAY - 3  # the kept copy, not the slow answer
    finally:
        _SlowFiches.slow.clear()
        server.shutdown()
        server.server_close()
