"""Files → disk, atomically, with the search index: the site is swapped in only when everything is written.

``staging`` writes into a temporary folder beside the output and swaps it in (``recover`` tidies what a
killed build left); ``pagefind`` indexes the staged site and ``stabilise`` makes its bundle reproducible.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from .pagefind import build_index
from .staging import Staging, recover

Indexer = Callable[[Path], None]
"""Indexes a staged site in place (``pagefind.build_index``)."""


def publish(files: Mapping[str, bytes], out: Path, *, indexer: Indexer | None = build_index) -> None:
    """Write ``files`` (path → bytes) as the site in ``out``, indexed by ``indexer`` (None: no search index).

    Raises AnnuaireError (WriteError, PagefindError) or OSError; the published site is then left as it was.
    """
    staging = Staging(out)
    try:
        for path, data in files.items():
            staging.write(path, data)
        if indexer is not None:
            indexer(staging.root)
        staging.commit()
    except BaseException:
        staging.abort()
        raise


__all__ = ["Indexer", "build_index", "publish", "recover"]
