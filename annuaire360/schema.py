"""JSON Schema of every data file, generated from the pydantic models of ``format.py``.

Editors (VS Code with the YAML extension, through the ``# yaml-language-server: $schema=…`` first
line of each data file) use these schemas to complete keys, list allowed values with their French
labels and flag mistakes while typing. The build stays the final judge: a schema must never reject
a value that ``build.py check`` accepts, so value patterns here are supersets of the validators in
``values.py``.

``python build.py schema`` rewrites ``schema/*.schema.json``; a test fails when they are stale.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, get_args

from pydantic import AfterValidator, BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from . import format as fmt
from . import values
from .diagnostics import Report
from .load import discover
from .validate import read_validated

SCHEMA_DIR = "schema"
DRAFT = "http://json-schema.org/draft-07/schema#"
"""Draft 7: the newest draft that VS Code's YAML extension (yaml-language-server) fully supports."""

# ---------------------------------------------------------------------------
# French words for what format.py leaves to code: model titles, field titles, missing descriptions

MODELS: dict[str, tuple[str, str]] = {
    "FichierDepartement": ("Fichier d'un département",
                           "La communauté 360 d'un département et les structures du département "
                           "(data/departements/<code>-<nom>.yaml)."),
    "FichierRessources": ("Fichier de ressources",
                          "Des ressources qui couvrent plusieurs départements, écrites une seule fois "
                          "(data/ressources/<nom>.yaml)."),
    "FichierNational": ("Fichier national", "Le numéro national et les ressources nationales (data/national.yaml)."),
    "FichierTypes": ("Types de structures", "La liste fermée des types de structures (data/types.yaml)."),
    "FichierTerritoires": ("Régions et départements",
                           "Les régions et départements du Code officiel géographique (data/territoires.yaml)."),
    "FichierSite": ("Réglages du site", "Adresse du site, dépôt, licence, accessibilité (data/site.yaml)."),
    "Communaute360": ("Communauté 360", "La communauté 360 du département : qui la porte, comment la joindre."),
    "Structure": ("Structure", "Un service ou un organisme qui aide : membre d'une communauté 360 ou ressource."),
    "PointDeContact": ("Point de contact",
                       "Un moyen de joindre le service (téléphone, SMS, courriel, formulaire), avec ses horaires."),
    "Public": ("Public", "À qui s'adresse le service."),
    "Territoire": ("Territoire", "Où le service est disponible : départements, communes ou intercommunalités."),
    "Organisation": ("Organisation", "Une organisation : porteur d'une communauté, gestionnaire d'une structure."),
    "Source": ("Source", "Une page publique où les informations ont été lues."),
    "NumeroNational": ("Numéro national", "Le numéro national, affiché sur toutes les pages."),
    "TypeStructure": ("Type de structure", "Un type de structure de la liste fermée."),
    "Region": ("Région", "Une région (code INSEE)."),
    "Departement": ("Département", "Un département (code INSEE)."),
    "Accessibilite": ("Accessibilité", "L'état d'accessibilité du site, affiché dans le pied de page."),
}
"""French title and description of every model (their docstrings are for developers, in English)."""

FIELD_TITLES: dict[str, str] = {
    "acces": "Accès",
    "accessibilite": "Accessibilité",
    "age_max": "Âge maximum",
    "age_min": "Âge minimum",
    "code_insee": "Code INSEE",
    "code_postal": "Code postal",
    "code_ror": "Code ROR",
    "collectivite": "Collectivité",
    "communaute": "Communauté 360",
    "complement_adresse": "Complément d'adresse",
    "consulte_le": "Consulté le",
    "date_audit": "Date de l'audit",
    "depot": "Dépôt",
    "departements": "Départements",
    "editeur": "Éditeur",
    "epci": "Intercommunalités (EPCI)",
    "etat": "État",
    "finess": "FINESS",
    "horaires_accueil": "Horaires de l'accueil",
    "id": "Identifiant",
    "libelle": "Libellé",
    "libelle_pluriel": "Libellé au pluriel",
    "licence_donnees": "Licence des données",
    "licence_donnees_url": "Adresse de la licence",
    "notification_mdph": "Notification de la MDPH",
    "numero_national": "Numéro national",
    "precisions": "Précisions",
    "presentation": "Présentation",
    "publie_le": "Publié le",
    "region": "Région",
    "regions": "Régions",
    "ressources_nationales": "Ressources nationales",
    "role": "Rôle",
    "signalement_courriel": "Courriel de signalement",
    "siret": "SIRET",
    "sms": "SMS",
    "site_web": "Site web",
    "specialite": "Spécialité",
    "telephone": "Téléphone",
    "url": "Adresse (URL)",
    "verifie_le": "Vérifié le",
    "zone_eligibilite": "Territoire couvert",
}
"""French titles of fields whose name alone would lose an accent or a capital."""

DESCRIPTIONS: dict[tuple[str, str], str] = {
    ("FichierNational", "numero_national"): "Le numéro national : son nom, le numéro, ce que l'on obtient en appelant.",
    ("FichierNational", "ressources_nationales"): "Ressources qui aident partout en France (lignes d'écoute…).",
    ("FichierTypes", "types"): "Les types de structures, dans l'ordre des groupes des pages de département.",
    ("FichierTerritoires", "source"): "Page de l'INSEE d'où vient la liste.",
    ("FichierTerritoires", "regions"): "Les régions.",
    ("FichierTerritoires", "departements"): "Les 101 départements.",
    ("Region", "nom"): "Nom officiel de la région.",
    ("Region", "slug"): "Nom de la région dans les adresses du site (minuscules, sans accent, avec des tirets).",
    ("Departement", "code"): "Code officiel du département, entre guillemets : \"01\", \"2A\", \"974\".",
    ("Departement", "nom"): "Nom officiel du département.",
    ("Departement", "slug"): "Nom du département dans les adresses du site et les noms de fichiers.",
    ("Accessibilite", "etat"): "État de conformité au RGAA : totalement conforme, partiellement conforme ou non conforme.",
    ("Accessibilite", "date_audit"): "Date de l'audit d'accessibilité, au format AAAA-MM-JJ.",
    ("FichierSite", "accessibilite"): "État d'accessibilité du site (RGAA), affiché dans le pied de page.",
    ("FichierSite", "titre"): "Nom du site, affiché en haut de chaque page.",
    ("FichierSite", "licence_donnees"): "Licence des données publiées (« Licence Ouverte 2.0 (Etalab) »).",
    ("FichierSite", "licence_donnees_url"): "Adresse du texte de la licence (https://…).",
}
"""French descriptions of fields that format.py leaves undescribed (files kept by the project team)."""

EXAMPLES: dict[str, list[Any]] = {
    "code": ["80"],
    "telephone": ["03 53 01 23 45", "02 61 91 12 34"],
    "sms": ["06 39 98 12 34"],
    "courriel": ["contact@example.org"],
    "site_web": ["https://www.example.org"],
    "formulaire": ["https://www.example.org/contact"],
    "url": ["https://www.example.org/page"],
    "horaires": ["Mo-Fr 09:00-12:00,14:00-17:00; PH off"],
    "horaires_accueil": ["Mo-Fr 09:00-17:00; PH off"],
    "code_postal": ["80000"],
    "code_insee": ["80021"],
    "siret": ["12345678901234"],
    "finess": ["800000000"],
    "consulte_le": ["2025-03-14"],
    "publie_le": ["2025-01-10"],
    "verifie_le": ["2025-03-14"],
    "id": ["pcpe-exemple-amiens"],
    "libelle": ["Accueil"],
}
"""Examples shown by editors on hover (fiction numbers and example.org only)."""

VOCABULARIES: list[dict[str, str]] = [fmt.SITUATIONS, fmt.ROLES, fmt.NOTIFICATIONS, fmt.ACCES, fmt.POUR]
"""Closed lists whose codes get their French label in editors."""


def field_title(name: str) -> str:
    """French title of a field: from FIELD_TITLES, else its name with spaces."""
    return FIELD_TITLES.get(name) or name.replace("_", " ").capitalize()


def describe(model: type[BaseModel], name: str) -> str | None:
    """French description of a field: from format.py, else from DESCRIPTIONS."""
    return model.model_fields[name].description or DESCRIPTIONS.get((model.__name__, name))


# ---------------------------------------------------------------------------
# Value types → JSON Schema constraints (supersets of the validators in values.py)

_HTTPS = "[Hh][Tt][Tt][Pp][Ss]"
_URL_TAIL = r"://[^\s/?#<>\"'`]+\.[^\s/?#<>\"'`]+([/?#][^\s<>\"'`]*)?$"
_PHONE: JsonSchemaValue = {
    # parse_phone ignores spaces (any Unicode space), dots, dashes, brackets and slashes
    "type": "string",
    "pattern": r"^[0-9+\s.()/\-]{4,30}$",
    "examples": ["03 53 01 23 45", "02 61 91 12 34"],
}


def _after_validator(annotated: Any) -> Any:
    """The function of the outermost AfterValidator of an Annotated value type."""
    return [m for m in getattr(annotated, "__metadata__", ()) if isinstance(m, AfterValidator)][-1].func


def _value_constraints() -> dict[Any, JsonSchemaValue]:
    """JSON Schema constraints by validator function (the pydantic core schema only keeps the function)."""
    return {
        _after_validator(values.Slug): {"pattern": values.SLUG_RE.pattern, "maxLength": values.SLUG_MAX_LENGTH},
        _after_validator(values.CodeDepartement): {"enum": list(values.DEPARTEMENT_CODES)},
        _after_validator(values.CodePostal): {"pattern": f"^{values.CODE_POSTAL_PATTERN}$"},
        _after_validator(values.CodeInsee): {"pattern": f"^({values.CODE_INSEE_PATTERN})$"},
        _after_validator(values.Siret): {"pattern": r"^ *([0-9] *){14}$"},
        _after_validator(values.Finess): {"pattern": f"^{values.FINESS_PATTERN}$"},
        _after_validator(values.CodeEpci): {"pattern": f"^{values.EPCI_PATTERN}$"},
        _after_validator(values.Texte): {"minLength": 1},
        _after_validator(values.Markdown): {"minLength": 1, "maxLength": 5000},
        _after_validator(values.UrlHttps): {"pattern": f"^\\s*{_HTTPS}{_URL_TAIL}"},
        _after_validator(values.UrlSource): {"pattern": f"^\\s*[Hh][Tt][Tt][Pp][Ss]?{_URL_TAIL}"},
        _after_validator(values.Courriel): {"pattern": r"^\s*[^@\s]+@[^@\s]+\s*$"},
    }


class _Generator(GenerateJsonSchema):
    """Pydantic's generator, plus the constraints of our value types."""

    constraints: ClassVar[dict[Any, JsonSchemaValue]] = {}

    def function_after_schema(self, schema: core_schema.AfterValidatorFunctionSchema) -> JsonSchemaValue:
        result = super().function_after_schema(schema)
        extra = self.constraints.get(schema["function"]["function"])
        return {**result, **extra} if extra else result


# ---------------------------------------------------------------------------
# Post-processing: French titles, labels of closed lists, tidy nullables


@dataclass
class Vocabulary:
    """Values that depend on data/: the codes of data/types.yaml and the names of the départements."""

    types: list[fmt.TypeStructure]
    departements: dict[str, str]

    @classmethod
    def load(cls, data_dir: Path, report: Report) -> Vocabulary | None:
        """Read data/types.yaml and data/territoires.yaml; None (with diagnostics) if they are broken."""
        files = discover(data_dir)
        _, types = read_validated(files.types, f"{data_dir.name}/{files.types.name}", fmt.FichierTypes, report)
        _, territoires = read_validated(files.territoires, f"{data_dir.name}/{files.territoires.name}",
                                        fmt.FichierTerritoires, report)
        if not isinstance(types, fmt.FichierTypes) or not isinstance(territoires, fmt.FichierTerritoires):
            return None
        return cls(types=list(types.types), departements={d.code: d.nom for d in territoires.departements})


def _labels(enum: list[Any], vocabulary: Vocabulary) -> list[str] | None:
    keys = [str(v) for v in enum]
    for labels in VOCABULARIES:
        if set(keys) == set(labels):
            return [labels[k] for k in keys]
    if set(keys) == set(values.DEPARTEMENT_CODES):
        return [vocabulary.departements.get(k, k) for k in keys]
    return None


def _with_labels(node: JsonSchemaValue, labels: list[str]) -> None:
    # enumDescriptions / markdownEnumDescriptions: shown by VS Code beside each completion
    node["enumDescriptions"] = labels
    node["markdownEnumDescriptions"] = labels


def _tidy(node: Any, vocabulary: Vocabulary) -> Any:
    """Recursively: collapse ``anyOf [X, null]`` into ``type: [X, "null"]``, label enums, drop ``default: null``."""
    if isinstance(node, list):
        return [_tidy(item, vocabulary) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _tidy(value, vocabulary) for key, value in node.items()}
    options = node.get("anyOf")
    if isinstance(options, list) and len(options) == 2 and {"type": "null"} in options:
        other = next(option for option in options if option != {"type": "null"})
        if isinstance(other.get("type"), str) and "$ref" not in other:
            node.pop("anyOf")
            node = {**other, **node, "type": [other["type"], "null"]}
            if "enum" in node:
                node["enum"] = [*node["enum"], None]
    if "default" in node and node["default"] is None:
        node.pop("default")
    if "enum" in node and "enumDescriptions" not in node:
        labels = _labels([v for v in node["enum"] if v is not None], vocabulary)
        if labels is not None:
            _with_labels(node, labels + (["(vide)"] if None in node["enum"] else []))
    return node


def _models(root: type[BaseModel]) -> Iterator[type[BaseModel]]:
    """Every model reachable from ``root``, root first, each once."""
    seen: list[type[BaseModel]] = []
    todo: list[type[BaseModel]] = [root]
    while todo:
        model = todo.pop(0)
        if model in seen:
            continue
        seen.append(model)
        yield model
        for info in model.model_fields.values():
            todo.extend(nested_models(info.annotation))


def nested_models(annotation: Any) -> list[type[BaseModel]]:
    """The models inside a field's annotation (through Optional, list, Annotated)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in get_args(annotation) for m in nested_models(arg)]


def reachable_models(root: type[BaseModel]) -> list[type[BaseModel]]:
    """Models used by a file model, in reading order."""
    return list(_models(root))


def _frenchify(schema: JsonSchemaValue, root: type[BaseModel], vocabulary: Vocabulary) -> None:
    """French titles and descriptions for every model and field; the type codes of data/types.yaml."""
    definitions = schema.get("$defs", {})
    for model in _models(root):
        node = schema if model is root else definitions[model.__name__]
        title, description = MODELS[model.__name__]
        node["title"], node["description"] = title, description
        for name in model.model_fields:
            prop = node["properties"][name]
            prop["title"] = field_title(name)
            text = describe(model, name)
            if text:
                prop["description"] = text
            if name in EXAMPLES and "examples" not in prop and "$ref" not in prop and "items" not in prop:
                prop["examples"] = EXAMPLES[name]
            if model is fmt.Structure and name == "type":
                codes = [t.code for t in vocabulary.types]
                prop.pop("pattern", None)
                prop["enum"] = codes
                _with_labels(prop, [f"{t.libelle}{f' ({t.sigle})' if t.sigle else ''} : {t.explication}"
                                    for t in vocabulary.types])


def _replace_phone(node: Any, pattern: str) -> Any:
    if isinstance(node, list):
        return [_replace_phone(item, pattern) for item in node]
    if not isinstance(node, dict):
        return node
    if node.get("pattern") == pattern:
        return {**node, **_PHONE}
    return {key: _replace_phone(value, pattern) for key, value in node.items()}


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


def generate(kind: str, vocabulary: Vocabulary) -> JsonSchemaValue:
    """The JSON Schema of one kind of data file (a key of format.FILE_MODELS)."""
    root = fmt.FILE_MODELS[kind]
    _Generator.constraints = _value_constraints()
    schema = root.model_json_schema(schema_generator=_Generator, mode="validation", ref_template="#/definitions/{model}")
    _frenchify(schema, root, vocabulary)
    # values.Telephone declares its own pattern, narrower than what parse_phone accepts
    phone_pattern = values._PhoneAnnotation.__get_pydantic_json_schema__(None, None)["pattern"]  # type: ignore[arg-type]
    schema = _replace_phone(schema, phone_pattern)
    schema = _draft7(_tidy(schema, vocabulary))
    if "$defs" in schema:
        schema["definitions"] = schema.pop("$defs")
    ordered = {"$schema": DRAFT, "title": schema.pop("title"), "description": schema.pop("description")}
    return {**ordered, **schema}


def render(schema: JsonSchemaValue) -> str:
    """Stable text of a schema file."""
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def schema_files(vocabulary: Vocabulary) -> dict[str, str]:
    """File name → text, for every kind of data file."""
    return {f"{kind}.schema.json": render(generate(kind, vocabulary)) for kind in fmt.FILE_MODELS}


# ---------------------------------------------------------------------------
# The first line of data files, which tells editors where the schema is

MODELINE = "# yaml-language-server: $schema="


def data_files(data_dir: Path) -> list[tuple[Path, str]]:
    """Every data file with its kind."""
    files = discover(data_dir)
    found = [(files.site, "site"), (files.national, "national"), (files.types, "types"), (files.territoires, "territoires")]
    found += [(path, "departement") for path in files.departements]
    found += [(path, "ressources") for path in files.ressources]
    return [(path, kind) for path, kind in found if path.exists()]


def modeline(path: Path, kind: str, schema_dir: Path) -> str:
    """The ``# yaml-language-server: $schema=…`` line of a data file (relative path, so it works offline)."""
    relative = os.path.relpath(schema_dir / f"{kind}.schema.json", path.parent)
    return f"{MODELINE}{Path(relative).as_posix()}"


def fix_modelines(data_dir: Path, schema_dir: Path, *, write: bool) -> list[Path]:
    """Data files whose first line is not the right schema line; add or correct it when ``write``."""
    changed: list[Path] = []
    for path, kind in data_files(data_dir):
        text = path.read_text(encoding="utf-8")
        first, _, rest = text.partition("\n")
        expected = modeline(path, kind, schema_dir)
        if first == expected:
            continue
        changed.append(path)
        if write:
            body = rest if first.startswith(MODELINE) else text
            path.write_text(f"{expected}\n{body}", encoding="utf-8")
    return changed


def update(data_dir: Path, schema_dir: Path, report: Report, *, write: bool) -> list[Path] | None:
    """Regenerate the schema files (and the schema line of data files) when ``write``; return the stale
    files, or None (with diagnostics) when data/types.yaml or data/territoires.yaml is broken."""
    vocabulary = Vocabulary.load(data_dir, report)
    if vocabulary is None:
        return None
    stale: list[Path] = []
    for name, text in schema_files(vocabulary).items():
        path = schema_dir / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            stale.append(path)
            if write:
                schema_dir.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
    stale += fix_modelines(data_dir, schema_dir, write=write)
    return stale
