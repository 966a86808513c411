"""A minimal CBOR reader and writer, for the subset Pagefind writes (integers, strings, arrays, maps).

Used only to put Pagefind's filter files in a stable order (see ``stabilise.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class CborError(ValueError):
    """Data outside the subset this module reads."""


def loads(data: bytes) -> Any:
    """Decode one CBOR item that fills ``data``."""
    value, end = _read(data, 0)
    if end != len(data):
        raise CborError("trailing bytes")
    return value


def _read(data: bytes, at: int) -> tuple[Any, int]:
    if at >= len(data):
        raise CborError("truncated")
    head = data[at]
    major, info = head >> 5, head & 31
    at += 1
    if info < 24:
        argument = info
    elif info <= 27:
        size = 1 << (info - 24)
        argument, at = int.from_bytes(data[at : at + size], "big"), at + size
    else:
        raise CborError("indefinite lengths are not used by Pagefind")
    if major == 7 and info in (20, 21, 22):
        return {20: False, 21: True, 22: None}[info], at
    reader = _READERS.get(major)
    if reader is None:
        raise CborError(f"major type {major} is not used by Pagefind")
    return reader(data, at, argument)


def _items(data: bytes, at: int, count: int) -> tuple[list[Any], int]:
    items = []
    for _ in range(count):
        item, at = _read(data, at)
        items.append(item)
    return items, at


def _map(data: bytes, at: int, count: int) -> tuple[dict[Any, Any], int]:
    flat, at = _items(data, at, 2 * count)
    return dict(zip(flat[::2], flat[1::2], strict=True)), at


_READERS: dict[int, Callable[[bytes, int, int], tuple[Any, int]]] = {
    0: lambda data, at, n: (n, at),
    1: lambda data, at, n: (-1 - n, at),
    2: lambda data, at, n: (bytes(data[at : at + n]), at + n),
    3: lambda data, at, n: (data[at : at + n].decode("utf-8"), at + n),
    4: _items,
    5: _map,
}
"""How each CBOR major type is read, given its argument (a value, a length or a count)."""


def _head(major: int, argument: int) -> bytes:
    if argument < 24:
        return bytes([major << 5 | argument])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if argument < 1 << (8 * size):
            return bytes([major << 5 | info]) + argument.to_bytes(size, "big")
    raise CborError("integer too large")


def dumps(value: Any) -> bytes:
    """Encode with the shortest heads, as Pagefind does."""
    if value is False or value is True or value is None:
        return bytes([0xF4 if value is False else 0xF5 if value is True else 0xF6])
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _head(3, len(raw)) + raw
    if isinstance(value, list):
        return _head(4, len(value)) + b"".join(dumps(item) for item in value)
    if isinstance(value, dict):
        return _head(5, len(value)) + b"".join(dumps(k) + dumps(v) for k, v in value.items())
    raise CborError(f"cannot encode {type(value).__name__}")
