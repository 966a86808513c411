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
    "facile-a-lire/index.html",
    "facile-a-lire/services/index.html",
    "hors-ligne/index.html",
]


IMPORT_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "imports"
IMPORTS = {
    "annuaire-service-public": ("annuaire-service-public", ["dila-export-api.json"]),
    "finess-json": ("finess", ["finess-structures.json", "finess-activites.json"]),
    "finess-csv": ("finess", ["finess-etalab-latin1.csv"]),
}
"""Golden imports: case → source and fixture files (tests/fixtures/imports/); output in golden/imports/<case>/."""


def run_import(data: Path, source: str, files: list[Path], **options: object) -> tuple[int, str, str]:
    """Run an importer in-process on ``data`` (schema line relative to a schema/ beside it): exit code, out, err."""
    import io

    from annuaire360.importers.run import Options, run
    from tests.conftest import settings_for

    settings = settings_for(data)
    settings = type(settings)(paths=settings.paths.with_(schema=data.parent / "schema"), today=settings.today)
    out, err = io.StringIO(), io.StringIO()
    code = run(settings, Options(source=source, files=tuple(files), **options), out, err)  # type: ignore[arg-type]
    return code, out.getvalue(), err.getvalue()


def import_outputs(tmp: Path) -> dict[str, bytes]:
    """Each golden import case run on a copy of the fixture dataset: its files, by golden path."""
    from tests.helpers import copy_fixture

    found = {}
    for case, (source, names) in IMPORTS.items():
        data = copy_fixture(tmp / case)
        code, _, err = run_import(data, source, [IMPORT_FIXTURES / name for name in names])
        assert code == 0, err
        for path in sorted((data / "imports" / source).glob("*.yaml")):
            found[f"imports/{case}/{path.name}"] = path.read_bytes()
    return found


def build_pages(out: Path) -> dict[str, bytes]:
    """Build the fixture dataset (without search index) and return the golden pages' bytes."""
    from tests.conftest import FIXTURE_DATA, build_site

    build_site(FIXTURE_DATA, out, index=False)
    return {page: (out / page).read_bytes() for page in PAGES}


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        pages = build_pages(Path(tmp) / "site")
        pages.update(import_outputs(Path(tmp)))
    shutil.rmtree(GOLDEN, ignore_errors=True)
    for page, content in pages.items():
        target = GOLDEN / page
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    print(f"{len(pages)} pages dorées régénérées dans {GOLDEN} : relisez le diff avant de committer.")


if __name__ == "__main__":
    main()
