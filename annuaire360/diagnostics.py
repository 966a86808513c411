"""Located French messages for contributors: ``path:line:column: erreur: message``.

A message often quotes what a contributor wrote, and what they wrote is untrusted: it may hold a newline
(a forged second message, a forged GitHub workflow command), terminal escape sequences (erasing the real
line), invisible characters (a field name that looks right and is not), Markdown or HTML (an image in the
job summary), or a megabyte of text. Two layers keep every message inert and readable:

- ``quoted`` (and ``visible``) is how a message quotes data: shortened, every invisible or control
  character named where it stands (« specialite⟨espace insécable U+00A0⟩ »);
- each destination escapes the whole line when it is written, whatever the message holds: ``terminal``
  for the plain lines, ``Diagnostic.github_annotation`` for workflow commands, ``tools/github.py`` for the
  job summary (an HTML table whose text is escaped).
"""

from __future__ import annotations

import difflib
import os
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, TextIO

Severity = Literal["erreur", "avertissement"]

QUOTE_LIMIT = 60
"""Characters of a quoted value a message shows; longer values end with « … »."""

MESSAGE_LIMIT = 1500
"""A whole message is never longer than this when printed (quoted values are already short)."""

_NAMES = {
    "\t": "tabulation",
    "\n": "retour à la ligne",
    "\r": "retour chariot",
    "\x1b": "caractère d'échappement",
    "\x85": "fin de ligne NEL",
    "\u00a0": "espace insécable",
    "\u00ad": "trait d'union conditionnel",
    "\u2007": "espace tabulaire",
    "\u202f": "espace fine insécable",
    "\u200b": "espace sans chasse",
    "\u200c": "antiliant sans chasse",
    "\u200d": "liant sans chasse",
    "\u2060": "gluon de mots",
    "\ufeff": "indicateur d'ordre des octets",
    "\u2028": "séparateur de ligne",
    "\u2029": "séparateur de paragraphe",
    **dict.fromkeys("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069", "contrôle de direction du texte"),
}
"""French names of the characters contributors meet without seeing them."""

_CATEGORY_NAMES = {
    "Cc": "caractère de contrôle",
    "Cf": "caractère invisible",
    "Zs": "espace spéciale",
    "Zl": "séparateur de ligne",
    "Zp": "séparateur de paragraphe",
    "Cs": "octet illisible",  # a file name that is not UTF-8 (os.fsdecode's surrogateescape)
    "Co": "caractère privé",
    "Cn": "caractère inconnu",
    "Mn": "accent séparé de sa lettre",  # a decomposed accent (NFD): « e » then U+0301
    "Me": "signe combinant",
}

_UNSAFE = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})
"""Categories no output line may carry as they are: they break, hide or reorder what a line shows."""


def oddity(char: str) -> str | None:
    """The French name of a character a reader cannot see as it is (None for an ordinary one)."""
    if char == " ":
        return None
    category = unicodedata.category(char)
    if char in _NAMES:
        return _NAMES[char]
    return _CATEGORY_NAMES.get(category)


def _marker(char: str, name: str) -> str:
    return f"⟨{name} U+{ord(char):04X}⟩"


def visible(value: object, limit: int = QUOTE_LIMIT) -> str:
    """A value as a message shows it: every invisible or control character named where it stands
    (``⟨espace insécable U+00A0⟩``), and at most ``limit`` characters followed by « … »."""
    text = str(value)
    pieces: list[str] = []
    for char in text[:limit]:
        name = oddity(char)
        pieces.append(_marker(char, name) if name else char)
    return "".join(pieces) + ("…" if len(text) > limit else "")


def quoted(value: object, limit: int = QUOTE_LIMIT) -> str:
    """« value », made visible and shortened: the one way a message quotes what a contributor wrote."""
    return f"« {visible(value, limit)} »"


def ordinal(n: int) -> str:
    """1er, 2ᵉ, 3ᵉ…"""
    return "1er" if n == 1 else f"{n}ᵉ"


def first_oddity(text: str) -> tuple[int, str, str] | None:
    """Where the first character a reader cannot see is: (0-based index, the character, its French name).

    Line breaks and tabulations of a multi-line text are ordinary; an accent written apart from its
    letter only counts where the composed form exists (é typed as e + U+0301)."""
    for index, char in enumerate(text):
        if char in "\n\t":
            continue
        name = oddity(char)
        if name is None:
            continue
        combining = unicodedata.category(char) in ("Mn", "Me")
        if combining and (index == 0 or len(unicodedata.normalize("NFC", text[index - 1 : index + 1])) == 2):
            continue
        return index, char, name
    return None


def describe_character(text: str, index: int, *, own: bool = False) -> str:
    """« le 11ᵉ caractère de « … » est une espace insécable (U+00A0), invisible à l'écran »; « son 11ᵉ
    caractère est … » (``own``) when the message has just quoted the text."""
    char = text[index]
    name = oddity(char) or unicodedata.name(char, "caractère").lower()
    subject = f"son {ordinal(index + 1)} caractère" if own else f"le {ordinal(index + 1)} caractère de {quoted(text)}"
    return f"{subject} est {_article(name)}{name} (U+{ord(char):04X}), invisible à l'écran"


def invisible_hint(text: str, *, own: bool = False) -> str:
    """What is wrong with ``text`` when it holds a character a reader cannot see (else nothing):
    « le 11ᵉ caractère de « … » est une espace insécable (U+00A0), invisible à l'écran : effacez-le »."""
    found = first_oddity(text)
    if found is None:
        return ""
    return f"{describe_character(text, found[0], own=own)} : effacez-le et retapez ce passage"


def _article(name: str) -> str:
    return "une " if name.startswith(("espace", "tabulation", "fin de ligne", "marque")) else "un "


def terminal(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """A line as it may be printed: no character that breaks, hides or reorders it, never a workflow command.

    Whatever a message holds, what reaches a terminal or a CI log is one line that shows what it says:
    control characters, bidirectional controls, separators and undecodable bytes are shown as
    ``⟨U+001B⟩``; GitHub's old ``##[command]`` form, recognised anywhere in a log line, is broken up."""
    shown = "".join(f"⟨U+{ord(c):04X}⟩" if unicodedata.category(c) in _UNSAFE else c for c in text)
    if len(shown) > limit:
        shown = shown[:limit] + "…"
    shown = shown.replace("##[", "# #[")
    # A workflow command is a line that starts with "::" (after blanks): a path never starts one.
    return f"./{shown}" if shown.lstrip().startswith("::") else shown


def github_data(text: str) -> str:
    """The message part of a GitHub workflow command (escaped as actions/toolkit does)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_property(text: str) -> str:
    """A property of a GitHub workflow command (``file=…``): ``,`` and ``:`` end a property, so they are escaped too."""
    return github_data(text).replace(":", "%3A").replace(",", "%2C")


def closest(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The choice closest to a mistyped word, for « vouliez-vous dire … ? » (None if none is close)."""
    if len(word) > 200:  # difflib is quadratic; no field name or code is that long
        return None
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=cutoff)
    return match[0] if match else None


class DisplayRule:
    """How messages show a path: relative to the first base it is under (the current folder, the
    repository, the data folder's parent), else as given. The one rule, for every message."""

    def __init__(self, *bases: Path) -> None:
        # Each base as written (symbolic links kept) and as it really is: a checkout reached through a
        # symbolic link still shows its paths relative to it.
        self.bases = list(dict.fromkeys(form for base in bases for form in (_lexical(base), _resolved(base)) if form))

    def __call__(self, path: Path) -> str:
        # The path as written first: a file reached through a symbolic link (refused if it leaves its
        # folder) is shown where it stands in the repository, so that its GitHub annotation lands on it.
        for candidate in filter(None, (_lexical(path), _resolved(path))):
            for base in self.bases:
                if candidate.is_relative_to(base):
                    return candidate.relative_to(base).as_posix()
        return path.as_posix()


def _resolved(path: Path) -> Path | None:
    """The real path, or None when it cannot be known (a loop of symbolic links)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return None


def _lexical(path: Path) -> Path:
    """An absolute path with « .. » and « . » removed, symbolic links left as they are."""
    return Path(os.path.abspath(path))


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
        """The line printed for people: one line, whatever the path or the message hold."""
        return terminal(f"{self.path}:{self.line}:{self.column}: {self.severity}: {self.message}")

    def github_annotation(self) -> str:
        """The same message as a GitHub Actions workflow command, shown on the changed line of a pull request."""
        kind = "error" if self.severity == "erreur" else "warning"
        path = github_property(terminal(self.path))
        return f"::{kind} file={path},line={self.line},col={self.column}::{github_data(terminal(self.message))}"


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
