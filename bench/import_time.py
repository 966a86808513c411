#!/usr/bin/env python3
"""Benchmark: the importers at national scale, then the site built with what they wrote.

A synthetic « FINESS Structures » file of ~15 000 establishments (the kept categories, a few with a PCPE,
the Nord and Paris larger, as in reality) and an Annuaire export of the 101 MDPH, with ARCEP fiction
numbers and example.org only, are imported into a copy of the fixture dataset; then ``check`` and the
build run on it. Each step runs in its own process: its wall time and peak memory (max RSS) are printed,
with the largest generated file against the loader's caps and the heaviest département page.
Prints figures; asserts nothing.

Usage: .venv/bin/python bench/import_time.py [--etablissements 15000] [--index]
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from annuaire360.format.values import DEPARTEMENT_CODES
from annuaire360.importers.finess import CATEGORIES
from annuaire360.source.load import GENERATED, parse
from bench.common import FIXTURE_DATA, ROOT

FICTION = ["01 99 00", "02 61 91", "03 53 01", "04 65 71", "05 36 49"]
LARGE = {"59": 0.045, "75": 0.035, "13": 0.03, "69": 0.028, "62": 0.027}
"""Share of the national total for the largest départements (the others share the rest evenly)."""

RUNNER = """
import resource, sys, time
sys.argv = ["build.py", *sys.argv[1:]]
sys.path.insert(0, {root!r})
from annuaire360.cli import main
start = time.perf_counter()
code = main(sys.argv[1:])
print("MESURE", code, time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
"""


def phone(n: int) -> str:
    prefix = FICTION[n % len(FICTION)]
    rest = (n // len(FICTION)) % 10_000
    return f"{prefix} {rest // 100:02d} {rest % 100:02d}"


def commune(code: str) -> tuple[str, str]:
    """A valid INSEE code and a postcode in the département (synthetic, for the shapes only)."""
    if code in ("2A", "2B"):
        return f"{code}004", "20000"
    if code.startswith("97"):
        return f"{code}01", f"{code}00"
    return f"{code}001", f"{code}000"


def shares(total: int) -> dict[str, int]:
    rest = (total - sum(round(total * s) for s in LARGE.values())) // (len(DEPARTEMENT_CODES) - len(LARGE))
    return {code: round(total * LARGE[code]) if code in LARGE else rest for code in DEPARTEMENT_CODES}


def finess_file(path: Path, total: int) -> int:
    categories = sorted(CATEGORIES)
    entities, n = [], 0
    for code, count in shares(total).items():
        insee, postcode = commune(code)
        sites = []
        for i in range(count):
            n += 1
            number = ("20" if code in ("2A", "2B") else code[:2]) + f"{n:07d}"
            sites.append({
                "informationsGeneralesEGE": {"egeId": str(n), "numFinessEge": number,
                                             "nomEgeLong": f"ÉTABLISSEMENT FICTIF {n} DU {code}", "nomEgeCourt": f"FICTIF {n}"},
                "categorieentiteGeographiqueExercice": categories[n % len(categories)],
                "adresse": [{"usageAdresse": "03", "numeroVoie": str(i % 200 + 1), "typeVoie": "R",
                             "libelleVoie": "DE L'EXEMPLE", "cogCommune": insee, "codePostal": postcode,
                             "ligneAcheminement": "EXEMPLEVILLE",
                             "coordonneesGeographique": {"directionLatitude": "46.5", "directionLongitude": "2.5"}}],
                "contact": [{"typeContact": {"roleContact": "01"}, "telecom": {"telephone": phone(n)}}],
                "engagement": [{"typeEngagement": "DISP", "sousTypeEngagement": "PCP"}] if n % 20 == 0 else [],
                "etatObjet": "A", "dateDerniereMaj": "2025-04-01 00:00:00",
            })
        entities.append({"informationsGeneralesPMEJ": {"denominationLonguePmSmsse": f"GESTIONNAIRE FICTIF DU {code}"},
                         "ege": sites, "etatObjet": "A"})
    document = {"schemaVersion": "v1.0.0", "generatedAt": "2025-05-20T02:00:00Z", "gcc": [], "gco": [], "pmej": entities}
    path.write_bytes(gzip.compress(json.dumps(document, ensure_ascii=False).encode()))
    return n


def annuaire_file(path: Path) -> None:
    records = []
    for i, code in enumerate(DEPARTEMENT_CODES):
        insee, postcode = commune(code)
        records.append({
            "id": f"00000000-0000-4000-8000-{i:012d}", "nom": f"MDPH fictive du {code}",
            "pivot": json.dumps([{"type_service_local": "maison_handicapees", "code_insee_commune": [insee]}]),
            "code_insee_commune": insee,
            "adresse": json.dumps([{"type_adresse": "Adresse", "numero_voie": "1 rue de l'Exemple", "code_postal": postcode,
                                    "nom_commune": "Exempleville", "latitude": "46.5", "longitude": "2.5"}]),
            "telephone": json.dumps([{"valeur": phone(50_000 + i), "description": ""}]),
            "adresse_courriel": f"mdph{i}@example.org",
            "site_internet": json.dumps([{"libelle": "", "valeur": f"https://mdph{i}.example.org"}]),
            "plage_ouverture": json.dumps([{"nom_jour_debut": "Lundi", "nom_jour_fin": "Vendredi",
                                            "valeur_heure_debut_1": "09:00:00", "valeur_heure_fin_1": "12:30:00",
                                            "valeur_heure_debut_2": "13:30:00", "valeur_heure_fin_2": "17:00:00"}]),
            "date_modification": "15/01/2025 10:00:00",
            "url_service_public": f"https://lannuaire.service-public.gouv.fr/exemple/{i}",
        })
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")


def step(label: str, *args: str) -> None:
    """Run build.py in a fresh process; print its wall time and peak memory."""
    result = subprocess.run([sys.executable, "-c", RUNNER.format(root=str(ROOT)), *args], capture_output=True, text=True,
                            env={"SOURCE_DATE_EPOCH": "1748736000", "PATH": "/usr/bin:/bin"})
    line = next((x for x in result.stderr.splitlines() if x.startswith("MESURE")), None)
    if line is None or line.split()[1] != "0":
        sys.exit(f"{label} a échoué :\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}")
    _, _, seconds, rss = line.split()
    print(f"{label:<42} {float(seconds):7.1f} s   mémoire max {int(rss) / 1024:7.0f} Mo")


def largest_files(data: Path) -> None:
    for source in ("finess", "annuaire-service-public"):
        files = sorted((data / "imports" / source).glob("*.yaml"), key=lambda p: p.stat().st_size)
        if not files:
            continue
        biggest = files[-1]
        text = biggest.read_text(encoding="utf-8")
        document = parse(text, biggest, biggest.name, GENERATED.max_nodes)
        print(f"plus gros fichier {source}: {biggest.name} {len(text.encode()) / 1e6:.2f} Mo, {len(document.values) + len(document.keys)} "
              f"nœuds YAML (plafonds des fichiers générés : {GENERATED.max_bytes / 1e6:.0f} Mo, {GENERATED.max_nodes} nœuds ; "
              f"fichiers écrits à la main : 1 Mo, 20 000 nœuds)")


def heaviest_page(site: Path) -> None:
    pages = [(len(gzip.compress(p.read_bytes())), p) for p in (site / "departements").glob("*/index.html")]
    size, path = max(pages)
    print(f"page de département la plus lourde : {path.parent.name} {path.stat().st_size / 1000:.0f} Ko, "
          f"{size / 1000:.0f} Ko gzip (HTML seul)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--etablissements", type=int, default=15_000)
    parser.add_argument("--index", action="store_true", help="construire aussi l'index de recherche (Pagefind)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        root = Path(tmp)
        data = root / "data"
        shutil.copytree(FIXTURE_DATA, data)
        finess, annuaire = root / "finess-structures-journalier-20250520.json.gz", root / "export.json"
        count = finess_file(finess, args.etablissements)
        annuaire_file(annuaire)
        print(f"entrées : {count} établissements FINESS ({finess.stat().st_size / 1e6:.1f} Mo gzip), "
              f"{len(DEPARTEMENT_CODES)} MDPH (Annuaire, {annuaire.stat().st_size / 1e6:.1f} Mo)")
        start = time.perf_counter()
        step("import FINESS", "importer", "finess", "--data", str(data), "--fichier", str(finess))
        step("import Annuaire de l'administration", "importer", "annuaire-service-public", "--data", str(data),
             "--fichier", str(annuaire))
        step("import FINESS à nouveau (rien ne change)", "importer", "finess", "--data", str(data), "--fichier", str(finess))
        largest_files(data)
        step("check", "check", "--data", str(data))
        build_args = ["--data", str(data), "--out", str(root / "site")] + ([] if args.index else ["--sans-index"])
        step("build" + ("" if args.index else " (sans index de recherche)"), *build_args)
        heaviest_page(root / "site")
        pages = sum(1 for _ in (root / "site").rglob("index.html"))
        print(f"{pages} pages ; total {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
