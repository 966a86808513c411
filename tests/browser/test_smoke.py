"""A first real-browser check: the home page opens in Chromium and the national number is a tel: link."""

import pytest

pytestmark = pytest.mark.browser


def test_home_page_shows_the_free_number_as_a_link(page, site_url):
    page.goto(site_url + "/")
    link = page.locator("header a[href='tel:0800360360']")
    assert link.inner_text() == "0 800 360 360"
    assert page.title() == "Accueil — Annuaire des communautés 360"
