"""Opening hours as people write them in French → the OpenStreetMap value to paste.

« du lundi au vendredi de 9h à 12h et de 14h à 17h » → ``Mo-Fr 09:00-12:00,14:00-17:00``. Only used to help:
``horaires`` stays in the OSM syntax (what data·inclusion and every re-user reads); when a contributor writes a
French phrase, the message proposes the exact value. A phrase read only in part gets no proposal (never a wrong
one): the message then points at the guide's table.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
_DAY_WORDS = {
    "lundi": 0, "lun": 0, "mardi": 1, "mar": 1, "mercredi": 2, "mer": 2, "jeudi": 3, "jeu": 3,
    "vendredi": 4, "ven": 4, "samedi": 5, "sam": 5, "dimanche": 6, "dim": 6,
}
_DAY = r"(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|lun|mar|mer|jeu|ven|sam|dim)s?\.?"
_TIME = r"(?:[01]?\d|2[0-4])\s*(?:h|:)\s*(?:[0-5]\d)?"
_TOKEN = re.compile(
    rf"(?P<closed_holidays>(?:ferme|sauf)\s+(?:les\s+)?jours\s+feries)"
    rf"|(?P<closed_days>ferme\s+(?:le\s+|les\s+)?{_DAY}(?:\s*(?:,|et)\s*(?:le\s+)?{_DAY})*)"
    rf"|(?P<always>24\s*h\s*/\s*24(?:\s*,?\s*7\s*j(?:ours)?\s*/\s*7)?)"
    rf"|(?P<every_day>tous\s+les\s+jours|7\s*j(?:ours)?\s*(?:/|sur)\s*7)"
    rf"|(?P<weekdays>en\s+semaine)"
    rf"|(?P<weekend>(?:le\s+)?week-?end)"
    rf"|(?P<day_range>(?:du\s+|de\s+)?{_DAY}\s*(?:au|a|-)\s*{_DAY})"
    rf"|(?P<day>(?:le\s+|les\s+)?{_DAY})"
    rf"|(?P<time_range>(?:de\s+|entre\s+)?{_TIME}\s*(?:a|-|et)\s*{_TIME})"
    rf"|(?P<filler>et|,|/|;|:|\.|\+|puis|\s+)"
)


class NotUnderstoodError(ValueError):
    """The phrase is not (wholly) one this module reads."""


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("\u2019", "'")


def _days_in(text: str) -> list[int]:
    return [_DAY_WORDS[m.group(1)] for m in re.finditer(r"\b(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|"
                                                         r"lun|mar|mer|jeu|ven|sam|dim)s?\b", text)]


def _time(text: str) -> str:
    match = re.fullmatch(r"(\d{1,2})\s*(?:h|:)\s*(\d{2})?", text.strip())
    if not match or int(match.group(1)) > 24:
        raise NotUnderstoodError(text)
    return f"{int(match.group(1)):02d}:{match.group(2) or '00'}"


def _time_range(text: str) -> str:
    found = re.findall(_TIME, text)
    if len(found) != 2:
        raise NotUnderstoodError(text)
    start, end = _time(found[0]), _time(found[1])
    if start >= end and end != "00:00":
        raise NotUnderstoodError(text)
    return f"{start}-{end}"


def _day_spec(days: list[int]) -> str:
    """Day numbers (0 = lundi) → « Mo-Fr », « Mo,We », « Mo-We,Fr »."""
    parts, ordered = [], sorted(set(days))
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1] == ordered[j] + 1:
            j += 1
        span = DAYS[ordered[i]] if i == j else f"{DAYS[ordered[i]]}{'-' if j > i + 1 else ','}{DAYS[ordered[j]]}"
        parts.append(span)
        i = j + 1
    return ",".join(parts)


@dataclass
class _Rule:
    days: list[int] = field(default_factory=list)
    times: list[str] = field(default_factory=list)

    def osm(self) -> str:
        spec = _day_spec(self.days)
        return f"{spec} {','.join(self.times)}" if spec else ",".join(self.times)


def _day_range(text: str) -> list[int]:
    first, last = _days_in(text)
    return list(range(first, last + 1)) if first <= last else [*range(first, 7), *range(0, last + 1)]


_DAY_GROUPS = {"weekdays": lambda _: [0, 1, 2, 3, 4], "weekend": lambda _: [5, 6], "every_day": lambda _: list(range(7)),
               "day_range": _day_range, "day": _days_in}


class _Reader:
    """The rules of a phrase, read token by token (one small method per kind of token)."""

    def __init__(self) -> None:
        self.rules: list[_Rule] = []
        self.closed: list[str] = []

    def read(self, kind: str, value: str) -> None:
        if kind == "closed_holidays":
            self.closed.append("PH off")
        elif kind == "closed_days":
            self.closed.append(f"{_day_spec(_days_in(value))} off")
        elif kind == "always":
            self.rules.append(_Rule([], ["00:00-24:00"]))
        elif kind == "time_range":
            self.times(_time_range(value))
        elif kind != "filler":
            self.days(_DAY_GROUPS[kind](value))

    def times(self, span: str) -> None:
        if not self.rules or (self.rules[-1].times and not self.rules[-1].days and len(self.rules) > 1):
            self.rules.append(_Rule())
        self.rules[-1].times.append(span)

    def days(self, days: list[int]) -> None:
        if self.rules and not self.rules[-1].times:
            self.rules[-1].days += days  # « le lundi et le mercredi »
        elif self.rules and not self.rules[-1].days:
            self.rules[-1].days = days  # times written before their days: « 9h-17h du lundi au vendredi »
        else:
            self.rules.append(_Rule(days))


def to_osm(phrase: str) -> str:
    """The OSM value of a French phrase; NotUnderstoodError when a part of it is not read."""
    text = _plain(phrase).strip()
    reader = _Reader()
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise NotUnderstoodError(text[position:])
        reader.read(str(match.lastgroup), match.group(0))
        position = match.end()
    if not reader.rules or any(not rule.times for rule in reader.rules):
        raise NotUnderstoodError(phrase)
    return "; ".join([rule.osm() for rule in reader.rules] + reader.closed)


EXAMPLES: list[tuple[str, str]] = [
    ("du lundi au vendredi de 9h à 17h", "Mo-Fr 09:00-17:00"),
    ("du lundi au vendredi de 9h à 12h et de 14h à 17h", "Mo-Fr 09:00-12:00,14:00-17:00"),
    ("lundi, mardi et jeudi de 9h30 à 12h30", "Mo,Tu,Th 09:30-12:30"),
    ("du lundi au jeudi de 9h à 17h, le vendredi de 9h à 12h", "Mo-Th 09:00-17:00; Fr 09:00-12:00"),
    ("en semaine de 8h30 à 18h, le samedi de 9h à 12h", "Mo-Fr 08:30-18:00; Sa 09:00-12:00"),
    ("du lundi au vendredi de 9h à 17h, fermé les jours fériés", "Mo-Fr 09:00-17:00; PH off"),
    ("tous les jours de 8h à 20h", "Mo-Su 08:00-20:00"),
    ("24h/24, 7j/7", "00:00-24:00"),
]
"""The guide's table (content/contribuer.md) and the tests read these pairs: each phrase gives its value."""
