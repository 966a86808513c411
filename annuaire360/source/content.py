"""Content pages: ``content/*.md``, a small YAML front matter then Markdown, read and validated like data.

Only reading happens here; the Markdown is turned into HTML by the site stage (``site/text.py``), whose
cost ``format.values.markdown_problem`` bounds before it is ever rendered.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import DisplayRule, Report, quoted
from ..errors import LoadError
from ..format.content import EnTete
from ..format.values import PAGE_LIMITS, SLUG_MAX_LENGTH, SLUG_RE, markdown_problem, slugify
from .files import capital_suffix, outside
from .load import parse, read_text
from .validate import validate_document

PAGE_MAX_BYTES = 200_000
"""A content page is a few pages of text (the contributor guide, the longest, is about 32 ko)."""


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


def _name_problem(path: Path, directory: Path) -> str | None:
    """Why a content file may not be read: its name (which makes its address), or where it leads."""
    if path.suffix != ".md":
        return capital_suffix(path)
    if not SLUG_RE.fullmatch(path.stem) or len(path.stem) > SLUG_MAX_LENGTH:
        guess = slugify(path.stem)[:SLUG_MAX_LENGTH].rstrip("-")
        return (f"nom de fichier {quoted(path.name)} invalide : il donne l'adresse de la page, donc seulement des "
                f"lettres minuscules sans accent, des chiffres et des tirets (ni espace, ni « ? », ni « . »), {SLUG_MAX_LENGTH} "
                "au plus ; " + (f"renommez-le « {guess}.md »" if guess else "renommez-le, par exemple « a-propos.md »"))
    return outside(path, directory)


def _split(text: str) -> tuple[str, str] | None:
    """The front matter (with its opening « --- ») and the body, or None when the header is missing."""
    if not text.startswith("---\n") or "\n---\n" not in text[4:]:
        return None
    head, body = text[4:].split("\n---\n", 1)
    return text[:4] + head, body


def _read_page(path: Path, display: str, report: Report) -> ContentSource | None:
    try:
        # Windows line endings are read as plain ones (data files are read the same way by YAML).
        text = read_text(path, PAGE_MAX_BYTES).replace("\r\n", "\n")
    except LoadError as exc:
        report.error(display, exc.line, exc.column, exc.message.replace(
            "un fichier de département fait quelques kilo-octets", "une page fait quelques dizaines de kilo-octets"))
        return None
    parts = _split(text)
    if parts is None:
        report.error(display, 1, 1, "en-tête manquant : la page doit commencer par « --- », titre:, description:, puis « --- »")
        return None
    head, body = parts
    try:
        # With its opening "---" (a YAML document start), the front matter keeps the page's line numbers.
        document = parse(head, path, display)
    except LoadError as exc:
        report.error(display, exc.line, exc.column, exc.message)
        return None
    header = validate_document(document, EnTete, report)
    if not isinstance(header, EnTete):
        return None
    problem = markdown_problem(body, PAGE_LIMITS)
    if problem is not None:
        at = len(text) - len(body) + problem[0]
        line = text.count("\n", 0, at) + 1
        report.error(display, line, at - (text.rfind("\n", 0, at) + 1) + 1,
                     f"page trop compliquée à mettre en page : {problem[1]}")
        return None
    url_at = document.values.get(("adresse",), (1, 1)) if header.adresse else (1, 1)
    return ContentSource(path, display, f"content/{path.name}", header, body, text, url_at)


def read_content(directory: Path, display: DisplayRule, report: Report) -> list[ContentSource]:
    """Every content/*.md page, by address; a broken page is reported, located, and left out.

    A page whose extension is in capitals (« .MD ») is refused rather than skipped: it would otherwise
    vanish from the site without a word."""
    try:
        entries = sorted(p for p in directory.iterdir() if p.suffix.lower() == ".md" and not p.name.startswith("."))
    except OSError:
        return []
    pages = []
    for path in entries:
        problem = _name_problem(path, directory)
        if problem is not None:
            report.error(display(path), 1, 1, problem)
        else:
            pages.append(_read_page(path, display(path), report))
    return sorted((page for page in pages if page is not None), key=lambda page: page.slug)


__all__ = ["PAGE_MAX_BYTES", "ContentSource", "read_content"]
