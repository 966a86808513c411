"""Helpers for tests that need a modified copy of the fixture dataset."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import FIXED_EPOCH, FIXTURE_DATA, ROOT


def copy_fixture(tmp_path: Path) -> Path:
    """A writable copy of tests/fixtures/data."""
    target = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, target)
    return target


def run_build(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run build.py as a contributor would, capturing its output."""
    import os

    environment = {**os.environ, "SOURCE_DATE_EPOCH": FIXED_EPOCH, **(env or {})}
    environment.pop("GITHUB_ACTIONS", None) if env is None or "GITHUB_ACTIONS" not in env else None
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), *args],
        cwd=cwd, env=environment, capture_output=True, text=True, timeout=120,
    )
