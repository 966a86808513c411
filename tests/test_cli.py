"""End-to-end: build.py as a contributor runs it — output lines, exit codes, the built site."""

import re
import subprocess
import sys

from tests.conftest import ROOT
from tests.helpers import copy_fixture, run_build

LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<column>\d+): (?P<severity>erreur|avertissement): (?P<message>.+)$")


def test_check_on_good_data_exits_0(tmp_path):
    result = run_build("check", "--data", str(copy_fixture(tmp_path)))
    assert result.returncode == 0, result.stderr
    assert "Tout est bon" in result.stderr


def test_check_reports_every_error_located_in_french_and_exits_1(tmp_path):
    data = copy_fixture(tmp_path)
    path = data / "departements" / "59-nord.yaml"
    path.write_text(path.read_text().replace('telephone: "03 53 01 45 67"', 'telephone: "03 53 01 45"')
                    .replace("type: pcpe", "type: pcep"))
    (data / "departements" / "01-ain.yaml").write_text('code: "01"\nnom: Ain\n  extra: [\n')
    result = run_build("check", "--data", str(data), cwd=tmp_path)
    assert result.returncode == 1
    lines = [LINE.match(line) for line in result.stderr.splitlines() if LINE.match(line)]
    assert [(m["path"], m["severity"]) for m in lines] == [
        ("data/departements/01-ain.yaml", "erreur"),
        ("data/departements/59-nord.yaml", "erreur"),
        ("data/departements/59-nord.yaml", "erreur"),
    ]
    by_message = {m["message"].split(" :")[0]: (int(m["line"]), int(m["column"])) for m in lines}
    phone_line = path.read_text().splitlines().index('        telephone: "03 53 01 45"') + 1
    assert by_message["numéro de téléphone « 03 53 01 45 » invalide"] == (phone_line, 20)
    assert "Traceback" not in result.stderr
    assert "3 erreurs" in result.stderr


def test_build_writes_the_site_and_prints_one_summary_line(tmp_path):
    out = tmp_path / "site"
    result = run_build("--data", str(copy_fixture(tmp_path)), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(
        r"Site construit : 101 départements, 1 communautés décrites, 4 structures, \d+ pages en \d+\.\d s\n", result.stdout
    )
    assert (out / "index.html").exists()
    assert (out / "departements" / "59-nord" / "index.html").exists()
    assert (out / "structures" / "pcpe-fictif-lille" / "index.html").exists()
    assert (out / "pagefind" / "pagefind.js").exists()


def test_failed_build_keeps_the_previous_site(tmp_path):
    out = tmp_path / "site"
    data = copy_fixture(tmp_path)
    assert run_build("--data", str(data), "--out", str(out), "--sans-index").returncode == 0
    before = (out / "index.html").read_bytes()
    (data / "national.yaml").write_text("numero_national: 3\n")
    result = run_build("--data", str(data), "--out", str(out), "--sans-index")
    assert result.returncode == 1
    assert "Le site n'a pas été modifié" in result.stderr
    assert (out / "index.html").read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site.")]


def test_bad_usage_exits_2():
    result = run_build("publier")
    assert result.returncode == 2
    assert "invalid choice" in result.stderr or "choix invalide" in result.stderr


def test_out_directory_not_made_by_the_generator_is_never_replaced(tmp_path):
    precious = tmp_path / "documents"
    precious.mkdir()
    (precious / "lettre.txt").write_text("important")
    result = run_build("--data", str(copy_fixture(tmp_path)), "--out", str(precious), "--sans-index")
    assert result.returncode == 1
    assert "n'a pas été créé par ce générateur" in result.stderr
    assert (precious / "lettre.txt").read_text() == "important"


def test_build_py_without_the_libraries_says_what_to_run(tmp_path) -> None:
    """``python build.py check`` on a fresh checkout: no traceback, the French command to run (-S: a Python that
    sees none of the installed libraries)."""
    fresh = tmp_path / "depot"
    fresh.mkdir()
    (fresh / "build.py").write_bytes((ROOT / "build.py").read_bytes())
    result = subprocess.run([sys.executable, "-S", "build.py", "check"], cwd=fresh, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "ne sont pas encore installés (module « pydantic » introuvable)" in result.stderr
    assert "lancez « make check »" in result.stderr and "« .venv/bin/python build.py check »" in result.stderr
    # a checkout with its .venv/, run with another Python: the command that uses it
    result = subprocess.run([sys.executable, "-S", str(ROOT / "build.py"), "serve"], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 2
    assert "installés dans .venv/ : lancez « .venv/bin/python build.py serve »" in result.stderr
