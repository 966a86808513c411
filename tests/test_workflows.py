"""The GitHub Actions workflows: linted (actionlint's checks, through jactionlint) and checked for what they must do."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import ROOT, require

WORKFLOWS = ROOT / ".github" / "workflows"
VERIFICATION = WORKFLOWS / "verification.yml"
PUBLICATION = WORKFLOWS / "publication.yml"
REMINDERS = WORKFLOWS / "rappels.yml"
PINNED = re.compile(r"^\s*(?:-\s+)?uses:\s*([\w.-]+/[\w./-]+)@([0-9a-f]{40}) # v\d+\.\d+\.\d+$")


def linter() -> str:
    """The jactionlint binary installed by the test dependencies (a wheel: no download at install time)."""
    found = shutil.which("jactionlint", path=str(Path(sys.executable).parent)) or shutil.which("jactionlint")
    require(found is not None, "jactionlint absent : make test l'installe (dépendance de test de pyproject.toml)")
    return found  # type: ignore[return-value]


def lint(*paths: Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([linter(), "--no-color", *map(str, paths)], cwd=cwd, capture_output=True, text=True,
                          timeout=120)


def load(path: Path) -> dict[str, Any]:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    document["on"] = document.pop(True, document.get("on"))  # YAML 1.1 reads the key `on` as true
    return document


def steps(workflow: dict[str, Any], job: str) -> list[dict[str, Any]]:
    return workflow["jobs"][job]["steps"]


def test_workflows_pass_the_linter() -> None:
    result = lint(*sorted(WORKFLOWS.glob("*.yml")))
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_linter_really_checks(tmp_path: Path) -> None:
    """A broken workflow is refused: the test above cannot pass by accident."""
    broken = tmp_path / ".github" / "workflows" / "casse.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text(
        "on: pull_request\n"
        "jobs:\n"
        "  j:\n"
        "    runs-on: ubuntu-latst\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "      - run: echo ${{ github.evnt.number }}\n",
        encoding="utf-8",
    )
    result = lint(broken, cwd=tmp_path)
    assert result.returncode != 0
    for problem in ("ubuntu-latst", "evnt", "actions/checkout@v4"):
        assert problem in result.stdout, result.stdout


def test_every_action_is_pinned_to_a_commit_with_its_version() -> None:
    for path in sorted(WORKFLOWS.glob("*.yml")):
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if re.match(r"^\s*(-\s+)?uses:", line)]
        assert lines, path
        for line in lines:
            assert PINNED.match(line), f"{path.name} : action non épinglée par un commit et sa version : {line.strip()}"


def test_pull_requests_are_checked_annotated_built_and_tested() -> None:
    workflow = load(VERIFICATION)
    assert "pull_request" in workflow["on"] and "pull_request_target" not in workflow["on"]
    assert workflow["permissions"] == {"contents": "read"}
    runs = {job: " ".join(step.get("run", "") for step in steps(workflow, job)) for job in workflow["jobs"]}
    assert "python build.py check" in runs["donnees"]
    failure = [s for s in steps(workflow, "donnees") if s.get("if") == "failure()"]
    assert failure and "::error title=Données à corriger::" in failure[0]["run"]
    assert "python build.py --out site" in runs["site"]
    upload = next(s for s in steps(workflow, "site") if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"] == "site/" and upload["with"]["name"] == "apercu-du-site"
    assert "bash .ci/run" in runs["tests"]
    for job in workflow["jobs"].values():
        assert job.get("timeout-minutes")
        checkout = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout@"))
        assert checkout["with"]["persist-credentials"] is False


def test_main_is_published_to_github_pages() -> None:
    workflow = load(PUBLICATION)
    assert workflow["on"]["push"] == {"branches": ["main"]}
    assert workflow["permissions"] == {"contents": "read"}
    assert workflow["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    build = steps(workflow, "construire")
    assert any("python build.py --out site" in s.get("run", "") for s in build)
    pages = next(s for s in build if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert pages["with"]["path"] == "site/"
    deploy = workflow["jobs"]["publier"]
    assert deploy["needs"] == "construire"
    assert deploy["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    [step] = deploy["steps"]
    assert step["uses"].startswith("actions/deploy-pages@")
    assert deploy["environment"]["url"] == "${{ steps." + step["id"] + ".outputs.page_url }}"
    checkout = next(s for s in build if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0  # « modifié le » needs the history of the data files


def test_reminders_run_weekly_with_the_least_permissions_and_stay_enabled() -> None:
    workflow = load(REMINDERS)
    assert workflow["on"]["schedule"] and "workflow_dispatch" in workflow["on"]
    assert workflow["permissions"] == {}  # each job asks for what it needs, nothing more
    reminders, keepalive = workflow["jobs"]["rappels"], workflow["jobs"]["garder-actif"]
    assert reminders["permissions"] == {"contents": "read", "issues": "write"}
    assert any(s.get("run") == "python build.py rappels" for s in reminders["steps"])
    checkout = next(s for s in reminders["steps"] if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["persist-credentials"] is False
    # GitHub suspends schedules after 60 days without activity: re-enabling through the API resets the count
    assert keepalive["permissions"] == {"actions": "write"}
    [enable] = keepalive["steps"]
    assert "--method PUT" in enable["run"] and "/enable" in enable["run"]
    assert "rappels.yml publication.yml" in enable["run"]
    assert {path.name for path in WORKFLOWS.glob("*.yml") if "schedule" in load(path)["on"]} <= {"rappels.yml",
                                                                                                 "publication.yml"}
    for job in workflow["jobs"].values():
        assert job.get("timeout-minutes")


@pytest.mark.parametrize("path", [VERIFICATION, PUBLICATION, REMINDERS], ids=lambda p: p.name)
def test_workflow_commands_exist_in_the_project(path: Path) -> None:
    """Every `python build.py …` command of a workflow is a real subcommand (renames break CI silently)."""
    text = path.read_text(encoding="utf-8")
    commands = set(re.findall(r"python build\.py (check|serve|schema|guide|campagne|rappels)\b", text))
    help_text = subprocess.run([sys.executable, str(ROOT / "build.py"), "--help"], capture_output=True, text=True).stdout
    for command in commands:
        assert command in help_text
