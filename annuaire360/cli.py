"""Command line: ``python build.py [build|check] [--data DIR] [--out DIR] [--strict]``."""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from pathlib import Path

from .diagnostics import Report
from .pipeline import ROOT, build, check


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py",
        description="Construit l'annuaire des communautés 360 à partir des fichiers YAML de data/.",
    )
    parser.add_argument("commande", nargs="?", default="build", choices=["build", "check"],
                        help="build (par défaut) : vérifier puis construire le site ; check : seulement vérifier les données")
    parser.add_argument("--data", type=Path, default=ROOT / "data", help="dossier des données (par défaut : data/)")
    parser.add_argument("--out", type=Path, default=ROOT / "site", help="dossier du site construit (par défaut : site/)")
    parser.add_argument("--strict", action="store_true", help="les avertissements comptent comme des erreurs")
    parser.add_argument("--sans-index", action="store_true", help="ne pas construire l'index de recherche (plus rapide)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command; return the exit code (0 ok, 1 data errors, 2 bad usage, 3 internal error)."""
    args = _parser().parse_args(argv)
    report = Report()
    try:
        if args.commande == "check":
            dataset = check(args.data, report)
            report.print(sys.stderr)
            failed = dataset is None or report.failed(strict=args.strict)
            print(f"Vérification : {report.summary()}." + (" Corrigez les erreurs ci-dessus." if failed else " Tout est bon."),
                  file=sys.stderr)
            return 1 if failed else 0
        result = build(args.data, args.out, report, strict=args.strict, index=not args.sans_index)
        report.print(sys.stderr)
        if result is None:
            print(f"Échec : {report.summary()}. Le site n'a pas été modifié.", file=sys.stderr)
            return 1
        print(result.summary())
        return 0
    except KeyboardInterrupt:
        print("Interrompu.", file=sys.stderr)
        return 130
    except Exception:  # a bug in the generator, not in the data
        if os.environ.get("ANNUAIRE_DEBUG"):
            traceback.print_exc()
        print("Erreur interne du générateur (ce n'est pas une erreur dans vos données). Relancez avec "
              "ANNUAIRE_DEBUG=1 pour le détail et signalez-la aux développeurs.", file=sys.stderr)
        return 3
