"""Shared fixtures: the fixture dataset, a built site, a local HTTP server and a Chromium browser."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from annuaire360.settings import Paths, Settings

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_DATA = ROOT / "tests" / "fixtures" / "data"
FIXED_EPOCH = "1748736000"  # 2025-06-01: stable "today" for freshness checks and reproducible builds
FIXED_TODAY = dt.date(2025, 6, 1)  # the same day, for tests that call the pipeline in-process
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
IN_CI = os.environ.get("CI") == "true"


@pytest.fixture(autouse=True)
def _fixed_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    """The command line reads "today" from SOURCE_DATE_EPOCH, like a reproducible build: tests that call
    ``cli.main`` in-process get 2025-06-01 too (the pipeline itself is given ``today``, never reads it)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)


def real_today() -> dt.date:
    """Today by the wall clock: real data/ is dated by the real calendar (its sources are recent)."""
    return dt.datetime.now(tz=dt.UTC).date()


def settings_for(data: Path = FIXTURE_DATA, out: Path | None = None, *, today: dt.date = FIXED_TODAY,
                 **folders: Path) -> Settings:
    """The inputs of an in-process run: the repository's templates, static/, content/ and schema/, unless
    ``folders`` (content=…, templates=…) say otherwise; "today" fixed unless given."""
    paths = Paths.of(ROOT, data=data, out=out if out is not None else data.parent / "site").with_(**folders)
    return Settings(paths=paths, today=today)


def check_data(data: Path, report: object | None = None, *, today: dt.date = FIXED_TODAY, **folders: Path) -> object:
    """``check`` on ``data`` in-process (the fixture's "today" unless given); returns the dataset or None."""
    from annuaire360.diagnostics import Report
    from annuaire360.pipeline import check

    return check(settings_for(data, today=today, **folders), report if isinstance(report, Report) else Report())


def build_site(data: Path, out: Path, *, index: bool = True, today: dt.date = FIXED_TODAY) -> Path:
    """Build ``data`` into ``out`` through the real pipeline; fail the test with the diagnostics if it breaks."""
    from annuaire360.diagnostics import Report
    from annuaire360.pipeline import build

    report = Report()
    result = build(settings_for(data, out, today=today), report, index=index)
    assert result is not None, "\n".join(map(str, report.items))
    return out


EXAMPLE = ROOT / "docs" / "exemple-departement.yaml"  # the annotated example file of the guide


@pytest.fixture(scope="session")
def vocabulary() -> object:
    """The types and départements of the real data/ (what the JSON Schema and the guide list)."""
    from annuaire360.diagnostics import Report
    from annuaire360.tools import schema

    report = Report()
    found = schema.DataCodes.load(settings_for(ROOT / "data", today=real_today()), report)
    assert found is not None, "\n".join(map(str, report.items))
    return found


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture dataset, built once per session with its search index."""
    return build_site(FIXTURE_DATA, tmp_path_factory.mktemp("fixture") / "site")


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real data/, built once per session with its search index, at today's date (its sources are recent)."""
    return build_site(ROOT / "data", tmp_path_factory.mktemp("real") / "site", today=real_today())


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def serve(directory: Path) -> tuple[str, http.server.ThreadingHTTPServer]:
    """Serve a directory on 127.0.0.1 on a free port."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}", server


@contextlib.contextmanager
def served(directory: Path) -> Iterator[str]:
    """The URL of ``directory`` served on 127.0.0.1 for the ``with`` block; the server is closed after it."""
    url, server = serve(directory)
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def site_url(fixture_site: Path) -> Iterator[str]:
    """URL of the fixture site served over HTTP (Pagefind needs http://, not file://)."""
    with served(fixture_site) as url:
        yield url


def require(condition: bool, reason: str) -> None:
    """Skip locally with a visible reason; in CI (CI=true) a missing tool is a failure, never a skip."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: les tests navigateur ne doivent pas être sautés)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium driven by Playwright (never `playwright install`)."""
    require(Path(CHROMIUM).exists(), f"{CHROMIUM} absent : installez le paquet Debian chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - test dependencies always include it
        require(False, "playwright n'est pas installé (make test l'installe)")
        raise
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    """A fresh browser page; console errors are collected in ``page.console_errors``.

    Its context blocks the service worker: requests a worker answers escape ``page.route`` (the search
    tests add their CSP header that way); the worker has its own tests (browser/test_offline.py)."""
    context = browser.new_context(service_workers="block")  # type: ignore[attr-defined]
    new_page = context.new_page()
    new_page.console_errors = []
    new_page.on("console", lambda msg: new_page.console_errors.append(msg.text) if msg.type == "error" else None)
    yield new_page
    context.close()


def node_module(*parts: str) -> Path:
    """A file from node_modules (installed by `npm ci` in `make test`)."""
    path = ROOT.joinpath("node_modules", *parts)
    require(path.exists(), f"{path} absent : lancez `npm ci` (make test le fait)")
    return path


def java() -> str:
    """The java executable, for the Nu HTML Checker."""
    found = shutil.which("java")
    require(found is not None, "java absent : installez default-jre-headless")
    return found  # type: ignore[return-value]


@pytest.fixture
def axe_page(browser: object) -> Iterator[object]:
    """A page whose context bypasses the CSP, so that axe-core can be injected as an inline script.

    The policy itself is tested with enforcement in tests/browser/test_csp.py and test_search.py.
    """
    context = browser.new_context(bypass_csp=True)  # type: ignore[attr-defined]
    new_page = context.new_page()
    yield new_page
    context.close()


@pytest.fixture
def no_js_page(browser: object) -> Iterator[object]:
    """A page with JavaScript off, as some visitors browse."""
    context = browser.new_context(java_script_enabled=False)  # type: ignore[attr-defined]
    yield context.new_page()
    context.close()


# Enable every rule axe-core knows, experimental ones included, not only the WCAG-tagged ones.
RUN_ALL_RULES = """async () => {
  const rules = axe.getRules().map((rule) => rule.ruleId);
  const result = await axe.run(document, {runOnly: {type: "rule", values: rules}, resultTypes: ["violations"]});
  return {
    rules: rules.length,
    violations: result.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((n) => n.target.join(" ") + " : " + n.failureSummary),
    })),
  };
}"""


def run_axe(page: object) -> dict:
    """Inject axe-core (an inline script: use a CSP-bypassing page such as ``axe_page``) and run every rule."""
    page.add_script_tag(path=str(node_module("axe-core", "axe.min.js")))  # type: ignore[attr-defined]
    return page.evaluate(RUN_ALL_RULES)  # type: ignore[attr-defined]


def axe_violations(page: object) -> list[str]:
    """Every violation on the page, one readable line each (empty when the page passes)."""
    result = run_axe(page)
    assert result["rules"] > 90, "axe-core n'a pas chargé toutes ses règles"
    return [f"[{v['impact']}] {v['id']} : {v['help']} -> " + " | ".join(v["nodes"]) for v in result["violations"]]


# Every copy the service worker keeps (templates/service-worker.js), with its size, in every cache of the origin.
KEPT_COPIES = """async () => {
  const out = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const response = await cache.match(request);
      out.push({cache: name, url: request.url, size: (await response.clone().arrayBuffer()).byteLength});
    }
  }
  return out;
}"""
