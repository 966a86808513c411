"""Links a page offers about itself: report an error (GitHub issue, e-mail), edit its data file."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from .. import format as fmt
from ..format.content import NUMBER_TOKEN as NUMBER_TOKEN  # content pages and easy-read texts write it


@dataclass(frozen=True)
class Links:
    """Report and edit links, built from data/site.yaml."""

    site: fmt.FichierSite

    FORM = "signaler-une-erreur.yml"
    """The issue form of .github/ISSUE_TEMPLATE/ a report opens (its labels are set by the form itself)."""

    def report(self, title: str, page_url: str, source_file: str) -> str:
        """GitHub's issue form « Signaler une erreur », with the page and the data file filled in. No ``labels=``:
        only people with triage rights may set labels from a link; the form sets its own."""
        query = urlencode({"template": self.FORM, "title": f"Erreur : {title}", "page": f"{self.site.url}{page_url}",
                           "fichier": source_file})
        return f"{self.site.depot}/issues/new?{query}"

    def accessibility(self) -> str:
        """The same form for an accessibility problem (no page, no data file)."""
        query = urlencode({"template": self.FORM, "title": "Accessibilité : ", "page": f"{self.site.url}/"})
        return f"{self.site.depot}/issues/new?{query}"

    def mail(self, title: str, page_url: str, source_file: str) -> str | None:
        """A prefilled e-mail to report an error, for people without a GitHub account (None if no address)."""
        address = self.site.signalement_courriel
        if not address:
            return None
        body = (
            f"Page : {self.site.url}{page_url}\n"
            f"Fichier de données : {source_file}\n\n"
            "Qu'est-ce qui est faux ou manquant ?\n\n\n"
            "Quelle est la bonne information, et où l'avez-vous trouvée ?\n"
        )
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
        # no labels=: only people with triage rights may set labels from a link (GitHub drops it for the others)
        query = urlencode({"title": f"Compléter : {title}", "body": body})
        return f"{self.site.depot}/issues/new?{query}"

    def edit(self, source_file: str) -> str:
        """The data file's edit page on GitHub."""
        return f"{self.site.depot}/edit/main/{source_file}"
