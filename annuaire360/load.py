"""Stage 1, load: read data files and parse their YAML into plain values, remembering where each value is.

The loader is stricter than YAML: no anchors or aliases (which also stops "billion laughs"),
no tags, no duplicate keys, a size cap and a depth cap. Scalars follow the YAML 1.2 core
schema (``yes``/``no``/``on`` stay text, ``01000`` is not octal), and the raw text of every
unquoted scalar is kept so that a number where text was expected can be explained.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from .diagnostics import Report

MAX_BYTES = 1_000_000
"""A département file is a few kilobytes; anything above a megabyte is a mistake or an attack."""

MAX_DEPTH = 24
"""The format nests about six levels deep."""

Location = tuple[int, int]
Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Scalar:
    """What a contributor typed for one scalar: its text and whether it was quoted."""

    text: str
    plain: bool


@dataclass
class Document:
    """One parsed data file: its values and where each of them is in the file."""

    path: Path
    display: str  # path shown in messages, relative to the data directory's parent
    data: Any
    values: dict[Path_, Location] = field(default_factory=dict)  # where each value starts
    keys: dict[Path_, Location] = field(default_factory=dict)  # where each mapping key is written
    scalars: dict[Path_, Scalar] = field(default_factory=dict)

    def locate(self, loc: Path_, *, key: bool = False) -> Location:
        """The best position for a path: the key or value itself, else its nearest parent."""
        for end in range(len(loc), -1, -1):
            sub = loc[:end]
            if key and sub in self.keys:
                return self.keys[sub]
            if sub in self.values:
                return self.values[sub]
        return (1, 1)


class LoadError(Exception):
    """A problem that stops reading a file, with its position."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


_INT = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)")


def _plain_value(text: str) -> Any:
    """Resolve an unquoted scalar with the YAML 1.2 core schema."""
    if text in ("", "~", "null", "Null", "NULL"):
        return None
    if text in ("true", "True", "TRUE"):
        return True
    if text in ("false", "False", "FALSE"):
        return False
    if _INT.fullmatch(text):
        return int(text, 0) if text.startswith(("0o", "0x")) else int(text)
    if _FLOAT.fullmatch(text):
        return float(text)
    return text


# PyYAML's messages are English; these are the ones contributors meet, in plain French.
_YAML_PROBLEMS: list[tuple[str, str]] = [
    ("found character '\\t' that cannot start any token",
     "tabulation interdite : indentez avec des espaces (2 par niveau), jamais avec la touche Tab"),
    ("found character '\\t'", "tabulation interdite : indentez avec des espaces (2 par niveau)"),
    ("mapping values are not allowed in this context",
     "« : » inattendu : si la valeur contient deux-points, mettez-la entre guillemets ; sinon vérifiez l'indentation"),
    ("did not find expected ',' or ']'", "liste entre crochets mal fermée : il manque « , » ou « ] »"),
    ("did not find expected ',' or '}'", "bloc entre accolades mal fermé : il manque « , » ou « } »"),
    ("mapping values are not allowed here",
     "« : » inattendu : si la valeur contient deux-points, mettez-la entre guillemets ; sinon vérifiez l'indentation"),
    ("could not find expected ':'", "il manque « : » après le nom du champ, ou un guillemet n'est pas fermé"),
    ("found unexpected end of stream", "fin du fichier inattendue : un guillemet ou un crochet n'est pas fermé"),
    ("found unknown escape character",
     "barre oblique inverse « \\ » inattendue entre guillemets doubles : utilisez des guillemets simples"),
    ("expected <block end>, but found", "indentation incohérente : alignez cette ligne sur ses voisines"),
    ("did not find expected key", "indentation incohérente : alignez cette ligne sur les autres champs du même bloc"),
    ("did not find expected '-' indicator", "élément de liste mal aligné : chaque élément commence par « - » au même niveau"),
    ("found unexpected ':'", "« : » inattendu : mettez la valeur entre guillemets"),
    ("found undefined alias", "les renvois YAML (« *nom ») ne sont pas acceptés"),
    ("special characters are not allowed", "caractère invisible ou de contrôle interdit : retapez cette ligne"),
    ("expected a single document", "un seul document par fichier : supprimez la ligne « --- » du milieu"),
    ("expected ',' or ']'", "liste entre crochets mal fermée : il manque « , » ou « ] »"),
    ("expected ',' or '}'", "bloc entre accolades mal fermé : il manque « , » ou « } »"),
    ("found a tab character", "tabulation interdite : indentez avec des espaces"),
    ("while scanning a simple key", "il manque « : » après le nom du champ"),
    ("found character '@' that cannot start any token", "une valeur ne peut pas commencer par « @ » : mettez-la entre guillemets"),
    ("found character '`' that cannot start any token", "une valeur ne peut pas commencer par « ` » : mettez-la entre guillemets"),
    ("found character '%' that cannot start any token", "une valeur ne peut pas commencer par « % » : mettez-la entre guillemets"),
]


def _translate_yaml_error(exc: yaml.YAMLError, text: str) -> LoadError:
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None) or ""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    if "cannot start any token" in problem:
        # libyaml does not name the character: look at it.
        lines = text.splitlines()
        char = lines[line - 1][column - 1 : column] if 0 < line <= len(lines) else ""
        if char == "\t":
            return LoadError("tabulation interdite : indentez avec des espaces (2 par niveau), jamais avec la touche Tab",
                             line, column)
        if char:
            return LoadError(f"une valeur ne peut pas commencer par « {char} » : mettez-la entre guillemets", line, column)
    for needle, french in _YAML_PROBLEMS:
        if needle in problem or needle in context:
            return LoadError(french, line, column)
    return LoadError(f"YAML mal formé ({problem.strip()}) : vérifiez l'indentation et les guillemets", line, column)


def decode(raw: bytes) -> str:
    """Decode a data file, which must be UTF-8 without BOM; raise a located French message otherwise."""
    if raw.startswith(codecs.BOM_UTF8):
        raise LoadError("le fichier commence par une marque BOM : enregistrez-le en « UTF-8 » sans BOM")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or (len(raw) > 1 and b"\x00" in raw[:64]):
        raise LoadError("le fichier est en UTF-16 : enregistrez-le en « UTF-8 » (sans BOM)")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise LoadError(
            "caractère qui n'est pas de l'UTF-8 (fichier enregistré en Latin-1 ou Windows-1252 ?) : "
            "enregistrez le fichier en « UTF-8 »",
            line,
            column,
        ) from None


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser when available: the YAML is read event by event, in C, about ten times faster."""


def parse(text: str, path: Path, display: str) -> Document:
    """Parse one YAML text into a Document; raise LoadError on the first problem."""
    if "\x00" in text:
        raise LoadError("caractère nul dans le fichier : ce n'est pas un fichier texte")
    loader = _Loader(text)
    document = Document(path=path, display=display, data=None)
    try:
        loader.get_event()  # stream start
        if loader.check_event(StreamEndEvent):
            raise LoadError(
                "fichier vide : il doit contenir au moins les champs obligatoires (voir le guide)"
                if not text.strip()
                else "le fichier ne contient que des commentaires : ajoutez les champs obligatoires (voir le guide)"
            )
        loader.get_event()  # document start
        first = loader.peek_event()
        if not isinstance(first, MappingStartEvent):
            if isinstance(first, ScalarEvent) and first.value == "" and not first.style:
                raise LoadError("fichier vide : il doit contenir au moins les champs obligatoires (voir le guide)")
            raise LoadError(
                "le fichier doit être une suite de champs « nom: valeur », pas une liste ni une valeur seule",
                first.start_mark.line + 1,
                first.start_mark.column + 1,
            )
        document.data = _build(loader, (), document, 1)
        loader.get_event()  # document end
        if not loader.check_event(StreamEndEvent):
            extra = loader.peek_event()
            raise LoadError(
                "un seul document par fichier : supprimez la ligne « --- » et ce qui suit, ou faites-en un autre fichier",
                extra.start_mark.line + 1,
                extra.start_mark.column + 1,
            )
    except yaml.YAMLError as exc:
        raise _translate_yaml_error(exc, text) from None
    finally:
        loader.dispose()
    return document


def _build(loader: Any, where: Path_, doc: Document, depth: int) -> Any:
    """Build one value from the parser's events, recording positions and refusing what we do not accept."""
    event = loader.get_event()
    line, column = event.start_mark.line + 1, event.start_mark.column + 1
    if isinstance(event, AliasEvent):
        raise LoadError("les renvois YAML (« *nom ») ne sont pas acceptés : recopiez la valeur à cet endroit", line, column)
    if getattr(event, "anchor", None):
        raise LoadError(
            f"les ancres YAML (« &{event.anchor} ») ne sont pas acceptées : supprimez « &{event.anchor} » "
            "et recopiez la valeur là où elle sert",
            line,
            column,
        )
    tag = getattr(event, "tag", None)
    if tag not in (None, "!"):
        raise LoadError(f"les balises YAML (« {tag} ») ne sont pas acceptées : supprimez-la", line, column)
    if depth > MAX_DEPTH:
        raise LoadError(f"imbrication trop profonde (plus de {MAX_DEPTH} niveaux) : vérifiez l'indentation", line, column)
    doc.values[where] = (line, column)
    if isinstance(event, ScalarEvent):
        plain = not event.style  # libyaml says "" for plain scalars, the pure-Python parser None
        doc.scalars[where] = Scalar(event.value, plain)
        return _plain_value(event.value) if plain else event.value
    if isinstance(event, SequenceStartEvent):
        items = []
        while not loader.check_event(SequenceEndEvent):
            items.append(_build(loader, (*where, len(items)), doc, depth + 1))
        loader.get_event()
        return items
    assert isinstance(event, MappingStartEvent)
    result: dict[str, Any] = {}
    seen: dict[str, int] = {}
    while not loader.check_event(MappingEndEvent):
        key_event = loader.peek_event()
        key_line, key_column = key_event.start_mark.line + 1, key_event.start_mark.column + 1
        if not isinstance(key_event, ScalarEvent):
            raise LoadError("un nom de champ doit être un simple mot, pas une liste ni un bloc", key_line, key_column)
        if key_event.anchor or key_event.tag not in (None, "!"):
            raise LoadError("un nom de champ ne peut pas porter d'ancre ni de balise YAML", key_line, key_column)
        loader.get_event()
        key = key_event.value
        if key == "<<":
            raise LoadError("la fusion YAML « << » n'est pas acceptée : écrivez chaque champ", key_line, key_column)
        if key in seen:
            raise LoadError(
                f"le champ « {key} » est écrit deux fois dans le même bloc (déjà à la ligne {seen[key]}) : "
                "gardez-en un seul",
                key_line,
                key_column,
            )
        seen[key] = key_line
        doc.keys[(*where, key)] = (key_line, key_column)
        result[key] = _build(loader, (*where, key), doc, depth + 1)
    loader.get_event()
    return result


def load_file(path: Path, display: str, report: Report) -> Document | None:
    """Read and parse one data file; record a located error and return None if it cannot be read."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise LoadError(
                f"fichier trop gros ({size / 1_000_000:.1f} Mo, {MAX_BYTES // 1_000_000} Mo au plus) : "
                "un fichier de département fait quelques kilo-octets ; séparez ou raccourcissez"
            )
        return parse(decode(path.read_bytes()), path, display)
    except LoadError as exc:
        report.error(display, exc.line, exc.column, exc.message)
    except OSError as exc:
        report.error(display, 1, 1, f"fichier illisible ({exc.strerror})")
    return None


@dataclass
class DataFiles:
    """The files of a data directory, by kind."""

    site: Path
    national: Path
    types: Path
    territoires: Path
    departements: list[Path]
    ressources: list[Path]


def discover(data_dir: Path) -> DataFiles:
    """List the data files in a stable order (sorted, so that builds are reproducible)."""
    return DataFiles(
        site=data_dir / "site.yaml",
        national=data_dir / "national.yaml",
        types=data_dir / "types.yaml",
        territoires=data_dir / "territoires.yaml",
        departements=sorted((data_dir / "departements").glob("*.y*ml")),
        ressources=sorted((data_dir / "ressources").glob("*.y*ml")),
    )
