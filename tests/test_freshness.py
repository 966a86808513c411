"""A verification older than a year: a warning for contributors (an error with --strict), a notice for families."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from annuaire360.diagnostics import Report
from annuaire360.source.dataset import STALE_AFTER_DAYS
from tests.conftest import check_data
from tests.helpers import copy_fixture, run_build

from .conftest import build_site

TODAY = dt.date(2025, 6, 1)  # conftest's SOURCE_DATE_EPOCH
NORD = Path("departements") / "59-nord.yaml"
NOTICE = "Ces informations ont plus d'un an : appelez avant de vous déplacer."


def dataset(tmp_path: Path, *, structure: dt.date, communaute: dt.date = dt.date(2025, 2, 1)) -> Path:
    """The fixture data with the MDPH of the Nord and its communauté verified on the given dates."""
    data = copy_fixture(tmp_path)
    path = data / NORD
    text = path.read_text(encoding="utf-8")
    parts = text.split("verifie_le: 2025-02-01")
    assert len(parts) == 3  # communauté first, then the MDPH
    path.write_text(f"{parts[0]}verifie_le: {communaute}{parts[1]}verifie_le: {structure}{parts[2]}", encoding="utf-8")
    return data


def line_of(path: Path, needle: str, occurrence: int = 1) -> int:
    lines = [i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line]
    return lines[occurrence - 1]


def test_a_structure_verified_more_than_a_year_ago_is_a_warning(tmp_path: Path) -> None:
    stale = TODAY - dt.timedelta(days=STALE_AFTER_DAYS + 1)
    data = dataset(tmp_path, structure=stale)
    report = Report()
    assert check_data(data, report) is not None  # a warning does not stop the build
    assert not report.errors
    [warning] = report.warnings
    assert warning.path.endswith("data/departements/59-nord.yaml")
    assert warning.line == line_of(data / NORD, f"verifie_le: {stale}")
    assert "MDPH du Nord (fictive)" in warning.message and "plus d'un an" in warning.message
    assert "mettez la date du jour" in warning.message


def test_a_communaute_verified_more_than_a_year_ago_is_a_warning(tmp_path: Path) -> None:
    data = dataset(tmp_path, structure=TODAY, communaute=dt.date(2024, 1, 15))
    report = Report()
    check_data(data, report)
    [warning] = report.warnings
    assert warning.line == line_of(data / NORD, "verifie_le: 2024-01-15")
    assert "communauté" in warning.message


def test_exactly_one_year_is_not_stale(tmp_path: Path) -> None:
    data = dataset(tmp_path, structure=TODAY - dt.timedelta(days=STALE_AFTER_DAYS))
    report = Report()
    check_data(data, report)
    assert report.items == []


def test_strict_turns_the_warning_into_a_failure(tmp_path: Path) -> None:
    data = dataset(tmp_path, structure=dt.date(2023, 5, 2))
    relaxed = run_build("check", "--data", str(data))
    assert relaxed.returncode == 0, relaxed.stderr
    assert ": avertissement: « MDPH du Nord (fictive) » a été vérifié il y a plus d'un an (2023-05-02)" in relaxed.stderr
    assert "0 erreur, 1 avertissement" in relaxed.stderr and "Tout est bon" in relaxed.stderr

    strict = run_build("check", "--strict", "--data", str(data))
    assert strict.returncode == 1
    assert "Corrigez les erreurs ci-dessus" in strict.stderr

    out = tmp_path / "site"
    built = run_build("--strict", "--sans-index", "--data", str(data), "--out", str(out))
    assert built.returncode == 1 and not out.exists()
    assert "Le site n'a pas été modifié" in built.stderr


def _provenance(site: Path, structure_id: str) -> BeautifulSoup:
    html = (site / "structures" / structure_id / "index.html").read_text(encoding="utf-8")
    return BeautifulSoup(html, "html.parser").find(class_="provenance")


@pytest.mark.parametrize(("age", "stale"), [(STALE_AFTER_DAYS + 1, True), (STALE_AFTER_DAYS, False), (30, False)])
def test_families_are_told_when_information_is_old(tmp_path: Path, age: int, stale: bool) -> None:
    verified = TODAY - dt.timedelta(days=age)
    site = build_site(dataset(tmp_path, structure=verified), tmp_path / "site", index=False)
    provenance = _provenance(site, "mdph-nord-fictive")
    text = provenance.get_text(" ", strip=True)
    assert f"Vérifié le {verified.day if verified.day > 1 else '1er'}" in text
    assert (NOTICE in text) is stale
    # the same rule as the contributor's warning
    report = Report()
    check_data(tmp_path / "data", report)
    assert bool(report.warnings) is stale


def test_unverified_information_has_no_stale_notice(fixture_site: Path) -> None:
    text = _provenance(fixture_site, "pcpe-fictif-lille").get_text(" ", strip=True)
    assert "Pas encore vérifié" in text and NOTICE not in text
