"""``build.py serve`` seen from Chromium: the open page reloads by itself after a save, shows the French errors
of a broken save in its place (under the pages' own strict CSP), and comes back once the file is fixed."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import axe_violations
from tests.helpers import copy_fixture
from tests.test_serve import NORD, PAGE, Preview, edit

pytestmark = pytest.mark.browser


@pytest.fixture
def running(tmp_path: Path) -> Iterator[tuple[Path, Preview]]:
    copy_fixture(tmp_path)
    preview = Preview(tmp_path, "--port", "0", "--sans-index")
    preview.start()
    yield tmp_path, preview
    preview.stop()


def test_the_open_page_follows_every_save(page, running: tuple[Path, Preview]) -> None:
    workspace, preview = running
    page.goto(preview.url + PAGE)
    heading = page.locator("h1")
    expect(heading).to_have_text("PCPE fictif de Lille")

    edit(workspace / NORD, "nom: PCPE fictif de Lille", "nom: PCPE fictif de Lambersart")
    expect(heading).to_have_text("PCPE fictif de Lambersart", timeout=30_000)  # no click: reloaded by itself

    edit(workspace / NORD, '"03 53 01 45 67"', '"03 53 01 45"')
    expect(heading).to_have_text("Aperçu : 1 erreur dans les données", timeout=30_000)
    error = page.locator("ul.apercu-erreurs li")
    expect(error).to_have_count(1)
    assert re.match(r"data/departements/59-nord\.yaml:\d+:\d+ : numéro de téléphone « 03 53 01 45 » invalide",
                    error.inner_text())
    assert page.evaluate("getComputedStyle(document.querySelector('main')).maxWidth") != "none"  # site's styles

    edit(workspace / NORD, '"03 53 01 45"', '"03 53 01 45 67"')
    expect(heading).to_have_text("PCPE fictif de Lambersart", timeout=30_000)
    # the reload script and its event stream pass the pages' CSP; the only message is the error page's status
    assert [e for e in page.console_errors if "503 (Service Unavailable)" not in e] == []


def test_the_error_page_passes_axe(axe_page, running: tuple[Path, Preview]) -> None:
    workspace, preview = running
    edit(workspace / NORD, "code: \"59\"", "code: 59")
    preview.wait_for(r"Le navigateur affiche les erreurs")
    axe_page.goto(preview.url + PAGE)
    expect(axe_page.locator("h1")).to_have_text(re.compile(r"^Aperçu : \d+ erreurs? dans les données$"))
    assert axe_violations(axe_page) == []
