"""What the GitHub workflows run besides ``build.py``: publish the site and the pull request previews on the
``gh-pages`` branch, comment on pull requests, keep the broken-links issue up to date.

    python -m annuaire360.ci publier-site --site site/
    python -m annuaire360.ci publier-apercu --artefact apercu/ --auteur o --branche b --commit SHA
    python -m annuaire360.ci sans-apercu --auteur o --branche b --commit SHA --execution URL
    python -m annuaire360.ci retirer-apercu --numero 42
    python -m annuaire360.ci accueillir --numero 42
    python -m annuaire360.ci signaler-liens --rapport liens.md

Standard library only, run from a checkout of the default branch: never the code of a pull request. The
repository, the API and the token come from the environment GitHub gives every job (GITHUB_REPOSITORY,
GITHUB_API_URL, GITHUB_SERVER_URL, GITHUB_TOKEN). Exit codes: 0 done, 1 refused (said in French), 2 bad usage.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .github_api import ApiError, GitHubApi
from .pages_branch import PagesError, Remote, preview_folder, publish_preview, publish_site, remove_preview

ROOT = Path(__file__).resolve().parent.parent.parent
PREVIEW_MARKER = "<!-- annuaire360:apercu -->"
WELCOME_MARKER = "<!-- annuaire360:accueil -->"
LINKS_MARKER = "<!-- annuaire360:liens -->"
LINKS_TITLE = "Liens à vérifier dans les données (vérification automatique)"
WELCOME_FILE = ".github/messages/accueil.md"


@dataclass(frozen=True)
class Context:
    """Where to write: the repository through its API and its git remote, and the published site's address."""

    api: GitHubApi
    remote: Remote
    site_url: str
    root: Path

    @classmethod
    def from_environment(cls, environ: Mapping[str, str], root: Path = ROOT) -> Context:
        repository = environ.get("GITHUB_REPOSITORY", "")
        token = environ.get("GITHUB_TOKEN") or None
        server = environ.get("GITHUB_SERVER_URL", "https://github.com").rstrip("/")
        remote = environ.get("ANNUAIRE_PAGES_REMOTE") or f"{server}/{repository}.git"  # a local path in the tests
        return cls(
            api=GitHubApi(environ.get("GITHUB_API_URL", "https://api.github.com"), repository, token),
            remote=Remote(remote, token=token),
            site_url=site_url(root),
            root=root,
        )


def site_url(root: Path) -> str:
    """``url`` of data/site.yaml (a flat key, read without a YAML library: this module needs none)."""
    text = (root / "data" / "site.yaml").read_text(encoding="utf-8")
    match = re.search(r"^url:\s*[\"']?(https?://[^\s\"'#]+)", text, flags=re.M)
    if not match:
        raise PagesError("data/site.yaml n'a pas d'url : impossible de dire où l'aperçu sera publié")
    return match.group(1).rstrip("/")


def preview_url(context: Context, number: int) -> str:
    return f"{context.site_url}/{preview_folder(number)}/"


def page_links(preview: str, files: list[str]) -> list[str]:
    """A Markdown link to the page of each changed data file that has its own page."""
    links = []
    for name in sorted(files):
        match = re.fullmatch(r"data/departements/([0-9]{2,3}|2[AB])-([a-z0-9-]+)\.yaml", name)
        if match:
            url = f"{preview}departements/{match.group(1).lower()}-{match.group(2)}/"
            links.append(f"- [{name}]({url})")
    return links


def preview_comment(url: str, sha: str, links: list[str]) -> str:
    pages = ["", "Pages des fichiers modifiés :", "", *links] if links else []
    return "\n".join([
        "### Aperçu du site avec cette modification",
        "",
        f"**[Ouvrir l'aperçu]({url})** : {url}",
        *pages,
        "",
        f"Construit à partir du commit `{sha[:7]}`. L'aperçu est mis à jour à chaque nouvel envoi (comptez "
        "deux ou trois minutes, le temps que GitHub le publie) et retiré quand la demande est fermée. Ce n'est "
        "pas le site publié : les familles ne voient la modification qu'une fois la demande acceptée.",
    ])


def _pull_request(context: Context, args: argparse.Namespace) -> int | None:
    """The pull request of the run that built the preview: found from what GitHub says of that run (its head
    repository's owner, branch and commit), never from the artifact, which the pull request wrote."""
    pull = context.api.pull_request_of(args.auteur, args.branche, args.commit)
    if pull is None:
        print(f"Aucune demande ouverte n'a pour dernier commit {args.commit} ({args.auteur}:{args.branche}) : "
              "rien à publier (la demande a été fermée ou a reçu un autre envoi entre-temps).")
        return None
    return int(pull["number"])


def publish_preview_command(context: Context, args: argparse.Namespace) -> int:
    number = _pull_request(context, args)
    if number is None:
        return 0
    site = Path(args.artefact) / "site"
    publish_preview(context.remote, number, site, f"Aperçu de la demande n° {number} ({args.commit[:7]})")
    url = preview_url(context, number)
    links = page_links(url, context.api.changed_files(number))
    done = context.api.upsert_comment(number, PREVIEW_MARKER, preview_comment(url, args.commit, links))
    print(f"Aperçu publié : {url} (commentaire {done}).")
    return 0


def no_preview_command(context: Context, args: argparse.Namespace) -> int:
    number = _pull_request(context, args)
    if number is None:
        return 0
    body = "\n".join([
        "### Pas encore d'aperçu du site",
        "",
        f"La vérification du commit `{args.commit[:7]}` n'a pas pu construire le site : ouvrez l'onglet "
        f"**Files changed** (chaque problème est écrit sous sa ligne) ou [le détail de la vérification]({args.execution}). "
        "Corrigez puis enregistrez sur la même branche : l'aperçu sera publié ici dès que la vérification passe.",
    ])
    print(f"Commentaire {context.api.upsert_comment(number, PREVIEW_MARKER, body)} : pas d'aperçu.")
    return 0


def remove_preview_command(context: Context, args: argparse.Namespace) -> int:
    removed = remove_preview(context.remote, args.numero, f"Aperçu de la demande n° {args.numero} retiré")
    if context.api.bot_comment(args.numero, PREVIEW_MARKER) is not None:
        context.api.upsert_comment(args.numero, PREVIEW_MARKER, "### Aperçu retiré\n\nLa demande est fermée : "
                                   "son aperçu n'est plus publié.")
    print("Aperçu retiré." if removed else "Pas d'aperçu à retirer.")
    return 0


def welcome_command(context: Context, args: argparse.Namespace) -> int:
    text = (context.root / WELCOME_FILE).read_text(encoding="utf-8").strip()
    print(f"Message d'accueil {context.api.upsert_comment(args.numero, WELCOME_MARKER, text)}.")
    return 0


def links_issue_command(context: Context, args: argparse.Namespace) -> int:
    report = Path(args.rapport).read_text(encoding="utf-8").strip()
    body = report or None  # an empty report: every link answered
    print(context.api.upsert_issue(LINKS_TITLE, LINKS_MARKER, body, ["liens"]).capitalize() + ".")
    return 0


def publish_site_command(context: Context, args: argparse.Namespace) -> int:
    pushed = publish_site(context.remote, Path(args.site), f"Site publié depuis {args.commit[:7]}")
    print("Site publié sur la branche gh-pages." if pushed else "Rien à publier.")
    return 0


Command = Callable[[Context, argparse.Namespace], int]


def _parser() -> tuple[argparse.ArgumentParser, dict[str, Command]]:
    parser = argparse.ArgumentParser(prog="python3 -m annuaire360.ci", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="commande", required=True)
    table: dict[str, Command] = {}

    def command(name: str, function: Command, help_: str) -> argparse.ArgumentParser:
        table[name] = function
        return commands.add_parser(name, help=help_)

    site = command("publier-site", publish_site_command, "publier le site construit à la racine de gh-pages")
    site.add_argument("--site", required=True)
    site.add_argument("--commit", required=True)
    for name, function, help_ in (("publier-apercu", publish_preview_command, "publier l'aperçu d'une demande"),
                                  ("sans-apercu", no_preview_command, "dire à une demande pourquoi elle n'a pas d'aperçu")):
        sub = command(name, function, help_)
        sub.add_argument("--auteur", required=True, help="propriétaire du dépôt de la branche (fork ou non)")
        sub.add_argument("--branche", required=True)
        sub.add_argument("--commit", required=True)
        if name == "publier-apercu":
            sub.add_argument("--artefact", required=True, help="dossier de l'artefact téléchargé (site/ dedans)")
        else:
            sub.add_argument("--execution", required=True, help="adresse de la vérification")
    command("retirer-apercu", remove_preview_command, "retirer l'aperçu d'une demande fermée").add_argument(
        "--numero", type=int, required=True)
    command("accueillir", welcome_command, "souhaiter la bienvenue à une première demande").add_argument(
        "--numero", type=int, required=True)
    command("signaler-liens", links_issue_command, "ouvrir, mettre à jour ou fermer le signalement des liens").add_argument(
        "--rapport", required=True)
    return parser, table


def main(argv: list[str] | None = None, environ: Mapping[str, str] | None = None, root: Path = ROOT) -> int:
    parser, table = _parser()
    args = parser.parse_args(argv)
    try:
        context = Context.from_environment(os.environ if environ is None else environ, root)
        return table[args.commande](context, args)
    except (PagesError, ApiError, OSError) as error:
        print(f"Refusé : {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
