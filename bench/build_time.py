#!/usr/bin/env python3
"""Benchmark: build time and peak memory of the real data/ and of a synthetic dataset, cold and after a change.

    .venv/bin/python bench/build_time.py                      # data/ and 5,000 synthetic structures
    .venv/bin/python bench/build_time.py --size 50k --sans-reel --sans-index
    .venv/bin/python bench/build_time.py --dossier /dev/shm   # work on tmpfs: the disk's speed left out

Each build is ``build.py build`` as a command line (interpreter start and imports included), into an
output folder that does not exist yet (cold), then again after changing one phone number in one
département file, then again with nothing changed (``build`` has no incremental mode yet: issue #19). Peak memory is
the sum of the proportional set sizes of the build's processes, sampled every 50 ms. Also prints the
size and file count of the site (GitHub Pages publishes at most 1 GB). Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import ROOT, measure
from bench.synthetic import size, synthetic

EPOCH = "1748736000"  # 2025-06-01, the fixture's "today": the synthetic data's dates are then all recent


def site_size(site: Path) -> tuple[int, int]:
    """Files and bytes of a built site."""
    count = total = 0
    for folder, _, names in os.walk(site):
        for name in names:
            count += 1
            total += os.lstat(os.path.join(folder, name)).st_size
    return count, total


def change_one_phone(data: Path) -> str:
    """Change the first phone number of the Somme's file (a fiction number stays a fiction number)."""
    path = data / "departements" / "80-somme.yaml"
    text = path.read_text(encoding="utf-8")
    match = re.search(r'telephone: "(\d\d \d\d \d\d) (\d\d) (\d\d)"', text)
    assert match is not None, "no phone number to change"
    new = f'telephone: "{match.group(1)} {(int(match.group(2)) + 1) % 100:02d} {match.group(3)}"'
    path.write_text(text[: match.start()] + new + text[match.end() :], encoding="utf-8")
    return f"{match.group(0)} → {new}"


def environment(*, real: bool) -> dict[str, str]:
    """The build's environment: the fixture's "today" for synthetic data (real data is dated by the real
    calendar: its sources are recent)."""
    env = {key: value for key, value in os.environ.items() if key != "SOURCE_DATE_EPOCH"}
    if not real:
        env["SOURCE_DATE_EPOCH"] = EPOCH
    return env


def run(label: str, data: Path, out: Path, env: dict[str, str], *, index: bool, incremental: bool) -> None:
    command = [sys.executable, str(ROOT / "build.py"), "build", "--data", str(data), "--out", str(out)]
    command += [] if index else ["--sans-index"]
    shutil.rmtree(out, ignore_errors=True)
    what = "avec index" if index else "sans index"
    cold, memory, output, cpu = measure(command, env)
    summary = next((line for line in output.splitlines() if line.startswith("Site construit")), "")
    files, total = site_size(out)
    print(f"{label}, {what} : à froid {cold:.2f} s (processeur {cpu:.2f} s), mémoire de pointe {memory / 2**20:.0f} Mio ; "
          f"site {total / 1e6:.1f} Mo en {files} fichiers")
    print(f"    {summary}")
    if incremental:
        change = change_one_phone(data)
        warm, memory, output, cpu = measure(command, env)
        print(f"{label}, {what} : un numéro changé ({change}) : {warm:.2f} s (processeur {cpu:.2f} s) "
              f"({100 * warm / cold:.0f} % de la construction à froid), mémoire de pointe {memory / 2**20:.0f} Mio")
        warm, memory, output, cpu = measure(command, env)
        print(f"{label}, {what} : rien de changé : {warm:.2f} s (processeur {cpu:.2f} s), mémoire de pointe {memory / 2**20:.0f} Mio")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=size, default=5_000, help="structures fictives : 5k, 15k, 50k ou un nombre")
    parser.add_argument("--sans-reel", action="store_true", help="ne pas mesurer data/")
    parser.add_argument("--sans-index", action="store_true", help="seulement les constructions sans index")
    parser.add_argument("--sans-incremental", action="store_true", help="seulement les constructions à froid (pas de reconstruction après un changement)")
    parser.add_argument("--dossier", type=Path, default=None, help="dossier de travail (par défaut : /tmp)")
    args = parser.parse_args()
    print(f"charge de la machine : {os.getloadavg()[0]:.1f} pour {os.cpu_count()} cœurs")
    indexes = [False] if args.sans_index else [False, True]
    with tempfile.TemporaryDirectory(dir=args.dossier) as tmp:
        work = Path(tmp)
        if not args.sans_reel:
            shutil.copytree(ROOT / "data", work / "reel")
            for index in indexes:
                run("data/ réel", work / "reel", work / "site-reel", environment(real=True), index=index,
                    incremental=False)
        count = synthetic(work / "synth", args.size)
        for index in indexes:
            run(f"synthétique ({count} structures)", work / "synth", work / "site", environment(real=False),
                index=index, incremental=not args.sans_incremental)


if __name__ == "__main__":
    main()
