"""What the benchmarks share: building a dataset, adding fictional structures, the browser to use."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

FIXTURE_DATA = ROOT / "tests" / "fixtures" / "data"
FIXED_EPOCH = "1748736000"  # 2025-06-01, as in tests/conftest.py: the fixture data's "today"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def build(data: Path, out: Path, *, index: bool = True, epoch: str | None = None) -> Path:
    """Build ``data`` into ``out`` (``epoch`` fixes "today"; None: the real calendar); exit on failure."""
    from annuaire360.diagnostics import Report
    from annuaire360.pipeline import build as run

    previous = os.environ.pop("SOURCE_DATE_EPOCH", None)
    if epoch is not None:
        os.environ["SOURCE_DATE_EPOCH"] = epoch
    try:
        report = Report()
        if run(data, out, report, index=index) is None:
            sys.exit(f"la construction de {data} a échoué : lancez `build.py check --data {data}`\n"
                     + "\n".join(map(str, report.items[:10])))
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)
        if previous is not None:
            os.environ["SOURCE_DATE_EPOCH"] = previous
    return out


def with_structures(text: str, blocks: list[str]) -> str:
    """A département file's text with structure blocks (YAML list items) added to its list of structures."""
    if re.search(r"^structures:", text, flags=re.M):
        return text.replace("structures:\n", "structures:\n" + "".join(blocks), 1)
    return text.rstrip("\n") + "\nstructures:\n" + "".join(blocks)
