"""French opening hours → the OSM value the check proposes; the guide's table is these examples."""

from __future__ import annotations

import opening_hours
import pytest

from annuaire360.format.hours_fr import EXAMPLES, NotUnderstoodError, to_osm
from tests.conftest import ROOT


@pytest.mark.parametrize(("phrase", "osm"), [
    *EXAMPLES,
    ("Du lundi au vendredi : 9h - 12h / 14h - 17h", "Mo-Fr 09:00-12:00,14:00-17:00"),
    ("de 9h à 17h du lundi au vendredi", "Mo-Fr 09:00-17:00"),
    ("lun. au ven. 9h-12h", "Mo-Fr 09:00-12:00"),
    ("Lundi et mercredi de 14h à 17h", "Mo,We 14:00-17:00"),
    ("du lundi au vendredi 9:00-17:30, fermé le mercredi", "Mo-Fr 09:00-17:30; We off"),
    ("9h-12h / 14h-17h", "09:00-12:00,14:00-17:00"),
])
def test_each_phrase_gives_a_valid_osm_value(phrase: str, osm: str) -> None:
    assert to_osm(phrase) == osm
    opening_hours.OpeningHours(osm)  # the proposal is always valid OSM


@pytest.mark.parametrize("phrase", ["le matin, sur rendez-vous", "lundi", "de 17h à 9h", "du lundi au vendredi",
                                    "25h-26h", "lundi 9h"])
def test_a_phrase_read_only_in_part_gets_no_proposal(phrase: str) -> None:
    with pytest.raises(NotUnderstoodError):
        to_osm(phrase)


def test_the_guide_has_the_table_of_the_examples() -> None:
    guide = (ROOT / "content" / "contribuer.md").read_text(encoding="utf-8")
    assert "## Écrire les horaires" in guide
    for phrase, osm in EXAMPLES:
        assert f"| {phrase} | `{osm}` |" in guide
