"""``build.py check`` as the pull request workflow runs it: annotations on the line, a French job summary."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from bs4 import BeautifulSoup

from tests.helpers import copy_fixture, run_build

GOOD = 'telephone: "03 53 01 45 67"'
BROKEN = 'telephone: "03 53 01 45"'


def workspace(tmp_path: Path, *, broken: bool) -> Path:
    """A checkout-like directory: data/ at its root, as in the GitHub workspace."""
    copy_fixture(tmp_path)
    if broken:
        path = tmp_path / "data" / "departements" / "59-nord.yaml"
        text = path.read_text(encoding="utf-8")
        assert text.count(GOOD) == 1
        path.write_text(text.replace(GOOD, BROKEN), encoding="utf-8")
    return tmp_path


def check_on_github(cwd: Path, *extra: str, github: bool = True) -> tuple[subprocess.CompletedProcess[str], str]:
    summary = cwd / "resume.md"
    env = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)} if github else None
    result = run_build("check", "--data", "data", *extra, cwd=cwd, env=env)
    return result, summary.read_text(encoding="utf-8") if summary.exists() else ""


def summary_rows(summary: str) -> list[list[str]]:
    """The cells of each diagnostic row of the job summary's tables (an HTML table: Markdown is not read there)."""
    soup = BeautifulSoup(summary, "html.parser")
    return [[cell.get_text() for cell in row.find_all("td")] for row in soup.select("table tbody tr")]


def position(path: Path, needle: str) -> tuple[int, int]:
    """1-based line and column of the value after ``telephone: `` on the line that holds ``needle``."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number, line.index(needle) + len("telephone: ") + 1
    raise AssertionError(needle)


def test_broken_phone_number_is_annotated_on_its_line(tmp_path: Path) -> None:
    cwd = workspace(tmp_path, broken=True)
    line, column = position(cwd / "data" / "departements" / "59-nord.yaml", BROKEN)
    result, summary = check_on_github(cwd)
    assert result.returncode == 1
    annotations = [a for a in result.stderr.splitlines() if a.startswith("::")]
    assert annotations == [
        f"::error file=data/departements/59-nord.yaml,line={line},col={column}::numéro de téléphone "
        "« 03 53 01 45 » invalide : écrivez les 10 chiffres entre guillemets, par exemple \"03 53 01 23 45\" "
        "(un numéro vert : « 0 800 » puis 6 chiffres)"
    ]
    # the plain line, for people reading the log
    assert f"data/departements/59-nord.yaml:{line}:{column}: erreur: numéro de téléphone « 03 53 01 45 »" in result.stderr
    # the job summary tells, in French, what to do next and where the guide is
    assert "## Vérification des données : à corriger (1 erreur" in summary
    assert "### Que faire maintenant ?" in summary and "Files changed" in summary
    assert "[guide du contributeur](https://annuaire.example.org/contribuer/)" in summary  # url of data/site.yaml
    assert summary_rows(summary)[0][:3] == ["data/departements/59-nord.yaml", str(line), str(column)]
    assert summary_rows(summary)[0][3].startswith("numéro de téléphone « 03 53 01 45 » invalide")


def test_no_annotations_outside_github(tmp_path: Path) -> None:
    cwd = workspace(tmp_path, broken=True)
    result, summary = check_on_github(cwd, github=False)
    assert result.returncode == 1 and "erreur: numéro de téléphone" in result.stderr
    assert "::error" not in result.stderr and summary == ""


def test_warnings_are_annotated_and_strict_fails(tmp_path: Path) -> None:
    cwd = workspace(tmp_path, broken=False)
    result, summary = check_on_github(cwd)
    assert result.returncode == 0, result.stderr
    assert "## Vérification des données : tout est bon" in summary

    path = cwd / "data" / "departements" / "59-nord.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("verifie_le: 2025-02-01", "verifie_le: 2023-02-01"),
                    encoding="utf-8")
    (cwd / "resume.md").unlink()
    result, summary = check_on_github(cwd)
    assert result.returncode == 0
    warnings = [a for a in result.stderr.splitlines() if a.startswith("::warning file=data/departements/59-nord.yaml,")]
    assert len(warnings) == 2 and "### Avertissements" in summary

    (cwd / "resume.md").unlink()
    result, summary = check_on_github(cwd, "--strict")
    assert result.returncode == 1
    assert "les avertissements ci-dessous comptent comme des erreurs" in summary


def test_yaml_syntax_error_is_annotated(tmp_path: Path) -> None:
    cwd = workspace(tmp_path, broken=False)
    path = cwd / "data" / "departements" / "59-nord.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = "nom: Nord\tavec une tabulation: oui\n"
    path.write_text("".join(lines), encoding="utf-8")
    result, summary = check_on_github(cwd)
    assert result.returncode == 1
    assert re.search(r"^::error file=data/departements/59-nord\.yaml,line=2,col=\d+::", result.stderr, flags=re.M), result.stderr
    assert "Que faire maintenant" in summary
