"""The field reference of the contributor guide (content/contribuer.md), generated from the models.

The guide is hand-written French prose, except one block between two markers that lists every field
of every data file: its meaning (the description in ``format.py``), whether it is required, its
allowed values with their labels, an example. ``python build.py guide`` rewrites the block; a test
fails when it is stale or when a field has no description (Datasette's "documentation unit tests").
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, get_origin

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from .. import format as fmt
from ..diagnostics import Report
from ..errors import GuideError
from ..format import nested_models, reachable_models
from ..settings import Settings
from .schema import DataCodes, describe, field_title, generate, model_words

BEGIN = ("[//]: # (DÉBUT de la référence des champs. Ce bloc est produit par la commande "
         "« python build.py guide » : ne le modifiez pas à la main.)")
END = "[//]: # (FIN de la référence des champs.)"

CONTRIBUTOR_FILES = ["departement", "ressources"]
"""Files that contributors edit; the others are kept by the project team and documented after them."""

TEAM_FILES = ["national", "types", "besoins", "mots", "territoires", "site", "import", "facile_a_lire"]


def anchor(model: type[BaseModel]) -> str:
    """Stable id of a model's section in the guide."""
    return f"champs-{model.__name__.lower()}"


def _yaml(value: Any) -> str:
    # quotes where a contributor needs them: numbers and codes (else read as numbers), hours (colons)
    if isinstance(value, list):
        return "[" + ", ".join(_yaml(item) for item in value) + "]"
    if isinstance(value, str) and (re.fullmatch(r"[0-9 +]+", value) or (":" in value and "://" not in value)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _example(value: Any, name: str) -> str:
    return f"`{name}: {_yaml(value)}`"


def _kind(prop: dict[str, Any]) -> str:
    """Plain French word for what a field holds."""
    types = prop.get("type")
    types = [t for t in (types if isinstance(types, list) else [types]) if t not in (None, "null")]
    ref = prop.get("$ref") or next((o["$ref"] for o in prop.get("anyOf", []) + prop.get("allOf", []) if "$ref" in o), None)
    if ref:
        return "bloc"
    if types == ["array"]:
        items = prop.get("items", {})
        if "$ref" in items:
            return "liste de blocs"
        return "liste"
    if prop.get("format") == "date":
        return "date AAAA-MM-JJ"
    return {"string": "texte", "boolean": "true ou false", "integer": "nombre entier", "number": "nombre"}.get(
        types[0] if types else "", "valeur"
    )


def _default(model: type[BaseModel], name: str) -> str | None:
    info = model.model_fields[name]
    if info.default is PydanticUndefined or info.default is None:
        return None
    value = info.default
    if isinstance(value, bool):
        return "true" if value else "false"
    return f"« {value} »"


def _nested(model: type[BaseModel], name: str) -> type[BaseModel] | None:
    found = nested_models(model.model_fields[name].annotation)
    return found[0] if found else None


def _field(model: type[BaseModel], name: str, prop: dict[str, Any]) -> list[str]:
    info = model.model_fields[name]
    facts = ["obligatoire" if info.is_required() else "facultatif", _kind(prop)]
    default = _default(model, name)
    if default:
        facts.append(f"{default} si absent")
    description = describe(model, name)
    if not description:
        raise GuideError(f"le champ {model.__name__}.{name} n'a pas de description dans format/models.py")
    lines = [f"- **`{name}`** — {field_title(model, name)} ({', '.join(facts)}). {description}"]
    nested = _nested(model, name)
    if nested is not None:
        lines.append(f"  Détail : voir [{model_words(nested)[0]}](#{anchor(nested)}).")
    if (model, name) in ((fmt.Structure, "type"), (fmt.GroupeDeMots, "types")):
        lines.append("  Valeurs possibles : voir [les types de structures](#types-de-structures).")
    else:
        enum_node = prop.get("items", prop) if get_origin(info.annotation) is list else prop
        codes = [c for c in enum_node.get("enum", []) if c is not None]
        labels = enum_node.get("enumDescriptions")
        if codes and len(codes) <= 20:
            lines.append("  Valeurs possibles :")
            for i, code in enumerate(codes):
                label = f" : {labels[i]}" if labels and labels[i] != code else ""
                lines.append(f"    - `{code}`{label}")
        elif codes:
            lines.append(f"  Valeurs possibles : {len(codes)} codes officiels (voir data/territoires.yaml).")
    examples = info.examples or prop.get("examples")
    if examples and nested is None:
        lines.append(f"  Exemple : {_example(examples[0], name)}")
    return lines


def reference(codes: DataCodes) -> str:
    """The generated block, markers included."""
    out = [BEGIN, ""]
    done: set[str] = set()

    def section(kind: str) -> None:
        schema = generate(kind, codes)
        definitions = schema.get("definitions", {})
        root = fmt.FILE_MODELS[kind]
        for model in reachable_models(root):
            if model.__name__ in done:
                continue
            done.add(model.__name__)
            node = schema if model is root else definitions[model.__name__]
            title, text = model_words(model)
            out.extend([f"### {title} {{#{anchor(model)}}}", "", text, ""])
            for name in model.model_fields:
                out.extend(_field(model, name, node["properties"][name]))
            out.append("")

    for kind in CONTRIBUTOR_FILES:
        section(kind)
    out.extend(["### Les types de structures {#types-de-structures}", "",
                "Le champ `type` d'une structure prend l'un de ces codes (liste tenue dans data/types.yaml) :", ""])
    for type_ in codes.types:
        sigle = f" ({type_.sigle})" if type_.sigle else ""
        out.append(f"- `{type_.code}` : {type_.libelle}{sigle}. {type_.explication}")
    out.extend(["", "### Les fichiers tenus par l'équipe du projet {#fichiers-equipe}", "",
                "Ces fichiers changent rarement ; ils sont décrits ici pour être complet.", ""])
    for kind in TEAM_FILES:
        section(kind)
    out.append(END)
    return "\n".join(out)


def splice(text: str, block: str) -> str:
    """Replace the block between the markers of ``text`` by ``block``."""
    if text.count(BEGIN) != 1 or text.count(END) != 1 or text.index(BEGIN) > text.index(END):
        raise GuideError("les deux lignes « [//]: # (DÉBUT … » et « [//]: # (FIN … » doivent apparaître une fois chacune, dans cet ordre")
    before = text[: text.index(BEGIN)]
    after = text[text.index(END) + len(END):]
    return before + block + after


def update(settings: Settings, report: Report, *, write: bool) -> list[Path] | None:
    """Regenerate the block of the guide (content/contribuer.md) when ``write``; return it if it was stale,
    or None (with diagnostics) when it cannot be generated."""
    codes = DataCodes.load(settings, report)
    if codes is None:
        return None
    guide = settings.paths.content / GUIDE_NAME
    try:
        return [guide] if refresh(guide, codes, write=write) else []
    except GuideError as exc:
        report.error(settings.paths.display(guide), 1, 1, exc.message)
        return None


def refresh(guide: Path, codes: DataCodes, *, write: bool) -> bool:
    """Regenerate the block of one guide file when ``write``; return whether it was stale."""
    text = guide.read_text(encoding="utf-8")
    new = splice(text, reference(codes))
    if new == text:
        return False
    if write:
        guide.write_text(new, encoding="utf-8")
    return True


GUIDE_NAME = "contribuer.md"
"""The contributor guide, a page of the site (/contribuer/), in the content folder."""
