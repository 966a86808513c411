"""Campaigns: the call sheet (CSV and printable page) and the round trip of its answers back into the YAML."""

from __future__ import annotations

import datetime as dt
import difflib
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import given
from hypothesis import strategies as st

from annuaire360.tabular import FORMULA_STARTS, read_cell, read_csv, safe_cell, write_csv
from annuaire360.tools.answers import column_name, yaml_round_trip
from annuaire360.tools.campaign import COLUMNS
from tests.conftest import ROOT, check_data, java, node_module
from tests.helpers import copy_fixture, run_build

NORD = Path("departements") / "59-nord.yaml"
BEFORE = "2025-06-01"  # the fixture's « today »: every fiche verified before it is due


def make_sheet(data: Path, out: Path, *args: str) -> tuple[Path, Path]:
    result = run_build("campagne", "--data", str(data), "--sortie", str(out), *args)
    assert result.returncode == 0, result.stderr
    csv_path, html_path = sorted(out.iterdir())
    return csv_path, html_path


def rows_of(csv_path: Path) -> list[dict[str, str]]:
    text = csv_path.read_text(encoding="utf-8-sig")
    found = list(read_csv(text))
    assert found[0][1] == COLUMNS
    return [dict(zip(COLUMNS, cells, strict=True)) for _, cells in found[1:]]


def save(csv_path: Path, rows: list[dict[str, str]]) -> None:
    csv_path.write_bytes(write_csv(COLUMNS, ([row[c] for c in COLUMNS] for row in rows)))


def answer(rows: list[dict[str, str]], fiche: str, answers: dict[str, tuple[str, str]],
           day: str = "2025-05-20", role: str = "equipe-du-site") -> None:
    """Fill the rows of one fiche: fact → (reponse, nouvelle_valeur), dated and signed."""
    for row in rows:
        if row["id"] == fiche and row["fait"] in answers:
            row["reponse"], row["nouvelle_valeur"] = answers[row["fait"]]
            row["verifie_le"], row["verifie_par"] = day, role


@pytest.fixture
def sheet(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A copy of the fixture data and the call sheet of the Nord, every fiche due."""
    data = copy_fixture(tmp_path)
    csv_path, html_path = make_sheet(data, tmp_path / "campagnes", "--departement", "59", "--avant", BEFORE)
    return data, csv_path, html_path


PCPE_ALL = {"telephone": ("oui", ""), "horaires": ("non", "Mo-Th 09:00-17:00"), "acces": ("oui", ""),
            "notification_mdph": ("oui", ""), "adresse": ("sans objet", "")}


# ---------------------------------------------------------------------------
# The sheet


def test_the_sheet_orders_calls_by_what_matters_to_families(sheet) -> None:
    _data, csv_path, _ = sheet
    assert csv_path.name == "campagne-59-2025-06-01.csv"
    rows = rows_of(csv_path)
    calls = list(dict.fromkeys((r["appel"], r["id"]) for r in rows))
    # the communauté first, then the Nord's structures (families may call both directly; by name), then the
    # regional resource that covers the Nord
    assert calls == [("1", "communaute-59"), ("2", "mdph-nord-fictive"), ("3", "pcpe-fictif-lille"),
                     ("4", "cra-fictif-npdc")]
    mdph = [r for r in rows if r["id"] == "mdph-nord-fictive"]
    # by the weights of the score (site/coverage.py); the MDPH notification does not count in it: last
    assert [r["fait"] for r in mdph] == ["telephone", "horaires", "acces", "adresse", "notification_mdph"]
    assert {r["numero_a_appeler"] for r in mdph} == {"03 53 01 00 00"}
    assert mdph[0]["question"] == "Les familles peuvent-elles toujours vous joindre au 03 53 01 00 00 ?"
    assert mdph[1]["question"] == "Vos horaires sont-ils toujours : du lundi au vendredi, de 8 h 30 à 17 h ?"
    assert mdph[3]["valeur_actuelle"] == "1 rue de l'Exemple, 59000 Lille"
    pcpe_hours = next(r for r in rows if r["id"] == "pcpe-fictif-lille" and r["fait"] == "horaires")
    assert pcpe_hours["question"] == "À quelles heures peut-on vous appeler ?" and pcpe_hours["valeur_actuelle"] == ""
    communaute = [r for r in rows if r["id"] == "communaute-59"]
    assert [r["fait"] for r in communaute] == ["telephone", "porteur", "horaires"]
    assert communaute[0]["fichier"] == "data/departements/59-nord.yaml"
    assert all(r[c] == "" for r in rows for c in ("reponse", "nouvelle_valeur", "verifie_le", "verifie_par"))


def test_a_fiche_verified_after_the_date_is_not_called(tmp_path: Path) -> None:
    data = copy_fixture(tmp_path)
    csv_path, _ = make_sheet(data, tmp_path / "c", "--departement", "59", "--avant", "2025-01-15")
    ids = {r["id"] for r in rows_of(csv_path)}
    assert "mdph-nord-fictive" not in ids and "communaute-59" not in ids  # both verified on 2025-02-01
    assert "pcpe-fictif-lille" in ids  # never verified


def without_pcpe_phone(tmp_path: Path) -> Path:
    """The fixture data with the PCPE reachable by e-mail only."""
    data = copy_fixture(tmp_path)
    path = data / NORD
    path.write_text(path.read_text(encoding="utf-8").replace('        telephone: "03 53 01 45 67"\n',
                                                             "        courriel: pcpe@example.org\n"),
                    encoding="utf-8")
    return data


def test_a_fiche_without_phone_says_where_to_find_one(tmp_path: Path) -> None:
    data = without_pcpe_phone(tmp_path)
    csv_path, _ = make_sheet(data, tmp_path / "c", "--departement", "59", "--avant", BEFORE)
    pcpe = next(r for r in rows_of(csv_path) if r["id"] == "pcpe-fictif-lille")
    assert pcpe["numero_a_appeler"] == "" and pcpe["ou_trouver_le_numero"] == "https://www.example.org/pcpe"
    assert pcpe["question"] == "Quel numéro les familles peuvent-elles appeler ?"


def test_the_printable_sheet_has_one_section_per_call(sheet) -> None:
    _, _, html_path = sheet
    soup = BeautifulSoup(html_path.read_text(encoding="utf-8"), "html.parser")
    assert soup.html["lang"] == "fr"
    headings = [h.get_text(" ", strip=True) for h in soup.select("section.appel h2")]
    assert headings[0] == "Appel 1 : Communauté 360 du Nord (fictive)" and len(headings) == 4
    first = soup.select("section.appel")[1]
    assert first.select_one(".numero").get_text() == "03 53 01 00 00"
    questions = [th.get_text(" ", strip=True) for th in first.select("tbody th")]
    assert questions[0] == "Les familles peuvent-elles toujours vous joindre au 03 53 01 00 00 ?"
    assert "coordination-communaute-360" in soup.get_text()  # the roles a caller may write


def test_a_campaign_for_an_unknown_departement_is_refused_in_french(tmp_path: Path) -> None:
    result = run_build("campagne", "--departement", "20", "--sortie", str(tmp_path))
    assert result.returncode == 2 and "« 20 » n'est pas un code de département" in result.stderr
    result = run_build("campagne", "--avant", "01/01/2027", "--sortie", str(tmp_path))
    assert result.returncode == 2 and "n'est pas une date AAAA-MM-JJ" in result.stderr


# ---------------------------------------------------------------------------
# The round trip


def test_answers_go_back_into_the_yaml_keeping_its_comments_and_layout(sheet) -> None:
    data, csv_path, _ = sheet
    path = data / NORD
    before = path.read_text(encoding="utf-8").replace("code: \"59\"\n", "code: \"59\"  # garder ce commentaire\n")
    path.write_text(before, encoding="utf-8")
    rows = rows_of(csv_path)
    answer(rows, "pcpe-fictif-lille", {**PCPE_ALL, "telephone": ("non", "03.53.01.45.00")}, role="service")
    answer(rows, "mdph-nord-fictive", {"telephone": ("oui", "")})  # partly answered: left as it is
    save(csv_path, rows)

    result = run_build("campagne", "--data", str(data), "--reponses", str(csv_path))
    assert result.returncode == 0, result.stderr
    assert "1 fiche(s) vérifiée(s), 2 correction(s)" in result.stdout
    after = path.read_text(encoding="utf-8")
    # only the PCPE's lines changed: its phone, its new hours on the phone line, the verification
    diff = list(difflib.ndiff(before.splitlines(), after.splitlines()))
    removed = [line[2:] for line in diff if line.startswith("- ")]
    added = [line[2:] for line in diff if line.startswith("+ ")]
    assert removed == ['        telephone: "03 53 01 45 67"']
    assert added == ['        telephone: "03 53 01 45 00"', '        horaires: "Mo-Th 09:00-17:00"',
                     "    verifie_le: 2025-05-20", "    verifie_par: service"]
    assert "# garder ce commentaire" in after
    # the MDPH had unanswered questions: a located warning, no change
    mdph_line = 2 + next(i for i, r in enumerate(rows) if r["id"] == "mdph-nord-fictive")
    assert f"{csv_path}:{mdph_line}:1: avertissement: « MDPH du Nord (fictive) » : 4 question(s) sans réponse" in result.stderr
    assert check_data(data) is not None

    out = data.parent / "site"
    built = run_build("--sans-index", "--data", str(data), "--out", str(out))
    assert built.returncode == 0, built.stderr
    soup = BeautifulSoup((out / "structures" / "pcpe-fictif-lille" / "index.html").read_text(), "html.parser")
    assert "Vérifié le 20 mai 2025 par le service lui-même." in soup.select_one(".provenance").get_text(" ", strip=True)


def test_a_new_phone_and_an_address_create_what_is_missing(tmp_path: Path) -> None:
    data = without_pcpe_phone(tmp_path)
    csv_path, _ = make_sheet(data, tmp_path / "c", "--departement", "59", "--avant", BEFORE)
    rows = rows_of(csv_path)
    answer(rows, "pcpe-fictif-lille", {**PCPE_ALL, "telephone": ("", "03 53 01 45 01"),
                                       "adresse": ("non", "3 place de l'Exemple, 59800 Lille")})
    save(csv_path, rows)
    result = run_build("campagne", "--data", str(data), "--reponses", str(csv_path))
    assert result.returncode == 0, result.stderr
    [pcpe] = next(s for s in check_data(data).departements if s.record.code == "59").record.structures[1:]
    assert [p.telephone.display for p in pcpe.contacts if p.telephone] == ["03 53 01 45 01"]
    assert (pcpe.adresse, pcpe.code_postal, pcpe.commune) == ("3 place de l'Exemple", "59800", "Lille")
    assert pcpe.verifie_par == "equipe-du-site"


BAD_ANSWERS = [
    ("telephone", ("non", "12 34"), "nouvelle_valeur", "colonne L (nouvelle_valeur) : numéro de téléphone « 12 34 » invalide"),
    ("horaires", ("non", "9h-17h en semaine"), "nouvelle_valeur", "horaires « 9h-17h en semaine » illisibles"),
    ("acces", ("non", "libre"), "nouvelle_valeur", "« libre » n'est pas une réponse possible : écrivez direct ou professionnel"),
    ("adresse", ("non", "Lille"), "nouvelle_valeur", "écrivez le numéro et la rue, une virgule, le code postal"),
    ("telephone", ("peut-être", ""), "reponse", "réponse « peut-être » inconnue"),
    ("telephone", ("non", ""), "nouvelle_valeur", "réponse « non » sans nouvelle valeur"),
    ("horaires", ("oui", ""), "reponse", "« oui » mais rien n'est écrit à confirmer"),
]


@pytest.mark.parametrize(("fact", "given", "column", "message"), BAD_ANSWERS, ids=[b[3][:30] for b in BAD_ANSWERS])
def test_a_bad_answer_is_located_in_french_and_nothing_is_written(sheet, fact, given, column, message) -> None:
    data, csv_path, _ = sheet
    before = (data / NORD).read_bytes()
    rows = rows_of(csv_path)
    answer(rows, "pcpe-fictif-lille", {**PCPE_ALL, fact: given})
    save(csv_path, rows)
    line = 2 + next(i for i, r in enumerate(rows) if r["id"] == "pcpe-fictif-lille" and r["fait"] == fact)
    result = run_build("campagne", "--data", str(data), "--reponses", str(csv_path))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    located = f"{csv_path}:{line}:{COLUMNS.index(column) + 1}: erreur: colonne {column_name(COLUMNS.index(column))} ({column}) : "
    assert located in result.stderr and message in result.stderr, result.stderr
    assert "Aucun fichier n'a été modifié" in result.stderr
    assert (data / NORD).read_bytes() == before


@pytest.mark.parametrize(("day", "role", "message"), [
    ("20/05/2025", "service", "date « 20/05/2025 » illisible"),
    ("2025-07-01", "service", "date 2025-07-01 dans le futur"),
    ("2025-05-20", "Mme Dupont", "« Mme Dupont » n'est pas un rôle connu"),
    ("2025-05-20", "servise", "vouliez-vous dire « service » ?"),
])
def test_the_date_and_role_of_a_call_are_checked(sheet, day, role, message) -> None:
    data, csv_path, _ = sheet
    rows = rows_of(csv_path)
    answer(rows, "pcpe-fictif-lille", PCPE_ALL, day=day, role=role)
    save(csv_path, rows)
    result = run_build("campagne", "--data", str(data), "--reponses", str(csv_path))
    assert result.returncode == 1 and message in result.stderr, result.stderr


def test_a_fiche_changed_since_the_sheet_is_refused(sheet) -> None:
    data, csv_path, _ = sheet
    rows = rows_of(csv_path)
    answer(rows, "pcpe-fictif-lille", PCPE_ALL)
    save(csv_path, rows)
    path = data / NORD
    path.write_text(path.read_text(encoding="utf-8").replace("03 53 01 45 67", "03 53 01 45 68"), encoding="utf-8")
    result = run_build("campagne", "--data", str(data), "--reponses", str(csv_path))
    assert result.returncode == 1
    assert "a changé depuis la feuille d'appels (« 03 53 01 45 67 » est devenu « 03 53 01 45 68 »)" in result.stderr


def test_answers_that_break_check_write_nothing(tmp_path: Path) -> None:
    """Real data refuses ARCEP's fiction numbers: the sheet accepts the number, check does not."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    out = tmp_path / "c"
    result = run_build("campagne", "--data", str(data), "--departement", "93", "--sortie", str(out), epoch=None)
    assert result.returncode == 0, result.stderr
    csv_path = next(out.glob("*.csv"))
    rows = rows_of(csv_path)
    fiche = "mdaa-seine-saint-denis"
    answers = {r["fait"]: ("sans objet", "") for r in rows if r["id"] == fiche}
    answers["telephone"] = ("non", "03 53 01 23 45")
    answer(rows, fiche, answers, day=dt.date.today().isoformat())
    save(csv_path, rows)
    target = data / "departements" / "93-seine-saint-denis.yaml"
    before = target.read_bytes()
    result = run_build("campagne", "--data", str(data), "--reponses", str(csv_path), epoch=None)
    assert result.returncode == 1
    assert "data/departements/93-seine-saint-denis.yaml:" in result.stderr
    assert "après avoir reporté les réponses" in result.stderr and "fiction" in result.stderr, result.stderr
    assert target.read_bytes() == before


def test_a_file_that_is_not_a_sheet_is_refused(tmp_path: Path) -> None:
    data = copy_fixture(tmp_path)
    bad = tmp_path / "autre.csv"
    bad.write_text("nom,telephone\nA,01\n", encoding="utf-8")
    result = run_build("campagne", "--data", str(data), "--reponses", str(bad))
    assert result.returncode == 1 and f"{bad}:1:1: erreur: ce n'est pas une feuille d'appels" in result.stderr


# ---------------------------------------------------------------------------
# Safe cells and the YAML round trip


def test_formula_cells_are_written_as_text() -> None:
    data = write_csv(["a"], [["=HYPERLINK(\"http://x\")"], ["+33 1"], ["-1"], ["@x"], ["\tx"], ["\rx"], ["'=x"], ["ok"]])
    text = data.decode("utf-8-sig")
    assert data.startswith(b"\xef\xbb\xbf")
    lines = text.split("\r\n")
    assert lines[1] == '"\'=HYPERLINK(""http://x"")"' and lines[2] == '"\'+33 1"' and lines[8] == '"ok"'
    assert [cells for _, cells in read_csv(text)][1:] == [
        ["=HYPERLINK(\"http://x\")"], ["+33 1"], ["-1"], ["@x"], ["\tx"], ["\rx"], ["'=x"], ["ok"]]


@given(st.text())
def test_read_cell_undoes_safe_cell(value: str) -> None:
    written = safe_cell(value)
    assert read_cell(written) == value
    assert not written.startswith(FORMULA_STARTS)


def test_a_yaml_load_and_dump_changes_no_byte_of_any_data_file() -> None:
    yaml = yaml_round_trip()
    files = [p for folder in (ROOT / "data", ROOT / "tests" / "fixtures" / "data") for p in sorted(folder.rglob("*.yaml"))]
    assert len(files) > 200
    for path in files:
        text = path.read_text(encoding="utf-8")
        out = io.StringIO()
        yaml.dump(yaml.load(text), out)
        assert out.getvalue() == text, path


def test_column_names_are_the_spreadsheets() -> None:
    assert [column_name(i) for i in (0, 11, 25, 26, 27)] == ["A", "L", "Z", "AA", "AB"]


def test_report_has_nothing_for_a_blank_sheet(sheet) -> None:
    """A sheet nobody filled changes nothing and says so."""
    data, csv_path, _ = sheet
    before = (data / NORD).read_bytes()
    result = run_build("campagne", "--data", str(data), "--reponses", str(csv_path))
    assert result.returncode == 0, result.stderr
    assert "0 fiche(s) vérifiée(s), 0 correction(s) ; fichiers modifiés : aucun ; 4 fiche(s) sans réponse" in result.stdout
    assert (data / NORD).read_bytes() == before


def test_the_printable_sheet_is_valid_html(sheet) -> None:
    _, _, html_path = sheet
    vnu = node_module("vnu-jar", "build", "dist", "vnu.jar")
    result = subprocess.run([java(), "-jar", str(vnu), "--errors-only", "--format", "json", str(html_path)],
                            capture_output=True, text=True, timeout=300)
    assert json.loads(result.stderr or '{"messages": []}')["messages"] == []
