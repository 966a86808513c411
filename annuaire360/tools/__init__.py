"""Contributor tools, never on the build path: the preview server (``serve``), the JSON Schema of the data
files (``schema``), the field reference of the guide (``guide``), the GitHub job summary (``github``), phone
campaigns (``campaign``, ``answers``) and reminder issues (``reminders``)."""

from __future__ import annotations

import sys

from ..diagnostics import Report
from ..settings import Settings
from ..source import Dataset


def checked_dataset(settings: Settings, report: Report) -> Dataset | None:
    """The data, checked as ``build.py check`` does; None, with the errors printed, when a tool must not run."""
    from ..pipeline import check

    dataset = check(settings, report)
    if dataset is None or report.errors:
        report.print(sys.stderr)
        print("Corrigez d'abord les erreurs des données ci-dessus (build.py check).", file=sys.stderr)
        return None
    return dataset
