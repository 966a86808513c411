"""What ``build.py check`` tells a contributor on GitHub: a French job summary of the pull request check.

The annotations on the changed lines come from ``Report.print`` (GITHUB_ACTIONS=true); this module
writes the page that GitHub shows for the run (``$GITHUB_STEP_SUMMARY``): what went wrong, how to
read a message, what to do next and where the guide is.
"""

from __future__ import annotations

import html

from .. import format as fmt
from ..diagnostics import Diagnostic, Report, terminal
from ..settings import Settings
from ..source.files import DataFolder
from ..source.validate import read_validated

GUIDE_PATH = "/contribuer/"


def guide_url(settings: Settings) -> str | None:
    """Public address of the contributor guide, from data/site.yaml (None if that file is broken)."""
    site_file = DataFolder(settings.paths.data, settings.paths.display).discover().site
    _, site = read_validated(site_file, Report(), fmt.Context(today=settings.today))
    return f"{site.url}{GUIDE_PATH}" if isinstance(site, fmt.FichierSite) else None


def _cell(text: str) -> str:
    """Text of a table cell: one line (``terminal``), every ``<`` and ``&`` escaped."""
    return html.escape(terminal(text), quote=False)


def _table(items: list[Diagnostic]) -> list[str]:
    """The diagnostics as an HTML table: inside a block of raw HTML, Markdown is not read (no image, no link,
    no autolink), and the escaped text cannot open a tag: a message shows exactly what it says. The block
    holds no blank line, which would end it."""
    rows = ["<table>", "<thead><tr><th>Fichier</th><th>Ligne</th><th>Colonne</th><th>Problème et correction</th></tr></thead>",
            "<tbody>"]
    rows += [f"<tr><td><code>{_cell(d.path)}</code></td><td>{d.line}</td><td>{d.column}</td><td>{_cell(d.message)}</td></tr>"
             for d in items]
    return [*rows, "</tbody>", "</table>"]


def summary(report: Report, *, failed: bool, strict: bool, guide: str | None) -> str:
    """The job summary, in French Markdown."""
    items = sorted(set(report.items))
    errors = [d for d in items if d.severity == "erreur"]
    warnings = [d for d in items if d.severity == "avertissement"]
    guide_link = f"[guide du contributeur]({guide})" if guide else "guide du contributeur (page « Contribuer » du site)"
    lines: list[str] = []
    if failed:
        lines += [
            f"## Vérification des données : à corriger ({report.summary()})",
            "",
            "Merci pour votre proposition ! Le robot a relu les fichiers et a trouvé des points à corriger "
            "avant la publication. Rien n'est publié tant qu'ils restent : vous ne pouvez rien casser.",
            "",
            "### Que faire maintenant ?",
            "",
            "1. Ouvrez l'onglet **Files changed** (fichiers modifiés) de votre demande de modification : "
            "chaque problème est écrit sous la ligne concernée.",
            "2. Chaque message indique le fichier, la ligne et la colonne, puis ce qu'il faut changer. "
            "Par exemple `data/departements/80-somme.yaml:12:20: erreur: numéro de téléphone « 03 53 01 » "
            "invalide …` veut dire : fichier de la Somme, ligne 12, 20ᵉ caractère.",
            "3. Corrigez le fichier sur la même branche (bouton crayon, puis **Commit changes**) : "
            "la vérification recommence toute seule.",
            f"4. Besoin d'aide ? Lisez le {guide_link}, ou écrivez simplement un commentaire dans la demande : "
            "quelqu'un de l'équipe vous répondra.",
            "",
        ]
        if strict and not errors:
            lines += ["Cette vérification est stricte : les avertissements ci-dessous comptent comme des erreurs.", ""]
    else:
        lines += [
            "## Vérification des données : tout est bon",
            "",
            f"Les fichiers sont corrects ({report.summary()}). L'équipe va relire votre proposition.",
            "",
        ]
    if errors:
        lines += ["### Erreurs", "", *_table(errors), ""]
    if warnings:
        lines += ["### Avertissements", "",
                  "Ils n'empêchent pas la publication, mais méritent votre attention.", "", *_table(warnings), ""]
    return "\n".join(lines) + "\n"


def write_step_summary(report: Report, settings: Settings, *, failed: bool, strict: bool) -> None:
    """Append the summary to the job summary file when GitHub Actions provides one."""
    target = settings.github.step_summary
    if target is None:
        return
    with target.open("a", encoding="utf-8") as stream:
        stream.write(summary(report, failed=failed, strict=strict, guide=guide_url(settings)))
