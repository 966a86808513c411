"""Validation: every mistake of a file is reported, located, in French, with how to fix it."""

import datetime as dt
from pathlib import Path

from annuaire360 import format as fmt
from annuaire360.diagnostics import Report
from annuaire360.source.load import parse
from annuaire360.source.validate import validate_document
from tests.conftest import FIXED_TODAY, FIXTURE_DATA, check_data
from tests.helpers import copy_fixture

RESSOURCES = "ressources/hauts-de-france.yaml"

TEN_MISTAKES = """\
code: "59"
nom: Nord
structures:
  - id: Mauvais Id
    nom: Exemple
    type: pcpe
    telefone: "03 53 01 23 45"
    code_postal: 59000
    public:
      age_min: douze
      situations: [autisme]
    notification_mdph: peut-être
    site_web: http://www.example.org
    contacts:
      - libelle: Accueil
        telephone: "03 53 01 23"
        courriel: accueil@
        horaires: du lundi au vendredi
    sources:
      - url: https://www.example.org
"""


def messages(text: str) -> list[tuple[int, int, str]]:
    document = parse(text, Path("59-nord.yaml"), "data/departements/59-nord.yaml")
    report = Report()
    assert validate_document(document, fmt.FichierDepartement, report) is None
    return sorted((d.line, d.column, d.message) for d in report.errors)


def test_a_file_with_ten_mistakes_gets_ten_located_french_messages():
    found = messages(TEN_MISTAKES)
    assert len(found) == 11, "\n".join(map(str, found))
    expected = [
        (4, 9, "identifiant « Mauvais Id » invalide"),
        (7, 5, "champ « telefone » inconnu : « telephone » se met dans le bloc « contacts »"),
        (8, 18, "« 59000 » est lu comme un nombre"),
        (10, 16, "age_min : un nombre entier est attendu"),
        (11, 20, "valeur « autisme » non reconnue pour situations"),
        (12, 24, "valeur « peut-être » non reconnue pour notification_mdph"),
        (13, 15, "non sécurisée"),
        (16, 20, "numéro de téléphone « 03 53 01 23 » invalide"),
        (17, 19, "adresse électronique « accueil@ » invalide"),
        (18, 19, "horaires « du lundi au vendredi » illisibles"),
        (20, 9, "champ obligatoire « consulte_le » manquant"),
    ]
    for (line, column, text), (want_line, want_column, want_text) in zip(found, expected, strict=True):
        assert (line, column) == (want_line, want_column), (line, column, text)
        assert want_text in text


def test_unquoted_code_with_leading_zero_says_the_zero_would_be_lost():
    found = messages('code: "01"\nnom: Ain\nstructures:\n  - id: a\n    nom: A\n    type: pcpe\n    code_postal: 01000\n'
                     "    sources: [{url: 'https://www.example.org', consulte_le: 2025-01-01}]\n")
    assert any('code_postal: "01000"' in m and "zéro" in m for _, _, m in found)


def test_unquoted_departement_code_is_explained():
    found = messages("code: 09\nnom: Ariège\n")
    assert found == [(1, 7, '« 09 » est lu comme un nombre ou un booléen : écrivez-le entre guillemets, code: "09" '
                            "(sans guillemets, le zéro du début serait perdu)")]


def test_missing_required_field_points_at_the_block_and_describes_the_field():
    found = messages('code: "59"\n')
    assert found[0][:2] == (1, 1)
    assert "champ obligatoire « nom » manquant" in found[0][2]


def test_unknown_key_without_close_match_lists_the_possible_keys():
    found = messages('code: "59"\nnom: Nord\nzzz: 1\n')
    assert "champs possibles ici : code, communaute, masquer, nom, structures" in found[0][2]


def _check(data: Path, today: dt.date = FIXED_TODAY) -> Report:
    report = Report()
    check_data(data, report, today=today)
    return report


def _errors_after_replacing(tmp_path: Path, relative: str, old: str, new: str) -> list[str]:
    """Check a copy of the fixture data in which one file had ``old`` replaced by ``new``."""
    data = copy_fixture(tmp_path)
    path = data / relative
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))
    return [str(e) for e in _check(data).errors]


def test_fixture_dataset_is_valid():
    report = _check(FIXTURE_DATA)
    assert report.errors == [], report.errors


def test_file_named_for_another_departement(tmp_path):
    data = copy_fixture(tmp_path)
    (data / "departements" / "59-nord.yaml").rename(data / "departements" / "62-nord.yaml")
    errors = [str(e) for e in _check(data).errors]
    assert any("renommez-le « 59-nord.yaml »" in e and e.split(":")[1:3] == ["1", "7"] for e in errors), errors


def test_missing_departement_file_is_reported(tmp_path):
    data = copy_fixture(tmp_path)
    (data / "departements" / "23-creuse.yaml").unlink()
    errors = [str(e) for e in _check(data).errors]
    assert any("fichier manquant pour le département 23 (Creuse)" in e for e in errors), errors


def test_duplicate_ids_across_files(tmp_path):
    errors = _errors_after_replacing(tmp_path, RESSOURCES, "id: cra-fictif-npdc", "id: pcpe-fictif-lille")
    line = (FIXTURE_DATA / "departements" / "59-nord.yaml").read_text(encoding="utf-8").splitlines().index(
        "  - id: pcpe-fictif-lille") + 1
    duplicate = ("data/ressources/hauts-de-france.yaml:2:9: erreur: identifiant « pcpe-fictif-lille » déjà utilisé "
                 f"(data/departements/59-nord.yaml:{line}) : choisissez-en un autre")
    assert duplicate in errors
    member_line = (FIXTURE_DATA / "departements" / "59-nord.yaml").read_text(encoding="utf-8").splitlines().index(
        "    - id: cra-fictif-npdc") + 1
    # the Nord's communauté named the renamed resource as a member: that is said too, on its line
    assert [e for e in errors if e != duplicate] == [
        f"data/departements/59-nord.yaml:{member_line}:11: erreur: membres : aucune structure n'a l'identifiant « cra-fictif-npdc » "
        "(recopiez le champ id d'une structure de l'annuaire, ou celui d'une fiche importée « finess-… » ou « asp-… » ; "
        "ajoutez d'abord la structure si elle n'y est pas)"]


def test_unknown_type_suggests_the_closest_code(tmp_path):
    errors = _errors_after_replacing(tmp_path, RESSOURCES, "type: cra", "type: craa")
    assert errors == [
        "data/ressources/hauts-de-france.yaml:4:11: erreur: type « craa » inconnu ; vouliez-vous dire « cra » ? "
        "(les types possibles sont dans data/types.yaml et dans le guide)"
    ]


def test_resource_without_covered_departements(tmp_path):
    errors = _errors_after_replacing(tmp_path, RESSOURCES, '    zone_eligibilite:\n      departements: ["59", "62"]\n', "")
    assert any("ne dit pas quels départements elle couvre" in e for e in errors), errors


def test_stale_verification_is_a_warning():
    report = _check(FIXTURE_DATA, today=dt.date(2026, 5, 28))  # more than a year after 2025-02-01
    assert report.errors == []
    assert any("plus d'un an" in w.message for w in report.warnings)
    assert report.failed(strict=True) and not report.failed()


def test_every_problem_of_every_file_is_reported_at_once(tmp_path):
    data = copy_fixture(tmp_path)
    (data / "departements" / "01-ain.yaml").write_text('code: "01"\nnom: Ain\nzzz: 1\n')
    (data / "departements" / "02-aisne.yaml").write_text('code: "02"\nnom: Aisne\n\tx: 1\n')
    paths = {e.path.split("/")[-1] for e in _check(data).errors}
    assert {"01-ain.yaml", "02-aisne.yaml"} <= paths


def test_a_document_validated_again_gives_its_record_again_and_its_errors_again():
    """The preview keeps a document while its file is unchanged: validating it again with the same context
    must give the same record (not redo the work), and a broken one must report its errors every time."""
    good = parse((FIXTURE_DATA / "departements" / "59-nord.yaml").read_text(encoding="utf-8"),
                 Path("59-nord.yaml"), "data/departements/59-nord.yaml")
    context = fmt.Context(today=FIXED_TODAY)
    first = validate_document(good, fmt.FichierDepartement, Report(), context)
    assert first is not None
    assert validate_document(good, fmt.FichierDepartement, Report(), context) is first
    later = fmt.Context(today=FIXED_TODAY + dt.timedelta(days=1))  # another day: validated again
    assert validate_document(good, fmt.FichierDepartement, Report(), later) is not first
    assert messages(TEN_MISTAKES) == messages(TEN_MISTAKES)  # a fresh document each time, errors each time
    broken = parse(TEN_MISTAKES, Path("59-nord.yaml"), "data/departements/59-nord.yaml")
    for _ in range(2):
        report = Report()
        assert validate_document(broken, fmt.FichierDepartement, report) is None and len(report.errors) == 11
