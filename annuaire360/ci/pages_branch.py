"""The branch GitHub Pages serves (``gh-pages``): the published site at its root, one pull request preview per
folder under ``apercu/pr-<number>/``. Standard library and the ``git`` command only: the workflows that write it
run no project dependency (and never the code of a pull request).

Every writer (publication of main, a preview, the removal of a preview) does the same: fetch the branch's tip,
change its tree, commit the result as the branch's only commit (so that previews do not pile up megabytes of
history) and push with ``--force-with-lease`` on the tip it started from. Two writers at once: one push is
refused, that writer starts again from the new tip, and no update is lost.
"""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

PREVIEWS = "apercu"
"""Folder of the previews, at the root of the published site: ``apercu/pr-42/``."""

ALLOWED_SUFFIXES = frozenset({
    ".html", ".css", ".js", ".mjs", ".json", ".xml", ".txt", ".svg", ".csv", ".png", ".ico", ".webmanifest",
    ".pagefind", ".pf_meta", ".pf_index", ".pf_filter", ".pf_fragment", ".wasm",
})
"""What a built site holds (pages, styles, scripts, open data, Pagefind's index). A preview is built by the code
of a pull request: anything else in it is refused rather than published on the project's address."""

MAX_BYTES = 200_000_000
"""A built site weighs about 15 MB; a preview ten times bigger is refused."""

BOT = ("github-actions[bot]", "41898282+github-actions[bot]@users.noreply.github.com")


class PagesError(Exception):
    """A French message: why the branch could not be updated."""


@dataclass(frozen=True)
class Remote:
    """Where the branch lives: a URL (or a local path, in the tests) and the token that may push to it."""

    url: str
    branch: str = "gh-pages"
    token: str | None = None

    def git(self, *args: str, cwd: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run git with the token as an HTTP header (never written to disk nor in the remote's URL)."""
        auth: list[str] = []
        if self.token:
            basic = base64.b64encode(f"x-access-token:{self.token}".encode()).decode()
            auth = ["-c", f"http.extraheader=AUTHORIZATION: basic {basic}"]
        environment = {**os.environ, "GIT_TERMINAL_PROMPT": "0"}
        result = subprocess.run(["git", *auth, "-c", f"user.name={BOT[0]}", "-c", f"user.email={BOT[1]}", *args],
                                cwd=cwd, capture_output=True, text=True, env=environment, timeout=600)
        if check and result.returncode != 0:
            raise PagesError(f"git {args[0]} a échoué : {result.stderr.strip()[-500:]}")
        return result


def check_site(folder: Path) -> None:
    """Refuse a built site holding links or files a site does not need (raise PagesError, in French)."""
    if not (folder / "index.html").is_file():
        raise PagesError(f"le dossier {folder} ne contient pas de site construit (index.html manquant)")
    total = 0
    for path in folder.rglob("*"):
        shown = path.relative_to(folder).as_posix()
        if path.is_symlink():
            raise PagesError(f"lien symbolique refusé dans le site construit : {shown}")
        if path.is_file():
            if path.suffix.lower() not in ALLOWED_SUFFIXES:
                raise PagesError(f"fichier inattendu dans le site construit : {shown}")
            total += path.stat().st_size
    if total > MAX_BYTES:
        raise PagesError(f"site construit trop gros ({total // 1_000_000} Mo) : refusé")


def replace_folder(root: Path, relative: str, site: Path, *, keep: tuple[str, ...] = ()) -> bool:
    """Make ``root/relative`` a copy of ``site``; ``keep``: names in it left as they are (the previews, when the
    published site at the root is replaced). Always True: there is something to push."""
    target = root / relative if relative else root
    if target.exists():
        for child in target.iterdir():
            if child.name in (*keep, ".git"):
                continue
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
    shutil.copytree(site, target, dirs_exist_ok=True, symlinks=False)
    (root / ".nojekyll").write_text("", encoding="utf-8")  # serve the files as they are, without Jekyll
    return True


def update(remote: Remote, change: Callable[[Path], bool], message: str, *, attempts: int = 5,
           pause: float = 3.0) -> bool:
    """Apply ``change`` to the branch's tree and push it as the branch's only commit; retry from the new tip
    when another writer pushed first. ``change`` returns False when there is nothing to do. True if pushed."""
    for attempt in range(1, attempts + 1):
        with tempfile.TemporaryDirectory(prefix="pages-") as tmp:
            work = Path(tmp)
            remote.git("init", "--quiet", "--initial-branch", remote.branch, cwd=work)
            fetched = remote.git("fetch", "--quiet", "--depth", "1", remote.url, f"refs/heads/{remote.branch}",
                                 cwd=work, check=False)
            tip = ""
            if fetched.returncode == 0:
                tip = remote.git("rev-parse", "FETCH_HEAD", cwd=work).stdout.strip()
                remote.git("checkout", "--quiet", "--detach", tip, cwd=work)
            elif "couldn't find remote ref" not in fetched.stderr.lower():
                raise PagesError(f"impossible de lire la branche {remote.branch} : {fetched.stderr.strip()[-500:]}")
            if not change(work):
                return False
            remote.git("add", "--all", ".", cwd=work)
            tree = remote.git("write-tree", cwd=work).stdout.strip()
            commit = remote.git("commit-tree", tree, "-m", message, cwd=work).stdout.strip()
            pushed = remote.git("push", "--quiet", f"--force-with-lease=refs/heads/{remote.branch}:{tip}",
                                remote.url, f"{commit}:refs/heads/{remote.branch}", cwd=work, check=False)
            if pushed.returncode == 0:
                return True
            if attempt == attempts:
                raise PagesError(f"la branche {remote.branch} n'a pas pu être mise à jour après {attempts} essais : "
                                 f"{pushed.stderr.strip()[-500:]}")
        time.sleep(pause * attempt)  # another writer pushed first: start again from its tip
    return False


def preview_folder(number: int) -> str:
    """``apercu/pr-<number>``: where the preview of a pull request is published."""
    if number <= 0:
        raise PagesError(f"numéro de demande invalide : {number}")
    return f"{PREVIEWS}/pr-{number}"


def publish_site(remote: Remote, site: Path, message: str) -> bool:
    """The published site at the root of the branch; the previews stay."""
    check_site(site)
    return update(remote, lambda root: replace_folder(root, "", site, keep=(PREVIEWS,)), message)


def publish_preview(remote: Remote, number: int, site: Path, message: str) -> bool:
    """One pull request's preview in ``apercu/pr-<number>/``; the rest of the branch stays."""
    check_site(site)
    folder = preview_folder(number)
    return update(remote, lambda root: replace_folder(root, folder, site), message)


def remove_preview(remote: Remote, number: int, message: str) -> bool:
    """Remove ``apercu/pr-<number>/``; False (nothing pushed) when there was none."""
    folder = preview_folder(number)

    def change(root: Path) -> bool:
        if not (root / folder).exists():
            return False
        shutil.rmtree(root / folder)
        previews = root / PREVIEWS
        if previews.exists() and not any(previews.iterdir()):
            previews.rmdir()
        return True

    return update(remote, change, message)
