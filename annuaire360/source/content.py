"""Content pages: ``content/*.md``, a small YAML front matter then Markdown, read and validated like data.

Only reading happens here; the Markdown is turned into HTML by the site stage (``site/text.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import DisplayRule, Report
from ..errors import LoadError
from ..format.content import EnTete
from .load import parse, read_text
from .validate import validate_document


@dataclass(frozen=True)
class ContentSource:
    """A content page as written: its validated front matter and its Markdown body."""

    path: Path
    display: str
    repository_path: str
    header: EnTete
    body: str
    text: str  # the whole file, for the checks that read what was written
    url_at: tuple[int, int] = (1, 1)  # where the page's address is decided: its "adresse:" value, else the file name

    @property
    def slug(self) -> str:
        return self.header.adresse or self.path.stem

    @property
    def url(self) -> str:
        return f"/{self.slug}/"


def _read_page(path: Path, display: str, report: Report) -> ContentSource | None:
    try:
        text = read_text(path)
    except LoadError as exc:
        report.error(display, exc.line, exc.column, exc.message)
        return None
    if not text.startswith("---\n") or "\n---\n" not in text[4:]:
        report.error(display, 1, 1, "en-tête manquant : la page doit commencer par « --- », titre:, description:, puis « --- »")
        return None
    head, body = text[4:].split("\n---\n", 1)
    try:
        # With its opening "---" (a YAML document start), the front matter keeps the page's line numbers.
        document = parse(text[:4] + head, path, display)
    except LoadError as exc:
        report.error(display, exc.line, exc.column, exc.message)
        return None
    header = validate_document(document, EnTete, report)
    if not isinstance(header, EnTete):
        return None
    url_at = document.values.get(("adresse",), (1, 1)) if header.adresse else (1, 1)
    return ContentSource(path, display, f"content/{path.name}", header, body, text, url_at)


def read_content(directory: Path, display: DisplayRule, report: Report) -> list[ContentSource]:
    """Every content/*.md page, by address; a broken page is reported, located, and left out."""
    pages = [_read_page(path, display(path), report) for path in sorted(directory.glob("*.md"))]
    return sorted((page for page in pages if page is not None), key=lambda page: page.slug)

