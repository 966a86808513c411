"""Links a page offers about itself: report an error (GitHub issue, e-mail), edit its data file."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from .. import format as fmt

NUMBER_TOKEN = "[[numero-national]]"
"""Content pages write this token where the national number goes, so that the number lives in one file."""


@dataclass(frozen=True)
class Links:
    """Report and edit links, built from data/site.yaml."""

    site: fmt.FichierSite

    def _body(self, page_url: str, source_file: str, where: str) -> str:
        """The questions a report answers, with the page and data file it concerns."""
        return (
            f"Page : {self.site.url}{page_url}\n"
            f"Fichier de données : {source_file}\n\n"
            "Qu'est-ce qui est faux ou manquant ?\n\n\n"
            f"Quelle est la bonne information, et où l'avez-vous trouvée{where} ?\n"
        )

    def report(self, title: str, page_url: str, source_file: str) -> str:
        """A prefilled GitHub issue to report an error on a page."""
        body = self._body(page_url, source_file, " (adresse d'une page publique)")
        query = urlencode({"title": f"Erreur : {title}", "body": body, "labels": "signalement"})
        return f"{self.site.depot}/issues/new?{query}"

    def mail(self, title: str, page_url: str, source_file: str) -> str | None:
        """A prefilled e-mail to report an error, for people without a GitHub account (None if no address)."""
        address = self.site.signalement_courriel
        if not address:
            return None
        body = self._body(page_url, source_file, "")
        return f"mailto:{address}?" + urlencode({"subject": f"Erreur : {title}", "body": body}, quote_via=quote)

    def complete(self, title: str, page_url: str, source_file: str, missing: list[str]) -> str:
        """A prefilled GitHub issue to bring what a page lacks (the coverage block of a département)."""
        wanted = "".join(f"- {item}\n" for item in missing)
        body = (
            f"Page : {self.site.url}{page_url}\n"
            f"Fichier de données : {source_file}\n\n"
            + (f"Ce qui manque :\n{wanted}\n" if wanted else "")
            + "Ce que vous savez, et l'adresse de la page publique où vous l'avez lu :\n"
        )
        query = urlencode({"title": f"Compléter : {title}", "body": body, "labels": "completer"})
        return f"{self.site.depot}/issues/new?{query}"

    def edit(self, source_file: str) -> str:
        """The data file's edit page on GitHub."""
        return f"{self.site.depot}/edit/main/{source_file}"
