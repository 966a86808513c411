"""The site under a base path (``url: https://…/annuaire`` in site.yaml, or ``--base-url`` for previews):
every address of every generated file stays inside it; at the root nothing changes."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import quote, quote_plus, urlsplit

import pytest
from bs4 import BeautifulSoup

from annuaire360.site.base import base_path, public_url, rebase_css, rebase_html, rebase_json, rebase_url
from tests.conftest import FIXTURE_DATA, ROOT, build_site
from tests.helpers import run_build
from tests.page_types import all_pages

BASE = "/un/chemin"
PUBLIC = "https://annuaire.example.org/un/chemin"
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "poster", "data-base")


# ---------------------------------------------------------------------------
# One address, one tag, one file


@pytest.mark.parametrize(("url", "expected"), [
    ("/", "/un/chemin/"),
    ("/structures/x/", "/un/chemin/structures/x/"),
    ("/recherche/?q=1#r", "/un/chemin/recherche/?q=1#r"),
    ("//cdn.example.org/x.js", "//cdn.example.org/x.js"),  # another site, whatever its scheme
    ("/\\example.org", "/\\example.org"),  # browsers read it as //example.org
    ("https://www.example.org/", "https://www.example.org/"),
    ("#contenu", "#contenu"),
    ("mailto:a@example.org", "mailto:a@example.org"),
    ("tel:0353012345", "tel:0353012345"),
    ("relatif/", "relatif/"),
])
def test_only_root_relative_addresses_change(url: str, expected: str) -> None:
    assert rebase_url(url, BASE) == expected


def test_base_path_of_the_public_address() -> None:
    assert base_path("https://annuaire.example.org") == ""
    assert base_path("https://annuaire.example.org/") == ""
    assert base_path("https://example.github.io/annuaire/") == "/annuaire"
    assert public_url("https://annuaire.example.org", None) == "https://annuaire.example.org"
    assert public_url("https://annuaire.example.org", "/apercu/pr-42/") == "https://annuaire.example.org/apercu/pr-42"
    assert public_url("https://annuaire.example.org", "https://o.github.io/a/apercu/pr-7/") == "https://o.github.io/a/apercu/pr-7"


def test_html_attributes_are_rebased_and_nothing_else() -> None:
    page = (
        '<!doctype html>\n<html lang="fr" data-base="/">\n<head>\n'
        '<link rel="stylesheet" href="/static/style.css">\n'
        "<link rel=icon href=/static/favicon.svg type=image/svg+xml>\n"
        "<meta http-equiv=\"refresh\" content=\"0; url=/nouvelle/\">\n"
        '<meta name="description" content="/pas-une-adresse/">\n'
        "<script type=\"module\" src='/static/recherche.js'></script>\n"
        '<script>const x = "<a href=\\"/dans-un-script/\\">";</script>\n'
        "<style>a { background: url(/dans-un-style.png) }</style>\n"
        "</head>\n<body>\n<!-- <a href=\"/commentaire/\"> -->\n"
        '<p>Le texte /structures/ reste du texte.</p>\n'
        '<a class="x" href="/structures/a/?q=1&amp;r=2" title="/titre/">A</a>\n'
        '<a href="https://www.example.org/">B</a> <a href="#contenu">C</a> <a href="//example.org/">D</a>\n'
        '<form action="/recherche/" method="get"><button formaction="/trouver/">E</button></form>\n'
        '<img src="/a.png" srcset="/a.png 1x, /a-2x.png 2x" alt="">\n'
        '<br/><img src=/b.png alt=""/>\n'
        "</body>\n</html>\n"
    )
    out = rebase_html(page, BASE)
    assert out == (
        '<!doctype html>\n<html lang="fr" data-base="/un/chemin/">\n<head>\n'
        '<link rel="stylesheet" href="/un/chemin/static/style.css">\n'
        '<link rel=icon href="/un/chemin/static/favicon.svg" type=image/svg+xml>\n'
        "<meta http-equiv=\"refresh\" content=\"0; url=/un/chemin/nouvelle/\">\n"
        '<meta name="description" content="/pas-une-adresse/">\n'
        "<script type=\"module\" src='/un/chemin/static/recherche.js'></script>\n"
        '<script>const x = "<a href=\\"/dans-un-script/\\">";</script>\n'
        "<style>a { background: url(/dans-un-style.png) }</style>\n"
        "</head>\n<body>\n<!-- <a href=\"/commentaire/\"> -->\n"
        '<p>Le texte /structures/ reste du texte.</p>\n'
        '<a class="x" href="/un/chemin/structures/a/?q=1&amp;r=2" title="/titre/">A</a>\n'
        '<a href="https://www.example.org/">B</a> <a href="#contenu">C</a> <a href="//example.org/">D</a>\n'
        '<form action="/un/chemin/recherche/" method="get"><button formaction="/un/chemin/trouver/">E</button></form>\n'
        '<img src="/un/chemin/a.png" srcset="/un/chemin/a.png 1x, /un/chemin/a-2x.png 2x" alt="">\n'
        '<br/><img src="/un/chemin/b.png" alt=""/>\n'
        "</body>\n</html>\n"
    )
    assert rebase_html(page, "") == page


def test_attribute_values_stay_escaped() -> None:
    base = '/a"b&c'
    out = rebase_html('<a href="/x/">x</a>', base)
    assert out == '<a href="/a&#34;b&amp;c/x/">x</a>'
    assert BeautifulSoup(out, "html.parser").a["href"] == '/a"b&c/x/'


def test_positions_survive_unusual_line_breaks() -> None:
    page = '<p>a\u2028b\rc\x0cd</p>\n<a href="/x/">x</a>\n'
    assert rebase_html(page, BASE) == page.replace('"/x/"', '"/un/chemin/x/"')


def test_css_addresses_are_rebased_outside_comments() -> None:
    css = ('@import "/static/autre.css";\n/* url(/commentaire.png) */\n'
           'a { background: url(/a.png) } b { background: url( "/b.png" ) } c { content: "/texte/" }\n'
           "d { background: url(https://example.org/d.png) } e { background: url(data:image/png;base64,AA) }\n")
    assert rebase_css(css, BASE) == (
        '@import "/un/chemin/static/autre.css";\n/* url(/commentaire.png) */\n'
        'a { background: url(/un/chemin/a.png) } b { background: url( "/un/chemin/b.png" ) } c { content: "/texte/" }\n'
        "d { background: url(https://example.org/d.png) } e { background: url(data:image/png;base64,AA) }\n")


def test_json_strings_naming_a_site_file_are_rebased_and_the_layout_kept() -> None:
    files = {"departements/59-nord/index.html", "static/geo/index.json"}
    text = '{\n "59": ["Nord", "/departements/59-nord/"],\n "/departements/59-nord/": 1, "x": "/autre/", "q": "a\\"/b"}\n'

    def known(url: str) -> bool:
        path = urlsplit(url).path.lstrip("/")
        return path + "index.html" in files or path in files

    out = rebase_json(text, BASE, known)
    assert out == ('{\n "59": ["Nord", "/un/chemin/departements/59-nord/"],\n "/un/chemin/departements/59-nord/": 1, '
                   '"x": "/autre/", "q": "a\\"/b"}\n')
    assert json.loads(out)["59"][1] == "/un/chemin/departements/59-nord/"


# ---------------------------------------------------------------------------
# A whole site under /un/chemin/


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The fixture site built at the root and under /un/chemin/ (``--base-url``), without search index."""
    folder = tmp_path_factory.mktemp("base")
    root = folder / "racine"
    under = folder / "sous-chemin"
    result = run_build("--data", str(FIXTURE_DATA), "--out", str(root), "--sans-index")
    assert result.returncode == 0, result.stderr
    result = run_build("--data", str(FIXTURE_DATA), "--out", str(under), "--sans-index", "--base-url", PUBLIC + "/")
    assert result.returncode == 0, result.stderr
    return root, under


def addresses(page: Path) -> list[tuple[str, str]]:
    """Every (attribute, value) of a page that a browser follows or loads."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    found = [(name, tag[name]) for tag in soup.find_all(True) for name in URL_ATTRIBUTES if tag.has_attr(name)]
    found += [("srcset", part.split()[0]) for tag in soup.find_all(srcset=True) for part in tag["srcset"].split(",")]
    return found


def test_no_page_under_a_base_path_has_an_address_escaping_it(sites: tuple[Path, Path]) -> None:
    _, under = sites
    pages = all_pages(under)
    assert len(pages) > 100
    escaping = []
    for page in pages:
        for name, value in addresses(page):
            absolute = urlsplit(value)
            if value.startswith("//") or (not absolute.scheme and value.startswith("/") and not value.startswith(BASE + "/")):
                escaping.append(f"{page.relative_to(under)} : {name}=\"{value}\"")
            if absolute.scheme in ("http", "https") and absolute.netloc == "annuaire.example.org":
                assert absolute.path.startswith(BASE + "/"), f"{page} : {value}"
    assert not escaping, "adresses hors du chemin de base :\n" + "\n".join(escaping[:20])
    home = BeautifulSoup((under / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert home.html["data-base"] == BASE + "/"


def test_every_internal_address_under_a_base_path_names_a_file_of_the_site(sites: tuple[Path, Path]) -> None:
    _, under = sites
    files = {p.relative_to(under).as_posix() for p in under.rglob("*") if p.is_file()}
    missing = set()
    for page in all_pages(under):
        for _, value in addresses(page):
            path = urlsplit(value).path
            if value.startswith(BASE + "/") and not path.startswith(BASE + "/pagefind/"):  # built with --sans-index
                inside = path.removeprefix(BASE + "/")
                if not (inside in files or inside + "index.html" in files or (inside == "" and "index.html" in files)):
                    missing.add(value)
    assert not missing, sorted(missing)[:20]


def test_the_pages_differ_only_by_their_addresses(sites: tuple[Path, Path]) -> None:
    root, under = sites
    for name in ("index.html", "departements/59-nord/index.html", "structures/pcpe-fictif-lille/index.html"):
        at_root = (root / name).read_text(encoding="utf-8")
        at_base = (under / name).read_text(encoding="utf-8")
        # the public address as written in links, report links (quoted) and share links (mailto:, sms:)
        for encode in (str, quote_plus, lambda text: quote(text, safe=""), quote):
            at_base = at_base.replace(encode(PUBLIC), encode(PUBLIC).replace(encode(BASE), ""))
        assert at_base.replace(f'="{BASE}/', '="/') == at_root


def test_open_data_sitemap_and_lookup_follow_the_base(sites: tuple[Path, Path]) -> None:
    root, under = sites
    sitemap = (under / "sitemap.xml").read_text(encoding="utf-8")
    locations = re.findall(r"<loc>(.*?)</loc>", sitemap)
    assert locations and all(loc.startswith(PUBLIC + "/") for loc in locations)
    assert f"Sitemap: {PUBLIC}/sitemap.xml" in (under / "robots.txt").read_text(encoding="utf-8")
    export = json.loads((under / "donnees" / "annuaire.json").read_text(encoding="utf-8"))
    assert all(s["url_fiche"].startswith(PUBLIC + "/structures/") for s in export["structures"])
    assert all(d["url"].startswith(PUBLIC + "/departements/") for d in export["departements"])
    csv = (under / "donnees" / "structures.csv").read_text(encoding="utf-8-sig")
    assert f"{PUBLIC}/structures/pcpe-fictif-lille/" in csv
    lookup = json.loads((under / "static" / "geo" / "index.json").read_text(encoding="utf-8"))
    urls = [entry[1] for entry in lookup["departements"].values()]
    assert urls and all(url.startswith(BASE + "/departements/") for url in urls)
    for name in ("schema/departement.schema.json", "static/geo/cp-59.json"):  # nothing to rebase in them
        assert (under / name).read_bytes() == (root / name).read_bytes()
    # the print footer names the page's public address
    page = (under / "structures" / "pcpe-fictif-lille" / "index.html").read_text(encoding="utf-8")
    assert f"{PUBLIC}/structures/pcpe-fictif-lille/" in page


@pytest.mark.parametrize("value", ["exemple.org/x", "ftp://exemple.org/", "/chemin?x=1", "//exemple.org/"])
def test_a_bad_base_url_is_a_usage_error_in_french(value: str, tmp_path: Path) -> None:
    result = run_build("--data", str(FIXTURE_DATA), "--out", str(tmp_path / "site"), "--base-url", value)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"--base-url « {value} »" in result.stderr
    assert not (tmp_path / "site").exists()


def test_a_site_url_with_a_path_in_site_yaml_is_a_base_path(tmp_path: Path) -> None:
    from tests.helpers import copy_fixture

    data = copy_fixture(tmp_path)
    site = data / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8").replace("url: https://annuaire.example.org",
                                                             "url: https://annuaire.example.org/annuaire"),
                    encoding="utf-8")
    out = build_site(data, tmp_path / "site", index=False)
    home = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert home.html["data-base"] == "/annuaire/"
    assert home.find("link", rel="stylesheet")["href"] == "/annuaire/static/style.css"


# Scripts are not rewritten: they must build their addresses from <html data-base>.
ROOT_ABSOLUTE_LITERAL = re.compile(r"""(?<![\w$])(["'`])/(?![/*])[\w.-]""")


def test_scripts_never_write_a_root_absolute_address() -> None:
    for script in sorted((ROOT / "static").rglob("*.js")):
        for number, line in enumerate(script.read_text(encoding="utf-8").splitlines(), start=1):
            code = line.split("//", 1)[0] if line.lstrip().startswith("//") else line
            assert not ROOT_ABSOLUTE_LITERAL.search(code), (
                f"{script.relative_to(ROOT)}:{number} : adresse écrite depuis la racine du site ; le site peut être "
                f"publié dans un sous-dossier : partez de document.documentElement.dataset.base\n{line}")
