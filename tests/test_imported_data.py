"""Imported records beside the hand-written data: check refuses hand edits, hand-written data wins field by field,
the fiche says where each fact comes from, masks and duplicates are handled."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from annuaire360.diagnostics import Report
from tests.conftest import build_site, check_data
from tests.golden import IMPORT_FIXTURES, run_import
from tests.helpers import copy_fixture, run_build

SOMME = "departements/80-somme.yaml"
MDPH_ID = "00000000-0000-4000-8000-000000000080"
HEADER = '''# yaml-language-server: $schema=../../../../schema/departement.schema.json
code: "80"
nom: Somme
'''


@pytest.fixture
def imported(tmp_path) -> Path:
    """The fixture dataset with both sources imported from the fixtures."""
    data = copy_fixture(tmp_path)
    for source, names in (("annuaire-service-public", ["dila-export-api.json"]),
                          ("finess", ["finess-structures.json", "finess-activites.json"])):
        code, _, err = run_import(data, source, [IMPORT_FIXTURES / n for n in names])
        assert code == 0, err
    return data


def messages(data: Path) -> list[str]:
    report = Report()
    check_data(data, report)
    return [str(d) for d in report.items]


def write_somme(data: Path, text: str) -> None:
    (data / SOMME).write_text(HEADER + text, encoding="utf-8")


def page(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url.strip("/") / "index.html").read_text(encoding="utf-8"), "html.parser")


LINKED = f'''structures:
  - id: mdph-somme
    nom: MDPH de la Somme
    type: mdph
    annuaire_service_public: "{MDPH_ID}"
    contacts:
      - libelle: Accueil des familles
        telephone: "03 53 01 11 11"
    sources:
      - url: https://www.example.org/mdph80
        consulte_le: 2025-05-01
    verifie_le: 2025-05-02
    verifie_par: service
'''


def test_a_hand_edit_of_a_generated_file_is_refused_with_where_to_write_instead(imported):
    path = imported / "imports" / "finess" / "80-somme.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("03 53 01 81 01", "03 53 01 81 02"), encoding="utf-8")
    found = messages(imported)
    assert len(found) == 1
    assert found[0].startswith("data/imports/finess/80-somme.yaml:1:1: erreur: ce fichier est généré par « python "
                               "build.py importer finess » et a été modifié à la main")
    assert "écrivez la correction dans le fichier du département" in found[0] and 'finess: "…"' in found[0]


def test_imported_files_pass_check_and_are_published(imported, tmp_path):
    assert messages(imported) == []
    site = build_site(imported, tmp_path / "site", index=False)
    somme = page(site, "/departements/80-somme/")
    names = [a.get_text() for a in somme.select("article.carte h4 a")]
    assert "Maison départementale des personnes handicapées (MDPH) - Somme" in names
    assert "INSTITUT MEDICO-EDUCATIF EXEMPLE" in names and names.count("INSTITUT MEDICO-EDUCATIF EXEMPLE") == 2  # + PCPE
    fiche = page(site, "/structures/finess-800000101/")
    provenance = fiche.select_one("section.provenance").get_text(" ", strip=True)
    assert "D'après FINESS, mis à jour le 1er avril 2025" in provenance
    assert "Vérifié le" not in provenance  # imported facts are never « vérifié »
    assert "Agence du numérique en santé (ANS)" in provenance and "Licence Ouverte 2.0" in provenance
    edit = next(a for a in fiche.select("section.provenance a") if a.get_text().startswith("Modifier le fichier"))
    assert edit["href"].endswith("/data/departements/80-somme.yaml")


def test_hand_written_data_wins_field_by_field(imported, tmp_path):
    write_somme(imported, LINKED)
    assert messages(imported) == []
    site = build_site(imported, tmp_path / "site", index=False)
    assert not (site / "structures" / f"asp-{MDPH_ID}").exists()  # completed, no longer shown on its own
    fiche = page(site, "/structures/mdph-somme/")
    phones = [a.get_text() for a in fiche.select("a.tel")]
    assert "03 53 01 11 11" in phones and "03 53 01 80 80" not in phones  # contacts: the hand-written ones win
    assert "1 rue de l'Exemple" in fiche.select_one("address").get_text()  # address: none by hand, imported
    text = fiche.get_text(" ", strip=True)
    assert "du lundi au vendredi" in text  # hours: imported
    provenance = fiche.select_one("section.provenance").get_text(" ", strip=True)
    assert "Vérifié le 2 mai 2025" in provenance
    assert "Sauf ce qui vient des données officielles ci-dessous." in provenance
    assert "d'après l'Annuaire de l'administration, mis à jour le 15 janvier 2025" in provenance
    assert "Adresse" in provenance and "horaires de l'accueil" in provenance and "contacts" not in provenance


def test_an_address_is_never_half_hand_written_half_imported(imported, tmp_path):
    write_somme(imported, LINKED.replace("    verifie_le: 2025-05-02\n    verifie_par: service\n", "    commune: Amiens\n"))
    site = build_site(imported, tmp_path / "site", index=False)
    address = page(site, "/structures/mdph-somme/").select_one("address").get_text(" ", strip=True)
    assert address == "Amiens"  # the imported street is not glued to the hand-written town


def test_merge_takes_only_empty_fields():
    from annuaire360 import format as fmt
    from annuaire360.source.imports import merge

    source = [{"url": "https://www.example.org/a", "consulte_le": "2025-01-01"}]
    hand = fmt.Structure.model_validate({"id": "a", "nom": "A", "type": "mdph", "sources": source,
                                         "site_web": "https://a.example.org", "horaires_accueil": "Mo 09:00-12:00"})
    imported = fmt.StructureImportee.model_validate({
        "id": "asp-x", "nom": "X", "type": "mdph", "annuaire_service_public": "x", "sources": source,
        "site_web": "https://x.example.org", "horaires_accueil": "Tu 09:00-12:00", "horaires_precisions": "en août",
        "sigle": "MDPH 80", "adresse": "1 rue X", "code_postal": "80000", "commune": "Amiens",
    })
    merged, fields = merge(hand, imported)
    assert (merged.nom, merged.site_web, merged.horaires_accueil) == ("A", "https://a.example.org", "Mo 09:00-12:00")
    assert merged.horaires_precisions is None  # the hours go together: hand-written hours, no imported note
    assert (merged.sigle, merged.adresse, merged.commune) == ("MDPH 80", "1 rue X", "Amiens")
    assert merged.annuaire_service_public == "x"
    assert fields == ("sigle", "adresse", "code postal", "commune")


def test_a_masked_record_stays_hidden_across_imports(imported, tmp_path):
    write_somme(imported, "masquer:\n  - id: finess-800000102\n    raison: fermé depuis mars 2025 (appel du 12/03/2025)\n")
    assert messages(imported) == []
    code, _, _ = run_import(imported, "finess", [IMPORT_FIXTURES / "finess-structures.json", IMPORT_FIXTURES / "finess-activites.json"])
    assert code == 0
    site = build_site(imported, tmp_path / "site", index=False)
    assert not (site / "structures" / "finess-800000102").exists()
    assert (site / "structures" / "finess-800000102-pcpe").exists()  # only the record named is hidden


def test_a_duplicate_without_link_is_a_warning_with_the_fix(imported):
    write_somme(imported, LINKED.replace(f'    annuaire_service_public: "{MDPH_ID}"\n', "").replace(
        "03 53 01 11 11", "03 53 01 80 80"))
    [warning] = messages(imported)
    assert ": avertissement: « MDPH de la Somme » semble être la fiche importée « asp-" in warning
    assert f'ajoutez annuaire_service_public: "{MDPH_ID}" à la structure « mdph-somme »' in warning


@pytest.mark.parametrize(("text", "expected"), [
    ("masquer:\n  - id: mdph-nord-fictive\n    raison: doublon\n", "n'est pas une fiche importée"),
    ("masquer:\n  - id: finess-800009999\n    raison: fermé\n", "n'est plus dans l'import de ce département"),
    ("structures:\n  - id: finess-800000101\n    nom: CAMSP\n    type: camsp\n    sources:\n"
     "      - url: https://www.example.org/a\n        consulte_le: 2025-01-01\n", "est celui d'une fiche importée"),
    (LINKED.replace(MDPH_ID, "00000000-0000-4000-8000-000000009999"), "n'est pas (ou plus) dans l'import"),
    (LINKED + "masquer:\n  - id: asp-" + MDPH_ID + "\n    raison: fermé\n", "à la fois complétée par « mdph-somme » et masquée"),
])
def test_links_and_masks_are_checked(imported, text, expected):
    write_somme(imported, text)
    found = messages(imported)
    assert any(expected in m and m.startswith("data/departements/80-somme.yaml:") for m in found), found


def test_a_link_without_import_is_only_the_finess_number(tmp_path):
    """data/imports/ is empty in this repository: a FINESS number written by hand must stay valid."""
    data = copy_fixture(tmp_path)
    write_somme(data, LINKED.replace(f'annuaire_service_public: "{MDPH_ID}"', 'finess: "800000000"'))
    assert messages(data) == []


def test_voir_aussi_may_name_an_imported_record(imported):
    write_somme(imported, LINKED.replace("    verifie_le:", "    voir_aussi: [finess-800000101]\n    verifie_le:"))
    assert messages(imported) == []


def test_check_reads_imports_from_the_command_line(imported):
    result = run_build("check", "--data", str(imported))
    assert result.returncode == 0, result.stderr
