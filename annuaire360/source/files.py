"""Which files a data folder holds, by kind, in a stable order (sorted: builds are reproducible), and the one
safe way to read an input file.

A pull request may hold what no editor makes: a symbolic link to a file outside the repository (whose
content would leak into messages or the site), a named pipe or a device (a read that never ends), a file
whose extension is in capitals (which would otherwise be skipped without a word). Discovery says so for
each of them, located on the file; ``read_regular`` never blocks and reads only regular files.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import DisplayRule, quoted
from ..errors import LoadError, system_message

SINGLE_FILES = ("besoins", "types", "mots", "site", "national", "territoires", "facile_a_lire")
"""Files of which there is exactly one, in the order they are read: the vocabularies first (besoins, then
types, which name needs), since the other files are checked against them."""

DATA_SUFFIXES = (".yaml", ".yml")

_NOT_REGULAR = {
    stat.S_IFDIR: "c'est un dossier, pas un fichier",
    stat.S_IFIFO: "c'est un tube nommé (FIFO), pas un fichier",
    stat.S_IFCHR: "c'est un périphérique, pas un fichier",
    stat.S_IFBLK: "c'est un périphérique, pas un fichier",
    stat.S_IFSOCK: "c'est une prise de communication (socket), pas un fichier",
}


def outside(path: Path, folder: Path) -> str | None:
    """Why ``path`` may not be read as part of ``folder`` (it leads outside it through a symbolic link), or None."""
    try:
        # Without a link between the folder and the file (two system calls), the file is where it is named.
        if path.is_relative_to(folder) and ".." not in path.parts and not any(
            p.is_symlink() for p in (path, *path.parents[: len(path.relative_to(folder).parts) - 1])
        ):
            return None
        if path.resolve().is_relative_to(folder.resolve()):
            return None
    except (OSError, RuntimeError):  # a loop of symbolic links
        return "lien symbolique en boucle : remplacez-le par le fichier lui-même"
    return (f"lien symbolique vers un fichier hors du dossier {folder.name}/ : refusé (son contenu serait lu "
            "et publié) ; remplacez le lien par le fichier lui-même")


def read_regular(path: Path, limit: int) -> tuple[bytes, int]:
    """At most ``limit + 1`` bytes of a regular file, and its size; LoadError (in French) for anything else.

    The file is opened without blocking and checked once open: a named pipe or a device is refused
    instead of being read forever."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as exc:
        raise LoadError(f"fichier illisible ({system_message(exc)}) : vérifiez qu'il existe et que vous pouvez l'ouvrir") from None
    try:
        info = os.fstat(descriptor)
        kind = stat.S_IFMT(info.st_mode)
        if kind != stat.S_IFREG:
            what = _NOT_REGULAR.get(kind, "ce n'est pas un fichier ordinaire")
            raise LoadError(f"{what} : remplacez-le par un fichier texte")
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(descriptor, limit + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks), max(info.st_size, size)
    except OSError as exc:
        raise LoadError(f"fichier illisible ({system_message(exc)}) : vérifiez que vous pouvez l'ouvrir") from None
    finally:
        os.close(descriptor)


@dataclass(frozen=True)
class DataFile:
    """One data file: where it is, what it holds, how messages name it, its path in the repository."""

    path: Path
    kind: str  # a key of format.FILE_MODELS
    display: str  # as messages show it (diagnostics.DisplayRule)
    repository_path: str  # "data/departements/80-somme.yaml": for « modifier ce fichier » links
    refused: str | None = None  # why it may not be read (a link leaving the data folder, a capital extension)


@dataclass(frozen=True)
class Ignored:
    """A file of a data folder that is not read, and what to do about it (a warning)."""

    display: str
    message: str


@dataclass(frozen=True)
class DataFolder:
    """A data folder and how messages show the paths inside it."""

    path: Path
    display: DisplayRule

    def file(self, path: Path, kind: str, refused: str | None = None) -> DataFile:
        """The data file at ``path`` (which may not exist: a missing file is named in messages too)."""
        repository_path = f"data/{path.relative_to(self.path).as_posix()}"
        if refused is None and (path.exists() or path.is_symlink()):
            refused = outside(path, self.path)
        return DataFile(path, kind, self.display(path), repository_path, refused)

    def discover(self) -> DataFiles:
        """List the data files, by kind, and the files of their folders that will not be read."""
        ignored: list[Ignored] = []
        departements = self._listing(self.path / "departements", "departement", ignored)
        ressources = self._listing(self.path / "ressources", "ressources", ignored)
        imports = [file for source in _folders(self.path / "imports") for file in self._listing(source, "import", ignored)]
        return DataFiles(
            folder=self,
            besoins=self._single("besoins"),
            mots=self._single("mots"),
            site=self._single("site"),
            national=self._single("national"),
            types=self._single("types"),
            territoires=self._single("territoires"),
            facile_a_lire=self._single("facile_a_lire", "facile-a-lire"),
            departements=departements,
            ressources=ressources,
            imports=imports,
            ignored=ignored,
        )

    def _single(self, kind: str, name: str | None = None) -> DataFile:
        """``data/<name>.yaml`` (the kind's name by default); when it is missing but written otherwise
        (« Site.YAML », « site.yml »), says so."""
        name = name or kind
        path = self.path / f"{name}.yaml"
        if path.exists() or path.is_symlink():
            return self.file(path, kind)
        try:
            variants = sorted(p.name for p in self.path.iterdir() if p.stem.lower() == name and p.suffix.lower() in DATA_SUFFIXES)
        except OSError:
            variants = []
        if not variants:
            return self.file(path, kind)
        return self.file(path, kind, f"fichier obligatoire manquant : {self.display(path)} ; {quoted(variants[0])} existe : "
                                     f"renommez-le « {path.name} » (en minuscules, extension .yaml)")

    def _listing(self, folder: Path, kind: str, ignored: list[Ignored]) -> list[DataFile]:
        """Every data file of one folder; every other entry (but hidden ones) is named in ``ignored``."""
        try:
            entries = sorted(folder.iterdir())
        except OSError:  # no such folder: nothing of this kind
            return []
        files = []
        for path in entries:
            if path.name.startswith("."):
                continue  # .gitkeep, editors' swap files
            if path.suffix in DATA_SUFFIXES:
                files.append(self.file(path, kind))
            elif path.suffix.lower() in DATA_SUFFIXES:
                files.append(self.file(path, kind, capital_suffix(path)))
            else:
                what = "dossier" if path.is_dir() else "fichier"
                ignored.append(Ignored(self.display(path), (
                    f"{what} ignoré : seuls les fichiers .yaml de data/{folder.relative_to(self.path).as_posix()}/ sont lus ; s'il contient des "
                    f"données, renommez-le {quoted(_data_name(path.name))}, sinon retirez-le")))
        return files


def _folders(path: Path) -> list[Path]:
    """The sub-folders of a folder (data/imports/<source>/), sorted; none when it does not exist."""
    try:
        return sorted(p for p in path.iterdir() if p.is_dir() and not p.name.startswith("."))
    except OSError:
        return []


def _data_name(name: str) -> str:
    """The name a data file was probably meant to have: « 80-somme.yaml.txt » → « 80-somme.yaml »."""
    for suffix in DATA_SUFFIXES:
        if suffix in name.lower():
            return name[: name.lower().index(suffix)] + suffix
    return f"{name.split('.')[0] or name}.yaml"


def capital_suffix(path: Path) -> str:
    """The message for a file whose extension is written in capitals (« .YAML », « .Md »)."""
    return (f"extension {quoted(path.suffix)} en majuscules : renommez le fichier {quoted(path.stem + path.suffix.lower())} "
            "(les extensions s'écrivent en minuscules, pour que le fichier soit le même sur tous les ordinateurs)")


@dataclass(frozen=True)
class DataFiles:
    """The files of a data folder, by kind."""

    folder: DataFolder
    besoins: DataFile
    mots: DataFile
    site: DataFile
    national: DataFile
    types: DataFile
    territoires: DataFile
    facile_a_lire: DataFile
    departements: list[DataFile]
    ressources: list[DataFile]
    imports: list[DataFile]  # generated by the importers (data/imports/<source>/), never edited by hand
    ignored: list[Ignored] = field(default_factory=list)

    def all(self) -> list[DataFile]:
        """Every file, in reading order."""
        return [*(getattr(self, kind) for kind in SINGLE_FILES), *self.departements, *self.ressources, *self.imports]
