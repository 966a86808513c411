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


def _tree(root: int) -> list[int]:
    """``root`` and its descendants, from /proc (ppid of each process)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(parents.get(pid, []))
    return found


def _pss(pid: int) -> int:
    """Proportional set size of a process in bytes (shared pages split between their users), 0 if gone."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def measure(command: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> tuple[float, int, str, float]:
    """Run ``command``: its wall time, the peak memory of its process tree (sum of PSS, sampled every 50 ms:
    worker processes count, pages they share with their parent count once), its output, and the CPU time
    (user + system) of it and its children — steadier than wall time on a busy machine.
    Exits with the command's output if it fails."""
    import os
    import subprocess
    import tempfile
    import time

    with tempfile.TemporaryFile(mode="w+") as log:
        start = time.perf_counter()
        process = subprocess.Popen(command, env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT, text=True)
        peak = 0
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            peak = max(peak, sum(_pss(p) for p in _tree(process.pid)))
            time.sleep(0.05)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        output = log.read()
    if process.returncode != 0:
        sys.exit(f"échec de {' '.join(command)} :\n{output[-3000:]}")
    return elapsed, peak, output, usage.ru_utime + usage.ru_stime
