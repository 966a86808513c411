"""Helpers for tests that need a modified copy of the fixture dataset."""

from __future__ import annotations

import os
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
