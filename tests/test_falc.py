"""Easy-read texts (FALC) are data, and ``check`` measures what can be measured of the European rules.

Each rule gets a text that breaks it, in a copy of the fixture data, and must produce its located French
warning, on the right line and column; texts that follow the rules produce none; the real texts of data/
pass them all. A warning never fails ``check``: a type waiting for its easy-read text is still published.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from annuaire360.diagnostics import Report
from annuaire360.format.content import NUMBER_TOKEN
from annuaire360.site.links import NUMBER_TOKEN as SITE_TOKEN
from annuaire360.source.falc import MAX_WORDS, normalised, sentences, words
from tests.conftest import ROOT, check_data, real_today
from tests.helpers import copy_fixture, run_build

SOURCE = """    sources:
      - url: https://www.example.org/source
        consulte_le: 2025-01-10
"""

HEAD = """accueil:
  titre: Facile à lire
  description: Des pages simples.
  parties:
    - titre: C'est quoi ?
      phrases:
        - Ces pages sont simples.
pas_encore_relu:
  - Ce texte n'est pas encore relu.
mots_difficiles:
  - mot: bénéficier
    formes: [bénéficiez]
    remplacer_par: avoir, recevoir
pages:
"""


def easy_read(tmp_path: Path, *lines: str, extra: str = "") -> Path:
    """A copy of the fixture data whose data/facile-a-lire.yaml has one page holding ``lines``."""
    data = copy_fixture(tmp_path)
    phrases = "".join(f"          - {line}\n" for line in lines)
    page = (f"  - adresse: essai\n    titre: Essai\n    description: Une page d'essai.\n    version_complete: /\n"
            f"    parties:\n      - titre: Une partie\n        phrases:\n{phrases}{SOURCE}{extra}")
    (data / "facile-a-lire.yaml").write_text(HEAD + page, encoding="utf-8")
    return data


def warnings_of(data: Path, name: str = "facile-a-lire.yaml") -> list[tuple[int, int, str]]:
    report = Report()
    check_data(data, report)
    assert not report.errors, [str(e) for e in report.errors]
    return [(w.line, w.column, w.message) for w in report.warnings if w.path.endswith(name)]


FIRST_LINE = HEAD.count("\n") + 8  # the first phrase of the page written by easy_read()


def column(line: str, fragment: str) -> int:
    """The column of ``fragment`` in a phrase written by easy_read() (after «          - »)."""
    return 13 + line.index(fragment)


# --------------------------------------------------------------------------- the measurable rules


def test_a_long_sentence_is_located_and_counted(tmp_path: Path) -> None:
    long = "Vous pouvez appeler ce service tous les jours de la semaine pour parler de votre situation avec lui."
    [(line, col, message)] = warnings_of(easy_read(tmp_path, "Une phrase courte.", long))
    assert (line, col) == (FIRST_LINE + 1, 13)
    assert message == (f"phrase de {len(words(long))} mots ({MAX_WORDS} au plus) : coupez-la en phrases courtes, "
                       "une idée par phrase")
    assert len(words(long)) > MAX_WORDS


def test_two_sentences_on_one_line(tmp_path: Path) -> None:
    text = "Appelez le service. Il vous répond."
    [(line, col, message)] = warnings_of(easy_read(tmp_path, text))
    assert (line, col) == (FIRST_LINE, column(text, "Il vous"))  # where the second sentence starts
    assert message.startswith("une ligne, une idée : cette ligne a 2 phrases")


def test_an_unknown_acronym_or_a_word_in_capitals(tmp_path: Path) -> None:
    [(line, col, message)] = warnings_of(easy_read(tmp_path, "Le XYZ vous aide."))
    assert (line, col) == (FIRST_LINE, column("Le XYZ vous aide.", "XYZ"))
    assert message.startswith("« XYZ » : sigle inconnu du glossaire, ou mot en capitales")


@pytest.mark.parametrize("lines, expected", [
    (["La RQTH vous aide à travailler."], 1),  # never explained
    (["La RQTH vous aide.", "RQTH veut dire reconnaissance de la qualité de travailleur handicapé."], 1),  # too late
    (["RQTH veut dire reconnaissance de la qualité de travailleur handicapé.", "La RQTH vous aide."], 0),
    (["La RQTH, c'est la reconnaissance de la qualité de travailleur handicapé."], 0),  # in the same sentence
    (["Le PCPE vient chez vous.", "Le pôle de compétences et de prestations externalisées aide."], 1),  # a type's sigle
])
def test_an_acronym_is_explained_before_it_is_used(tmp_path: Path, lines: list[str], expected: int) -> None:
    found = warnings_of(easy_read(tmp_path, *lines))
    assert len(found) == expected, found
    if expected:
        assert "n'est pas expliqué : écrivez avant, ou dans la même phrase, ce qu'il veut dire" in found[0][2]
        assert found[0][:2] == (FIRST_LINE, 16)


def test_an_acronym_in_a_heading_may_be_explained_just_after(tmp_path: Path) -> None:
    data = easy_read(tmp_path, "MDPH veut dire Maison départementale des personnes handicapées.", "La MDPH vous répond.")
    path = data / "facile-a-lire.yaml"
    path.write_text(path.read_text().replace("titre: Une partie", "titre: Demander à la MDPH"), encoding="utf-8")
    assert warnings_of(data) == []


def test_hard_words_numbers_in_letters_and_italics(tmp_path: Path) -> None:
    first, second = "Vous bénéficiez de trois rendez-vous.", "C'est *important*."
    found = warnings_of(easy_read(tmp_path, first, second))
    assert found == [
        (FIRST_LINE, column(first, "bénéficiez"), "« bénéficiez » est un mot difficile : écrivez plutôt « avoir, recevoir »"),
        (FIRST_LINE, column(first, "trois"), "écrivez les nombres en chiffres : « trois » → en chiffres (2, 3, 10…)"),
        (FIRST_LINE + 1, column(second, "*important*"), "pas d'italique (*important*) : il est difficile à lire ; pour un "
                                                        "mot important, écrivez-le en gras, entre deux paires d'étoiles (**mot**)"),
    ]


def test_bold_digits_and_the_number_token_are_fine(tmp_path: Path) -> None:
    text = f"Appelez le {NUMBER_TOKEN} : c'est **gratuit**, pour les enfants de 0 à 6 ans."
    assert warnings_of(easy_read(tmp_path, f'"{text}"')) == []  # quoted: « : » would start a YAML mapping


def test_the_national_number_is_never_written_in_a_text(tmp_path: Path) -> None:
    report = Report()
    assert check_data(easy_read(tmp_path, "Appelez le 0 800 360 360."), report) is None
    [error] = report.errors
    assert error.path.endswith("facile-a-lire.yaml") and error.line == FIRST_LINE
    assert error.message.startswith("écrivez [[numero-national]] à la place de « 0 800 360 360 »")


def test_a_type_without_easy_read_text_is_a_warning_and_check_still_passes(tmp_path: Path) -> None:
    data = copy_fixture(tmp_path)
    types = data / "types.yaml"
    text = types.read_text(encoding="utf-8")
    gem = next(line for line in text.splitlines() if line.startswith("    facile_a_lire:") and "entre elles" in line)
    types.write_text(text.replace(gem + "\n", ""), encoding="utf-8")
    found = warnings_of(data, "types.yaml")
    explication = next(n for n, line in enumerate(types.read_text().splitlines(), 1) if "entraide entre pairs" in line)
    assert found == [(explication, 5, "le type « gem » n'a pas de texte facile à lire : ajoutez facile_a_lire sous "
                                      "explication (2 à 4 phrases très courtes ; règles dans content/ecrire-facile-a-lire.md)")]
    result = run_build("check", "--data", str(data))
    assert result.returncode == 0 and "Tout est bon" in result.stderr


def test_a_type_text_is_checked_with_its_name_as_context(tmp_path: Path) -> None:
    """A type's own sigle is explained by the name above its text; another sigle is not."""
    data = copy_fixture(tmp_path)
    types = data / "types.yaml"
    text = types.read_text(encoding="utf-8")
    old = next(line for line in text.splitlines() if line.startswith("    facile_a_lire:") and "psychologue ou un éducateur" in line)
    types.write_text(text.replace(old, "    facile_a_lire: Le PCPE vient chez vous. Le CAMSP aussi."), encoding="utf-8")
    [(_, _, message)] = warnings_of(data, "types.yaml")
    assert message.startswith("« CAMSP » n'est pas expliqué")


# --------------------------------------------------------------------------- validation of the file itself


@pytest.mark.parametrize("change, expected", [
    ("version_complete: /\n", "version_complete: glossaire\n"),
    ("consulte_le: 2025-01-10\n", "consulte_le: 2025-01-10\n    relecture:\n      date: 2030-01-01\n      par: Un groupe\n"),
])
def test_bad_values_are_located_errors(tmp_path: Path, change: str, expected: str) -> None:
    data = easy_read(tmp_path, "Une phrase.")
    path = data / "facile-a-lire.yaml"
    path.write_text(path.read_text().replace(change, expected), encoding="utf-8")
    report = Report()
    assert check_data(data, report) is None
    [error] = report.errors
    assert error.path.endswith("facile-a-lire.yaml")
    assert ("adresse « glossaire » invalide : écrivez l'adresse d'une page de ce site" in error.message
            or "date 2030-01-01 dans le futur" in error.message)


def test_two_pages_with_the_same_address(tmp_path: Path) -> None:
    data = easy_read(tmp_path, "Une phrase.")
    path = data / "facile-a-lire.yaml"
    text = path.read_text()
    page = text[text.index("  - adresse: essai"):]
    path.write_text(text + page, encoding="utf-8")
    report = Report()
    assert check_data(data, report) is None
    assert [e.message for e in report.errors] == [
        "adresse « essai » déjà utilisée par une autre page facile à lire : choisissez-en une autre"]


def test_the_file_is_required(tmp_path: Path) -> None:
    data = copy_fixture(tmp_path)
    (data / "facile-a-lire.yaml").unlink()
    report = Report()
    assert check_data(data, report) is None
    assert any("fichier obligatoire manquant" in e.message and e.path.endswith("facile-a-lire.yaml") for e in report.errors)


# --------------------------------------------------------------------------- the real texts


def test_the_real_texts_follow_every_measurable_rule() -> None:
    report = Report()
    dataset = check_data(ROOT / "data", report, today=real_today())
    assert dataset is not None, [str(e) for e in report.errors]
    assert [str(w) for w in report.warnings if "facile-a-lire" in w.path or "types.yaml" in w.path] == []
    types = dataset.types.record.types  # type: ignore[attr-defined]
    assert all(t.facile_a_lire for t in types), "chaque type a son texte facile à lire"
    texts = dataset.facile_a_lire.record  # type: ignore[attr-defined]
    assert {p.adresse for p in texts.pages} >= {"numero-national", "communaute-360", "mdph", "services", "signaler-une-erreur"}
    assert all(p.relecture is None for p in texts.pages), "aucun texte n'a encore été relu : le site ne doit pas dire le contraire"


def test_the_fixture_texts_are_the_real_ones() -> None:
    """The fixture keeps the real texts (with fictional sources): the pages tested are the pages published."""
    def texts(path: Path) -> list[str]:
        return [line for line in path.read_text().splitlines() if line.lstrip().startswith(("- ", "titre:", "description:"))
                and "url:" not in line and "source:" not in line and "consulte_le" not in line]
    assert texts(ROOT / "data" / "facile-a-lire.yaml") == texts(ROOT / "tests" / "fixtures" / "data" / "facile-a-lire.yaml")


# --------------------------------------------------------------------------- the measuring helpers


def test_sentences_words_and_normalised_text() -> None:
    assert sentences("Appelez le 0 800 360 360. Il répond ! Vraiment ?") == ["Appelez le 0 800 360 360.", "Il répond !", "Vraiment ?"]
    assert words(f"L'équipe d'accueil répond au {NUMBER_TOKEN}, de 9 h à 17 h.") == [
        "L'équipe", "d'accueil", "répond", "au", NUMBER_TOKEN, "de", "9", "h", "à", "17", "h"]
    assert normalised("Maison  Départementale de l’Autonomie") == "maison departementale de l'autonomie"
    assert NUMBER_TOKEN == SITE_TOKEN == "[[numero-national]]"
