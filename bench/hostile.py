"""Time and peak memory of ``check`` on hostile files: every shape a megabyte of data can take, files that are
not files, and the Markdown that used to stall the build.

Run: ``.venv/bin/python bench/hostile.py`` (prints figures; about two minutes). ``--vite`` skips the last
section (the whole ``build.py check`` command, process start included).

1. The loader alone on the historical cases (alias bomb, 10 MB, deep nesting, many values).
2. ``check`` in memory, on a copy of tests/fixtures/data whose 80-somme.yaml is replaced by a file of about
   1 MB of one shape (the size cap): one huge value, one huge key, thousands of structures, thousands of
   errors, long addresses, e-mails, hours, Markdown at its limits, a syntax error at the very end… The
   figure is the time of the whole check minus the time of the same check on the unchanged fixture,
   measured in the same process: what this file costs. The goal is « well under a second » for every shape.
3. Files that are not files (a named pipe, a link to /dev/zero, a link out of the data folder, a folder):
   refused at once instead of read forever.
4. Markdown rendering (the build, not check): the worst text check accepts, field and page, and how long
   check takes to refuse what used to take minutes.

Each case of sections 1 and 2 runs in a fresh child process, so that ``ru_maxrss`` (peak resident memory of
the whole process, interpreter included) is the figure for that case alone.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MEGABYTE = 1_000_000

LOADER = r"""
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

# check in memory: the unchanged fixture, then the same folder with the hostile file, in one process
# (imports and caches warm for both), best of two runs each.
IN_MEMORY = r"""
import json, resource, shutil, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from bench.common import settings_for
from annuaire360.diagnostics import Report
from annuaire360.pipeline import check
data, hostile = Path(sys.argv[2]), Path(sys.argv[3])
def timed():
    best, report = None, None
    for _ in range(2):
        report = Report()
        start = time.perf_counter()
        check(settings_for(data), report)
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best, report
baseline, _ = timed()
if str(hostile) != "-":  # "-": the folder already holds what is measured (a special file)
    shutil.copyfile(hostile, data / "departements" / "80-somme.yaml")
seconds, report = timed()
print(json.dumps({
    "baseline": baseline, "seconds": seconds, "items": len(report.items),
    "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    "message": str(report.items[0]) if report.items else "aucun message",
}))
"""

# The whole command in a child process; RUSAGE_CHILDREN gives the peak memory of the check itself.
COMMAND = r"""
import json, resource, subprocess, sys, time
root, data = sys.argv[1], sys.argv[2]
start = time.perf_counter()
code = subprocess.run([sys.executable, root + "/build.py", "check", "--data", data], capture_output=True).returncode
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "code": code,
                  "maxrss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"""

HEAD = 'code: "80"\nnom: Somme\nstructures:\n'
SOURCE = "    sources:\n      - url: https://www.example.org/source\n        consulte_le: 2025-01-10\n"


def billion_laughs(levels: int = 9) -> str:
    """The classic alias bomb: 9 references per level, 9 levels, about 387 million leaves once expanded."""
    lines = ['code: "80"', "nom: Somme", 'lol1: &lol1 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(2, levels + 1):
        lines.append(f"lol{i}: &lol{i} [{','.join([f'*lol{i - 1}'] * 9)}]")
    return "\n".join(lines) + "\n"


def loader_cases() -> dict[str, bytes]:
    comment = b"# " + b"remplissage " * 8 + b"\n"
    return {
        "rien": b"",  # baseline: the interpreter and imports alone
        "alias-bomb": billion_laughs().encode(),
        "10-mo": b'code: "80"\nnom: Somme\n' + comment * (10_000_000 // len(comment) + 1),
        "1000-niveaux": ('code: "80"\nnom: Somme\nstructures: ' + "[" * 1000 + "]" * 1000 + "\n").encode(),
        "999-ko-valeurs": ('code: "80"\nnom: Somme\nstructures: [' + ",".join(["x"] * 490_000) + "]\n").encode(),
        "999-ko-texte": ('code: "80"\nnom: "' + "é" * 490_000 + '"\n').encode(),
    }


def nodes(text: str) -> int:
    """Values and keys of a YAML text, as the loader counts them against its cap."""
    sys.path.insert(0, str(ROOT))
    from annuaire360.source.load import parse

    document = parse(text, Path("x.yaml"), "x.yaml")
    return len(document.values) + len(document.keys)


def structures(block: str, size: int = MEGABYTE - 2000) -> str:
    """A département file of at most ``size`` bytes: ``block`` (one structure, ``{i}`` its number) repeated as
    often as the size cap (1 MB) and the loader's cap on values (10 000) allow."""
    from annuaire360.source.load import MAX_NODES

    budget = (MAX_NODES - 10) // nodes(HEAD + block.replace("{i}", "0"))
    parts, total = [HEAD], len(HEAD)
    for i in range(budget):
        part = block.replace("{i}", str(i))
        if total + len(part.encode()) > size:
            break
        parts.append(part)
        total += len(part.encode())
    return "".join(parts)


def structure(extra: str) -> str:
    return f"  - id: pcpe-{{i}}\n    nom: PCPE {{i}}\n    type: pcpe\n{extra}{SOURCE}"


def contacts(contact: str, count: int) -> str:
    return "    contacts:\n" + "".join(contact.replace("{j}", str(j)) for j in range(count))


def check_cases() -> dict[str, str]:
    """About a megabyte of each shape a département file can take (the size cap is 1 MB, the cap on values
    10 000: a shape made of small values stops there)."""
    long_markdown = ("Texte [lien](https://www.example.org/a) et ( parenthèse.\n" * 90)[:4_900]
    e_mail = "a" * 60 + "-{j}@" + "b" * 60 + "." + "c" * 60 + ".example.org"
    hours = "; ".join(["Mo-Fr 09:00-12:00,14:00-17:00"] * 9)
    return {
        "une-valeur-1-mo": 'code: "80"\nnom: "' + "x" * (MEGABYTE - 100) + '"\n',
        "une-cle-1-mo": 'code: "80"\nnom: Somme\n' + "c" * (MEGABYTE - 100) + ": 1\n",
        "valeurs-10-000": structures(structure("    precisions: \"" + "é" * 4_990 + "\"\n")),
        "commentaires": 'code: "80"\nnom: Somme\n' + "# commentaire 03 53 01 11 11 example.org\n" * 24_000,
        "structures-valides": structures(structure(
            "    adresse: " + "1 rue de la Paix " * 11 + "\n    code_postal: \"80000\"\n    commune: Amiens\n"
            + contacts("      - libelle: Accueil {j}\n        telephone: \"03 53 01 11 11\"\n"
                       "        courriel: accueil-{i}-{j}@example.org\n"
                       "        horaires: Mo-Fr 09:00-12:00,14:00-17:00; PH off\n", 3)
            + "    site_web: https://www.example.org/pcpe-{i}/" + "page/" * 100 + "\n")),
        "erreurs-partout": structures("  - id: PCPE {i}\n    nom: ''\n    type: inconnu\n    champ_{i}: x\n"
                                      "    age: douze\n    code_postal: 8000\n"),
        "champs-inconnus": structures("  - " + "".join(f"specialitee{j}: x\n    " for j in range(40)) + "id: x{i}\n"),
        "adresses-longues": structures(structure("    site_web: https://www.example.org/" + "a" * 1_950 + "\n")),
        "adresses-trompeuses": structures(structure(
            "    site_web: \"https://www.exam\\u200bple.org/" + "a/" * 900 + "\"\n")),
        "adresses-sans-point": structures(structure("    site_web: https://" + "a" * 1_990 + "\n")),
        "courriels": structures(structure(contacts("      - libelle: A\n        courriel: " + e_mail + "\n", 40))),
        "horaires": structures(structure(contacts(
            "      - libelle: A\n        telephone: \"03 53 01 11 11\"\n        horaires: \"" + hours + "\"\n", 40))),
        "markdown-limite": structures(structure("    description: \"" + long_markdown.replace("\n", "\\n") + "\"\n")),
        "markdown-crochets": structures(structure("    description: \"" + "[" * 4_900 + "\"\n")),
        "telephones-dans-le-texte": structures(structure(
            "    description: \"" + ("03 53 01 11 11 " * 5 + "\\n") * 60 + "\"\n")),
        "erreur-yaml-a-la-fin": structures(structure("    description: \"" + "x" * 4_000 + "\"\n"), MEGABYTE - 4000)
        + "  - id: x\n    nom: [non fermé\n",
        "ancre-a-la-fin": structures(structure("    description: \"" + "x" * 4_000 + "\"\n"), MEGABYTE - 4000)
        + "  - &ancre x\n",
    }


def run_child(code: str, *args: str) -> dict[str, object]:
    out = subprocess.run([sys.executable, "-c", code, str(ROOT), *args], capture_output=True, text=True, check=True,
                         timeout=600).stdout
    result: dict[str, object] = json.loads(out)
    return result


def loader_section(folder: Path) -> None:
    print("1. Le chargeur seul (load_file)")
    print(f"{'cas':<16} {'taille':>10} {'temps':>9} {'pic Python':>11} {'pic processus':>14}  message")
    for name, content in loader_cases().items():
        path = folder / name
        path.write_bytes(content)
        f = run_child(LOADER, str(path))
        print(f"{name:<16} {len(content):>10} {float(f['seconds']) * 1000:>7.1f} ms "  # type: ignore[arg-type]
              f"{float(f['traced_peak']) / 1e6:>8.2f} Mo {float(f['maxrss_kb']) / 1024:>11.1f} Mo  "  # type: ignore[arg-type]
              f"{str(f['message'])[:100]}")
        path.unlink()


def check_section(folder: Path) -> None:
    print()
    print("2. check en mémoire, 80-somme.yaml remplacé par ~1 Mo de chaque forme (écart = ce que coûte ce fichier)")
    print(f"{'cas':<26} {'taille':>9} {'écart':>10} {'check':>9} {'témoin':>9} {'messages':>9} {'pic':>9}  premier message")
    for name, text in check_cases().items():
        data = folder / f"data-{name}"
        shutil.copytree(ROOT / "tests" / "fixtures" / "data", data)
        hostile = folder / f"{name}.yaml"
        hostile.write_text(text, encoding="utf-8")
        f = run_child(IN_MEMORY, str(data), str(hostile))
        seconds, baseline = float(f["seconds"]), float(f["baseline"])  # type: ignore[arg-type]
        print(f"{name:<26} {len(text.encode()):>9} {(seconds - baseline) * 1000:>7.0f} ms {seconds:>7.2f} s "
              f"{baseline:>7.2f} s {f['items']:>9} {float(f['maxrss_kb']) / 1024:>6.0f} Mo  "  # type: ignore[arg-type]
              f"{str(f['message'])[:90]}")
        shutil.rmtree(data)
        hostile.unlink()


def special_files_section(folder: Path) -> None:
    print()
    print("3. Ce qui n'est pas un fichier, dans data/departements/ (check en mémoire, processus neuf)")
    outside = folder / "ailleurs.yaml"
    outside.write_text('code: "80"\nnom: Somme\n', encoding="utf-8")
    makers = {
        "tube-nomme": lambda p: os.mkfifo(p),
        "lien-dev-zero": lambda p: p.symlink_to("/dev/zero"),
        "lien-hors-donnees": lambda p: p.symlink_to(outside),
        "dossier": lambda p: p.mkdir(),
    }
    for name, make in makers.items():
        data = folder / f"data-{name}"
        shutil.copytree(ROOT / "tests" / "fixtures" / "data", data)
        target = data / "departements" / "80-somme.yaml"
        target.unlink()
        make(target)
        try:
            f = run_child(IN_MEMORY, str(data), "-")
            print(f"{name:<20} check {float(f['seconds']):>6.2f} s  {str(f['message'])[:110]}")  # type: ignore[arg-type]
        except subprocess.TimeoutExpired:
            print(f"{name:<20} BLOQUÉ (plus de 10 minutes)")
        shutil.rmtree(data)


MARKDOWN = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
from annuaire360.format.values import FIELD_LIMITS, PAGE_LIMITS, markdown_problem
from annuaire360.site.text import markdown_field, markdown_page
cases = json.loads(sys.stdin.read())
for name, kind, text in cases:
    limits = FIELD_LIMITS if kind == "champ" else PAGE_LIMITS
    start = time.perf_counter()
    problem = markdown_problem(text, limits)
    judged = time.perf_counter() - start
    rendered = None
    if problem is None:
        start = time.perf_counter()
        (markdown_field if kind == "champ" else markdown_page)(text)
        rendered = time.perf_counter() - start
    print(json.dumps({"name": name, "kind": kind, "size": len(text), "judged": judged, "rendered": rendered,
                      "problem": problem[1] if problem else None}), flush=True)
"""


def markdown_cases() -> list[tuple[str, str, str]]:
    """The worst Markdown check accepts (rendered), and what used to stall the build (refused)."""
    field, page = 5_000, 200_000

    def at_limit(unit: str, size: int, block_lines: int) -> str:
        block = "\n".join([unit] * block_lines)
        return ("\n\n".join([block] * (size // (len(block) + 2) + 1)))[:size]

    def brackets(size: int, budget: int) -> str:
        # one unmatched « [ » per paragraph, each paragraph as long as the budget allows
        paragraph = "[" + "x" * (budget // 2 - 2)
        return ("\n\n".join([paragraph] * (size // (len(paragraph) + 2) + 1)))[:size]

    return [
        ("crochets-ouverts", "champ", "[" * field),
        ("liens-sans-parenthese", "champ", "[](" * (field // 3)),
        ("references-ouvertes", "champ", "[x][" * (field // 4)),
        ("citations-imbriquees", "champ", ">" * field),
        ("crochets-au-budget", "champ", brackets(field, 20_000)),
        ("liste-numerotee", "champ", at_limit("1. x", field, 100)),
        ("traits", "champ", at_limit("***", field, 100)),
        ("liens", "champ", ("[lien](https://www.example.org/a) " * 200)[:field]),
        ("crochets-ouverts", "page", "[" * page),
        ("sigles", "page", "\n".join(f"*[S{i}]: sigle" for i in range(5_000))),
        ("crochets-au-budget", "page", brackets(page, 200_000)),
        ("liste-numerotee", "page", at_limit("1. x", page, 500)),
        ("liste", "page", at_limit("- x", page, 500)),
        ("traits", "page", at_limit("***", page, 500)),
        ("tableau", "page", at_limit("| a | b |", page, 500)),
        ("texte", "page", at_limit("Une phrase ordinaire d'une page de contenu.", page, 20)),
    ]


def markdown_section() -> None:
    print()
    print("4. Markdown : le pire texte accepté par check (rendu), ce qui bloquait la construction (refusé)")
    print(f"{'cas':<24} {'genre':<6} {'taille':>8} {'jugé en':>9} {'rendu en':>9}  verdict")
    child = subprocess.Popen([sys.executable, "-c", MARKDOWN, str(ROOT)], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)
    out, _ = child.communicate(json.dumps(markdown_cases()), timeout=600)
    for line in out.splitlines():
        f = json.loads(line)
        rendered = f"{f['rendered'] * 1000:>6.0f} ms" if f["rendered"] is not None else "        –"
        verdict = f"refusé : {f['problem']}"[:80] if f["problem"] else "accepté"
        print(f"{f['name']:<24} {f['kind']:<6} {f['size']:>8} {f['judged'] * 1000:>6.1f} ms {rendered}  {verdict}")


def command_section(folder: Path) -> None:
    print()
    print("5. La commande entière (build.py check, démarrage de Python compris) sur quelques cas")
    print(f"{'cas':<26} {'temps':>9} {'pic processus':>14}  code de sortie")
    cases = {**{k: v.decode() for k, v in loader_cases().items() if k != "rien"},
             **{k: v for k, v in check_cases().items() if k in ("une-valeur-1-mo", "erreurs-partout",
                                                                  "structures-valides", "erreur-yaml-a-la-fin")}}
    for name, text in cases.items():
        data = folder / f"data-{name}"
        shutil.copytree(ROOT / "tests" / "fixtures" / "data", data)
        (data / "departements" / "80-somme.yaml").write_text(text, encoding="utf-8")
        f = run_child(COMMAND, str(data))
        print(f"{name:<26} {float(f['seconds']):>7.2f} s {float(f['maxrss_kb']) / 1024:>11.1f} Mo  {f['code']}")  # type: ignore[arg-type]
        shutil.rmtree(data)


def main() -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        loader_section(folder)
        check_section(folder)
        special_files_section(folder)
        markdown_section()
        if "--vite" not in sys.argv:
            command_section(folder)


if __name__ == "__main__":
    main()
