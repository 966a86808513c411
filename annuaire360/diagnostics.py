"""Located French messages for contributors: ``path:line:column: erreur: message``."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, TextIO

Severity = Literal["erreur", "avertissement"]


def closest(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The choice closest to a mistyped word, for « vouliez-vous dire … ? » (None if none is close)."""
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=cutoff)
    return match[0] if match else None


class DisplayRule:
    """How messages show a path: relative to the first base it is under (the current folder, the
    repository, the data folder's parent), else as given. The one rule, for every message."""

    def __init__(self, *bases: Path) -> None:
        self.bases = [base.resolve() for base in bases]

    def __call__(self, path: Path) -> str:
        resolved = path.resolve()
        for base in self.bases:
            if resolved.is_relative_to(base):
                return resolved.relative_to(base).as_posix()
        return path.as_posix()


def suggest(word: str, choices: Iterable[str]) -> str:
    """« ; vouliez-vous dire … ? » when a close match exists, else nothing."""
    match = closest(word, choices)
    return f" ; vouliez-vous dire « {match} » ?" if match else ""


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem found in the data, located in a file (1-based line and column)."""

    path: str
    line: int
    column: int
    severity: Severity
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.severity}: {self.message}"

    def github_annotation(self) -> str:
        """The same message as a GitHub Actions workflow command, shown on the changed line of a pull request."""
        kind = "error" if self.severity == "erreur" else "warning"
        text = self.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        path = self.path.replace(",", "%2C").replace(":", "%3A")
        return f"::{kind} file={path},line={self.line},col={self.column}::{text}"


@dataclass
class Report:
    """Every diagnostic of a run, so that contributors see all their mistakes at once."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, path: str, line: int, column: int, message: str) -> None:
        self.items.append(Diagnostic(path, line, column, "erreur", message))

    def warning(self, path: str, line: int, column: int, message: str) -> None:
        self.items.append(Diagnostic(path, line, column, "avertissement", message))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "erreur"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "avertissement"]

    def failed(self, *, strict: bool = False) -> bool:
        """Whether the run must stop: any error, or any warning in strict mode."""
        return bool(self.errors) or (strict and bool(self.warnings))

    def print(self, stream: TextIO, *, github: bool = False) -> None:
        """Print every diagnostic sorted by file and line, plus GitHub annotations when ``github`` (run by Actions)."""
        ordered = sorted(set(self.items))
        for diagnostic in ordered:
            print(diagnostic, file=stream)
        if github:
            for diagnostic in ordered:
                print(diagnostic.github_annotation(), file=stream)

    def summary(self) -> str:
        """One French line that counts errors and warnings."""
        e, w = len(self.errors), len(self.warnings)
        return f"{e} erreur{'s' if e > 1 else ''}, {w} avertissement{'s' if w > 1 else ''}"
