"""Stage 2, validate: turn parsed documents into pydantic records, and check what spans several files.

Every problem becomes a located French diagnostic; nothing here raises on bad data.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core.core_schema import ErrorType

from . import format as fmt
from .diagnostics import Report, closest, suggest
from .load import Document, Path_, load_file

STALE_AFTER_DAYS = 365
"""A verification older than this is flagged: contact details change."""


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
    """The allowed values of a Literal field at ``loc`` (through lists)."""
    owner_loc = loc[:-1] if loc and isinstance(loc[-1], int) else loc
    if not owner_loc or not isinstance(owner_loc[-1], str):
        return []
    owner = model_at(root, owner_loc[:-1])
    if owner is None or owner_loc[-1] not in owner.model_fields:
        return []
    annotation = _unwrap(owner.model_fields[owner_loc[-1]].annotation)
    if get_origin(annotation) is list:
        annotation = _unwrap(get_args(annotation)[0])
    if get_origin(annotation) is Literal:
        return [str(a) for a in get_args(annotation)]
    return []


def _nested_hint(word: str, root: type[BaseModel], owner_loc: Path_) -> str:
    """When a key belongs one level down (telephone → contacts), say where it goes."""
    owner = model_at(root, owner_loc)
    if owner is None:
        return ""
    for name in owner.model_fields:
        child = model_at(root, (*owner_loc, name, 0)) or model_at(root, (*owner_loc, name))
        match = closest(word, child.model_fields, cutoff=0.8) if child is not None else None
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
    text = str(value)
    return f"« {text[:60]}{'…' if len(text) > 60 else ''} »"


_model_field_names = frozenset(
    name for model in vars(fmt).values() if isinstance(model, type) and issubclass(model, BaseModel)
    for name in model.model_fields
)
"""Every field name of the format: a missing one still belongs in an error's location."""

_PYDANTIC_ERRORS = frozenset(get_args(ErrorType))
"""pydantic's own error types; any other type is one of ours, whose message is already French."""


def _data_path(loc: tuple[Any, ...], data: Any) -> Path_:
    """The part of a pydantic error location that exists in the data: drops pydantic's own segments
    ("function-after[…]", union members), whatever the contributor named their keys."""
    path: list[str | int] = []
    current = data
    for part in loc:
        if isinstance(current, dict) and isinstance(part, str) and part in current:
            current = current[part]
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            current = current[part]
        elif isinstance(current, dict) and isinstance(part, str) and part in _model_field_names:
            current = None  # a missing field: kept, it names what to add
        else:
            continue
        path.append(part)
    return tuple(path)


def translate(error: dict[str, Any], root: type[BaseModel], doc: Document) -> tuple[Path_, str, bool]:
    """French message for one pydantic error; returns (location, message, located on the key)."""
    kind: str = error["type"]
    loc = _data_path(error["loc"], doc.data)
    value = error.get("input")
    name = _loc_name(loc)
    scalar = doc.scalars.get(loc)

    if kind == "extra_forbidden":
        owner = model_at(root, loc[:-1])
        allowed = sorted(owner.model_fields) if owner else []
        match = closest(str(loc[-1]), allowed)
        nested = _nested_hint(str(loc[-1]), root, loc[:-1])
        if match:
            hint = f"vouliez-vous dire « {match} » ?"
        elif nested:
            hint = nested
        elif allowed:
            hint = f"corrigez-le ou supprimez-le ; champs possibles ici : {', '.join(allowed)}"
        else:
            hint = "supprimez-le"
        return loc, f"champ « {loc[-1]} » inconnu : {hint}", True
    if kind == "missing":
        description = field_description(root, loc)
        help_ = f" ({description})" if description else ""
        return loc[:-1], f"champ obligatoire « {name} » manquant : ajoutez-le{help_}", True
    if kind in ("string_type", "str_type"):
        if scalar is not None and scalar.plain and isinstance(value, (int, float, bool)):
            lost = " (sans guillemets, le zéro du début serait perdu)" if scalar.text.startswith("0") else ""
            return loc, (
                f"« {scalar.text} » est lu comme un nombre ou un booléen : écrivez-le entre guillemets, "
                f"{name}: \"{scalar.text}\"{lost}"
            ), False
        return loc, f"{name} : du texte est attendu ici, pas {_shown(value)}", False
    if kind == "literal_error":
        choices = literal_choices(root, loc)
        hint = suggest(str(value), choices)
        return loc, f"valeur {_shown(value)} non reconnue pour {name} : choisissez parmi {', '.join(choices)}{hint}", False
    if kind in ("bool_type", "bool_parsing"):
        return loc, f"{name} : écrivez true (oui) ou false (non), pas {_shown(value)}", False
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return loc, f"{name} : un nombre entier est attendu (par exemple 16), pas {_shown(value)}", False
    if kind in ("float_type", "float_parsing"):
        return loc, f"{name} : un nombre est attendu (par exemple 75 ou 75.5), pas {_shown(value)}", False
    if kind in ("greater_than_equal", "greater_than"):
        ctx = error.get("ctx", {})
        return loc, f"{name} : {_shown(value)} est trop petit : écrivez au moins {ctx.get('ge', ctx.get('gt'))}", False
    if kind in ("less_than_equal", "less_than"):
        ctx = error.get("ctx", {})
        return loc, f"{name} : {_shown(value)} est trop grand : écrivez au plus {ctx.get('le', ctx.get('lt'))}", False
    if kind in ("date_type", "date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact"):
        return loc, f"{name} : date {_shown(value)} invalide ; écrivez-la au format AAAA-MM-JJ, par exemple 2025-03-14", False
    if kind == "list_type":
        return loc, f"{name} : une liste est attendue ici ; écrivez chaque élément sur sa ligne, après « - »", False
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return loc, f"{name} : un bloc de champs est attendu ici (lignes « champ: valeur » indentées), pas {_shown(value)}", False
    if kind == "too_short":
        n = error.get("ctx", {}).get("min_length", 1)
        return loc, f"{name} : il faut au moins {n} élément{'s' if n > 1 else ''} ; ajoutez-en", False
    if kind == "too_long":
        n = error.get("ctx", {}).get("max_length")
        return loc, f"{name} : {n} éléments au plus ; retirez les moins utiles", False
    if kind == "string_too_long":
        n = error.get("ctx", {}).get("max_length")
        return loc, f"{name} : texte trop long ({n} caractères au plus) ; raccourcissez", False
    if kind == "string_pattern_mismatch":
        description = field_description(root, loc)
        return loc, f"{name} : valeur {_shown(value)} de forme inattendue" + (f" ; attendu : {description}" if description else ""), False
    if kind in ("value_error", "assertion_error"):
        return loc, f"{name} : {error['msg']}", False
    if kind == "adresse_incomplete":
        return (*loc, "adresse"), error["msg"], True  # point at the address the contributor wrote
    if kind not in _PYDANTIC_ERRORS:
        return loc, error["msg"], False  # our own PydanticCustomError messages are already French
    description = field_description(root, loc)
    help_ = f" ; attendu : {description}" if description else " ; voyez le guide « Contribuer »"
    return loc, f"{name} : valeur {_shown(value)} refusée{help_} (détail technique : {error['msg']})", False


def validate_document(
    doc: Document, model: type[fmt.Modele], report: Report, context: dict[str, Any] | None = None
) -> fmt.Modele | None:
    """Validate one document against its model; record every error, located, and return the record or None.

    ``context`` carries the vocabularies kept as data (``{"types": [...]}``).
    """
    try:
        return model.model_validate(doc.data, context=context)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            loc, message, on_key = translate(error, model, doc)
            line, column = doc.locate(loc, key=on_key)
            report.error(doc.display, line, column, message)
        return None


Loader = Callable[[Path, str, Report], "Document | None"]


def read_validated(
    path: Path, display: str, model: type[fmt.Modele], report: Report, context: dict[str, Any] | None = None,
    *, loader: Loader = load_file,
) -> tuple[Document | None, fmt.Modele | None]:
    """Read one data file and validate it: its document and record, None where it failed (with diagnostics).

    ``loader`` reads the file (``load.load_file``); the preview server passes a caching one."""
    document = loader(path, display, report)
    if document is None:
        return None, None
    return document, validate_document(document, model, report, context)


# ---------------------------------------------------------------------------
# Cross-file checks


@dataclass
class Dataset:
    """Validated records with the documents they came from (for locating cross-file errors)."""

    site: fmt.FichierSite
    national: fmt.FichierNational
    types: fmt.FichierTypes
    territoires: fmt.FichierTerritoires
    departements: list[tuple[Document, fmt.FichierDepartement]] = field(default_factory=list)
    ressources: list[tuple[Document, fmt.FichierRessources]] = field(default_factory=list)
    national_doc: Document | None = None


def _structures(dataset: Dataset) -> list[tuple[Document, Path_, fmt.Structure]]:
    found: list[tuple[Document, Path_, fmt.Structure]] = []
    if dataset.national_doc is not None:
        found += [(dataset.national_doc, ("ressources_nationales", i), s) for i, s in enumerate(dataset.national.ressources_nationales)]
    for doc, record in dataset.departements:
        found += [(doc, ("structures", i), s) for i, s in enumerate(record.structures)]
    for doc, record in dataset.ressources:
        found += [(doc, ("ressources", i), s) for i, s in enumerate(record.ressources)]
    return found


def check_dataset(dataset: Dataset, report: Report, *, expected_files: bool = True) -> None:
    """Checks that span files: file names, unique ids, known types, freshness."""
    by_code = {d.code: d for d in dataset.territoires.departements}
    region_codes = {r.code for r in dataset.territoires.regions}
    for departement in dataset.territoires.departements:
        if departement.region not in region_codes:
            report.error(
                "data/territoires.yaml", 1, 1,
                f"région « {departement.region} » inconnue pour {departement.nom} : utilisez le code INSEE d'une "
                "région de la liste regions de ce fichier",
            )

    seen_codes: dict[str, str] = {}
    for doc, record in dataset.departements:
        expected = by_code[record.code]
        stem = doc.path.stem
        good_name = f"{record.code}-{expected.slug}"
        line, column = doc.locate(("code",))
        if stem != good_name:
            report.error(
                doc.display, line, column,
                f"le fichier s'appelle « {doc.path.name} » mais décrit le département {record.code} ({expected.nom}) : "
                f"renommez-le « {good_name}.yaml » ou corrigez le code",
            )
        if record.nom != expected.nom:
            line, column = doc.locate(("nom",))
            report.error(doc.display, line, column, f"nom « {record.nom} » différent du nom officiel « {expected.nom} » : écrivez « {expected.nom} »")
        if record.code in seen_codes:
            line, column = doc.locate(("code",))
            report.error(
                doc.display, line, column,
                f"le département {record.code} est déjà décrit dans {seen_codes[record.code]} : un seul fichier par "
                "département ; corrigez le code de l'un des deux",
            )
        seen_codes[record.code] = doc.display
    if expected_files:
        for code, departement in by_code.items():
            if code not in seen_codes:
                report.error(
                    f"data/departements/{code}-{departement.slug}.yaml", 1, 1,
                    f"fichier manquant pour le département {code} ({departement.nom}) : créez-le avec au moins "
                    f"code: \"{code}\" et nom: {departement.nom}",
                )

    ids: dict[str, str] = {}
    limit = fmt.today() - dt.timedelta(days=STALE_AFTER_DAYS)
    structures = _structures(dataset)
    for doc, where, structure in structures:
        line, column = doc.locate((*where, "id"))
        if structure.id in ids:
            report.error(doc.display, line, column, f"identifiant « {structure.id} » déjà utilisé ({ids[structure.id]}) : choisissez-en un autre")
        else:
            ids[structure.id] = f"{doc.display}:{line}"
        if structure.verifie_le is not None and structure.verifie_le < limit:
            line, column = doc.locate((*where, "verifie_le"))
            report.warning(
                doc.display, line, column,
                f"« {structure.nom} » a été vérifié il y a plus d'un an ({structure.verifie_le}) : "
                "revérifiez ses coordonnées puis mettez la date du jour",
            )
    for doc, where, structure in structures:
        seen_links: set[str] = set()
        for i, target in enumerate(structure.voir_aussi):
            line, column = doc.locate((*where, "voir_aussi", i))
            if target == structure.id:
                report.error(doc.display, line, column, f"« {target} » renvoie vers sa propre fiche : retirez-le de voir_aussi")
            elif target not in ids:
                report.error(
                    doc.display, line, column,
                    f"voir_aussi : aucune structure n'a l'identifiant « {target} »{suggest(target, sorted(ids))} "
                    "(recopiez le champ id de la structure voulue, ou retirez la ligne)",
                )
            elif target in seen_links:
                report.error(doc.display, line, column, f"voir_aussi : « {target} » est écrit deux fois : gardez-en un seul")
            seen_links.add(target)
    for doc, record in dataset.departements:
        communaute = record.communaute
        if communaute is not None and communaute.verifie_le is not None and communaute.verifie_le < limit:
            line, column = doc.locate(("communaute", "verifie_le"))
            report.warning(doc.display, line, column, f"la communauté a été vérifiée il y a plus d'un an ({communaute.verifie_le}) : revérifiez-la")
