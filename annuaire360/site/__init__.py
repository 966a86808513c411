"""Dataset → every output file of the site, in memory (no disk here: ``publish`` writes them).

``model`` assembles the records into what pages read; ``render`` turns it into HTML (``text`` for Markdown,
dates, hours and acronyms; ``links`` for report and edit links; ``search_facets`` for the search filters;
``geo`` for the commune index and map); ``export`` writes the open data; ``pages`` holds every file by path.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment

from ..errors import LoadError, PageError
from ..settings import Paths
from ..source import Dataset
from ..source.files import outside, read_regular
from .base import base_path, public_url, rebase_files
from .export import export_data
from .model import Annuaire, build_model
from .offline import add_offline_files
from .pages import SiteFiles
from .render import PagePlan, render_pages


@dataclass(frozen=True)
class Site:
    """Every output file of the site (but the search index), and the model it was made from."""

    annuaire: Annuaire
    files: SiteFiles


@dataclass(frozen=True)
class SitePlan:
    """The model and every page of the site, planned but not rendered yet (``finish_site`` renders them)."""

    annuaire: Annuaire
    pages: PagePlan
    copied: dict[str, tuple[bytes, str]]  # static/ and schema/, read once: site path → (content, origin)
    today: dt.date


def plan_site(
    dataset: Dataset, paths: Paths, env: Environment, today: dt.date, *, modified: dict[str, dt.date] | None = None,
    base_url: str | None = None,
) -> SitePlan:
    """The model, the list of every page with what its template needs, and the files of static/ and schema/;
    raises AnnuaireError (located).

    ``modified``: when each data file last changed (``source.history``), by path relative to the data folder.
    ``base_url``: the public address of this build when it is not data/site.yaml's ``url`` (a pull request
    preview); every address of the site follows it (``base.py``)."""
    annuaire = build_model(dataset, modified or {})
    if base_url is not None:
        annuaire.site = annuaire.site.model_copy(update={"url": public_url(annuaire.site.url, base_url)})
    return SitePlan(annuaire, PagePlan(annuaire, env, today), copies(paths), today)


def finish_site(plan: SitePlan, interrupted: Callable[[], bool] | None = None, *, workers: int = 1) -> Site:
    """Pages, open data, the copies of static/ and schema/, then the offline files; raises AnnuaireError
    (located), or ``Interrupted`` when ``interrupted`` says so between two pages. ``workers``: processes that
    render the pages (``parallel.py``)."""
    annuaire = plan.annuaire
    files = render_pages(plan.pages, interrupted, workers)
    for path, data in export_data(annuaire, files.urls, plan.today).items():
        files.add(path, data, "annuaire360/site/export/")
    for path, (data, origin) in plan.copied.items():
        files.add(path, data, origin)
    rebase_files(files.files, base_path(annuaire.site.url))
    # last: the service worker is versioned by every other file (its addresses are relative: never rebased)
    add_offline_files(files, annuaire.site, plan.pages.env)
    return Site(annuaire, files)


def make_site(
    dataset: Dataset, paths: Paths, env: Environment, today: dt.date, *, modified: dict[str, dt.date] | None = None,
    base_url: str | None = None,
) -> Site:
    """Every output file of the site in memory: ``plan_site`` then ``finish_site``."""
    return finish_site(plan_site(dataset, paths, env, today, modified=modified, base_url=base_url))


def copies(paths: Paths) -> dict[str, tuple[bytes, str]]:
    """The files of static/ and schema/, published as they are: site path → (content, the folder they come from)."""
    found: dict[str, tuple[bytes, str]] = {}
    for prefix, folder in (("static/", paths.static), ("schema/", paths.schema)):
        for source in sorted(p for p in folder.rglob("*") if not p.is_dir()):
            found[f"{prefix}{source.relative_to(folder).as_posix()}"] = (_copied(source, folder, paths), f"{folder.name}/")
    return found


STATIC_MAX_BYTES = 20_000_000
"""A static file (a script, a style sheet, an image) is far smaller."""


def _copied(source: Path, folder: Path, paths: Paths) -> bytes:
    """A file of static/ or schema/, read like every input: a regular file inside its folder. A symbolic link
    to a file outside (``/proc/self/environ``…) would publish it; a named pipe would stop the build."""
    problem = outside(source, folder)
    try:
        if problem is not None:
            raise LoadError(problem)
        data, _ = read_regular(source, STATIC_MAX_BYTES)
    except LoadError as exc:
        raise PageError(exc.message, paths.display(source)) from None
    if len(data) > STATIC_MAX_BYTES:
        raise PageError(f"fichier trop gros (plus de {STATIC_MAX_BYTES // 1_000_000} Mo) pour être publié", paths.display(source))
    return data


__all__ = ["Site", "SitePlan", "finish_site", "make_site", "plan_site"]
