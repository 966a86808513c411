"""What a family or a coordinator meets on GitHub: the issue forms (validated against GitHub's issue-forms schema,
vendored from SchemaStore, plus the documented rules it does not say), the links of the site that open them, the
pull request template and the welcome message."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import jsonschema
import pytest
import yaml
from bs4 import BeautifulSoup

from tests.conftest import ROOT
from tests.page_types import soup_of

FORMS = ROOT / ".github" / "ISSUE_TEMPLATE"
SCHEMA = json.loads((ROOT / "tests" / "schemas" / "github-issue-forms.json").read_text(encoding="utf-8"))
FORM_FILES = sorted(p for p in FORMS.glob("*.yml") if p.name != "config.yml")
ID = re.compile(r"^[A-Za-z0-9_-]+$")


def form(name: str) -> dict:
    return yaml.safe_load((FORMS / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", FORM_FILES, ids=lambda p: p.name)
def test_issue_forms_follow_githubs_schema_and_rules(path: Path) -> None:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    jsonschema.validate(document, SCHEMA)
    # documented rules the schema leaves out: ids made of letters, digits, - and _, unique; labels unique;
    # at least one field that is not Markdown; a form file ends in .yml under .github/ISSUE_TEMPLATE/
    ids = [item["id"] for item in document["body"] if "id" in item]
    assert all(ID.match(i) for i in ids) and len(ids) == len(set(ids)), ids
    labels = [item["attributes"]["label"] for item in document["body"] if item["type"] != "markdown"]
    assert labels and len(labels) == len(set(labels))
    assert document["labels"]  # set by GitHub on creation, whoever fills the form


def test_the_schema_really_refuses_a_broken_form() -> None:
    broken = form("signaler-une-erreur.yml")
    broken["body"][1]["attributes"].pop("label")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, SCHEMA)


def test_forms_are_french_and_blank_issues_are_off() -> None:
    names = {form(p.name)["name"] for p in FORM_FILES}
    assert names == {"Signaler une erreur", "Décrire ma communauté 360"}
    config = yaml.safe_load((FORMS / "config.yml").read_text(encoding="utf-8"))
    assert config["blank_issues_enabled"] is False
    fields = {item["id"] for item in form("signaler-une-erreur.yml")["body"] if "id" in item}
    assert {"page", "fichier", "probleme", "correction", "source"} <= fields
    community = {item["id"] for item in form("decrire-ma-communaute.yml")["body"] if "id" in item}
    assert {"departement", "membres", "contacts", "sources"} <= community


def test_the_report_link_opens_the_form_prefilled_and_without_labels(fixture_site: Path) -> None:
    main = soup_of(fixture_site, "/departements/59-nord/").find("main")
    link = urlsplit(main.find("a", string="Signaler une erreur sur cette page")["href"])
    assert f"{link.scheme}://{link.netloc}{link.path}" == "https://github.example.org/annuaire/donnees/issues/new"
    query = parse_qs(link.query)
    assert "labels" not in query  # needs triage rights: GitHub drops it for a family, the form sets its own
    assert query["template"] == ["signaler-une-erreur.yml"]
    assert query["page"] == ["https://annuaire.example.org/departements/59-nord/"]
    assert query["fichier"] == ["data/departements/59-nord.yaml"] and query["title"] == ["Erreur : Nord"]
    fields = {item["id"] for item in form(query["template"][0])["body"] if "id" in item}
    assert {"page", "fichier"} <= fields  # each prefilled parameter names a field of the form
    mail = main.find("a", string="signaler une erreur par courriel")
    assert mail["href"].startswith("mailto:signalement@example.org?subject=Erreur%20%3A%20Nord&body=Page%20%3A%20https")


def test_the_accessibility_statement_offers_a_route_without_github(fixture_site: Path) -> None:
    main = soup_of(fixture_site, "/accessibilite/").find("main")
    contact = main.find(id="contact").find_next("ul")
    hrefs = [a["href"] for a in contact.find_all("a")]
    assert "mailto:accessibilite@example.org" in hrefs
    form_link = next(h for h in hrefs if "/issues/new?" in h)
    assert "labels" not in parse_qs(urlsplit(form_link).query)
    assert any(h.startswith("tel:") for h in hrefs)


def test_pull_request_template_and_welcome_are_short_and_french() -> None:
    template = (ROOT / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    assert template.count("- [ ]") == 3 and "sources" in template and "verifie_le" in template
    welcome = (ROOT / ".github" / "messages" / "accueil.md").read_text(encoding="utf-8")
    assert "autorise d'abord les vérifications" in welcome and "awaiting approval" in welcome
    assert len(welcome) < 1600
    assert BeautifulSoup(welcome, "html.parser").find() is None  # plain Markdown, no HTML


def test_no_link_of_the_site_asks_for_labels(fixture_site: Path) -> None:
    """A family cannot set labels: a link that asks for them opens a form that silently drops them."""
    for page in sorted(fixture_site.rglob("*.html")):
        for link in BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").find_all("a", href=True):
            assert "labels" not in parse_qs(urlsplit(link["href"]).query), (page.name, link["href"])
