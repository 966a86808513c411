"""Open data exports: JSON and CSV of the whole directory."""

import csv
import io
import json
import re


def test_json_export_holds_every_departement_and_structure(fixture_site):
    data = json.loads((fixture_site / "donnees" / "annuaire.json").read_text())
    assert len(data["departements"]) == 101
    assert data["numero_national"]["telephone"] == "+33800360360"
    nord = next(d for d in data["departements"] if d["code"] == "59")
    assert nord["structures"] == ["mdph-nord-fictive", "pcpe-fictif-lille"]
    assert nord["ressources"] == ["cra-fictif-npdc"]
    assert nord["communaute"]["nom"] == "Communauté 360 du Nord (fictive)"
    cra = next(s for s in data["structures"] if s["id"] == "cra-fictif-npdc")
    assert cra["departements_couverts"] == ["59", "62"]
    assert cra["contacts"][0]["telephone"] == "+33353019999"
    assert cra["url_fiche"] == "https://annuaire.example.org/structures/cra-fictif-npdc/"


def test_csv_export_is_readable_by_spreadsheets(fixture_site):
    raw = (fixture_site / "donnees" / "structures.csv").read_bytes()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [r["id"] for r in rows] == ["cra-fictif-npdc", "ligne-nationale-fictive", "mdph-nord-fictive", "pcpe-fictif-lille"]
    mdph = next(r for r in rows if r["id"] == "mdph-nord-fictive")
    assert (mdph["telephone"], mdph["code_postal"], mdph["departements"]) == ("03 53 01 00 00", "59000", "59")
    assert next(r for r in rows if r["id"] == "cra-fictif-npdc")["departements"] == "59 62"


def test_sitemap_lists_every_page_and_robots_points_to_it(fixture_site):
    sitemap = (fixture_site / "sitemap.xml").read_text()
    # The offline page is shown by the service worker in place of a page not kept on the device: not a page to find.
    pages = [p for p in fixture_site.rglob("index.html") if "pagefind" not in p.parts and "hors-ligne" not in p.parts]
    page_locs = [loc for loc in re.findall(r"<loc>([^<]+)</loc>", sitemap) if loc.endswith("/") or loc.endswith(".html")]
    assert len(page_locs) == len(pages)
    assert "/hors-ligne/" not in sitemap and "<loc>https://annuaire.example.org/facile-a-lire/mdph/</loc>" in sitemap
    assert "<loc>https://annuaire.example.org/departements/2a-corse-du-sud/</loc>" in sitemap
    assert "Sitemap: https://annuaire.example.org/sitemap.xml" in (fixture_site / "robots.txt").read_text()
