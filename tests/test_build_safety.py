"""Build safety: a failed build leaves the published site byte-for-byte as it was and no temporary
directory behind; a foreign --out is refused; two builds are byte-identical; no page overwrites another."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest

from annuaire360 import cli, pipeline
from annuaire360.diagnostics import Report
from annuaire360.errors import PagefindError, UrlCollisionError, WriteError
from annuaire360.publish import staging as write
from annuaire360.publish.staging import Staging
from annuaire360.site.pages import SiteFiles
from tests.conftest import FIXTURE_DATA, ROOT, build_site, settings_for
from tests.helpers import copy_fixture


def tree(root: Path) -> dict[str, str]:
    """Every file under root with the SHA-256 of its bytes, plus every directory (so that empty ones count)."""
    found: dict[str, str] = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        found[relative] = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "<dossier>"
    return found


@pytest.fixture(scope="module")
def built_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(FIXTURE_DATA, tmp_path_factory.mktemp("publie") / "site", index=False)


@pytest.fixture
def published(tmp_path: Path, built_once: Path) -> Path:
    """A site already published at tmp_path/public/site (without the search index, for speed)."""
    site = tmp_path / "public" / "site"
    shutil.copytree(built_once, site)
    return site


def assert_untouched(site: Path, before: dict[str, str]) -> None:
    assert tree(site) == before
    leftovers = sorted(p.name for p in site.parent.iterdir() if p != site)
    assert leftovers == [], f"temporary directories left behind: {leftovers}"


def broken_data(tmp_path: Path) -> Path:
    data = copy_fixture(tmp_path)
    (data / "departements" / "80-somme.yaml").write_text('code: "80"\nnom: Somme\nnom: Somme\n', encoding="utf-8")
    return data


def test_bad_data_leaves_the_published_site_untouched(published: Path, tmp_path: Path, capsys) -> None:
    before = tree(published)
    code = cli.main(["build", "--data", str(broken_data(tmp_path)), "--out", str(published), "--sans-index"])
    assert code == 1
    assert "Le site n'a pas été modifié." in capsys.readouterr().err
    assert_untouched(published, before)


def test_template_error_leaves_the_published_site_untouched(published: Path, tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    (templates / "glossaire.html").write_text("{% extends 'base.html' %}{% block main %}{{ variable_absente }}{% endblock %}")
    before = tree(published)
    report = Report()
    assert pipeline.build(settings_for(FIXTURE_DATA, published, templates=templates), report, index=False) is None
    # located on the template's line, and said to be the template's fault, not the data's
    assert [(d.path, d.line) for d in report.errors] == [(str(templates / "glossaire.html"), 1)]
    assert "gabarit" in report.errors[0].message and "variable_absente" in report.errors[0].message
    assert_untouched(published, before)


def test_template_syntax_error_is_located_on_its_line(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    (templates / "glossaire.html").write_text("{% extends 'base.html' %}\n{% block main %}\n{{ oups }\n{% endblock %}")
    report = Report()
    assert pipeline.render(settings_for(FIXTURE_DATA, templates=templates), report) is None
    assert [(d.path, d.line) for d in report.errors] == [(str(templates / "glossaire.html"), 3)]
    assert report.errors[0].message.startswith("erreur dans le gabarit, pas dans les données : ")


def test_pagefind_failure_leaves_the_published_site_untouched(published: Path) -> None:
    def failing_index(site: Path) -> None:
        assert (site / "index.html").is_file()  # the staged site was complete when indexing started
        raise PagefindError("l'indexation Pagefind a échoué : simulé")

    before = tree(published)
    report = Report()
    assert pipeline.build(settings_for(FIXTURE_DATA, published), report, indexer=failing_index) is None
    assert [str(d) for d in report.errors] == [
        f"{published}:1:1: erreur: construction interrompue, le site publié n'a pas été modifié : "
        "l'indexation Pagefind a échoué : simulé"
    ]
    assert_untouched(published, before)


def test_unexpected_crash_while_indexing_leaves_the_published_site_untouched(published: Path) -> None:
    def crashing_index(site: Path) -> None:
        raise RuntimeError("bug")

    before = tree(published)
    with pytest.raises(RuntimeError, match="bug"):  # cli.main turns it into exit 3
        pipeline.build(settings_for(FIXTURE_DATA, published), Report(), indexer=crashing_index)
    assert_untouched(published, before)



def test_write_error_leaves_the_published_site_untouched(published: Path, monkeypatch) -> None:
    real_write = Staging.write
    calls = []

    def failing_write(self: Staging, relative: str, data: bytes) -> None:
        calls.append(relative)
        if len(calls) == 20:
            raise OSError(28, "No space left on device")
        real_write(self, relative, data)

    monkeypatch.setattr(Staging, "write", failing_write)
    before = tree(published)
    report = Report()
    assert pipeline.build(settings_for(FIXTURE_DATA, published), report, index=False) is None
    assert len(calls) == 20
    assert "construction interrompue, le site publié n'a pas été modifié" in report.errors[0].message
    assert_untouched(published, before)


def test_failed_swap_puts_the_published_site_back(published: Path, monkeypatch) -> None:
    real_rename = os.rename
    renames = []

    def rename(src: str | Path, dst: str | Path) -> None:
        renames.append((Path(src).name, Path(dst).name))
        if len(renames) == 2:  # the new site moving into place
            raise OSError(5, "Input/output error")
        real_rename(src, dst)

    monkeypatch.setattr(write.os, "rename", rename)
    before = tree(published)
    report = Report()
    assert pipeline.build(settings_for(FIXTURE_DATA, published), report, index=False) is None
    assert renames[0] == ("site", "site") and renames[2] == ("site", "site")  # moved aside, then moved back
    monkeypatch.undo()
    assert_untouched(published, before)


def test_out_pointing_at_a_foreign_directory_is_refused(tmp_path: Path, capsys) -> None:
    foreign = tmp_path / "documents"
    foreign.mkdir()
    (foreign / "important.txt").write_text("ne pas effacer")
    before = tree(foreign)
    assert cli.main(["build", "--data", str(FIXTURE_DATA), "--out", str(foreign), "--sans-index"]) == 1
    err = capsys.readouterr().err
    assert (
        f"{foreign}:1:1: erreur: le dossier « {foreign} » existe, n'est pas vide et n'a pas été créé par ce "
        "générateur : choisissez un autre --out (rien n'a été effacé)"
    ) in err
    assert tree(foreign) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["documents"]


def test_out_pointing_at_a_file_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "fichier"
    target.write_text("x")
    report = Report()
    assert pipeline.build(settings_for(FIXTURE_DATA, target), report, index=False) is None
    assert "existe et n'est pas un dossier" in report.errors[0].message
    assert target.read_text() == "x"


def test_a_successful_build_replaces_the_site_and_cleans_up(published: Path) -> None:
    (published / "ancienne-page.html").write_text("vieux")
    build_site(FIXTURE_DATA, published, index=False)
    assert not (published / "ancienne-page.html").exists()
    assert (published / "index.html").is_file() and (published / write.MARKER).is_file()
    assert sorted(p.name for p in published.parent.iterdir()) == ["site"]


def test_two_builds_are_byte_identical_in_any_output_path(tmp_path: Path, fixture_site: Path) -> None:
    """Byte for byte, the search index included (index.stabilise orders Pagefind's filter files)."""
    first = fixture_site  # the session's build, elsewhere
    second = build_site(FIXTURE_DATA, tmp_path / "b" / "ailleurs")
    first_tree, second_tree = tree(first), tree(second)
    assert any(name.startswith("pagefind/filter/") for name in first_tree), "the search filters are part of the comparison"
    assert first_tree == second_tree


# ---------------------------------------------------------------------------
# No two pages at one path


def build_with_content_page(tmp_path: Path, name: str, text: str) -> Report:
    """Build the fixture data with a content/ folder holding one page; return the report (the build must fail)."""
    content = tmp_path / "content"
    content.mkdir(parents=True)
    (content / name).write_text(text)
    report = Report()
    assert pipeline.build(settings_for(FIXTURE_DATA, tmp_path / "site", content=content), report, index=False) is None
    return report


def test_content_page_at_the_glossary_url_is_a_located_error(tmp_path: Path) -> None:
    text = "---\ntitre: Lexique\ndescription: Les mots.\nadresse: glossaire\n---\nTexte.\n"
    report = build_with_content_page(tmp_path, "lexique.md", text)
    assert [str(d) for d in report.errors] == [
        "content/lexique.md:4:10: erreur: deux pages auraient la même adresse /glossaire/ : data/types.yaml et "
        "content/lexique.md : changez l'identifiant ou l'adresse de l'une des deux"
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content"]  # no site, no temporary directory


def test_content_page_named_after_a_generated_page_is_located_at_its_start(tmp_path: Path) -> None:
    text = "---\ntitre: Lexique\ndescription: Les mots.\n---\nTexte.\n"
    report = build_with_content_page(tmp_path, "glossaire.md", text)
    # No "adresse:" line: the file name decides the address, so the message points at the file.
    assert str(report.errors[0]).startswith("content/glossaire.md:1:1: erreur: deux pages auraient la même adresse /glossaire/")


def test_front_matter_mistakes_are_located_at_their_line_in_the_page(tmp_path: Path) -> None:
    text = "---\ntitre: Lexique\ndescription: Les mots.\nadrese: lexique\n---\nTexte.\n"
    report = build_with_content_page(tmp_path, "lexique.md", text)
    assert str(report.errors[0]).startswith("content/lexique.md:4:1: erreur: champ « adrese » inconnu")
    broken = build_with_content_page(tmp_path / "b", "b.md", "---\ntitre: [\n---\nTexte.\n")
    assert str(broken.errors[0]).startswith("content/b.md:2:9: erreur: valeur manquante")  # end of "titre: ["


def test_content_page_inside_the_search_index_folder_is_refused(tmp_path: Path) -> None:
    text = "---\ntitre: R\ndescription: R.\nadresse: pagefind\n---\nTexte.\n"
    report = build_with_content_page(tmp_path, "recherche.md", text)
    assert "deux pages auraient la même adresse /pagefind/" in report.errors[0].message


def test_pages_refuse_a_second_page_at_one_url() -> None:
    files = SiteFiles()
    files.add_page("/glossaire/", "<p>1</p>", "data/types.yaml")
    with pytest.raises(UrlCollisionError) as caught:
        files.add_page("/glossaire/", "<p>2</p>", "content/lexique.md")
    assert (caught.value.first, caught.value.second) == ("data/types.yaml", "content/lexique.md")
    assert files.files["glossaire/index.html"] == b"<p>1</p>"


def test_site_files_refuse_double_writes_and_paths_outside() -> None:
    files = SiteFiles()
    files.add("a/index.html", b"1", "templates/a.html")
    with pytest.raises(UrlCollisionError, match="deux pages auraient la même adresse /a/"):
        files.add("a/./index.html", b"2", "data/b.yaml")
    for escape in ("../dehors.html", "a/../../dehors.html", "/etc/passwd"):
        with pytest.raises(WriteError, match="hors du dossier du site"):
            files.add(escape, b"x", "data/c.yaml")
    assert files.files == {"a/index.html": b"1"}


def test_staging_refuses_paths_outside(tmp_path: Path) -> None:
    staging = Staging(tmp_path / "site")
    staging.write("a/index.html", b"1")
    for escape in ("../dehors.html", "a/../../dehors.html", "/etc/passwd"):
        with pytest.raises(WriteError, match="hors du dossier du site"):
            staging.write(escape, b"x")
    assert (staging.root / "a" / "index.html").read_bytes() == b"1"
    staging.abort()
    assert list(tmp_path.iterdir()) == []


def _dead_pid() -> int:
    import subprocess
    import sys

    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_a_killed_build_is_tidied_by_the_next_one(published: Path) -> None:
    dead = _dead_pid()
    stale = published.parent / f".site.construction-{dead}-abc123"
    (stale / "departements").mkdir(parents=True)
    (stale / "index.html").write_text("à moitié écrit")
    running = published.parent / f".site.construction-{os.getpid()}-def456"  # a build running now: untouched
    running.mkdir()
    report = Report()
    assert pipeline.build(settings_for(FIXTURE_DATA, published), report, index=False) is not None
    assert sorted(p.name for p in published.parent.iterdir()) == sorted(["site", running.name])
    assert [w.message for w in report.warnings] == [
        f"dossier temporaire « {stale.name} » d'une construction interrompue supprimé"
    ]


def test_a_build_killed_during_the_swap_gets_the_published_site_back(published: Path) -> None:
    before = tree(published)
    aside = published.parent / f".site.ancien-{_dead_pid()}-abc123"
    aside.mkdir()
    os.rename(published, aside / "site")  # killed here: the site moved aside, the new one not yet in place
    assert not published.exists()
    report = Report()
    # The next build puts the published site back first, even when it then fails on broken data.
    assert pipeline.build(settings_for(broken_data(published.parent.parent), published), report, index=False) is None
    assert f"site publié remis en place depuis « {aside.name} » (construction interrompue)" in [
        w.message for w in report.warnings
    ]
    assert tree(published) == before
    assert sorted(p.name for p in published.parent.iterdir()) == ["site"]
