"""Atom (RFC 4287): the feed of data changes, newest first.

An entry is one record (a fiche, or a département's communauté 360) at the date it last changed: the
day a person read its sources or verified it (``dates.py``). Its id is a ``tag:`` URI of the site, that
date and the page, so a later change is a new entry and the same data always gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from urllib.parse import urlsplit

from ... import format as fmt
from ..model import Annuaire
from ..text import date_fr, join_fr
from .dates import record_date

ATOM = "http://www.w3.org/2005/Atom"
FEED_PATH = "donnees/modifications.atom"
MOST = 100  # entries in the feed: the newest changes


@dataclass(frozen=True)
class Change:
    """One record at the date of its latest change."""

    date: dt.date
    url: str
    title: str
    summary: str


def _summary(record: fmt.Provenance, what: str) -> str:
    """What changed, in French: which sources were read that day, whether the service confirmed it."""
    date = record_date(record)
    read = [s.titre or s.url for s in record.sources if s.consulte_le == date]
    parts = [f"{what} : informations mises à jour le {date_fr(date)}."]
    if read:
        parts.append(f"Lu dans : {join_fr([f'« {title} »' for title in read])}.")
    if record.verifie_le == date:
        parts.append("Vérifié auprès du service ce jour-là.")
    elif record.verifie_le is None:
        parts.append("Pas encore vérifié auprès du service.")
    return " ".join(parts)


def changes(annuaire: Annuaire) -> list[Change]:
    """Every record's latest change, newest first (then by page address, for a stable order)."""
    found = [
        Change(record_date(view.data), view.url, view.data.nom, _summary(view.data, f"{view.type.libelle} — {view.scope_label}"))
        for view in annuaire.structures.values()
    ]
    found += [
        Change(record_date(d.communaute), d.url, f"{d.communaute.nom} — {d.label}",
               _summary(d.communaute, f"Communauté 360 — {d.label}"))
        for d in annuaire.departements if d.communaute is not None
    ]
    national = annuaire.national.numero_national
    found.append(Change(record_date(national), "/", national.libelle, _summary(national, "Numéro national")))
    return sorted(found, key=lambda change: (-change.date.toordinal(), change.url))[:MOST]


def _stamp(date: dt.date) -> str:
    return f"{date.isoformat()}T00:00:00Z"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
    element.text = text
    return element


def export_atom(annuaire: Annuaire) -> dict[str, bytes]:
    """``modifications.atom``: an Atom 1.0 feed document."""
    base = annuaire.site.url
    host = urlsplit(base).hostname or "localhost"
    found = changes(annuaire)
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "fr"})
    _sub(feed, "id", f"{base}/{FEED_PATH}")
    _sub(feed, "title", f"{annuaire.site.titre} : modifications des données")
    _sub(feed, "subtitle", "Les fiches et les communautés 360 dont les informations ont changé, les plus récentes d'abord.")
    _sub(feed, "updated", _stamp(found[0].date))
    _sub(feed, "link", rel="self", type="application/atom+xml", href=f"{base}/{FEED_PATH}")
    _sub(feed, "link", rel="alternate", type="text/html", href=f"{base}/donnees/")
    author = _sub(feed, "author")
    _sub(author, "name", annuaire.site.editeur)
    _sub(author, "uri", annuaire.site.depot)
    _sub(feed, "rights", f"Données publiées sous {annuaire.site.licence_donnees} ({annuaire.site.licence_donnees_url})")
    _sub(feed, "generator", "annuaire360", uri=annuaire.site.depot)
    for change in found:
        entry = _sub(feed, "entry")
        _sub(entry, "id", f"tag:{host},{change.date.isoformat()}:{change.url}")
        _sub(entry, "title", change.title)
        _sub(entry, "updated", _stamp(change.date))
        _sub(entry, "link", rel="alternate", type="text/html", href=base + change.url)
        _sub(entry, "summary", change.summary)
    ET.indent(feed, space=" ")
    return {FEED_PATH: ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"}
