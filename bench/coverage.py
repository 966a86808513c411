#!/usr/bin/env python3
"""Benchmark: the completeness scores (site/coverage.py) on the real data/ and on thousands of structures.

Prints figures; asserts nothing. Usage: .venv/bin/python bench/coverage.py [--structures N]
"""

from __future__ import annotations

import argparse
import gzip
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from annuaire360.diagnostics import Report
from annuaire360.pipeline import check
from annuaire360.site.coverage import coverage
from annuaire360.site.model import build_model
from annuaire360.site.render import make_environment, render_site
from bench.build_time import synthetic
from bench.common import ROOT, real_today, settings_for


def measure(label: str, data: Path) -> None:
    today = real_today()
    dataset = check(settings_for(data, today=today), Report())
    assert dataset is not None
    annuaire = build_model(dataset)
    start = time.perf_counter()
    for _ in range(10):
        known = coverage(annuaire, today)
        _ = [d.score for d in known.departements], known.france.score
    scores = (time.perf_counter() - start) / 10
    files = render_site(annuaire, make_environment(ROOT / "templates"), today)
    page = files.sorted()["couverture/index.html"]
    weight = f", /couverture/ {len(gzip.compress(page)) / 1000:.1f} ko gzip"
    print(f"{label}: {len(annuaire.structures)} structures, notes de tous les départements et de la France "
          f"en {scores * 1000:.1f} ms{weight}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--structures", type=int, default=50, help="structures fictives par département")
    args = parser.parse_args()
    measure("data/ réel", ROOT / "data")
    with tempfile.TemporaryDirectory() as tmp:
        synthetic(Path(tmp) / "synth", args.structures)
        measure(f"synthétique ({args.structures} par département)", Path(tmp) / "synth")


if __name__ == "__main__":
    main()
