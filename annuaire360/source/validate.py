"""Validate: turn a parsed document into its pydantic record, every problem a located French diagnostic.

Nothing here raises on bad data. ``read_validated`` is the one way to read and validate a data file:
``check``, the schema vocabulary and the GitHub job summary all go through it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from pydantic import ValidationError

from .. import format as fmt
from ..diagnostics import Report
from .files import DataFile
from .load import GENERATED, HAND_WRITTEN, Document, Limits, load_file
from .messages import translate

MAX_ERRORS = 100
"""Problems detailed for one file; beyond, one message counts the others. A file with ten thousand mistakes
is not one to fix line by line, and explaining each (suggestions included) would take seconds."""


class Loader(Protocol):
    """Reads one file into a Document (``load.load_file``), within the caps of its kind; the preview server
    passes a caching one."""

    def __call__(self, path: Path, display: str, report: Report, limits: Limits = ...) -> Document | None: ...


def validate_document(
    doc: Document, model: type[fmt.Modele], report: Report, context: fmt.Context | None = None
) -> fmt.Modele | None:
    """Validate one document against its model; record every error, located, and return the record or None.

    ``context`` carries today's date and the vocabularies kept as data (data/types.yaml). A document validated
    again with the same model and context gives the record it gave the first time (``Document.validated``).
    """
    known = doc.validated.get((model, context))
    if known is not None:
        return known  # type: ignore[no-any-return]
    try:
        record = model.model_validate(doc.data, context=context)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        for error in errors[:MAX_ERRORS]:
            loc, message, on_key = translate(error, model, doc)
            line, column = doc.locate(loc, key=on_key)
            report.error(doc.display, line, column, message)
        if len(errors) > MAX_ERRORS:
            loc, _, on_key = translate(errors[MAX_ERRORS], model, doc)
            rest = len(errors) - MAX_ERRORS
            report.error(doc.display, *doc.locate(loc, key=on_key),
                         f"et {rest} autre{'s' if rest > 1 else ''} problème{'s' if rest > 1 else ''} dans ce fichier, "
                         "à partir d'ici : corrigez d'abord ceux ci-dessus, puis relancez la vérification")
        return None
    doc.validated[(model, context)] = record
    return record


def read_validated(
    file: DataFile, report: Report, context: fmt.Context | None = None, *, loader: Loader = load_file
) -> tuple[Document | None, fmt.Modele | None]:
    """Read one data file and validate it against the model of its kind: its document and record, None where
    it failed (with diagnostics). A missing file is an error: every kind read this way is required."""
    if file.refused is not None:
        report.error(file.display, 1, 1, file.refused)
        return None, None
    if not file.path.exists():
        report.error(file.display, 1, 1, f"fichier obligatoire manquant : {file.display}")
        return None, None
    document = loader(file.path, file.display, report, GENERATED if file.kind == "import" else HAND_WRITTEN)
    if document is None:
        return None, None
    return document, validate_document(document, fmt.FILE_MODELS[file.kind], report, context)
