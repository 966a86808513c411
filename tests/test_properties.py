"""Property-based tests: whatever a contributor's file holds, the loader and the validators answer with
valid records or located French errors, never another exception."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annuaire360 import format as fmt
from annuaire360.diagnostics import Report
from annuaire360.source.load import Document, LoadError, decode, load_file, parse
from annuaire360.source.validate import validate_document
from tests.conftest import check_data
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
