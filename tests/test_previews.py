"""Pull request previews and publication, as the workflows run them (python3 -m annuaire360.ci): a real git
repository stands for GitHub's (a bare one, pushed to with --force-with-lease), a local HTTP server for its API."""

from __future__ import annotations

import shutil
import subprocess
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from annuaire360.ci import commands as ci
from annuaire360.ci import pages_branch
from annuaire360.ci.github_api import BOT_LOGIN
from tests.conftest import ROOT
from tests.helpers import json_api

REPOSITORY = "annuaire/donnees"
HEAD_SHA = "a" * 40


class FakeGitHub:
    """Just enough of the REST API: pull requests, their files, issue comments and issues, in memory."""

    def __init__(self) -> None:
        self.pulls = [{"number": 42, "head": {"sha": HEAD_SHA}}]
        self.files = ["data/departements/59-nord.yaml", "data/departements/2A-corse-du-sud.yaml", "README.md"]
        self.comments: list[dict[str, Any]] = [{"id": 1, "user": {"login": "quelquun"}, "body": "Merci !"}]
        self.issues: list[dict[str, Any]] = []
        self.calls: list[tuple[str, str]] = []

    def answer(self, method: str, path: str, body: Any) -> tuple[int, Any]:
        url = urllib.parse.urlsplit(path)
        query = urllib.parse.parse_qs(url.query)
        route = url.path.removeprefix(f"/repos/{REPOSITORY}")
        self.calls.append((method, route))
        if int(query.get("page", ["1"])[0]) > 1:
            return 200, []
        if route.startswith("/pulls"):
            return self.pull_requests(route, query)
        if route.startswith("/issues/42/comments") or route.startswith("/issues/comments/"):
            return self.comment(method, route, body)
        return self.issue(method, route, body)

    def pull_requests(self, route: str, query: dict[str, list[str]]) -> tuple[int, Any]:
        if route == "/pulls/42/files":
            return 200, [{"filename": name} for name in self.files]
        return 200, self.pulls if query["head"] == ["contributrice:correction-nord"] else []

    def comment(self, method: str, route: str, body: Any) -> tuple[int, Any]:
        if method == "POST":
            self.comments.append({"id": len(self.comments) + 1, "user": {"login": BOT_LOGIN}, "body": body["body"]})
            return 201, self.comments[-1]
        if method == "PATCH":
            comment = next(c for c in self.comments if c["id"] == int(route.rsplit("/", 1)[1]))
            comment["body"] = body["body"]
            return 200, comment
        return 200, self.comments

    def issue(self, method: str, route: str, body: Any) -> tuple[int, Any]:
        if method == "GET":
            return 200, [i for i in self.issues if i["state"] == "open"]
        if method == "POST":
            self.issues.append({"number": 7, "state": "open", "user": {"login": BOT_LOGIN}, **body})
            return 201, self.issues[-1]
        issue = next(i for i in self.issues if i["number"] == int(route.rsplit("/", 1)[1]))
        issue.update(body)
        return 200, issue


@pytest.fixture
def github() -> Iterator[tuple[FakeGitHub, str]]:
    fake = FakeGitHub()
    with json_api(fake.answer, "jeton-de-test") as url:
        yield fake, url


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def remote(tmp_path: Path) -> Path:
    """A bare repository standing for GitHub's, with a main branch and no gh-pages yet."""
    bare = tmp_path / "depot.git"
    git("init", "--quiet", "--bare", "--initial-branch", "main", str(bare), cwd=tmp_path)
    return bare


def tree(bare: Path, branch: str = "gh-pages") -> dict[str, str]:
    """Every file of a branch: path → content."""
    names = git("ls-tree", "-r", "--name-only", branch, cwd=bare).split()
    return {name: git("show", f"{branch}:{name}", cwd=bare) for name in names}


def built_site(folder: Path, title: str, extra: dict[str, str] | None = None) -> Path:
    files = {"index.html": f"<h1>{title}</h1>", "static/style.css": "body{}", "pagefind/pagefind.js": "",
             **(extra or {})}
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def environment(api: str, bare: Path) -> dict[str, str]:
    return {"GITHUB_REPOSITORY": REPOSITORY, "GITHUB_API_URL": api, "GITHUB_TOKEN": "jeton-de-test",
            "ANNUAIRE_PAGES_REMOTE": str(bare)}


def run_ci(*args: str, api: str, bare: Path) -> int:
    return ci.main(list(args), environ=environment(api, bare), root=ROOT)


def test_the_site_and_the_previews_share_the_pages_branch(tmp_path: Path, remote: Path,
                                                          github: tuple[FakeGitHub, str]) -> None:
    fake, api = github
    main_site = built_site(tmp_path / "principal", "Site publié")
    assert run_ci("publier-site", "--site", str(main_site), "--commit", "1" * 40, api=api, bare=remote) == 0
    assert tree(remote)["index.html"] == "<h1>Site publié</h1>" and ".nojekyll" in tree(remote)

    artifact = tmp_path / "artefact"
    built_site(artifact / "site", "Aperçu 42")
    assert run_ci("publier-apercu", "--artefact", str(artifact), "--auteur", "contributrice", "--branche",
                  "correction-nord", "--commit", HEAD_SHA, api=api, bare=remote) == 0
    files = tree(remote)
    assert files["apercu/pr-42/index.html"] == "<h1>Aperçu 42</h1>" and files["index.html"] == "<h1>Site publié</h1>"
    [comment] = [c for c in fake.comments if c["user"]["login"] == BOT_LOGIN]
    url = "https://annuaire-communautes-360.github.io/apercu/pr-42/"  # data/site.yaml's url + the preview folder
    assert comment["body"].startswith(ci.PREVIEW_MARKER) and f"**[Ouvrir l'aperçu]({url})**" in comment["body"]
    assert f"- [data/departements/59-nord.yaml]({url}departements/59-nord/)" in comment["body"]
    assert f"- [data/departements/2A-corse-du-sud.yaml]({url}departements/2a-corse-du-sud/)" in comment["body"]
    assert "README.md" not in comment["body"] and f"`{HEAD_SHA[:7]}`" in comment["body"]

    # a new push: the same comment is edited, the main site published again keeps the preview
    built_site(artifact / "site", "Aperçu 42, deuxième envoi")
    assert run_ci("publier-apercu", "--artefact", str(artifact), "--auteur", "contributrice", "--branche",
                  "correction-nord", "--commit", HEAD_SHA, api=api, bare=remote) == 0
    assert len([c for c in fake.comments if c["user"]["login"] == BOT_LOGIN]) == 1
    assert run_ci("publier-site", "--site", str(built_site(main_site, "Site publié 2")), "--commit", "2" * 40,
                  api=api, bare=remote) == 0
    files = tree(remote)
    assert files["index.html"] == "<h1>Site publié 2</h1>"
    assert files["apercu/pr-42/index.html"] == "<h1>Aperçu 42, deuxième envoi</h1>"
    assert git("rev-list", "--count", "gh-pages", cwd=remote).strip() == "1"  # no history piling up

    # the pull request is closed: its preview goes, its comment says so
    assert run_ci("retirer-apercu", "--numero", "42", api=api, bare=remote) == 0
    assert not [name for name in tree(remote) if name.startswith("apercu/")]
    assert "Aperçu retiré" in fake.comments[-1]["body"]


def test_a_preview_is_published_only_for_the_open_pull_request_of_that_commit(
        tmp_path: Path, remote: Path, github: tuple[FakeGitHub, str], capsys: pytest.CaptureFixture[str]) -> None:
    _, api = github
    artifact = tmp_path / "artefact"
    built_site(artifact / "site", "Aperçu")
    # the artifact cannot choose its pull request: the run's own branch and commit decide
    assert run_ci("publier-apercu", "--artefact", str(artifact), "--auteur", "contributrice", "--branche",
                  "correction-nord", "--commit", "b" * 40, api=api, bare=remote) == 0
    assert "rien à publier" in capsys.readouterr().out
    assert subprocess.run(["git", "rev-parse", "--verify", "gh-pages"], cwd=remote, capture_output=True).returncode != 0


@pytest.mark.parametrize("case", [
    ("outil.sh", "#!/bin/sh", "fichier inattendu dans le site construit : outil.sh"),
    ("lien", None, "lien symbolique refusé dans le site construit : lien"),
], ids=["script", "lien-symbolique"])
def test_a_preview_holding_what_a_site_does_not_is_refused(tmp_path: Path, remote: Path,
                                                           github: tuple[FakeGitHub, str],
                                                           case: tuple[str, str | None, str],
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    fake, api = github
    name, content, why = case
    site = built_site(tmp_path / "artefact" / "site", "Aperçu")
    if content is None:
        (site / name).symlink_to("/etc/passwd")
    else:
        (site / name).write_text(content, encoding="utf-8")
    assert run_ci("publier-apercu", "--artefact", str(tmp_path / "artefact"), "--auteur", "contributrice",
                  "--branche", "correction-nord", "--commit", HEAD_SHA, api=api, bare=remote) == 1
    assert f"Refusé : {why}" in capsys.readouterr().err
    assert not [c for c in fake.comments if c["user"]["login"] == BOT_LOGIN]


def test_a_failed_check_says_why_there_is_no_preview(tmp_path: Path, remote: Path,
                                                      github: tuple[FakeGitHub, str]) -> None:
    fake, api = github
    assert run_ci("sans-apercu", "--auteur", "contributrice", "--branche", "correction-nord", "--commit", HEAD_SHA,
                  "--execution", "https://github.example.org/run/1", api=api, bare=remote) == 0
    body = fake.comments[-1]["body"]
    assert "Pas encore d'aperçu" in body and "[le détail de la vérification](https://github.example.org/run/1)" in body


def test_first_pull_requests_get_the_welcome_message_once(remote: Path, github: tuple[FakeGitHub, str]) -> None:
    fake, api = github
    for _ in range(2):
        assert run_ci("accueillir", "--numero", "42", api=api, bare=remote) == 0
    welcomes = [c for c in fake.comments if ci.WELCOME_MARKER in c["body"]]
    assert len(welcomes) == 1
    assert "awaiting approval" in welcomes[0]["body"] and "aperçu du site" in welcomes[0]["body"]


def test_broken_links_are_one_issue_updated_then_closed(tmp_path: Path, remote: Path,
                                                        github: tuple[FakeGitHub, str]) -> None:
    fake, api = github
    report = tmp_path / "liens.md"
    report.write_text("| Lien | Problème |\n", encoding="utf-8")
    assert run_ci("signaler-liens", "--rapport", str(report), api=api, bare=remote) == 0
    assert run_ci("signaler-liens", "--rapport", str(report), api=api, bare=remote) == 0
    [issue] = fake.issues
    assert issue["title"] == ci.LINKS_TITLE and issue["labels"] == ["liens"] and issue["state"] == "open"
    report.write_text("", encoding="utf-8")  # every link answers again
    assert run_ci("signaler-liens", "--rapport", str(report), api=api, bare=remote) == 0
    assert issue["state"] == "closed"


def test_two_writers_at_once_lose_no_update(tmp_path: Path, remote: Path) -> None:
    """The second writer's push is refused (its lease is stale): it starts again from the new tip."""
    target = pages_branch.Remote(str(remote))
    site = built_site(tmp_path / "site", "Site")
    pages_branch.publish_site(target, site, "premier")
    preview = built_site(tmp_path / "apercu", "Aperçu 7")
    calls = []

    def slow_change(root: Path) -> bool:
        calls.append(root)
        if len(calls) == 1:  # meanwhile, another workflow publishes the preview of pull request 7
            pages_branch.publish_preview(target, 7, preview, "aperçu 7")
        return pages_branch.replace_folder(root, "", built_site(tmp_path / "nouveau", "Site 2"),
                                           keep=(pages_branch.PREVIEWS,))

    assert pages_branch.update(target, slow_change, "site 2", pause=0)
    assert len(calls) == 2
    files = tree(remote)
    assert files["index.html"] == "<h1>Site 2</h1>" and files["apercu/pr-7/index.html"] == "<h1>Aperçu 7</h1>"


def test_the_tool_runs_without_the_project_dependencies(tmp_path: Path) -> None:
    """The workflows that can write run it with the runner's bare Python: nothing beyond the standard library."""
    copy = tmp_path / "depot"
    shutil.copytree(ROOT / "annuaire360", copy / "annuaire360", ignore=shutil.ignore_patterns("__pycache__"))
    result = subprocess.run(["python3", "-S", "-m", "annuaire360.ci", "--help"], cwd=copy, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "publier-apercu" in result.stdout
