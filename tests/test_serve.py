"""``build.py serve``, for real: a subprocess on a free port, files edited and broken under it."""

from __future__ import annotations

import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from tests.helpers import copy_fixture

from .conftest import FIXTURE_DATA, ROOT

NORD = Path("data") / "departements" / "59-nord.yaml"
PAGE = "structures/pcpe-fictif-lille/"
TIMEOUT = 60  # generous: CI machines are slow and shared; the speed itself is measured in bench/


def request(url: str, timeout: float = TIMEOUT) -> tuple[int, str, dict[str, str]]:
    """Status, body and headers of a GET, an HTTP error included (the preview answers 404 and 503 pages)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers)


class Preview:
    """A running ``build.py serve`` and what it printed."""

    def __init__(self, cwd: Path, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "build.py"), "serve", "--data", "data", "--out", "site", *args],
            cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1,
        )
        self.output: list[str] = []
        self._lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.url = ""

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._lines.put(line.rstrip("\n"))
        self._lines.put(None)

    def wait_for(self, pattern: str) -> re.Match[str]:
        """Block until a printed line matches; fail with everything printed so far."""
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            try:
                line = self._lines.get(timeout=0.2)
            except queue.Empty:
                continue
            if line is None:
                break
            self.output.append(line)
            match = re.search(pattern, line)
            if match:
                return match
        raise AssertionError(f"« {pattern} » jamais affiché ; sortie :\n" + "\n".join(self.output))

    def start(self) -> str:
        self.url = self.wait_for(r"Aperçu du site : (http://127\.0\.0\.1:\d+/) ").group(1)
        return self.url

    def get(self, path: str = "") -> tuple[int, str, dict[str, str]]:
        return request(self.url + path, timeout=10)

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=TIMEOUT)  # under load the whole site still rendering slows the exit
        finally:
            if self.process.poll() is None:
                self.process.kill()


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    copy_fixture(tmp_path)
    return tmp_path


@pytest.fixture
def preview(workspace: Path) -> Iterator[Preview]:
    running = Preview(workspace, "--port", "0", "--sans-index")
    yield running
    running.stop()


def h1(html: str) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", html, flags=re.S)
    assert match, html[:500]
    return match.group(1).strip()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_serve_rebuilds_on_save_and_keeps_the_last_good_site(workspace: Path, preview: Preview) -> None:
    preview.start()
    assert preview.url.startswith("http://127.0.0.1:")
    status, html, headers = preview.get(PAGE)
    assert status == 200 and h1(html) == "PCPE fictif de Lille"
    assert headers["Cache-Control"] == "no-store"

    # a save: the page changes
    edit(workspace / NORD, "nom: PCPE fictif de Lille", "nom: PCPE fictif de Lille-Sud")
    preview.wait_for(r"^Modifié : data/departements/59-nord\.yaml\. Aperçu construit")
    status, html, _ = preview.get(PAGE)
    assert status == 200 and h1(html) == "PCPE fictif de Lille-Sud"

    # a save that breaks the data: the error is printed, and shown in the browser in place of the page
    edit(workspace / NORD, '"03 53 01 45 67"', '"03 53 01 45"')
    error = preview.wait_for(r"^data/departements/59-nord\.yaml:(\d+):\d+: erreur: numéro de téléphone « 03 53 01 45 »")
    lines = (workspace / NORD).read_text(encoding="utf-8").splitlines()
    assert '"03 53 01 45"' in lines[int(error.group(1)) - 1]
    preview.wait_for(r"1 erreur.*Le navigateur affiche les erreurs")
    status, html, _ = preview.get(PAGE)
    assert status == 503 and h1(html) == "Aperçu : 1 erreur dans les données"
    shown = BeautifulSoup(html, "html.parser").select("ul.apercu-erreurs li")
    where, message = error.string.split(": erreur: ", 1)
    assert [li.get_text() for li in shown] == [f"{where} : {message}"]  # as printed in the terminal
    assert "dernière version correcte du site reste en mémoire" in html
    status, css, _ = preview.get("static/style.css")  # the error page is styled by the last good build
    assert status == 200 and css
    assert not list(workspace.glob(".site.*")), "dossier de construction abandonné"

    # fixed again: served again; unknown pages get the site's own 404 page
    edit(workspace / NORD, '"03 53 01 45"', '"03 53 01 45 67"')
    preview.wait_for(r"Aperçu construit")
    status, html, _ = preview.get("page-qui-n-existe-pas/")
    assert status == 404 and "Pour trouver de l'aide, appelez le" in html  # the site's own 404 page
    status, html, _ = preview.get("structures/pcpe-fictif-lille")  # no final slash: redirected
    assert status == 200 and h1(html) == "PCPE fictif de Lille-Sud"
    status, css, headers = preview.get("static/style.css")
    assert status == 200 and headers["Content-Type"].startswith("text/css") and css
    assert not (workspace / "site").exists()  # --sans-index: the preview never writes to disk

    assert preview.stop() == 0
    preview.wait_for(r"^Aperçu arrêté\.$")
    with pytest.raises(OSError):
        urllib.request.urlopen(preview.url, timeout=2)


def test_serve_waits_for_a_first_good_build(workspace: Path, preview: Preview) -> None:
    edit(workspace / NORD, "code: \"59\"", "code: 59")
    preview.wait_for(r"Le site ne peut pas encore être affiché")
    preview.start()
    status, html, _ = preview.get()
    assert status == 503 and "Le site n'a pas encore pu être construit" in html
    assert "data/departements/59-nord.yaml:" in html and "écrivez-le entre guillemets" in html
    edit(workspace / NORD, "code: 59", "code: \"59\"")
    preview.wait_for(r"Aperçu construit")
    status, html, _ = preview.get("departements/59-nord/")
    assert status == 200 and "Nord" in h1(html)


class Events:
    """The preview's event stream, read as a browser's EventSource would: one ``version`` at a time."""

    def __init__(self, url: str) -> None:
        self.response = urllib.request.urlopen(url + "__apercu/evenements", timeout=TIMEOUT)
        assert self.response.headers["Content-Type"].startswith("text/event-stream")

    def next_version(self) -> int:
        """Block until the server announces a version (comments that keep the stream alive are skipped)."""
        event = ""
        while True:
            line = self.response.readline().decode()
            assert line, "flux d'événements fermé"
            if line.startswith("event:"):
                event = line.split(":", 1)[1].strip()
            elif line.startswith("data:") and event == "version":
                return int(line.split(":", 1)[1])

    def close(self) -> None:
        self.response.close()


def test_every_page_reloads_itself_after_a_save_good_or_broken(workspace: Path, preview: Preview) -> None:
    preview.start()
    status, html, _ = preview.get(PAGE)
    scripts = [s["src"] for s in BeautifulSoup(html, "html.parser").find_all("script", src=True)]
    assert scripts.count("/__apercu/recharger.js") == 1 and scripts[-1] == "/__apercu/recharger.js"  # after the page's own
    status, script, headers = preview.get("__apercu/recharger.js")
    assert status == 200 and headers["Content-Type"].startswith("text/javascript")
    assert 'new EventSource("/__apercu/evenements")' in script and "window.location.reload()" in script
    events = Events(preview.url)
    try:
        first = events.next_version()
        edit(workspace / NORD, "nom: PCPE fictif de Lille", "nom: PCPE fictif de Tourcoing")
        assert events.next_version() > first  # announced once the new pages are served
        assert h1(preview.get(PAGE)[1]) == "PCPE fictif de Tourcoing"
        edit(workspace / NORD, "code: \"59\"", "code: 59")
        second = events.next_version()
        assert preview.get(PAGE)[0] == 503  # the errors, in place of the page
        edit(workspace / NORD, "code: 59", "code: \"59\"")
        assert events.next_version() > second
        assert preview.get(PAGE)[0] == 200
    finally:
        events.close()


def test_the_reload_script_never_reaches_the_built_site(workspace: Path) -> None:
    running = Preview(workspace, "--port", "0")
    try:
        running.start()
        running.wait_for(r"^Index de recherche à jour")
    finally:
        assert running.stop() == 0
    built = [p for p in (workspace / "site").rglob("*") if p.is_file() and p.suffix in (".html", ".js")]
    assert built and not [p for p in built if b"__apercu" in p.read_bytes()]


def test_serve_says_when_the_port_is_taken(workspace: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [sys.executable, str(ROOT / "build.py"), "serve", "--data", "data", "--out", "site", "--port", str(port)],
            cwd=workspace, capture_output=True, text=True, timeout=60,
        )
    assert result.returncode == 2
    assert f"Le port {port} est déjà utilisé" in result.stderr and f"--port {port + 1}" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_writes_the_complete_site_with_its_search_index_once_saves_stop(workspace: Path) -> None:
    running = Preview(workspace, "--port", "0")
    try:
        running.start()
        running.wait_for(r"^Index de recherche à jour ; site complet écrit dans site\.$")
        status, script, _ = running.get("pagefind/pagefind.js")  # not in memory: from the complete site
        assert status == 200 and script
        edit(workspace / NORD, "nom: PCPE fictif de Lille", "nom: PCPE fictif de Roubaix")
        running.wait_for(r"Aperçu construit")
        assert h1(running.get(PAGE)[1]) == "PCPE fictif de Roubaix"
        running.wait_for(r"^Index de recherche à jour")
        written = (workspace / "site" / PAGE / "index.html").read_text(encoding="utf-8")
        assert h1(written) == "PCPE fictif de Roubaix"
    finally:
        assert running.stop() == 0


def test_document_cache_parses_a_file_again_only_when_it_changed(tmp_path: Path) -> None:
    from annuaire360.diagnostics import Report
    from annuaire360.tools.serve import DocumentCache

    path = tmp_path / "80-somme.yaml"
    path.write_text('code: "80"\nnom: Somme\n', encoding="utf-8")
    cache = DocumentCache()
    first = cache(path, "80-somme.yaml", Report())
    assert first is not None and cache(path, "80-somme.yaml", Report()) is first
    path.write_text('code: "80"\nnom: Somme !\n', encoding="utf-8")
    second = cache(path, "80-somme.yaml", Report())
    assert second is not first and second.data["nom"] == "Somme !"
    path.write_text('code: "80"\nnom: [Somme\n', encoding="utf-8")
    report = Report()
    assert cache(path, "80-somme.yaml", report) is None and report.errors  # broken files are never cached


def test_kept_jinja_environment_sees_edited_templates(tmp_path: Path) -> None:
    """serve keeps one Jinja environment between rebuilds: an edited template must still be read again."""
    from annuaire360.diagnostics import Report
    from annuaire360.site.render import make_environment
    from annuaire360.tools.serve import DocumentCache, plan_in_memory
    from tests.conftest import settings_for

    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    env = make_environment(templates)
    cache = DocumentCache()
    before = plan_in_memory(settings_for(FIXTURE_DATA, templates=templates), Report(), cache, env)
    assert before is not None and b"Aper\xc3\xa7u modifi\xc3\xa9" not in (before.get("404.html") or b"")
    page = templates / "404.html"
    page.write_text(page.read_text(encoding="utf-8").replace("</h1>", "</h1>\n<p>Aperçu modifié</p>", 1),
                    encoding="utf-8")
    after = plan_in_memory(settings_for(FIXTURE_DATA, templates=templates), Report(), cache, env)
    assert after is not None and "Aperçu modifié".encode() in (after.get("404.html") or b"")


def test_a_page_rendered_on_demand_is_the_page_of_the_whole_site() -> None:
    """The preview serves each page rendered when first asked for, then the whole site once rendered in the
    background: both must be the same bytes, and the same as ``build`` renders (pipeline.render)."""
    from annuaire360.diagnostics import Report
    from annuaire360.pipeline import render
    from annuaire360.tools.serve import plan_in_memory
    from tests.conftest import settings_for

    settings = settings_for(FIXTURE_DATA)
    snapshot = plan_in_memory(settings, Report())
    built = render(settings, Report())
    assert snapshot is not None and built is not None
    pages = [key for key in built.files.files if key.endswith(".html")]
    assert len(pages) > 100 and all(key in snapshot for key in pages)
    assert [key for key in pages if snapshot.get(key) != built.files.files[key]] == []
    # files only the whole site makes are not there until it is rendered
    assert "donnees/annuaire.json" in built.files.files and "donnees/annuaire.json" not in snapshot
    assert snapshot.get("static/style.css") == built.files.files["static/style.css"]
    assert snapshot.summary.startswith("Aperçu construit : ") and f"{len(built.files.urls)} pages en" in snapshot.summary


def test_the_whole_site_of_a_replaced_save_is_dropped() -> None:
    from annuaire360.diagnostics import Report
    from annuaire360.errors import Interrupted
    from annuaire360.tools.serve import complete_in_memory, plan_in_memory
    from tests.conftest import settings_for

    settings = settings_for(FIXTURE_DATA)
    snapshot = plan_in_memory(settings, Report())
    assert snapshot is not None
    with pytest.raises(Interrupted):
        complete_in_memory(settings, snapshot, Report(), interrupted=lambda: True)
    assert snapshot.done.is_set() and snapshot.files is None  # nobody waits for it; pages still render on demand
    assert "donnees/annuaire.json" not in snapshot and snapshot.get("index.html")
    assert complete_in_memory(settings, snapshot, Report()) and "donnees/annuaire.json" in snapshot


@pytest.fixture
def in_process(tmp_path: Path) -> Iterator[tuple[Any, Path]]:
    """A preview server running in this process on a copy of the templates, rebuilt by calling ``rebuild``."""
    import io

    from annuaire360.tools.serve import Preview as Server
    from tests.conftest import settings_for

    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    server = Server(settings_for(FIXTURE_DATA, tmp_path / "site", templates=templates), port=0, index=False,
                    out=io.StringIO(), err=io.StringIO())
    threading.Thread(target=server.server.serve_forever, daemon=True).start()
    try:
        yield server, templates
    finally:
        server.generation += 1
        server.server.shutdown()
        server.server.server_close()


def fetch(url: str) -> tuple[int, str]:
    status, body, _ = request(url)
    return status, body


def test_a_template_that_breaks_one_page_shows_its_error_in_the_browser(in_process: tuple[Any, Path]) -> None:
    """Only rendering finds a broken template: the page asked for, and the whole site rendered in the
    background, both end on the error page naming the template and its line."""
    server, templates = in_process
    assert server.rebuild() and server.completing is not None
    server.completing.join(TIMEOUT)
    assert fetch(server.url + "donnees/annuaire.json")[0] == 200  # made with the whole site
    page = templates / "structure.html"
    page.write_text(page.read_text(encoding="utf-8").replace("</h1>", "</h1>{{ structure.pas_de_tel_champ }}", 1),
                    encoding="utf-8")
    assert server.rebuild()  # the data is good: the plan is served at once
    status, html = fetch(server.url + PAGE)
    assert status == 503, html[:300]
    heading = BeautifulSoup(html, "html.parser").h1
    assert heading is not None and "erreur" in heading.text
    assert "structure.html" in html and "pas_de_tel_champ" in html
    status, html = fetch(server.url)  # the other pages too, until the template is fixed
    assert status == 503
    page.write_text(page.read_text(encoding="utf-8").replace("{{ structure.pas_de_tel_champ }}", ""), encoding="utf-8")
    assert server.rebuild()
    status, html = fetch(server.url + PAGE)
    assert status == 200 and h1(html) == "PCPE fictif de Lille"


def test_while_the_whole_site_renders_pages_answer_at_once_and_its_files_wait_for_it(
        in_process: tuple[Any, Path]) -> None:
    """A save is served from its plan: a page (or a page that does not exist) answers at once; a file only the
    whole site makes (open data) waits until the whole site is rendered, then is served."""
    from annuaire360.diagnostics import Report
    from annuaire360.tools.serve import complete_in_memory, plan_in_memory

    server, _ = in_process
    snapshot = plan_in_memory(server.settings, Report(), server.cache, server.env)
    assert snapshot is not None
    server.publish(snapshot, [])  # served, its whole site not rendered yet
    assert fetch(server.url + PAGE)[0] == 200 and not snapshot.done.is_set()
    status, html = fetch(server.url + "page-qui-n-existe-pas/")
    assert status == 404 and "introuvable" in h1(html).lower() and not snapshot.done.is_set()
    answers: list[tuple[int, str]] = []
    waiting = threading.Thread(target=lambda: answers.append(fetch(server.url + "donnees/annuaire.json")))
    waiting.start()
    waiting.join(1.0)
    assert waiting.is_alive() and not answers  # the open data waits for the whole site…
    assert complete_in_memory(server.settings, snapshot, Report())
    waiting.join(TIMEOUT)
    assert answers and answers[0][0] == 200 and answers[0][1].startswith("{")  # …and comes with it
