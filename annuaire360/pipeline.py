"""The build, stage by stage: load → validate → model → render (+ export) → index → write.

``check`` runs the first two stages; ``build`` runs them all and swaps the new site in only
when every stage succeeded.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment

from . import format as fmt
from .content import load_content
from .diagnostics import Report, shown_path
from .export import export_data
from .index import IndexError_, build_index
from .load import DataFiles, Document, discover, load_file
from .model import Annuaire, build_model
from .render import UrlCollision, make_environment, render_site
from .validate import Dataset, Loader, check_dataset, read_validated
from .write import Staging, WriteError, recover

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
STATIC = ROOT / "static"
CONTENT = ROOT / "content"
SCHEMA = ROOT / "schema"  # JSON Schema of the data files, published at /schema/ for editors and re-users


def check(data_dir: Path, report: Report, *, loader: Loader = load_file) -> Dataset | None:
    """Load and validate every data file; return the dataset, or None if any file is broken.

    ``loader`` reads one file (``load.load_file``); the preview server passes a caching one."""
    files: DataFiles = discover(data_dir)

    context: dict[str, object] = {}

    def read(path: Path, kind: str) -> tuple[Document | None, fmt.Modele | None]:
        # Relative to the current directory (the repository root in CI), so that editors and GitHub
        # annotations can open it; else relative to the data directory's parent.
        display = shown_path(path, Path.cwd(), data_dir.resolve().parent)
        if not path.exists():
            report.error(display, 1, 1, f"fichier obligatoire manquant : {display}")
            return None, None
        return read_validated(path, display, fmt.FILE_MODELS[kind], report, context, loader=loader)

    _, types = read(files.types, "types")
    if isinstance(types, fmt.FichierTypes):
        context["types"] = [t.code for t in types.types]
    _, site = read(files.site, "site")
    national_doc, national = read(files.national, "national")
    _, territoires = read(files.territoires, "territoires")
    departements = [read(p, "departement") for p in files.departements]
    ressources = [read(p, "ressources") for p in files.ressources]
    if site is None or national is None or types is None or territoires is None:
        return None
    dataset = Dataset(
        site=site,  # type: ignore[arg-type]
        national=national,  # type: ignore[arg-type]
        types=types,  # type: ignore[arg-type]
        territoires=territoires,  # type: ignore[arg-type]
        departements=[(d, r) for d, r in departements if d is not None and r is not None],  # type: ignore[misc]
        ressources=[(d, r) for d, r in ressources if d is not None and r is not None],  # type: ignore[misc]
        national_doc=national_doc,
    )
    broken = any(r is None for _, r in departements) or any(r is None for _, r in ressources)
    check_dataset(dataset, report, expected_files=not broken)
    return None if report.errors else dataset


@dataclass
class Rendered:
    """Every output file of the site, in memory, by path (all but the search index)."""

    annuaire: Annuaire
    pages: int
    files: dict[str, bytes]


def _add(files: dict[str, bytes], path: str, data: bytes) -> None:
    if path in files:
        raise WriteError(f"le fichier « {path} » serait écrit deux fois")
    files[path] = data


def render(
    data_dir: Path,
    report: Report,
    *,
    strict: bool = False,
    loader: Loader = load_file,
    env: Environment | None = None,
) -> Rendered | None:
    """Load, validate, model, render and export, without writing anything; None (with diagnostics) on bad data.

    ``build`` writes the result to disk; the preview server (``serve``) serves it from memory, with a
    caching ``loader`` and a Jinja ``env`` kept between rebuilds.
    """
    dataset = check(data_dir, report, loader=loader)
    content = load_content(CONTENT, report)
    if dataset is None or report.failed(strict=strict):
        return None
    annuaire = build_model(dataset)
    try:
        pages = render_site(annuaire, env or make_environment(TEMPLATES), content)
    except UrlCollision as exc:
        report.error(exc.second, *exc.at, f"{exc} : changez l'identifiant ou l'adresse de l'une des deux")
        return None
    files: dict[str, bytes] = {}
    try:
        for url, html in sorted(pages.html.items()):
            _add(files, pages.path_for(url), html.encode())
        for path, data in sorted({**pages.files, **export_data(annuaire, list(pages.html))}.items()):
            _add(files, path, data)
        for prefix, folder in (("static/", STATIC), ("schema/", SCHEMA)):
            for source in sorted(p for p in folder.rglob("*") if p.is_file()):
                _add(files, f"{prefix}{source.relative_to(folder).as_posix()}", source.read_bytes())
    except WriteError as exc:
        report.error("templates", 1, 1, str(exc))
        return None
    return Rendered(annuaire, len(pages.html), files)


@dataclass
class BuildResult:
    """What a build produced, for the summary line."""

    annuaire: Annuaire
    pages: int
    seconds: float

    def summary(self, what: str = "Site construit") -> str:
        counts = self.annuaire.counts
        return (
            f"{what} : {counts['departements']} départements, {counts['communautes']} communautés décrites, "
            f"{counts['structures']} structures, {self.pages} pages en {self.seconds:.1f} s"
        )


def build(data_dir: Path, out_dir: Path, report: Report, *, strict: bool = False, index: bool = True) -> BuildResult | None:
    """Run every stage; write ``out_dir`` only if all succeed. Returns None (with diagnostics) on failure."""
    start = time.perf_counter()
    # First of all, so that a site a killed build left aside is published again even if this build fails.
    for message in recover(out_dir.absolute()):
        report.warning(str(out_dir), 1, 1, message)
    rendered = render(data_dir, report, strict=strict)
    if rendered is None:
        return None
    try:
        staging = Staging(out_dir)
    except WriteError as exc:
        report.error(str(out_dir), 1, 1, str(exc))
        return None
    try:
        for path, data in rendered.files.items():
            staging.write(path, data)
        if index:
            build_index(staging.root)
        staging.commit()
    except (WriteError, IndexError_, OSError) as exc:
        staging.abort()
        report.error(str(out_dir), 1, 1, f"construction interrompue, le site publié n'a pas été modifié : {exc}")
        return None
    except BaseException:
        staging.abort()
        raise
    return BuildResult(rendered.annuaire, rendered.pages, time.perf_counter() - start)
