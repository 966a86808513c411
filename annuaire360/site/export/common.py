"""Small pieces several export formats share: a structure's main contact channels, its territory in
COG codes, the serialisation every JSON file uses."""

from __future__ import annotations

import json
import uuid
from typing import Any

from ... import format as fmt
from ...format.values import Phone
from ..model import StructureView


def first_phone(contacts: list[fmt.PointDeContact]) -> Phone | None:
    """The phone of the first contact point that has one (what a family calls first)."""
    return next((c.telephone for c in contacts if c.telephone), None)


def first_email(contacts: list[fmt.PointDeContact]) -> str | None:
    return next((c.courriel for c in contacts if c.courriel), None)


def first_form(contacts: list[fmt.PointDeContact]) -> str | None:
    return next((c.formulaire for c in contacts if c.formulaire), None)


def first_hours(contacts: list[fmt.PointDeContact]) -> str | None:
    return next((c.horaires for c in contacts if c.horaires), None)


def zone_codes(view: StructureView) -> list[str]:
    """The territory a structure covers as COG codes: communes and EPCI when it covers part of a
    département, else the départements (``france`` for a national resource)."""
    if view.national:
        return ["france"]
    zone = view.data.zone_eligibilite
    part = [*zone.communes, *zone.epci] if zone else []
    return part or [d.info.code for d in view.departements]


def shorten(text: str, most: int) -> str:
    """A text cut at a word boundary to at most ``most`` characters (an ellipsis marks the cut)."""
    if len(text) <= most:
        return text
    cut = text[: most - 1].rsplit(" ", 1)[0].rstrip(" ,;:—-")
    return cut + "…"


def stable_uuid(base_url: str, kind: str, key: str) -> str:
    """A UUID that never changes for the same record (UUID v5 of the site address, the kind and the key)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{base_url}/{kind}/{key}"))


def json_bytes(document: Any) -> bytes:
    """The one JSON serialisation of the exports: UTF-8, sorted keys, one trailing newline (stable bytes)."""
    return (json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode()
