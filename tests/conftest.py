"""Shared fixtures: the fixture dataset, a built site, a local HTTP server and a Chromium browser."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import fcntl
import functools
import http.server
import os
import shutil
import threading
from collections.abc import Callable, Iterator
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


# How `make test` shares the files among its workers (pytest-xdist, --dist loadgroup): one group per file (its
# tests and module fixtures stay together), except where another grouping is faster, measured with --durations.
SAME_WORKER = dict.fromkeys(
    ("test_pages.py", "test_links.py", "test_facile_a_lire_pages.py", "test_offline.py", "test_community_files.py"),
    "chaque-page",  # they read every page of the same sites: one worker parses them once (page_types.parsed_pages)
)
SPLIT_BY = {"browser/test_accessibility.py": "width"}  # the longest file, one group per view
START_FIRST = (  # the longest groups (mostly waiting on Chromium or a preview server), started first so that no
    # worker is left with one of them at the end while the others are idle; then the rest, in collection order
    "browser/test_accessibility.py-1280", "browser/test_accessibility.py-320", "browser/test_base_path.py",
    "test_serve.py", "browser/test_search.py", "chaque-page", "browser/test_lookup.py", "test_base_path.py",
    "test_build_safety.py", "browser/test_facile_a_lire.py", "browser/test_offline.py",
)


def _group(item: pytest.Item) -> str:
    name = item.path.relative_to(ROOT / "tests").as_posix()
    param = SPLIT_BY.get(name)
    callspec = getattr(item, "callspec", None)
    if param and callspec is not None and param in callspec.params:
        return f"{name}-{callspec.params[param]}"
    return SAME_WORKER.get(name, name)


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        item.add_marker(pytest.mark.xdist_group(_group(item)))
    first = {group: rank for rank, group in enumerate(START_FIRST)}
    items.sort(key=lambda item: first.get(_group(item), len(first)))  # stable: the rest keeps its order


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


def build_site(data: Path, out: Path, *, index: bool = True, today: dt.date = FIXED_TODAY,
               base_url: str | None = None) -> Path:
    """Build ``data`` into ``out`` through the real pipeline (published at ``base_url`` if given, as
    ``--base-url`` says); fail the test with the diagnostics if it breaks."""
    from annuaire360.diagnostics import Report
    from annuaire360.pipeline import build

    report = Report()
    settings = dataclasses.replace(settings_for(data, out, today=today), base_url=base_url)
    result = build(settings, report, index=index)
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


def built_once(tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], object]) -> Path:
    """``make(folder)`` once per test run, whichever worker of ``make test`` (pytest-xdist) asks first: the others
    wait for it, then read the same folder. Read-only for the tests: a test that changes files works on a copy."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the run's folder, shared by its workers (each has its own popen-gwN/ inside)
    folder = root / "une-fois" / name
    folder.parent.mkdir(exist_ok=True)
    with (folder.parent / f"{name}.verrou").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed, even if make() fails
        done = folder.parent / f"{name}.fait"
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)  # what a failed attempt left
            folder.mkdir()
            make(folder)
            done.touch()
    return folder


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture dataset, built once per test run with its search index."""
    return built_once(tmp_path_factory, "fixture", lambda folder: build_site(FIXTURE_DATA, folder / "site")) / "site"


@pytest.fixture(scope="session")
def fixture_site_without_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture dataset, built once per test run without search index (as previews and most tests build)."""
    return built_once(tmp_path_factory, "fixture-sans-index",
                      lambda folder: build_site(FIXTURE_DATA, folder / "site", index=False)) / "site"


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real data/, built once per test run with its search index, at today's date (its sources are recent)."""
    return built_once(tmp_path_factory, "reel",
                      lambda folder: build_site(ROOT / "data", folder / "site", today=real_today())) / "site"


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


def vnu(*args: str) -> list[str]:
    """The Nu HTML Checker's command line, ``args`` its options and files.

    Java's quick compiler only, one garbage-collector thread: a run checks at most a few thousand pages, over
    before the optimising compiler pays back its cost (half the CPU time, on 2 shared cores). The schema's
    deep recursion then needs a bigger thread stack than Java's default."""
    jar = node_module("vnu-jar", "build", "dist", "vnu.jar")
    return [java(), "-Xss4m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", str(jar), *args]


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
