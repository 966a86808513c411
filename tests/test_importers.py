"""The importers: real shapes in, golden files out; deterministic; bad input fails safely, in French."""

from __future__ import annotations

import bz2
import gzip
import io
import json
import tarfile
from pathlib import Path

import pytest
import yaml

from annuaire360.importers.annuaire_service_public import embedded, opening_hours
from annuaire360.importers.common import ImporterError, Summary
from annuaire360.importers.finess import to_wgs84
from annuaire360.importers.inputs import open_input
from tests.golden import GOLDEN, IMPORT_FIXTURES, IMPORTS, run_import
from tests.helpers import copy_fixture, run_build

DILA = IMPORT_FIXTURES / "dila-export-api.json"
STRUCTURES = IMPORT_FIXTURES / "finess-structures.json"
ACTIVITIES = IMPORT_FIXTURES / "finess-activites.json"
CSV_LATIN1 = IMPORT_FIXTURES / "finess-etalab-latin1.csv"


def files_of(data: Path, source: str) -> dict[str, bytes]:
    folder = data / "imports" / source
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*"))} if folder.is_dir() else {}


def body(text: bytes) -> dict:
    return yaml.safe_load(text)


@pytest.mark.parametrize("case", list(IMPORTS))
def test_import_matches_golden_output(tmp_path, case):
    source, names = IMPORTS[case]
    data = copy_fixture(tmp_path)
    code, _, err = run_import(data, source, [IMPORT_FIXTURES / n for n in names])
    assert code == 0, err
    produced = files_of(data, source)
    expected = {p.name: p.read_bytes() for p in sorted((GOLDEN / "imports" / case).glob("*.yaml"))}
    assert produced == expected, "sortie différente des fichiers dorés : lancez `make golden` et relisez le diff"


@pytest.mark.parametrize("case", list(IMPORTS))
def test_importing_twice_changes_nothing(tmp_path, case):
    source, names = IMPORTS[case]
    data = copy_fixture(tmp_path)
    run_import(data, source, [IMPORT_FIXTURES / n for n in names])
    first = files_of(data, source)
    code, out, _ = run_import(data, source, [IMPORT_FIXTURES / n for n in names])
    assert code == 0 and files_of(data, source) == first
    assert "0 ajoutée(s), 0 retirée(s), 0 modifiée(s)" in out and "n'a pas changé" in out


@pytest.mark.parametrize("name", ["dila-local-2022.json", "dila-local-2023.json"])
def test_the_bulk_file_of_either_year_gives_the_records_of_the_api_export(tmp_path, name):
    reference = copy_fixture(tmp_path / "api")
    run_import(reference, "annuaire-service-public", [DILA])
    data = copy_fixture(tmp_path / "bulk")
    code, _, err = run_import(data, "annuaire-service-public", [IMPORT_FIXTURES / name])
    assert code == 0, err
    for file_name, text in files_of(reference, "annuaire-service-public").items():
        got = body(files_of(data, "annuaire-service-public")[file_name])
        assert got["structures"] == body(text)["structures"]
        assert got["jeu_de_donnees"]["fichier"] == name


def test_the_bulk_archive_is_read_as_published(tmp_path):
    archive = tmp_path / "all_latest.tar.bz2"
    with tarfile.open(archive, "w:bz2") as tar:
        tar.add(IMPORT_FIXTURES / "dila-local-2023.json", arcname="2025-05-01_data.gouv_local.json")
    data = copy_fixture(tmp_path)
    code, out, err = run_import(data, "annuaire-service-public", [archive])
    assert code == 0, err
    assert "3 écrites" in out


def test_a_mojibake_csv_gives_the_same_names_as_the_latin1_one(tmp_path):
    latin1, utf8 = copy_fixture(tmp_path / "a"), copy_fixture(tmp_path / "b")
    run_import(latin1, "finess", [CSV_LATIN1])
    run_import(utf8, "finess", [IMPORT_FIXTURES / "finess-etalab-utf8-mojibake.csv"])
    names = [s["nom"] for s in body(files_of(utf8, "finess")["80-somme.yaml"])["structures"]]
    assert names == [s["nom"] for s in body(files_of(latin1, "finess")["80-somme.yaml"])["structures"]]
    assert "CENTRE D'ACTION MÉDICO-SOCIALE PRÉCOCE EXEMPLE" in names


def test_what_is_dropped_is_said_per_source(tmp_path):
    code, out, _ = run_import(copy_fixture(tmp_path), "annuaire-service-public", [DILA])
    assert code == 0
    assert "5 fiches lues, 3 écrites" in out
    assert "fiche sans nom ou sans identifiant" in out  # the record without a name
    assert "numéro de téléphone invalide (par exemple « 12 34 »)" in out
    assert "adresse électronique invalide (par exemple « pas-une-adresse »)" in out
    assert "horaires illisibles" in out and "site web non sécurisé (http://)" in out


def test_finess_keeps_open_sites_of_kept_categories_and_their_pcpe_and_respite(tmp_path):
    data = copy_fixture(tmp_path)
    run_import(data, "finess", [STRUCTURES, ACTIVITIES])
    somme = {s["id"]: s for s in body(files_of(data, "finess")["80-somme.yaml"])["structures"]}
    nord = {s["id"]: s for s in body(files_of(data, "finess")["59-nord.yaml"])["structures"]}
    assert set(somme) == {"finess-800000101", "finess-800000102", "finess-800000102-pcpe"}  # closed ITEP, EHPAD out
    assert somme["finess-800000102"]["type"] == "ime" and somme["finess-800000102-pcpe"]["type"] == "pcpe"
    assert nord["finess-590000202-repit"]["type"] == "plateforme-repit"  # activity 963 of the Activités file
    assert "finess-590000202" not in nord  # its own category (day care for older people) is not kept
    assert somme["finess-800000101"]["adresse"] == "1 rue DE L'EXEMPLE"  # trailing spaces of the source trimmed


def test_projected_coordinates_are_converted_to_wgs84():
    summary = Summary("finess")
    amiens = to_wgs84("650000.0", "6980000.0", "1,ATLASANTE,96,BAN,EPSG:2154 RGF93 / Lambert-93 (Métropole)", summary)
    assert amiens is not None and 49.8 < amiens["latitude"] < 50.0 and 2.2 < amiens["longitude"] < 2.4
    guadeloupe = to_wgs84("651000.0", "1795000.0", "EPSG:5490 RGAF09 / UTM zone 20N", summary)
    assert guadeloupe is not None and 16.1 < guadeloupe["latitude"] < 16.4 and -61.7 < guadeloupe["longitude"] < -61.4
    assert to_wgs84("1", "2", "sans système", summary) is None
    assert summary.dropped["coordonnées sans système de projection connu"] == 1


@pytest.mark.parametrize(("entries", "expected"), [
    ([{"nom_jour_debut": "Lundi", "nom_jour_fin": "Vendredi", "valeur_heure_debut_1": "09:00:00",
       "valeur_heure_fin_1": "12:30:00", "valeur_heure_debut_2": "13:30:00", "valeur_heure_fin_2": "17:00:00"}],
     "Mo-Fr 09:00-12:30,13:30-17:00"),
    ([{"nom_jour_debut": "Lundi", "nom_jour_fin": "", "valeur_heure_debut_1": "08:30", "valeur_heure_fin_1": "12:00"},
      {"nom_jour_debut": "Jeudi", "nom_jour_fin": "Vendredi", "valeur_heure_debut_1": "14:00:00",
       "valeur_heure_fin_1": "16:00:00"}],
     "Mo 08:30-12:00; Th-Fr 14:00-16:00"),
    # overlapping days: « , » adds the second rule instead of letting it replace the first (OSM semantics)
    ([{"nom_jour_debut": "Lundi", "nom_jour_fin": "Vendredi", "valeur_heure_debut_1": "09:00:00",
       "valeur_heure_fin_1": "12:00:00"},
      {"nom_jour_debut": "Mercredi", "nom_jour_fin": "Mercredi", "valeur_heure_debut_1": "14:00:00",
       "valeur_heure_fin_1": "17:00:00"}],
     "Mo-Fr 09:00-12:00, We 14:00-17:00"),
])
def test_plage_ouverture_becomes_osm_opening_hours(entries, expected):
    osm, comments, unreadable = opening_hours(entries)
    assert (osm, comments, unreadable) == (expected, [], False)


def test_plage_ouverture_comments_are_kept_as_text():
    osm, comments, _ = opening_hours([{"nom_jour_debut": "Samedi", "valeur_heure_debut_1": "09:00:00",
                                       "valeur_heure_fin_1": "12:00:00", "commentaire": "sur rendez-vous"}])
    assert osm == "Sa 09:00-12:00" and comments == ["sur rendez-vous"]


@pytest.mark.parametrize(("raw", "expected"), [
    ('[{"valeur": "01 99 00 12 34"}]', [{"valeur": "01 99 00 12 34"}]),  # API: JSON inside a string
    ([{"valeur": "01 99 00 12 34"}], [{"valeur": "01 99 00 12 34"}]),  # bulk file: a real array
    ({"type_service_local": "cg"}, [{"type_service_local": "cg"}]),
    ("mairie", ["mairie"]),
    (None, []),
    ("", []),
])
def test_structured_fields_are_read_in_every_shape(raw, expected):
    assert embedded(raw) == expected


# ---------------------------------------------------------------------------
# Bad input: a French message, exit 1, never a traceback, data/imports/ untouched


def _broken(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


BAD_INPUTS = {
    "json-tronque": ("annuaire-service-public", "export.json", DILA.read_bytes()[:2000], "n'est pas un JSON complet"),
    "pas-du-json": ("annuaire-service-public", "export.json", b"<html>Erreur 502</html>", "n'est pas un export"),
    "liste-attendue": ("annuaire-service-public", "export.json", b'{"service": "oups"}', "n'est pas un export"),
    "utf16": ("annuaire-service-public", "export.json", DILA.read_text(encoding="utf-8").encode("utf-16"),
              "n'est pas un export"),
    "csv-autre": ("finess", "etablissements.csv", b"numero;nom\n1;x\n", "n'est ni l'extraction FINESS"),
    "csv-sans-date": ("finess", "etablissements.csv", b"finess;etalab;98;hier\n", "ne commence pas par la ligne"),
    "csv-coupe": ("finess", "etablissements.csv", CSV_LATIN1.read_bytes()[:300], "n'ont pas la forme attendue"),
    "json-finess-autre": ("finess", "structures.json", b'{"rien": []}', "n'est ni l'extraction FINESS"),
    "json-finess-vide": ("finess", "structures.json", b'{"pmej": []}', "aucune fiche à importer"),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_fails_in_french_and_writes_nothing(tmp_path, case):
    source, name, content, message = BAD_INPUTS[case]
    data = copy_fixture(tmp_path)
    run_import(data, source, [DILA] if source == "annuaire-service-public" else [STRUCTURES])
    before = files_of(data, source)
    result = run_build("importer", source, "--data", str(data), "--fichier", str(_broken(tmp_path, name, content)))
    assert result.returncode == 1, result.stdout + result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"Import « {source} » impossible : ")
    assert files_of(data, source) == before
    assert not list(data.glob(".import-*"))


def test_a_string_where_an_array_is_expected_is_read_as_one_value(tmp_path):
    records = json.loads(DILA.read_text(encoding="utf-8"))
    records[0]["telephone"] = "03 53 01 80 80"  # a bare string, not "[{\"valeur\": …}]"
    records[0]["site_internet"] = "https://www.mdph80.example.org"
    data = copy_fixture(tmp_path)
    code, _, err = run_import(data, "annuaire-service-public", [_broken(tmp_path, "x.json", json.dumps(records).encode())])
    assert code == 0, err
    [mdph] = [s for s in body(files_of(data, "annuaire-service-public")["80-somme.yaml"])["structures"]
              if s["type"] == "mdph"]
    assert mdph["contacts"][0]["telephone"] == "03 53 01 80 80"
    assert mdph["site_web"] == "https://www.mdph80.example.org"


def test_a_file_far_bigger_than_expected_is_refused(tmp_path):
    big = _broken(tmp_path, "gros.json.gz", gzip.compress(b"[" + b" " * 200_000 + b"]"))
    with pytest.raises(ImporterError, match="dépasse 0,1 Mo une fois décompressé"), \
            open_input(big, max_bytes=100_000) as stream:
        stream.read()


def test_a_compressed_bz2_stream_is_capped_too(tmp_path):
    big = _broken(tmp_path, "gros.json.bz2", bz2.compress(b" " * 300_000))
    with pytest.raises(ImporterError), open_input(big, max_bytes=100_000) as stream:
        stream.read()


def test_a_missing_file_is_said_in_french(tmp_path):
    result = run_build("importer", "finess", "--data", str(copy_fixture(tmp_path)), "--fichier", str(tmp_path / "absent.csv"))
    assert result.returncode == 1 and "illisible" in result.stderr and "Traceback" not in result.stderr


def test_an_unknown_source_is_bad_usage(tmp_path):
    result = run_build("importer", "inconnue", "--data", str(copy_fixture(tmp_path)))
    assert result.returncode == 2 and "importer annuaire-service-public" in result.stderr


def test_records_vanishing_at_once_are_refused_unless_accepted(tmp_path):
    data = copy_fixture(tmp_path)
    run_import(data, "finess", [STRUCTURES, ACTIVITIES])
    before = files_of(data, "finess")
    document = json.loads(STRUCTURES.read_text(encoding="utf-8"))
    document["pmej"] = document["pmej"][1:]  # the Somme's sites are gone: a truncated download
    smaller = _broken(tmp_path, "structures.json", json.dumps(document).encode())
    code, _, err = run_import(data, "finess", [smaller, ACTIVITIES])
    assert code == 1 and "disparaîtraient d'un coup" in err and "--disparitions-acceptees 61" in err
    assert files_of(data, "finess") == before
    code, out, _ = run_import(data, "finess", [smaller, ACTIVITIES], max_loss=61)
    assert code == 0 and "3 retirée(s)" in out and "80-somme.yaml" not in files_of(data, "finess")


def test_the_summary_of_changes_says_field_old_and_new(tmp_path):
    data = copy_fixture(tmp_path)
    run_import(data, "finess", [STRUCTURES, ACTIVITIES])
    document = json.loads(STRUCTURES.read_text(encoding="utf-8"))
    site = document["pmej"][0]["ege"][0]
    site["contact"][0]["telecom"]["telephone"] = "0353018199"
    changed = _broken(tmp_path, "structures.json", json.dumps(document).encode())
    summary = tmp_path / "resume.md"
    code, _, err = run_import(data, "finess", [changed, ACTIVITIES], summary=summary)
    assert code == 0, err
    text = summary.read_text(encoding="utf-8")
    assert "### 80-somme.yaml" in text and "- modifiée : `finess-800000101`" in text
    assert "contacts : 03 53 01 81 01 → 03 53 01 81 99" in text
    assert "59-nord.yaml" not in text  # nothing changed there: its file was kept byte for byte


def test_a_killed_import_is_tidied_by_the_next(tmp_path):
    data = copy_fixture(tmp_path)
    leftover = data / ".import-finess-999999999-abc"
    leftover.mkdir()
    (leftover / "80-somme.yaml").write_text("à moitié", encoding="utf-8")
    code, _, _ = run_import(data, "finess", [STRUCTURES])
    assert code == 0 and not leftover.exists()


# ---------------------------------------------------------------------------
# Downloads: never from the internet here; a local server plays the official addresses


@pytest.fixture
def local_server(tmp_path):
    from tests.conftest import served

    root = tmp_path / "serveur"
    root.mkdir()
    with served(root) as url:
        yield root, url


def test_the_annuaire_is_downloaded_when_no_file_is_given(tmp_path, local_server):
    root, url = local_server
    (root / "export.json").write_bytes(DILA.read_bytes())
    data = copy_fixture(tmp_path)
    code, _, err = run_import(data, "annuaire-service-public", [], url=f"{url}/export.json")
    assert code == 0, err
    written = body(files_of(data, "annuaire-service-public")["80-somme.yaml"])
    assert written["jeu_de_donnees"]["telechargement"] == f"{url}/export.json"


def test_finess_is_downloaded_from_the_dataset_listing(tmp_path, local_server):
    import hashlib

    root, url = local_server
    packed = gzip.compress(STRUCTURES.read_bytes())
    (root / "s.json.gz").write_bytes(packed)
    (root / "a.json.gz").write_bytes(gzip.compress(ACTIVITIES.read_bytes()))
    listing = {"resources": [
        {"title": "finess-structures-mensuel-202504.json.gz", "url": f"{url}/autre.json.gz"},
        {"title": "finess-structures-journalier-20250520.json.gz", "url": f"{url}/s.json.gz", "filesize": len(packed),
         "checksum": {"type": "sha1", "value": hashlib.sha1(packed).hexdigest()}},
    ]}
    (root / "finess-structures-1").mkdir()
    (root / "finess-structures-1" / "index.html").write_text(json.dumps(listing), encoding="utf-8")
    (root / "finess-activites-1").mkdir()
    (root / "finess-activites-1" / "index.html").write_text(json.dumps({"resources": [
        {"title": "finess-activites-journalier-20250520.json.gz", "url": f"{url}/a.json.gz"}]}), encoding="utf-8")
    data = copy_fixture(tmp_path)
    code, _, err = run_import(data, "finess", [], url=f"{url}/finess-structures-1/")
    assert code == 0, err
    assert "finess-590000202-repit" in files_of(data, "finess")["59-nord.yaml"].decode()


def test_a_damaged_download_is_refused(tmp_path, local_server):
    root, url = local_server
    (root / "s.json.gz").write_bytes(gzip.compress(STRUCTURES.read_bytes()))
    (root / "finess-structures-1").mkdir()
    (root / "finess-structures-1" / "index.html").write_text(json.dumps({"resources": [
        {"title": "finess-structures-journalier-20250520.json.gz", "url": f"{url}/s.json.gz",
         "checksum": {"type": "sha1", "value": "0" * 40}}]}), encoding="utf-8")
    code, _, err = run_import(copy_fixture(tmp_path), "finess", [], url=f"{url}/finess-structures-1/")
    assert code == 1 and "empreinte publiée" in err


@pytest.mark.parametrize(("address", "message"), [
    ("http://www.example.org/export.json", "ne sont téléchargées qu'en https://"),
    ("https://127.0.0.1:9/export.json", "impossible de joindre"),
])
def test_download_problems_are_said_in_french(tmp_path, address, message):
    result = run_build("importer", "annuaire-service-public", "--data", str(copy_fixture(tmp_path)), "--url", address)
    assert result.returncode == 1 and message in result.stderr and "Traceback" not in result.stderr


def test_an_http_error_is_said_in_french(tmp_path, local_server):
    _, url = local_server
    code, _, err = run_import(copy_fixture(tmp_path), "annuaire-service-public", [], url=f"{url}/absent.json")
    assert code == 1 and "a répondu « 404" in err


def test_the_importer_output_is_a_valid_dataset(tmp_path):
    data = copy_fixture(tmp_path)
    for source, names in [("annuaire-service-public", [DILA]), ("finess", [STRUCTURES, ACTIVITIES])]:
        run_import(data, source, names)
    result = run_build("check", "--data", str(data))
    assert result.returncode == 0, result.stderr
    assert "0 erreur, 0 avertissement" in result.stderr
    assert not io.StringIO(result.stderr).read().count("Traceback")


def test_a_national_summary_stays_within_a_pull_request_description():
    from annuaire360.importers.write import Changes, summary_markdown

    changes = Changes()
    for code in range(1, 96):
        changes.compare(f"{code:02d}-x.yaml", {}, {f"finess-{code:02d}{i:07d}": {"id": f"finess-{code:02d}{i:07d}",
                                                                                   "nom": "ÉTABLISSEMENT " * 5}
                                                   for i in range(150)})
    text = summary_markdown("finess", changes)
    assert len(text) <= 28_000
    assert text.startswith("## finess\n\n14250 fiche(s) ajoutée(s), 0 retirée(s), 0 modifiée(s), dans 95 département(s).")
    assert "autre(s) fichier(s) de département : voir les fichiers modifiés de la demande." in text


def test_codes_with_a_leading_zero_stay_text(tmp_path):
    """PyYAML would leave « 09000 » unquoted (YAML 1.1); the loader reads YAML 1.2, where it is the number 9000."""
    records = json.loads(DILA.read_text(encoding="utf-8"))
    record = records[0]
    record["code_insee_commune"] = "09122"
    record["pivot"] = record["pivot"].replace("80021", "09122")
    record["adresse"] = record["adresse"].replace('"80000"', '"09000"')
    data = copy_fixture(tmp_path)
    code, _, err = run_import(data, "annuaire-service-public", [_broken(tmp_path, "x.json", json.dumps(records).encode())])
    assert code == 0, err
    text = files_of(data, "annuaire-service-public")["09-ariege.yaml"].decode()
    assert "code_postal: '09000'" in text and "code_insee: '09122'" in text and "departement: '09'" in text
    result = run_build("check", "--data", str(data))
    assert result.returncode == 0, result.stderr
