"""Write: stage every output file in a temporary directory beside the output, then swap.

A failed build leaves the published directory untouched; nothing is ever written outside the staging
directory (a file written twice is refused earlier, by ``site.pages.SiteFiles``). A build that was killed (power cut, SIGKILL, CI timeout)
is tidied up by the next one: its staging directory is removed and, if it died in the middle of the
swap, the published site is put back.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

from ..errors import OutputFolderError, WriteError

MARKER = ".annuaire360"
"""File written in every generated site, so that only a directory we made is ever replaced."""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # PermissionError too means alive (another user's process)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True


def recover(out: Path) -> list[str]:
    """Tidy what builds that died left beside ``out``; return what was done, in French, for the log.

    Temporary directories are named ``.<site>.construction-<pid>-…`` and ``.<site>.ancien-<pid>-…``: only
    those of a process that no longer runs are touched, so that two builds at once never disturb each other.
    """
    pattern = re.compile(rf"^\.{re.escape(out.name)}\.(construction|ancien)-(\d+)-")
    done: list[str] = []
    if not out.parent.is_dir():
        return done
    for path in sorted(out.parent.iterdir()):
        match = pattern.match(path.name)
        if not match or not path.is_dir() or _alive(int(match.group(2))):
            continue
        previous = path / "site"
        if match.group(1) == "ancien" and not out.exists() and (previous / MARKER).is_file():
            os.rename(previous, out)  # it died between moving the old site aside and the new one in
            done.append(f"site publié remis en place depuis « {path.name} » (construction interrompue)")
        shutil.rmtree(path, ignore_errors=True)
        done.append(f"dossier temporaire « {path.name} » d'une construction interrompue supprimé")
    return done


class Staging:
    """A temporary output directory that replaces the real one only on commit."""

    def __init__(self, out: Path) -> None:
        self.out = out.absolute()
        if self.out.exists() and not self.out.is_dir():
            raise OutputFolderError(f"« {out} » existe et n'est pas un dossier : choisissez un autre --out")
        if self.out.is_dir() and any(self.out.iterdir()) and not (self.out / MARKER).exists():
            raise OutputFolderError(
                f"le dossier « {out} » existe, n'est pas vide et n'a pas été créé par ce générateur : "
                "choisissez un autre --out (rien n'a été effacé)"
            )
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self.root = Path(tempfile.mkdtemp(prefix=self._prefix("construction"), dir=self.out.parent))

    def _prefix(self, kind: str) -> str:
        return f".{self.out.name}.{kind}-{os.getpid()}-"

    def write(self, relative: str, data: bytes) -> None:
        """Write one file under the staging root; refuse a path that escapes it."""
        target = (self.root / relative).resolve()
        if not target.is_relative_to(self.root.resolve()):
            raise WriteError(f"chemin de sortie « {relative} » hors du dossier du site : refusé (identifiant ou adresse à corriger)")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)

    def commit(self) -> None:
        """Swap the staged site into place: the old site is removed only once the new one is there."""
        (self.root / MARKER).write_text("Dossier généré par build.py : il est remplacé à chaque construction.\n")
        os.chmod(self.root, 0o755)  # mkdtemp makes it 0700; web servers need to read it
        old = None
        if self.out.exists():
            old = Path(tempfile.mkdtemp(prefix=self._prefix("ancien"), dir=self.out.parent))
            os.rename(self.out, old / "site")  # same file system: an atomic move, no copy
        try:
            os.rename(self.root, self.out)
        except BaseException:
            if old is not None:  # put the published site back before reporting the failure
                os.rename(old / "site", self.out)
                old.rmdir()
            raise
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)

    def abort(self) -> None:
        """Throw the staged files away."""
        shutil.rmtree(self.root, ignore_errors=True)
