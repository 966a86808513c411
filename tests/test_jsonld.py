"""schema.org JSON-LD on every fiche and département page: extracted from the built pages, expanded by a
JSON-LD processor (pyld) with an offline document loader, and checked against the schema.org 30.0
vocabulary (vendored): every type and property exists, every property is allowed on its type."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from pyld import jsonld

from tests.conftest import ROOT
from tests.page_types import all_pages

VENDOR = ROOT / "tests" / "vendor" / "schemaorg-30.0"
SCHEMA = "http://schema.org/"
VOCABULARY = json.loads((VENDOR / "vocabulary.json").read_text(encoding="utf-8"))
CONTEXT = json.loads((VENDOR / "schemaorgcontext.jsonld").read_text(encoding="utf-8"))
JSONLD_KEYWORDS = {"@id", "@type", "@value", "@language", "@list"}


def offline_loader(url: str, options: Any = None) -> dict[str, Any]:
    """The document loader: schema.org's context from the vendored copy, nothing from the network."""
    if url.rstrip("/") in ("https://schema.org", "http://schema.org"):
        return {"contextUrl": None, "documentUrl": url, "document": CONTEXT}
    raise AssertionError(f"le test ne doit rien télécharger : {url}")


def ancestors(type_name: str) -> set[str]:
    found, todo = set(), [type_name]
    while todo:
        current = todo.pop()
        if current not in found:
            found.add(current)
            todo += VOCABULARY["types"].get(current, {}).get("parents", [])
    return found


def _name(iri: str) -> str:
    assert iri.startswith(SCHEMA), f"terme hors de schema.org : {iri}"
    return iri.removeprefix(SCHEMA)


def _property_problems(key: str, types: list[str], where: str) -> list[str]:
    """A property must exist and, on a typed node, belong to one of its types or their ancestors."""
    prop = _name(key)
    info = VOCABULARY["properties"].get(prop)
    if info is None:
        return [f"{where}: propriété inconnue {prop}"]
    allowed = set().union(*(ancestors(t) for t in types)) if types else set()
    if types and not allowed & set(info["domains"]):
        return [f"{where}: {prop} n'est pas une propriété de {'/'.join(types)}"]
    return []


def vocabulary_problems(node: Any, where: str = "") -> list[str]:
    """Walk an expanded JSON-LD document: unknown types, unknown properties, properties not allowed on the type."""
    if isinstance(node, list):
        return [problem for item in node for problem in vocabulary_problems(item, where)]
    if not isinstance(node, dict) or "@value" in node:  # a literal (its @type is a datatype such as schema:Date)
        return []
    types = [_name(t) for t in node.get("@type", [])]
    problems = [f"{where}: type inconnu {t}" for t in types if t not in VOCABULARY["types"]]
    identifier = node.get("@id")
    if isinstance(identifier, str) and identifier.startswith(SCHEMA) and _name(identifier) not in VOCABULARY["types"]:
        problems.append(f"{where}: valeur inconnue {identifier}")
    for key, value in node.items():
        if key not in JSONLD_KEYWORDS:
            problems += _property_problems(key, types, where)
            problems += vocabulary_problems(value, f"{where}/{_name(key)}")
    return problems


def blocks(page: Path) -> list[dict[str, Any]]:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return [json.loads(s.string) for s in soup.find_all("script", type="application/ld+json")]


def expanded(document: dict[str, Any]) -> list[Any]:
    return jsonld.expand(document, {"documentLoader": offline_loader})


@pytest.fixture(params=["fixture", "real"])
def site(request: pytest.FixtureRequest) -> Path:
    return request.getfixturevalue(f"{request.param}_site")


def test_every_fiche_and_departement_page_has_valid_schema_org(site):
    pages = [p for p in all_pages(site) if p.parent.parent.name in ("structures", "departements")]
    assert len(pages) >= 6
    problems = []
    for page in pages:
        found = blocks(page)
        assert len(found) == 1, f"{page}: un seul bloc JSON-LD"
        problems += vocabulary_problems(expanded(found[0]), page.parent.name)
    assert problems == []


def test_the_vocabulary_check_can_fail():
    document = {"@context": "https://schema.org", "@type": "GovernmentService", "bogusProp": 1,
                "telephone": "+33100000000", "provider": {"@type": "Organisationn", "name": "x"}}
    problems = " | ".join(vocabulary_problems(expanded(document)))
    assert "bogusProp" in problems and "telephone n'est pas une propriété de GovernmentService" in problems
    assert "type inconnu Organisationn" in problems


def test_national_number_contact_point_says_free_and_who_may_call(fixture_site):
    document = blocks(fixture_site / "departements" / "59-nord" / "index.html")[0]
    service = next(n for n in document["@graph"] if n["@type"] == "GovernmentService")
    line = service["availableChannel"][0]["servicePhone"]
    assert line["telephone"] == "+33800360360" and line["contactOption"] == ["https://schema.org/TollFree"]
    assert "famille" in line["description"] and "professionnels" in line["description"] and "gratuit" in line["description"]
    assert line["areaServed"] == {"@type": "AdministrativeArea", "identifier": "59", "name": "Nord"}
    assert service["provider"]["name"] == "Association Exemple"
    coordination = service["availableChannel"][1]["servicePhone"]
    assert coordination["hoursAvailable"][0]["dayOfWeek"][0] == "https://schema.org/Monday"


def test_fiche_describes_the_service_its_channels_and_place(fixture_site):
    document = blocks(fixture_site / "structures" / "mdph-nord-fictive" / "index.html")[0]
    page, service = document["@graph"]
    assert (page["@type"], page["dateModified"]) == ("WebPage", "2025-02-01")
    assert service["@type"] == "GovernmentService" and service["areaServed"][0]["identifier"] == "59"
    place = service["availableChannel"][-1]["serviceLocation"]
    assert place["address"] == {"@type": "PostalAddress", "addressCountry": "FR", "addressLocality": "Lille",
                                "postalCode": "59000", "streetAddress": "1 rue de l'Exemple"}
    pcpe = blocks(fixture_site / "structures" / "pcpe-fictif-lille" / "index.html")[0]["@graph"][1]
    assert pcpe["availableChannel"][-1]["serviceLocation"]["geo"]["latitude"] == 50.6292
    assert pcpe["@type"] == "Service" and (pcpe["audience"]["suggestedMinAge"], pcpe["audience"]["suggestedMaxAge"]) == (0, 20)


def test_hostile_text_cannot_close_the_script(tmp_path):
    from annuaire360.site.export.jsonld import script

    markup = str(script({"name": "</script><script>alert(1)</script> & <!--"}))
    assert markup.count("</script>") == 1 and "<script>alert" not in markup and "<!--" not in markup
    inner = BeautifulSoup(markup, "html.parser").script.string
    assert json.loads(inner)["name"] == "</script><script>alert(1)</script> & <!--"
