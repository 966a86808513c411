"""The build, stage by stage: source (load → validate) → site (model → render → export) → publish (write, index).

``check`` runs the source stage; ``plan`` adds the model and the list of every page (the preview serves
its pages from it, each rendered when first asked for); ``render`` makes every file in memory; ``build`` runs
all three stages, and swaps the new site in only when every stage succeeded. Each stage's failures
arrive as ``AnnuaireError`` and become a located French message here.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from jinja2 import Environment, TemplateError, TemplateSyntaxError

from .diagnostics import Report
from .errors import AnnuaireError, OutputFolderError, PageError, UrlCollisionError, system_message
from .publish import Indexer, build_index, publish, recover
from .settings import Settings
from .site import Site, SitePlan, finish_site, plan_site
from .site.model import Annuaire
from .site.render import make_environment
from .source import Dataset, read_dataset
from .source.history import file_dates
from .source.load import load_file
from .source.validate import Loader

T = TypeVar("T")


def check(settings: Settings, report: Report, *, loader: Loader = load_file) -> Dataset | None:
    """Load and validate every data file and content page; the dataset, or None if anything is broken."""
    return read_dataset(settings.paths, report, settings.today, loader=loader)


def plan(
    settings: Settings,
    report: Report,
    *,
    strict: bool = False,
    loader: Loader = load_file,
    env: Environment | None = None,
) -> SitePlan | None:
    """Check, then plan every page (the model and what each page needs, nothing rendered); None (with
    diagnostics) on bad data. The preview serves its pages from a plan, each rendered when first asked for."""
    dataset = check(settings, report, loader=loader)
    if dataset is None or report.failed(strict=strict):
        return None

    def planned() -> SitePlan:
        modified = file_dates(settings.paths.data) if settings.history else {}
        environment = env or make_environment(settings.paths.templates)
        return plan_site(dataset, settings.paths, environment, settings.today, modified=modified,
                         base_url=settings.base_url)

    return _located(settings, report, planned)


def finish(settings: Settings, report: Report, planned: SitePlan,
           interrupted: Callable[[], bool] | None = None) -> Site | None:
    """Render every planned page and make every other file, in memory; None (with diagnostics) on failure.
    Raises ``Interrupted`` when ``interrupted`` says so (the preview, when a newer save replaced this one)."""
    return _located(settings, report, lambda: finish_site(planned, interrupted, workers=settings.workers))


def render(
    settings: Settings,
    report: Report,
    *,
    strict: bool = False,
    loader: Loader = load_file,
    env: Environment | None = None,
) -> Site | None:
    """Check, then make every output file in memory; None (with diagnostics) on bad data.

    ``build`` writes the result to disk."""
    planned = plan(settings, report, strict=strict, loader=loader, env=env)
    return None if planned is None else finish(settings, report, planned)


def _located(settings: Settings, report: Report, stage: Callable[[], T]) -> T | None:
    """Run a stage of ``site``; its failure becomes a located French message (and None)."""
    try:
        return stage()
    except UrlCollisionError as exc:
        report.error(exc.second, *exc.at, f"{exc} : changez l'identifiant ou l'adresse de l'une des deux")
    except PageError as exc:
        report.error(exc.origin, *exc.at, exc.message)
    except AnnuaireError as exc:
        report.error(settings.paths.display(settings.paths.templates), 1, 1, exc.message)
    except TemplateError as exc:  # a template edited by hand (the preview watches templates/ too)
        where, line = _template_line(settings, exc)
        report.error(where, line, 1, f"erreur dans le gabarit, pas dans les données : {exc.message or exc}")
    return None


def _template_line(settings: Settings, exc: TemplateError) -> tuple[str, int]:
    """The template and line where a Jinja error arose: a syntax error knows it; at render time, Jinja
    rewrites the traceback so that its deepest template frame points into the template itself."""
    templates = settings.paths.templates.absolute()
    if isinstance(exc, TemplateSyntaxError) and exc.filename:
        return settings.paths.display(Path(exc.filename)), exc.lineno
    found = (settings.paths.display(templates), 1)
    traceback = exc.__traceback__
    while traceback is not None:
        filename = Path(traceback.tb_frame.f_code.co_filename)
        if filename.is_relative_to(templates):
            found = (settings.paths.display(filename), traceback.tb_lineno)
        traceback = traceback.tb_next
    return found


@dataclass
class BuildResult:
    """What a build produced, for the summary line."""

    site: Site
    seconds: float

    def summary(self, what: str = "Site construit") -> str:
        return summary(what, self.site.annuaire, len(self.site.files.urls), self.seconds)


def summary(what: str, annuaire: Annuaire, pages: int, seconds: float) -> str:
    """The line that ends a build or a preview rebuild: what was made, how much, how fast."""
    counts = annuaire.counts
    return (
        f"{what} : {counts['departements']} départements, {counts['communautes']} communautés décrites, "
        f"{counts['structures']} structures, {pages} pages en {seconds:.1f} s"
    )


def build(
    settings: Settings, report: Report, *, strict: bool = False, index: bool = True, indexer: Indexer = build_index
) -> BuildResult | None:
    """Run every stage; write the output folder only if all succeed. None (with diagnostics) on failure.

    ``index=False`` skips the search index (faster previews and tests); ``indexer`` builds it (Pagefind)."""
    start = time.perf_counter()
    out = settings.paths.out.absolute()
    # First of all, so that a site a killed build left aside is published again even if this build fails.
    for message in recover(out):
        report.warning(str(settings.paths.out), 1, 1, message)
    site = render(settings, report, strict=strict)
    if site is None:
        return None
    try:
        publish(site.files.sorted(), out, indexer=indexer if index else None)
    except OutputFolderError as exc:
        report.error(str(settings.paths.out), 1, 1, exc.message)
        return None
    except (AnnuaireError, OSError) as exc:
        detail = exc.message if isinstance(exc, AnnuaireError) else _system_detail(exc)
        report.error(str(settings.paths.out), 1, 1, f"construction interrompue, le site publié n'a pas été modifié : {detail}")
        return None
    return BuildResult(site, time.perf_counter() - start)


def _system_detail(exc: OSError) -> str:
    """An error of the system while writing the site, in French, with the file it concerns."""
    where = f" ({exc.filename})" if exc.filename else ""
    return f"{system_message(exc)}{where}"
