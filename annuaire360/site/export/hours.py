"""OpenStreetMap opening hours → weekly slots, for the formats that want them structured (HSDS schedules,
schema.org OpeningHoursSpecification).

Only the common subset is read (days or day ranges with times, ``PH off``); anything else returns None
and each export then keeps the OSM text as a description, never a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
_DAY_PART = r"(?:Mo|Tu|We|Th|Fr|Sa|Su)(?:-(?:Mo|Tu|We|Th|Fr|Sa|Su))?"
_RULE = re.compile(rf"({_DAY_PART}(?:,{_DAY_PART})*)\s+((?:\d\d:\d\d-\d\d:\d\d)(?:,\d\d:\d\d-\d\d:\d\d)*)")


@dataclass(frozen=True)
class Slot:
    """Open on these days (OSM two-letter codes, week order) from ``opens`` to ``closes`` (HH:MM)."""

    days: tuple[str, ...]
    opens: str
    closes: str


def _days(selector: str) -> tuple[str, ...]:
    found: list[str] = []
    for part in selector.split(","):
        first, _, last = part.partition("-")
        start, end = DAYS.index(first), DAYS.index(last or first)
        if end < start:  # "Sa-Mo" wraps the week
            found += [*DAYS[start:], *DAYS[: end + 1]]
        else:
            found += DAYS[start : end + 1]
    return tuple(day for day in DAYS if day in found)


def weekly_slots(value: str) -> list[Slot] | None:
    """The weekly slots of an OSM opening-hours value, or None outside the common subset.

    As in OSM, a later rule replaces what an earlier one said about the same days (``Mo-Fr 09:00-17:00;
    We 09:00-12:00``: Wednesday mornings only). ``PH off`` (closed on public holidays) has no slot: the
    formats that read slots cannot say it, and the OSM text is published beside them.
    """
    by_day: dict[str, list[tuple[str, str]]] = {}
    for rule in (part.strip() for part in value.split(";")):
        if not rule or re.fullmatch(r"PH\s+(?:off|closed)", rule):
            continue
        match = _RULE.fullmatch(rule)
        if match is None:
            return None
        spans = [tuple(span.split("-")) for span in match.group(2).split(",")]
        if any(closes <= opens for opens, closes in spans):  # past midnight: not in the subset
            return None
        for day in _days(match.group(1)):
            by_day[day] = [(opens, closes) for opens, closes in spans]
    slots: dict[tuple[str, str], list[str]] = {}
    for day in DAYS:
        for span in by_day.get(day, []):
            slots.setdefault(span, []).append(day)
    ordered = sorted(slots.items(), key=lambda item: (DAYS.index(item[1][0]), item[0]))
    return [Slot(tuple(days), opens, closes) for (opens, closes), days in ordered] or None
