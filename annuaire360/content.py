"""Content pages written in Markdown under content/, with a small YAML front matter."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import Field

from .diagnostics import Report
from .format import Modele
from .load import LoadError, parse, read_text
from .text import markdown_page
from .validate import validate_document
from .values import Slug, Texte


class EnTete(Modele):
    """Front matter of a content page."""

    titre: Texte = Field(description="Titre de la page (son h1).")
    description: Texte = Field(description="Une phrase qui résume la page (pour les moteurs de recherche).")
    adresse: Slug | None = Field(None, description="Adresse de la page ; par défaut le nom du fichier.")
    ordre: int = Field(100, description="Ordre dans le pied de page.")


@dataclass(frozen=True)
class ContentPage:
    """A rendered content page."""

    slug: str
    title: str
    description: str
    html: str
    source: str
    order: int
    url_at: tuple[int, int] = (1, 1)  # where the page's address is decided: its "adresse:" value, else the file name

    @property
    def url(self) -> str:
        return f"/{self.slug}/"


def load_content(directory: Path, report: Report) -> list[ContentPage]:
    """Read every content/*.md page; record located errors for broken ones."""
    pages: list[ContentPage] = []
    for path in sorted(directory.glob("*.md")):
        display = f"{directory.name}/{path.name}"
        try:
            text = read_text(path)
        except LoadError as exc:
            report.error(display, exc.line, exc.column, exc.message)
            continue
        if not text.startswith("---\n") or "\n---\n" not in text[4:]:
            report.error(display, 1, 1, "en-tête manquant : la page doit commencer par « --- », titre:, description:, puis « --- »")
            continue
        head, body = text[4:].split("\n---\n", 1)
        try:
            # With its opening "---" (a YAML document start), the front matter keeps the page's line numbers.
            document = parse(text[:4] + head, path, display)
        except LoadError as exc:
            report.error(display, exc.line, exc.column, exc.message)
            continue
        header = validate_document(document, EnTete, report)
        if header is None:
            continue
        assert isinstance(header, EnTete)
        pages.append(
            ContentPage(
                slug=header.adresse or path.stem,
                title=header.titre,
                description=header.description,
                html=markdown_page(body),
                source=display,
                order=header.ordre,
                url_at=document.values.get(("adresse",), (1, 1)) if header.adresse else (1, 1),
            )
        )
    return sorted(pages, key=lambda p: (p.order, p.slug))
