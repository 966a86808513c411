"""Helpers for tests: a modified copy of the fixture dataset, the command line (in-process or in its own
interpreter), a fake JSON API."""

from __future__ import annotations

import contextlib
import http.server
import io
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from unittest import mock

from tests.conftest import FIXED_EPOCH, FIXTURE_DATA, ROOT


def copy_fixture(tmp_path: Path) -> Path:
    """A writable copy of tests/fixtures/data."""
    target = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, target)
    return target


def _environment(env: dict[str, str] | None, epoch: str | None) -> dict[str, str]:
    """The environment of a contributor's command: outside GitHub unless ``env`` says otherwise (in CI, the test
    run's own GITHUB_* variables would make every command write into the job's summary); ``epoch`` fixes "today",
    None: the real calendar."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_") and k != "SOURCE_DATE_EPOCH"}
    if epoch is not None:
        environment["SOURCE_DATE_EPOCH"] = epoch
    environment.update(env or {})
    return environment


def run_build(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None,
              epoch: str | None = FIXED_EPOCH) -> subprocess.CompletedProcess[str]:
    """``build.py ARGS`` in-process: the command's own ``main`` (what build.py calls once its libraries are
    there), run in ``cwd`` with the environment a contributor's command would have, its output captured.

    The same exit code and every printed line as the command, without paying a new interpreter and its imports
    (over a second) per call. The real ``build.py`` runs in a subprocess in ``run_command`` (tests/test_cli.py)."""
    from annuaire360 import cli

    out, err = io.StringIO(), io.StringIO()
    with mock.patch.dict(os.environ, _environment(env, epoch), clear=True), contextlib.chdir(cwd), \
            contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main(list(args))
        except SystemExit as exit_:  # argparse: a usage error (2) or --help (0)
            code = exit_.code if isinstance(exit_.code, int) else 0 if exit_.code is None else 1
    return subprocess.CompletedProcess(["build.py", *args], code, out.getvalue(), err.getvalue())


def run_command(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None,
                epoch: str | None = FIXED_EPOCH) -> subprocess.CompletedProcess[str]:
    """Run build.py as a contributor would, in its own interpreter, capturing its output (bounded in time:
    a command that blocks fails the test)."""
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), *args],
        cwd=cwd, env=_environment(env, epoch), capture_output=True, text=True, timeout=120,
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
