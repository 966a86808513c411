"""Write one source's files (``data/imports/<source>/<code>-<slug>.yaml``) all at once, and say what changed.

The files are written in a temporary folder beside ``data/imports/`` and swapped in only when all are
written: an interrupted import leaves the previous files as they were (the next import tidies what a
killed one left). A département whose records did not change keeps its file byte for byte, even when the
dataset's date moved: a weekly refresh without news changes nothing. An import that would remove more than
a set share of the records at once is refused: a truncated download must never delete real contacts.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..format.imports import CHECKSUM_PREFIX, checksum
from ..source.load import plain_value
from ..tools.schema import modeline
from .common import ImporterError
from .records import Dataset

_FAST_DUMPER: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_FAST_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml when PyYAML was built with it: a national import writes and rereads some 30 MB of YAML."""


class _Dumper(_FAST_DUMPER):  # type: ignore[valid-type,misc]
    """YAML without anchors and aliases (the loader refuses them: a date written twice is written twice)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _text(dumper: yaml.BaseDumper, value: str) -> yaml.ScalarNode:
    # PyYAML quotes by YAML 1.1 rules, the loader reads by YAML 1.2's: « 09000 » would come back as the number 9000.
    quoted = plain_value(value) is not value
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="'" if quoted else None)


_Dumper.add_representer(str, _text)


DEFAULT_MAX_LOSS = 10
"""Percentage of a source's records that may disappear in one import (more: refused, nothing written)."""


def render(path: Path, schema_dir: Path, source: str, dataset: Dataset, structures: list[dict[str, Any]]) -> str:
    """The text of a generated file (``<code>-<slug>.yaml``): a header (schema line, what the file is, where to make a
    change, checksum) and the YAML body the checksum covers."""
    departement = path.name.split("-", 1)[0]
    home = f"data/departements/{path.name}"
    document = {"source": source, "departement": departement, "jeu_de_donnees": dataset.as_dict(),
                "structures": structures}
    body = yaml.dump(document, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1_000_000,
                     default_flow_style=False)
    header = [
        modeline(path, "import", schema_dir),
        f"# Fichier généré par « python build.py importer {source} » à partir de : {dataset.nom} ({dataset.producteur}).",
        "# Ne le modifiez pas à la main : il est remplacé à chaque import, et « build.py check » refuse une modification.",
        f"# Pour corriger, compléter ou masquer une fiche, écrivez dans {home} (voir le guide « Contribuer »).",
        f"{CHECKSUM_PREFIX}{checksum(body)}",
    ]
    return "\n".join(header) + "\n" + body


def _records(text: str) -> dict[str, dict[str, Any]]:
    """The records of a generated file by id (an unreadable file has none)."""
    try:
        document = yaml.load(text, Loader=_FAST_LOADER)  # a safe loader (libyaml's when built)
    except yaml.YAMLError:
        return {}
    structures = document.get("structures") if isinstance(document, dict) else None
    return {s["id"]: s for s in structures or [] if isinstance(s, dict) and "id" in s}


def _without_dates(record: dict[str, Any]) -> dict[str, Any]:
    """A record without the date it was read (which moves with every file of the source)."""
    sources = [{k: v for k, v in s.items() if k != "consulte_le"} for s in record.get("sources", []) if isinstance(s, dict)]
    return {**record, "sources": sources}


@dataclass
class Changes:
    """What an import changes, by département file: records added, removed, and changed field by field."""

    added: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    removed: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    changed: dict[str, list[tuple[dict[str, Any], list[tuple[str, Any, Any]]]]] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def compare(self, name: str, old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]]) -> None:
        added = [new[i] for i in sorted(new.keys() - old.keys())]
        removed = [old[i] for i in sorted(old.keys() - new.keys())]
        changed = []
        for record_id in sorted(old.keys() & new.keys()):
            before, after = _without_dates(old[record_id]), _without_dates(new[record_id])
            fields = [(key, before.get(key), after.get(key)) for key in dict.fromkeys([*before, *after])
                      if before.get(key) != after.get(key)]
            if fields:
                changed.append((new[record_id], fields))
        if added:
            self.added[name] = added
        if removed:
            self.removed[name] = removed
        if changed:
            self.changed[name] = changed


def _shown(value: Any) -> str:
    """A value in a summary line, short."""
    if value is None:
        return "(vide)"
    if isinstance(value, list):
        return " ; ".join(_shown(v) for v in value) or "(vide)"
    if isinstance(value, dict):
        return ", ".join(f"{_shown(v)}" for k, v in value.items() if k != "libelle") or "(vide)"
    text = str(value).replace("|", "/").replace("\n", " ")
    return text if len(text) <= 80 else text[:79] + "…"


SUMMARY_BUDGET = 28_000
"""Characters of one source's summary: a pull request's description holds 65 536, and there are two sources."""


def summary_markdown(source: str, changes: Changes, budget: int = SUMMARY_BUDGET) -> str:
    """The French summary of an import's changes, per département: for the pull request that proposes them.

    Past ``budget`` characters (a first national import changes thousands of records), the remaining
    départements are counted, not listed: the files themselves are in the pull request."""
    names = sorted(changes.added.keys() | changes.removed.keys() | changes.changed.keys())
    counts = [sum(map(len, d.values())) for d in (changes.added, changes.removed, changes.changed)]
    lines = [f"## {source}", ""]
    if changes.empty:
        return "\n".join([*lines, "Aucun changement.", ""])
    lines += [f"{counts[0]} fiche(s) ajoutée(s), {counts[1]} retirée(s), {counts[2]} modifiée(s), dans "
              f"{len(names)} département(s).", ""]
    used = sum(len(line) + 1 for line in lines)
    for done, name in enumerate(names):
        block = [f"### {name}"]
        block += [f"- ajoutée : `{r['id']}` {r.get('nom', '')}" for r in changes.added.get(name, [])]
        block += [f"- retirée : `{r['id']}` {r.get('nom', '')}" for r in changes.removed.get(name, [])]
        for record, fields in changes.changed.get(name, []):
            block.append(f"- modifiée : `{record['id']}` {record.get('nom', '')}")
            block += [f"  - {key} : {_shown(before)} → {_shown(after)}" for key, before, after in fields]
        block.append("")
        size = sum(len(line) + 1 for line in block)
        if used + size > budget:
            lines.append(f"… et {len(names) - done} autre(s) fichier(s) de département : voir les fichiers modifiés "
                         "de la demande.")
            break
        lines += block
        used += size
    return "\n".join(lines)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True


def tidy(data: Path) -> None:
    """Remove what a killed import left beside data/imports/ (only folders of processes that no longer run)."""
    for path in data.glob(".import-*"):
        match = re.match(r"^\.import-[a-z-]+-(\d+)-", path.name)
        if match and path.is_dir() and not _alive(int(match.group(1))):
            shutil.rmtree(path, ignore_errors=True)


Files = dict[str, tuple[str, dict[str, dict[str, Any]]]]
"""A source's new files: name → (text, its records by id)."""


def _plan(old_texts: dict[str, str], files: Files, source: str, max_loss: int) -> tuple[Changes, dict[str, str]]:
    """Compare the new files with the old ones; the changes and the texts to write (an unchanged file kept as it was).
    ImporterError when too many records would disappear at once."""
    changes = Changes()
    final: dict[str, str] = {}
    old_ids: set[str] = set()
    new_ids: set[str] = set()
    for name in sorted(old_texts.keys() | files.keys()):
        old = _records(old_texts.get(name, ""))
        new = files[name][1] if name in files else {}
        old_ids |= old.keys()
        new_ids |= new.keys()
        changes.compare(name, old, new)
        if name in files:
            same = name in old_texts and {i: _without_dates(r) for i, r in old.items()} == {
                i: _without_dates(r) for i, r in new.items()}
            final[name] = old_texts[name] if same else files[name][0]
    lost = len(old_ids - new_ids)
    if old_ids and lost * 100 > max_loss * len(old_ids):
        share = min(lost * 100 // len(old_ids), 99)
        raise ImporterError(
            f"{lost} fiches sur {len(old_ids)} ({share} %) disparaîtraient d'un coup de data/imports/{source}/ : le "
            "fichier lu est sans doute incomplet ou son format a changé. Rien n'a été écrit. Si ces disparitions sont "
            f"réelles, relancez avec --disparitions-acceptees {share + 1}"
        )
    return changes, final


def _swap(data: Path, source: str, final: dict[str, str]) -> None:
    """Write the files in a folder beside data/imports/, then put it in place of the old one in one rename."""
    target = data / "imports" / source
    staging = Path(tempfile.mkdtemp(prefix=f".import-{source}-{os.getpid()}-", dir=data))
    try:
        for name, text in final.items():
            (staging / name).write_text(text, encoding="utf-8")
        os.chmod(staging, 0o755)
        (data / "imports").mkdir(exist_ok=True)
        old_folder = None
        if target.exists():
            old_folder = Path(tempfile.mkdtemp(prefix=f".import-{source}-{os.getpid()}-ancien-", dir=data))
            os.rename(target, old_folder / source)
        try:
            os.rename(staging, target)
        except BaseException:
            if old_folder is not None:
                os.rename(old_folder / source, target)
            raise
        if old_folder is not None:
            shutil.rmtree(old_folder, ignore_errors=True)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def write_source(data: Path, source: str, files: Files, *, max_loss: int) -> Changes:
    """Replace ``data/imports/<source>/`` by ``files`` (name → text and records), atomically; the changes, by file.

    A file whose records did not change is kept as it was. ImporterError, and nothing written, when more than
    ``max_loss`` % of the records would disappear."""
    target = data / "imports" / source
    tidy(data)
    old_texts = {p.name: p.read_text(encoding="utf-8") for p in sorted(target.glob("*.yaml"))} if target.is_dir() else {}
    changes, final = _plan(old_texts, files, source, max_loss)
    if final != old_texts:
        data.mkdir(parents=True, exist_ok=True)
        _swap(data, source, final)
    return changes
