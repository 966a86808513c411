"""Reminders: the issue text rendered from the fixture, and the sync with a fake GitHub on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from annuaire360.diagnostics import Report
from annuaire360.pipeline import check
from annuaire360.site.coverage import coverage
from annuaire360.site.model import build_model
from annuaire360.tools.reminders import LABEL, GitHubIssues, markdown_text, run, wanted_reminders
from tests.conftest import FIXED_TODAY, FIXTURE_DATA, settings_for
from tests.helpers import copy_fixture, json_api

TOKEN = "jeton-de-test"
REPO = "annuaire/donnees"
NORD = Path("departements") / "59-nord.yaml"

EXPECTED_NORD = """<!-- annuaire360:rappel:59 -->
Bonjour,

Des informations de l'annuaire sur **Nord \\(59\\)** n'ont jamais été vérifiées auprès des services, ou l'ont été \
il y a plus d'un an. Les familles comptent sur des numéros et des horaires justes : pouvez-vous les vérifier ?

Où en est le département : Informations complètes : 1 service sur 2 a un numéro de téléphone vérifié (note : 88 sur \
100). [Voir ce qui manque sur la page du département](https://annuaire.example.org/departements/59-nord/#completer).

## Les fiches à vérifier

| Fiche | Vérification | Ce qui manque |
|---|---|---|
| [PCPE fictif de Lille](https://annuaire.example.org/structures/pcpe-fictif-lille/) | jamais vérifiée | des horaires \
et une adresse |

## Comment faire

1. Appelez chaque service et vérifiez ce que dit sa fiche. Pour préparer les appels : `python build.py campagne \
--departement 59` écrit une feuille d'appels à imprimer et à remplir.
2. Corrigez le fichier [data/departements/59-nord.yaml](https://github.example.org/annuaire/donnees/edit/main/data/\
departements/59-nord.yaml) (ou reportez la feuille remplie avec `python build.py campagne --reponses`), en indiquant \
`verifie_le` (le jour de l'appel) et `verifie_par` (qui a vérifié, par son rôle, jamais par son nom).
3. Ce ticket se met à jour chaque semaine et se ferme tout seul quand toutes les fiches sont vérifiées.

_Message écrit par le robot de l'annuaire (tâche « Rappels »), à partir des fichiers de données._
"""


def reminders_of(data: Path, today: dt.date = FIXED_TODAY) -> dict[str, Any]:
    dataset = check(settings_for(data, today=today), Report())
    assert dataset is not None
    annuaire = build_model(dataset)
    return wanted_reminders(annuaire, coverage(annuaire, today), today)


def test_the_issue_text_is_rendered_from_the_fixture() -> None:
    wanted = reminders_of(FIXTURE_DATA)
    assert list(wanted) == ["59"]  # the only département with a fiche never verified (the PCPE)
    assert wanted["59"].title == "Vérifier les informations : Nord (59)"
    assert wanted["59"].body == EXPECTED_NORD


def test_a_verification_over_a_year_old_is_named_with_its_date() -> None:
    wanted = reminders_of(FIXTURE_DATA, today=dt.date(2026, 3, 1))  # the communauté and the MDPH: 2025-02-01
    body = wanted["59"].body
    assert "| [Communauté 360 du Nord \\(fictive\\)](https://annuaire.example.org/departements/59-nord/) | vérifiée " \
           "il y a plus d'un an, le 1er février 2025 |" in body
    assert body.index("Communauté 360 du Nord") < body.index("MDPH du Nord") < body.index("PCPE fictif")


def test_data_text_cannot_inject_markdown() -> None:
    assert markdown_text("[clic](https://x.example.org) @quelqu'un | <b>") == \
        "\\[clic\\]\\(https://x.example.org\\) \\@quelqu'un \\| \\<b\\>"


# ---------------------------------------------------------------------------
# A fake GitHub


class FakeGitHub:
    """Issues kept in memory, answering the REST calls the command makes; every request recorded."""

    def __init__(self) -> None:
        self.issues: dict[int, dict[str, Any]] = {}
        self.comments: list[tuple[int, str]] = []
        self.requests: list[tuple[str, str]] = []

    def add(self, title: str, body: str, labels: tuple[str, ...] = (LABEL,), **extra: Any) -> int:
        number = len(self.issues) + 1
        self.issues[number] = {"number": number, "title": title, "body": body, "labels": list(labels),
                               "state": "open", **extra}
        return number

    def open(self) -> dict[int, dict[str, Any]]:
        return {n: i for n, i in self.issues.items() if i["state"] == "open"}

    def handle(self, method: str, path: str, payload: Any) -> tuple[int, Any]:
        self.requests.append((method, path))
        url = urlparse(path)
        base = f"/repos/{REPO}/issues"
        if method == "GET" and url.path == base:
            query = parse_qs(url.query)
            found = [i for i in self.open().values() if query["labels"][0] in i["labels"]]
            page, size = int(query["page"][0]), int(query["per_page"][0])
            return 200, found[(page - 1) * size: page * size]
        if method == "POST" and url.path == base:
            return 201, self.issues[self.add(payload["title"], payload["body"], tuple(payload["labels"]))]
        number = int(url.path.removeprefix(base + "/").split("/")[0])
        if method == "PATCH":
            self.issues[number].update(payload)
            return 200, self.issues[number]
        self.comments.append((number, payload["body"]))
        return 201, {}


@pytest.fixture
def github() -> Iterator[tuple[FakeGitHub, GitHubIssues]]:
    fake = FakeGitHub()
    with json_api(fake.handle, TOKEN) as api:
        yield fake, GitHubIssues(api, REPO, TOKEN)


def sync(data: Path, client: GitHubIssues, **options: Any) -> int:
    return run(settings_for(data), github=client, **options)


def test_one_issue_is_opened_kept_then_closed_once_verified(tmp_path: Path, github, capsys) -> None:
    fake, client = github
    data = copy_fixture(tmp_path)
    assert sync(data, client) == 0
    [(number, issue)] = fake.open().items()
    assert issue["title"] == "Vérifier les informations : Nord (59)" and issue["labels"] == [LABEL]
    assert issue["body"] == EXPECTED_NORD
    assert "Rappels : 1 ouvert(s), 0 mis à jour" in capsys.readouterr().out

    fake.requests.clear()
    assert sync(data, client) == 0  # nothing changed: GitHub is only read
    assert [method for method, _ in fake.requests] == ["GET"]

    path = data / NORD  # the PCPE, the file's last structure, is verified: nothing is due any more
    text = path.read_text(encoding="utf-8")
    assert text.endswith("        consulte_le: 2025-01-10\n")
    path.write_text(text + "    verifie_le: 2025-05-30\n    verifie_par: coordination-communaute-360\n", encoding="utf-8")
    assert sync(data, client) == 0
    assert fake.open() == {}
    assert fake.issues[number]["state_reason"] == "completed"
    [(commented, comment)] = fake.comments
    assert commented == number and "vérifiées depuis moins d'un an : merci" in comment


def test_the_text_is_updated_when_the_data_changes(tmp_path: Path, github) -> None:
    fake, client = github
    data = copy_fixture(tmp_path)
    sync(data, client)
    path = data / NORD
    path.write_text(path.read_text(encoding="utf-8").replace("nom: PCPE fictif de Lille", "nom: PCPE de Lille"),
                    encoding="utf-8")
    fake.requests.clear()
    assert sync(data, client) == 0
    [issue] = fake.open().values()
    assert "[PCPE de Lille]" in issue["body"]
    assert [method for method, _ in fake.requests] == ["GET", "PATCH"]


def test_a_duplicate_is_closed_and_issues_without_marker_are_left_alone(tmp_path: Path, github) -> None:
    fake, client = github
    first = fake.add("Vérifier les informations : Nord (59)", EXPECTED_NORD)
    second = fake.add("Vérifier : Nord", "<!-- annuaire360:rappel:59 -->\nancien texte")
    by_hand = fake.add("Une question sur les rappels", "écrit à la main, avec l'étiquette")
    pull = fake.add("PR", "<!-- annuaire360:rappel:62 -->", pull_request={"url": "x"})
    assert sync(copy_fixture(tmp_path), client) == 0
    assert sorted(fake.open()) == [first, by_hand, pull]
    assert fake.issues[second]["state_reason"] == "not_planned"
    assert [n for n, _ in fake.comments] == [second]


def test_new_issues_per_run_are_limited_communautes_first(tmp_path: Path, github) -> None:
    fake, client = github
    data = copy_fixture(tmp_path)
    for name in ("80-somme", "02-aisne", "01-ain"):
        path = data / "departements" / f"{name}.yaml"
        path.write_text(path.read_text(encoding="utf-8") + (
            "structures:\n  - id: mdph-" + name + "\n    nom: MDPH fictive\n    type: mdph\n    sources:\n"
            "      - url: https://www.example.org/mdph\n        consulte_le: 2025-01-10\n"), encoding="utf-8")
    assert sync(data, client, limit=2) == 0
    assert [i["title"] for i in fake.open().values()] == [
        "Vérifier les informations : Nord (59)", "Vérifier les informations : Ain (01)"]
    assert sync(data, client, limit=2) == 0
    assert len(fake.open()) == 4


def test_a_refusal_by_github_is_said_in_french(tmp_path: Path, github, capsys) -> None:
    fake, client = github
    client.token = "mauvais-jeton"
    assert sync(copy_fixture(tmp_path), client) == 1
    err = capsys.readouterr().err
    assert "GitHub a refusé GET /issues" in err and "erreur 401" in err
    assert fake.issues == {}


def test_github_out_of_reach_is_said_in_french(tmp_path: Path, capsys) -> None:
    client = GitHubIssues("http://127.0.0.1:9", REPO, TOKEN)  # the discard port: nothing listens
    assert sync(copy_fixture(tmp_path), client) == 1
    assert "GitHub est injoignable" in capsys.readouterr().err
