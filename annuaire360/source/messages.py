"""French messages for pydantic's validation errors, located on the contributor's line.

``translate`` looks each error up in ``MESSAGES``, a table keyed by pydantic's error type; our own
``PydanticCustomError`` types already carry a French message. The models are walked along the error's
location to name the field, list allowed values and say where a misplaced key belongs.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any, get_args, get_origin

from pydantic import BaseModel
from pydantic_core import ErrorDetails
from pydantic_core.core_schema import ErrorType

from .. import format as fmt
from ..diagnostics import closest, first_oddity, invisible_hint, quoted, suggest
from ..format import nested_models, reachable_models, vocabulary_codes
from .load import Document, Path_

# ---------------------------------------------------------------------------
# Walking the models along an error location


def _unwrap(annotation: Any) -> Any:
    """Strip Optional/Annotated/list layers down to a model class, when there is one."""
    while True:
        origin = get_origin(annotation)
        if origin is typing.Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in get_args(annotation) if a is not type(None)]
            annotation = args[0] if len(args) == 1 else annotation
            if len(args) != 1:
                return annotation
        else:
            return annotation


def model_at(root: type[BaseModel], loc: Path_) -> type[BaseModel] | None:
    """The model class that owns the mapping at ``loc`` (None if it is not a model)."""
    current: Any = root
    for part in loc:
        current = _unwrap(current)
        if isinstance(part, int):
            if get_origin(current) is list:
                current = get_args(current)[0]
                continue
            return None
        if not (isinstance(current, type) and issubclass(current, BaseModel)) or part not in current.model_fields:
            return None
        current = current.model_fields[part].annotation
    current = _unwrap(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def field_description(root: type[BaseModel], loc: Path_) -> str | None:
    """The French description of the field at ``loc``, used to tell how to fill a missing field."""
    if not loc or not isinstance(loc[-1], str):
        return None
    owner = model_at(root, loc[:-1])
    if owner is None or loc[-1] not in owner.model_fields:
        return None
    return owner.model_fields[loc[-1]].description


def literal_choices(root: type[BaseModel], loc: Path_) -> list[str]:
    """The allowed values of a closed-list field at ``loc`` (through lists)."""
    owner_loc = loc[:-1] if loc and isinstance(loc[-1], int) else loc
    if not owner_loc or not isinstance(owner_loc[-1], str):
        return []
    owner = model_at(root, owner_loc[:-1])
    if owner is None or owner_loc[-1] not in owner.model_fields:
        return []
    return vocabulary_codes(owner.model_fields[owner_loc[-1]])


def _nested_hint(word: str, root: type[BaseModel], owner_loc: Path_) -> str:
    """When a key belongs one level down (telephone → contacts), say where it goes."""
    owner = model_at(root, owner_loc)
    return "" if owner is None else _nested_hint_in(word, owner)


@cache
def _nested_hint_in(word: str, owner: type[BaseModel]) -> str:
    """The same, for a block of model ``owner``; cached: the same mistake is often made in every structure."""
    for name, info in owner.model_fields.items():
        children = nested_models(info.annotation)
        match = closest(word, children[0].model_fields, cutoff=0.8) if children else None
        if match:
            return f"« {match} » se met dans le bloc « {name} » (voir le guide « Contribuer »)"
    return ""


# ---------------------------------------------------------------------------
# French messages for pydantic errors


def _loc_name(loc: Path_) -> str:
    names = [p for p in loc if isinstance(p, str)]
    return names[-1] if names else "fichier"


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return "un bloc"
    if isinstance(value, list):
        return "une liste"
    if value is None:
        return "une valeur vide"
    return quoted(value)


def _field_names(root: type[BaseModel]) -> frozenset[str]:
    """Every field name of a file model and the models inside it: a missing one still belongs in a location."""
    return frozenset(name for model in reachable_models(root) for name in model.model_fields)

_PYDANTIC_ERRORS = frozenset(get_args(ErrorType))
"""pydantic's own error types; any other type is one of ours, whose message is already French."""


def _data_path(loc: tuple[Any, ...], data: Any, field_names: frozenset[str]) -> Path_:
    """The part of a pydantic error location that exists in the data: drops pydantic's own segments
    ("function-after[…]", union members), whatever the contributor named their keys."""
    path: list[str | int] = []
    current = data
    for part in loc:
        present = (isinstance(current, dict) and isinstance(part, str) and part in current) or (
            isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current)
        )
        if present:
            current = current[part]
        elif isinstance(current, dict) and isinstance(part, str) and part in field_names:
            current = None  # a missing field: kept, it names what to add
        else:
            continue
        path.append(part)
    return tuple(path)



@dataclass(frozen=True)
class Error:
    """One pydantic error, seen from the data file: where it is, the value, the field's name."""

    raw: dict[str, Any]
    root: type[BaseModel]
    doc: Document
    loc: Path_

    @property
    def value(self) -> Any:
        return self.raw.get("input")

    @property
    def name(self) -> str:
        return _loc_name(self.loc)

    @property
    def ctx(self) -> dict[str, Any]:
        return self.raw.get("ctx") or {}

    @property
    def shown(self) -> str:
        """The value as the contributor wrote it (« .inf », not « inf »), quoted."""
        scalar = self.doc.scalars.get(self.loc)
        if scalar is not None and scalar.plain and not isinstance(self.value, (dict, list)):
            return quoted(scalar.text)
        return _shown(self.value)

    def expected(self, otherwise: str = "") -> str:
        """« ; attendu : <the field's description> », or ``otherwise``."""
        description = field_description(self.root, self.loc)
        return f" ; attendu : {description}" if description else otherwise


Message = tuple[Path_, str, bool]
"""Where to put the message, the message, and whether it points at the key (else at the value)."""


MOVED = {
    "role": "le rôle d'une structure se déclare maintenant dans le bloc communaute du département, liste membres : "
            "« - id: <identifiant de la structure> » puis « role: membre-coeur » (voir le guide, « Décrire votre "
            "communauté et ses membres ») ; supprimez cette ligne",
}
"""Fields that moved elsewhere in the format: what to write instead."""


def _unknown_field(e: Error) -> Message:
    if e.loc[-1] in MOVED and model_at(e.root, e.loc[:-1]) is fmt.Structure:
        return e.loc, f"champ « {e.loc[-1]} » : {MOVED[str(e.loc[-1])]}", True
    owner = model_at(e.root, e.loc[:-1])
    allowed = sorted(owner.model_fields) if owner else []
    key = str(e.loc[-1])
    match = closest(key, allowed)
    nested = _nested_hint(key, e.root, e.loc[:-1])
    if first_oddity(key) is not None:  # « specialite » followed by a no-break space: say which character
        hint = invisible_hint(key, own=True) + (f" (le champ s'écrit {quoted(match)})" if match else "")
    elif match:
        hint = f"vouliez-vous dire « {match} » ?"
    elif nested:
        hint = nested
    elif allowed:
        hint = f"corrigez-le ou supprimez-le ; champs possibles ici : {', '.join(allowed)}"
    else:
        hint = "supprimez-le"
    return e.loc, f"champ {quoted(key)} inconnu : {hint}", True


def _missing(e: Error) -> Message:
    description = field_description(e.root, e.loc)
    help_ = f" ({description})" if description else ""
    return e.loc[:-1], f"champ obligatoire « {e.name} » manquant : ajoutez-le{help_}", True


def _not_text(e: Error) -> Message:
    scalar = e.doc.scalars.get(e.loc)
    if scalar is not None and scalar.plain and isinstance(e.value, (int, float, bool)):
        lost = " (sans guillemets, le zéro du début serait perdu)" if scalar.text.startswith("0") else ""
        return e.loc, (
            f"{quoted(scalar.text)} est lu comme un nombre ou un booléen : écrivez-le entre guillemets, "
            f"{e.name}: \"{scalar.text[:60]}\"{lost}"
        ), False
    return e.loc, f"{e.name} : du texte est attendu ici, pas {_shown(e.value)}", False


def _not_in_list(e: Error) -> Message:
    choices = literal_choices(e.root, e.loc)
    hint = suggest(str(e.value), choices)
    return e.loc, f"valeur {_shown(e.value)} non reconnue pour {e.name} : choisissez parmi {', '.join(choices)}{hint}", False


def _too_small(e: Error) -> Message:
    return e.loc, f"{e.name} : {_shown(e.value)} est trop petit : écrivez au moins {e.ctx.get('ge', e.ctx.get('gt'))}", False


def _too_big(e: Error) -> Message:
    return e.loc, f"{e.name} : {_shown(e.value)} est trop grand : écrivez au plus {e.ctx.get('le', e.ctx.get('lt'))}", False


def _too_few(e: Error) -> Message:
    n = e.ctx.get("min_length", 1)
    return e.loc, f"{e.name} : il faut au moins {n} élément{'s' if n > 1 else ''} ; ajoutez-en", False


def _fixed(template: str) -> Callable[[Error], Message]:
    """A message that only names the field ({name}), the value ({value}) or a context entry ({max_length})."""

    def message(e: Error) -> Message:
        return e.loc, template.format(name=e.name, value=e.shown, **e.ctx), False

    return message


def _pattern(e: Error) -> Message:
    return e.loc, f"{e.name} : valeur {_shown(e.value)} de forme inattendue" + e.expected(), False


def _pydantic_message(e: Error) -> Message:
    return e.loc, f"{e.name} : {e.raw['msg']}", False


def _incomplete_address(e: Error) -> Message:
    return (*e.loc, "adresse"), e.raw["msg"], True  # point at the address the contributor wrote


_DATE = _fixed("{name} : date {value} invalide ; écrivez-la au format AAAA-MM-JJ, par exemple 2025-03-14")
_INT = _fixed("{name} : un nombre entier est attendu (par exemple 16), pas {value}")
_FLOAT = _fixed("{name} : un nombre est attendu (par exemple 75 ou 75.5), pas {value}")
_BOOL = _fixed("{name} : écrivez true (oui) ou false (non), pas {value}")
_BLOCK = _fixed("{name} : un bloc de champs est attendu ici (lignes « champ: valeur » indentées), pas {value}")

MESSAGES: dict[str, Callable[[Error], Message]] = {
    "extra_forbidden": _unknown_field,
    "missing": _missing,
    "string_type": _not_text,
    "str_type": _not_text,
    "literal_error": _not_in_list,
    "bool_type": _BOOL,
    "bool_parsing": _BOOL,
    "int_type": _INT,
    "int_parsing": _INT,
    "int_from_float": _INT,
    "float_type": _FLOAT,
    "float_parsing": _FLOAT,
    "finite_number": _fixed("{name} : un nombre fini est attendu (par exemple 16), pas {value}"),
    "greater_than_equal": _too_small,
    "greater_than": _too_small,
    "less_than_equal": _too_big,
    "less_than": _too_big,
    "date_type": _DATE,
    "date_parsing": _DATE,
    "date_from_datetime_parsing": _DATE,
    "date_from_datetime_inexact": _DATE,
    "list_type": _fixed("{name} : une liste est attendue ici ; écrivez chaque élément sur sa ligne, après « - »"),
    "model_type": _BLOCK,
    "model_attributes_type": _BLOCK,
    "dict_type": _BLOCK,
    "too_short": _too_few,
    "too_long": _fixed("{name} : {max_length} éléments au plus ; retirez les moins utiles"),
    "string_too_long": _fixed("{name} : texte trop long ({max_length} caractères au plus) ; raccourcissez"),
    "string_pattern_mismatch": _pattern,
    "value_error": _pydantic_message,
    "assertion_error": _pydantic_message,
    "adresse_incomplete": _incomplete_address,
}
"""French message of each error type; a type missing here gets a generic message (pydantic's) or, for our own
custom types, their message as written (already French)."""

_PYDANTIC_ERRORS = frozenset(get_args(ErrorType))
"""pydantic's own error types; any other type is one of ours, whose message is already French."""


def _other(e: Error) -> Message:
    if e.raw["type"] not in _PYDANTIC_ERRORS:
        return e.loc, e.raw["msg"], False  # our own PydanticCustomError messages are already French
    help_ = e.expected(" ; voyez le guide « Contribuer »")
    return e.loc, f"{e.name} : valeur {_shown(e.value)} refusée{help_} (détail technique : {e.raw['msg']})", False


@cache
def _names_of(root: type[BaseModel]) -> frozenset[str]:
    return _field_names(root)


def translate(error: ErrorDetails, root: type[BaseModel], doc: Document) -> Message:
    """French message for one pydantic error; returns (location, message, located on the key)."""
    e = Error(dict(error), root, doc, _data_path(error["loc"], doc.data, _names_of(root)))
    return MESSAGES.get(error["type"], _other)(e)
