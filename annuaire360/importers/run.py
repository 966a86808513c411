"""The importer command: read (or download) a source, keep and clean its records, write its files, say what changed.

Nothing here reads the clock or the environment: the command line passes ``Settings`` and the options.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TextIO

from pydantic import ValidationError

from .. import format as fmt
from ..diagnostics import Report
from ..settings import Settings
from ..source.files import DataFolder
from ..source.validate import read_validated
from . import annuaire_service_public as asp
from . import finess
from .common import ImporterError, Summary
from .inputs import download, download_json, open_input
from .jsonstream import container, head_text, items
from .records import Dataset, Record, structure_dict, validated
from .write import DEFAULT_MAX_LOSS, Changes, Files, render, summary_markdown, write_source

TIMEOUT = 60.0


@dataclass(frozen=True)
class Options:
    """What the command line says about one import."""

    source: str  # a key of format.imports.SOURCE_CODES
    files: tuple[Path, ...] = ()  # --fichier (FINESS: the Structures file, optionally the Activités file)
    url: str | None = None  # --url: another address to download from (a mirror, or the tests' local server)
    summary: Path | None = None  # --resume: append the French summary of changes (Markdown) to this file
    max_loss: int = DEFAULT_MAX_LOSS
    timeout: float = TIMEOUT


@dataclass
class Territory:
    """What the importer needs from data/: the types it may use and the files' names."""

    types: tuple[str, ...]
    slugs: dict[str, str]

    @classmethod
    def load(cls, settings: Settings) -> Territory:
        report = Report()
        files = DataFolder(settings.paths.data, settings.paths.display).discover()
        context = fmt.Context(today=settings.today)
        _, types = read_validated(files.types, report, context)
        _, territoires = read_validated(files.territoires, report, context)
        if not isinstance(types, fmt.FichierTypes) or not isinstance(territoires, fmt.FichierTerritoires):
            problems = "; ".join(str(d) for d in report.items[:3])
            raise ImporterError(f"data/types.yaml ou data/territoires.yaml est à corriger d'abord ({problems})")
        return cls(types=tuple(t.code for t in types.types), slugs={d.code: d.slug for d in territoires.departements})


@dataclass
class Read:
    """What a source's input gave: its records and the dataset to cite."""

    dataset: Dataset
    records: list[Record] = field(default_factory=list)


# ---------------------------------------------------------------------------
# Reading each source


def _newest(records: list[Record], fallback: dt.date) -> dt.date:
    return max((r.updated for r in records if r.updated is not None), default=fallback)


def read_annuaire(path: Path, url: str | None, summary: Summary, today: dt.date) -> Read:
    with open_input(path, max_bytes=asp.BULK_EXPECTED_BYTES * 10, member_suffix="data.gouv_local.json") as stream:
        bulk = (container(head_text(stream), ("results", "service")) or "").startswith("service")
        records = []
        for raw in asp.records(stream, path.name):
            summary.read += 1
            record = asp.convert(raw, summary)
            if record is not None:
                records.append(record)
    if summary.read and not records and summary.skipped.get("fiche sans nom ou sans identifiant", 0) * 2 > summary.read:
        raise ImporterError(f"« {path.name} » : aucune fiche lisible, le format a sans doute changé ; rien n'a été importé")
    source_url = url or (asp.BULK_URL if bulk else asp.EXPORT_URL)
    # The dataset's date is the newest record's: the same file gives the same files, whenever it is imported.
    return Read(asp.dataset(source_url, path.name, _newest(records, today)), records)


def read_finess(paths: tuple[Path, ...], url: str | None, summary: Summary, today: dt.date) -> Read:
    structures, activities_files = _sort_finess_inputs(paths)
    activities: dict[str, set[str]] = {}
    for path in activities_files:
        with open_input(path, max_bytes=finess.EXPECTED_BYTES) as stream:
            activities.update(finess.activity_sites(stream, path.name))
    with open_input(structures, max_bytes=finess.EXPECTED_BYTES) as stream:
        head = head_text(stream)
        if head.startswith("finess;"):
            extract = finess.read_csv(finess.decode(stream.read()), structures.name)
            records = list(finess.csv_records(extract, summary))
            return Read(finess.dataset(url or finess.CSV_PAGE, structures.name, extract.date, historical=True), records)
        prefix = container(head, ("pmej",))
        if prefix is None:
            raise ImporterError(f"« {structures.name} » n'est ni l'extraction FINESS (CSV « finess;etalab;… ») ni le "
                                "fichier « FINESS Structures » (JSON avec une liste « pmej ») : vérifiez le fichier")
        records = [r for entity in _entities(stream, prefix, structures.name)
                   for r in finess.site_records(entity, activities, summary)]
    date = finess.json_date(head) or _newest(records, today)
    return Read(finess.dataset(url or finess.PAGE, structures.name, date, historical=False), records)


def _entities(stream: IO[bytes], prefix: str, name: str) -> Iterator[object]:
    yield from items(stream, prefix, name)


def _sort_finess_inputs(paths: tuple[Path, ...]) -> tuple[Path, list[Path]]:
    """The Structures file (CSV or JSON) and the Activités files, told apart by their content."""
    structures: list[Path] = []
    activities: list[Path] = []
    for path in paths:
        with open_input(path, max_bytes=finess.EXPECTED_BYTES) as stream:
            head = head_text(stream)
        (activities if '"activitesAutorisees"' in head or '"activitesExercees"' in head else structures).append(path)
    if len(structures) != 1:
        raise ImporterError("donnez un seul fichier d'établissements FINESS (CSV historique ou « FINESS Structures ») "
                            "avec --fichier, et au plus un fichier « FINESS Activités »")
    return structures[0], activities


# ---------------------------------------------------------------------------
# Downloading


def _latest_resource(api_answer: object, pattern: re.Pattern[str], what: str) -> dict[str, object]:
    resources = api_answer.get("resources") if isinstance(api_answer, dict) else None
    found = [r for r in resources or [] if isinstance(r, dict) and pattern.match(str(r.get("title", "")))]
    if not found:
        raise ImporterError(f"aucun fichier « {what} » dans la liste de data.gouv.fr : le jeu de données a changé ; "
                            "téléchargez le fichier à la main et passez-le avec --fichier")
    return max(found, key=lambda r: str(r.get("title")))


def _fetch_resource(resource: dict[str, object], folder: Path, timeout: float) -> Path:
    path = download(str(resource.get("url", "")), folder, max_bytes=finess.DOWNLOAD_BYTES, timeout=timeout)
    size, digest = resource.get("filesize"), resource.get("checksum")
    if isinstance(size, int) and path.stat().st_size != size:
        raise ImporterError(f"téléchargement incomplet de {path.name} ({path.stat().st_size} octets au lieu de {size}) : "
                            "relancez plus tard")
    if isinstance(digest, dict) and digest.get("type") == "sha1":
        actual = hashlib.sha1(path.read_bytes()).hexdigest()
        if actual != digest.get("value"):
            raise ImporterError(f"{path.name} ne correspond pas à son empreinte publiée (fichier abîmé) : relancez plus tard")
    return path


def downloaded(options: Options, folder: Path) -> tuple[tuple[Path, ...], str]:
    """Download the source's current file(s); the paths and the address cited."""
    if options.source == "annuaire-service-public":
        url = options.url or asp.EXPORT_URL
        return (download(url, folder, max_bytes=asp.EXPECTED_BYTES, timeout=options.timeout),), url
    api = options.url or finess.DATASET_API
    answer = download_json(api, max_bytes=5_000_000, timeout=options.timeout)
    structures = _latest_resource(answer, finess.DAILY, "finess-structures-journalier-AAAAMMJJ.json.gz")
    activities_api = api.replace("finess-structures-1", "finess-activites-1")
    paths = [_fetch_resource(structures, folder, options.timeout)]
    if activities_api != api:
        answer = download_json(activities_api, max_bytes=5_000_000, timeout=options.timeout)
        daily = re.compile(r"^finess-activites-journalier-(\d{8})\.json(?:\.gz)?$")
        paths.append(_fetch_resource(_latest_resource(answer, daily, "finess-activites-journalier"), folder, options.timeout))
    return tuple(paths), str(structures.get("url"))


# ---------------------------------------------------------------------------
# The command


def _read(options: Options, settings: Settings, summary: Summary) -> Read:
    with tempfile.TemporaryDirectory(prefix="annuaire360-import-") as folder:
        paths, url = (options.files, None) if options.files else downloaded(options, Path(folder))
        if options.source == "annuaire-service-public":
            if len(paths) != 1:
                raise ImporterError("donnez un seul fichier de l'Annuaire de l'administration avec --fichier")
            return read_annuaire(paths[0], url, summary, settings.today)
        return read_finess(paths, url, summary, settings.today)


def build_files(settings: Settings, options: Options, read: Read, territory: Territory,
                summary: Summary) -> Files:
    """Validated records → each département file (name → text and records), sorted, ids unique."""
    context = fmt.Context(today=max(settings.today, read.dataset.date), types=territory.types)
    try:
        fmt.JeuDeDonnees.model_validate(read.dataset.as_dict(), context=context)
    except ValidationError as exc:
        raise ImporterError(f"description du jeu de données refusée par le format ({exc.errors()[0]['msg']})") from None
    by_departement: dict[str, dict[str, dict[str, object]]] = {}
    for record in read.records:
        values = validated(structure_dict(record, options.source, read.dataset), context, summary)
        if values is None:
            continue
        records = by_departement.setdefault(record.departement, {})
        if values["id"] in records:
            summary.skip("fiche en double dans le fichier (même identifiant)")
            continue
        records[str(values["id"])] = values
    files: Files = {}
    folder = settings.paths.data / "imports" / options.source
    for code, records in sorted(by_departement.items()):
        name = f"{code}-{territory.slugs[code]}.yaml"
        structures = [records[i] for i in sorted(records)]
        summary.kept += len(structures)
        text = render(folder / name, settings.paths.schema, options.source, read.dataset, structures)
        files[name] = (text, {str(record["id"]): record for record in structures})
    return files


def import_source(settings: Settings, options: Options) -> tuple[Summary, Changes]:
    """Run one import; ImporterError (nothing written) when its input cannot be used."""
    territory = Territory.load(settings)
    needed = set(asp.TYPES.values()) | {"mda"} if options.source == "annuaire-service-public" else (
        set(finess.CATEGORIES.values()) | {t for t, _ in finess.DERIVED.values()})
    missing = sorted(needed - set(territory.types))
    if missing:
        raise ImporterError(f"types absents de data/types.yaml : {', '.join(missing)} ; ajoutez-les avant d'importer")
    summary = Summary(source=options.source)
    read = _read(options, settings, summary)
    if not read.records:
        raise ImporterError("aucune fiche à importer dans ce fichier : ce n'est sans doute pas le bon fichier, ou son "
                            "format a changé ; rien n'a été écrit")
    files = build_files(settings, options, read, territory, summary)
    changes = write_source(settings.paths.data, options.source, files, max_loss=options.max_loss)
    return summary, changes


def run(settings: Settings, options: Options, out: TextIO, err: TextIO) -> int:
    """The command: 0 when the import was written (or changed nothing), 1 when its input could not be used."""
    try:
        summary, changes = import_source(settings, options)
    except ImporterError as exc:
        print(f"Import « {options.source} » impossible : {exc.message}", file=err)
        return 1
    for line in summary.lines():
        print(line, file=out)
    counts = (sum(map(len, changes.added.values())), sum(map(len, changes.removed.values())),
              sum(map(len, changes.changed.values())))
    print(f"Changements : {counts[0]} ajoutée(s), {counts[1]} retirée(s), {counts[2]} modifiée(s)."
          + (" data/imports/ n'a pas changé." if changes.empty else ""), file=out)
    if options.summary is not None:
        with options.summary.open("a", encoding="utf-8") as stream:
            stream.write(summary_markdown(options.source, changes) + "\n" + "\n".join(
                ["<details><summary>Ce que l'import a laissé de côté</summary>", "", *summary.lines(), "", "</details>", ""]))
    return 0
