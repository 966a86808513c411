"""The published data/ holds only real, sourced, dated facts (issue #7).

These tests read the real data/ directory as a whole (département files, ressources/, national.yaml):
whoever adds a file there is held to the same rules. Each text scanner is first run on the fixture
dataset, which is full of fiction numbers and example.org addresses, so a scanner that stopped
finding anything would fail loudly instead of passing in silence.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from annuaire360 import format as fmt
from annuaire360.diagnostics import Report
from annuaire360.pipeline import check
from annuaire360.validate import Dataset
from annuaire360.values import is_fiction
from tests.conftest import FIXTURE_DATA, ROOT

DATA = ROOT / "data"

# A French phone number as people write it: 0X XX XX XX XX, with spaces, dots or dashes, or +33.
PHONE_RE = re.compile(r"(?<![\d/=?&#-])(?:\+33[\s.]?(?:\(0\)\s?)?|0)([1-9](?:[\s.\-]?\d{2}){4})(?!\d)")
EXAMPLE_RE = re.compile(r"\bexample\.(?:org|com|net)\b", re.IGNORECASE)


def text_files(directory: Path) -> list[Path]:
    """Every file of a data directory, whatever its extension: a fact can hide in any of them."""
    return sorted(p for p in directory.rglob("*") if p.is_file())


def fiction_numbers(directory: Path) -> list[str]:
    """'file:line: number' for every phone number in an ARCEP fiction range."""
    found = []
    for path in text_files(directory):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for match in PHONE_RE.finditer(line):
                national = "0" + re.sub(r"\D", "", match.group(1))
                if is_fiction(national):
                    found.append(f"{path.relative_to(directory)}:{number}: {match.group(0)}")
    return found


def example_addresses(directory: Path) -> list[str]:
    """'file:line: text' for every example.org / example.com / example.net address."""
    found = []
    for path in text_files(directory):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if EXAMPLE_RE.search(line):
                found.append(f"{path.relative_to(directory)}:{number}: {line.strip()}")
    return found


def real_today() -> dt.date:
    """Today by the wall clock: 'not in the future' is about the real calendar, not the tests' fixed date."""
    return dt.datetime.now(tz=dt.timezone.utc).date()


@pytest.fixture(scope="module")
def checked() -> tuple[Dataset | None, Report]:
    """data/ loaded and validated once, with the real date as 'today'.

    The autouse fixture of conftest fixes SOURCE_DATE_EPOCH to 2025-06-01 for every test, but real
    sources are consulted later than that; validating data/ against a frozen past date would flag
    every recent source as being 'in the future'.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", str(int(time.time())))
        report = Report()
        dataset = check(DATA, report)
    return dataset, report


def records(dataset: Dataset) -> Iterator[tuple[str, fmt.Provenance]]:
    """Every record that families read, with a readable name: communautés, structures, the national number."""
    yield "national.yaml: numero_national", dataset.national.numero_national
    for structure in dataset.national.ressources_nationales:
        yield f"national.yaml: {structure.id}", structure
    for doc, departement in dataset.departements:
        if departement.communaute is not None:
            yield f"{doc.path.name}: communaute", departement.communaute
        for structure in departement.structures:
            yield f"{doc.path.name}: {structure.id}", structure
    for doc, fichier in dataset.ressources:
        for structure in fichier.ressources:
            yield f"{doc.path.name}: {structure.id}", structure


def dates(value: Any, where: str = "") -> Iterator[tuple[str, dt.date]]:
    """Every date inside a record, with its path (« sources[0].consulte_le »)."""
    if isinstance(value, dt.date):
        yield where, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from dates(getattr(value, name), f"{where}.{name}" if where else name)
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from dates(item, f"{where}[{index}]")


def test_data_validates_without_any_error(checked: tuple[Dataset | None, Report]) -> None:
    dataset, report = checked
    assert not report.errors, "\n".join(map(str, report.errors))
    assert dataset is not None


def test_every_departement_has_its_file(checked: tuple[Dataset | None, Report]) -> None:
    dataset, _ = checked
    assert dataset is not None
    expected = {f"{d.code}-{d.slug}.yaml" for d in dataset.territoires.departements}
    present = {p.name for p in (DATA / "departements").glob("*.yaml")}
    assert len(expected) == 101
    assert sorted(expected - present) == [], "fichiers de département manquants"
    assert sorted(present - expected) == [], "fichiers de département en trop"


def test_fiction_scanner_finds_the_fixture_numbers(tmp_path: Path) -> None:
    # The fixtures use fiction numbers on purpose: the scanner must see them, in every notation,
    # and leave real numbers alone.
    assert fiction_numbers(FIXTURE_DATA)
    (tmp_path / "a.yaml").write_text(
        'a: "03 53 01 23 45"\n'
        "b: Appelez le 0536491234 ou le 06-39-98-00-00.\n"
        "c: +33 1 99 00 12 34\n"
        'd: "04.65.71.00.00"\n'
        'e: "0 800 360 360"\n'
        'f: "03 85 12 34 56"\n',
        encoding="utf-8",
    )
    found = [line.split(": ", 1)[1] for line in fiction_numbers(tmp_path)]
    assert found == ["03 53 01 23 45", "0536491234", "06-39-98-00-00", "+33 1 99 00 12 34", "04.65.71.00.00"]


def test_no_fiction_phone_number_in_data() -> None:
    assert fiction_numbers(DATA) == [], "numéros de fiction (ARCEP) dans data/ : ils sont réservés aux tests"


def test_example_scanner_finds_the_fixture_addresses() -> None:
    assert example_addresses(FIXTURE_DATA)


def test_no_example_address_in_data() -> None:
    assert example_addresses(DATA) == [], "adresses example.org/example.com dans data/ : elles sont réservées aux tests"


def test_every_record_has_a_source(checked: tuple[Dataset | None, Report]) -> None:
    dataset, _ = checked
    assert dataset is not None
    seen = list(records(dataset))
    assert len(seen) >= 101, "chaque département a au moins sa MDPH ou sa MDA"
    missing = [name for name, record in seen if not record.sources]
    assert missing == []


def test_no_date_in_the_future(checked: tuple[Dataset | None, Report]) -> None:
    dataset, _ = checked
    assert dataset is not None
    today = real_today()
    future = [f"{name}: {path} = {value}" for name, record in records(dataset) for path, value in dates(record) if value > today]
    assert future == []


def test_no_source_published_after_it_was_read(checked: tuple[Dataset | None, Report]) -> None:
    dataset, _ = checked
    assert dataset is not None
    wrong = [
        f"{name}: {source.url} publiée le {source.publie_le}, lue le {source.consulte_le}"
        for name, record in records(dataset)
        for source in record.sources
        if source.publie_le is not None and source.publie_le > source.consulte_le
    ]
    assert wrong == []
