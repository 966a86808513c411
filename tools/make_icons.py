"""Draw the site's icons (web app manifest): static/icone.svg, then its PNG renderings, drawn for this project.

A green square (the site's accent), a white ring that turns once with its arrow (« 360 »), and « 360 »
in the middle: no third-party artwork, no pictogram set. The PNG files are Chromium's rendering of the
SVG (``/usr/bin/chromium`` through Playwright, as in the tests); the maskable one keeps everything inside
the central safe zone (80 %), since phones cut its corners.

Usage: ``.venv/bin/python tools/make_icons.py`` (from the repository root, with the test dependencies).
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "static"
GREEN = "#14522f"


def _arrow(radius: float = 160, turn: float = 330) -> str:
    """A ring from the top of the circle, clockwise through ``turn`` degrees, ended by an arrowhead."""
    cx = cy = 256.0
    end = math.radians(-90 + turn)
    ex, ey = cx + radius * math.cos(end), cy + radius * math.sin(end)
    direction = (-math.sin(end), math.cos(end))  # clockwise tangent
    normal = (math.cos(end), math.sin(end))
    bx, by = ex - 12 * direction[0], ey - 12 * direction[1]
    tip = (ex + 38 * direction[0], ey + 38 * direction[1])
    left = (bx + 34 * normal[0], by + 34 * normal[1])
    right = (bx - 34 * normal[0], by - 34 * normal[1])
    ring = (f'<path d="M 256 {cy - radius:.0f} A {radius:.0f} {radius:.0f} 0 1 1 {bx:.1f} {by:.1f}" fill="none" '
            f'stroke="#fff" stroke-width="30"/>')
    head = f'<path d="M {tip[0]:.1f} {tip[1]:.1f} L {left[0]:.1f} {left[1]:.1f} L {right[0]:.1f} {right[1]:.1f} Z" fill="#fff"/>'
    return ring + head


def svg(*, maskable: bool = False) -> str:
    """The icon; ``maskable``: a full square, the drawing shrunk into the safe zone."""
    background = f'<rect width="512" height="512" fill="{GREEN}"/>' if maskable else f'<rect width="512" height="512" rx="96" fill="{GREEN}"/>'
    drawing = (_arrow() + '<text x="256" y="300" font-family="Arial, Helvetica, sans-serif" font-size="128" '
               'font-weight="700" text-anchor="middle" fill="#fff">360</text>')
    if maskable:
        drawing = f'<g transform="translate(256 256) scale(0.78) translate(-256 -256)">{drawing}</g>'
    return f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512">{background}{drawing}</svg>\n'


def render(browser: object, markup: str, size: int, target: Path) -> None:
    page = browser.new_page(viewport={"width": size, "height": size})  # type: ignore[attr-defined]
    page.set_content(f'<html><body style="margin:0">{markup.replace("<svg ", f"<svg width={size} height={size} ")}</body></html>')
    page.screenshot(path=str(target), omit_background=True)
    page.close()


def main() -> int:
    from playwright.sync_api import sync_playwright

    (STATIC / "icone.svg").write_text(svg(), encoding="utf-8")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox"])
        render(browser, svg(), 192, STATIC / "icone-192.png")
        render(browser, svg(), 512, STATIC / "icone-512.png")
        render(browser, svg(maskable=True), 512, STATIC / "icone-masquable-512.png")
        browser.close()
    print("Icônes écrites dans static/ : icone.svg, icone-192.png, icone-512.png, icone-masquable-512.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
