"""JSON Schema of every data file, generated from the pydantic models of ``format/``.

Editors (VS Code with the YAML extension, through the ``# yaml-language-server: $schema=…`` first
line of each data file) use these schemas to complete keys, list allowed values with their French
labels and flag mistakes while typing. The build stays the final judge: a schema must never reject
a value that ``build.py check`` accepts, so value patterns here are supersets of the validators in
``format/values.py``, and each value type declares its own (``values.json_schema``).

``python build.py schema`` rewrites ``schema/*.schema.json``; a test fails when they are stale.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaValue

from .. import format as fmt
from ..diagnostics import Report
from ..format import values
from ..settings import Settings
from ..source.files import DataFolder
from ..source.validate import read_validated

DRAFT = "http://json-schema.org/draft-07/schema#"
"""Draft 7: the newest draft that VS Code's YAML extension (yaml-language-server) fully supports."""

def field_title(model: type[BaseModel], name: str) -> str:
    """French title of a field (``title=`` on the field in format/models.py)."""
    return model.model_fields[name].title or name


def describe(model: type[BaseModel], name: str) -> str | None:
    """French description of a field (``description=`` on the field in format/models.py)."""
    return model.model_fields[name].description


def model_words(model: type[BaseModel]) -> tuple[str, str]:
    """French title and description of a model (``model_config = french(…)`` in format/models.py)."""
    extra = model.model_config.get("json_schema_extra")
    description = extra.get("description") if isinstance(extra, dict) else None
    return str(model.model_config.get("title") or model.__name__), str(description or "")


# ---------------------------------------------------------------------------
# Post-processing: French titles, labels of closed lists, tidy nullables


@dataclass(frozen=True)
class DataCodes:
    """Values that depend on data/: the codes of data/types.yaml and data/besoins.yaml, the names of the départements."""

    types: list[fmt.TypeStructure]
    departements: dict[str, str]
    besoins: list[fmt.Besoin]

    @classmethod
    def load(cls, settings: Settings, report: Report) -> DataCodes | None:
        """Read data/besoins.yaml, data/types.yaml and data/territoires.yaml; None (with diagnostics) if they are broken."""
        files = DataFolder(settings.paths.data, settings.paths.display).discover()
        context = fmt.Context(today=settings.today)
        _, besoins = read_validated(files.besoins, report, context)
        _, types = read_validated(files.types, report, context)
        _, territoires = read_validated(files.territoires, report, context)
        if not (isinstance(types, fmt.FichierTypes) and isinstance(territoires, fmt.FichierTerritoires)
                and isinstance(besoins, fmt.FichierBesoins)):
            return None
        return cls(types=list(types.types), departements={d.code: d.nom for d in territoires.departements},
                   besoins=list(besoins.besoins))


def _with_labels(node: JsonSchemaValue, labels: list[str]) -> None:
    # enumDescriptions / markdownEnumDescriptions: shown by VS Code beside each completion
    node["enumDescriptions"] = labels
    node["markdownEnumDescriptions"] = labels


def _nullable(node: dict[str, Any]) -> dict[str, Any]:
    """``anyOf [X, null]`` → ``type: [X, "null"]`` (with a « (vide) » label when X is a closed list)."""
    options = node.get("anyOf")
    if not (isinstance(options, list) and len(options) == 2 and {"type": "null"} in options):
        return node
    other = next(option for option in options if option != {"type": "null"})
    if not isinstance(other.get("type"), str) or "$ref" in other:
        return node
    node.pop("anyOf")
    node = {**other, **node, "type": [other["type"], "null"]}
    if "enum" in node:
        node["enum"] = [*node["enum"], None]
        for key in ("enumDescriptions", "markdownEnumDescriptions"):
            if key in node:
                node[key] = [*node[key], "(vide)"]
    return node


def _tidy(node: Any, codes: DataCodes) -> Any:
    """Recursively: collapse ``anyOf [X, null]`` into ``type: [X, "null"]``, name the départements of a
    département code, drop ``default: null``."""
    if isinstance(node, list):
        return [_tidy(item, codes) for item in node]
    if not isinstance(node, dict):
        return node
    node = _nullable({key: _tidy(value, codes) for key, value in node.items()})
    if "default" in node and node["default"] is None:
        node.pop("default")
    if node.get("format") == "date":  # the editor would say « String is not a RFC3339 date »
        node["errorMessage"] = "date au format année-mois-jour, par exemple 2025-03-14"
    enum = [v for v in node.get("enum", []) if v is not None]
    if "enumDescriptions" not in node and enum and set(enum) == set(values.DEPARTEMENT_CODES):
        _with_labels(node, [codes.departements.get(k, k) for k in enum] + (["(vide)"] if None in node["enum"] else []))
    return node


def _field_words(schema: JsonSchemaValue, root: type[BaseModel]) -> None:
    """Every field's French title and description, as written on the field. pydantic leaves them out beside a
    ``$ref`` when they repeat the referenced model's own: editors show the field's, so they are put back."""
    definitions = schema.get("$defs", {})
    for model in fmt.reachable_models(root):
        node = schema if model is root else definitions[model.__name__]
        for name, info in model.model_fields.items():
            prop = node["properties"][name]
            prop["title"] = field_title(model, name)
            if info.description:
                prop["description"] = info.description


def _enumerate(node: JsonSchemaValue, codes: list[str], labels: list[str]) -> None:
    node.pop("pattern", None)
    node["enum"] = codes
    _with_labels(node, labels)


def _type_codes(schema: JsonSchemaValue, codes: DataCodes) -> None:
    """A structure's type, a type's needs, a group of words' types and needs are codes of data/types.yaml and
    data/besoins.yaml: list them, with what each one is."""
    definitions = schema.get("$defs", {})
    type_codes = [t.code for t in codes.types]
    type_labels = [f"{t.libelle}{f' ({t.sigle})' if t.sigle else ''} : {t.explication}" for t in codes.types]
    besoin_codes = [b.code for b in codes.besoins]
    besoin_labels = [f"{b.libelle} : {b.explication}" for b in codes.besoins]
    for name in ("Structure", "TypeStructure", "GroupeDeMots"):
        node = definitions.get(name) or (schema if schema.get("title") == name else None)
        if node is None:
            continue
        props = node["properties"]
        if name == "Structure":
            _enumerate(props["type"], type_codes, type_labels)
            props["type"]["errorMessage"] = "type inconnu : un code de la liste des types (Ctrl+Espace), par exemple « pcpe »"
        if name == "GroupeDeMots":
            _enumerate(props["types"]["items"], type_codes, type_labels)
        besoins = props["besoins"]
        items = besoins.get("items") or next((o["items"] for o in besoins.get("anyOf", []) if "items" in o), None)
        if items is not None:
            _enumerate(items, besoin_codes, besoin_labels)


def _draft7(node: Any) -> Any:
    """Draft 7 ignores the keywords beside a ``$ref``: move the reference into ``allOf`` so that the
    French title and description stay visible in editors."""
    if isinstance(node, list):
        return [_draft7(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _draft7(value) for key, value in node.items()}
    if "$ref" in node and len(node) > 1:
        reference = node.pop("$ref")
        node = {"allOf": [{"$ref": reference}], **node}
    return node


def generate(kind: str, codes: DataCodes) -> JsonSchemaValue:
    """The JSON Schema of one kind of data file (a key of format.FILE_MODELS)."""
    root = fmt.FILE_MODELS[kind]
    schema = root.model_json_schema(mode="validation", ref_template="#/definitions/{model}")
    _field_words(schema, root)
    _type_codes(schema, codes)
    schema = _draft7(_tidy(schema, codes))
    if "$defs" in schema:
        schema["definitions"] = schema.pop("$defs")
    ordered = {"$schema": DRAFT, "title": schema.pop("title"), "description": schema.pop("description")}
    return {**ordered, **schema}


def render(schema: JsonSchemaValue) -> str:
    """Stable text of a schema file."""
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def schema_files(codes: DataCodes) -> dict[str, str]:
    """File name → text, for every kind of data file."""
    return {f"{kind}.schema.json": render(generate(kind, codes)) for kind in fmt.FILE_MODELS}


# ---------------------------------------------------------------------------
# The first line of data files, which tells editors where the schema is

MODELINE = "# yaml-language-server: $schema="


def modeline(path: Path, kind: str, schema_dir: Path) -> str:
    """The ``# yaml-language-server: $schema=…`` line of a data file (relative path, so it works offline)."""
    relative = os.path.relpath(schema_dir / f"{kind}.schema.json", path.parent)
    return f"{MODELINE}{Path(relative).as_posix()}"


def fix_modelines(settings: Settings, *, write: bool) -> list[Path]:
    """Data files whose first line is not the right schema line; add or correct it when ``write``."""
    changed: list[Path] = []
    for file in DataFolder(settings.paths.data, settings.paths.display).discover().all():
        if not file.path.exists():
            continue
        text = file.path.read_text(encoding="utf-8")
        first, _, rest = text.partition("\n")
        expected = modeline(file.path, file.kind, settings.paths.schema)
        if first == expected:
            continue
        changed.append(file.path)
        if write:
            body = rest if first.startswith(MODELINE) else text
            file.path.write_text(f"{expected}\n{body}", encoding="utf-8")
    return changed


def update(settings: Settings, report: Report, *, write: bool) -> list[Path] | None:
    """Regenerate the schema files (and the schema line of data files) when ``write``; return the stale
    files, or None (with diagnostics) when data/types.yaml or data/territoires.yaml is broken."""
    codes = DataCodes.load(settings, report)
    if codes is None:
        return None
    stale: list[Path] = []
    schema_dir = settings.paths.schema
    for name, text in schema_files(codes).items():
        path = schema_dir / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            stale.append(path)
            if write:
                schema_dir.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
    stale += fix_modelines(settings, write=write)
    return stale
