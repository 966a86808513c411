"""The render stage alone, in one process and shared between processes (site/parallel.py), alternately.

    .venv/bin/python bench/render_workers.py                 # the real data/
    .venv/bin/python bench/render_workers.py --size 5k       # the synthetic dataset of bench/synthetic.py

Plans the site once, then renders every page with 1 and with N processes, in turn, ``--rounds`` times; prints
each run's wall time and CPU time (this process, and its children), the medians, and the ratio. The pages are
compared: both ways must give the same bytes.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from annuaire360.diagnostics import Report
from annuaire360.pipeline import plan
from annuaire360.site.parallel import render_shares
from bench.common import ROOT, real_today, settings_for
from bench.synthetic import size, synthetic


def run(pages, workers: int) -> tuple[float, float, float, list[bytes]]:  # type: ignore[no-untyped-def]
    start, before = time.perf_counter(), os.times()
    html = render_shares(pages, workers)
    after = os.times()
    encoded = [h if isinstance(h, bytes) else h.encode() for h in html]
    return time.perf_counter() - start, after.user - before.user, after.children_user - before.children_user, encoded


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=size, default=0, help="structures fictives : 5k, 15k, 50k ou un nombre")
    parser.add_argument("--processus", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        data = ROOT / "data"
        if args.size:
            data = Path(work) / "data"
            synthetic(data, args.size)
        planned = plan(settings_for(data, Path(work) / "site", today=real_today()), Report())
        if planned is None:
            print("données invalides : lancez build.py check", file=sys.stderr)
            return 1
        pages = planned.pages
        print(f"{len(pages.pages)} pages ; charge de la machine : {os.getloadavg()[0]:.1f} pour {os.cpu_count()} cœurs")
        run(pages, 1)  # warm-up: templates compiled, caches filled
        walls: dict[int, list[float]] = {1: [], args.processus: []}
        reference: list[bytes] | None = None
        for _ in range(args.rounds):
            for workers in (1, args.processus):
                wall, cpu, children, html = run(pages, workers)
                reference = reference or html
                assert html == reference, "pages différentes selon le nombre de processus"
                walls[workers].append(wall)
                print(f"  {workers} processus : {wall:.2f} s mur, CPU {cpu:.2f} s ici + {children:.2f} s enfants")
        one, many = statistics.median(walls[1]), statistics.median(walls[args.processus])
        print(f"médianes : 1 processus {one:.2f} s, {args.processus} processus {many:.2f} s, rapport {one / many:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
