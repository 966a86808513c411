"""Linters as habits: ruff (with complexity limits) and mypy (strict) find nothing (config in pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *command], cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_ruff_finds_nothing() -> None:
    result = run("ruff", "check", "--no-cache", "annuaire360", "tests", "bench", "tools", "build.py")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_finds_nothing() -> None:
    result = run("mypy")  # the package, strict, with pydantic's plugin (pyproject.toml)
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_blanket_ignores() -> None:
    """Ignores name their rule: no bare ``# type: ignore`` or ``# noqa`` that would silence everything."""
    blanket = []
    for path in sorted((ROOT / "annuaire360").rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.rstrip().endswith(("# type: ignore", "# noqa")) or "# noqa " in line.replace("# noqa: ", ""):
                blanket.append(f"{path.relative_to(ROOT)}:{number}")
    assert blanket == []
