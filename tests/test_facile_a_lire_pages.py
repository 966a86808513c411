"""The easy-read pages (/facile-a-lire/…): reachable from every page and back, one sentence per line, honest
about their review, in the search index with their own filter value."""

from __future__ import annotations

from pathlib import Path

import yaml
from bs4 import BeautifulSoup

from annuaire360.site.facile_a_lire import SEARCH_FILTER
from tests.conftest import FIXTURE_DATA, build_site
from tests.helpers import copy_fixture
from tests.page_types import all_pages, soup_of

TEXTS = yaml.safe_load((FIXTURE_DATA / "facile-a-lire.yaml").read_text(encoding="utf-8"))
TYPES = yaml.safe_load((FIXTURE_DATA / "types.yaml").read_text(encoding="utf-8"))["types"]


def header_link(soup: BeautifulSoup):
    return soup.select_one("header .entete__facile a")


def is_easy_read(site: Path, path: Path) -> bool:
    return path.relative_to(site).parts[0] == "facile-a-lire"


def test_every_page_links_to_the_easy_read_pages_and_they_link_back(fixture_site: Path) -> None:
    pages = all_pages(fixture_site)
    assert len(pages) > 150
    for path in pages:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        link = header_link(soup)
        assert link is not None, path
        if is_easy_read(fixture_site, path):
            assert link.get_text() == "Version complète", path
        else:
            assert link.get_text() == "Facile à lire", path
            assert link["href"].startswith("/facile-a-lire/"), path


def test_a_fiche_and_a_type_page_lead_to_the_easy_read_text_of_their_type(fixture_site: Path) -> None:
    for url in ("/structures/pcpe-fictif-lille/", "/types/pcpe/"):
        assert header_link(soup_of(fixture_site, url))["href"] == "/facile-a-lire/services/#type-pcpe"
    services = soup_of(fixture_site, "/facile-a-lire/services/")
    heading = services.find(id="type-pcpe")
    assert heading.get_text() == "Pôle de compétences et de prestations externalisées (PCPE)"
    assert header_link(soup_of(fixture_site, "/"))["href"] == "/facile-a-lire/"
    assert header_link(soup_of(fixture_site, "/regions/"))["href"] == "/facile-a-lire/"
    # A département's page is its communauté 360's; the pages an easy-read page says it simplifies lead to it.
    assert header_link(soup_of(fixture_site, "/departements/59-nord/"))["href"] == "/facile-a-lire/services/#type-communaute-360"
    for page in TEXTS["pages"]:
        if page["version_complete"] != "/" and "#" not in page["version_complete"]:
            assert header_link(soup_of(fixture_site, page["version_complete"]))["href"] == f"/facile-a-lire/{page['adresse']}/"


def test_each_page_of_the_data_file_is_built_with_one_sentence_per_line(fixture_site: Path) -> None:
    index = soup_of(fixture_site, "/facile-a-lire/")
    listed = [a["href"] for a in index.select("main ul.facile__liens a")]
    assert listed == [f"/facile-a-lire/{page['adresse']}/" for page in TEXTS["pages"]]
    for page in TEXTS["pages"]:
        soup = soup_of(fixture_site, f"/facile-a-lire/{page['adresse']}/")
        main = soup.find("main")
        assert main.find("h1").get_text() == page["titre"]
        paragraphs = [" ".join(p.get_text().split()) for p in main.select(".facile > p")]
        headings = [h.get_text() for h in main.find_all("h2")]
        for partie in page["parties"]:
            assert partie["titre"] in headings
            for phrase in partie["phrases"]:
                shown = phrase.replace("[[numero-national]]", "0 800 360 360").replace("**", "")
                assert shown in paragraphs, (page["adresse"], phrase)  # a line of its own
        # Back to the complete version, from the header and from the end of the text.
        assert header_link(soup)["href"] == page["version_complete"]
        assert main.select_one(".facile__complete a")["href"] == page["version_complete"]
        # Bold for what matters, never italics, no pictogram (none with a licence that fits: content/ecrire-facile-a-lire.md).
        assert main.find(["em", "i"]) is None and main.find("img") is None and main.find("svg") is None
        assert soup.head.find("link", href="/static/facile-a-lire.css") is not None


def test_the_number_is_a_link_taken_from_the_national_file(fixture_site: Path) -> None:
    main = soup_of(fixture_site, "/facile-a-lire/numero-national/").find("main")
    assert "[[numero-national]]" not in str(main)
    first = main.select(".facile > p")[0]
    assert first.get_text() == "Le numéro national est le 0 800 360 360."
    assert first.find("a", href="tel:0800360360") is not None


def test_every_type_with_a_text_is_on_the_services_page(fixture_site: Path) -> None:
    main = soup_of(fixture_site, "/facile-a-lire/services/").find("main")
    for type_ in TYPES:
        heading = main.find(id=f"type-{type_['code']}")
        assert heading is not None, type_["code"]
        lines = []
        for sibling in heading.find_next_siblings():
            if sibling.name != "p" or sibling.find("a", href=f"/types/{type_['code']}/"):
                break
            lines.append(sibling.get_text())
        assert " ".join(lines) == type_["facile_a_lire"], type_["code"]  # each sentence on its own line
        assert len(lines) > 1 or "." not in type_["facile_a_lire"][:-1]


def test_the_pages_say_they_are_not_reviewed_yet_and_invite_a_review(fixture_site: Path) -> None:
    for url in ["/facile-a-lire/", *(f"/facile-a-lire/{p['adresse']}/" for p in TEXTS["pages"])]:
        box = soup_of(fixture_site, url).select_one("main .facile__relecture")
        assert box is not None, url
        text = " ".join(box.get_text().split())
        assert "pas encore été relu par des personnes qui ont un handicap intellectuel" in text
        review = box.find("a", string="Proposer une relecture")
        assert review["href"].startswith("https://github.example.org/annuaire/donnees/issues/new?")
        assert "labels=" not in review["href"]  # GitHub drops labels a visitor may not set
        assert "title=Relecture" in review["href"]
        assert box.find("a", href=lambda h: h and h.startswith("mailto:signalement@example.org")) is not None
    statement = " ".join(soup_of(fixture_site, "/accessibilite/").find("main").get_text().split())
    assert "pas encore été relus par des personnes qui ont un handicap intellectuel" in statement
    assert "logo" in statement


def test_a_reviewed_page_says_when_and_by_whom(tmp_path: Path) -> None:
    data = copy_fixture(tmp_path)
    path = data / "facile-a-lire.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("  - adresse: mdph\n", "  - adresse: mdph\n    relecture:\n      date: 2025-05-20\n"
                        "      par: Le groupe de relecture de l'association Exemple\n", 1)
    path.write_text(text, encoding="utf-8")
    site = build_site(data, tmp_path / "site", index=False)
    main = soup_of(site, "/facile-a-lire/mdph/").find("main")
    assert main.select_one(".facile__relecture") is None
    assert main.select_one(".facile__relu").get_text() == (
        "Ce texte a été relu le 20 mai 2025 par Le groupe de relecture de l'association Exemple.")
    assert soup_of(site, "/facile-a-lire/numero-national/").select_one(".facile__relecture") is not None


def test_easy_read_pages_carry_their_own_search_filter(fixture_site: Path) -> None:
    key, value = SEARCH_FILTER
    for path in all_pages(fixture_site):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        tags = soup.head.find_all("meta", attrs={"data-pagefind-filter": f"{key}[content]"})
        assert [t["content"] for t in tags] == ([value] if is_easy_read(fixture_site, path) else []), path
        if is_easy_read(fixture_site, path):
            assert soup.find("h1").has_attr("data-pagefind-body")
    select = soup_of(fixture_site, "/recherche/").find("select", attrs={"data-filtre": key})
    assert [o["value"] for o in select.find_all("option")] == ["", value]
    assert select.find_previous("label").get_text() == "Façon d'écrire"
