"""Local preview: build, serve on 127.0.0.1, rebuild on every save, reload the browser.

Each save runs only what decides whether the data is good and what the pages are: load (a file whose size
and time did not change is not parsed again) → validate (nor validated again) → model → the plan of every
page (``pipeline.plan``). The new site is served at once: each page is rendered when the browser asks for it
(the same bytes as the build's), so that a save reaches the page in a fraction of a second whatever the size
of the data. Meanwhile a thread renders the whole site in memory: it finds what only rendering shows (a
broken template, two pages at one address), makes the files that need every page (open data, commune index,
service worker), and stops as soon as a newer save arrives. Every page the preview serves carries one small
script (``/__apercu/recharger.js``, allowed by the pages' own CSP: same origin, no inline code) that listens
to the server's events and reloads the page after each rebuild. A save that breaks the data prints the
located errors, and the browser shows them in place of the page until the next good save (style sheets and
scripts still come from the last good build). Once saves stop, the complete site — search index included —
is built into the output directory through the normal pipeline, and whatever the memory does not hold (the
Pagefind index) is served from there. None of this reaches the published site: the script and the error
page exist only in this server.
"""

from __future__ import annotations

import dataclasses
import errno
import functools
import html
import http.server
import mimetypes
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TextIO

import watchfiles
from jinja2 import Environment

from ..diagnostics import Diagnostic, Report
from ..errors import Interrupted, system_message
from ..pipeline import finish, plan, summary
from ..settings import Settings
from ..site import SitePlan
from ..site.pages import file_for_request
from ..site.render import make_environment
from ..source.load import HAND_WRITTEN, Document, Limits, load_file

INDEX_AFTER_IDLE = 1.0
"""Seconds without a save before the complete site (with its search index) is written to disk."""

RELOAD_SCRIPT_PATH = "/__apercu/recharger.js"
EVENTS_PATH = "/__apercu/evenements"
KEEPALIVE = 15.0
"""Seconds between two comments on an idle event stream: a closed tab is noticed, its thread ends."""

RELOAD_SCRIPT = b"""// Preview only (build.py serve): reload this page when the site has been rebuilt, or broken.
const events = new EventSource("/__apercu/evenements");
let seen = null;
events.addEventListener("version", (event) => {
  if (seen !== null && event.data !== seen) window.location.reload();
  seen = event.data;
});
"""
RELOAD_TAG = f'<script src="{RELOAD_SCRIPT_PATH}" defer></script>\n'.encode()


COMPLETE_WAIT = 60.0
"""Seconds a request for a file made with the whole site (open data, commune index, service worker) waits
for it; the whole site of the real data takes about two seconds."""


class Snapshot:
    """The preview's site for one save. Its pages are rendered when first asked for, from the plan (a page
    is the same bytes either way: ``site.render.PagePlan``), so a save reaches the browser in a fraction of
    a second; meanwhile the whole site is rendered in the background (``complete``), which also finds the
    errors only rendering shows (a broken template, two pages at one address). Files that only the whole
    site makes (open data, commune index, service worker) wait for it."""

    def __init__(self, plan: SitePlan, summary: str) -> None:
        self.plan, self.summary = plan, summary
        self.pages = plan.pages.by_path()
        self.files: dict[str, bytes] | None = None  # the whole site, once rendered
        self.done = threading.Event()  # set when the whole site is rendered, or will not be

    def __contains__(self, key: object) -> bool:
        files = self.files
        if files is not None:
            return key in files
        return key in self.pages or key in self.plan.copied  # static/: every page asks for its style sheet

    def get(self, key: str) -> bytes | None:
        """A file of the site; a page not rendered yet is rendered now. Raises what its template raises."""
        files = self.files
        if files is not None:
            return files.get(key)
        if key in self.pages:
            return self.plan.pages.render(*self.pages[key]).encode()
        copied = self.plan.copied.get(key)
        return None if copied is None else copied[0]

    def complete(self, files: dict[str, bytes]) -> None:
        """The whole site is rendered: serve it from now on."""
        self.files = files
        self.done.set()

    def abandon(self) -> None:
        """The whole site will not be rendered (a newer save, or an error): stop waiting for it."""
        self.done.set()


class DocumentCache:
    """``load.load_file`` with a memory: a file whose size and modification time did not change is not
    parsed again (YAML parsing is half of a rebuild). Only files that loaded without error are kept."""

    def __init__(self) -> None:
        self.entries: dict[tuple[Path, str], tuple[tuple[int, int], Document]] = {}

    def __call__(self, path: Path, display: str, report: Report, limits: Limits = HAND_WRITTEN) -> Document | None:
        try:
            stat = path.stat()
        except OSError:
            return load_file(path, display, report, limits)  # reports the problem
        stamp = (stat.st_mtime_ns, stat.st_size)
        hit = self.entries.get((path, display))
        if hit is not None and hit[0] == stamp:
            return hit[1]
        document = load_file(path, display, report, limits)
        if document is not None:
            self.entries[(path, display)] = (stamp, document)
        return document


def plan_in_memory(settings: Settings, report: Report, cache: DocumentCache | None = None,
                   env: Environment | None = None) -> Snapshot | None:
    """The pipeline's stages up to the plan of every page, without rendering or writing; None (with
    diagnostics) on bad data.

    ``env``: a Jinja environment kept between rebuilds, so that only edited templates are compiled again
    (Jinja's auto_reload checks their modification time)."""
    start = time.perf_counter()
    planned = plan(settings, report, loader=cache or load_file, env=env)
    if planned is None:
        return None
    return Snapshot(planned, summary("Aperçu construit", planned.annuaire, planned.pages.counted(),
                                     time.perf_counter() - start))


def complete_in_memory(settings: Settings, snapshot: Snapshot, report: Report,
                       interrupted: Callable[[], bool] | None = None) -> bool:
    """Render the whole site of a snapshot; True when it is served, False (with diagnostics) when rendering
    failed. Raises ``Interrupted`` when ``interrupted`` says so."""
    site = None
    try:
        site = finish(settings, report, snapshot.plan, interrupted)
    finally:  # whatever happens, nobody waits for it any longer
        if site is not None:
            snapshot.complete(site.files.files)
        else:
            snapshot.abandon()
    return site is not None


class _Handler(http.server.SimpleHTTPRequestHandler):
    """The preview's pages from memory, anything else from the last complete build; never cached."""

    def __init__(self, *args: Any, preview: Preview, **kwargs: Any) -> None:
        self.preview = preview
        super().__init__(*args, directory=str(preview.out_dir), **kwargs)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_GET(self) -> None:
        if urllib.parse.urlsplit(self.path).path == EVENTS_PATH:
            self._events()
        else:
            super().do_GET()

    def send_head(self) -> Any:
        path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
        if path == RELOAD_SCRIPT_PATH:
            self._send(200, "text/javascript", RELOAD_SCRIPT)
            return None
        snapshot = self.preview.snapshot
        page = path.endswith(("/", ".html")) or "." not in path.rsplit("/", 1)[-1]  # not a style sheet, script…
        if snapshot is None or (page and self.preview.problems):
            self._send(503, "text/html", error_page(self.preview.problems, styled=snapshot is not None))
            return None
        key, folder = file_for_request(path, snapshot)
        # not a page (every page is in the plan): maybe a file made with the whole site, wait for it
        if key is None and folder is None and not page and snapshot.done.wait(COMPLETE_WAIT):
            key, folder = file_for_request(path, snapshot)
        if key is not None:
            body = self._rendered(snapshot, key)
            if body is not None:
                self._send(200, mimetypes.guess_type(key)[0] or "application/octet-stream", body)
            elif self.preview.problems:
                self._send(503, "text/html", error_page(self.preview.problems, styled=True))
            else:
                super().send_error(500, "Page impossible à construire : voir les messages du terminal")
            return None
        if folder is not None:  # a folder without its final slash
            self.send_response(301)
            self.send_header("Location", folder)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        return super().send_head()  # the search index, from the last complete build

    @staticmethod
    def _rendered(snapshot: Snapshot, key: str) -> bytes | None:
        """A file of the snapshot, None when its page fails to render."""
        try:
            return snapshot.get(key)
        except Exception:  # a broken template: the whole site's rendering reports it, located
            snapshot.done.wait(COMPLETE_WAIT)
            return None

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        snapshot = self.preview.snapshot
        body = self._rendered(snapshot, "404.html") if code == 404 and snapshot is not None else None
        if body is not None:
            self._send(404, "text/html; charset=utf-8", body)
            return
        super().send_error(code, message, explain)

    def _events(self) -> None:
        """Server-sent events: the site's version now, then each new one (a rebuild, good or broken)."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.end_headers()
        preview, seen = self.preview, None
        try:
            while not preview.stop.is_set():
                version = preview.wait_for_version(seen, KEEPALIVE)
                self.wfile.write(f"event: version\ndata: {version}\n\n".encode() if version != seen else b": \n\n")
                self.wfile.flush()
                seen = version
        except OSError:  # the tab was closed or reloaded
            pass
        self.close_connection = True

    def _send(self, code: int, kind: str, body: bytes) -> None:
        if kind.startswith("text/") and "charset" not in kind:
            kind += "; charset=utf-8"
        if kind.startswith("text/html"):  # every page of the preview reloads itself after a rebuild
            body = body.replace(b"</head>", RELOAD_TAG + b"</head>", 1) if b"</head>" in body else body + RELOAD_TAG
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # one line per request would drown the build messages


def error_page(problems: list[Diagnostic], *, styled: bool) -> bytes:
    """What the browser shows instead of a page while the data is broken: every located error, in French."""
    errors = [d for d in problems if d.severity == "erreur"] or problems
    items = "\n".join(
        f"<li><code>{html.escape(d.path)}:{d.line}:{d.column}</code> : {html.escape(d.message)}</li>" for d in errors
    )
    count = f"{len(errors)} erreur{'s' if len(errors) > 1 else ''}"
    style = ('<link rel="stylesheet" href="/static/style.css">\n<link rel="icon" href="/static/favicon.svg" '
             'type="image/svg+xml">\n' if styled else '<link rel="icon" href="data:,">\n')
    kept = ("La dernière version correcte du site reste en mémoire : elle revient dès que les données sont "
            "corrigées." if styled else "Le site n'a pas encore pu être construit.")
    return (
        '<!doctype html>\n<html lang="fr">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>Aperçu : {count} dans les données</title>\n{style}</head>\n<body>\n"
        '<main id="contenu" class="largeur">\n'
        f"<h1>Aperçu : {count} dans les données</h1>\n"
        f"<p>{kept} Corrigez chaque ligne indiquée puis enregistrez le fichier : cette page se recharge "
        "toute seule. Les mêmes messages sont affichés dans le terminal.</p>\n"
        f'<ul class="apercu-erreurs">\n{items}\n</ul>\n'
        "<p>Pour lire un message : fichier, numéro de ligne, position dans la ligne, puis ce qu'il faut faire "
        '(guide « Contribuer », rubrique « Lire un message d\'erreur »).</p>\n'
        "</main>\n</body>\n</html>\n"
    ).encode()


class Preview:
    """A preview server bound to a data directory and an output directory."""

    def __init__(self, settings: Settings, *, host: str = "127.0.0.1", port: int = 8000,
                 index: bool = True, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> None:
        # the preview is served at the root of 127.0.0.1, whatever path data/site.yaml's url carries
        self.settings = dataclasses.replace(settings, base_url="/")
        self.out_dir, self.index = settings.paths.out.absolute(), index
        self.out, self.err = out, err
        self.snapshot: Snapshot | None = None
        self.generation = 0  # one more at every save: a thread rendering an older one stops
        self.completing: threading.Thread | None = None
        self.problems: list[Diagnostic] = []  # the errors of the last rebuild, shown in the browser
        self.version = 0  # one more at every rebuild, good or broken: the browser reloads
        self.changed = threading.Condition()
        self.cache = DocumentCache()
        self.env = make_environment(settings.paths.templates)
        self.builder: subprocess.Popen[str] | None = None
        self.server = http.server.ThreadingHTTPServer((host, port), functools.partial(_Handler, preview=self))
        self.server.daemon_threads = True
        self.url = f"http://{host}:{self.server.server_address[1]}/"
        self.stop = threading.Event()

    def publish(self, snapshot: Snapshot | None, problems: list[Diagnostic]) -> None:
        """Serve a new state (new pages, or the errors of a broken save) and tell every open page to reload."""
        with self.changed:
            if snapshot is not None:
                self.snapshot = snapshot  # one reference swap: a request sees the old pages or the new ones
            self.problems = problems
            self.version += 1
            self.changed.notify_all()

    def wait_for_version(self, seen: int | None, timeout: float) -> int:
        """The site's version once it differs from ``seen`` (or after ``timeout``, or when stopping)."""
        with self.changed:
            self.changed.wait_for(lambda: self.version != seen or self.stop.is_set(), timeout)
            return self.version

    def watched(self) -> list[Path]:
        """Everything a build reads."""
        paths = self.settings.paths
        return [p for p in (paths.data, paths.templates, paths.static, paths.content, paths.schema) if p.exists()]

    def rebuild(self, changes: Iterable[tuple[watchfiles.Change, str]] = ()) -> bool:
        """Check and plan once; print the result; True when the new pages are being served (each rendered
        when asked for, the whole site rendered in the background)."""
        changes = list(changes)
        added = {path for change, path in changes if change == watchfiles.Change.added}
        # an editor's temporary file (written, then renamed over the real one) is no news to the reader
        names = sorted({self.settings.paths.display(Path(path)) for change, path in changes
                        if Path(path).exists() or (change == watchfiles.Change.deleted and path not in added)})
        what = f"Modifié : {', '.join(names[:3])}{' …' if len(names) > 3 else ''}. " if names else ""
        self.generation += 1  # the whole site of the previous save, if still rendering, is dropped
        report = Report()
        snapshot = plan_in_memory(self.settings, report, self.cache, self.env)
        report.print(self.err, github=self.settings.github.actions)
        self.err.flush()
        if snapshot is None:
            self.broken(report, what)
            return False
        self.publish(snapshot, [])
        print(f"{what}{snapshot.summary}. La page ouverte dans le navigateur se recharge toute seule.",
              file=self.out, flush=True)
        generation = self.generation
        self.completing = threading.Thread(target=self.complete, args=(snapshot, generation, what), daemon=True)
        self.completing.start()
        return True

    def complete(self, snapshot: Snapshot, generation: int, what: str) -> None:
        """Render the whole site of a save (in a thread); show its errors in the browser if it fails."""
        report = Report()
        try:
            good = complete_in_memory(self.settings, snapshot, report, lambda: self.generation != generation)
        except Interrupted:
            return
        if good or self.generation != generation:
            return
        report.print(self.err, github=self.settings.github.actions)
        self.err.flush()
        self.broken(report, what)

    def broken(self, report: Report, what: str) -> None:
        """A save that cannot be shown: its errors go to the browser and to the terminal."""
        kept = ("Le navigateur affiche les erreurs ; la dernière version correcte revient" if self.snapshot is not None
                else "Le site ne peut pas encore être affiché ; le navigateur affiche les erreurs")
        self.publish(None, report.items or [Diagnostic(".", 1, 1, "erreur", "construction impossible")])
        print(f"{what}{report.summary()}. {kept} : corrigez puis enregistrez à nouveau.", file=self.out, flush=True)

    def start_site_build(self) -> None:
        """Build the complete site, search index included, into the output directory, in a separate
        process: the preview stays responsive, and the next save cancels it."""
        command = [sys.executable, "-m", "annuaire360", "--data", str(self.settings.paths.data.absolute()),
                   "--out", str(self.out_dir), "--base-url", "/"]
        self.builder = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def site_build_done(self) -> None:
        """Say so when the complete site has been written (or why it could not be)."""
        if self.builder is None or self.builder.poll() is None:
            return
        _, errors = self.builder.communicate()
        if self.builder.returncode == 0:
            print(f"Index de recherche à jour ; site complet écrit dans {self.settings.paths.display(self.out_dir)}.",
                  file=self.out, flush=True)
        elif self.builder.returncode != 130:
            print(errors.strip(), file=self.err, flush=True)
        self.builder = None

    def cancel_site_build(self) -> None:
        """Stop a complete build in progress; SIGINT lets it remove its staging directory."""
        if self.builder is not None and self.builder.poll() is None:
            self.builder.send_signal(signal.SIGINT)
            try:
                self.builder.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.builder.kill()
                self.builder.wait()
        self.builder = None

    def stamps(self) -> dict[Path, tuple[int, int]]:
        """Size and modification time of every file a build reads."""
        found: dict[Path, tuple[int, int]] = {}
        for folder in self.watched():
            for path in folder.rglob("*"):
                try:
                    info = path.stat()
                except OSError:
                    continue
                found[path] = (info.st_mtime_ns, info.st_size)
        return found

    def run(self) -> int:
        """Serve until Ctrl+C (or SIGTERM); rebuild after every save."""
        # A save between the first build and the moment the watcher starts would be missed: compared once
        # the watcher is running (its first wake-up), and rebuilt then.
        before: dict[Path, tuple[int, int]] | None = self.stamps()
        served = self.rebuild()
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        print(f"Aperçu du site : {self.url} (Ctrl+C pour arrêter). Chaque enregistrement reconstruit le site.",
              file=self.out, flush=True)
        previous = signal.signal(signal.SIGTERM, lambda *_: self.stop.set()) if _main_thread() else None
        pending = time.monotonic() - INDEX_AFTER_IDLE if served and self.index else None
        try:
            # step: wait 50 ms without new events before rebuilding, so that an editor's
            # write-then-rename counts as one save; rust_timeout lets stop_event be seen quickly
            for changes in watchfiles.watch(*self.watched(), stop_event=self.stop, step=50, debounce=400,
                                            rust_timeout=250, yield_on_timeout=True, raise_interrupt=True):
                missed = before is not None and not changes and self.stamps() != before
                before = None
                if changes or missed:
                    self.cancel_site_build()
                    served = self.rebuild(changes)
                    pending = time.monotonic() if served and self.index else None
                    continue
                self.site_build_done()
                if pending is not None and time.monotonic() - pending >= INDEX_AFTER_IDLE:
                    pending = None  # Pagefind takes longer than the rest: only once saves stop
                    self.start_site_build()
        except KeyboardInterrupt:
            pass
        finally:
            self.generation += 1  # a whole site still rendering stops at its next page
            self.cancel_site_build()
            with self.changed:
                self.stop.set()  # event streams end, so that the server can shut down
                self.changed.notify_all()
            self.server.shutdown()
            self.server.server_close()
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)
        print("Aperçu arrêté.", file=self.out, flush=True)
        return 0


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def serve(settings: Settings, *, port: int, index: bool = True) -> int:
    """The ``serve`` command: 0 when stopped by the user, 2 when the port cannot be used."""
    try:
        preview = Preview(settings, port=port, index=index)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            print(f"Le port {port} est déjà utilisé (un autre aperçu est peut-être ouvert) : "
                  f"fermez-le ou choisissez un autre port, par exemple --port {port + 1}.", file=sys.stderr)
        else:
            print(f"Impossible d'ouvrir le port {port} : {system_message(exc)}.", file=sys.stderr)
        return 2
    return preview.run()
