"""Which files a data folder holds, by kind, in a stable order (sorted: builds are reproducible)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import DisplayRule

SINGLE_FILES = ("besoins", "types", "mots", "site", "national", "territoires")
"""Files of which there is exactly one, in the order they are read: the vocabularies first (besoins, then
types, which name needs), since the other files are checked against them."""


@dataclass(frozen=True)
class DataFile:
    """One data file: where it is, what it holds, how messages name it, its path in the repository."""

    path: Path
    kind: str  # a key of format.FILE_MODELS
    display: str  # as messages show it (diagnostics.DisplayRule)
    repository_path: str  # "data/departements/80-somme.yaml": for « modifier ce fichier » links


@dataclass(frozen=True)
class DataFolder:
    """A data folder and how messages show the paths inside it."""

    path: Path
    display: DisplayRule

    def file(self, path: Path, kind: str) -> DataFile:
        """The data file at ``path`` (which may not exist: a missing file is named in messages too)."""
        return DataFile(path, kind, self.display(path), f"data/{path.relative_to(self.path).as_posix()}")

    def discover(self) -> DataFiles:
        """List the data files, by kind."""
        return DataFiles(
            folder=self,
            besoins=self.file(self.path / "besoins.yaml", "besoins"),
            mots=self.file(self.path / "mots.yaml", "mots"),
            site=self.file(self.path / "site.yaml", "site"),
            national=self.file(self.path / "national.yaml", "national"),
            types=self.file(self.path / "types.yaml", "types"),
            territoires=self.file(self.path / "territoires.yaml", "territoires"),
            departements=[self.file(p, "departement") for p in sorted((self.path / "departements").glob("*.y*ml"))],
            ressources=[self.file(p, "ressources") for p in sorted((self.path / "ressources").glob("*.y*ml"))],
        )


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
    departements: list[DataFile]
    ressources: list[DataFile]

    def all(self) -> list[DataFile]:
        """Every file, in reading order."""
        return [*(getattr(self, kind) for kind in SINGLE_FILES), *self.departements, *self.ressources]
