"""Measure how long ``build.py serve`` takes to show a saved change: save → new page served.

    python bench/serve_rebuild.py                     # the real data/, search index included
    python bench/serve_rebuild.py --synthetique 10    # plus 10 fictional structures per département
    python bench/serve_rebuild.py --sans-index        # as ``serve --sans-index``
    python bench/serve_rebuild.py --navigateur        # save → new page shown in Chromium, reloaded by itself

The data is copied to a temporary directory; a fictional structure (fiction phone number, example.org)
is appended to one département file and renamed at each measure; the page of that structure is
polled until it shows the new name (with --navigateur, the page open in Chromium is watched until it has
reloaded itself and shows it). Prints the median and the worst time.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import CHROMIUM, CHROMIUM_ARGS, ROOT, as_test_data, with_structures


def structure(identifier: str, name: str, number: int) -> str:
    return (
        f"  - id: {identifier}\n"
        f"    nom: {name}\n"
        "    type: autre\n"
        "    contacts:\n"
        "      - libelle: Accueil\n"
        f"        telephone: \"03 53 01 {number // 100 % 100:02d} {number % 100:02d}\"\n"
        "    sources:\n"
        f"      - url: https://www.example.org/{identifier}\n"
        "        consulte_le: 2025-01-10\n"
    )


def prepare(source: Path, data: Path, per_departement: int) -> tuple[Path, str]:
    """Copy the data, add the fictional structures, and the one whose name each measure changes."""
    shutil.copytree(source, data)
    as_test_data(data)  # fiction numbers and example.org: allowed in test data only
    files = sorted((data / "departements").glob("*.yaml"))
    for n, path in enumerate(files if per_departement else []):
        blocks = [structure(f"bench-{path.stem.lower()}-{i}", f"Structure fictive {i}", n * 100 + i)
                  for i in range(per_departement)]
        path.write_text(with_structures(path.read_text(encoding="utf-8"), blocks), encoding="utf-8")
    target = files[0]
    target.write_text(with_structures(target.read_text(encoding="utf-8"), [structure("bench-mesure", "Mesure 0", 9999)]),
                      encoding="utf-8")
    return target, target.read_text(encoding="utf-8")


class Preview:
    """``build.py serve`` in a subprocess, its output collected line by line."""

    def __init__(self, work: Path, index: bool) -> None:
        command = [sys.executable, str(ROOT / "build.py"), "serve", "--data", "data", "--out", "site", "--port", "0"]
        self.process = subprocess.Popen(command + ([] if index else ["--sans-index"]), cwd=work,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
        self.lines: list[str] = []
        self.ready = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))
            if "Aperçu du site" in line:
                self.ready.set()

    def url(self) -> str | None:
        """The preview's address once it serves, None if it never did."""
        if not self.ready.wait(120):
            return None
        found = re.search(r"(http://127\.0\.0\.1:\d+/)", next(line for line in self.lines if "Aperçu du site" in line))
        return found.group(1) if found else None

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(20)


def wait_for(page: str, expected: str, start: float) -> float | None:
    """Seconds from ``start`` until ``page`` shows ``expected``; None after a minute."""
    while time.perf_counter() - start <= 60:
        try:
            with urllib.request.urlopen(page, timeout=5) as response:
                if expected.encode() in response.read():
                    return time.perf_counter() - start
        except urllib.error.URLError:
            pass
        time.sleep(0.005)
    return None


def measure(target: Path, original: str, page: str, count: int) -> list[float] | None:
    """Save a new name ``count`` times; the time each took to reach the page."""
    times: list[float] = []
    for i in range(1, count + 1):
        time.sleep(0.5)  # let the previous build settle, as between two real saves
        expected = f"Mesure {i}"
        start = time.perf_counter()
        target.write_text(original.replace("nom: Mesure 0", f"nom: {expected}"), encoding="utf-8")
        seconds = wait_for(page, expected, start)
        if seconds is None:
            return None
        times.append(seconds)
    return times


def measure_in_browser(target: Path, original: str, page: str, count: int) -> list[float] | None:
    """Save a new name ``count`` times; the time until the page open in Chromium, reloaded by the preview's
    event stream (no polling, no click), shows it."""
    from playwright.sync_api import sync_playwright

    times: list[float] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        tab = browser.new_page()
        tab.goto(page)
        tab.wait_for_timeout(500)  # the event stream is open
        for i in range(1, count + 1):
            time.sleep(0.5)
            expected = f"Mesure {i}"
            start = time.perf_counter()
            target.write_text(original.replace("nom: Mesure 0", f"nom: {expected}"), encoding="utf-8")
            tab.locator("h1", has_text=expected).wait_for(timeout=60_000)
            times.append(time.perf_counter() - start)
        browser.close()
    return times


def report(args: argparse.Namespace, lines: list[str], times: list[float]) -> None:
    summary = next((line for line in lines if "Aperçu construit" in line), "\n".join(lines))
    builds = [float(m.group(1)) for line in lines[1:]
              if (m := re.search(r"^Modifié : .*Aperçu construit.* en ([0-9.]+) s", line))]
    print(f"Données : {args.data} (+{args.synthetique} structures fictives par département) ; "
          f"index de recherche : {'non' if args.sans_index else 'oui'}")
    print(f"Premier build : {summary}")
    print(f"Enregistrement → page à jour {'affichée dans Chromium' if args.navigateur else 'servie'} : médiane {statistics.median(times):.2f} s, "
          f"pire {max(times):.2f} s, meilleure {min(times):.2f} s ({len(times)} mesures)")
    if builds:
        print(f"Dont reconstruction en mémoire (chargement → rendu) : médiane {statistics.median(builds):.2f} s")
    load = os.getloadavg()[0]
    print(f"Charge de la machine : {load:.1f} pour {os.cpu_count()} cœurs" +
          (" (machine occupée : les temps sont gonflés)" if load > (os.cpu_count() or 1) else ""))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT / "data")
    parser.add_argument("--fois", type=int, default=7, help="nombre de mesures")
    parser.add_argument("--synthetique", type=int, default=0, help="structures fictives ajoutées par département")
    parser.add_argument("--sans-index", action="store_true")
    parser.add_argument("--navigateur", action="store_true",
                        help="mesurer jusqu'à la page affichée dans Chromium (rechargée par l'aperçu lui-même)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        target, original = prepare(args.data, work / "data", args.synthetique)
        preview = Preview(work, index=not args.sans_index)
        try:
            url = preview.url()
            how = measure_in_browser if args.navigateur else measure
            times = how(target, original, f"{url}structures/bench-mesure/", args.fois) if url else None
        finally:
            preview.stop()
    if not times:
        print("\n".join(preview.lines), file=sys.stderr)
        return 1
    report(args, preview.lines, times)
    return 0


if __name__ == "__main__":
    sys.exit(main())
