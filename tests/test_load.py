"""The strict YAML loader: codes stay text, positions are kept, dangerous YAML is refused."""

from pathlib import Path

import pytest

from annuaire360.diagnostics import Report
from annuaire360.source.load import LoadError, decode, load_file, parse


def doc(text):
    return parse(text, Path("x.yaml"), "x.yaml")


def test_quoted_codes_stay_text_and_plain_words_are_not_booleans():
    data = doc('code_postal: "01000"\ncode: "09"\naidants: true\nmot: oui\nnon: no\nheure: 9:30\n').data
    assert data == {"code_postal": "01000", "code": "09", "aidants": True, "mot": "oui", "non": "no", "heure": "9:30"}


def test_unquoted_numbers_keep_their_raw_text_for_messages():
    document = doc("code_postal: 01000\n")
    assert document.data["code_postal"] == 1000
    assert document.scalars[("code_postal",)].text == "01000"
    assert document.scalars[("code_postal",)].plain


def test_positions_of_keys_and_values_are_one_based():
    document = doc("a:\n  - b: 1\n    c: x\n")
    assert document.keys[("a", 0, "c")] == (3, 5)
    assert document.values[("a", 0, "c")] == (3, 8)
    assert document.locate(("a", 0, "missing")) == (2, 5)


@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [
        ("a: 1\nb: 2\na: 3\n", 3, 1, "écrit deux fois"),
        ("a: &x 1\nb: *x\n", 1, 4, "ancres"),
        ("a: *x\n", 1, 4, "renvois"),
        ("a: !!python/object:os.system x\n", 1, 4, "balises"),
        ("a:\n\tb: 1\n", 2, 1, "tabulation"),
        ("a: b: c\n", 1, 5, "entre guillemets"),
        ("a: [1, 2\n", 2, 1, "crochets"),
        ("a: 1\n---\nb: 2\n", 2, 1, "un seul document"),
        ("- a\n- b\n", 1, 1, "suite de champs"),
        ("", 1, 1, "vide"),
        ("a: {<<: 1}\n", 1, 5, "fusion"),
    ],
)
def test_broken_or_dangerous_yaml_gets_a_located_french_message(text, line, column, words):
    with pytest.raises(LoadError) as caught:
        doc(text)
    assert (caught.value.line, caught.value.column) == (line, column)
    assert words in caught.value.message


def test_deep_nesting_is_refused_without_recursion_error():
    with pytest.raises(LoadError, match="imbrication"):
        doc("a: " + "[" * 1000 + "]" * 1000 + "\n")


def test_billion_laughs_is_refused_at_the_first_anchor():
    bomb = "a: &a [1,1,1,1,1,1,1,1,1]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
    )
    with pytest.raises(LoadError, match="ancres"):
        doc(bomb)


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (b"\xef\xbb\xbfa: 1\n", "BOM"),
        ("a: 1\n".encode("utf-16"), "UTF-16"),
        ("nom: Côte\n".encode("latin-1"), "UTF-8"),
    ],
)
def test_encodings_other_than_utf8_are_explained(raw, words):
    with pytest.raises(LoadError, match=words):
        decode(raw)


def test_latin1_error_points_at_the_bad_character():
    with pytest.raises(LoadError) as caught:
        decode("a: 1\nnom: Côte\n".encode("latin-1"))
    assert (caught.value.line, caught.value.column) == (2, 7)


def test_oversized_files_are_refused_before_parsing(tmp_path):
    big = tmp_path / "gros.yaml"
    big.write_bytes(b"a: " + b"x" * 2_000_000 + b"\n")
    report = Report()
    assert load_file(big, "gros.yaml", report) is None
    assert "trop gros" in report.errors[0].message
