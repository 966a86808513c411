"""Command line: ``python build.py [build|check|serve|schema|guide|importer SOURCE] [--data DIR] [--out DIR] [--strict]``.

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
from .site.base import base_url_problem


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
                        "rappels : ouvrir ou fermer les tickets de rappel des départements à vérifier ; "
                        "liens : essayer chaque source et chaque site web des données ; "
                        "importer : lire les données ouvertes officielles dans data/imports/ (voir « source »)")
    parser.add_argument("source", nargs="?", default=None,
                        help="importer : annuaire-service-public (Annuaire de l'administration, DILA) ou finess")
    parser.add_argument("--fichier", type=Path, action="append", default=None,
                        help="importer : fichier déjà téléchargé (sinon il est téléchargé depuis son adresse officielle) ; "
                        "pour finess, donnez-le deux fois pour lire aussi le fichier « FINESS Activités »")
    parser.add_argument("--url", default=None, help="importer : autre adresse de téléchargement (https://)")
    parser.add_argument("--resume", type=Path, default=None,
                        help="importer : ajouter à ce fichier le résumé des changements, en Markdown")
    parser.add_argument("--disparitions-acceptees", type=int, default=None, metavar="POURCENT",
                        help="importer : part des fiches qui peuvent disparaître d'un coup (par défaut : 10 %%)")
    parser.add_argument("--data", type=Path, default=None, help="dossier des données (par défaut : data/)")
    parser.add_argument("--out", type=Path, default=None, help="dossier du site construit (par défaut : site/)")
    parser.add_argument("--strict", action="store_true", help="les avertissements comptent comme des erreurs")
    parser.add_argument("--sans-index", action="store_true", help="ne pas construire l'index de recherche (plus rapide)")
    parser.add_argument("--port", type=int, default=8000, help="serve : port local de l'aperçu (par défaut : 8000 ; 0 = libre)")
    parser.add_argument("--base-url", default=None, metavar="ADRESSE",
                        help="build, serve : adresse où le site sera publié, si ce n'est pas l'url de data/site.yaml "
                        "(un aperçu : https://exemple.github.io/annuaire/apercu/pr-42/ ou /apercu/pr-42/) ; "
                        "tous les liens la suivent")
    parser.add_argument("--rapport", type=Path, default=None,
                        help="liens : écrire le rapport des liens cassés (Markdown) dans ce fichier")
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
    parser = _parser()
    args = parser.parse_args(argv)
    problem = base_url_problem(args.base_url) if args.base_url is not None else None
    if problem:
        parser.error(problem)  # exit 2, the usage line and the French reason
    settings = Settings.from_environment(Paths.of(REPOSITORY, data=args.data, out=args.out), base_url=args.base_url)
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


def _importer(args: argparse.Namespace, settings: Settings) -> int:
    from .format.imports import SOURCE_CODES

    try:
        from .importers.run import Options, run
        from .importers.write import DEFAULT_MAX_LOSS
    except ModuleNotFoundError as exc:  # the importers' own dependencies are an extra of the package
        print(f"Les importeurs ont besoin de « {exc.name} » : installez-les avec "
              "« python -m pip install -e '.[importeurs]' » (make test le fait).", file=sys.stderr)
        return 2

    if args.source not in SOURCE_CODES:
        print(f"Précisez la source à importer : « python build.py importer {' » ou « python build.py importer '.join(SOURCE_CODES)} ».",
              file=sys.stderr)
        return 2
    options = Options(
        source=args.source, files=tuple(args.fichier or ()), url=args.url, summary=args.resume,
        max_loss=DEFAULT_MAX_LOSS if args.disparitions_acceptees is None else args.disparitions_acceptees,
    )
    return run(settings, options, sys.stdout, sys.stderr)


def _campaign(args: argparse.Namespace, settings: Settings) -> int:
    from .tools.campaign import run

    return run(settings, departements=args.departement, before=args.avant, out=args.sortie, answers=args.reponses)


def _reminders(args: argparse.Namespace, settings: Settings) -> int:
    from .tools.reminders import GitHubIssues, run

    token, repository = os.environ.get("GITHUB_TOKEN"), os.environ.get("GITHUB_REPOSITORY")
    api = os.environ.get("GITHUB_API_URL") or "https://api.github.com"
    github = GitHubIssues(api, repository, token) if token and repository and not args.essai else None
    return run(settings, github=github, limit=args.limite)


def _links(args: argparse.Namespace, settings: Settings) -> int:
    """Try every link of the data; 0 whatever they answer (a report, never a failure), 1 on broken data."""
    from .tools import links

    report = Report()
    dataset = check(settings, report)
    report.print(sys.stderr, github=settings.github.actions)
    if dataset is None:
        print("Liens non vérifiés : corrigez d'abord les erreurs ci-dessus.", file=sys.stderr)
        return 1
    found = links.collect(dataset)
    results = links.check_all(found)
    text = links.report(results, found, settings.today)
    if args.rapport is not None:
        args.rapport.write_text(text + ("\n" if text else ""), encoding="utf-8")
    broken = sum(1 for r in results if r.problem)
    print(text or "Tous les liens répondent.", file=sys.stderr)
    print(f"Liens : {len(results)} essayés, {broken} à vérifier.", file=sys.stderr)
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace, Settings], int]] = {
    "build": _build,
    "check": _check,
    "serve": _serve,
    "schema": _schema,
    "guide": _guide,
    "importer": _importer,
    "campagne": _campaign,
    "rappels": _reminders,
    "liens": _links,
}
"""One function per command; the contributor tools (serve, schema, guide) are imported only when asked for."""
