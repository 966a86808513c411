"""``build.py liens``: every source and website of the data tried against a local server that answers, redirects,
refuses HEAD, has lost a page, fails or hangs; a French report, and never a failing exit code."""

from __future__ import annotations

import datetime as dt
import http.server
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from annuaire360.tools import links
from tests.conftest import FIXTURE_DATA, check_data
from tests.helpers import copy_fixture, run_build


class Site(http.server.BaseHTTPRequestHandler):
    """/ok, /redirige (→ /ok), /sans-head (405 to HEAD, 200 to GET), /absent (404), /disparu (410), /panne (500),
    /lent (answers after 3 s), /capricieux (500 once, then 200)."""

    tries: ClassVar[dict[str, int]] = {}

    def answer(self, body: bool) -> None:
        path = self.path
        Site.tries[path] = Site.tries.get(path, 0) + 1
        if path == "/lent":
            time.sleep(3)
        status = {"/ok": 200, "/redirige": 301, "/absent": 404, "/disparu": 410, "/panne": 500, "/lent": 200}.get(path, 404)
        if path == "/sans-head":
            status = 200 if body else 405
        if path == "/capricieux":
            status = 500 if Site.tries[path] == 1 else 200
        self.send_response(status)
        if status == 301:
            self.send_header("Location", "/ok")
        self.send_header("Content-Length", "2")
        self.end_headers()
        if body:
            self.wfile.write(b"ok")

    def do_HEAD(self) -> None:
        self.answer(body=False)

    def do_GET(self) -> None:
        self.answer(body=True)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    Site.tries = {}
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Site)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize(("path", "problem"), [
    ("/ok", None), ("/redirige", None), ("/sans-head", None), ("/capricieux", None),
    ("/absent", "page introuvable (404)"), ("/disparu", "page introuvable (410)"), ("/panne", "erreur 500 du site"),
    ("/lent", "le site ne répond pas"),
])
def test_each_answer_of_a_server(server: str, path: str, problem: str | None) -> None:
    assert links.check(server + path, timeout=1, pause=0).problem == problem


def test_an_unreachable_site() -> None:
    assert links.check("http://127.0.0.1:9/", timeout=2, pause=0).problem == "site injoignable"


def test_every_source_and_website_is_collected_with_where_it_is_written() -> None:
    dataset = check_data(FIXTURE_DATA)
    found = links.collect(dataset)  # type: ignore[arg-type]
    nord = (FIXTURE_DATA / "departements" / "59-nord.yaml").read_text(encoding="utf-8").splitlines()
    for url, places in found.items():
        for place in places:
            path, line = place.rsplit(":", 1)
            if path.endswith("59-nord.yaml"):
                assert url in nord[int(line) - 1]
    assert any("/territoires" in place or "territoires.yaml" in place for places in found.values() for place in places)
    assert len(found) > 5


def test_the_report_lists_the_broken_links_and_is_empty_when_all_answer() -> None:
    found = {"https://www.example.org/a": ["data/departements/59-nord.yaml:12"],
             "https://www.example.org/b": ["data/departements/80-somme.yaml:3", "data/national.yaml:9"]}
    results = [links.Result("https://www.example.org/a", None),
               links.Result("https://www.example.org/b", "page introuvable (404)")]
    text = links.report(results, found, dt.date(2025, 6, 1))
    assert "a trouvé 1 lien qui ne répond pas (sur 2)" in text
    assert ("| <https://www.example.org/b> | page introuvable (404) | `data/departements/80-somme.yaml:3`<br>"
            "`data/national.yaml:9` |") in text
    assert "example.org/a" not in text
    assert links.report([links.Result("https://www.example.org/a", None)], found, dt.date(2025, 6, 1)) == ""


def test_the_command_reports_and_never_fails(tmp_path: Path, server: str) -> None:
    data = copy_fixture(tmp_path)
    for path in data.rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        text = text.replace("url: https://www.example.org/", f"url: {server}/absent?")  # sources may be http
        path.write_text(text, encoding="utf-8")
    report = tmp_path / "liens.md"
    result = run_build("liens", "--data", str(data), "--rapport", str(report), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    text = report.read_text(encoding="utf-8")
    assert "page introuvable (404)" in text and f"<{server}/absent?" in text
    assert "Liens :" in result.stderr and "à vérifier" in result.stderr
