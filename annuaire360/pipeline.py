"""The build, stage by stage: source (load → validate) → site (model → render → export) → publish (write, index).

``check`` runs the source stage; ``render`` the first two, in memory (the preview serves its result);
``build`` all three, and swaps the new site in only when every stage succeeded. Each stage's failures
arrive as ``AnnuaireError`` and become a located French message here.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from jinja2 import Environment

from .diagnostics import Report
from .errors import AnnuaireError, OutputFolderError, PageError, UrlCollisionError, system_message
from .publish import Indexer, build_index, publish, recover
from .settings import Settings
from .site import Site, make_site
from .site.render import make_environment
from .source import Dataset, read_dataset
from .source.history import file_dates
from .source.load import load_file
from .source.validate import Loader


def check(settings: Settings, report: Report, *, loader: Loader = load_file) -> Dataset | None:
    """Load and validate every data file and content page; the dataset, or None if anything is broken."""
    return read_dataset(settings.paths, report, settings.today, loader=loader)


def render(
    settings: Settings,
    report: Report,
    *,
    strict: bool = False,
    loader: Loader = load_file,
    env: Environment | None = None,
) -> Site | None:
    """Check, then make every output file in memory; None (with diagnostics) on bad data.

    ``build`` writes the result to disk; the preview server (``serve``) serves it from memory, with a
    caching ``loader`` and a Jinja ``env`` kept between rebuilds.
    """
    dataset = check(settings, report, loader=loader)
    if dataset is None or report.failed(strict=strict):
        return None
    try:
        modified = file_dates(settings.paths.data) if settings.history else {}
        environment = env or make_environment(settings.paths.templates)
        return make_site(dataset, settings.paths, environment, settings.today, modified=modified,
                         base_url=settings.base_url)
    except UrlCollisionError as exc:
        report.error(exc.second, *exc.at, f"{exc} : changez l'identifiant ou l'adresse de l'une des deux")
    except PageError as exc:
        report.error(exc.origin, *exc.at, exc.message)
    except AnnuaireError as exc:
        report.error(settings.paths.display(settings.paths.templates), 1, 1, exc.message)
    return None


@dataclass
class BuildResult:
    """What a build produced, for the summary line."""

    site: Site
    seconds: float

    def summary(self, what: str = "Site construit") -> str:
        counts = self.site.annuaire.counts
        return (
            f"{what} : {counts['departements']} départements, {counts['communautes']} communautés décrites, "
            f"{counts['structures']} structures, {len(self.site.files.urls)} pages en {self.seconds:.1f} s"
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
