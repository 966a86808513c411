"""The printable booklet of a département (/departements/<code>-<slug>/livret/): the number, the communauté,
every service with its phone and hours, and a QR code to the département page (segno, inline SVG, so that
it prints sharply and needs no image file)."""

from __future__ import annotations

import functools
import html
from typing import Any

import segno
from markupsafe import Markup

from .model import Annuaire, DepartementView, StructureView, group_by_type


# A QR code is a pure function of its text, and choosing its mask is the slowest step of a preview rebuild
# (15 ms a code, 101 booklets): the preview process makes each one once.
@functools.lru_cache(maxsize=512)
def qr_svg(url: str, label: str) -> Markup:
    """A QR code of ``url`` as inline SVG (black on white even in dark mode: phones must read it)."""
    code = segno.make(url, error="m")
    svg = code.svg_inline(scale=1, border=4, omitsize=True, dark="#000", light="#fff", title=label,
                          svgclass="livret__qr")
    return Markup(svg.replace("<svg ", f'<svg role="img" aria-label="{html.escape(label)}" ', 1))  # segno escapes its own output


def booklet_context(departement: DepartementView, annuaire: Annuaire) -> dict[str, Any]:
    """What templates/livret.html needs for one département."""
    url = annuaire.site.url + departement.url
    services: list[StructureView] = departement.members + departement.resources
    return {
        "departement": departement,
        "groups": group_by_type(services),
        "national_groups": group_by_type(annuaire.national_resources),
        "qr": qr_svg(url, f"QR code : adresse de la page {departement.label} ({url})"),
        "page_address": url,
    }
