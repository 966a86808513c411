"""Property-based tests: whatever a contributor's file holds, the loader and the validators answer with
valid records or located French errors, never another exception."""

from __future__ import annotations

import copy
import datetime as dt
import tempfile
from pathlib import Path
from typing import Any, get_args

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from annuaire360 import format as fmt
from annuaire360.diagnostics import Report
from annuaire360.source.load import Document, LoadError, decode, load_file, parse
from annuaire360.source.validate import validate_document
from tests.conftest import FIXED_TODAY, FIXTURE_DATA, check_data
from tests.helpers import copy_fixture

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Characters that matter to YAML, plus accents, tabs, a BOM and control characters.
YAML_ALPHABET = list("abcz019 :-_[]{},#&*!|>'\"\n\t?%@`.\\<>=/é\u00a0\ufeff\x00\x85\r")
yaml_like = st.text(alphabet=YAML_ALPHABET, max_size=300)

SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=40),
    st.sampled_from(["01000", "2A", "https://www.example.org", "javascript:alert(1)", "03 53 01 23 45",
                     "Mo-Fr 09:00-17:00", "2025-01-10", "2999-01-01", "<script>", "pcpe", "membre-coeur"]),
)


def _field_names() -> list[str]:
    names: set[str] = set()
    for model in [*fmt.FILE_MODELS.values(), fmt.Structure, fmt.PointDeContact, fmt.Public, fmt.Territoire,
                  fmt.Source, fmt.Communaute360, fmt.Organisation, fmt.NumeroNational]:
        names |= set(model.model_fields)
    return sorted(names)


KEYS = st.one_of(st.sampled_from(_field_names()), st.text(max_size=10))
values = st.recursive(
    SCALARS,
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(KEYS, children, max_size=6)),
    max_leaves=30,
)
documents = st.dictionaries(KEYS, values, max_size=8)


def _assert_located(report: Report, text_lines: int | None = None) -> None:
    assert report.errors, "a refused file must say why"
    for diagnostic in report.items:
        assert diagnostic.line >= 1 and diagnostic.column >= 1
        if text_lines is not None:
            assert diagnostic.line <= text_lines + 1
        assert " : " in diagnostic.message, "every message says how to fix the problem, after « : »"


@FAST
@given(st.binary(max_size=400))
def test_any_bytes_decode_and_parse_or_raise_a_located_error(raw: bytes) -> None:
    try:
        text = decode(raw)
        document = parse(text, Path("x.yaml"), "x.yaml")
    except LoadError as exc:
        assert exc.line >= 1 and exc.column >= 1 and exc.message
        return
    assert isinstance(document, Document) and isinstance(document.data, dict)


@FAST
@given(yaml_like)
def test_yaml_like_text_parses_or_raises_a_located_error(text: str) -> None:
    try:
        document = parse(text, Path("x.yaml"), "x.yaml")
    except LoadError as exc:
        assert 1 <= exc.line <= text.count("\n") + text.count("\r") + 2 and exc.column >= 1
        return
    assert isinstance(document.data, dict)
    for line, column in [*document.values.values(), *document.keys.values()]:
        assert line >= 1 and column >= 1


@FAST
@given(st.binary(max_size=400))
def test_load_file_never_raises(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "80-somme.yaml"
        path.write_bytes(raw)
        report = Report()
        document = load_file(path, "data/departements/80-somme.yaml", report)
    if document is None:
        _assert_located(report)
    else:
        assert not report.items


@FAST
@given(st.sampled_from(sorted(fmt.FILE_MODELS)), documents)
def test_validate_document_returns_a_record_or_located_errors(kind: str, data: dict[str, Any]) -> None:
    document = Document(path=Path("x.yaml"), display="x.yaml", data=data)
    report = Report()
    record = validate_document(document, fmt.FILE_MODELS[kind], report)
    if record is None:
        _assert_located(report)
    else:
        assert isinstance(record, fmt.FILE_MODELS[kind]) and not report.items


structure_fields = st.fixed_dictionaries(
    {"id": st.sampled_from(["pcpe-x", "PCPE X", "../x", "pcpe-x"]), "nom": SCALARS, "type": st.sampled_from(["pcpe", "x"])},
    optional={name: values for name in sorted(fmt.Structure.model_fields) if name not in ("id", "nom", "type")},
)


@FAST
@given(st.lists(structure_fields, max_size=3))
def test_departement_files_with_random_structures(structures: list[dict[str, Any]]) -> None:
    document = Document(path=Path("80-somme.yaml"), display="80-somme.yaml",
                        data={"code": "80", "nom": "Somme", "structures": structures})
    report = Report()
    record = validate_document(document, fmt.FichierDepartement, report)
    assert (record is None) == bool(report.errors)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=200), yaml_like.map(lambda t: ('code: "80"\nnom: Somme\n' + t).encode())))
def test_full_check_through_the_api(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        data = copy_fixture(Path(folder))
        (data / "departements" / "80-somme.yaml").write_bytes(raw)
        report = Report()
        dataset = check_data(data, report)
    if dataset is None:
        _assert_located(report)
    else:
        assert not report.errors


# ---------------------------------------------------------------------------
# Every number and date field, fuzzed with what YAML lets a contributor write there: nothing reaches
# « erreur interne »; every refusal is located.

SCALAR_TYPES = (int, float, dt.date, bool)
FIXTURE_FILES = {
    "site": "site.yaml", "national": "national.yaml", "territoires": "territoires.yaml", "types": "types.yaml",
    "departement": "departements/59-nord.yaml", "ressources": "ressources/hauts-de-france.yaml",
}


def _scalar_type(annotation: Any) -> type | None:
    """int, float, date or bool when a field holds one (through Optional), else None."""
    candidates = [a for a in (get_args(annotation) or (annotation,)) if a is not type(None)]
    return candidates[0] if len(candidates) == 1 and candidates[0] in SCALAR_TYPES else None


def _slots(data: Any, model: type[BaseModel], where: tuple[str | int, ...]) -> list[tuple[str | int, ...]]:
    """Every place of a parsed file where a number, a date or a boolean goes, written there or not."""
    found: list[tuple[str | int, ...]] = []
    if not isinstance(data, dict):
        return found
    for name, info in model.model_fields.items():
        if _scalar_type(info.annotation) is not None:
            found.append((*where, name))
        inner = fmt.nested_models(info.annotation)
        value = data.get(name)
        if inner and isinstance(value, dict):
            found += _slots(value, inner[0], (*where, name))
        elif inner and isinstance(value, list):
            for i, item in enumerate(value):
                found += _slots(item, inner[0], (*where, name, i))
    return found


def _number_and_date_slots() -> list[tuple[str, tuple[str | int, ...]]]:
    slots = []
    for kind, name in FIXTURE_FILES.items():
        data = parse((FIXTURE_DATA / name).read_text(encoding="utf-8"), Path(name), name).data
        slots += [(kind, slot) for slot in _slots(data, fmt.FILE_MODELS[kind], ())]
    return slots


SLOTS = _number_and_date_slots()
# What a contributor may type where a number or a date goes, written as it stands in the file (plain).
NUMBERISH = st.one_of(
    st.sampled_from([".inf", "-.inf", ".NaN", "+.INF", "1e400", "-1e400", "1e-400", "0x1F", "0o17", "-0", "1_000",
                     "١٢", "9" * 5000, "-1", "121", "2025-13-01", "2025-02-30", "2025-02-29", "0000-01-01", "0001-01-01",
                     "1989-12-31", "9999-12-31", "10000-01-01", "+2025-01-01", "2025-1-1", "20250101",
                     "2025-01-01T00:00:00", "2025-01-01 00:00", "2025-W01", "yes", "~", "null", "true", "''", '""']),
    st.integers().map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.dates().map(lambda d: d.isoformat()),
    st.text(alphabet="0123456789.-+eE:_TZ xnaif", min_size=1, max_size=20).map(str.strip).filter(bool),
)


def test_every_number_and_date_field_is_fuzzed() -> None:
    names = {slot[-1] for _, slot in SLOTS}
    assert {"age_min", "age_max", "taux", "date_audit", "consulte_le", "publie_le", "verifie_le",
            "donnees_de_test", "aidants", "professionnels"} <= names


def _with_slot(kind: str, slot: tuple[str | int, ...], raw: str) -> str:
    """The fixture file of ``kind`` with ``raw`` written, as it stands, at ``slot``."""
    name = FIXTURE_FILES[kind]
    data = copy.deepcopy(parse((FIXTURE_DATA / name).read_text(encoding="utf-8"), Path(name), name).data)
    target = data
    for part in slot[:-1]:
        target = target[part]
    target[slot[-1]] = "@@VALEUR@@"
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000)
    assert text.count("'@@VALEUR@@'") == 1
    return text.replace("'@@VALEUR@@'", raw)


@FAST
@given(st.sampled_from(SLOTS), NUMBERISH)
def test_number_and_date_fields_answer_in_french(slot: tuple[str, tuple[str | int, ...]], raw: str) -> None:
    kind, where = slot
    text = _with_slot(kind, where, raw)
    report = Report()
    try:
        document = parse(text, Path("x.yaml"), "x.yaml")
    except LoadError as exc:
        assert exc.line >= 1 and exc.message
        return
    record = validate_document(document, fmt.FILE_MODELS[kind], report, fmt.Context(today=FIXED_TODAY))
    if record is None:
        _assert_located(report, text.count("\n"))
    else:
        assert not report.items


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SLOTS), NUMBERISH)
def test_number_and_date_fields_through_the_whole_check(slot: tuple[str, tuple[str | int, ...]], raw: str) -> None:
    kind, where = slot
    with tempfile.TemporaryDirectory() as folder:
        data = copy_fixture(Path(folder))
        (data / FIXTURE_FILES[kind]).write_text(_with_slot(kind, where, raw), encoding="utf-8")
        report = Report()
        dataset = check_data(data, report)
    if dataset is None:
        _assert_located(report)
    else:
        assert not report.errors
