"""The search index: Pagefind's command line over the staged site, then made reproducible (``stabilise``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from ..errors import PagefindError
from .stabilise import stabilise

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
        raise PagefindError(f"l'indexation Pagefind a échoué : {exc}") from exc
    if done.returncode != 0 or not _bundle_ok(site):
        detail = (done.stderr or done.stdout).strip()[-500:] or f"code de sortie {done.returncode}"
        raise PagefindError(f"l'indexation Pagefind a échoué : {detail}")
    stabilise(site / "pagefind")
