"""sitemap.xml (every page and every open data file, with ``lastmod`` where the data gives a date) and
robots.txt."""

from __future__ import annotations

import datetime as dt
from xml.sax.saxutils import escape

from ..model import Annuaire
from .dates import departement_date, latest_date, structure_date


def page_dates(annuaire: Annuaire) -> dict[str, dt.date]:
    """The date of each page whose content comes from dated records (text pages have none)."""
    dates: dict[str, dt.date] = {view.url: structure_date(view) for view in annuaire.structures.values()}
    for departement in annuaire.departements:
        dates[departement.url] = dates[departement.url + "livret/"] = departement_date(departement, annuaire)
    for region in annuaire.regions:
        dates[region.url] = max(dates[d.url] for d in region.departements)
    for code in annuaire.types:
        of_type = [structure_date(view) for view in annuaire.structures_of_type(code)]
        if of_type:
            dates[f"/types/{code}/"] = max(of_type)
    dates["/"] = dates["/regions/"] = latest_date(annuaire)
    return dates


def sitemap(annuaire: Annuaire, pages: list[str], files: list[str]) -> bytes:
    """sitemap.xml: pages and open data files (their date: the latest record's), in address order."""
    dates = page_dates(annuaire)
    latest = latest_date(annuaire)
    urls = {url: dates.get(url) for url in pages}
    urls.update({"/" + path: latest for path in files})
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for url in sorted(urls):
        date = urls[url]
        lastmod = f"<lastmod>{date.isoformat()}</lastmod>" if date else ""
        lines.append(f"  <url><loc>{escape(annuaire.site.url + url)}</loc>{lastmod}</url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode()


def robots(annuaire: Annuaire) -> bytes:
    return f"User-agent: *\nAllow: /\nSitemap: {annuaire.site.url}/sitemap.xml\n".encode()
