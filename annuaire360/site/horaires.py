"""Opening hours as a week the browser can read: « ouvert maintenant, ferme à 17 h » in the page's local time.

The pages write opening hours in words (``text.hours_fr``), which is all a visitor without JavaScript
gets. ``static/horaires.js`` adds whether the service is open now, in the time of the place the service
is (Réunion and Guadeloupe are not Paris), from what :func:`schedule` computes at build time with the
same parser as the validator (``opening_hours``): the usual open minutes of each weekday, the days
that differ (public holidays…) over about a year from the build date, and the last day it knows.
After that day, or for hours it cannot compute, the page keeps the words only.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections import Counter

import opening_hours

DAYS_AHEAD = 400
"""How far from the build date the status can be computed: beyond, the page keeps the hours in words."""

TIMEZONES: dict[str, str] = {
    "971": "America/Guadeloupe",
    "972": "America/Martinique",
    "973": "America/Cayenne",
    "974": "Indian/Reunion",
    "976": "Indian/Mayotte",
}
"""IANA time zone of the overseas départements; every other département is on Paris time."""
PARIS = "Europe/Paris"

# Public holidays the parser's French calendar does not know, as (month, day), read as « PH » there:
# the commemoration of the abolition of slavery (loi n° 83-550 and décret n° 83-1003 of 23 November
# 1983, as amended by décret n° 2012-553); in Alsace-Moselle, 26 December (Code du travail, L3134-13;
# Good Friday is left out: its date moves, and the parser cannot be asked for it).
LOCAL_HOLIDAYS: dict[str, tuple[tuple[int, int], ...]] = {
    "971": ((5, 27),),
    "972": ((5, 22),),
    "973": ((6, 10),),
    "974": ((12, 20),),
    "976": ((4, 27),),
    "57": ((12, 26),),
    "67": ((12, 26),),
    "68": ((12, 26),),
}
A_FRENCH_HOLIDAY = dt.date(2024, 7, 14)  # a Sunday the parser knows as « PH »: how the hours read on a holiday

Minutes = list[list[int]]  # [[start, end], …] in minutes from midnight, end at most 1440


def timezone_of(departement: str | None) -> str:
    """The time zone a service of this département lives in (Paris when unknown: national lines)."""
    return TIMEZONES.get(departement or "", PARIS)


def _day(hours: opening_hours.OpeningHours, day: dt.date) -> Minutes | None:
    """The open minutes of one day, None if the hours are unknown that day."""
    start = dt.datetime.combine(day, dt.time())
    out: Minutes = []
    for begin, end, state, _ in hours.intervals(start, start + dt.timedelta(days=1)):
        if state == opening_hours.State.UNKNOWN:
            return None
        if state == opening_hours.State.OPEN:
            first = int((max(begin, start) - start).total_seconds() // 60)
            last = int((min(end, start + dt.timedelta(days=1)) - start).total_seconds() // 60)
            if last > first:
                out.append([first, last])
    return out


@functools.lru_cache(maxsize=4096)
def schedule(value: str, departement: str | None, today: dt.date) -> str | None:
    """The hours ``value`` (OpenStreetMap syntax) as the JSON that ``static/horaires.js`` reads, or None.

    ``{"z": time zone, "s": open minutes of Monday…Sunday, "x": {date: open minutes} for the days that
    differ, "f": the last day known}``.
    """
    try:
        hours = opening_hours.OpeningHours(value, country="FR")
    except BaseException as exc:  # the validator already refused what the parser cannot read
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        return None
    local = {(month, day) for month, day in LOCAL_HOLIDAYS.get(departement or "", ())}
    holiday = _day(hours, A_FRENCH_HOLIDAY) if local and "PH" in value else None
    days: list[tuple[dt.date, Minutes]] = []
    for offset in range(DAYS_AHEAD):
        day = today + dt.timedelta(days=offset)
        minutes = holiday if holiday is not None and (day.month, day.day) in local else _day(hours, day)
        if minutes is None:
            return None
        days.append((day, minutes))
    usual: list[Minutes] = []
    for weekday in range(7):
        seen = Counter(json.dumps(m) for d, m in days if d.weekday() == weekday)
        usual.append(json.loads(seen.most_common(1)[0][0]))
    differ = {d.isoformat(): m for d, m in days if m != usual[d.weekday()]}
    data = {"z": timezone_of(departement), "s": usual, "x": differ, "f": days[-1][0].isoformat()}
    return json.dumps(data, separators=(",", ":"), sort_keys=True)
