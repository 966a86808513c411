"""Stage 5, index: build the Pagefind search index over the staged site, through its Python API."""

from __future__ import annotations

import asyncio
import json
import shutil
import threading
from pathlib import Path

from pagefind.index import IndexConfig, PagefindIndex


class IndexError_(Exception):
    """Pagefind failed; the build stops and the published site is left as it was."""


async def _index(site: Path) -> int:
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
