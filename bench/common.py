"""What the benchmarks share: building a dataset, adding fictional structures, the browser to use."""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.conftest import CHROMIUM, CHROMIUM_ARGS, FIXED_TODAY, FIXTURE_DATA, real_today, settings_for  # noqa: E402

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "FIXED_TODAY", "FIXTURE_DATA", "ROOT", "as_test_data", "build", "real_today", "settings_for",
           "with_structures"]


def build(data: Path, out: Path, *, index: bool = True, today: dt.date | None = None) -> Path:
    """Build ``data`` into ``out`` (``today`` fixes the date; None: the real calendar); exit on failure."""
    from annuaire360.diagnostics import Report
    from annuaire360.pipeline import build as run

    report = Report()
    if run(settings_for(data, out, today=today or real_today()), report, index=index) is None:
        sys.exit(f"la construction de {data} a échoué : lancez `build.py check --data {data}`\n"
                 + "\n".join(map(str, report.items[:10])))
    return out


def as_test_data(data: Path) -> None:
    """Mark a copied data folder as test data, so that ``check`` lets fiction numbers and example.org in."""
    site = data / "site.yaml"
    text = site.read_text(encoding="utf-8")
    if "donnees_de_test:" not in text:
        site.write_text(text.rstrip("\n") + "\ndonnees_de_test: true\n", encoding="utf-8")


def with_structures(text: str, blocks: list[str]) -> str:
    """A département file's text with structure blocks (YAML list items) added to its list of structures."""
    if re.search(r"^structures:", text, flags=re.M):
        return text.replace("structures:\n", "structures:\n" + "".join(blocks), 1)
    return text.rstrip("\n") + "\nstructures:\n" + "".join(blocks)
