"""Make Pagefind's bundle reproducible: two builds of the same input give byte-identical files.

A workaround for Pagefind 1.5.2, kept together with the small CBOR codec it needs (``cbor.py``).
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

from . import cbor

_MAGIC = b"pagefind_dcd"


def _read_pf(path: Path) -> Any:
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(_MAGIC):
        raise cbor.CborError(f"{path.name}: not a Pagefind data file")
    return cbor.loads(raw[len(_MAGIC) :])


def _write_pf(path: Path, body: bytes) -> None:
    """Write a Pagefind data file from its CBOR body (gzip without timestamp)."""
    path.write_bytes(gzip.compress(_MAGIC + body, mtime=0))


def stabilise(bundle: Path) -> None:
    """Put the filter files in a stable order, so that two builds of the same input are byte-identical.

    Pagefind 1.5.2 writes each filter's values in the order of a Rust HashMap, which changes from one run
    to the next; the files are named by a hash of their content, and the meta file lists them. Here each
    filter's values and the meta's filter list are sorted, the files renamed after their new content, and
    pagefind-entry.json pointed at the new meta file. Anything unexpected leaves the bundle as Pagefind
    wrote it (still valid, only not reproducible).
    """
    entry_path = bundle / "pagefind-entry.json"
    writes: dict[Path, bytes] = {}  # CBOR bodies, planned first, written only once everything was read and understood
    removals: list[Path] = []
    try:
        entry = json.loads(entry_path.read_text(encoding="utf-8"))
        for language, info in entry["languages"].items():
            meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
            meta = _read_pf(meta_path)
            references = []
            for name, digest in meta[3]:
                path = bundle / "filter" / f"{digest}.pf_filter"
                filter_name, values = _read_pf(path)
                body = cbor.dumps([filter_name, sorted(values, key=lambda pair: pair[0])])
                body_hash = hashlib.sha256(body).hexdigest()
                new_digest = f"{language}_{body_hash[: len(digest) - len(language) - 1]}"
                writes[bundle / "filter" / f"{new_digest}.pf_filter"] = body
                removals.append(path)
                references.append([name, new_digest])
            meta[3] = sorted(references)
            body = cbor.dumps(meta)
            meta_hash = hashlib.sha256(body).hexdigest()
            new_meta = f"{language}_{meta_hash[: len(info['hash']) - len(language) - 1]}"
            writes[bundle / f"pagefind.{new_meta}.pf_meta"] = body
            removals.append(meta_path)
            info["hash"] = new_meta
    except (OSError, ValueError, KeyError, IndexError, TypeError):
        return
    for path in removals:
        if path not in writes:
            path.unlink()
    for path, body in writes.items():
        _write_pf(path, body)
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
