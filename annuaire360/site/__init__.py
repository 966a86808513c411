"""Dataset → every output file of the site, in memory (no disk here: ``publish`` writes them).

``model`` assembles the records into what pages read; ``render`` turns it into HTML (``text`` for Markdown,
dates, hours and acronyms; ``links`` for report and edit links; ``search_facets`` for the search filters;
``geo`` for the commune index and map); ``export`` writes the open data; ``pages`` holds every file by path.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from jinja2 import Environment

from ..settings import Paths
from ..source import Dataset
from .export import export_data
from .model import Annuaire, build_model
from .pages import SiteFiles
from .render import render_site


@dataclass(frozen=True)
class Site:
    """Every output file of the site (but the search index), and the model it was made from."""

    annuaire: Annuaire
    files: SiteFiles


def make_site(
    dataset: Dataset, paths: Paths, env: Environment, today: dt.date, *, modified: dict[str, dt.date] | None = None
) -> Site:
    """Model, pages, open data, and the copies of static/ and schema/; raises AnnuaireError (located).

    ``modified``: when each data file last changed (``source.history``), by path relative to the data folder."""
    annuaire = build_model(dataset, modified or {})
    files = render_site(annuaire, env, today)
    for path, data in export_data(annuaire, files.urls, today).items():
        files.add(path, data, "annuaire360/site/export.py")
    for prefix, folder in (("static/", paths.static), ("schema/", paths.schema)):
        for source in sorted(p for p in folder.rglob("*") if p.is_file()):
            files.add(f"{prefix}{source.relative_to(folder).as_posix()}", source.read_bytes(), f"{folder.name}/")
    return Site(annuaire, files)


__all__ = ["Site", "make_site"]
