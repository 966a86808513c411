"""Measure how long ``build.py serve`` takes to show a saved change: save → new page served.

    python bench/serve_rebuild.py                     # the real data/, search index included
    python bench/serve_rebuild.py --synthetique 10    # plus 10 fictional structures per département
    python bench/serve_rebuild.py --sans-index        # as ``serve --sans-index``
    python bench/serve_rebuild.py --navigateur        # save → new page shown in Chromium, reloaded by itself

The data is copied to a temporary directory; a fictional structure (fiction phone number, example.org)
is appended to one département file and renamed at each measure; the page of that structure is
polled until it shows the new name (or, with --navigateur, the page open in Chromium is watched until it
has reloaded itself and shows it). Prints the median and the worst time.
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
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import CHROMIUM, CHROMIUM_ARGS, ROOT, with_structures


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


def _name(text: str) -> str:
    return re.search(r"nom: (Mesure \d+)", text).group(1)  # type: ignore[union-attr]


def served(page: str, target: Path, saves: Iterator[str]) -> list[float] | None:
    """Save → the server answers with the new page (polled every 5 ms)."""
    times = []
    for text in saves:
        time.sleep(0.5)  # let the previous build settle, as between two real saves
        start = time.perf_counter()
        target.write_text(text, encoding="utf-8")
        while True:
            try:
                with urllib.request.urlopen(page, timeout=5) as response:
                    if _name(text).encode() in response.read():
                        break
            except urllib.error.URLError:
                pass
            if time.perf_counter() - start > 60:
                return None
            time.sleep(0.005)
        times.append(time.perf_counter() - start)
    return times


def in_browser(page: str, target: Path, saves: Iterator[str]) -> list[float] | None:
    """Save → the page open in Chromium has reloaded itself (the preview's event stream) and shows the change."""
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        tab = browser.new_page()
        tab.goto(page)
        tab.wait_for_timeout(500)  # the event stream is open
        for text in saves:
            time.sleep(0.5)
            start = time.perf_counter()
            target.write_text(text, encoding="utf-8")
            tab.locator("h1", has_text=_name(text)).wait_for(timeout=60_000)
            times.append(time.perf_counter() - start)
        browser.close()
    return times


def report(args: argparse.Namespace, summary: str, times: list[float], lines: list[str]) -> None:
    """Print the figures."""
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
        data = work / "data"
        shutil.copytree(args.data, data)
        # the measured structure is fictional (ARCEP fiction number, example.org): allowed in test data only
        with (data / "site.yaml").open("a", encoding="utf-8") as site:
            site.write("donnees_de_test: true\n")
        files = sorted((data / "departements").glob("*.yaml"))
        for n, path in enumerate(files if args.synthetique else []):
            blocks = [structure(f"bench-{path.stem.lower()}-{i}", f"Structure fictive {i}", n * 100 + i)
                      for i in range(args.synthetique)]
            path.write_text(with_structures(path.read_text(encoding="utf-8"), blocks), encoding="utf-8")
        target = files[0]
        original = target.read_text(encoding="utf-8")
        target.write_text(with_structures(original, [structure("bench-mesure", "Mesure 0", 9999)]), encoding="utf-8")
        original = target.read_text(encoding="utf-8")

        command = [sys.executable, str(ROOT / "build.py"), "serve", "--data", "data", "--out", "site", "--port", "0"]
        process = subprocess.Popen(command + (["--sans-index"] if args.sans_index else []), cwd=work,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
        lines: list[str] = []
        ready = threading.Event()

        def read() -> None:
            assert process.stdout is not None
            for line in process.stdout:
                lines.append(line.rstrip("\n"))
                if "Aperçu du site" in line:
                    ready.set()

        threading.Thread(target=read, daemon=True).start()
        try:
            if not ready.wait(120):
                print("\n".join(lines), file=sys.stderr)
                return 1
            url = re.search(r"(http://127\.0\.0\.1:\d+/)", next(line for line in lines if "Aperçu du site" in line)).group(1)
            page = f"{url}structures/bench-mesure/"
            summary = next((line for line in lines if "Aperçu construit" in line), "\n".join(lines))
            saves = (original.replace("nom: Mesure 0", f"nom: Mesure {i}") for i in range(1, args.fois + 1))
            measure = in_browser if args.navigateur else served
            times = measure(page, target, saves)
            if times is None:
                print("\n".join(lines), file=sys.stderr)
                return 1
        finally:
            process.terminate()
            process.wait(20)
    report(args, summary, times, lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
