"""Safe output: hostile text becomes inert text. A site built from a hostile-but-valid dataset holds no
script but the site's own, no ``javascript:`` URL and no event handler, anywhere.

Decision: a *name* (plain text: nom, libelle, commune…) may contain « <script> », « onerror= » or
quotes. Such text is legitimate (« Association <Les Petits> », an apostrophe, quotes) and is always
escaped by Jinja's autoescape; rejecting it would only hide an escaping bug. *Markdown* fields are
different: raw HTML there is refused by the validator (the contributor is told to use Markdown), and
the renderer escapes and sanitises anyway, which the second half of this file checks by bypassing
the validator.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from annuaire360.diagnostics import Report
from annuaire360.format.content import EnTete
from annuaire360.site.model import ContentPage, build_model
from annuaire360.site.render import make_environment, render_site
from annuaire360.site.text import markdown_field, markdown_page
from annuaire360.source.content import ContentSource
from tests.conftest import FIXED_TODAY, ROOT, build_site, check_data
from tests.helpers import copy_fixture
from tests.page_types import soup_of

HOSTILE_NAMES = [
    "<script>alert('nom')</script>",
    '"><img src=x onerror=alert(1)>',
    "Maison l'\"Étoile\" & Cie </title><svg onload=alert(1)>",
    "PCPE ' onmouseover='alert(1)",
    # Formulas, for spreadsheets that open the open-data CSV (OWASP « CSV injection »)
    '=HYPERLINK("https://www.example.org/vol","Cliquez ici")',
    "+33 =1+1",
    "-2+3 structure",
    "@SUM(1+1)",
]

HOSTILE_MARKDOWN = [
    "[lien](javascript:alert(1))",
    "[lien](JaVaScRiPt:alert(1))",
    "[lien](java&#115;cript:alert(1))",
    "[lien](&#106;avascript:alert(1))",
    "[lien](<javascript:alert(1)>)",
    "[lien][r]\n\n[r]: javascript:alert(1)",
    "[lien](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[lien](vbscript:msgbox(1))",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<a href='javascript:alert(1)'>x</a>",
    "<svg><script>alert(1)</script></svg>",
    "<iframe src=javascript:alert(1)></iframe>",
    "![image](javascript:alert(1))",
    "[x](https://example.org/\"onmouseover=\"alert(1))",
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "<!--><script>alert(1)</script>-->",
    "`<script>`",
    "<javascript:alert(1)>",
    "*x*{: onclick=\"alert(1)\" }",
]

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "background", "xlink:href", "srcset", "content"}
BAD_SCHEMES = re.compile(r"^(javascript|vbscript|data):", re.I)


class _Scanner(HTMLParser):
    """Collect what could run: script elements, event handler attributes, dangerous URLs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[dict[str, str | None]] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.scripts.append(dict(attrs))
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            if value is not None and name in URL_ATTRIBUTES and tag != "meta":
                cleaned = re.sub(r"[\x00-\x20]", "", value)
                if BAD_SCHEMES.match(cleaned):
                    self.problems.append(f"<{tag} {name}={value!r}>")
        if tag in ("iframe", "object", "embed", "base"):
            self.problems.append(f"<{tag}>")
        if tag == "form":
            # The site's own search forms post to its own pages; any other form could harvest input.
            action = dict(attrs).get("action") or ""
            if not (action.startswith("/") and not action.startswith("//")):
                self.problems.append(f"<form action={action!r}>")


def scan_html(markup: str) -> list[str]:
    """Everything in a piece of HTML that could run script."""
    scanner = _Scanner()
    scanner.feed(markup)
    scanner.close()
    problems = list(scanner.problems)
    for attrs in scanner.scripts:
        src = attrs.get("src") or ""
        own_file = src.startswith(("/static/", "/pagefind/"))
        data_block = attrs.get("type") == "application/ld+json"
        if not (own_file or data_block):
            problems.append(f"<script {attrs}>")
    if len(re.findall(r"<script\b", markup, re.I)) != len(scanner.scripts):
        problems.append("a <script that the parser did not see as a script element")
    return problems


def scan_site(site: Path, own_scripts: set[str]) -> list[str]:
    """Scan every file of a built site; only the site's own static scripts may hold code."""
    problems: list[str] = []
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        relative = path.relative_to(site).as_posix()
        if relative in own_scripts or path.suffix in (".pf_fragment", ".pf_index", ".pf_meta", ".pf_filter", ".wasm", ".pagefind"):
            continue  # generator-owned code, or Pagefind's compressed index data
        text = path.read_bytes().decode("utf-8", errors="replace")
        if path.suffix == ".html":
            problems += [f"{relative}: {p}" for p in scan_html(text)]
        elif relative.startswith("donnees/"):
            # Open data keeps each text exactly as written (a name may hold "<script>" as plain text); it is
            # served as JSON or CSV, never as HTML, and re-users escape it as our own pages do.
            pass
        elif re.search(r"<script\b", text, re.I):
            problems.append(f"{relative}: <script")
        if re.search(r"javascript:", html.unescape(text), re.I):
            problems.append(f"{relative}: javascript:")
    return problems


def own_scripts(site: Path) -> set[str]:
    """JavaScript shipped by the generator itself: static/ and Pagefind's bundle."""
    return {p.relative_to(site).as_posix() for p in site.rglob("*.js") if p.relative_to(site).parts[0] in ("static", "pagefind")}


# ---------------------------------------------------------------------------
# The renderer alone


@pytest.mark.parametrize("payload", HOSTILE_MARKDOWN)
def test_markdown_field_neutralises(payload: str) -> None:
    out = markdown_field(payload)
    assert scan_html(out) == []
    for href in re.findall(r'href="([^"]*)"', out):
        assert re.match(r"(https|mailto|tel):|/[^/]|#", html.unescape(href)), href


@pytest.mark.parametrize("payload", HOSTILE_MARKDOWN)
def test_markdown_page_neutralises(payload: str) -> None:
    assert scan_html(markdown_page(payload)) == []


def test_markdown_keeps_the_allowed_links() -> None:
    out = markdown_field("[site](https://www.example.org) [écrire](mailto:a@example.org) [appeler](tel:0353011111)")
    assert re.findall(r'href="([^"]+)"', out) == ["https://www.example.org", "mailto:a@example.org", "tel:0353011111"]


# ---------------------------------------------------------------------------
# A whole site from a hostile but valid dataset

HOSTILE_SOMME = """code: "80"
nom: Somme
communaute:
  nom: "Communauté <script>alert('c360')</script>"
  presentation: |
    Une présentation avec [un lien](https://www.example.org/"onmouseover="alert(1)) et a < b > c.
  contacts:
    - libelle: "Accueil \\" onfocus=\\"alert(1)"
      telephone: "03 53 01 22 22"
      precisions: "<img src=x onerror=alert('precisions')>"
  sources:
    - url: "https://www.example.org/c360?q=%3Cscript%3E&r=2"
      titre: "<b>titre</b> onerror=alert(1)"
      consulte_le: 2025-01-10
structures:
{structures}
"""


def _hostile_structure(index: int, name: str) -> str:
    return f"""  - id: hostile-{index}
    nom: {json.dumps(name, ensure_ascii=False)}
    type: pcpe
    commune: "Amiens<script>alert('commune')</script>"
    description: |
      Du **texte** sans danger, avec [un lien](https://www.example.org/?a=1&b="x") et onerror=alert(1) en clair.
    voir_aussi: [cra-fictif-npdc]
    contacts:
      - libelle: {json.dumps(name, ensure_ascii=False)}
        telephone: "03 53 01 33 3{index}"
        courriel: "=contact-{index}@example.org"
    sources:
      - url: https://www.example.org/hostile-{index}
        titre: {json.dumps(name, ensure_ascii=False)}
        consulte_le: 2025-01-10
"""


@pytest.fixture(scope="module")
def hostile_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = copy_fixture(tmp_path_factory.mktemp("hostile"))
    structures = "".join(_hostile_structure(i, name) for i, name in enumerate(HOSTILE_NAMES))
    (data / "departements" / "80-somme.yaml").write_text(HOSTILE_SOMME.format(structures=structures), encoding="utf-8")
    return data


@pytest.fixture(scope="module")
def hostile_site(hostile_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(hostile_data, tmp_path_factory.mktemp("hostile-site") / "site")


def test_hostile_but_valid_site_holds_no_script_handler_or_javascript_url(hostile_site: Path) -> None:
    assert (hostile_site / "pagefind").is_dir(), "the scan covers the search bundle too"
    assert scan_site(hostile_site, own_scripts(hostile_site)) == []


def test_hostile_names_are_shown_as_the_exact_text(hostile_site: Path) -> None:
    for index, name in enumerate(HOSTILE_NAMES):
        page = (hostile_site / "structures" / f"hostile-{index}" / "index.html").read_text(encoding="utf-8")
        soup = BeautifulSoup(page, "html.parser")
        assert soup.h1.get_text() == name
        assert soup.title.get_text().startswith(name)
        assert "&lt;" in page and "<script>alert" not in page and "<img src=x" not in page


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def test_no_csv_cell_of_the_site_is_a_formula_and_the_json_stays_exact(hostile_site: Path) -> None:
    csv_files = sorted(hostile_site.rglob("*.csv"))
    assert csv_files, "the site publishes CSV"
    for path in csv_files:  # every CSV the site writes, today's and tomorrow's
        text = path.read_text(encoding="utf-8-sig")
        cells = [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]
        assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)], path
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(
        (hostile_site / "donnees" / "structures.csv").read_text(encoding="utf-8-sig"), newline=""))}
    assert rows["hostile-4"]["nom"] == "'" + HOSTILE_NAMES[4]  # OWASP: a leading quote, the text unchanged
    assert rows["hostile-0"]["courriel"] == "'=contact-0@example.org"
    assert rows["hostile-0"]["nom"] == HOSTILE_NAMES[0]  # an ordinary cell is left as it is
    exported = json.loads((hostile_site / "donnees" / "annuaire.json").read_text(encoding="utf-8"))
    by_id = {s["id"]: s for s in exported["structures"]}
    for index, name in enumerate(HOSTILE_NAMES):  # re-users get the exact values in the JSON
        assert by_id[f"hostile-{index}"]["nom"] == name
        assert by_id[f"hostile-{index}"]["contacts"][0]["courriel"] == f"=contact-{index}@example.org"


def test_voir_aussi_links_to_the_other_fiche(hostile_site: Path) -> None:
    soup = soup_of(hostile_site, "/structures/hostile-0/")
    heading = soup.find("h2", string="Voir aussi")
    assert heading is not None
    link = heading.find_next("ul").find("a")
    assert (link["href"], link.get_text()) == ("/structures/cra-fictif-npdc/", "Centre ressources autisme fictif")
    assert (hostile_site / "structures" / "cra-fictif-npdc" / "index.html").is_file()


def test_the_scanner_finds_what_it_looks_for(tmp_path: Path) -> None:
    """The scan above must be able to fail: plant each kind of problem in a copy of a page."""
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "ok.js").write_text("console.log('own script')")
    planted = {
        "a.html": "<p><script>alert(1)</script></p>",
        "b.html": '<img src="x" onerror="alert(1)">',
        "c.html": '<a href="  JAVASCRIPT:alert(1)">x</a>',
        "d.html": '<a href="java&#115;cript:alert(1)">x</a>',
        "e.json": '{"x": "<script>"}',
        "f.html": '<script src="https://evil.example.org/x.js"></script>',
    }
    for name, text in planted.items():
        (tmp_path / name).write_text(text)
    (tmp_path / "ok.html").write_text('<script src="/static/ok.js"></script><p>&lt;script&gt; onerror=1</p>')
    problems = scan_site(tmp_path, {"static/ok.js"})
    assert sorted({p.split(":")[0] for p in problems}) == sorted(planted)


# ---------------------------------------------------------------------------
# Defence in depth: hostile Markdown that got past validation


def test_rendering_is_safe_even_if_validation_missed_hostile_markdown(hostile_data: Path) -> None:
    report = Report()
    dataset = check_data(hostile_data, report)
    assert dataset is not None, report.items
    annuaire = build_model(dataset)
    payload = "\n\n".join(HOSTILE_MARKDOWN)
    for view in annuaire.structures.values():
        # model_copy skips validation, as a hole in the validator would.
        view.data = view.data.model_copy(update={"description": payload})
    header = EnTete.model_construct(titre="<script>t</script>", description="d\" onload=\"x", adresse="piege")
    source = ContentSource(ROOT / "content" / "piege.md", "content/piege.md", "content/piege.md", header, "", "")
    annuaire.content = [ContentPage(source, html="")]
    files = render_site(annuaire, make_environment(ROOT / "templates"), FIXED_TODAY)
    pages = {path: data.decode() for path, data in files.files.items() if path.endswith(".html")}
    assert "piege/index.html" in pages
    for path, markup in pages.items():
        assert scan_html(markup) == [], path
        assert not re.search(r'href="\s*(javascript|vbscript|data):', html.unescape(markup), re.I), path
