"""Reminders (« rappels »): one GitHub issue per département whose fiches were never verified, or over a year ago.

``python build.py rappels`` (weekly, ``.github/workflows/rappels.yml``) opens an issue for each département that
needs one, updates its text when the data changed, and closes it, with a thank-you, once every fiche is verified.
At most one open issue per département: each issue carries a hidden marker with its département's code, and a
second one found is closed as a duplicate. The issue text is rendered here, in French, from the data (tests render
it from the fixture); ``GitHubIssues`` is the only part that talks to GitHub.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .. import format as fmt
from ..diagnostics import Report, terminal
from ..settings import Settings
from ..site.coverage import COMMUNAUTE_CRITERIA, STRUCTURE_CRITERIA, Coverage, DepartementCoverage, coverage, freshness
from ..site.links import Links
from ..site.model import Annuaire, build_model
from ..site.text import date_fr, join_fr

LABEL = "rappel-verification"
"""The label of reminder issues: the only issues this command reads or changes."""
MARKER = "<!-- annuaire360:rappel:{code} -->"
MARKER_RE = re.compile(r"<!-- annuaire360:rappel:([0-9AB]{2,3}) -->")
DEFAULT_LIMIT = 20
"""New issues opened per run at most: the first run on a directory nobody verified would otherwise open a hundred
at once (and meet GitHub's limits on content creation)."""

FRESHNESS_WORDS = {"jamais": "jamais vérifiée", "ancienne": "vérifiée il y a plus d'un an",
                   "bientot": "à revérifier bientôt (vérifiée il y a plus de six mois)"}


def markdown_text(text: str) -> str:
    """Text from the data made inert in Markdown: no link, emphasis, table cell break, HTML or @mention."""
    return re.sub(r"([\\`*_{}\[\]<>()#+!|@~])", r"\\\1", text.replace("\n", " "))


@dataclass(frozen=True)
class Reminder:
    """The issue a département needs: its title and text."""

    code: str
    title: str
    body: str


@dataclass(frozen=True)
class Due:
    """A fiche to verify, as the issue lists it."""

    name: str
    url: str
    state: str  # a key of FRESHNESS_WORDS
    verified: dt.date | None
    missing: list[str]


def due_fiches(dc: DepartementCoverage, today: dt.date) -> list[Due]:
    """The département's communauté and structures that are due or soon due, the communauté first."""
    d, out = dc.departement, []
    skip = {"verifiee", "source_recente"}  # the reminder is about them already
    if d.communaute is not None:
        state = freshness(d.communaute, today)
        missing = [c.label for c in COMMUNAUTE_CRITERIA if c.code not in dc.communaute.met and c.code not in skip]
        if state != "a-jour":
            out.append(Due(d.communaute.nom, d.url, state, d.communaute.verifie_le, missing))
    for view, score in dc.members:
        state = freshness(view.data, today)
        if state != "a-jour":
            missing = [c.label for c in STRUCTURE_CRITERIA if c.code not in score.met and c.code not in skip]
            out.append(Due(view.data.nom, view.url, state, view.data.verifie_le, missing))
    return out


def needs_reminder(fiches: list[Due]) -> bool:
    """An issue is open while a fiche was never verified, or over a year ago (« soon » alone is not enough)."""
    return any(f.state in ("jamais", "ancienne") for f in fiches)


def issue_title(dc: DepartementCoverage) -> str:
    return f"Vérifier les informations : {dc.departement.label}"


def issue_body(dc: DepartementCoverage, site: fmt.FichierSite, fiches: list[Due]) -> str:
    """The issue's text, in French Markdown, from the data; every data text made inert."""
    d, links = dc.departement, Links(site)
    page = f"{site.url}{d.url}"
    lines = [
        MARKER.format(code=d.info.code),
        "Bonjour,",
        "",
        f"Des informations de l'annuaire sur **{markdown_text(d.label)}** n'ont jamais été vérifiées auprès des "
        "services, ou l'ont été il y a plus d'un an. Les familles comptent sur des numéros et des horaires justes : "
        "pouvez-vous les vérifier ?",
        "",
        f"Où en est le département : {markdown_text(dc.summary)} (note : {dc.score} sur 100). "
        f"[Voir ce qui manque sur la page du département]({page}#completer).",
        "",
        "## Les fiches à vérifier",
        "",
        "| Fiche | Vérification | Ce qui manque |",
        "|---|---|---|",
    ]
    for fiche in fiches:
        when = f", le {date_fr(fiche.verified)}" if fiche.verified else ""
        missing = markdown_text(join_fr(fiche.missing)) if fiche.missing else "rien : tout est à confirmer"
        lines.append(f"| [{markdown_text(fiche.name)}]({site.url}{fiche.url}) | {FRESHNESS_WORDS[fiche.state]}{when} "
                     f"| {missing} |")
    lines += [
        "",
        "## Comment faire",
        "",
        "1. Appelez chaque service et vérifiez ce que dit sa fiche. Pour préparer les appels : "
        f"`python build.py campagne --departement {d.info.code}` écrit une feuille d'appels à imprimer et à remplir.",
        f"2. Corrigez le fichier [{d.source_file}]({links.edit(d.source_file)}) (ou reportez la feuille remplie avec "
        "`python build.py campagne --reponses`), en indiquant `verifie_le` (le jour de l'appel) et `verifie_par` "
        "(qui a vérifié, par son rôle, jamais par son nom).",
        "3. Ce ticket se met à jour chaque semaine et se ferme tout seul quand toutes les fiches sont vérifiées.",
        "",
        "_Message écrit par le robot de l'annuaire (tâche « Rappels »), à partir des fichiers de données._",
        "",
    ]
    return "\n".join(lines)


def wanted_reminders(annuaire: Annuaire, known: Coverage, today: dt.date) -> dict[str, Reminder]:
    """Every département that needs an issue, in the order new issues are opened: communautés described first."""
    found = []
    for dc in known.departements:
        fiches = due_fiches(dc, today)
        if needs_reminder(fiches):
            rank = 0 if dc.departement.communaute is not None else 1
            found.append((rank, dc, Reminder(dc.departement.info.code, issue_title(dc),
                                             issue_body(dc, annuaire.site, fiches))))
    return {reminder.code: reminder for _, _, reminder in sorted(found, key=lambda item: item[0])}


# ---------------------------------------------------------------------------
# What to do on GitHub


@dataclass(frozen=True)
class Issue:
    """An open reminder issue as GitHub lists it."""

    number: int
    title: str
    body: str

    @property
    def code(self) -> str | None:
        found = MARKER_RE.search(self.body)
        return found.group(1) if found else None


@dataclass(frozen=True)
class Action:
    """One change to make: create, update, close (done) or close (duplicate)."""

    kind: str  # « ouvrir », « mettre-a-jour », « fermer », « doublon »
    code: str
    number: int | None = None
    reminder: Reminder | None = None


def plan(wanted: dict[str, Reminder], existing: list[Issue], limit: int) -> list[Action]:
    """The changes that make the open issues match the data: at most one open issue per département."""
    actions, open_by_code = [], {}
    for issue in sorted(existing, key=lambda i: i.number):
        code = issue.code
        if code is None:
            continue  # labelled by hand, without our marker: not ours to change
        if code in open_by_code:
            actions.append(Action("doublon", code, issue.number))
            continue
        open_by_code[code] = issue
        reminder = wanted.get(code)
        if reminder is None:
            actions.append(Action("fermer", code, issue.number))
        elif (issue.title, issue.body.strip()) != (reminder.title, reminder.body.strip()):
            actions.append(Action("mettre-a-jour", code, issue.number, reminder))
    new = [Action("ouvrir", code, None, r) for code, r in wanted.items() if code not in open_by_code]
    return actions + new[:limit]


CLOSING = ("Toutes les fiches de ce département ont été vérifiées depuis moins d'un an : merci ! "
           "Un nouveau rappel sera ouvert quand l'une d'elles aura plus d'un an.")
DUPLICATE = "Un autre ticket de rappel est déjà ouvert pour ce département : celui-ci est fermé comme doublon."


class GitHubError(Exception):
    """GitHub refused a request or could not be reached; the message says it in French."""


Opener = Callable[[urllib.request.Request], Any]


class GitHubIssues:
    """The few calls to GitHub's REST API this command needs (https://docs.github.com/rest/issues)."""

    def __init__(self, api: str, repository: str, token: str, opener: Opener = urllib.request.urlopen) -> None:
        self.base = f"{api.rstrip('/')}/repos/{repository}"
        self.token, self.opener = token, opener

    def _call(self, method: str, path: str, payload: dict[str, Any] | None = None) -> Any:
        data = json.dumps(payload).encode() if payload is not None else None
        request = urllib.request.Request(f"{self.base}{path}", data=data, method=method, headers={
            "Accept": "application/vnd.github+json", "Authorization": f"Bearer {self.token}",
            "X-GitHub-Api-Version": "2022-11-28", "User-Agent": "annuaire360-rappels",
            **({"Content-Type": "application/json"} if data is not None else {}),
        })
        try:
            with self.opener(request) as response:
                text = response.read().decode("utf-8")
        except urllib.error.HTTPError as exc:
            raise GitHubError(f"GitHub a refusé {method} {path} (erreur {exc.code}) : vérifiez que la tâche a la "
                              "permission « issues: write »") from None
        except (urllib.error.URLError, OSError) as exc:
            raise GitHubError(f"GitHub est injoignable ({exc}) : réessayez plus tard") from None
        return json.loads(text) if text else None

    def open_reminders(self) -> list[Issue]:
        issues, page = [], 1
        while True:
            found = self._call("GET", f"/issues?state=open&labels={LABEL}&per_page=100&page={page}")
            issues += [Issue(i["number"], i["title"], i.get("body") or "") for i in found if "pull_request" not in i]
            if len(found) < 100:
                return issues
            page += 1

    def apply(self, action: Action) -> None:
        if action.kind == "ouvrir" and action.reminder is not None:
            self._call("POST", "/issues", {"title": action.reminder.title, "body": action.reminder.body,
                                           "labels": [LABEL]})
        elif action.kind == "mettre-a-jour" and action.reminder is not None:
            self._call("PATCH", f"/issues/{action.number}", {"title": action.reminder.title,
                                                            "body": action.reminder.body})
        else:
            self._call("POST", f"/issues/{action.number}/comments",
                       {"body": CLOSING if action.kind == "fermer" else DUPLICATE})
            self._call("PATCH", f"/issues/{action.number}", {
                "state": "closed", "state_reason": "completed" if action.kind == "fermer" else "not_planned"})


# ---------------------------------------------------------------------------
# The command


def run(settings: Settings, *, github: GitHubIssues | None, limit: int = DEFAULT_LIMIT) -> int:
    """``build.py rappels``: sync the reminder issues with the data (``github`` None: only say what is due)."""
    from . import checked_dataset

    dataset = checked_dataset(settings, Report())
    if dataset is None:
        return 1
    annuaire = build_model(dataset)
    wanted = wanted_reminders(annuaire, coverage(annuaire, settings.today), settings.today)
    if github is None:
        for reminder in wanted.values():
            print(f"- {terminal(reminder.title)}")  # a title is made of data: one inert line
        print(f"{len(wanted)} département(s) à vérifier. Aucun ticket n'a été ouvert ni fermé (--essai, ou "
              "GITHUB_TOKEN et GITHUB_REPOSITORY absents : la tâche « Rappels » de GitHub les fournit).", file=sys.stderr)
        return 0
    try:
        actions = plan(wanted, github.open_reminders(), limit)
        for action in actions:
            github.apply(action)
    except GitHubError as exc:
        print(f"Rappels : {exc}", file=sys.stderr)
        return 1
    counted = {kind: sum(1 for a in actions if a.kind == kind) for kind in ("ouvrir", "mettre-a-jour", "fermer", "doublon")}
    print(f"Rappels : {counted['ouvrir']} ouvert(s), {counted['mettre-a-jour']} mis à jour, {counted['fermer']} "
          f"fermé(s) (vérifiés), {counted['doublon']} doublon(s) fermé(s) ; {len(wanted)} département(s) à vérifier.")
    return 0
