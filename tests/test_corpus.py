"""The corpus of broken and hostile data files: each one gives exact, located French messages and exit 1.

A case is a folder of ``tests/corpus/<cas>/``: ``data/`` holds the files laid over a copy of the
fixture dataset, ``expected.txt`` the exact diagnostic lines ``chemin:ligne:colonne: erreur: message``
that ``python build.py check`` must print. Files too big to commit (10 Mo, 1 000 levels of nesting)
are generated here.
"""

from __future__ import annotations

import contextlib
import io
import re
import subprocess
from pathlib import Path

import pytest

from annuaire360 import cli
from tests.conftest import ROOT
from tests.helpers import copy_fixture

CORPUS = ROOT / "tests" / "corpus"
CASES = sorted(p.name for p in CORPUS.iterdir() if (p / "expected.txt").is_file())
DIAGNOSTIC = re.compile(r"^(?P<path>[^:\n]+):(?P<line>\d+):(?P<col>\d+): (?P<sev>erreur|avertissement): (?P<msg>.+)$")
SOMME = "departements/80-somme.yaml"


def make_data(tmp_path: Path, files: dict[str, bytes]) -> Path:
    """A copy of the fixture dataset in ``tmp_path/data`` with ``files`` written over it."""
    data = copy_fixture(tmp_path)
    for relative, content in files.items():
        target = data / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    return data


def run_check(data: Path) -> subprocess.CompletedProcess[str]:
    """``build.py check --data …``, in-process (the command's own ``main``: exit code and every printed line,
    without paying a new interpreter per case; tests/test_cli.py runs the real command in a subprocess)."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = cli.main(["check", "--data", str(data)])
    return subprocess.CompletedProcess(["build.py", "check"], code, "", err.getvalue())


def diagnostics(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if DIAGNOSTIC.match(line)]


def assert_refused(result: subprocess.CompletedProcess[str], expected: list[str]) -> None:
    assert "Traceback" not in result.stderr and "Erreur interne" not in result.stderr, result.stderr
    assert result.returncode == 1, result.stderr
    assert diagnostics(result.stderr) == expected
    assert result.stderr.rstrip().endswith("Corrigez les erreurs ci-dessus.")


def test_the_corpus_is_large_enough() -> None:
    assert len(CASES) >= 30


@pytest.mark.parametrize("case", CASES)
def test_corpus_case(case: str, tmp_path: Path) -> None:
    expected = (CORPUS / case / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert expected and all(DIAGNOSTIC.match(line) for line in expected), "expected.txt mal formé"
    folder = CORPUS / case / "data"
    files = {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    assert_refused(run_check(make_data(tmp_path, files)), expected)


# ---------------------------------------------------------------------------
# Generated cases: too big to commit


def test_ten_megabyte_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    line = b"# " + b"remplissage " * 8 + b"\n"
    big = b'code: "80"\nnom: Somme\n' + line * (10_000_000 // len(line) + 1)
    assert len(big) > 10_000_000
    data = make_data(tmp_path, {SOMME: big})
    shown = f"{len(big) / 1_000_000:.1f}".replace(".", ",")
    assert_refused(run_check(data), [
        f"data/{SOMME}:1:1: erreur: fichier trop gros ({shown} Mo, 1 Mo au plus) : un fichier de département fait "
        "quelques kilo-octets ; vérifiez que c'est le bon fichier, ou répartissez son contenu en plusieurs fichiers",
    ])


def test_thousand_levels_of_flow_nesting(tmp_path: Path) -> None:
    text = 'code: "80"\nnom: Somme\nstructures: ' + "[" * 1000 + "]" * 1000 + "\n"
    data = make_data(tmp_path, {SOMME: text.encode()})
    # "structures:" is level 2, so the 25th level is the 24th bracket, column 13 + 23.
    assert_refused(run_check(data), [
        f"data/{SOMME}:3:36: erreur: imbrication trop profonde (plus de 24 niveaux) : vérifiez l'indentation de "
        "cette ligne, chaque niveau ne doit être décalé que de 2 espaces par rapport à son bloc",
    ])


def test_thousand_levels_of_block_nesting(tmp_path: Path) -> None:
    lines = ['code: "80"', "nom: Somme"] + [" " * level + f"n{level}:" for level in range(1000)]
    data = make_data(tmp_path, {SOMME: ("\n".join(lines) + " fin\n").encode()})
    assert_refused(run_check(data), [
        f"data/{SOMME}:26:24: erreur: imbrication trop profonde (plus de 24 niveaux) : vérifiez l'indentation de "
        "cette ligne, chaque niveau ne doit être décalé que de 2 espaces par rapport à son bloc",
    ])


def test_too_many_values(tmp_path: Path) -> None:
    text = 'code: "80"\nnom: Somme\nstructures: [' + ", ".join(["x"] * 15_000) + "]\n"
    data = make_data(tmp_path, {SOMME: text.encode()})
    result = run_check(data)
    # Root, three keys, two values and the list make 7 nodes before the items: the 10 001st node is item 9 993.
    column = len("structures: [") + 1 + 3 * 9_993
    assert_refused(result, [
        f"data/{SOMME}:3:{column}: erreur: trop de valeurs dans un seul fichier (plus de 10 000) : répartissez son "
        "contenu en plusieurs fichiers",
    ])


def test_huge_number_is_text_not_a_crash(tmp_path: Path) -> None:
    digits = "9" * 5000  # more digits than Python turns into an int (4300): this used to raise ValueError
    text = f'code: "80"\nnom: Somme\nstructures:\n  - id: pcpe-fictif-amiens\n    nom: {digits}\n'
    data = make_data(tmp_path, {SOMME: text.encode()})
    assert_refused(run_check(data), [
        f"data/{SOMME}:4:5: erreur: champ obligatoire « sources » manquant : ajoutez-le (Pages publiques où ces "
        "informations ont été lues (au moins une).)",
        f"data/{SOMME}:4:5: erreur: champ obligatoire « type » manquant : ajoutez-le (Type de structure : un code de "
        "data/types.yaml (« pcpe », « dac »…).)",
        f"data/{SOMME}:5:10: erreur: nom : texte trop long (200 caractères au plus) ; raccourcissez",
    ])
