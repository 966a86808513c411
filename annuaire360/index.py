"""Stage 5, index: build the Pagefind search index over the staged site, through its Python API."""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import json
import os
import shutil
import threading
from pathlib import Path
from typing import Any

from . import cbor

from pagefind.index import IndexConfig, PagefindIndex


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


async def _index(site: Path) -> int:
    # The Python API starts the Pagefind service with this process's environment.
    os.environ[CHUNK_SETTING] = str(CHUNK_SIZE)
    config = IndexConfig(output_path=str(site / "pagefind"), force_language="fr")
    async with PagefindIndex(config=config) as index:
        result = await index.add_directory(str(site))
    return int(result.get("page_count", 0)) if isinstance(result, dict) else 0


def _bundle_ok(site: Path) -> bool:
    """Whether the bundle's entry file was written completely (it is what the browser reads first)."""
    try:
        entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(entry, dict) and bool(entry.get("languages"))


def build_index(site: Path) -> int:
    """Index every HTML page under ``site`` (in French) and write the bundle to ``site/pagefind``.

    Under heavy load the Pagefind service has been seen to leave ``pagefind-entry.json`` empty; the
    bundle is checked and built once more in that case, and the build fails rather than publish it broken.
    """
    for _attempt in range(2):
        pages = _run_index(site)
        if _bundle_ok(site):
            stabilise(site / "pagefind")
            return pages
        shutil.rmtree(site / "pagefind", ignore_errors=True)
    raise IndexError_("l'indexation Pagefind a produit un index incomplet (pagefind-entry.json vide)")


def _run_index(site: Path) -> int:
    # A thread of its own, so that the build also works where an event loop already runs (the
    # preview server, Playwright's sync API in tests).
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["pages"] = asyncio.run(_index(site))
        except Exception as exc:  # the API raises plain exceptions from its subprocess
            outcome["error"] = exc

    worker = threading.Thread(target=run, name="pagefind")
    worker.start()
    worker.join()
    if "error" in outcome:
        raise IndexError_(f"l'indexation Pagefind a échoué : {outcome['error']}") from outcome["error"]  # type: ignore[misc]
    return outcome["pages"]  # type: ignore[return-value]


_MAGIC = b"pagefind_dcd"


def _read_pf(path: Path) -> Any:
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(_MAGIC):
        raise cbor.CborError(f"{path.name}: not a Pagefind data file")
    return cbor.loads(raw[len(_MAGIC) :])


def _write_pf(path: Path, value: Any) -> str:
    """Write a Pagefind data file (gzip without timestamp) and return the CBOR body's SHA-256."""
    body = cbor.dumps(value)
    path.write_bytes(gzip.compress(_MAGIC + body, mtime=0))
    return hashlib.sha256(body).hexdigest()


def stabilise(bundle: Path) -> None:
    """Put the filter files in a stable order, so that two builds of the same input are byte-identical.

    Pagefind 1.5.2 writes each filter's values in the order of a Rust HashMap, which changes from one run
    to the next; the files are named by a hash of their content, and the meta file lists them. Here each
    filter's values and the meta's filter list are sorted, the files renamed after their new content, and
    pagefind-entry.json pointed at the new meta file. Anything unexpected leaves the bundle as Pagefind
    wrote it (still valid, only not reproducible).
    """
    entry_path = bundle / "pagefind-entry.json"
    writes: dict[Path, Any] = {}  # planned first, written only once everything was read and understood
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
                ordered = [filter_name, sorted(values, key=lambda pair: pair[0])]
                body_hash = hashlib.sha256(cbor.dumps(ordered)).hexdigest()
                new_digest = f"{language}_{body_hash[: len(digest) - len(language) - 1]}"
                writes[bundle / "filter" / f"{new_digest}.pf_filter"] = ordered
                removals.append(path)
                references.append([name, new_digest])
            meta[3] = sorted(references)
            meta_hash = hashlib.sha256(cbor.dumps(meta)).hexdigest()
            new_meta = f"{language}_{meta_hash[: len(info['hash']) - len(language) - 1]}"
            writes[bundle / f"pagefind.{new_meta}.pf_meta"] = meta
            removals.append(meta_path)
            info["hash"] = new_meta
    except (OSError, ValueError, KeyError, IndexError, TypeError):
        return
    for path in removals:
        if path not in writes:
            path.unlink()
    for path, value in writes.items():
        _write_pf(path, value)
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
