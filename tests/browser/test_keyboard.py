"""A keyboard-only journey: home → département → fiche → the structure's phone link, Tab and Enter only."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

# What is focused, and whether a sighted keyboard user can see it: a real focus indicator (outline of
# at least 2px, or the box-shadow/background block used for links) and the element inside the viewport.
FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2
    && style.outlineColor !== "rgba(0, 0, 0, 0)";
  const shadow = style.boxShadow !== "none";
  return {
    tag: el.tagName.toLowerCase(), id: el.id, href: el.getAttribute("href") || "", text: (el.innerText ?? el.textContent ?? "").trim(),
    indicator: outline || shadow,
    onscreen: box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < window.innerHeight
      && box.right > 0 && box.left < window.innerWidth,
  };
}"""


def tab_until(page, wanted, limit: int = 400) -> dict:
    """Press Tab until `wanted(focused)` is true; every element met on the way must show its focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused["tag"] in ("a", "button", "input", "summary"):
            assert focused["indicator"], f"focus invisible sur {focused}"
            assert focused["onscreen"], f"élément focalisé hors de l'écran : {focused}"
        if wanted(focused):
            return focused
    raise AssertionError(f"introuvable au clavier après {limit} appuis sur Tab")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_keyboard_journey_to_a_phone_number(browser, site_url, scheme):
    context = browser.new_context(bypass_csp=True, color_scheme=scheme, viewport={"width": 1024, "height": 768})
    page = context.new_page()
    try:
        page.goto(site_url + "/")
        # The skip link comes first, becomes visible, and moves focus to the main content.
        skip = tab_until(page, lambda f: True, limit=1)
        assert skip["href"] == "#contenu" and skip["text"] == "Aller au contenu"
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "contenu"

        tab_until(page, lambda f: f["href"] == "/departements/59-nord/")
        page.keyboard.press("Enter")
        page.wait_for_url("**/departements/59-nord/")
        assert page.locator("h1").inner_text() == "Nord (59)"

        tab_until(page, lambda f: f["href"] == "/structures/mdph-nord-fictive/")
        page.keyboard.press("Enter")
        page.wait_for_url("**/structures/mdph-nord-fictive/")

        phone = tab_until(page, lambda f: f["href"] == "tel:0353010000")
        assert phone["text"] == "03 53 01 00 00"
    finally:
        context.close()


def test_focus_check_detects_an_invisible_focus(axe_page, site_url):
    """The check can fail: with the focus style removed, the journey stops at the first link."""
    page = axe_page  # a page that bypasses the CSP: the planted style is inline
    page.goto(site_url + "/")
    page.add_style_tag(content="a:focus-visible { outline: none !important; box-shadow: none !important; }")
    with pytest.raises(AssertionError, match="focus invisible"):
        tab_until(page, lambda f: False, limit=3)
