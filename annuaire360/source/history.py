"""« Modifié le … »: when each data file last changed, read from the repository's history.

Deterministic: a file's date is the committer date (UTC) of the newest commit that changed it, so the same
history always gives the same dates, whatever the clock or the checkout time. Never required: without git,
outside a repository, or for a file whose last change lies beyond the start of a shallow clone (its date
would be the clone's cut, not a change), the file simply has no date and pages say nothing about it.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Callable
from pathlib import Path

Runner = Callable[[list[str], Path], str]
"""Runs a git command in a folder and returns its standard output; raises OSError or SubprocessError."""

RECORD = "\x1e"  # starts each commit in the log, so that file names can never be mistaken for a commit line


def run_git(args: list[str], folder: Path) -> str:
    """Run ``git args`` in ``folder`` (paths printed as they are, even non-ASCII); its output."""
    result = subprocess.run(
        ["git", "-c", "core.quotepath=off", *args],
        cwd=folder, capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=120, check=True,
    )
    return result.stdout


def file_dates(folder: Path, *, run: Runner = run_git) -> dict[str, dt.date]:
    """Date of the last commit that changed each file under ``folder``, keyed by its path relative to the
    folder (« departements/80-somme.yaml »); {} when there is no usable history."""
    try:
        shallow = Path(run(["rev-parse", "--path-format=absolute", "--git-path", "shallow"], folder).strip())
        log = run(["log", f"--format={RECORD}%H %ct", "--name-only", "--relative", "--no-renames", "--", "."], folder)
    except (OSError, subprocess.SubprocessError):
        return {}
    # In a shallow clone, the oldest commits present are cut from their parents: they appear to have
    # changed every file they hold. Their date is the cut, not a change: such files get no date.
    boundary = set(shallow.read_text(encoding="ascii").split()) if shallow.is_file() else set()
    dates: dict[str, dt.date] = {}
    for record in log.split(RECORD)[1:]:
        head, *names = record.splitlines()
        commit, stamp = head.split()
        date = dt.datetime.fromtimestamp(int(stamp), tz=dt.UTC).date()
        for name in filter(None, names):
            if commit in boundary:
                dates.setdefault(name, dt.date.min)  # known to exist before the cut: never dated by it
            elif date > dates.get(name, dt.date.min):
                dates[name] = date
    return {name: date for name, date in sorted(dates.items()) if date != dt.date.min}
