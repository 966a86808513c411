"""Stage 5, index: build the Pagefind search index over the staged site, through its Python API."""

from __future__ import annotations

import asyncio
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


def build_index(site: Path) -> int:
    """Index every HTML page under ``site`` (in French) and write the bundle to ``site/pagefind``."""
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
