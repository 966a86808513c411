#!/usr/bin/env python3
"""Benchmark: build time of the real data/ and of a synthetic country-sized dataset.

Prints figures; asserts nothing (performance targets live here, not in timed tests).
Usage: .venv/bin/python bench/build_time.py [--structures N]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from annuaire360.diagnostics import Report
from annuaire360.pipeline import build, check
from bench.common import FIXTURE_DATA, ROOT, real_today, settings_for, with_structures

FICTION = ["01 99 00", "02 61 91", "03 53 01", "04 65 71", "05 36 49"]


def synthetic(target: Path, per_departement: int) -> int:
    """Copy the fixture dataset and give every département `per_departement` fictional structures."""
    shutil.copytree(FIXTURE_DATA, target)
    count = 0
    for path in sorted((target / "departements").glob("*.yaml")):
        code = path.stem.split("-")[0]
        lines = []
        for i in range(per_departement):
            count += 1
            prefix = FICTION[count % len(FICTION)]
            lines += [
                f"  - id: structure-{code.lower()}-{i}",
                f"    nom: Structure fictive {i} du {code}",
                "    type: pcpe",
                "    public: {age_min: 0, age_max: 20, situations: [autisme-tnd]}",
                "    description: |",
                "      Une structure **fictive** pour mesurer le temps de construction ; elle a une",
                "      description en Markdown avec une [adresse](https://www.example.org) et une liste :",
                "",
                "      - premier point ;",
                "      - second point.",
                "    contacts:",
                f"      - {{libelle: Accueil, telephone: \"{prefix} {i // 100 % 100:02d} {i % 100:02d}\", "
                "horaires: \"Mo-Fr 09:00-12:00,14:00-17:00; PH off\"}",
                "    sources: [{url: 'https://www.example.org/source', consulte_le: 2025-01-10}]",
            ]
        path.write_text(with_structures(path.read_text(), ["\n".join(lines) + "\n"]))
    return count


def timed(label: str, data: Path, out: Path) -> None:
    report = Report()
    settings = settings_for(data, out, today=real_today())
    start = time.perf_counter()
    dataset = check(settings, report)
    checked = time.perf_counter() - start
    assert dataset is not None, [str(d) for d in report.errors[:5]]
    start = time.perf_counter()
    build(settings, Report(), index=False)
    without_index = time.perf_counter() - start
    start = time.perf_counter()
    result = build(settings, Report(), index=True)
    full = time.perf_counter() - start
    assert result is not None
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    print(f"{label}: check {checked:.2f} s ; build sans index {without_index:.2f} s ; build complet {full:.2f} s ; "
          f"{len(result.site.files.urls)} pages, {result.site.annuaire.counts['structures']} structures, site {size / 1e6:.1f} Mo")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--structures", type=int, default=50, help="structures fictives par département")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        timed("data/ réel", ROOT / "data", Path(tmp) / "reel")
        count = synthetic(Path(tmp) / "synth", args.structures)
        timed(f"synthétique ({count} structures)", Path(tmp) / "synth", Path(tmp) / "synth-site")


if __name__ == "__main__":
    main()
