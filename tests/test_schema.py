"""The JSON Schema of the data files: generated from the models, committed, and in agreement with the build."""

from __future__ import annotations

import functools
import json
import re
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest

from annuaire360 import format as fmt
from annuaire360.diagnostics import DisplayRule, Report
from annuaire360.source.files import DataFolder
from annuaire360.source.load import load_file
from annuaire360.source.validate import validate_document
from annuaire360.tools import schema
from tests.conftest import EXAMPLE, FIXTURE_DATA, ROOT, check_data, settings_for
from tests.helpers import copy_fixture, run_build

SCHEMA_DIR = ROOT / "schema"


@pytest.fixture(scope="module")
def schemas(vocabulary: schema.DataCodes) -> dict[str, dict]:
    return {kind: schema.generate(kind, vocabulary) for kind in fmt.FILE_MODELS}


@functools.cache
def validator(kind: str) -> jsonschema.Draft7Validator:
    """A validator for the committed schema, as an editor would load it (formats checked, like dates)."""
    committed = json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft7Validator(committed, format_checker=jsonschema.FormatChecker())


def as_json(path: Path, display: str | None = None) -> object:
    """YAML → JSON values through our loader (YAML 1.2 core, like the editor's YAML extension)."""
    report = Report()
    document = load_file(path, display or path.name, report)
    assert document is not None, "\n".join(map(str, report.items))
    return json.loads(json.dumps(document.data))


def test_committed_schemas_match_the_models(vocabulary: schema.DataCodes) -> None:
    stale = [
        name for name, text in schema.schema_files(vocabulary).items()
        if not (SCHEMA_DIR / name).exists() or (SCHEMA_DIR / name).read_text(encoding="utf-8") != text
    ]
    assert not stale, (
        f"schéma pas à jour : {', '.join(stale)}. Le format (annuaire360/format.py) ou data/types.yaml a changé : "
        "lancez « make schema » (ou « python build.py schema ») puis ajoutez schema/ à votre commit."
    )


def test_no_other_file_in_schema_dir() -> None:
    expected = {f"{kind}.schema.json" for kind in fmt.FILE_MODELS}
    assert {p.name for p in SCHEMA_DIR.iterdir()} == expected


@pytest.mark.parametrize("kind", list(fmt.FILE_MODELS))
def test_schema_is_a_valid_draft_7_schema(kind: str) -> None:
    committed = json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(committed)
    assert committed["$schema"] == "http://json-schema.org/draft-07/schema#"  # what VS Code's YAML extension supports
    text = json.dumps(committed)
    assert "$defs" not in text and all(ref.startswith("#/definitions/") for ref in re.findall(r'"\$ref": "([^"]+)"', text))


def _objects(node: object) -> list[dict]:
    """Every object schema (one with properties) inside a schema."""
    found = []
    if isinstance(node, dict):
        if "properties" in node:
            found.append(node)
        for value in node.values():
            found += _objects(value)
    elif isinstance(node, list):
        for value in node:
            found += _objects(value)
    return found


def test_every_model_and_field_has_a_french_title_and_description(schemas: dict[str, dict]) -> None:
    french_titles = {schema.model_words(m)[0] for root in fmt.FILE_MODELS.values() for m in fmt.reachable_models(root)}
    for kind, document in schemas.items():
        for node in _objects(document):
            assert node["title"] in french_titles, (kind, node["title"])
            assert node["additionalProperties"] is False, (kind, node["title"])
            for name, prop in node["properties"].items():
                assert prop.get("title"), (kind, node["title"], name)
                assert prop.get("description"), f"{kind} : {node['title']}.{name} sans description"
    # the English docstrings of the models stay out of what contributors read
    text = json.dumps(schemas, ensure_ascii=False)
    for model in {m for root in fmt.FILE_MODELS.values() for m in fmt.reachable_models(root)}:
        assert model.__doc__.strip() not in text


def test_type_lists_the_codes_of_types_yaml_with_their_labels(
    schemas: dict[str, dict], vocabulary: schema.DataCodes
) -> None:
    prop = schemas["departement"]["definitions"]["Structure"]["properties"]["type"]
    assert prop["enum"] == [t.code for t in vocabulary.types]
    assert len(prop["enumDescriptions"]) == len(prop["enum"])
    pcpe = prop["enumDescriptions"][prop["enum"].index("pcpe")]
    assert pcpe.startswith("Pôle de compétences et de prestations externalisées (PCPE)")


def test_closed_lists_carry_their_french_labels(schemas: dict[str, dict]) -> None:
    definitions = schemas["departement"]["definitions"]
    situations = definitions["Public"]["properties"]["situations"]["items"]
    assert situations["enum"] == list(fmt.SITUATIONS)
    assert situations["enumDescriptions"] == list(fmt.SITUATIONS.values())
    for model, name, labels in (("Membre", "role", fmt.ROLES), ("Structure", "acces", fmt.ACCES),
                                ("Structure", "notification_mdph", fmt.NOTIFICATIONS), ("PointDeContact", "pour", fmt.POUR)):
        prop = definitions[model]["properties"][name]
        assert dict(zip(prop["enum"], prop["markdownEnumDescriptions"], strict=True)) == labels
    code = schemas["departement"]["properties"]["code"]
    assert code["enumDescriptions"][code["enum"].index("2A")] == "Corse-du-Sud"


def test_every_data_file_points_editors_at_its_schema() -> None:
    wrong = schema.fix_modelines(settings_for(ROOT / "data"), write=False)
    assert not wrong, (
        f"première ligne « {schema.MODELINE}… » absente ou fausse dans : {', '.join(map(str, wrong))} ; "
        "lancez « make schema » pour la corriger"
    )
    for path, kind in data_files(ROOT / "data"):
        first = path.read_text(encoding="utf-8").partition("\n")[0]
        target = (path.parent / first.removeprefix(schema.MODELINE)).resolve()
        assert target == (SCHEMA_DIR / f"{kind}.schema.json").resolve() and target.exists()
    first = EXAMPLE.read_text(encoding="utf-8").partition("\n")[0]
    assert (EXAMPLE.parent / first.removeprefix(schema.MODELINE)).resolve() == SCHEMA_DIR / "departement.schema.json"


def test_schema_command_adds_the_missing_first_line(tmp_path: Path) -> None:
    data = copy_fixture(tmp_path)
    ressource = data / "ressources" / "hauts-de-france.yaml"
    before = ressource.read_text(encoding="utf-8")
    assert not before.startswith(schema.MODELINE)
    (data / "departements" / "80-somme.yaml").write_text(
        "# yaml-language-server: $schema=../../mauvais/chemin.json\ncode: \"80\"\nnom: Somme\n", encoding="utf-8"
    )
    settings = settings_for(data, schema=tmp_path / "schema")
    changed = schema.fix_modelines(settings, write=True)
    assert data / "ressources" / "hauts-de-france.yaml" in changed
    assert ressource.read_text(encoding="utf-8") == f"{schema.MODELINE}../../schema/ressources.schema.json\n{before}"
    somme = (data / "departements" / "80-somme.yaml").read_text(encoding="utf-8")
    assert somme == f"{schema.MODELINE}../../schema/departement.schema.json\ncode: \"80\"\nnom: Somme\n"
    assert schema.fix_modelines(settings, write=True) == []  # idempotent
    assert check_data(data) is not None  # still valid data


def data_files(data: Path) -> list[tuple[Path, str]]:
    """Every file of a data folder, with its kind."""
    return [(f.path, f.kind) for f in DataFolder(data, DisplayRule(ROOT)).discover().all() if f.path.exists()]


@pytest.mark.parametrize(
    ("path", "kind"),
    [*data_files(ROOT / "data"), *data_files(FIXTURE_DATA), (EXAMPLE, "departement")],
    ids=lambda value: value.relative_to(ROOT).as_posix() if isinstance(value, Path) else value,
)
def test_valid_data_is_valid_for_the_schema(path: Path, kind: str) -> None:
    """The schema never rejects what the build accepts: every real and fixture file passes both."""
    errors = sorted(validator(kind).iter_errors(as_json(path)), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)


# Each mistake: text in the example file → replacement. The editor (schema) and the build must both flag it.
MISTAKES = {
    "code postal sans guillemets": ('code_postal: "80000"', "code_postal: 01000"),
    "code de département sans guillemets": ('code: "80"', "code: 80"),
    "champ inconnu": ("    sigle: PCPE Exemple 80", "    sigles: PCPE Exemple 80"),
    "rôle inconnu": ("role: membre-coeur", "role: membre-du-coeur"),
    "situation inconnue": ("[autisme-tnd, intellectuel]", "[autisme, intellectuel]"),
    "type inconnu": ("type: pcpe", "type: pcpee"),
    "site en http": ("site_web: https://pcpe.example.org", "site_web: http://pcpe.example.org"),
    "date impossible": ("consulte_le: 2025-05-10\n    verifie_le", "consulte_le: 2025-13-10\n    verifie_le"),
    "lettre dans un numéro": ('"03 53 01 45 67"', '"03 53 O1 45 67"'),
    "oui/non en français": ("aidants: true", "aidants: oui"),
    "âge en lettres": ("age_max: 20", "age_max: vingt"),
    "nom obligatoire manquant": ("    nom: Équipe mobile autisme de l'Exemple\n", ""),
    "source manquante": (
        "    sources:\n      - url: https://equipe-mobile.example.org\n        consulte_le: 2025-05-10\n", ""
    ),
    "code INSEE avec une lettre": ('code_insee: "80021"', 'code_insee: "8002I"'),
    "identifiant avec majuscule": ("id: pcpe-exemple-amiens", "id: PCPE-exemple-amiens"),
}


@pytest.mark.parametrize("mistake", list(MISTAKES))
def test_editor_and_build_flag_the_same_mistakes(mistake: str, tmp_path: Path) -> None:
    old, new = MISTAKES[mistake]
    text = EXAMPLE.read_text(encoding="utf-8")
    assert old in text, f"l'exemple a changé : « {old} » introuvable"
    data = copy_fixture(tmp_path)
    broken = data / "departements" / "80-somme.yaml"
    broken.write_text(text.replace(old, new, 1), encoding="utf-8")

    assert list(validator("departement").iter_errors(as_json(broken))), f"le schéma accepte : {mistake}"
    report = Report()
    assert check_data(data, report) is None, f"la construction accepte : {mistake}"
    assert all(d.path.endswith("80-somme.yaml") for d in report.errors), report.errors


def test_schema_is_published_with_the_site(fixture_site: Path) -> None:
    for kind in fmt.FILE_MODELS:
        published = fixture_site / "schema" / f"{kind}.schema.json"
        assert published.read_bytes() == (SCHEMA_DIR / f"{kind}.schema.json").read_bytes()


def test_build_accepts_what_the_example_shows() -> None:
    """Sanity check of the example against the model alone (the full dataset check is in test_guide)."""
    report = Report()
    document = load_file(EXAMPLE, "docs/exemple-departement.yaml", report)
    assert document is not None
    assert validate_document(document, fmt.FichierDepartement, report) is not None, report.items


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return run_build(*args, epoch=None)  # real data/, real calendar


def test_schema_and_guide_commands_verify_without_writing() -> None:
    for command in ("schema", "guide"):
        result = run_cli(command, "--verifier")
        assert result.returncode == 0 and "À jour." in result.stderr, result.stderr


def test_schema_verifier_says_what_to_run_when_types_change(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    types = data / "types.yaml"
    types.write_text(types.read_text(encoding="utf-8") + (
        "  - code: nouveau-type\n    libelle: Nouveau type\n    libelle_pluriel: Nouveaux types\n"
        "    explication: Un type ajouté pour le test.\n"), encoding="utf-8")
    before = {p.name: p.read_bytes() for p in SCHEMA_DIR.iterdir()}
    result = run_cli("schema", "--verifier", "--data", str(data))
    assert result.returncode == 1
    assert re.search(r"Pas à jour : [^\n]*schema/departement\.schema\.json", result.stderr)
    assert "Lancez « python build.py schema » (ou « make schema »)" in result.stderr
    assert {p.name: p.read_bytes() for p in SCHEMA_DIR.iterdir()} == before  # --verifier writes nothing

    types.write_text("types: []\n", encoding="utf-8")
    result = run_cli("schema", "--verifier", "--data", str(data))
    assert result.returncode == 1 and "types.yaml:1:8: erreur: types : il faut au moins 1 élément" in result.stderr
    assert "Rien n'a été écrit" in result.stderr


def test_every_checked_value_has_a_french_message_for_the_editor(schemas: dict[str, dict]) -> None:
    """VS Code shows errorMessage (or patternErrorMessage) instead of a raw pattern or « RFC3339 »."""

    def nodes(node: object) -> list[dict]:
        if isinstance(node, dict):
            return [node, *[n for value in node.values() for n in nodes(value)]]
        if isinstance(node, list):
            return [n for item in node for n in nodes(item)]
        return []

    for kind, document in schemas.items():
        for node in nodes(document):
            if "pattern" in node or "enum" in node or node.get("format") == "date":
                message = node.get("errorMessage") or node.get("patternErrorMessage")
                assert message and re.search(r"[a-zé]", message), (kind, node)
                assert "^" not in message and "RFC" not in message, (kind, message)
