"""The national number is written in exactly one place: data/national.yaml."""

import re

from tests.conftest import ROOT

NUMBER = re.compile(r"0[ .]?8[ .]?00[ .]?360[ .]?360|\+33[ .]?8[ .]?00[ .]?360[ .]?360")


def test_national_number_is_written_only_in_the_national_file():
    places = []
    for folder in ("data", "templates", "content", "static"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and path.suffix in {".yaml", ".yml", ".html", ".md", ".js", ".css", ".json", ".svg"}:
                for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
                    if NUMBER.search(line) and not line.lstrip().startswith("#"):
                        places.append(f"{path.relative_to(ROOT)}:{number}")
    assert places == ["data/national.yaml:6"], places


def test_content_pages_get_the_number_from_the_national_file(fixture_site):
    html = (fixture_site / "donnees" / "index.html").read_text()
    assert "[[numero-national]]" not in html
    assert '<a class="tel" href="tel:0800360360">0 800 360 360</a>' in html
