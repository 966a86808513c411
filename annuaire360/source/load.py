"""Load: read data files and parse their YAML into plain values, remembering where each value is.

The loader is stricter than YAML: no anchors or aliases (which also stops "billion laughs"),
no tags, no duplicate keys, a size cap, a depth cap, a cap on the number of values and on the length of
each one (so that everything after loading works on bounded input), and only regular files. Scalars follow the YAML 1.2 core
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

from ..diagnostics import Report, quoted
from ..errors import LoadError
from .files import read_regular
from .slips import find_slip

MAX_BYTES = 1_000_000
"""A département file is a few kilobytes; anything above a megabyte is a mistake or an attack."""

MAX_DEPTH = 24
"""The format nests about six levels deep."""

MAX_NODES = 10_000
"""A département file holds a few hundred values (the largest data file, 1 066); the cap keeps a file full of
tiny values from eating memory, and bounds the work of validation (a phone number or an e-mail address costs
a few tenths of a millisecond to check)."""

MAX_SCALAR = 10_000
"""Characters of one value: the longest field (a Markdown description) holds 5 000. Every check after
loading (patterns, suggestions, messages) thus works on bounded text."""

MAX_KEY = 100
"""Characters of a field name: the longest is about twenty."""

REPARSE_LIMIT = 100_000
"""Files up to this many characters that fail are read again by the pure-Python parser, for its messages
and positions (a few tenths of a second at most); a larger file keeps libyaml's, so that a megabyte of
hostile YAML is judged in milliseconds."""


@dataclass(frozen=True)
class Limits:
    """The caps of one kind of file: its size in bytes and its number of YAML nodes."""

    max_bytes: int = MAX_BYTES
    max_nodes: int = MAX_NODES


HAND_WRITTEN = Limits()
"""Every file a person writes."""

GENERATED = Limits(max_bytes=8_000_000, max_nodes=250_000)
"""Files the importers write (data/imports/): a large département holds several hundred official records of
about fifty values each (the Nord's FINESS file, at national scale, about 35 000 nodes and 0.6 MB); the caps
keep a tenfold margin and still bound memory (bench/import_time.py measures it)."""

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
    display: str  # path shown in messages (diagnostics.DisplayRule)
    data: Any
    text: str = ""  # the file's text, for the checks that read what was written (fiction numbers…)
    values: dict[Path_, Location] = field(default_factory=dict)  # where each value starts
    keys: dict[Path_, Location] = field(default_factory=dict)  # where each mapping key is written
    scalars: dict[Path_, Scalar] = field(default_factory=dict)
    # Records this document validated into, by model and context: the preview keeps a document while its file
    # is unchanged, and validating it again would give the same (frozen) record. Successes only: a failure is
    # validated again, so that its messages are reported again.
    validated: dict[tuple[type, Any], Any] = field(default_factory=dict, repr=False, compare=False)

    def locate(self, loc: Path_, *, key: bool = False) -> Location:
        """The best position for a path: the key or value itself, else its nearest parent."""
        for end in range(len(loc), -1, -1):
            sub = loc[:end]
            if key and sub in self.keys:
                return self.keys[sub]
            if sub in self.values:
                return self.values[sub]
        return (1, 1)


_INT = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)")


def plain_value(text: str) -> Any:
    """Resolve an unquoted scalar with the YAML 1.2 core schema."""
    if text in ("", "~", "null", "Null", "NULL"):
        return None
    if text in ("true", "True", "TRUE"):
        return True
    if text in ("false", "False", "FALSE"):
        return False
    if _INT.fullmatch(text):
        try:
            return int(text, 0) if text.startswith(("0o", "0x")) else int(text)
        except ValueError:  # more digits than Python converts (4300): no real value is that long
            return text
    if _FLOAT.fullmatch(text):
        return _float(text)
    return text


def _float(text: str) -> float:
    """A YAML float: Python's float() reads neither « .inf » nor « .nan »."""
    special = text.lstrip("+-").lower()
    if special in (".inf", ".nan"):
        return float(("-" if text.startswith("-") else "") + special[1:])
    return float(text)


# PyYAML's messages are English; these are the ones contributors meet, in plain French. Errors always come
# from the pure-Python parser (a file libyaml refuses is read again by it), so only its wording matters.
_YAML_PROBLEMS: list[tuple[str, str]] = [
    ("found character '\\t' that cannot start any token",
     "tabulation interdite : indentez avec des espaces (2 par niveau), jamais avec la touche Tab"),
    ("found character '\\t'", "tabulation interdite : indentez avec des espaces (2 par niveau)"),
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
    ("that cannot start any token",
     "une valeur ne peut pas commencer par ce caractère : mettez-la entre guillemets, par exemple nom: \"@ …\""),
    ("expected the node content, but found",
     "valeur manquante à cet endroit : écrivez-la, ou mettez le texte entre guillemets s'il contient « , [ ] { } »"),
    ("expected '<document start>', but found",
     "texte inattendu : cette ligne n'est rattachée à aucun champ ; vérifiez son indentation"),
    ("expected alphabetic or numeric character",
     "une valeur ne peut pas commencer par « & », « * » ou « ! » : mettez-la entre guillemets"),
    ("expected chomping or indentation indicators",
     "après « | » ou « > », passez à la ligne : le texte commence à la ligne suivante, décalé de 2 espaces"),
    ("expected indentation indicator",
     "après « | » ou « > », passez à la ligne : le texte commence à la ligne suivante, décalé de 2 espaces"),
    ("while scanning a tag", "une valeur ne peut pas commencer par « ! » : mettez-la entre guillemets"),
    ("expected a comment or a line break",
     "texte inattendu après « | » ou « > » : passez à la ligne, le texte commence à la ligne suivante"),
    ("expected a directive name", "une ligne ne peut pas commencer par « % » : mettez la valeur entre guillemets"),
    ("expected ' ', but found", "il manque une espace après « : » ou « - » : écrivez « champ: valeur »"),
    ("expected <block mapping key>", "indentation incohérente : alignez cette ligne sur les autres champs du même bloc"),
]


def _translate_yaml_error(exc: yaml.YAMLError) -> LoadError:
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None) or ""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    start = getattr(exc, "context_mark", None)
    if "while scanning a quoted scalar" in context and start is not None:
        return LoadError(
            "guillemet ouvert ici mais jamais fermé : ajoutez le même guillemet à la fin de la valeur",
            start.line + 1,
            start.column + 1,
        )
    for needle, french in _YAML_PROBLEMS:
        if needle in problem or needle in context:
            return LoadError(french, line, column)
    return LoadError(
        f"YAML mal formé à cet endroit : vérifiez l'indentation et les guillemets (détail technique : {problem.strip()})",
        line,
        column,
    )


def _position(text: str, at: int) -> tuple[int, int]:
    """1-based line and column of a character offset in a text."""
    return text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1


def _reader_error(exc: yaml.reader.ReaderError, text: str) -> LoadError:
    """A character YAML refuses (control characters, some invisible ones), located by line and column."""
    return LoadError(
        f"caractère invisible ou de contrôle (U+{exc.character:04X}) interdit : effacez ce passage et retapez-le",
        *_position(text, min(max(exc.position, 0), len(text))),
    )


def decode(raw: bytes) -> str:
    """Decode a data file, which must be UTF-8 without BOM; raise a located French message otherwise."""
    if raw.startswith(codecs.BOM_UTF8):
        raise LoadError(
            "le fichier commence par une marque d'ordre des octets (BOM) : enregistrez-le avec le codage "
            "« UTF-8 » sans BOM (dans votre éditeur : Enregistrer sous… > Codage)"
        )
    head = raw[:64]
    # UTF-16 text without a BOM has a zero byte beside every ASCII character; a stray NUL is a different problem.
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or (len(head) > 3 and head.count(0) * 3 >= len(head)):
        raise LoadError(
            "le fichier est enregistré en UTF-16 : enregistrez-le avec le codage « UTF-8 » sans BOM "
            "(dans votre éditeur : Enregistrer sous… > Codage)"
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        # A column counts characters, not bytes: decode what precedes the bad byte on its line.
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", errors="replace")) + 1
        raise LoadError(
            f"octet 0x{raw[exc.start]:02X} qui n'est pas de l'UTF-8 (fichier enregistré en Latin-1 ou Windows-1252 ?) : "
            "rouvrez le fichier et enregistrez-le avec le codage « UTF-8 », puis vérifiez les lettres accentuées",
            line,
            column,
        ) from None


_EMPTY = "fichier vide : écrivez-y les champs du fichier (voir le guide « Contribuer »), ou supprimez-le"
_ODD_LINE_BREAK = re.compile("[\x85\u2028\u2029]")


_FAST_LOADER = getattr(yaml, "CSafeLoader", None)
"""libyaml's parser, when PyYAML was built with it: valid files are read event by event in C, about three
times faster. On a YAML error the file is read again with the pure-Python parser, whose messages and
positions are the ones translated below (errors are rare, so this costs nothing in practice)."""


def parse(text: str, path: Path, display: str, max_nodes: int = MAX_NODES) -> Document:
    """Parse one YAML text into a Document; raise LoadError on the first problem."""
    if "\x00" in text:
        raise LoadError(
            "caractère nul dans le fichier : ce n'est pas un fichier texte ; recréez-le avec un éditeur de texte",
            *_position(text, text.index("\x00")),
        )
    odd_break = _ODD_LINE_BREAK.search(text)
    if odd_break:  # YAML counts them as line breaks, editors and GitHub do not: positions would be wrong
        at = odd_break.start()
        raise LoadError(
            f"caractère de fin de ligne inhabituel (U+{ord(text[at]):04X}) : effacez ce passage et retapez-le",
            *_position(text, at),
        )
    unprintable = yaml.reader.Reader.NON_PRINTABLE.search(text)
    if unprintable:  # what the pure-Python reader refuses, found the same way whichever parser runs
        raise LoadError(
            f"caractère invisible ou de contrôle (U+{ord(unprintable.group()):04X}) interdit : "
            "effacez ce passage et retapez-le",
            *_position(text, unprintable.start()),
        )
    if _FAST_LOADER is not None:
        try:
            return _parse_with(_FAST_LOADER, text, path, display, max_nodes)
        except LoadError as exc:
            # A syntax error: the pure-Python parser's message and position, unless the file is so large that
            # reading it again in Python would take seconds (then libyaml's, translated the same way). Our own
            # refusals (anchors, depth, size…) come from events at the same positions with either parser.
            if not exc.syntax or len(text) > REPARSE_LIMIT:
                raise
    return _parse_with(yaml.SafeLoader, text, path, display, max_nodes)


def _parse_with(loader_class: Any, text: str, path: Path, display: str, max_nodes: int) -> Document:
    try:
        loader = loader_class(text)  # the pure-Python reader already rejects control characters here
    except yaml.reader.ReaderError as exc:
        raise _reader_error(exc, text) from None
    document = Document(path=path, display=display, data=None, text=text)
    budget = [max_nodes, max_nodes]
    try:
        loader.get_event()  # stream start
        if loader.check_event(StreamEndEvent):
            if any(line.strip() for line in text.splitlines()):
                raise LoadError(
                    "le fichier ne contient que des commentaires (lignes commençant par « # ») : "
                    "ajoutez les champs sous les commentaires, ou supprimez le fichier"
                )
            raise LoadError(_EMPTY)
        loader.get_event()  # document start
        first = loader.peek_event()
        if not isinstance(first, MappingStartEvent):
            if isinstance(first, ScalarEvent) and first.value == "" and not first.style:
                raise LoadError(_EMPTY)
            raise LoadError(
                "le fichier doit être une suite de champs « nom: valeur », pas une liste ni une valeur seule : "
                "écrivez chaque champ au début d'une ligne, sans « - » ni espace devant",
                first.start_mark.line + 1,
                first.start_mark.column + 1,
            )
        document.data = _build(loader, (), document, 1, budget)
        loader.get_event()  # document end
        if not loader.check_event(StreamEndEvent):
            extra = loader.peek_event()
            raise LoadError(
                "un seul document par fichier : supprimez la ligne « --- » et ce qui suit, ou faites-en un autre fichier",
                extra.start_mark.line + 1,
                extra.start_mark.column + 1,
            )
    except yaml.reader.ReaderError as exc:
        raise _reader_error(exc, text) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        # the real cause of a parse error is often a slip on that line or above (slips.py), named here
        error = find_slip(text, mark.line + 1 if mark else 1) or _translate_yaml_error(exc)
        error.syntax = True
        raise error from None
    finally:
        loader.dispose()
    return document


def _count(depth: int, budget: list[int], line: int, column: int) -> None:  # budget: [nodes left, cap]
    """Refuse a node nested too deep, or one too many in the file."""
    if depth > MAX_DEPTH:
        raise LoadError(
            f"imbrication trop profonde (plus de {MAX_DEPTH} niveaux) : vérifiez l'indentation de cette ligne, "
            "chaque niveau ne doit être décalé que de 2 espaces par rapport à son bloc",
            line,
            column,
        )
    budget[0] -= 1
    if budget[0] < 0:
        raise LoadError(
            f"trop de valeurs dans un seul fichier (plus de {budget[1]:_}) : ".replace("_", " ")
            + "répartissez son contenu en plusieurs fichiers",
            line,
            column,
        )


def _at(event: Any) -> tuple[int, int]:
    """1-based line and column where an event starts."""
    return event.start_mark.line + 1, event.start_mark.column + 1


def _scalar(event: ScalarEvent, where: Path_, doc: Document) -> Any:
    """One scalar's value, its text kept; a value longer than any field's is refused."""
    if len(event.value) > MAX_SCALAR:
        raise LoadError(
            f"valeur trop longue ({len(event.value):_} caractères, {MAX_SCALAR:_} au plus) : ".replace("_", " ")
            + "un texte de l'annuaire tient en quelques phrases ; raccourcissez-le",
            *_at(event),
        )
    plain = not event.style  # libyaml says "" for plain scalars, the pure-Python parser None
    doc.scalars[where] = Scalar(event.value, plain)
    return plain_value(event.value) if plain else event.value


def _refuse_yaml_features(event: Any, line: int, column: int) -> None:
    """Aliases, anchors and tags are refused: a data file holds text, lists and blocks, nothing else."""
    if isinstance(event, AliasEvent):
        raise LoadError("les renvois YAML (« *nom ») ne sont pas acceptés : recopiez la valeur à cet endroit", line, column)
    if getattr(event, "anchor", None):
        raise LoadError(
            f"les ancres YAML (« &nom ») ne sont pas acceptées : supprimez {quoted('&' + event.anchor)} "
            "et recopiez la valeur là où elle sert",
            line,
            column,
        )
    tag = getattr(event, "tag", None)
    if tag not in (None, "!"):
        shown = tag.replace("tag:yaml.org,2002:", "!!")
        raise LoadError(
            f"les balises YAML ({quoted(shown)}) ne sont pas acceptées : supprimez-la, une valeur est toujours "
            "du texte, une liste ou un bloc",
            line,
            column,
        )


def _build(loader: Any, where: Path_, doc: Document, depth: int, budget: list[int]) -> Any:
    """Build one value from the parser's events, recording positions and refusing what we do not accept."""
    event = loader.get_event()
    line, column = _at(event)
    _refuse_yaml_features(event, line, column)
    _count(depth, budget, line, column)
    doc.values[where] = (line, column)
    if isinstance(event, ScalarEvent):
        return _scalar(event, where, doc)
    if isinstance(event, SequenceStartEvent):
        items: list[Any] = []
        while not loader.check_event(SequenceEndEvent):
            items.append(_build(loader, (*where, len(items)), doc, depth + 1, budget))
        loader.get_event()
        return items
    assert isinstance(event, MappingStartEvent)
    return _build_mapping(loader, where, doc, depth, budget)


def _mapping_key(loader: Any, depth: int, budget: list[int]) -> tuple[str, int, int]:
    """The next key of a mapping: a plain, short word, with its position."""
    key_event = loader.peek_event()
    line, column = _at(key_event)
    if not isinstance(key_event, ScalarEvent):
        raise LoadError("un nom de champ doit être un simple mot, pas une liste ni un bloc", line, column)
    if key_event.anchor or key_event.tag not in (None, "!"):
        raise LoadError("un nom de champ ne peut pas porter d'ancre ni de balise YAML", line, column)
    loader.get_event()
    _count(depth + 1, budget, line, column)  # keys are nodes too, as in YAML's own model
    if key_event.value == "<<":
        raise LoadError(
            "la fusion YAML « << » n'est pas acceptée : écrivez chaque champ en entier à cet endroit", line, column
        )
    if len(key_event.value) > MAX_KEY:
        raise LoadError(
            f"nom de champ {quoted(key_event.value)} trop long ({len(key_event.value)} caractères) : un nom de champ "
            "est un mot court suivi de « : » ; si c'est une valeur, écrivez-la après le nom de son champ",
            line,
            column,
        )
    return key_event.value, line, column


def _build_mapping(loader: Any, where: Path_, doc: Document, depth: int, budget: list[int]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    seen: dict[str, int] = {}
    while not loader.check_event(MappingEndEvent):
        key, key_line, key_column = _mapping_key(loader, depth, budget)
        if key in seen:
            raise LoadError(
                f"le champ {quoted(key)} est écrit deux fois dans le même bloc (déjà à la ligne {seen[key]}) : "
                "gardez-en un seul",
                key_line,
                key_column,
            )
        seen[key] = key_line
        doc.keys[(*where, key)] = (key_line, key_column)
        result[key] = _build(loader, (*where, key), doc, depth + 1, budget)
    loader.get_event()
    return result


_CONFLICT = re.compile(r"^(?:<{7}|>{7})(?: |$)", re.M)


def _no_conflict_markers(text: str) -> None:
    """Refuse the lines Git leaves when two changes of the same lines were merged (« <<<<<<< HEAD »)."""
    marker = _CONFLICT.search(text) if "<<<<<<<" in text or ">>>>>>>" in text else None
    if marker:
        raise LoadError(
            "marques de conflit Git (« <<<<<<< », « ======= », « >>>>>>> ») : deux versions de ce passage se "
            "sont rencontrées ; gardez la bonne version et supprimez les trois lignes de marques",
            *_position(text, marker.start()),
        )


def read_text(path: Path, limit: int = MAX_BYTES) -> str:
    """The text of a data or content file: a regular file of at most ``limit`` bytes, UTF-8, without Git
    conflict markers; LoadError (in French) otherwise."""
    raw, size = read_regular(path, limit)  # never more than the cap, whatever the file's size
    if len(raw) > limit:
        unit, scale = ("Mo", 1_000_000) if limit >= 1_000_000 else ("ko", 1_000)
        raise LoadError(
            f"fichier trop gros ({size / scale:.1f} {unit}, {limit // scale} {unit} au plus)".replace(".", ",")
            + " : un fichier de département fait quelques kilo-octets ; vérifiez que c'est le bon fichier, "
            "ou répartissez son contenu en plusieurs fichiers"
        )
    text = decode(raw)
    _no_conflict_markers(text)
    return text


def load_file(path: Path, display: str, report: Report, limits: Limits = HAND_WRITTEN) -> Document | None:
    """Read and parse one data file; record a located error and return None if it cannot be read."""
    try:
        return parse(read_text(path, limits.max_bytes), path, display, limits.max_nodes)
    except LoadError as exc:
        report.error(display, exc.line, exc.column, exc.message)
    return None
