"""Time and peak memory of the loader on hostile files: the alias bomb, a 10 MB file, and the worst
files that still get past the size cap (deep nesting, many tiny values).

Run: ``.venv/bin/python bench/hostile.py`` (prints one line per case, then the same files through the
whole ``build.py check``).

The scanner of PyYAML keeps up to 1 024 characters of "possible simple keys": deep flow nesting costs a
bounded ~0.5 s before the depth cap answers, whatever the nesting; large quoted texts cost a few seconds
per megabyte, which the 1 Mo size cap bounds.

Each case runs in a fresh child process, so that ``ru_maxrss`` (peak resident memory of the whole
process, interpreter included) is the figure for that case alone; ``tracemalloc`` gives the peak of
Python allocations made while loading, and the baseline line shows what the interpreter costs by itself.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, resource, sys, time, tracemalloc
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from annuaire360.diagnostics import Report
from annuaire360.source.load import load_file
path = Path(sys.argv[2])
def load():
    report = Report()
    if path.name != "rien":
        load_file(path, path.name, report)
    return report
start = time.perf_counter()
report = load()  # timed without tracemalloc, which slows allocation-heavy code down several times
seconds = time.perf_counter() - start
tracemalloc.start()
load()
_, peak = tracemalloc.get_traced_memory()
tracemalloc.stop()
print(json.dumps({
    "seconds": seconds,
    "traced_peak": peak,
    "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    "message": str(report.items[0]) if report.items else "chargé sans erreur",
}))
"""


# The whole command in a child process; RUSAGE_CHILDREN gives the peak memory of the check itself.
CHECK = r"""
import json, resource, subprocess, sys, time
root, data = sys.argv[1], sys.argv[2]
start = time.perf_counter()
code = subprocess.run([sys.executable, root + "/build.py", "check", "--data", data], capture_output=True).returncode
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "code": code,
                  "maxrss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"""


def billion_laughs(levels: int = 9) -> str:
    """The classic alias bomb: 9 references per level, 9 levels, about 387 million leaves once expanded."""
    lines = ['code: "80"', "nom: Somme", 'lol1: &lol1 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(2, levels + 1):
        lines.append(f"lol{i}: &lol{i} [{','.join([f'*lol{i - 1}'] * 9)}]")
    return "\n".join(lines) + "\n"


def cases() -> dict[str, bytes]:
    comment = b"# " + b"remplissage " * 8 + b"\n"
    return {
        "rien": b"",  # baseline: the interpreter and imports alone
        "alias-bomb": billion_laughs().encode(),
        "10-mo": b'code: "80"\nnom: Somme\n' + comment * (10_000_000 // len(comment) + 1),
        "1000-niveaux": ('code: "80"\nnom: Somme\nstructures: ' + "[" * 1000 + "]" * 1000 + "\n").encode(),
        "999-ko-valeurs": ('code: "80"\nnom: Somme\nstructures: [' + ",".join(["x"] * 490_000) + "]\n").encode(),
        "999-ko-texte": ('code: "80"\nnom: "' + "é" * 490_000 + '"\n').encode(),
    }


def main() -> None:
    print(f"{'cas':<16} {'taille':>10} {'temps':>9} {'pic Python':>11} {'pic processus':>14}  message")
    inputs = cases()  # built once: some are megabytes long
    with tempfile.TemporaryDirectory() as folder:
        for name, content in inputs.items():
            path = Path(folder) / name
            path.write_bytes(content)
            out = subprocess.run(
                [sys.executable, "-c", CHILD, str(ROOT), str(path)], capture_output=True, text=True, check=True
            ).stdout
            figures = json.loads(out)
            print(
                f"{name:<16} {len(content):>10} {figures['seconds'] * 1000:>7.1f} ms {figures['traced_peak'] / 1e6:>8.2f} Mo "
                f"{figures['maxrss_kb'] / 1024:>11.1f} Mo  {figures['message'][:110]}"
            )
        print()
        print("Vérification complète (build.py check sur une copie de tests/fixtures/data, le fichier en 80-somme.yaml) :")
        print(f"{'cas':<16} {'temps':>9} {'pic processus':>14}  code de sortie")
        for name, content in inputs.items():
            if name == "rien":
                continue
            data = Path(folder) / f"data-{name}"
            shutil.copytree(ROOT / "tests" / "fixtures" / "data", data)
            (data / "departements" / "80-somme.yaml").write_bytes(content)
            out = subprocess.run(
                [sys.executable, "-c", CHECK, str(ROOT), str(data)], capture_output=True, text=True, check=True
            ).stdout
            figures = json.loads(out)
            print(f"{name:<16} {figures['seconds']:>7.2f} s {figures['maxrss_kb'] / 1024:>11.1f} Mo  {figures['code']}")


if __name__ == "__main__":
    main()
