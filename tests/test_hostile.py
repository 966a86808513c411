"""Hostile input, second round: one mechanism per class, tested on its own and through ``check``.

The exact messages of the committed cases are in tests/corpus/; here are the mechanisms themselves (what no
message can do, whatever it quotes), the cases that cannot be committed (named pipes, links, content pages)
and the policies (phone numbers, addresses, hours, Markdown bounds).
"""

from __future__ import annotations

import csv
import io
import os
import re
import unicodedata
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic_core import PydanticCustomError

from annuaire360 import pipeline
from annuaire360.diagnostics import Diagnostic, DisplayRule, Report, quoted, terminal, visible
from annuaire360.errors import system_message
from annuaire360.format.values import (
    FIELD_LIMITS,
    PAGE_LIMITS,
    _check_email,
    _check_markdown,
    _check_opening_hours,
    _check_url,
    markdown_problem,
    parse_phone,
)
from annuaire360.source.content import read_content
from annuaire360.tabular import safe_cell, write_csv
from annuaire360.tools.github import summary
from tests.conftest import FIXTURE_DATA, ROOT, check_data, settings_for
from tests.helpers import copy_fixture, run_build

SOMME = Path("departements") / "80-somme.yaml"
FORGERIES = [
    "80000\ndata/departements/80-somme.yaml:1:1: erreur: faux",
    "x\r::error file=README.md,line=1::piratage",
    "\x1b[2K\x1b[1A\rVérification : 0 erreur. Tout est bon.",
    "##[error]vieille commande",
    "![image](https://www.example.org/suivi.png) <img src=x onerror=alert(1)> [cliquez](https://www.example.org/)",
    "\u202eenil eiv\u2066\u2069\u2028\u2029\x85\x00\udcff",
]


# ---------------------------------------------------------------------------
# 2. No quoted value can forge or hide a line, anywhere


UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ud800-\udfff]")
ANNOTATION = re.compile(r"^::(error|warning) file=[^,:\r\n]*,line=\d+,col=\d+::[^\r\n]*$")
any_text = st.text(st.characters(codec=None), max_size=120) | st.sampled_from(FORGERIES)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=any_text, message=any_text)
def test_a_diagnostic_is_one_inert_line_on_every_destination(path: str, message: str) -> None:
    diagnostic = Diagnostic(path, 3, 7, "erreur", f"valeur {quoted(message)} refusée : {message}")
    line = str(diagnostic)
    assert not UNSAFE.search(line) and "\n" not in line
    assert not line.lstrip().startswith("::") and "##[" not in line  # never a workflow command
    assert line.encode("utf-8")  # printable whatever the file name's bytes were (no lone surrogate)
    annotation = diagnostic.github_annotation()
    assert ANNOTATION.match(annotation), annotation
    page = BeautifulSoup(summary(Report([diagnostic]), failed=True, strict=False, guide=None), "html.parser")
    assert not page.find_all(["img", "script", "a"])
    row = [cell.get_text() for cell in page.select("table tbody tr td")]
    assert row == [terminal(path), "3", "7", terminal(diagnostic.message)]


def test_report_prints_one_line_per_diagnostic_whatever_they_quote() -> None:
    report = Report()
    for i, forgery in enumerate(FORGERIES):
        report.error(f"data/{forgery}.yaml", i + 1, 1, f"champ {quoted(forgery)} inconnu : {forgery}")

    class Stream:
        text = ""

        def write(self, chunk: str) -> None:
            self.text += chunk

    stream = Stream()
    report.print(stream, github=True)  # type: ignore[arg-type]
    lines = stream.text.splitlines()
    assert len(lines) == 2 * len(FORGERIES)
    assert sum(line.startswith("::error file=") for line in lines) == len(FORGERIES)


def test_quoted_values_are_visible_and_short() -> None:
    assert quoted("specialite\u00a0") == "« specialite⟨espace insécable U+00A0⟩ »"
    assert quoted("a\nb") == "« a⟨retour à la ligne U+000A⟩b »"
    assert quoted("x" * 500) == "« " + "x" * 60 + "… »"
    assert visible("Corre\u0300ze") == "Corre⟨accent séparé de sa lettre U+0300⟩ze"
    assert visible("Corrèze") == "Corrèze"


def test_a_file_name_that_forges_a_message_is_printed_inert(tmp_path: Path) -> None:
    data = copy_fixture(tmp_path)
    # A name that is not UTF-8, holds a newline, a workflow command and an escape sequence.
    name = os.fsencode(data / "departements") + b"/\xff\n::error file=x::faux\x1b[2K.yaml"
    with open(name, "wb") as stream:
        stream.write(b'code: "80"\nnom: Somme\n')
    result = run_build("check", "--data", "data", cwd=tmp_path, env={"GITHUB_ACTIONS": "true"})
    assert result.returncode == 1 and "Traceback" not in result.stderr and "Erreur interne" not in result.stderr
    for line in result.stderr.splitlines():
        assert not line.startswith("::") or ANNOTATION.match(line), line
        assert "\x1b" not in line
    shown = "data/departements/⟨U+DCFF⟩⟨U+000A⟩::error file=x::faux⟨U+001B⟩[2K.yaml:1:7: erreur: le département 80"
    assert shown in result.stderr


# ---------------------------------------------------------------------------
# 9. Paths and system errors in French


def test_a_path_reached_through_a_link_is_shown_where_it_stands(tmp_path: Path) -> None:
    elsewhere = tmp_path / "ailleurs"
    elsewhere.mkdir()
    (elsewhere / "80-somme.yaml").write_text("x", encoding="utf-8")
    repository = tmp_path / "depot"
    (repository / "data" / "departements").mkdir(parents=True)
    link = repository / "data" / "departements" / "80-somme.yaml"
    link.symlink_to(elsewhere / "80-somme.yaml")
    assert DisplayRule(repository)(link) == "data/departements/80-somme.yaml"  # not /…/ailleurs/80-somme.yaml
    checkout = tmp_path / "lien-vers-le-depot"
    checkout.symlink_to(repository)
    assert DisplayRule(checkout)(repository / "data" / "x.yaml") == "data/x.yaml"


@pytest.mark.parametrize(("error", "french"), [
    (PermissionError(13, "Permission denied"), "permission refusée"),
    (IsADirectoryError(21, "Is a directory"), "c'est un dossier, pas un fichier"),
    (FileNotFoundError(2, "No such file or directory"), "fichier ou dossier introuvable"),
    (OSError(40, "Too many levels of symbolic links"), "trop de liens symboliques (une boucle ?)"),
    (OSError(28, "No space left on device"), "plus de place sur le disque"),
])
def test_system_errors_are_said_in_french(error: OSError, french: str) -> None:
    assert system_message(error) == french


# ---------------------------------------------------------------------------
# 3 and 5. What is not a regular file of its folder, names and extensions


def special(tmp_path: Path, make: str) -> Path:
    data = copy_fixture(tmp_path)
    target = data / SOMME
    target.unlink()
    if make == "fifo":
        os.mkfifo(target)
    elif make == "dev-zero":
        target.symlink_to("/dev/zero")
    elif make == "outside":
        (tmp_path / "secret.yaml").write_text("root: x\n", encoding="utf-8")
        target.symlink_to(tmp_path / "secret.yaml")
    elif make == "folder":
        target.mkdir()
    elif make == "loop":
        target.symlink_to(target)
    return data


@pytest.mark.parametrize(("make", "message"), [
    ("fifo", "c'est un tube nommé (FIFO), pas un fichier : remplacez-le par un fichier texte"),
    ("dev-zero", "lien symbolique vers un fichier hors du dossier data/ : refusé (son contenu serait lu et publié) ; "
                 "remplacez le lien par le fichier lui-même"),
    ("outside", "lien symbolique vers un fichier hors du dossier data/ : refusé (son contenu serait lu et publié) ; "
                "remplacez le lien par le fichier lui-même"),
    ("folder", "c'est un dossier, pas un fichier : remplacez-le par un fichier texte"),
    ("loop", "lien symbolique en boucle : remplacez-le par le fichier lui-même"),
])
def test_what_is_not_a_regular_file_of_the_data_folder_is_refused_at_once(tmp_path: Path, make: str, message: str) -> None:
    data = special(tmp_path, make)
    result = run_build("check", "--data", "data", cwd=tmp_path)  # times out (a failure) if the check blocks
    assert result.returncode == 1, result.stderr
    assert f"data/departements/80-somme.yaml:1:1: erreur: {message}" in result.stderr.splitlines()
    assert "root" not in result.stderr  # nothing of the linked file is read
    assert data.is_dir()


def test_a_link_inside_the_data_folder_is_read(tmp_path: Path) -> None:
    data = copy_fixture(tmp_path)
    (data / "departements" / "somme.txt").write_bytes((data / SOMME).read_bytes())
    (data / SOMME).unlink()
    (data / SOMME).symlink_to("somme.txt")
    report = Report()
    assert check_data(data, report) is not None, report.items
    assert [str(d) for d in report.items] == [
        "data/departements/somme.txt:1:1: avertissement: fichier ignoré : seuls les fichiers .yaml de "
        "data/departements/ sont lus ; s'il contient des données, renommez-le « somme.yaml », sinon retirez-le"]


def test_a_file_that_is_not_yaml_is_named_not_skipped(tmp_path: Path) -> None:
    data = copy_fixture(tmp_path)
    (data / "departements" / "80-somme.yaml.txt").write_text("code: x\n", encoding="utf-8")
    (data / "departements" / ".gitkeep").write_text("", encoding="utf-8")  # hidden files stay quiet
    report = Report()
    assert check_data(data, report) is not None
    assert [str(d) for d in report.items] == [
        "data/departements/80-somme.yaml.txt:1:1: avertissement: fichier ignoré : seuls les fichiers .yaml de "
        "data/departements/ sont lus ; s'il contient des données, renommez-le « 80-somme.yaml », sinon retirez-le"]


def test_a_required_file_written_otherwise_is_named(tmp_path: Path) -> None:
    data = copy_fixture(tmp_path)
    (data / "site.yaml").rename(data / "Site.YAML")
    report = Report()
    assert check_data(data, report) is None
    assert [str(d) for d in report.errors] == [
        "data/site.yaml:1:1: erreur: fichier obligatoire manquant : data/site.yaml ; « Site.YAML » existe : "
        "renommez-le « site.yaml » (en minuscules, extension .yaml)"]


def content_check(tmp_path: Path, pages: dict[str, bytes]) -> list[str]:
    content = tmp_path / "content"
    content.mkdir(exist_ok=True)
    for name, text in pages.items():
        (content / name).write_bytes(text)
    report = Report()
    check_data(FIXTURE_DATA, report, content=content)
    return [str(d) for d in report.items]


PAGE = b"---\ntitre: Une page\ndescription: Pour les tests.\n---\nDu texte.\n"


def test_a_content_page_with_windows_line_endings_is_read(tmp_path: Path) -> None:
    assert content_check(tmp_path, {"page.md": PAGE.replace(b"\n", b"\r\n")}) == []
    report = Report()
    pages = read_content(tmp_path / "content", settings_for().paths.display, report)
    assert [(p.header.titre, p.body) for p in pages] == [("Une page", "Du texte.\n")]


def test_content_file_names_make_addresses_and_are_checked(tmp_path: Path) -> None:
    messages = content_check(tmp_path, {"ma page.md": PAGE, "quoi?.md": PAGE, "a.b.md": PAGE, "Guide.MD": PAGE,
                                        "p" * 81 + ".md": PAGE})
    assert messages == [
        "content/Guide.MD:1:1: erreur: extension « .MD » en majuscules : renommez le fichier « Guide.md » (les "
        "extensions s'écrivent en minuscules, pour que le fichier soit le même sur tous les ordinateurs)",
        "content/a.b.md:1:1: erreur: nom de fichier « a.b.md » invalide : il donne l'adresse de la page, donc "
        "seulement des lettres minuscules sans accent, des chiffres et des tirets (ni espace, ni « ? », ni « . »), 80 au plus ; "
        "renommez-le « a-b.md »",
        "content/ma page.md:1:1: erreur: nom de fichier « ma page.md » invalide : il donne l'adresse de la page, donc "
        "seulement des lettres minuscules sans accent, des chiffres et des tirets (ni espace, ni « ? », ni « . »), 80 au plus ; "
        "renommez-le « ma-page.md »",
        f"content/{'p' * 81}.md:1:1: erreur: nom de fichier « {'p' * 60}… » invalide : il donne l'adresse de la page, "
        "donc seulement des lettres minuscules sans accent, des chiffres et des tirets (ni espace, ni « ? », ni « . »), "
        f"80 au plus ; renommez-le « {'p' * 80}.md »",
        "content/quoi?.md:1:1: erreur: nom de fichier « quoi?.md » invalide : il donne l'adresse de la page, donc "
        "seulement des lettres minuscules sans accent, des chiffres et des tirets (ni espace, ni « ? », ni « . »), 80 au plus ; "
        "renommez-le « quoi.md »",
    ]


def test_content_pages_are_read_like_data(tmp_path: Path) -> None:
    (tmp_path / "secret.md").write_bytes(PAGE)
    conflict = PAGE + b"<<<<<<< HEAD\nUne version.\n=======\nUne autre.\n>>>>>>> branche\n"
    brackets = PAGE + b"[" * 30_000 + b"\n"
    content = tmp_path / "content"
    content.mkdir()
    (content / "lien.md").symlink_to(tmp_path / "secret.md")
    messages = content_check(tmp_path, {"conflit.md": conflict, "crochets.md": brackets})
    assert messages == [
        "content/conflit.md:6:1: erreur: marques de conflit Git (« <<<<<<< », « ======= », « >>>>>>> ») : deux "
        "versions de ce passage se sont rencontrées ; gardez la bonne version et supprimez les trois lignes de marques",
        "content/crochets.md:6:1: erreur: page trop compliquée à mettre en page : 30000 « [ », 5000 au plus : un "
        "lien en demande un ; écrivez « \\[ » pour un « [ » seul",
        "content/lien.md:1:1: erreur: lien symbolique vers un fichier hors du dossier content/ : refusé (son contenu "
        "serait lu et publié) ; remplacez le lien par le fichier lui-même",
    ]


def test_a_static_file_linked_from_outside_is_located_on_it_not_on_the_output(tmp_path: Path) -> None:
    static = tmp_path / "static"
    static.mkdir()
    (static / "style.css").write_text("body{}", encoding="utf-8")
    (static / "environ").symlink_to("/proc/self/environ")
    report = Report()
    settings = settings_for(FIXTURE_DATA, tmp_path / "site", static=static)
    assert pipeline.build(settings, report, index=False) is None
    assert [(d.path, d.line, d.message) for d in report.errors] == [
        ("static/environ", 1, "lien symbolique vers un fichier hors du dossier static/ : refusé (son contenu serait "
                              "lu et publié) ; remplacez le lien par le fichier lui-même")]
    assert not (tmp_path / "site").exists()


# ---------------------------------------------------------------------------
# 1. CSV


@pytest.mark.parametrize("value", ["=1+1", "+33", "-2", "@SUM(A1)", "\tx", "\rx", "'=déjà"])
def test_formula_cells_get_a_leading_quote(value: str) -> None:
    assert safe_cell(value) == "'" + value
    rows = list(csv.reader(io.StringIO(write_csv(["a"], [[value]]).decode("utf-8-sig"), newline="")))
    assert rows == [["a"], ["'" + value]]


def test_ordinary_cells_are_left_as_they_are() -> None:
    assert [safe_cell(v) for v in ("Amiens", "03 53 01 11 11", "", "a=b")] == ["Amiens", "03 53 01 11 11", "", "a=b"]


# ---------------------------------------------------------------------------
# 6. Addresses


def refused(check, value: str) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(PydanticCustomError) as caught:
        check(value)
    return str(caught.value)


@pytest.mark.parametrize("url", [
    "https://www.example.org/l'annuaire/d'accord",  # an apostrophe, as many French addresses have
    "https://www.écoles.example.org/page",  # accented Latin letters are French domains
    "https://issuu.com./yvelines/docs/rapport",  # the root's final dot
    "https://www.example.org:8443/page?a=1&b=2#haut",
])
def test_honest_addresses_are_accepted(url: str) -> None:
    assert _check_url(url, https_only=True) == url


@pytest.mark.parametrize(("url", "words"), [
    ("https://www.example.org@autre.example.net/", "ce qui précède « @ » (« www.example.org »)"),
    ("https://user:motdepasse@www.example.org/", "c'est un identifiant"),
    ("https://www.ехample.org/", "« е » (lettre cyrillique, U+0435), qui imite une lettre latine"),
    ("https://www.examplε.org/", "lettre grecque"),
    ("https://ｗｗｗ.example.org/", "lettre en pleine chasse"),
    ("https://xn--exmple-4nf.org/", "lettre cyrillique, U+0430"),
    ("https://www.example.org/\u202egpj.exe", "contrôle de direction du texte (U+202E)"),
    ("https://www.exa\u00admple.org/", "trait d'union conditionnel (U+00AD)"),
    ("https://www.example.org\\@autre.example.net/", "« \\ »"),
    ("https://10.0.0.1/", "adresse IP"),
    ("https://localhost/", "invalide"),
    ("https://-tiret.example.org/", "tiret au début"),
    ("https://www.example.org/" + "a" * 2000, "trop longue (2024 caractères, 2000 au plus)"),
    ("javascript:alert(1)", "seules les adresses web commençant par https://"),
    ("https://www.example.org:port/", "invalide"),
])
def test_deceptive_addresses_are_refused_with_a_french_message(url: str, words: str) -> None:
    assert words in refused(lambda v: _check_url(v, https_only=True), url)


def test_email_domains_follow_the_same_rule() -> None:
    assert _check_email("=contact@example.org") == "=contact@example.org"  # valid: the CSV makes it inert
    assert "lettre cyrillique" in refused(_check_email, "contact@exаmple.org")
    assert "espace sans chasse (U+200B)" in refused(_check_email, "con\u200btact@example.org")
    assert "trop longue" in refused(_check_email, "a" * 300 + "@example.org")


def test_markdown_links_follow_the_same_rule() -> None:
    assert "c'est un identifiant" in refused(_check_markdown, "Voir [le site](https://www.example.org@autre.example.net/).")
    assert _check_markdown("Voir [le site](https://www.example.org/l'annuaire).")


# ---------------------------------------------------------------------------
# 7. Phone numbers a French phone can dial


@pytest.mark.parametrize(("written", "display", "href", "free"), [
    ("+44 20 7946 0958", "+44 20 7946 0958", "tel:+442079460958", False),
    ("0044 20 7946 0958", "+44 20 7946 0958", "tel:+442079460958", False),
    ("+32 2 555 12 34", "+32 2 555 12 34", "tel:+3225551234", False),
    ("3977", "3977", "tel:3977", False),  # 3 BPQ numbers are priced one by one: never called free
    ("3020", "3020", "tel:3020", True),  # 30 PQ and 31 PQ are free
    ("116 006", "116 006", "tel:116006", True),
    ("119", "119", "tel:119", True),
    ("0 806 12 34 56", "0 806 123 456", "tel:0806123456", False),  # the price of a call
])
def test_phone_policy(written: str, display: str, href: str, free: bool) -> None:
    phone = parse_phone(written)
    assert (phone.display, phone.tel_href, phone.free) == (display, href, free)


@pytest.mark.parametrize(("written", "words"), [
    ("08 99 12 34 56", "numéro surtaxé « 08 99 12 34 56 » refusé"),
    ("0891 12 34 56", "numéro surtaxé"),
    ("+1 800 253 0000", "numéro spécial étranger"),
    ("+44 871 234 5678", "numéro spécial étranger"),
    ("1234", "invalide"),
    ("0" * 200, "invalide"),
])
def test_numbers_families_should_not_call_are_refused(written: str, words: str) -> None:
    assert words in refused(parse_phone, written)


def test_a_surcharged_number_is_a_located_warning(tmp_path: Path) -> None:
    data = copy_fixture(tmp_path)
    path = data / "departements" / "59-nord.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('"03 53 01 45 67"', '"0 820 12 34 56"'), encoding="utf-8")
    report = Report()
    assert check_data(data, report) is not None
    assert [(d.path, d.severity, d.message) for d in report.items] == [
        ("data/departements/59-nord.yaml", "avertissement",
         "numéro surtaxé « 0 820 123 456 » : l'appel coûte plus qu'une communication ordinaire (numéros en 081 et "
         "082) ; publiez plutôt le numéro ordinaire du service s'il en a un")]
    line = next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "0 820" in text)
    assert report.items[0].line == line


# ---------------------------------------------------------------------------
# 8. Hours


@pytest.mark.parametrize("hours", ["Mo-Fr 09:00-12:00,14:00-17:00; PH off", "Mo-Su 20:00-08:00", "Feb 29 off",
                                   "2024 Feb 29 off", "Mo 00:00-24:00"])
def test_sensible_hours_are_accepted(hours: str) -> None:
    assert _check_opening_hours(hours) == hours


@pytest.mark.parametrize(("hours", "words"), [
    ("Mo-Fr 09:00-09:00", "« 09:00-09:00 » finit à l'heure où elle commence"),
    ("Mo 10:00-48:00", "« 10:00-48:00 » finit après minuit du jour suivant"),
    ("Feb 30 off", "« Feb 30 » n'existe pas (février n'a que 29 jours)"),
    ("2025 Feb 29 off", "février n'a que 28 jours en 2025"),
    ("Apr 31 off", "avril n'a que 30 jours"),
    ("Mo-Fr 09:00-17:00; " * 30, "horaires trop longs"),
])
def test_nonsense_hours_are_refused(hours: str, words: str) -> None:
    assert words in refused(_check_opening_hours, hours)


# ---------------------------------------------------------------------------
# 3. Markdown that would stall the build is refused before it is rendered


@pytest.mark.parametrize(("text", "words"), [
    ("[" * 4000, "4000 « [ », 200 au plus"),
    ("[" * 150 + "x" * 4800, "trop de « [ » sans « ] »"),
    ("[](" * 150 + "x" * 4500, "trop de « ( » sans « ) »"),
    ("[x][" * 100 + "x" * 4500, "trop de « [ » sans « ] »"),
    (">" * 2000, "niveaux de citation"),
    ("\n".join(" " * (2 * i) + "- x" for i in range(40)), "listes trop imbriquées"),
    ("\n".join(["1. x"] * 150), "150 lignes, 100 au plus"),
])
def test_pathological_markdown_fields_are_refused(text: str, words: str) -> None:
    problem = markdown_problem(text, FIELD_LIMITS)
    assert problem is not None and words in problem[1]


def test_long_blocks_of_a_page_are_refused() -> None:
    problem = markdown_problem("\n".join(["***"] * 250), PAGE_LIMITS)
    assert problem is not None and "bloc de plus de 200 lignes sans ligne vide" in problem[1]


def test_every_real_text_is_far_within_the_markdown_bounds() -> None:
    for page in sorted((ROOT / "content").glob("*.md")):
        assert markdown_problem(page.read_text(encoding="utf-8"), PAGE_LIMITS) is None, page
    for file in sorted((ROOT / "data").rglob("*.yaml")):
        text = file.read_text(encoding="utf-8")
        for value in re.findall(r"(?:description|presentation): \|\n((?:      .*\n|\n)+)", text):
            assert markdown_problem(value, FIELD_LIMITS) is None, file


def test_markdown_field_messages_say_which_line() -> None:
    text = "Premier paragraphe.\n\n" + "[" * 150 + "x" * 3000
    assert "à sa 3ᵉ ligne : trop de « [ »" in refused(_check_markdown, text)


# ---------------------------------------------------------------------------
# 9. Invisible characters are named where they stand


def test_decomposed_accents_are_composed_not_refused(tmp_path: Path) -> None:
    data = copy_fixture(tmp_path)
    path = data / "departements" / "19-correze.yaml"
    text = path.read_text(encoding="utf-8")
    assert "nom: Corrèze" in text
    path.write_text(text.replace("nom: Corrèze", "nom: " + unicodedata.normalize("NFD", "Corrèze")), encoding="utf-8")
    report = Report()
    assert check_data(data, report) is not None, report.items


# ---------------------------------------------------------------------------
# 4 and 7. The extreme values check accepts are published without an internal error, numbers as dialled


def test_extreme_accepted_values_are_rendered_and_numbers_dialled_as_written(tmp_path: Path) -> None:
    data = copy_fixture(tmp_path)
    nord = data / "departements" / "59-nord.yaml"
    nord.write_text(nord.read_text(encoding="utf-8")
                    .replace("age_max: 20", "age_max: 120")
                    .replace('telephone: "03 53 01 45 67"', 'telephone: "+44 20 7946 0958"\n        sms: "3020"')
                    .replace("consulte_le: 2025-01-10\n  - id", "consulte_le: 1990-01-01\n  - id"), encoding="utf-8")
    site = data / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8").replace("taux: 80", "taux: 100.0")
                    .replace("date_audit: 2025-01-15", "date_audit: 2025-06-01"), encoding="utf-8")
    report = Report()
    rendered = pipeline.render(settings_for(data), report)
    assert rendered is not None, [str(d) for d in report.items]
    page = BeautifulSoup(rendered.files.files["structures/pcpe-fictif-lille/index.html"].decode(), "html.parser")
    assert page.select_one("a[href='tel:+442079460958']").get_text(strip=True) == "+44 20 7946 0958"
