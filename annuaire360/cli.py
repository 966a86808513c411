"""Command line: ``python build.py [build|check|serve|schema|guide] [--data DIR] [--out DIR] [--strict]``.

The only place that reads the environment and the clock (``Settings.from_environment``); every command is
one function. Exit codes: 0 success, 1 data errors, 2 bad usage, 3 internal error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path

from .diagnostics import Report
from .format.values import DEPARTEMENT_CODES
from .pipeline import build, check
from .settings import REPOSITORY, Paths, Settings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py",
        description="Construit l'annuaire des communautés 360 à partir des fichiers YAML de data/.",
    )
    parser.add_argument("commande", nargs="?", default="build", choices=list(COMMANDS),
                        help="build (par défaut) : vérifier puis construire le site ; check : seulement vérifier les données ; "
                        "serve : aperçu local reconstruit à chaque enregistrement ; schema : régénérer schema/ ; "
                        "guide : régénérer la référence des champs de content/contribuer.md ; "
                        "campagne : feuille d'appels des informations à vérifier (--reponses : reporter les réponses) ; "
                        "rappels : ouvrir ou fermer les tickets de rappel des départements à vérifier")
    parser.add_argument("--data", type=Path, default=None, help="dossier des données (par défaut : data/)")
    parser.add_argument("--out", type=Path, default=None, help="dossier du site construit (par défaut : site/)")
    parser.add_argument("--strict", action="store_true", help="les avertissements comptent comme des erreurs")
    parser.add_argument("--sans-index", action="store_true", help="ne pas construire l'index de recherche (plus rapide)")
    parser.add_argument("--port", type=int, default=8000, help="serve : port local de l'aperçu (par défaut : 8000 ; 0 = libre)")
    parser.add_argument("--verifier", action="store_true",
                        help="schema, guide : ne rien écrire, échouer si les fichiers générés ne sont pas à jour")
    parser.add_argument("--departement", action="append", type=_departement, default=[], metavar="CODE",
                        help="campagne : seulement ce département (par exemple 93 ; plusieurs fois possible)")
    parser.add_argument("--avant", type=_date, default=None, metavar="AAAA-MM-JJ",
                        help="campagne : les fiches jamais vérifiées ou vérifiées avant cette date (par défaut : il y a six mois)")
    parser.add_argument("--sortie", type=Path, default=None,
                        help="campagne : dossier où écrire la feuille d'appels (par défaut : campagnes/)")
    parser.add_argument("--reponses", type=Path, default=None, metavar="FICHIER.csv",
                        help="campagne : reporter dans les fichiers de données les réponses d'une feuille d'appels remplie")
    parser.add_argument("--limite", type=int, default=20, metavar="N",
                        help="rappels : au plus N nouveaux tickets par exécution (par défaut : 20)")
    parser.add_argument("--essai", action="store_true",
                        help="rappels : seulement dire quels départements sont à vérifier, sans rien changer sur GitHub")
    return parser


def _departement(text: str) -> str:
    code = text.strip().upper()
    code = code.zfill(2) if code.isdigit() and len(code) == 1 else code
    if code not in DEPARTEMENT_CODES:
        raise argparse.ArgumentTypeError(f"« {text} » n'est pas un code de département (par exemple 01, 2A, 93, 974)")
    return code


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"« {text} » n'est pas une date AAAA-MM-JJ (par exemple 2027-01-01)") from None


def main(argv: list[str] | None = None) -> int:
    """Run the command; return the exit code (0 ok, 1 data errors, 2 bad usage, 3 internal error)."""
    args = _parser().parse_args(argv)
    settings = Settings.from_environment(Paths.of(REPOSITORY, data=args.data, out=args.out))
    try:
        return COMMANDS[args.commande](args, settings)
    except KeyboardInterrupt:
        print("Interrompu.", file=sys.stderr)
        return 130
    except Exception:
        if os.environ.get("ANNUAIRE_DEBUG"):
            traceback.print_exc()
        print("Erreur interne du générateur (ce n'est pas une erreur dans vos données). Relancez avec "
              "ANNUAIRE_DEBUG=1 pour le détail et signalez-la aux développeurs.", file=sys.stderr)
        return 3


def _check(args: argparse.Namespace, settings: Settings) -> int:
    from .tools.github import write_step_summary

    report = Report()
    dataset = check(settings, report)
    report.print(sys.stderr, github=settings.github.actions)
    failed = dataset is None or report.failed(strict=args.strict)
    write_step_summary(report, settings, failed=failed, strict=args.strict)
    print(f"Vérification : {report.summary()}." + (" Corrigez les erreurs ci-dessus." if failed else " Tout est bon."),
          file=sys.stderr)
    return 1 if failed else 0


def _build(args: argparse.Namespace, settings: Settings) -> int:
    report = Report()
    result = build(settings, report, strict=args.strict, index=not args.sans_index)
    report.print(sys.stderr, github=settings.github.actions)
    if result is None:
        print(f"Échec : {report.summary()}. Le site n'a pas été modifié.", file=sys.stderr)
        return 1
    print(result.summary())
    return 0


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    from .tools.serve import serve

    return serve(settings, port=args.port, index=not args.sans_index)


def _generated(args: argparse.Namespace, settings: Settings, stale: list[Path] | None, report: Report) -> int:
    """What schema and guide say: which generated files were (or would be) rewritten."""
    report.print(sys.stderr, github=settings.github.actions)
    if stale is None:
        print("Rien n'a été écrit : corrigez d'abord les erreurs ci-dessus.", file=sys.stderr)
        return 1
    names = [settings.paths.display(p) for p in stale]
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


def _schema(args: argparse.Namespace, settings: Settings) -> int:
    from .tools import schema

    report = Report()
    return _generated(args, settings, schema.update(settings, report, write=not args.verifier), report)


def _guide(args: argparse.Namespace, settings: Settings) -> int:
    from .tools import guide

    report = Report()
    return _generated(args, settings, guide.update(settings, report, write=not args.verifier), report)


def _campaign(args: argparse.Namespace, settings: Settings) -> int:
    from .tools.campaign import run

    return run(settings, departements=args.departement, before=args.avant, out=args.sortie, answers=args.reponses)


def _reminders(args: argparse.Namespace, settings: Settings) -> int:
    from .tools.reminders import GitHubIssues, run

    token, repository = os.environ.get("GITHUB_TOKEN"), os.environ.get("GITHUB_REPOSITORY")
    api = os.environ.get("GITHUB_API_URL") or "https://api.github.com"
    github = GitHubIssues(api, repository, token) if token and repository and not args.essai else None
    return run(settings, github=github, limit=args.limite)


COMMANDS: dict[str, Callable[[argparse.Namespace, Settings], int]] = {
    "build": _build,
    "check": _check,
    "serve": _serve,
    "schema": _schema,
    "guide": _guide,
    "campagne": _campaign,
    "rappels": _reminders,
}
"""One function per command; the contributor tools (serve, schema, guide) are imported only when asked for."""
