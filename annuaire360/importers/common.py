"""What every importer shares: the French failure, the per-source summary of what was dropped, and the
cleaning of one value (text, phone, e-mail, website, hours, commune) with the project's own validators.

A value the format would refuse is dropped from its record, never the record itself (a name is the only
thing a record cannot do without), and the summary says how many were dropped and why.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import ftfy
from pydantic import TypeAdapter, ValidationError

from ..errors import AnnuaireError
from ..format.values import DEPARTEMENT_CODES, HIDDEN_CHARACTERS, Courriel, Horaires, UrlHttps, parse_phone


class ImporterError(AnnuaireError):
    """An input the importer cannot use (unreadable, truncated, another format, too big): nothing is written."""


@dataclass
class Summary:
    """What one import read, kept, left out and dropped, for the French summary printed at the end."""

    source: str
    read: int = 0  # records in the input
    kept: int = 0  # records written
    skipped: Counter[str] = field(default_factory=Counter)  # record left out → why
    dropped: Counter[str] = field(default_factory=Counter)  # value dropped from a kept record → why
    examples: dict[str, str] = field(default_factory=dict)  # one example value per reason

    def skip(self, reason: str) -> None:
        self.skipped[reason] += 1

    def drop(self, reason: str, value: Any) -> None:
        self.dropped[reason] += 1
        self.examples.setdefault(reason, str(value)[:80])

    def lines(self) -> list[str]:
        """The summary, in French, one fact per line."""
        lines = [f"{self.source} : {self.read} fiches lues, {self.kept} écrites."]
        for reason, count in sorted(self.skipped.items()):
            lines.append(f"  - {count} fiche(s) laissée(s) de côté : {reason}")
        for reason, count in sorted(self.dropped.items()):
            lines.append(f"  - {count} valeur(s) retirée(s) : {reason} (par exemple « {self.examples[reason]} »)")
        return lines


_MOJIBAKE = re.compile("[ÃÂâ][\u0080-\u00bf\u2018-\u203a€]|Ã.|Â\u00a0")


def clean_text(value: Any) -> str | None:
    """A line of text from a source: mojibake repaired (UTF-8 read as Windows-1252), blanks collapsed; None if empty."""
    if value is None or isinstance(value, (dict, list)):
        return None
    text = str(value)
    if _MOJIBAKE.search(text):
        text = ftfy.fix_text(text, normalization="NFC")
    text = HIDDEN_CHARACTERS.sub(" ", text)  # what the Texte type refuses, control characters included
    text = re.sub(r"\s+", " ", text).strip()
    return text or None


def clean_phone(raw: Any, summary: Summary) -> str | None:
    """A phone number in French display form, or None (dropped, with the reason, when it is not a valid number)."""
    text = clean_text(raw)
    if text is None:
        return None
    try:
        return parse_phone(text).display
    except ValueError:
        summary.drop("numéro de téléphone invalide", text)
        return None


_EMAIL: TypeAdapter[str] = TypeAdapter(Courriel)
_URL: TypeAdapter[str] = TypeAdapter(UrlHttps)
_HOURS: TypeAdapter[str] = TypeAdapter(Horaires)


def clean_email(raw: Any, summary: Summary) -> str | None:
    text = clean_text(raw)
    if text is None:
        return None
    try:
        return _EMAIL.validate_python(text)
    except ValidationError:
        summary.drop("adresse électronique invalide", text)
        return None


def clean_url(raw: Any, summary: Summary) -> str | None:
    """A website: a missing scheme becomes https:// (« www.exemple.fr »); http:// is dropped (the site links https only)."""
    text = clean_text(raw)
    if text is None:
        return None
    if "@" in text and "/" not in text:
        summary.drop("site web qui est une adresse électronique", text)
        return None
    if not re.match(r"^[a-z][a-z0-9+.-]*://", text, re.I):
        text = "https://" + text
    try:
        return _URL.validate_python(text)
    except ValidationError:
        reason = "site web non sécurisé (http://)" if text.lower().startswith("http://") else "site web invalide"
        summary.drop(reason, text)
        return None


def clean_hours(osm: str | None, summary: Summary, original: Any) -> str | None:
    """Opening hours in OpenStreetMap syntax, if opening-hours-py accepts them."""
    if not osm:
        return None
    try:
        return _HOURS.validate_python(osm)
    except ValidationError:
        summary.drop("horaires illisibles", original)
        return None


def departement_of(insee: str | None) -> str | None:
    """The département of a commune's INSEE code (« 2A004 » → « 2A », « 97411 » → « 974 »), if it is one of the 101."""
    if not insee or not re.fullmatch(r"[0-9]{5}|2[AB][0-9]{3}", insee):
        return None
    code = insee[:3] if insee.startswith("97") else insee[:2]
    return code if code in DEPARTEMENT_CODES else None


def clean_insee(raw: Any) -> str | None:
    text = clean_text(raw)
    return text if text and re.fullmatch(r"[0-9]{5}|2[AB][0-9]{3}", text) else None


def clean_postcode(raw: Any) -> str | None:
    text = clean_text(raw)
    return text if text and re.fullmatch(r"[0-9]{5}", text) else None


def contact(libelle: str, phone: str | None, email: str | None) -> list[dict[str, str]]:
    """The « Accueil » point of contact of a record, if it has a phone or an e-mail."""
    point = {"libelle": libelle}
    if phone:
        point["telephone"] = phone
    if email:
        point["courriel"] = email
    return [point] if len(point) > 1 else []


def coordinates(latitude: Any, longitude: Any, summary: Summary) -> dict[str, float] | None:
    """WGS84 coordinates as the format writes them (6 decimals: about 10 cm), or None."""
    try:
        lat, lon = float(str(latitude).strip()), float(str(longitude).strip())
    except ValueError:
        if str(latitude).strip() or str(longitude).strip():
            summary.drop("coordonnées illisibles", f"{latitude}, {longitude}")
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or (lat == 0 and lon == 0):
        summary.drop("coordonnées impossibles", f"{latitude}, {longitude}")
        return None
    return {"latitude": round(lat, 6), "longitude": round(lon, 6)}
