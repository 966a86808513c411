"""Stream the records of a large JSON file one by one (ijson), whatever wrapper the source puts around them.

A national file holds tens of thousands of records (hundreds of megabytes once decompressed): they are
never all in memory at once. A truncated or broken file stops with a French ``ImporterError``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO, Any

import ijson  # type: ignore[import-untyped]

from .common import ImporterError


def head_text(stream: IO[bytes]) -> str:
    """The first bytes of a buffered stream, without consuming them (to see its shape)."""
    peek = getattr(stream, "peek", None)
    head = peek(1 << 16) if peek is not None else b""
    return head[: 1 << 16].decode("utf-8", errors="replace").lstrip("\ufeff")


def container(head: str, keys: tuple[str, ...]) -> str | None:
    """Where the records are: ``item`` for a bare array, ``<key>.item`` for the first of ``keys`` that holds an
    array; None when the file is neither (another format)."""
    text = head.lstrip()
    if text.startswith("["):
        return "item"
    if text.startswith("{"):
        match = re.search(r'"(' + "|".join(map(re.escape, keys)) + r')"\s*:\s*\[', text)
        if match:
            return f"{match.group(1)}.item"
    return None


def items(stream: IO[bytes], prefix: str, name: str) -> Iterator[Any]:
    """Each record under ``prefix``; ImporterError (French) if the JSON is broken or cut short."""
    try:
        yield from ijson.items(stream, prefix, use_float=True)
    except ijson.JSONError as exc:
        raise ImporterError(
            f"« {name} » n'est pas un JSON complet ({str(exc).splitlines()[0][:120]}) : le fichier est sans doute "
            "coupé ou abîmé ; téléchargez-le à nouveau. Rien n'a été importé"
        ) from None


def header_value(head: str, key: str) -> str | None:
    """A top-level text value written before the records (``generatedAt``)."""
    match = re.search(r'"' + re.escape(key) + r'"\s*:\s*"([^"]{1,100})"', head)
    return match.group(1) if match else None
