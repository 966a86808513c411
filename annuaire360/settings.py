"""The inputs of a run, read once at the edge (the command line) and passed in: folders, date, GitHub.

Nothing below ``cli.py`` reads the environment, the clock or a package-relative folder: tests and
tools build a ``Settings`` of their own.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from .diagnostics import DisplayRule

REPOSITORY = Path(__file__).resolve().parent.parent
"""The checkout this package runs from: the default home of data/, content/, templates/, static/, schema/."""


@dataclass(frozen=True)
class Paths:
    """Where the inputs are, and where the site goes."""

    root: Path  # the repository: messages show paths relative to it, « modifier ce fichier » links too
    data: Path
    content: Path
    templates: Path
    static: Path
    schema: Path  # JSON Schema of the data files, published at /schema/ for editors and re-users
    out: Path

    @classmethod
    def of(cls, root: Path = REPOSITORY, *, data: Path | None = None, out: Path | None = None) -> Paths:
        """The usual layout of a checkout, with the data and output folders the command line may change."""
        return cls(
            root=root,
            data=data if data is not None else root / "data",
            content=root / "content",
            templates=root / "templates",
            static=root / "static",
            schema=root / "schema",
            out=out if out is not None else root / "site",
        )

    @property
    def display(self) -> DisplayRule:
        """How messages show a path: relative to the current folder (the repository root in CI, so that
        editors and GitHub annotations can open it), else to the repository, else to the data or content
        folder's parent (« data/… », « content/… », « static/… »)."""
        return DisplayRule(Path.cwd(), self.root, self.data.parent, self.content.parent, self.static.parent)

    def with_(self, **changes: Path) -> Paths:
        """A copy with some folders changed (tests give their own content/ or templates/)."""
        return replace(self, **changes)


def build_date(environ: Mapping[str, str]) -> dt.date:
    """The date of the build: SOURCE_DATE_EPOCH when set (reproducible builds), else today."""
    epoch = environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.date.today()


MAX_WORKERS = 4
"""Rendering processes at most: beyond, the other stages (loading, writing, indexing) dominate."""


def workers(environ: Mapping[str, str]) -> int:
    """Processes that render the pages: ``ANNUAIRE_PROCESSUS`` when set (1 renders in one process), else one
    per core this process may use, up to ``MAX_WORKERS``."""
    wanted = environ.get("ANNUAIRE_PROCESSUS", "")
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return min(cores, MAX_WORKERS)


@dataclass(frozen=True)
class GitHub:
    """What GitHub Actions tells a run: annotations wanted, where the job summary goes."""

    actions: bool = False
    step_summary: Path | None = None

    @classmethod
    def from_environment(cls, environ: Mapping[str, str]) -> GitHub:
        summary = environ.get("GITHUB_STEP_SUMMARY")
        return cls(actions=environ.get("GITHUB_ACTIONS") == "true", step_summary=Path(summary) if summary else None)


@dataclass(frozen=True)
class Settings:
    """Every input of a run."""

    paths: Paths
    today: dt.date
    github: GitHub = GitHub()
    base_url: str | None = None  # the site's public address when not data/site.yaml's (previews: --base-url)
    history: bool = False  # read « modifié le » dates from git (the command line does; tests opt in)
    workers: int = 1  # processes that render the pages of a build (site/parallel.py): the same bytes whatever

    @classmethod
    def from_environment(cls, paths: Paths, environ: Mapping[str, str] | None = None, *,
                         base_url: str | None = None) -> Settings:
        environ = os.environ if environ is None else environ
        return cls(paths=paths, today=build_date(environ), github=GitHub.from_environment(environ), history=True,
                   base_url=base_url, workers=workers(environ))
