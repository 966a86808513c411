"""Golden pages: the fixture dataset's key pages as they must be built.

Regenerate deliberately with ``make golden`` (``python -m tests.golden``) and review the diff.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent / "golden"
PAGES = [
    "index.html",
    "404.html",
    "departements/59-nord/index.html",
    "departements/23-creuse/index.html",
    "structures/mdph-nord-fictive/index.html",
    "structures/pcpe-fictif-lille/index.html",
    "structures/cra-fictif-npdc/index.html",
    "types/pcpe/index.html",
    "regions/hauts-de-france/index.html",
    "glossaire/index.html",
    "departements/59-nord/ecole/index.html",
    "departements/23-creuse/crise/index.html",
    "besoins/ecole/index.html",
    "besoins/index.html",
    "numero-national/index.html",
]


def build_pages(out: Path) -> dict[str, bytes]:
    """Build the fixture dataset (without search index) and return the golden pages' bytes."""
    from tests.conftest import FIXTURE_DATA, build_site

    build_site(FIXTURE_DATA, out, index=False)
    return {page: (out / page).read_bytes() for page in PAGES}


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        pages = build_pages(Path(tmp) / "site")
    shutil.rmtree(GOLDEN, ignore_errors=True)
    for page, content in pages.items():
        target = GOLDEN / page
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    print(f"{len(pages)} pages dorées régénérées dans {GOLDEN} : relisez le diff avant de committer.")


if __name__ == "__main__":
    main()
