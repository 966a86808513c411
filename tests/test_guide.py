"""The contributor guide (content/contribuer.md → /contribuer/) and the commented example file."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from pydantic import BaseModel

from annuaire360 import format as fmt
from annuaire360.diagnostics import Report
from annuaire360.errors import GuideError
from annuaire360.format.values import is_fiction, parse_phone
from annuaire360.source.load import load_file
from annuaire360.tools import guide, schema
from tests.conftest import EXAMPLE, ROOT, check_data, real_today, settings_for
from tests.helpers import copy_fixture

GUIDE = ROOT / "content" / guide.GUIDE_NAME


def _block() -> str:
    text = GUIDE.read_text(encoding="utf-8")
    return text[text.index(guide.BEGIN): text.index(guide.END)]


def test_field_reference_is_up_to_date(vocabulary: schema.DataCodes) -> None:
    assert not guide.refresh(GUIDE, vocabulary, write=False), (
        "la référence des champs de content/contribuer.md n'est plus à jour : lancez « python build.py guide » "
        "(ou « make guide ») puis ajoutez content/contribuer.md à votre commit"
    )


def _all_models() -> list[type[BaseModel]]:
    found: list[type[BaseModel]] = []
    for root in fmt.FILE_MODELS.values():
        found += [m for m in fmt.reachable_models(root) if m not in found]
    return found


def test_every_field_of_every_file_is_documented() -> None:
    block = _block()
    sections = dict(re.findall(r"\{#(champs-[a-z0-9]+)\}\n(.*?)(?=\n### |\Z)", block, flags=re.S))
    for model in _all_models():
        section = sections.get(guide.anchor(model))
        assert section is not None, f"{model.__name__} absent de la référence des champs"
        for name in model.model_fields:
            description = schema.describe(model, name)
            assert description, f"{model.__name__}.{name} n'a pas de description (format.py)"
            assert f"- **`{name}`** — " in section, f"{model.__name__}.{name} absent de la référence des champs"
            assert description in section


def test_a_field_without_description_stops_the_guide(vocabulary: schema.DataCodes, monkeypatch: pytest.MonkeyPatch) -> None:
    field = fmt.Public.model_fields["precisions"]
    monkeypatch.setattr(field, "description", None)
    with pytest.raises(GuideError, match=r"Public\.precisions"):
        guide.reference(vocabulary)


def test_every_type_code_is_listed(vocabulary: schema.DataCodes) -> None:
    block = _block()
    for type_ in vocabulary.types:
        assert f"- `{type_.code}` : {type_.libelle}" in block


def test_markers_must_be_there_once() -> None:
    with pytest.raises(GuideError):
        guide.splice("pas de marqueurs", "bloc")
    with pytest.raises(GuideError):
        guide.splice(f"{guide.END}\n{guide.BEGIN}", "bloc")
    assert guide.splice(f"avant\n{guide.BEGIN}\nvieux\n{guide.END}\naprès", "NEUF") == "avant\nNEUF\naprès"


def test_guide_command_rewrites_a_stale_block(tmp_path: Path, vocabulary: schema.DataCodes) -> None:
    copy = tmp_path / "contribuer.md"
    copy.write_text(GUIDE.read_text(encoding="utf-8").replace("Identifiant stable", "Identifiant périmé"),
                    encoding="utf-8")
    assert guide.refresh(copy, vocabulary, write=False)
    assert "Identifiant périmé" in copy.read_text(encoding="utf-8")  # --verifier writes nothing
    assert guide.refresh(copy, vocabulary, write=True)
    assert copy.read_text(encoding="utf-8") == GUIDE.read_text(encoding="utf-8")
    assert not guide.refresh(copy, vocabulary, write=False)


def test_guide_command_names_the_stale_guide_and_reports_broken_markers(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / guide.GUIDE_NAME).write_text(GUIDE.read_text(encoding="utf-8").replace("Identifiant stable", "Vieux"),
                                            encoding="utf-8")
    settings = settings_for(ROOT / "data", content=content, today=real_today())
    assert guide.update(settings, Report(), write=False) == [content / guide.GUIDE_NAME]
    (content / guide.GUIDE_NAME).write_text("pas de marqueurs\n", encoding="utf-8")
    report = Report()
    assert guide.update(settings, report, write=True) is None
    assert [str(e).split(": erreur: ")[1][:40] for e in report.errors] == ["les deux lignes « [//]: # (DÉBUT … » et "]


def test_guide_is_a_page_of_the_site(fixture_site: Path) -> None:
    html = (fixture_site / "contribuer" / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("h1").get_text(strip=True) == "Contribuer"
    main = soup.find("main")
    text = main.get_text(" ")
    for words in ("Corriger un numéro de téléphone", "Ajouter une structure", "Lire un message d'erreur",
                  "numéro de la ligne", "Référence des champs"):
        assert words in text, words
    assert "[//]" not in text and "DÉBUT de la référence" not in text  # the markers stay invisible
    ids = {tag["id"] for tag in soup.find_all(id=True)}
    for link in main.find_all("a", href=re.compile("^#")):
        assert link["href"][1:] in ids, f"lien interne cassé : {link['href']}"
    assert "champs-structure" in ids and "types-de-structures" in ids


# ---------------------------------------------------------------------------
# The commented example file


def _fields_used(value: Any, model: type[BaseModel]) -> set[tuple[str, str]]:
    """(model, field) pairs written in a document, following the models down the tree."""
    found: set[tuple[str, str]] = set()
    items = value if isinstance(value, list) else [value]
    for item in items:
        if not isinstance(item, dict):
            continue
        for key, sub in item.items():
            found.add((model.__name__, key))
            if key in model.model_fields:
                for nested in fmt.nested_models(model.model_fields[key].annotation):
                    found |= _fields_used(sub, nested)
    return found


def test_example_shows_every_field() -> None:
    report = Report()
    document = load_file(EXAMPLE, "docs/exemple-departement.yaml", report)
    assert document is not None, report.items
    expected = {(m.__name__, name) for m in fmt.reachable_models(fmt.FichierDepartement) for name in m.model_fields}
    missing = expected - _fields_used(document.data, fmt.FichierDepartement)
    assert not missing, f"champs absents de l'exemple : {sorted('.'.join(p) for p in missing)}"


def test_example_uses_only_fiction_numbers_and_example_org() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    phones = re.findall(r"(?:telephone|sms): \"([^\"]+)\"", text)
    assert phones
    for phone in phones:
        assert is_fiction(parse_phone(phone).national), phone
    for host in re.findall(r"https?://([^/\s)]+)", text):
        assert host == "example.org" or host.endswith(".example.org"), host
    for address in re.findall(r"[\w.-]+@([\w.-]+)", text):
        assert address == "example.org", address


def test_example_passes_check_as_the_file_of_a_departement(tmp_path: Path) -> None:
    data = copy_fixture(tmp_path)
    shutil.copy(EXAMPLE, data / "departements" / "80-somme.yaml")
    report = Report()
    dataset = check_data(data, report)
    assert dataset is not None and not report.items, "\n".join(map(str, report.items))
    somme = next(loaded.record for loaded in dataset.departements if loaded.record.code == "80")
    assert somme.communaute is not None and len(somme.structures) == 2
