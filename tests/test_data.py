"""The published data/ holds only real, sourced, dated facts (issue #7) — and ``check`` says so.

Every rule below is a rule of ``build.py check`` (source/dataset.py): a contributor who reads « Tout est bon »
never sees these tests fail on their data. The tests run ``check`` on the real data/ as a whole, and run each
rule on the fixture dataset, which is full of fiction numbers and example.org addresses, so that a rule which
stopped finding anything would fail loudly instead of passing in silence.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from annuaire360 import format as fmt
from annuaire360.diagnostics import Report
from annuaire360.format.values import is_fiction
from annuaire360.source import Dataset
from annuaire360.source.dataset import PHONE_IN_TEXT
from tests.conftest import ROOT, check_data, real_today
from tests.helpers import copy_fixture

DATA = ROOT / "data"


@pytest.fixture(scope="module")
def checked() -> tuple[Dataset | None, Report]:
    """data/ loaded and validated once, with the real date as 'today' (real sources are recent)."""
    report = Report()
    dataset = check_data(DATA, report, today=real_today())
    return dataset, report  # type: ignore[return-value]


def records(dataset: Dataset) -> Iterator[tuple[str, fmt.Provenance]]:
    """Every record that families read, with a readable name: communautés, structures, the national number."""
    national = dataset.national.record
    yield "national.yaml: numero_national", national.numero_national
    for structure in national.ressources_nationales:
        yield f"national.yaml: {structure.id}", structure
    for loaded in dataset.departements:
        if loaded.record.communaute is not None:
            yield f"{loaded.file.path.name}: communaute", loaded.record.communaute
        for structure in loaded.record.structures:
            yield f"{loaded.file.path.name}: {structure.id}", structure
    for loaded in dataset.ressources:
        for structure in loaded.record.ressources:
            yield f"{loaded.file.path.name}: {structure.id}", structure


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
    expected = {f"{d.code}-{d.slug}.yaml" for d in dataset.territoires.record.departements}
    present = {p.name for p in (DATA / "departements").glob("*.yaml")}
    assert len(expected) == 101
    assert sorted(expected - present) == [], "fichiers de département manquants"
    assert sorted(present - expected) == [], "fichiers de département en trop"


def test_the_phone_pattern_finds_fiction_numbers_in_every_notation() -> None:
    text = (
        'a: "03 53 01 23 45"\n'
        "b: Appelez le 0536491234 ou le 06-39-98-00-00.\n"
        "c: +33 1 99 00 12 34\n"
        'd: "04.65.71.00.00"\n'
        'e: "0 800 360 360"\n'
        'f: "03 85 12 34 56"\n'
    )
    found = [m.group(0) for m in PHONE_IN_TEXT.finditer(text) if is_fiction("0" + re.sub(r"\D", "", m.group(1)))]
    assert found == ["03 53 01 23 45", "0536491234", "06-39-98-00-00", "+33 1 99 00 12 34", "04.65.71.00.00"]


def as_real_data(tmp_path: Path) -> Path:
    """A copy of the fixture dataset that no longer declares itself fictional."""
    data = copy_fixture(tmp_path)
    site = data / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8").replace("donnees_de_test: true", "donnees_de_test: false"),
                    encoding="utf-8")
    return data


def test_check_refuses_fiction_numbers_and_example_addresses_in_real_data(tmp_path: Path) -> None:
    report = Report()
    assert check_data(as_real_data(tmp_path), report) is None
    messages = [str(e) for e in report.errors]
    fiction = [m for m in messages if "numéro de fiction" in m]
    examples = [m for m in messages if "domaine d'exemple" in m]
    assert fiction and examples, messages
    # located on the very line and column where the contributor wrote it
    nord = (tmp_path / "data" / "departements" / "59-nord.yaml").read_text(encoding="utf-8").splitlines()
    first = next(m for m in fiction if "59-nord.yaml" in m)
    line, column = (int(n) for n in re.match(r"[^:]+:(\d+):(\d+):", first).groups())
    number = re.search(r"« (.+?) » est un numéro de fiction", first).group(1)
    assert nord[line - 1][column - 1:].startswith(number)


def test_the_fixture_may_use_fiction_numbers_because_it_says_it_is_test_data(tmp_path: Path) -> None:
    report = Report()
    assert check_data(copy_fixture(tmp_path), report) is not None, report.items
    assert not [e for e in report.errors if "fiction" in e.message or "exemple" in e.message]


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


def test_check_refuses_a_source_published_after_it_was_read(tmp_path: Path) -> None:
    data = copy_fixture(tmp_path)
    nord = data / "departements" / "59-nord.yaml"
    text = nord.read_text(encoding="utf-8")
    read_on = re.search(r"\n( +)consulte_le: (\d{4}-\d{2}-\d{2})", text)
    assert read_on is not None
    later = (dt.date.fromisoformat(read_on.group(2)) + dt.timedelta(days=3)).isoformat()
    text = text.replace(read_on.group(0), f"{read_on.group(0)}\n{read_on.group(1)}publie_le: {later}", 1)
    nord.write_text(text, encoding="utf-8")
    report = Report()
    assert check_data(data, report) is None
    assert any(f"publiée le {later} mais lue le {read_on.group(2)}" in e.message for e in report.errors), report.items
