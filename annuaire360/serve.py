"""Local preview: build, serve on 127.0.0.1, rebuild on every save.

A save that breaks the data prints the located errors and keeps serving the last good site: the
build only swaps a new site in when every stage succeeded (``write.Staging``).
"""

from __future__ import annotations

import errno
import functools
import http.server
import signal
import sys
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

import watchfiles

from .diagnostics import Report
from .pipeline import CONTENT, STATIC, TEMPLATES, build


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Static files of the built site, never cached (the preview changes under the reader's eyes)."""

    def __init__(self, *args: Any, directory: str, **kwargs: Any) -> None:
        super().__init__(*args, directory=directory, **kwargs)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def send_head(self) -> Any:
        root = Path(self.directory)
        if not root.is_dir():
            self._french(503, "Le site n'a pas encore pu être construit : corrigez les erreurs affichées dans "
                              "le terminal, enregistrez, puis rechargez cette page.")
            return None
        return super().send_head()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code == 404 and page.is_file() and self.command in ("GET", "HEAD"):
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command == "GET":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)

    def _french(self, code: int, text: str) -> None:
        body = (f'<!doctype html><html lang="fr"><meta charset="utf-8"><title>Aperçu indisponible</title>'
                f"<p>{text}</p></html>").encode()
        self.send_response(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command == "GET":
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - signature of the base class
        pass  # one line per request would drown the build messages


def _relative(path: str | Path) -> str:
    try:
        return Path(path).resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


class Preview:
    """A preview server bound to a data directory and an output directory."""

    def __init__(self, data_dir: Path, out_dir: Path, *, host: str = "127.0.0.1", port: int = 8000,
                 index: bool = True, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> None:
        self.data_dir, self.out_dir, self.index = data_dir, out_dir.absolute(), index
        self.out, self.err = out, err
        handler = functools.partial(_Handler, directory=str(self.out_dir))
        self.server = http.server.ThreadingHTTPServer((host, port), handler)
        self.server.daemon_threads = True
        self.url = f"http://{host}:{self.server.server_address[1]}/"
        self.stop = threading.Event()

    def watched(self) -> list[Path]:
        """Everything a build reads."""
        return [p for p in (self.data_dir, TEMPLATES, STATIC, CONTENT) if p.exists()]

    def rebuild(self, changes: Iterable[tuple[watchfiles.Change, str]] = ()) -> bool:
        """Build once; print the result; True when the new site is being served."""
        changes = list(changes)
        added = {path for change, path in changes if change == watchfiles.Change.added}
        # an editor's temporary file (written, then renamed over the real one) is no news to the reader
        names = sorted({_relative(path) for change, path in changes
                        if Path(path).exists() or (change == watchfiles.Change.deleted and path not in added)})
        report = Report()
        result = build(self.data_dir, self.out_dir, report, index=self.index)
        report.print(self.err)
        self.err.flush()
        what = f"Modifié : {', '.join(names[:3])}{' …' if len(names) > 3 else ''}. " if names else ""
        if result is None:
            kept = ("Le site affiché reste la dernière version correcte" if self.out_dir.is_dir()
                    else "Le site ne peut pas encore être affiché")
            print(f"{what}{report.summary()}. {kept} : corrigez puis enregistrez à nouveau.", file=self.out, flush=True)
            return False
        print(f"{what}{result.summary()}. Rechargez la page dans le navigateur.", file=self.out, flush=True)
        return True

    def run(self) -> int:
        """Serve until Ctrl+C (or SIGTERM); rebuild after every save."""
        self.rebuild()
        thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        thread.start()
        print(f"Aperçu du site : {self.url} (Ctrl+C pour arrêter). Chaque enregistrement reconstruit le site.",
              file=self.out, flush=True)
        previous = signal.signal(signal.SIGTERM, lambda *_: self.stop.set()) if _main_thread() else None
        try:
            # step: wait 50 ms without new events before rebuilding, so that an editor's
            # write-then-rename counts as one save; rust_timeout lets stop_event be seen quickly
            for changes in watchfiles.watch(*self.watched(), stop_event=self.stop, step=50, debounce=400,
                                            rust_timeout=200, yield_on_timeout=False, raise_interrupt=True):
                self.rebuild(changes)
        except KeyboardInterrupt:
            pass
        finally:
            self.server.shutdown()
            self.server.server_close()
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)
        print("Aperçu arrêté.", file=self.out, flush=True)
        return 0


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def serve(data_dir: Path, out_dir: Path, *, port: int, index: bool = True) -> int:
    """The ``serve`` command: 0 when stopped by the user, 2 when the port cannot be used."""
    try:
        preview = Preview(data_dir, out_dir, port=port, index=index)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            print(f"Le port {port} est déjà utilisé (un autre aperçu est peut-être ouvert) : "
                  f"fermez-le ou choisissez un autre port, par exemple --port {port + 1}.", file=sys.stderr)
        else:
            print(f"Impossible d'ouvrir le port {port} : {exc.strerror}.", file=sys.stderr)
        return 2
    return preview.run()
