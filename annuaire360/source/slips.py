"""Typing slips that break YAML, found on the line where they are, with their real cause.

The YAML parser notices a slip late and names it by its consequence (« indentation incohérente », often lines
further down): a quote opened and never closed swallows the next lines, an apostrophe in ``'l'Exemple'`` closes
the value early. When a file does not parse, its lines up to the parser's error are read here for the slips
people make; the last one found is the cause told to the contributor, on its own line, with the fix.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from ..errors import LoadError

_KEY = r"(?P<lead>[ \t]*(?:-[ \t]+)?)(?P<key>[A-Za-z_][\w-]*)"
_VALUE = re.compile(_KEY + r":[ \t]+(?P<value>.*)$")
_BLOCK_START = re.compile(_KEY + r":[ \t]*[|>][+-]?[0-9]?[ \t]*(?:#.*)?$")
_ODD_SPACES = "\u00a0\u202f\u2007\u3000\u2002\u2003\u2009"


Slip = tuple[int, str]
"""A 0-based column in the line and the French message."""


def _odd_indent(line: str) -> Slip | None:
    indent = len(line) - len(line.lstrip(" \t" + _ODD_SPACES))
    for column, char in enumerate(line[:indent]):
        if char in _ODD_SPACES:
            return column, ("espace insécable (ou autre espace spéciale) au début de la ligne, souvent venue d'un "
                            "copier-coller depuis un traitement de texte : effacez les espaces du début de la ligne "
                            "et retapez-les avec la barre d'espace")
    return None


def _dash_without_space(line: str) -> Slip | None:
    match = re.match(r"^([ \t]*)-(?=[^\s\-])", line)
    if match and not line.startswith("---"):
        shown = line.strip()[1:].split(":")[0]
        return len(match.group(1)), (f"il manque une espace après le tiret : écrivez « - {shown}: … » (un tiret, une "
                                     "espace, puis le nom du champ)")
    return None


def _colon_without_space(line: str) -> Slip | None:
    match = re.match(_KEY + r":(?=[^\s/])", line)
    if match:
        key = match.group("key")
        return match.end("key"), (f"il manque une espace après « {key}: » : écrivez « {key}: » puis une espace "
                                  "avant la valeur")
    return None


def _closing_quote(value: str, quote: str) -> int | None:
    """Index of the quote that closes a quoted value (``''`` inside single quotes and ``\\"`` inside double
    quotes are not closing), or None if the line never closes it."""
    i = 1
    while i < len(value):
        if quote == '"' and value[i] == "\\":
            i += 2
            continue
        if value[i] == quote:
            if quote == "'" and value[i + 1 : i + 2] == "'":
                i += 2
                continue
            return i
        i += 1
    return None


def _quotes(line: str) -> Slip | None:
    match = _VALUE.match(line)
    if not match or match.group("value")[:1] not in ("'", '"'):
        return None
    value, start = match.group("value"), match.start("value")
    quote, key = value[0], match.group("key")
    end = _closing_quote(value, quote)
    if end is None:
        return start, (f"guillemet {'double' if quote == chr(34) else 'simple'} ouvert ici mais jamais fermé sur "
                       f"la ligne : ajoutez « {quote} » à la fin de la valeur")
    rest = value[end + 1 :]
    if not rest.strip() or rest.lstrip().startswith("#"):
        return None
    if quote == "'" and rest[:1].isalpha():
        inner = value[1:].rstrip()
        inner = inner[:-1] if inner.endswith("'") else inner
        return start + end, ("apostrophe dans un texte entre guillemets simples : elle ferme le texte trop tôt ; "
                             f"mettez-le entre guillemets doubles, {key}: \"{inner}\", ou doublez l'apostrophe ('')")
    whole = value.replace(quote, "")
    return start + end + 1, (f"texte après le guillemet fermant : mettez toute la valeur entre les guillemets, "
                             f"{key}: \"{whole.strip()}\"")


DETECTORS: list[Callable[[str], Slip | None]] = [_odd_indent, _dash_without_space, _colon_without_space, _quotes]
"""One function per slip, in the order they are looked for on a line."""


def _lines_outside_blocks(text: str) -> Iterator[tuple[int, str]]:
    """(1-based number, line) of the lines that are not comments nor inside a « | » or « > » text block."""
    block_indent: int | None = None
    for number, line in enumerate(text.split("\n"), start=1):
        indent = len(line) - len(line.lstrip(" "))
        if block_indent is not None:
            if not line.strip() or indent > block_indent:
                continue
            block_indent = None
        if line.lstrip().startswith("#"):
            continue
        start = _BLOCK_START.match(line)
        if start:
            block_indent = len(start.group("lead").rstrip("- \t")) if "-" in start.group("lead") else len(
                start.group("lead"))
            continue
        yield number, line


def find_slip(text: str, until_line: int) -> LoadError | None:
    """The last slip on the lines up to ``until_line`` (where the parser stopped), as a located LoadError."""
    found: LoadError | None = None
    for number, line in _lines_outside_blocks(text):
        if number > until_line:
            break
        for detector in DETECTORS:
            slip = detector(line)
            if slip is not None:
                found = LoadError(slip[1], number, slip[0] + 1)
                break
    return found
