"""Stage 5, index: build the Pagefind search index over the staged site, with Pagefind's command line."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from . import cbor


class IndexError_(Exception):
    """Pagefind failed; the build stops and the published site is left as it was."""


# Pagefind cuts its word index into chunks, and a browser loads the chunk of each word it searches.
# Its default (20,000 word positions: ~20 KB) made each query for a new word cost 20 to 30 KB; at 250,
# a chunk holds a few words (0.5 to 2 KB) and a further query stays within its 5 KB budget, for a
# first query a little heavier (a longer list of chunks: measured by bench/search_weight.py).
# Pagefind 1.5.2 reads this setting only from its environment, under this name (tests/test_recherche.py
# fails if a new version stops reading it).
CHUNK_SETTING = "PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE"
CHUNK_SIZE = 250
TIMEOUT = 600


def _bundle_ok(site: Path) -> bool:
    """Whether the bundle's entry file names a language (it is what the browser reads first)."""
    try:
        entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(entry, dict) and bool(entry.get("languages"))


def build_index(site: Path) -> None:
    """Index every HTML page under ``site`` (in French) and write the bundle to ``site/pagefind``.

    The command line, not the Python API: the API's service answers "written" and is then terminated,
    and under load it was seen to be killed while still writing (an empty pagefind-entry.json, a
    truncated script). The command exits only once every file is written.
    """
    command = [sys.executable, "-m", "pagefind_bin", "--site", str(site), "--output-path", str(site / "pagefind"),
               "--force-language", "fr", "--quiet"]
    try:
        done = subprocess.run(command, env={**os.environ, CHUNK_SETTING: str(CHUNK_SIZE)},
                              capture_output=True, text=True, timeout=TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise IndexError_(f"l'indexation Pagefind a échoué : {exc}") from exc
    if done.returncode != 0 or not _bundle_ok(site):
        detail = (done.stderr or done.stdout).strip()[-500:] or f"code de sortie {done.returncode}"
        raise IndexError_(f"l'indexation Pagefind a échoué : {detail}")
    stabilise(site / "pagefind")


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
