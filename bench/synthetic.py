"""Synthetic datasets at national scale, for the benchmarks: the fixture data plus N fictional structures.

Every number is one of ARCEP's fiction numbers, every address an ``example.org`` one; names, types,
publics, hours and descriptions vary (seeded, so that a size always gives the same files). Like imported
data, about a third of the structures have no description and a third share one of a few stock texts.

    .venv/bin/python bench/synthetic.py 5000 /tmp/synth      # write a dataset of 5,000 structures
"""

from __future__ import annotations

import json
import random
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import FIXTURE_DATA, with_structures  # noqa: E402

SIZES = {"5k": 5_000, "15k": 15_000, "50k": 50_000}
"""The dataset sizes the issue measures (« 5k », « 15k », « 50k »)."""

# ARCEP's fiction blocks: each gives 10,000 numbers, so up to 60,000 distinct numbers.
FICTION_BLOCKS = ("01 99 00", "02 61 91", "03 53 01", "04 65 71", "05 36 49", "06 39 98")
TYPES = ("pcpe", "plateforme-repit", "equipe-mobile", "emploi-accompagne", "dac", "sessad", "gem", "samsah",
         "savs", "camsp", "cmpp", "esat", "ccas", "mdph", "cap-emploi", "pole-ressources-handicap")
WORDS = ("répit", "aidants", "accueil", "temporaire", "autisme", "troubles", "neurodéveloppement", "psychique",
         "moteur", "surdité", "cécité", "polyhandicap", "scolarisation", "emploi", "logement", "loisirs", "vacances",
         "transport", "diagnostic", "orientation", "soins", "rééducation", "orthophonie", "psychomotricité",
         "ergothérapie", "accompagnement", "domicile", "famille", "enfants", "adultes", "adolescents",
         "vieillissement", "hébergement", "insertion", "formation", "conseil", "écoute", "soutien", "droits")
PLACES = ("Les Tilleuls", "Le Moulin", "La Source", "Les Coquelicots", "Le Phare", "L'Escale", "La Passerelle",
          "Les Glycines", "Le Trait d'union", "La Boussole", "Les Alizés", "Le Colibri", "L'Envol", "La Clairière")
HOURS = ("Mo-Fr 09:00-12:00,14:00-17:00; PH off", "Mo-Fr 08:30-17:30", "Mo-Th 09:00-17:00; Fr 09:00-12:00",
         "Mo,Tu,Th 09:00-16:00", "Mo-Sa 10:00-18:00; PH off", "24/7")
SITUATIONS = ("autisme-tnd", "psychique", "moteur", "auditif", "visuel", "intellectuel", "polyhandicap",
              "tous-handicaps", "handicaps-rares", "cerebrolesion")
STOCK = [
    "Établissement ou service médico-social. Les informations viennent du répertoire **FINESS** ; "
    f"appelez avant de vous déplacer (texte type {n})." for n in range(12)
]


def _description(rng: random.Random, serial: int) -> str | None:
    """None for a third, a stock text for a third, a text of its own for the rest (Markdown: emphasis,
    a link, a list)."""
    draw = rng.random()
    if draw < 0.35:
        return None
    if draw < 0.65:
        return rng.choice(STOCK)
    words = rng.sample(WORDS, 12)
    return (f"Le service propose **{words[0]}** et {words[1]} pour les {words[2]} ; "
            f"voir la [page du service](https://www.example.org/s/{serial}).\n\n"
            f"- {words[3]} et {words[4]} ;\n- {words[5]}, {words[6]} et {words[7]} ;\n"
            f"- {' '.join(words[8:])}.")


def _phone(serial: int) -> str:
    block = FICTION_BLOCKS[serial // 10_000 % len(FICTION_BLOCKS)]
    return f"{block} {serial // 100 % 100:02d} {serial % 100:02d}"


def _indent(text: str, spaces: int) -> str:
    return "\n".join((" " * spaces + line) if line else "" for line in text.splitlines())


def structure_block(rng: random.Random, serial: int, code: str, nom: str, index: int, zone: list[str] | None) -> str:
    """One structure as a département file writes it (a YAML list item); ``zone``: the départements of its
    zone_eligibilite, if it has one (a data/ressources/ file needs it)."""
    type_ = TYPES[rng.randrange(len(TYPES))]
    age_min = rng.choice((0, 0, 6, 16, 18, 20))
    rng.choice(("membre-coeur", "partenaire", "non-precise"))  # a role, once: now in communaute.membres
    lines = [
        f"  - id: fictif-{code.lower()}-{index}",
        f"    nom: {rng.choice(PLACES)} — {' '.join(rng.sample(WORDS, 2)).capitalize()} {nom} {index} (fictif)",
        f"    type: {type_}",
        f"    notification_mdph: {rng.choice(('oui', 'non', 'inconnu'))}",
        f"    acces: {rng.choice(('direct', 'professionnel', 'direct-ou-professionnel', 'inconnu'))}",
        "    public:",
        f"      age_min: {age_min}",
    ]
    if rng.random() < 0.5:
        lines.append(f"      age_max: {age_min + rng.choice((6, 20, 40, 60))}")
    lines.append(f"      situations: [{', '.join(rng.sample(SITUATIONS, rng.randint(1, 2)))}]")
    if rng.random() < 0.3:
        lines.append("      aidants: true")
    if zone is not None:
        lines += ["    zone_eligibilite:", f"      departements: {json.dumps(zone)}"]
    lines += ["    contacts:", "      - libelle: Accueil", f"        telephone: \"{_phone(serial)}\"",
              f"        horaires: \"{rng.choice(HOURS)}\""]
    if rng.random() < 0.3:
        lines += ["      - libelle: Ligne des familles", f"        courriel: familles-{serial}@example.org",
                  "        pour: familles"]
    if rng.random() < 0.5:
        lines += [f"    adresse: {rng.randint(1, 120)} rue de l'Exemple", "    code_postal: \"80000\"",
                  f"    commune: {nom}"]
    description = _description(rng, serial)
    if description is not None:
        lines += ["    description: |", _indent(description, 6)]
    if index > 0 and rng.random() < 0.05:
        lines.append(f"    voir_aussi: [fictif-{code.lower()}-{rng.randrange(index)}]")
    lines += ["    sources:", f"      - url: https://www.example.org/fiche/{serial}", "        consulte_le: 2025-01-10"]
    if rng.random() < 0.5:
        lines += ["    verifie_le: 2025-02-01", "    verifie_par: service"]
    return "\n".join(lines) + "\n"


def synthetic(target: Path, structures: int, *, seed: int = 360) -> int:
    """Copy the fixture dataset to ``target`` and spread ``structures`` fictional structures over its
    101 département files (as evenly as possible); return how many structures the dataset holds in all."""
    import yaml

    rng = random.Random(seed)
    shutil.copytree(FIXTURE_DATA, target)
    files = sorted((target / "departements").glob("*.yaml"))
    codes = [path.stem.split("-")[0] for path in files]
    serial = 0
    for n, path in enumerate(files):
        text = path.read_text(encoding="utf-8")
        code, nom = codes[n], yaml.safe_load(text)["nom"]
        count = structures // len(files) + (1 if n < structures % len(files) else 0)
        blocks = []
        for index in range(count):
            serial += 1
            neighbour = codes[(n + 1) % len(codes)] if rng.random() < 0.1 else None
            zone = [code, neighbour] if neighbour is not None else [code] if index >= PER_FILE else None
            blocks.append(structure_block(rng, serial, code, nom, index, zone))
        path.write_text(with_structures(text, blocks[:PER_FILE]), encoding="utf-8")
        for part, start in enumerate(range(PER_FILE, count, PER_FILE)):
            extra = target / "ressources" / f"synthetique-{code.lower()}-{part + 1}.yaml"
            extra.write_text("ressources:\n" + "".join(blocks[start : start + PER_FILE]), encoding="utf-8")
    return structures + _fixture_structures()


PER_FILE = 180
"""Structures per file: a hand-written file holds at most 10,000 YAML values (source/load.py, about 46 per
structure here). Beyond, a département's structures go to data/ressources/ files that serve it (at 50,000
structures, three files per département), as an importer's would go to data/imports/."""


def _fixture_structures() -> int:
    import yaml

    total = 0
    for path in FIXTURE_DATA.rglob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        total += sum(len(data.get(key) or []) for key in ("structures", "ressources", "ressources_nationales"))
    return total


def size(text: str) -> int:
    """A size as the benchmarks take it: « 5k », « 15k », « 50k », or a number."""
    return SIZES.get(text) or int(text.replace("_", ""))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: bench/synthetic.py SIZE TARGET   (SIZE: 5k, 15k, 50k or a number)")
    total = synthetic(Path(sys.argv[2]), size(sys.argv[1]))
    print(f"{total} structures written to {sys.argv[2]}")
