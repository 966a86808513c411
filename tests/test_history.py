"""« Modifié dans l'annuaire le … »: read from git, the same for the same history, absent without it."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

from bs4 import BeautifulSoup

from annuaire360.source.history import file_dates
from tests.helpers import copy_fixture, run_build

NORD = "departements/59-nord.yaml"


def git(folder: Path, *args: str, date: str = "2025-03-04T10:00:00+00:00") -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "GIT_AUTHOR_NAME": "Test",
           "GIT_AUTHOR_EMAIL": "test@example.org", "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org"}
    subprocess.run(["git", *args], cwd=folder, env=env, check=True, capture_output=True)


def repository(tmp_path: Path) -> Path:
    """The fixture data in a fresh repository: one commit of everything, then one that changes the Nord."""
    data = copy_fixture(tmp_path)
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "data")
    git(tmp_path, "commit", "-q", "-m", "données", date="2025-03-04T23:30:00-02:00")  # 2025-03-05 in UTC
    nord = data / NORD
    nord.write_text(nord.read_text(encoding="utf-8").replace("nom: Nord\n", "nom: Nord\n# relu\n"), encoding="utf-8")
    git(tmp_path, "commit", "-q", "-am", "Nord", date="2025-04-20T09:00:00+02:00")
    return data


def test_each_file_has_the_utc_date_of_its_last_commit(tmp_path: Path) -> None:
    dates = file_dates(repository(tmp_path))
    assert dates[NORD] == dt.date(2025, 4, 20)
    assert dates["departements/80-somme.yaml"] == dt.date(2025, 3, 5)  # committed at 23:30 UTC-2
    assert dates["site.yaml"] == dt.date(2025, 3, 5)


def test_a_shallow_clone_dates_only_what_changed_after_its_cut(tmp_path: Path) -> None:
    repository(tmp_path / "origine")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{tmp_path / 'origine'}", str(clone)], check=True)
    dates = file_dates(clone / "data")
    assert dates == {}  # the one commit present is the cut: it seems to change every file, it changed only one
    git(clone, "commit", "-q", "--allow-empty", "-m", "rien")
    (clone / "data" / "site.yaml").write_text((clone / "data" / "site.yaml").read_text() + "# relu\n")
    git(clone, "commit", "-q", "-am", "site", date="2025-05-01T12:00:00+00:00")
    assert file_dates(clone / "data") == {"site.yaml": dt.date(2025, 5, 1)}


def test_no_git_or_no_repository_gives_no_date(tmp_path: Path) -> None:
    def missing_git(args: list[str], folder: Path) -> str:
        raise FileNotFoundError("git")

    assert file_dates(repository(tmp_path / "r"), run=missing_git) == {}
    assert file_dates(copy_fixture(tmp_path / "tarball")) == {}  # a folder outside any repository


def modified_line(site: Path) -> str | None:
    soup = BeautifulSoup((site / "structures" / "pcpe-fictif-lille" / "index.html").read_text(), "html.parser")
    found = soup.select_one(".provenance time")
    return found.parent.get_text(" ", strip=True) if found else None


def test_pages_say_when_their_file_changed_and_two_builds_agree(tmp_path: Path) -> None:
    data = repository(tmp_path)
    first, second = tmp_path / "site1", tmp_path / "site2"
    for out in (first, second):
        built = run_build("--sans-index", "--data", str(data), "--out", str(out))
        assert built.returncode == 0, built.stderr
    assert modified_line(first) == "Modifié dans l'annuaire le 20 avril 2025 ."
    page = "structures/pcpe-fictif-lille/index.html"
    assert (first / page).read_bytes() == (second / page).read_bytes()


def test_the_build_works_without_git(tmp_path: Path) -> None:
    data = repository(tmp_path)
    empty = tmp_path / "sans-git"
    empty.mkdir()
    built = run_build("--sans-index", "--data", str(data), "--out", str(tmp_path / "site"),
                      env={"PATH": str(empty)})
    assert built.returncode == 0, built.stderr
    assert modified_line(tmp_path / "site") is None
