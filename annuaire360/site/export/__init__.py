"""Export: the open data files, one module per format, all computed from the site model.

Every file is deterministic: same data, same bytes (dates come from the data, ``today`` is passed in).
``tables`` (annuaire.json, structures.csv), ``data_inclusion``, ``hsds``, ``geojson``, ``atom``, ``vcard``;
``sitemap`` lists the pages and every one of these files. ``dates`` says when each record changed,
``hours`` reads OSM opening hours into weekly slots, ``jsonld`` writes the schema.org block of pages.
"""

from __future__ import annotations

import datetime as dt

from ..model import Annuaire
from .atom import export_atom
from .data_inclusion import export_data_inclusion
from .geojson import export_geojson
from .hsds import export_hsds
from .sitemap import robots, sitemap
from .tables import export_csv, export_json
from .vcard import export_vcards


def open_data(annuaire: Annuaire, today: dt.date) -> dict[str, bytes]:
    """Every open data file by path in the site (not the sitemap)."""
    return {
        "donnees/annuaire.json": export_json(annuaire, today),
        "donnees/structures.csv": export_csv(annuaire),
        **export_data_inclusion(annuaire),
        **export_hsds(annuaire),
        **export_geojson(annuaire),
        **export_atom(annuaire),
        **export_vcards(annuaire),
    }


def export_data(annuaire: Annuaire, urls: list[str], today: dt.date) -> dict[str, bytes]:
    """Every open data file, plus sitemap.xml (pages and data files) and robots.txt, by path in the site."""
    files = open_data(annuaire, today)
    return {**files, "sitemap.xml": sitemap(annuaire, urls, sorted(files)), "robots.txt": robots(annuaire)}


__all__ = ["export_data", "open_data"]
