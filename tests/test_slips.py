"""The slip finder (source/slips.py) names the real cause of a YAML error on its own line; it never fires on a
valid file (the corpus holds one case per slip: tests/corpus/yaml-*)."""

from __future__ import annotations

from pathlib import Path

import pytest

from annuaire360.source.slips import find_slip
from tests.conftest import EXAMPLE, FIXTURE_DATA, ROOT

VALID = sorted([*(ROOT / "data").rglob("*.yaml"), *FIXTURE_DATA.rglob("*.yaml"), EXAMPLE])


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_slip_is_found_in_a_valid_file(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert find_slip(text, text.count("\n") + 1) is None


@pytest.mark.parametrize(("line", "column", "start"), [
    ("nom: 'l'Exemple'", 8, "apostrophe dans un texte entre guillemets simples"),
    ("nom: \"PCPE", 6, "guillemet double ouvert ici mais jamais fermé"),
    ("nom: 'PCPE", 6, "guillemet simple ouvert ici mais jamais fermé"),
    ('nom: "PCPE" de Lille', 12, "texte après le guillemet fermant"),
    ("\u00a0\u00a0nom: x", 1, "espace insécable"),
    ("-libelle: Accueil", 1, "il manque une espace après le tiret"),
    ('telephone:"03 53 01 11 11"', 10, "il manque une espace après « telephone: »"),
])
def test_each_slip_on_its_line(line: str, column: int, start: str) -> None:
    found = find_slip(f'code: "80"\n{line}\n', 2)
    assert found is not None and (found.line, found.column) == (2, column) and found.message.startswith(start)


def test_text_blocks_and_comments_are_not_read() -> None:
    text = "description: |\n  l'Exemple: 'a'b\n  -x\n# nom: 'l'Exemple'\nnom: ok\n"
    assert find_slip(text, 5) is None
    assert find_slip('nom: "a\ncode: "80"\n', 1) is not None  # only lines up to the parser's error are read
    assert find_slip('code: "80"\nnom: "a\n', 1) is None
