"""Measure how long ``build.py serve`` takes to show a saved change: save → new page served.

    python bench/serve_rebuild.py                     # the real data/, search index included
    python bench/serve_rebuild.py --synthetique 10    # plus 10 fictional structures per département
    python bench/serve_rebuild.py --sans-index        # as ``serve --sans-index``

The data is copied to a temporary directory; a fictional structure (fiction phone number, example.org)
is appended to one département file and renamed at each measure; the page of that structure is
polled until it shows the new name. Prints the median and the worst time.
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
from bench.common import ROOT, with_structures


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT / "data")
    parser.add_argument("--fois", type=int, default=7, help="nombre de mesures")
    parser.add_argument("--synthetique", type=int, default=0, help="structures fictives ajoutées par département")
    parser.add_argument("--sans-index", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        data = work / "data"
        shutil.copytree(args.data, data)
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
            times: list[float] = []
            for i in range(1, args.fois + 1):
                time.sleep(0.5)  # let the previous build settle, as between two real saves
                expected = f"Mesure {i}"
                start = time.perf_counter()
                target.write_text(original.replace("nom: Mesure 0", f"nom: {expected}"), encoding="utf-8")
                while True:
                    try:
                        with urllib.request.urlopen(page, timeout=5) as response:
                            if expected.encode() in response.read():
                                break
                    except urllib.error.URLError:
                        pass
                    if time.perf_counter() - start > 60:
                        print("\n".join(lines), file=sys.stderr)
                        return 1
                    time.sleep(0.005)
                times.append(time.perf_counter() - start)
        finally:
            process.terminate()
            process.wait(20)
    builds = [float(m.group(1)) for line in lines[1:]
              if (m := re.search(r"^Modifié : .*Aperçu construit.* en ([0-9.]+) s", line))]
    print(f"Données : {args.data} (+{args.synthetique} structures fictives par département) ; "
          f"index de recherche : {'non' if args.sans_index else 'oui'}")
    print(f"Premier build : {summary}")
    print(f"Enregistrement → page à jour servie : médiane {statistics.median(times):.2f} s, "
          f"pire {max(times):.2f} s, meilleure {min(times):.2f} s ({len(times)} mesures)")
    if builds:
        print(f"Dont reconstruction en mémoire (chargement → rendu) : médiane {statistics.median(builds):.2f} s")
    load = os.getloadavg()[0]
    print(f"Charge de la machine : {load:.1f} pour {os.cpu_count()} cœurs" +
          (" (machine occupée : les temps sont gonflés)" if load > (os.cpu_count() or 1) else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
