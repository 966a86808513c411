"""Pages rendered by several processes: the same bytes, in the same order, and errors still reported here."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from jinja2 import UndefinedError

from annuaire360.diagnostics import Report
from annuaire360.pipeline import plan, render
from annuaire360.settings import Settings
from annuaire360.site.parallel import render_shares, workers_for
from tests.conftest import FIXTURE_DATA, ROOT, settings_for

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="rendu en parallèle : fork absent de ce système")


def planned(settings: Settings):  # type: ignore[no-untyped-def]
    result = plan(settings, Report())
    assert result is not None
    return result.pages


def children() -> set[int]:
    """This process's children, running or finished but not reaped (zombies) — others (a browser started by
    another test of this worker) included, so compare before and after."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == os.getpid():
            found.add(int(stat.parent.name))
    return found


@pytest.fixture
def no_child_left():  # type: ignore[no-untyped-def]
    if not Path("/proc/self/stat").exists():
        pytest.skip("/proc absent : les processus enfants ne peuvent pas être comptés")
    before = children()
    yield
    assert children() <= before


@pytest.mark.parametrize("workers", [2, 3])
@pytest.mark.usefixtures("no_child_left")
def test_pages_rendered_by_several_processes_are_the_same_bytes_in_the_same_order(workers: int) -> None:
    pages = planned(settings_for(FIXTURE_DATA))
    alone = [pages.render(family, page).encode() for family, page in pages.pages]
    shared = render_shares(pages, workers, min_pages=1)
    assert [html if isinstance(html, bytes) else html.encode() for html in shared] == alone
    assert any(isinstance(html, bytes) for html in shared)  # some did come from a child


def test_a_whole_build_is_the_same_whatever_the_number_of_processes() -> None:
    one = render(settings_for(FIXTURE_DATA), Report())
    two = render(Settings(settings_for(FIXTURE_DATA).paths, settings_for(FIXTURE_DATA).today, workers=2), Report())
    assert one is not None and two is not None
    assert one.files.sorted() == two.files.sorted()


@pytest.mark.usefixtures("no_child_left")
def test_a_page_that_fails_in_a_child_is_reported_here_with_its_template(tmp_path: Path) -> None:
    """The error of a share rendered by a child is raised in this process, with the template's traceback
    (the pipeline turns it into a located message), and no child is left behind."""
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    page = templates / "structure.html"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("</h1>", "</h1>{% if structure.data.id == 'pcpe-fictif-lille' %}"
                                 "{{ structure.absent }}{% endif %}", 1), encoding="utf-8")
    pages = planned(settings_for(FIXTURE_DATA, templates=templates))
    structures = [n for n, (family, _) in enumerate(pages.pages) if family.template == "structure.html"]
    assert len(structures) > 2
    with pytest.raises(UndefinedError, match="absent"):
        render_shares(pages, 2, min_pages=1)


def test_small_sites_and_systems_without_fork_render_in_one_process() -> None:
    assert workers_for(1_573, 2) == 2  # the real data: about 1,600 pages
    assert workers_for(500, 4) == 1 and workers_for(100_000, 1) == 1 and workers_for(100_000, 4) == 4
