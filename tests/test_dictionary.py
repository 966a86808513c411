"""The data dictionary (/donnees/dictionnaire/) lists exactly the fields of each export, and /donnees/
links to every open data file."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.page_types import soup_of


def dictionary(site: Path) -> dict[str, set[str]]:
    """Each table of the dictionary page: its anchor → the field names it lists."""
    soup = soup_of(site, "/donnees/dictionnaire/")
    tables = {}
    for section in soup.find_all("section"):
        heading, table = section.find("h2"), section.find("table")
        if heading and table and heading.get("id") not in ("correspondances",):
            tables[heading["id"]] = {row.th.get_text() for row in table.tbody.find_all("tr")}
    return tables


def keys(records: list[dict]) -> set[str]:
    return set().union(*(r.keys() for r in records))


@pytest.fixture(params=["fixture", "real"])
def site(request: pytest.FixtureRequest) -> Path:
    return request.getfixturevalue(f"{request.param}_site")


def test_dictionary_tables_match_the_exported_fields(site):
    tables = dictionary(site)
    read = lambda path: json.loads((site / path).read_text(encoding="utf-8"))  # noqa: E731
    # A field the dictionary describes may be absent from a given dataset; a field in a file must be described.
    assert keys(read("donnees/data-inclusion/structures.json")) <= tables["data-inclusion-structures"]
    assert keys(read("donnees/data-inclusion/services.json")) <= tables["data-inclusion-services"]
    assert keys(read("donnees/hsds/services.json")) <= tables["hsds-services"]
    assert keys(read("donnees/hsds/organizations.json")) <= tables["hsds-organizations"]
    assert keys([f["properties"] for f in read("donnees/structures.geojson")["features"]]) <= tables["geojson"]
    document = read("donnees/annuaire.json")
    assert set(document) <= tables["annuaire-json"]
    structure_fields = {name.removeprefix("structures[].") for name in tables["annuaire-json"] if name.startswith("structures[].")}
    assert keys(document["structures"]) <= structure_fields
    header = next(csv.reader(io.StringIO((site / "donnees" / "structures.csv").read_text(encoding="utf-8-sig"))))
    assert set(header) == tables["structures-csv"]
    atom = ET.fromstring((site / "donnees" / "modifications.atom").read_bytes())
    local = lambda tag: tag.split("}")[1]  # noqa: E731
    found = {f"feed/{local(e.tag)}" for e in atom if local(e.tag) != "entry"}
    found |= {f"entry/{local(e.tag)}" for entry in atom if local(entry.tag) == "entry" for e in entry}
    assert found <= tables["atom"]


def test_dictionary_reads_nested_fields_from_the_models(fixture_site):
    """annuaire.json's structure fields come from the format's models, nested ones included, with their vocabulary."""
    soup = soup_of(fixture_site, "/donnees/dictionnaire/")
    rows = {row.th.get_text(): [cell.get_text() for cell in row.find_all("td")]
            for row in soup.find(id="annuaire-json").find_parent("section").tbody.find_all("tr")}
    assert {"structures[].contacts[].telephone", "structures[].public.situations",
            "structures[].zone_eligibilite.departements", "structures[].coordonnees.latitude"} <= set(rows)
    assert "autisme-tnd" in rows["structures[].public.situations"][3]
    assert rows["structures[].contacts[].telephone"][0].startswith("téléphone")
    assert "pcpe" in rows["structures[].type"][3]


def test_donnees_page_links_to_every_open_data_file(fixture_site):
    links = {a["href"] for a in soup_of(fixture_site, "/donnees/").find_all("a", href=True)}
    files = {"/" + p.relative_to(fixture_site).as_posix() for p in (fixture_site / "donnees").rglob("*")
             if p.is_file() and p.suffix != ".html" and p.parent.name != "vcard"}
    assert files <= links
    assert "/donnees/dictionnaire/" in links
