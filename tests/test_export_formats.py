"""Open data in the standards re-users expect, each validated by its official schema, model or a
maintained parser: data·inclusion (its pydantic models, warnings on), HSDS 3.0 (the official compiled
JSON Schemas), GeoJSON (RFC 7946 rules), Atom (feedparser and RFC 4287 rules), vCard 4.0 (vobject),
sitemap lastmod; on the fixture and the real data, and hostile text in every format."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import feedparser
import jsonschema
import pytest
import vobject
from data_inclusion.schema import v1

from tests.conftest import FIXED_TODAY, ROOT, build_site
from tests.golden import IMPORT_FIXTURES, run_import
from tests.helpers import copy_fixture

VENDOR = ROOT / "tests" / "vendor"
HSDS_SHA256 = {
    "service": "5cd7c2ecb5776947e437a4d5b9656f9a80db56bef3ad49f5bb142d49dbe66156",
    "organization": "e429ffe3b585da12da10b75cf30dfc0a67ef96b34f5e1b21141a2b627ca28119",
}
ATOM = "{http://www.w3.org/2005/Atom}"
HOSTILE = [
    "=HYPERLINK(\"https://evil.example.org\";\"clic\")",
    "+33 Association",
    "-1+1 Service",
    "@SUM(A1:A9) Maison",
    "<script>alert('x')</script> PCPE",
    "Nom\nTEL:+33199009999\nEND:VCARD",
    "Maison « l'Étoile », & Cie; \\ fin",
]


def load(site: Path, path: str) -> Any:
    return json.loads((site / path).read_text(encoding="utf-8"))


# ---------------------------------------------------------------------------
# A hostile but valid dataset (markup, formula prefixes, a newline trying to add vCard lines)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = copy_fixture(tmp_path_factory.mktemp("hostile-data"))
    structures = "".join(
        f"""  - id: hostile-{n}
    nom: {json.dumps(name, ensure_ascii=False)}
    type: pcpe
    adresse: {json.dumps(name, ensure_ascii=False)}
    code_postal: "80000"
    commune: {json.dumps(name, ensure_ascii=False)}
    coordonnees: {{latitude: 49.89, longitude: 2.29}}
    description: "=1+1 ; @A1 ; -2 ; +3 : des formules en texte."
    contacts:
      - libelle: {json.dumps(name, ensure_ascii=False)}
        telephone: "03 53 01 33 3{n}"
        horaires: "Mo-Fr 09:00-12:00"
    sources:
      - url: https://www.example.org/hostile-{n}
        titre: {json.dumps(name, ensure_ascii=False)}
        consulte_le: 2025-01-10
"""
        for n, name in enumerate(HOSTILE)
    )
    (data / "departements" / "80-somme.yaml").write_text(f'code: "80"\nnom: Somme\nstructures:\n{structures}', encoding="utf-8")
    return build_site(data, tmp_path_factory.mktemp("hostile") / "site", index=False)


@pytest.fixture(scope="module")
def imported_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture with both official sources imported (coordinates, FINESS numbers, DILA hours)."""
    data = copy_fixture(tmp_path_factory.mktemp("imported-data"))
    for source, names in (("annuaire-service-public", ["dila-export-api.json"]),
                          ("finess", ["finess-structures.json", "finess-activites.json"])):
        code, _, err = run_import(data, source, [IMPORT_FIXTURES / n for n in names])
        assert code == 0, err
    return build_site(data, tmp_path_factory.mktemp("imported") / "site", index=False)


@pytest.fixture(params=["fixture", "real", "hostile", "imported"])
def any_site(request: pytest.FixtureRequest) -> Path:
    return request.getfixturevalue(f"{request.param}_site")


# ---------------------------------------------------------------------------
# data·inclusion: the pinned package's models, warnings on, no key the model does not know


@pytest.mark.parametrize(("name", "model"), [("structures", v1.Structure), ("services", v1.Service)])
def test_data_inclusion_records_pass_the_official_models_with_warnings_on(any_site, name, model):
    records = load(any_site, f"donnees/data-inclusion/{name}.json")
    assert records, "au moins le numéro national"
    problems = []
    for record in records:
        try:
            model.model_validate(record, context={"ignore_warnings": False})
        except Exception as exc:  # pydantic.ValidationError: errors and « avertissements » alike
            problems.append(f"{record['id']}: {exc}")
        unknown = set(record) - set(model.model_fields)
        if unknown:
            problems.append(f"{record['id']}: champs inconnus du schéma {sorted(unknown)}")
    assert problems == []
    assert [r["id"] for r in records] == sorted(r["id"] for r in records)


def test_data_inclusion_maps_the_fixture_as_documented(fixture_site):
    services = {s["id"]: s for s in load(fixture_site, "donnees/data-inclusion/services.json")}
    mdph = services["communautes-360--mdph-nord-fictive"]
    assert mdph["thematiques"] == ["difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits",
                                   "famille--soutien-aidants", "sante--constituer-un-dossier-mdph-invalidite"]
    assert (mdph["type"], mdph["telephone"], mdph["zone_eligibilite"]) == ("accompagnement", "+33353010000", ["59"])
    assert mdph["modes_accueil"] == ["a-distance", "en-presentiel"] and mdph["mobilisable_par"] == ["usagers"]
    pcpe = services["communautes-360--pcpe-fictif-lille"]
    assert pcpe["publics"] == ["jeunes", "personnes-en-situation-de-handicap"]
    assert pcpe["publics_precisions"].startswith("de 0 à 20 ans ; Autisme")
    assert (pcpe["latitude"], pcpe["longitude"]) == (50.6292, 3.0573)
    national = services["communautes-360--numero-national"]
    assert (national["zone_eligibilite"], national["frais"], national["telephone"]) == (["france"], "gratuit", "+33800360360")
    assert services["communautes-360--communaute-360-59"]["zone_eligibilite"] == ["59"]
    assert services["communautes-360--cra-fictif-npdc"]["zone_eligibilite"] == ["59", "62"]
    structures = {s["id"]: s for s in load(fixture_site, "donnees/data-inclusion/structures.json")}
    assert structures["communautes-360--mdph-nord-fictive"]["reseaux_porteurs"] == ["mdph"]
    assert structures["communautes-360--communaute-360-59"]["siret"] == "12345678901234"


def test_data_inclusion_warnings_are_really_on():
    """The harness can fail: a name ending with a full stop is only a warning, reported when asked for."""
    record = {"source": "s", "id": "s--x", "nom": "Service fictif.", "date_maj": "2025-01-10"}
    v1.Structure.model_validate(record)
    with pytest.raises(Exception, match="avertissement"):
        v1.Structure.model_validate(record, context={"ignore_warnings": False})


# ---------------------------------------------------------------------------
# HSDS 3.0: the official compiled schemas, vendored; extra properties forbidden as the spec's CI does


def _forbid_extra(schema: Any) -> Any:
    if isinstance(schema, dict):
        if schema.get("type") == "object" and "properties" in schema:
            schema["additionalProperties"] = False
        for value in schema.values():
            _forbid_extra(value)
    elif isinstance(schema, list):
        for value in schema:
            _forbid_extra(value)
    return schema


@pytest.fixture(scope="module")
def hsds_validators() -> dict[str, jsonschema.Draft202012Validator]:
    validators = {}
    for name, digest in HSDS_SHA256.items():
        raw = (VENDOR / "hsds-3.0" / f"{name}.json").read_bytes()
        assert hashlib.sha256(raw).hexdigest() == digest, f"{name}.json n'est plus le fichier officiel"
        schema = _forbid_extra(json.loads(raw))
        validators[name] = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    return validators


@pytest.mark.parametrize("name", ["service", "organization"])
def test_hsds_records_pass_the_official_compiled_schemas(any_site, hsds_validators, name):
    records = load(any_site, f"donnees/hsds/{name}s.json")
    assert records
    errors = [f"{r['name']}: {'/'.join(map(str, e.absolute_path))}: {e.message[:200]}"
              for r in records for e in hsds_validators[name].iter_errors(r)]
    assert errors == []
    ids = [r["id"] for r in records]
    assert len(set(ids)) == len(ids)


def test_hsds_schema_check_can_fail(hsds_validators):
    bad = {"id": "pas-un-uuid", "name": "x", "status": "ouvert", "champ_inconnu": 1}
    messages = " ".join(e.message for e in hsds_validators["service"].iter_errors(bad))
    assert "ouvert" in messages and "champ_inconnu" in messages and "uuid" in messages


def test_hsds_nests_phones_schedules_areas_and_locations(fixture_site):
    services = {s["name"]: s for s in load(fixture_site, "donnees/hsds/services.json")}
    mdph = services["MDPH du Nord (fictive)"]
    assert [(p["number"], p["type"]) for p in mdph["phones"]] == [("+33353010000", "voice")]
    assert [(s["byday"], s["opens_at"], s["closes_at"]) for s in mdph["schedules"]] == [("MO,TU,WE,TH,FR", "08:30:00", "17:00:00")]
    assert mdph["service_areas"][0]["uri"] == "https://www.insee.fr/fr/metadonnees/geographie/departement/59"
    location = mdph["service_at_locations"][0]["location"]
    assert (location["name"], location["addresses"][0]["postal_code"], location["addresses"][0]["country"]) == (
        "MDPH du Nord (fictive)", "59000", "FR")
    assert "service_at_locations" not in services["PCPE fictif de Lille"]  # no street address published
    assert mdph["assured_date"] == "2025-02-01" and mdph["last_modified"] == "2025-02-01T00:00:00Z"
    communaute = services["Communauté 360 du Nord (fictive)"]
    assert communaute["phones"][0]["number"] == "+33800360360" and "appel gratuit" in communaute["phones"][0]["description"]
    assert communaute["organization"]["name"] == "Association Exemple"
    assert communaute["organization"]["organization_identifiers"][0]["identifier"] == "12345678901234"


# ---------------------------------------------------------------------------
# GeoJSON (RFC 7946)


def _check_rfc7946(document: dict[str, Any]) -> list[str]:
    problems = []
    if document.get("type") != "FeatureCollection" or not isinstance(document.get("features"), list):
        return ["pas une FeatureCollection"]
    if "crs" in document:
        problems.append("membre crs interdit (RFC 7946 §4)")
    for feature in document["features"]:
        geometry = feature.get("geometry") or {}
        lon, lat = (geometry.get("coordinates") or [None, None])[:2]
        if feature.get("type") != "Feature" or geometry.get("type") != "Point":
            problems.append(f"{feature.get('id')}: pas un Feature Point")
        elif not (isinstance(lon, float) and isinstance(lat, float) and -180 <= lon <= 180 and -90 <= lat <= 90):
            problems.append(f"{feature.get('id')}: coordonnées hors WGS84")
        if not isinstance(feature.get("properties"), dict) or not isinstance(feature.get("id"), (str, int)):
            problems.append(f"{feature.get('id')}: properties ou id invalides")
    return problems


def test_geojson_is_rfc7946(any_site):
    document = load(any_site, "donnees/structures.geojson")
    assert _check_rfc7946(document) == []
    assert _check_rfc7946({"type": "FeatureCollection", "crs": {}, "features": [
        {"type": "Feature", "id": "x", "properties": {}, "geometry": {"type": "Point", "coordinates": [200.0, 1.0]}}]}) != []


def test_imported_coordinates_reach_the_geojson(imported_site):
    features = load(imported_site, "donnees/structures.geojson")["features"]
    assert len(features) > 1 and all(f["id"] != "pcpe-fictif-lille" or f["geometry"]["coordinates"] == [3.0573, 50.6292]
                                     for f in features)


def test_geojson_puts_longitude_first(fixture_site):
    features = load(fixture_site, "donnees/structures.geojson")["features"]
    assert [(f["id"], f["geometry"]["coordinates"]) for f in features] == [("pcpe-fictif-lille", [3.0573, 50.6292])]
    assert features[0]["properties"]["url_fiche"] == "https://annuaire.example.org/structures/pcpe-fictif-lille/"


# ---------------------------------------------------------------------------
# Atom (RFC 4287): a maintained parser (feedparser) and the RFC's rules checked on the tree

_RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


def _required(element: ET.Element, where: str) -> list[str]:
    """§4.1.1 / §4.1.2: exactly one id, title and updated; §3.3 dates; §4.2.6 ids are absolute IRIs."""
    problems = [f"{where}: il faut exactement un atom:{name}" for name in ("id", "title", "updated")
                if len(element.findall(ATOM + name)) != 1]
    problems += [f"{where}: date {d.text!r} hors RFC 3339" for d in element.findall(ATOM + "updated")
                 if not _RFC3339.match(d.text or "")]
    problems += [f"{where}: id {i.text!r} n'est pas un IRI absolu" for i in element.findall(ATOM + "id")
                 if not re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*:\S+$", i.text or "")]
    return problems


def _links_and_texts(element: ET.Element, where: str) -> list[str]:
    """§4.2.7: links have an href, no two alternate links with the same type and hreflang; §3.1 text types."""
    links = element.findall(ATOM + "link")
    alternates = [(link.get("type"), link.get("hreflang")) for link in links if link.get("rel", "alternate") == "alternate"]
    problems = [f"{where}: deux liens alternate de même type"] if len(alternates) != len(set(alternates)) else []
    problems += [f"{where}: lien sans href" for link in links if not link.get("href")]
    problems += [f"{where}: type de texte {child.get('type')!r}" for child in element
                 if child.tag != ATOM + "link" and child.get("type") not in (None, "text", "html", "xhtml")]
    return problems


def _atom_problems(raw: bytes) -> list[str]:
    """RFC 4287 rules on the tree: the feed and each entry (above), an author on the feed (§4.1.1), and
    each entry has a content or an alternate link (§4.1.1.1)."""
    root = ET.fromstring(raw)
    problems = [] if root.tag == f"{ATOM}feed" else ["la racine n'est pas atom:feed"]
    problems += _required(root, "feed") + _links_and_texts(root, "feed")
    if not root.findall(ATOM + "author"):
        problems.append("feed: pas d'atom:author")
    for n, entry in enumerate(root.findall(ATOM + "entry")):
        problems += _required(entry, f"entry {n}") + _links_and_texts(entry, f"entry {n}")
        alternate = any(link.get("rel", "alternate") == "alternate" for link in entry.findall(ATOM + "link"))
        if not entry.findall(ATOM + "content") and not alternate:
            problems.append(f"entry {n}: ni content ni lien alternate")
    return problems


def test_atom_feed_is_valid(any_site):
    raw = (any_site / "donnees" / "modifications.atom").read_bytes()
    parsed = feedparser.parse(raw)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert _atom_problems(raw) == []
    ids = [e.id for e in parsed.entries]
    assert len(ids) == len(set(ids)) and 0 < len(ids) <= 100
    stamps = [e.updated for e in parsed.entries]
    assert stamps == sorted(stamps, reverse=True) and parsed.feed.updated == stamps[0]


def test_atom_checks_can_fail():
    broken = (b'<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><updated>2025-01-10</updated>'
              b"<entry><id>pas un iri</id><title>x</title><updated>2025-01-10T00:00:00Z</updated></entry></feed>")
    problems = " | ".join(_atom_problems(broken))
    assert "atom:id" in problems and "RFC 3339" in problems and "IRI" in problems and "atom:author" in problems


def test_atom_entries_say_what_changed(fixture_site):
    parsed = feedparser.parse((fixture_site / "donnees" / "modifications.atom").read_bytes())
    first = parsed.entries[0]
    assert first.link == "https://annuaire.example.org/departements/59-nord/"
    assert first.id == "tag:annuaire.example.org,2025-02-01:/departements/59-nord/"
    assert "Vérifié auprès du service" in first.summary
    pcpe = next(e for e in parsed.entries if e.title == "PCPE fictif de Lille")
    assert "10 janvier 2025" in pcpe.summary and "Pas encore vérifié" in pcpe.summary


# ---------------------------------------------------------------------------
# vCard 4.0: read back with vobject; RFC 6350 line rules checked on the bytes


def _cards(site: Path) -> dict[str, bytes]:
    found = {p.name: p.read_bytes() for p in (site / "donnees" / "vcard").glob("*.vcf")}
    found["numero-national.vcf"] = (site / "donnees" / "numero-national.vcf").read_bytes()
    return found


def test_every_vcard_is_rfc6350_and_reads_back(any_site):
    for name, raw in _cards(any_site).items():
        lines = raw.split(b"\r\n")
        assert lines[:2] == [b"BEGIN:VCARD", b"VERSION:4.0"] and lines[-2:] == [b"END:VCARD", b""], name
        assert all(len(line) <= 75 for line in lines), f"{name}: ligne de plus de 75 octets"
        assert b"\n" not in raw.replace(b"\r\n", b""), f"{name}: fin de ligne nue"
        card = vobject.readOne(raw.decode("utf-8"))
        assert card.version.value == "4.0" and card.kind.value == "org" and card.fn.value
        assert card.contents["tel"][0].value.startswith("tel:+"), name
        assert len(card.contents["tel"]) == raw.count(b"\r\nTEL;"), f"{name}: un TEL en trop"


def test_vcards_cover_every_structure_with_a_phone(fixture_site):
    assert sorted(_cards(fixture_site)) == ["cra-fictif-npdc.vcf", "ligne-nationale-fictive.vcf", "mdph-nord-fictive.vcf",
                                            "numero-national.vcf", "pcpe-fictif-lille.vcf"]
    mdph = vobject.readOne(_cards(fixture_site)["mdph-nord-fictive.vcf"].decode())
    assert mdph.tel.value == "tel:+33353010000" and mdph.adr.value.code == "59000"
    pcpe = vobject.readOne(_cards(fixture_site)["pcpe-fictif-lille.vcf"].decode())
    assert pcpe.geo.value == "geo:50.6292,3.0573"
    assert "du lundi au vendredi" in mdph.note.value
    national = vobject.readOne(_cards(fixture_site)["numero-national.vcf"].decode())
    assert national.tel.value == "tel:+33800360360" and national.note.value.startswith("Appel gratuit. Pour les personnes handicapées")


# ---------------------------------------------------------------------------
# Hostile text: the exact text, as data, in every format; no format lets it change the structure


def test_hostile_text_stays_inert_data_in_every_format(hostile_site):
    names = set(HOSTILE)
    di = {s["nom"] for s in load(hostile_site, "donnees/data-inclusion/services.json")}
    hsds = {s["name"] for s in load(hostile_site, "donnees/hsds/services.json")}
    geo = {f["properties"]["nom"] for f in load(hostile_site, "donnees/structures.geojson")["features"]}
    assert names <= di and names <= hsds and names <= geo
    assert names <= {e.title for e in feedparser.parse((hostile_site / "donnees" / "modifications.atom").read_bytes()).entries}
    for n, name in enumerate(HOSTILE):
        card = vobject.readOne((hostile_site / "donnees" / "vcard" / f"hostile-{n}.vcf").read_text())
        assert card.fn.value == name and len(card.contents["tel"]) == 1
        assert card.adr.value.street == name and card.adr.value.city == name
    atom = (hostile_site / "donnees" / "modifications.atom").read_text()
    assert "<script>" not in atom and "&lt;script&gt;" in atom


# ---------------------------------------------------------------------------
# sitemap: every page and every data file, lastmod from the data


def test_sitemap_lists_the_data_files_with_lastmod(fixture_site):
    root = ET.fromstring((fixture_site / "sitemap.xml").read_bytes())
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    entries = {u.find(ns + "loc").text: getattr(u.find(ns + "lastmod"), "text", None) for u in root}
    base = "https://annuaire.example.org"
    for path in ("/donnees/data-inclusion/services.json", "/donnees/hsds/organizations.json", "/donnees/structures.geojson",
                 "/donnees/modifications.atom", "/donnees/numero-national.vcf", "/donnees/vcard/mdph-nord-fictive.vcf",
                 "/donnees/dictionnaire/", "/departements/59-nord/livret/"):
        assert base + path in entries, path
    assert entries[base + "/structures/pcpe-fictif-lille/"] == "2025-01-10"
    assert entries[base + "/departements/59-nord/"] == entries[base + "/departements/59-nord/livret/"] == "2025-02-01"
    assert entries[base + "/a-propos/"] is None  # a text page has no date in the data
    assert all(dt.date.fromisoformat(d) <= FIXED_TODAY for d in entries.values() if d)


def test_hsds_and_data_inclusion_ids_do_not_depend_on_the_build(fixture_site, tmp_path):
    """Two builds, another day: same ids (UUID v5), same dates (from the data, not the clock)."""
    other = build_site(copy_fixture(tmp_path), tmp_path / "site", index=False, today=FIXED_TODAY + dt.timedelta(days=40))
    for path in ("donnees/hsds/services.json", "donnees/data-inclusion/services.json", "donnees/modifications.atom",
                 "donnees/vcard/mdph-nord-fictive.vcf", "donnees/structures.geojson"):
        assert (other / path).read_bytes() == (fixture_site / path).read_bytes(), path
