"""The fixture dataset builds exactly the golden pages (regenerate with `make golden`)."""

import difflib

import pytest

from tests.golden import GOLDEN, PAGES


@pytest.fixture(scope="module")
def built(fixture_site):
    # The session's fixture build: its pages are the same with or without the search index.
    return {page: (fixture_site / page).read_bytes() for page in PAGES}


@pytest.mark.parametrize("page", PAGES)
def test_page_matches_golden_output(built, page):
    expected = (GOLDEN / page).read_bytes()
    if built[page] != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.decode().splitlines(keepends=True), built[page].decode().splitlines(keepends=True),
                fromfile=f"golden/{page}", tofile=f"construit/{page}", n=2,
            )
        )
        pytest.fail(f"{page} diffère de la page dorée ; si c'est voulu, lancez `make golden` et relisez le diff :\n{diff[:3000]}")
