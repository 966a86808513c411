"""Disk → validated dataset: everything ``check`` needs, content pages included.

``files`` lists the data files; ``load`` reads one into plain values with positions (strict YAML);
``validate`` turns it into its pydantic record (``messages`` says what is wrong in French, on the right
line); ``content`` reads the Markdown pages; ``dataset`` runs the rules that span files.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .. import format as fmt
from ..diagnostics import Report
from ..settings import Paths
from .content import read_content
from .dataset import Dataset, Loaded, check_dataset
from .files import DataFile, DataFolder
from .imports import generated_error
from .load import GENERATED, load_file
from .validate import Loader, read_validated, validate_document


def read_dataset(paths: Paths, report: Report, today: dt.date, *, loader: Loader = load_file) -> Dataset | None:
    """Load and validate every data file and content page; the dataset, or None if anything is broken.

    ``today`` bounds the dates a person writes; ``loader`` reads one file (``load.load_file``), the preview
    server passes a caching one.
    """
    files = DataFolder(paths.data, paths.display).discover()
    for ignored in files.ignored:
        report.warning(ignored.display, 1, 1, ignored.message)
    context = fmt.Context(today=today)

    def read(file: DataFile) -> Loaded[Any] | None:
        doc, record = read_validated(file, report, context, loader=loader)
        return Loaded(file, doc, record) if doc is not None and record is not None else None

    besoins = read(files.besoins)
    if besoins is not None:
        context = fmt.Context(today=today, besoins=tuple(b.code for b in besoins.record.besoins))
    types = read(files.types)
    if types is not None:
        context = fmt.Context(today=today, types=tuple(t.code for t in types.record.types),
                              type_names=fmt.type_names(types.record.types), besoins=context.besoins)
    mots = read(files.mots)
    site, national, territoires = read(files.site), read(files.national), read(files.territoires)
    facile_a_lire = read(files.facile_a_lire)
    departements = [read(file) for file in files.departements]
    ressources = [read(file) for file in files.ressources]
    imports = [_read_generated(file, report, context, loader) for file in files.imports]
    content = read_content(paths.content, paths.display, report)
    if (besoins is None or types is None or mots is None or site is None or national is None or territoires is None
            or facile_a_lire is None):
        return None
    dataset = Dataset(
        files=files,
        besoins=besoins,
        mots=mots,
        site=site,
        national=national,
        types=types,
        territoires=territoires,
        facile_a_lire=facile_a_lire,
        departements=[d for d in departements if d is not None],
        ressources=[r for r in ressources if r is not None],
        imports=[i for i in imports if i is not None],
        content=content,
        complete=None not in departements and None not in ressources,
    )
    check_dataset(dataset, report, today)
    return None if report.errors else dataset


def _read_generated(file: DataFile, report: Report, context: fmt.Context, loader: Loader) -> Loaded[Any] | None:
    """Read a file an importer wrote, if it is as the importer wrote it; a hand edit is reported, with where the
    change belongs."""
    document = loader(file.path, file.display, report, GENERATED)
    if document is None:
        return None
    problem = generated_error(file, document)
    if problem is not None:
        report.error(file.display, 1, 1, problem)
        return None
    record = validate_document(document, fmt.FichierImport, report, context)
    return Loaded(file, document, record) if record is not None else None


__all__ = ["Dataset", "Loaded", "read_dataset"]
