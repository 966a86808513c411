"""Helpers for tests: a modified copy of the fixture dataset, the command line, a fake JSON API."""

from __future__ import annotations

import contextlib
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from tests.conftest import FIXED_EPOCH, FIXTURE_DATA, ROOT


def copy_fixture(tmp_path: Path) -> Path:
    """A writable copy of tests/fixtures/data."""
    target = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, target)
    return target


def run_build(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None,
              epoch: str | None = FIXED_EPOCH) -> subprocess.CompletedProcess[str]:
    """Run build.py as a contributor would, capturing its output.

    Outside GitHub unless ``env`` says otherwise: in CI, the test run's own GITHUB_* variables would
    make every command write into the job's summary. ``epoch`` fixes "today"; None: the real calendar.
    """
    environment = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_") and k != "SOURCE_DATE_EPOCH"}
    if epoch is not None:
        environment["SOURCE_DATE_EPOCH"] = epoch
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), *args],
        cwd=cwd, env=environment, capture_output=True, text=True, timeout=120,
    )


@contextlib.contextmanager
def json_api(answer: Callable[[str, str, Any], tuple[int, Any]], token: str) -> Iterator[str]:
    """A local JSON API (a fake of GitHub's) for the ``with`` block: ``answer(method, path, body)`` gives the
    status and the JSON answer of each request carrying ``Authorization: Bearer <token>``; others get 401."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def _serve(self) -> None:
            if self.headers.get("Authorization") != f"Bearer {token}":
                self.send_response(401)
                self.end_headers()
                return
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length)) if length else None
            status, found = answer(self.command, self.path, body)
            data = json.dumps(found).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PATCH = _serve  # noqa: N815 (http.server's names)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
