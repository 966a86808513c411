"""Page weight per page type: raw and gzip sizes of HTML + CSS, against the 50 KB compressed budget.

Usage:
    .venv/bin/python bench/page_weight.py                      # builds tests/fixtures/data and data/
    .venv/bin/python bench/page_weight.py --site site/         # measures an already built site

For each page type it prints the number of pages and the heaviest page (HTML raw and gzip), plus the
stylesheets it loads; "total gz" is HTML + CSS compressed, what a phone downloads before any search.
"""

from __future__ import annotations

import argparse
import gzip
import re
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import FIXED_TODAY, FIXTURE_DATA, ROOT, build

BUDGET = 50 * 1024  # bytes, compressed, HTML + CSS: a page a cheap phone on a slow connection loads in seconds
STYLESHEET = re.compile(rb'<link rel="stylesheet" href="(/[^"]+)"')


def gz(data: bytes) -> int:
    """Compressed size, as a web server would send it (gzip level 6)."""
    return len(gzip.compress(data, compresslevel=6, mtime=0))


EXACT = {"index.html": "accueil", "404.html": "404", "regions/index.html": "liste des régions",
         "donnees/dictionnaire/index.html": "dictionnaire des données", "besoins/index.html": "liste des besoins",
         "numero-national/index.html": "numéro national", "recherche/index.html": "recherche",
         "trouver/index.html": "trouver (par code postal)"}
FIRST = {"structures": "fiche", "types": "type", "regions": "région", "glossaire": "glossaire",
         "facile-a-lire": "facile à lire", "hors-ligne": "hors ligne"}


def page_type(relative: str, html: bytes) -> str:
    if relative in EXACT:
        return EXACT[relative]
    if relative.endswith("/livret/index.html"):
        return "livret à imprimer"
    first = relative.split("/")[0]
    if first == "besoins":
        return "besoin (national)"
    if first == "departements" and relative.count("/") == 3:
        return "besoin × département"
    if first == "departements":
        return "département avec données" if b'id="communaute-titre"' in html and b"Ce qui se passe quand vous appelez" not in html else "département sans données"
    return FIRST.get(first, "page de contenu")


def measure(site: Path) -> list[tuple[str, int, str, int, int, int, int, int]]:
    """Rows: type, pages, heaviest page, its HTML raw and gz, CSS raw and gz, median HTML gz."""
    groups: dict[str, list[tuple[str, bytes]]] = {}
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site).as_posix()
        if relative.startswith("pagefind/"):
            continue
        html = path.read_bytes()
        groups.setdefault(page_type(relative, html), []).append((relative, html))
    rows = []
    for name, pages in sorted(groups.items()):
        relative, html = max(pages, key=lambda item: gz(item[1]))
        css = b"".join((site / href.decode().lstrip("/")).read_bytes() for href in STYLESHEET.findall(html))
        rows.append((name, len(pages), relative, len(html), gz(html), len(css), gz(css),
                     int(statistics.median(gz(h) for _, h in pages))))
    return rows


def report(title: str, site: Path) -> bool:
    rows = measure(site)
    print(f"\n{title} ({site})")
    header = f"{'type de page':28} {'pages':>5} {'HTML brut':>10} {'HTML gz':>8} {'médiane gz':>10} {'CSS brut':>9} {'CSS gz':>7} {'total gz':>9}  page la plus lourde"
    print(header)
    print("-" * len(header))
    ok = True
    for name, count, relative, raw, html_gz, css_raw, css_gz, median in rows:
        total = html_gz + css_gz
        ok &= total <= BUDGET
        flag = "" if total <= BUDGET else "  > BUDGET"
        print(f"{name:28} {count:5} {raw:10,} {html_gz:8,} {median:10,} {css_raw:9,} {css_gz:7,} {total:9,}  {relative}{flag}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="site déjà construit à mesurer (sinon : construit les données de test et data/)")
    args = parser.parse_args()
    print(f"Budget : {BUDGET // 1024} Ko compressés (HTML + CSS) par page.")
    if args.site:
        ok = report("Site", args.site)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            fixture = build(FIXTURE_DATA, Path(tmp) / "fixture", index=False, today=FIXED_TODAY)
            ok = report("Données de test", fixture)
            ok &= report("Données réelles", build(ROOT / "data", Path(tmp) / "reel", index=False))
    print("\nTout est dans le budget." if ok else "\nAu moins une page dépasse le budget.")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
