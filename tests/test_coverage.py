"""What the directory knows: scores from fiches of known completeness, and the pages that show them."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from annuaire360 import format as fmt
from annuaire360.diagnostics import Report
from annuaire360.pipeline import check
from annuaire360.site import coverage as cov
from annuaire360.site.model import build_model
from tests.conftest import FIXED_TODAY, FIXTURE_DATA, settings_for
from tests.helpers import copy_fixture
from tests.page_types import soup_of

COMPLETE: dict[str, Any] = {
    "id": "pcpe-complet", "nom": "PCPE complet", "type": "pcpe", "acces": "direct",
    "public": {"situations": ["autisme-tnd"]},
    "contacts": [{"libelle": "Accueil", "telephone": "03 53 01 23 45", "horaires": "Mo-Fr 09:00-17:00"}],
    "adresse": "1 rue de l'Exemple", "code_postal": "59000", "commune": "Lille",
    "sources": [{"url": "https://www.example.org/pcpe", "consulte_le": "2025-05-01"}],
    "verifie_le": "2025-05-02", "verifie_par": "service",
}
WITHOUT = {  # what each structure criterion loses when one thing is taken away
    "telephone": {"contacts": [{"libelle": "Accueil", "courriel": "a@example.org", "horaires": "Mo-Fr 09:00-17:00"}]},
    "verifiee": {"verifie_le": "2024-05-01"},  # verified, but over a year ago
    "horaires": {"contacts": [{"libelle": "Accueil", "telephone": "03 53 01 23 45"}]},
    "acces": {"acces": "inconnu"},
    "public": {"public": {"aidants": True}},
    "adresse": {"adresse": None, "code_postal": None, "commune": None},
    "source_recente": {"sources": [{"url": "https://www.example.org/pcpe", "consulte_le": "2024-05-31"}],
                       "verifie_le": None, "verifie_par": None},
}


def structure(**changes: Any) -> fmt.Structure:
    return fmt.Structure.model_validate({**COMPLETE, **changes})


def test_a_complete_structure_meets_every_criterion() -> None:
    score = cov.score(structure(), cov.STRUCTURE_CRITERIA, FIXED_TODAY)
    assert score.met == {c.code for c in cov.STRUCTURE_CRITERIA}
    assert (score.points, score.total, score.percent) == (12, 12, 100)


@pytest.mark.parametrize("code", [c.code for c in cov.STRUCTURE_CRITERIA])
def test_each_missing_fact_costs_its_weight(code: str) -> None:
    weight = {c.code: c.weight for c in cov.STRUCTURE_CRITERIA}[code]
    score = cov.score(structure(**WITHOUT[code]), cov.STRUCTURE_CRITERIA, FIXED_TODAY)
    lost = {c.code for c in cov.STRUCTURE_CRITERIA} - score.met
    assert code in lost and score.points == 12 - sum({c.code: c.weight for c in cov.STRUCTURE_CRITERIA}[x] for x in lost)
    if code != "source_recente":  # an old source also drops the verification written beside it
        assert lost == {code} and score.points == 12 - weight


def test_the_fixture_scores_are_what_its_fiches_say() -> None:
    dataset = check(settings_for(FIXTURE_DATA), Report())
    annuaire = build_model(dataset)
    known = cov.coverage(annuaire, FIXED_TODAY)
    nord = known.by_code["59"]
    # the communauté says everything (13 of 13); the MDPH too (12 of 12); the PCPE has a phone, its access, its
    # public and a recent source, but no hours, no address, no verification (6 of 12):
    # 50 × 13/13 + 50 × (12/12 + 6/12) / 2 = 87.5 → 88
    assert nord.communaute.met == {c.code for c in cov.COMMUNAUTE_CRITERIA}
    assert [(view.data.id, s.points) for view, s in nord.members] == [("mdph-nord-fictive", 12), ("pcpe-fictif-lille", 6)]
    assert nord.score == 88 and nord.level.label == "Informations complètes"
    assert nord.summary == "Informations complètes : 1 service sur 2 a un numéro de téléphone vérifié"
    assert (nord.count("telephone"), nord.count("horaires"), nord.verified, len(nord.fiches)) == (2, 1, 2, 3)
    assert nord.oldest == dt.date(2025, 1, 10)  # the PCPE, never verified, read on 2025-01-10
    assert [(t.code, n) for t, n in nord.members_by_type] == [("mdph", 1), ("pcpe", 1)]
    ain = known.by_code["01"]
    assert (ain.score, ain.oldest, ain.summary) == (0, None, "Informations très incomplètes : aucun service n'est "
                                                              "encore décrit dans l'annuaire")
    france = known.france
    assert (france.described, france.porteurs, len(france.structures)) == (1, 1, 4)
    assert france.score == 1  # 88 / 101 départements
    assert [n for _, n in france.by_level] == [100, 0, 0, 1]


@pytest.mark.parametrize(("count", "total", "words"), [
    (0, 1, "le seul service décrit n'a pas de numéro de téléphone vérifié"),
    (0, 4, "aucun des 4 services n'a de numéro de téléphone vérifié"),
    (1, 9, "1 service sur 9 a un numéro de téléphone vérifié"),
    (2, 9, "2 services sur 9 ont un numéro de téléphone vérifié"),
])
def test_the_score_in_words(tmp_path: Path, count: int, total: int, words: str) -> None:
    data = copy_fixture(tmp_path)
    blocks = []
    for i in range(total):
        verified = "    verifie_le: 2025-05-01\n    verifie_par: service\n" if i < count else ""
        blocks.append(f"  - id: service-{i}\n    nom: Service {i}\n    type: pcpe\n    contacts:\n"
                      f"      - libelle: Accueil\n        telephone: \"03 53 01 00 {i:02d}\"\n    sources:\n"
                      f"      - url: https://www.example.org/{i}\n        consulte_le: 2025-05-01\n{verified}")
    somme = data / "departements" / "80-somme.yaml"
    somme.write_text(somme.read_text(encoding="utf-8") + "structures:\n" + "".join(blocks), encoding="utf-8")
    dataset = check(settings_for(data), Report())
    assert dataset is not None
    known = cov.coverage(build_model(dataset), FIXED_TODAY)
    assert known.by_code["80"].summary.endswith(words)


@pytest.mark.parametrize(("score", "rank"), [(0, 0), (24, 0), (25, 1), (49, 1), (50, 2), (79, 2), (80, 3), (100, 3)])
def test_levels(score: int, rank: int) -> None:
    assert cov.level_of(score).rank == rank


@pytest.mark.parametrize(("days", "state"), [(None, "jamais"), (0, "a-jour"), (186, "a-jour"), (187, "bientot"),
                                             (365, "bientot"), (366, "ancienne")])
def test_freshness_thresholds(days: int | None, state: str) -> None:
    verified = None if days is None else (FIXED_TODAY - dt.timedelta(days=days)).isoformat()
    fiche = structure(verifie_le=verified, verifie_par="service" if verified else None,
                      sources=[{"url": "https://www.example.org", "consulte_le": "2020-01-01"}])
    assert cov.freshness(fiche, FIXED_TODAY) == state


def test_a_date_without_a_role_and_a_role_without_a_date_are_refused() -> None:
    for changes, message in (({"verifie_par": None}, "verifie_le sans verifie_par"),
                             ({"verifie_le": None}, "verifie_par sans verifie_le")):
        with pytest.raises(ValueError, match=message):
            structure(**changes)
    with pytest.raises(ValueError, match=r"literal_error|Input should be"):
        structure(verifie_par="Mme Dupont")


# ---------------------------------------------------------------------------
# The pages


def cells(row: Any) -> list[str]:
    return [cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])]


def test_the_coverage_table_has_every_departement_and_the_totals(fixture_site: Path) -> None:
    soup = soup_of(fixture_site, "/couverture/")
    table = soup.select_one("table.couverture-tableau")
    region = table.find_parent("div")
    assert region["role"] == "region" and region["tabindex"] == "0"
    assert region["aria-labelledby"] == table.caption["id"]
    rows = table.select("tbody tr")
    assert len(rows) == 101
    nord = next(cells(r) for r in rows if r.th.get_text(strip=True) == "Nord (59)")
    assert nord == ["Nord (59)", "Décrite, porteur connu", "MDPH : 1, PCPE : 1", "2 sur 2", "1 sur 2", "2 sur 3",
                    "10 janvier 2025", "88 informations complètes", "Compléter Nord (59)"]
    nord_row = next(r for r in rows if r.th.get_text(strip=True) == "Nord (59)")
    assert [a["href"] for a in nord_row.find_all("a")] == ["/departements/59-nord/", "/departements/59-nord/#completer"]
    assert cells(table.select_one("tfoot tr")) == ["France entière", "1 décrites sur 101, 1 avec leur porteur",
                                                   "4 services", "4 sur 4", "1 sur 4", "1 sur 4", "",
                                                   "1 informations très incomplètes (moyenne)", "Contribuer"]


def test_the_table_sorts_with_links_each_order_its_page(fixture_site: Path) -> None:
    for order in cov.SORTS:
        soup = soup_of(fixture_site, order.url)
        headers = soup.select("table.couverture-tableau thead th")
        sorted_ = [th for th in headers if th.get("aria-sort")]
        assert len(sorted_) == 1 and sorted_[0]["aria-sort"] == "ascending" and not sorted_[0].a
        others = {th.a["href"] for th in headers if th.a}
        assert others == {o.url + "#tableau-titre" for o in cov.SORTS if o is not order}
        assert soup.caption.get_text(strip=True).endswith(f"triés par {order.label}")
    by_score = [cells(r)[0] for r in soup_of(fixture_site, "/couverture/par-note/").select("tbody tr")]
    assert by_score[0] == "Ain (01)" and by_score[-1] == "Nord (59)"
    oldest = [cells(r)[0] for r in soup_of(fixture_site, "/couverture/par-anciennete/").select("tbody tr")]
    assert oldest[0] == "Nord (59)"  # the only one with a date; the others know nothing yet


def test_the_map_fills_each_departement_with_its_band_and_names_it(fixture_site: Path) -> None:
    soup = soup_of(fixture_site, "/couverture/")
    carte = soup.select_one(".carte-france")
    outlines = carte.select("svg.carte-france__svg a")
    assert len(outlines) == 96
    nord = next(a for a in outlines if a["href"] == "/departements/59-nord/")
    assert nord["aria-label"] == "Nord (59) : informations complètes, 88 sur 100"
    assert nord.path["fill"] == "url(#motif-3)"
    assert {a.path["fill"] for a in outlines} == {"url(#motif-0)", "url(#motif-3)"}
    # the legend: every band, its pattern and its words; each pattern defined once in the page
    legend = [li.get_text(" ", strip=True) for li in carte.select(".legende__liste li")]
    assert legend == ["Informations complètes : note de 80 à 100 sur 100",
                      "Informations assez complètes : note de 50 à 79 sur 100",
                      "Informations partielles : note de 25 à 49 sur 100",
                      "Informations très incomplètes : note de 0 à 24 sur 100"]
    assert sorted(p["id"] for p in soup.find_all("pattern")) == ["motif-0", "motif-1", "motif-2", "motif-3"]
    overseas = [li.get_text(" ", strip=True) for li in carte.select(".carte-france__outremer li")]
    assert overseas[0] == "Guadeloupe (971) informations très incomplètes, 0 sur 100"
    assert carte.select_one(".carte-france__passer").find_next("a")["href"] == "#tableau-titre"


def test_the_score_is_explained_from_the_tables(fixture_site: Path) -> None:
    soup = soup_of(fixture_site, "/couverture/")
    tables = soup.select("#calcul ~ table.criteres")
    assert len(tables) == 2
    for table, criteria in zip(tables, (cov.COMMUNAUTE_CRITERIA, cov.STRUCTURE_CRITERIA), strict=True):
        rows = [cells(r) for r in table.select("tbody tr")]
        assert rows == [[c.title, str(c.weight), c.why] for c in criteria]
        assert table.caption.get_text(strip=True).endswith(f"{sum(c.weight for c in criteria)} points en tout")


def test_the_departement_page_says_what_is_known_and_how_to_help(fixture_site: Path) -> None:
    block = soup_of(fixture_site, "/departements/59-nord/").select_one("section#completer")
    assert block.select_one(".couverture__resume").get_text(" ", strip=True).startswith(
        "Informations complètes : 1 service sur 2 a un numéro de téléphone vérifié. Note : 88 sur 100")
    rows = {dt_.get_text(strip=True): dt_.find_next("dd").get_text(" ", strip=True) for dt_ in block.select("dt")}
    assert rows["Un numéro de téléphone"] == "2 sur 2" and rows["Une adresse"] == "1 sur 2"
    links = {a.get_text(" ", strip=True): a["href"] for a in block.select("a")}
    issue = urlparse(links["Proposer une information sur ce département"])
    assert issue.path.endswith("/issues/new")
    query = parse_qs(issue.query)
    assert query["title"] == ["Compléter : Nord (59)"] and "labels" not in query  # a family cannot set labels
    assert links["Modifier le fichier de données du département"].endswith("/edit/main/data/departements/59-nord.yaml")
    ain = soup_of(fixture_site, "/departements/01-ain/").select_one("section#completer")
    text = ain.get_text(" ", strip=True)
    assert "aucun service n'est encore décrit" in text
    assert "À compléter sur la communauté 360 La communauté 360 décrite, une vérification" in text
    body = parse_qs(urlparse(ain.select_one("a[href*='issues/new']")["href"]).query)["body"][0]
    assert "Ce qui manque :\n- La communauté 360 décrite\n" in body


def test_the_home_page_shows_the_national_figures(fixture_site: Path) -> None:
    section = soup_of(fixture_site, "/").select_one("section.couverture")
    figures = {d.get_text(strip=True): d.find_next("dd").get_text(" ", strip=True) for d in section.select("dt")}
    assert figures["Départements dont la communauté 360 est décrite"] == "1 sur 101 (porteur connu : 1)"
    assert figures["Services avec un numéro de téléphone"] == "4 sur 4"
    assert figures["Services vérifiés par une personne depuis moins d'un an"] == "1 sur 4"
    assert section.select_one("a[href='/couverture/']")


def test_a_fiche_says_who_verified_it(fixture_site: Path) -> None:
    provenance = soup_of(fixture_site, "/structures/mdph-nord-fictive/").select_one(".provenance")
    assert "Vérifié le 1er février 2025 par le service lui-même." in provenance.get_text(" ", strip=True)
    communaute = soup_of(fixture_site, "/departements/59-nord/").select_one(".provenance")
    assert re.search(r"Vérifié le 1er février 2025 par la coordination de la communauté 360\.",
                     communaute.get_text(" ", strip=True))
