"""Command line: ``python build.py [build|check|serve|schema|guide] [--data DIR] [--out DIR] [--strict]``."""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from pathlib import Path

from .diagnostics import Report, shown_path
from .github import write_step_summary
from .pipeline import ROOT, build, check


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py",
        description="Construit l'annuaire des communautés 360 à partir des fichiers YAML de data/.",
    )
    parser.add_argument("commande", nargs="?", default="build", choices=["build", "check", "serve", "schema", "guide"],
                        help="build (par défaut) : vérifier puis construire le site ; check : seulement vérifier les données ; "
                        "serve : aperçu local reconstruit à chaque enregistrement ; schema : régénérer schema/ ; "
                        "guide : régénérer la référence des champs de content/contribuer.md")
    parser.add_argument("--data", type=Path, default=ROOT / "data", help="dossier des données (par défaut : data/)")
    parser.add_argument("--out", type=Path, default=ROOT / "site", help="dossier du site construit (par défaut : site/)")
    parser.add_argument("--strict", action="store_true", help="les avertissements comptent comme des erreurs")
    parser.add_argument("--sans-index", action="store_true", help="ne pas construire l'index de recherche (plus rapide)")
    parser.add_argument("--port", type=int, default=8000, help="serve : port local de l'aperçu (par défaut : 8000 ; 0 = libre)")
    parser.add_argument("--verifier", action="store_true",
                        help="schema, guide : ne rien écrire, échouer si les fichiers générés ne sont pas à jour")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command; return the exit code (0 ok, 1 data errors, 2 bad usage, 3 internal error)."""
    args = _parser().parse_args(argv)
    report = Report()
    try:
        if args.commande in ("serve", "schema", "guide"):
            return _tools(args)
        if args.commande == "check":
            dataset = check(args.data, report)
            report.print(sys.stderr)
            failed = dataset is None or report.failed(strict=args.strict)
            write_step_summary(report, failed=failed, strict=args.strict, data_dir=args.data)
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


def _tools(args: argparse.Namespace) -> int:
    """serve, schema, guide: the contributor's tools."""
    if args.commande == "serve":
        from .serve import serve

        return serve(args.data, args.out, port=args.port, index=not args.sans_index)
    from . import guide, schema

    report = Report()
    if args.commande == "schema":
        stale = schema.update(args.data, ROOT / schema.SCHEMA_DIR, report, write=not args.verifier)
        names = [shown_path(p, ROOT) for p in stale or []]
    else:
        vocabulary = schema.Vocabulary.load(args.data, report)
        stale = None
        if vocabulary is not None:
            try:
                stale = [guide.GUIDE] if guide.update(guide.GUIDE, vocabulary, write=not args.verifier) else []
            except guide.GuideError as exc:
                report.error(shown_path(guide.GUIDE, ROOT), 1, 1, str(exc))
        names = [shown_path(p, ROOT) for p in stale or []]
    report.print(sys.stderr)
    if stale is None:
        print("Rien n'a été écrit : corrigez d'abord les erreurs ci-dessus.", file=sys.stderr)
        return 1
    command = f"python build.py {args.commande}"
    if args.verifier:
        if names:
            print(f"Pas à jour : {', '.join(names)}. Lancez « {command} » (ou « make {args.commande} ») "
                  "puis ajoutez les fichiers modifiés à votre commit.", file=sys.stderr)
            return 1
        print("À jour.", file=sys.stderr)
        return 0
    print(f"Mis à jour : {', '.join(names)}." if names else "Déjà à jour.", file=sys.stderr)
    return 0
