"""Offline and installable: the manifest, the service worker's files, and a version that follows the build."""

from __future__ import annotations

import json
import re
import struct
from pathlib import Path

from bs4 import BeautifulSoup

from annuaire360.site.offline import ICONS, NOT_KEPT, PRECACHE, version
from annuaire360.site.pages import SiteFiles, path_for
from tests.conftest import build_site
from tests.helpers import copy_fixture
from tests.page_types import all_pages, soup_of


def worker_constants(site: Path) -> dict[str, object]:
    """The constants the build wrote at the top of service-worker.js."""
    text = (site / "service-worker.js").read_text(encoding="utf-8")
    found = dict(re.findall(r"^const (VERSION|PRECACHE) = (.+);$", text, flags=re.M))
    return {name: json.loads(value) for name, value in found.items()}


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_the_manifest_is_french_relative_and_its_icons_exist(fixture_site: Path) -> None:
    manifest = json.loads((fixture_site / "manifest.webmanifest").read_text(encoding="utf-8"))
    assert manifest["name"] == "Annuaire des communautés 360" and manifest["lang"] == "fr"
    assert manifest["short_name"] == "Annuaire 360" and len(manifest["short_name"]) <= 12
    assert manifest["theme_color"] == "#14522f" and manifest["display"] == "standalone"
    # Relative to the manifest's own address, so that a copy under /pr-42/ installs itself there.
    assert manifest["start_url"] == "./" and manifest["scope"] == "./"
    assert manifest["icons"] == ICONS
    for icon in manifest["icons"]:
        assert not icon["src"].startswith("/")
        path = fixture_site / icon["src"]
        if icon["type"] == "image/png":
            size = int(icon["sizes"].split("x")[0])
            assert png_size(path) == (size, size)
        else:
            assert path.read_text().startswith("<svg ")
    assert any(icon.get("purpose") == "maskable" for icon in manifest["icons"])


def test_every_page_announces_the_manifest_and_the_optional_worker(fixture_site: Path) -> None:
    for path in all_pages(fixture_site):
        head = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").head
        assert head.find("link", rel="manifest", href="/manifest.webmanifest") is not None, path
        assert head.find("meta", attrs={"name": "theme-color", "content": "#14522f"}) is not None, path
        script = head.find("script", src="/static/hors-ligne.js")
        assert script is not None and script.has_attr("defer") and not script.has_attr("type"), path


def test_the_worker_keeps_only_files_of_the_site_and_never_the_search_index(fixture_site: Path) -> None:
    constants = worker_constants(fixture_site)
    assert constants["PRECACHE"] == PRECACHE
    for path in PRECACHE:
        assert not path.startswith("/") and "pagefind" not in path  # relative to where the worker is served
        assert (fixture_site / path_for("/" + path.removeprefix("./"))).is_file(), path
    assert "pagefind/" in NOT_KEPT and (fixture_site / "pagefind").is_dir()
    assert all((fixture_site / folder).is_dir() for folder in NOT_KEPT)
    text = (fixture_site / "service-worker.js").read_text(encoding="utf-8")
    assert "http://" not in text and "https://" not in text  # no address of its own: its scope decides


def test_the_offline_page_shows_the_number_and_is_not_indexed(fixture_site: Path) -> None:
    soup = soup_of(fixture_site, "/hors-ligne/")
    assert soup.find("h1").get_text() == "Pas de connexion à internet"
    box = soup.find("main").select_one(".encart-numero")
    assert box.find("a", href="tel:0800360360").get_text() == "0 800 360 360"
    assert soup.head.find("meta", attrs={"name": "robots", "content": "noindex"}) is not None
    assert not soup.find_all(attrs={"data-pagefind-body": True})


def test_the_version_is_the_builds_content(tmp_path: Path, fixture_site: Path) -> None:
    """Same input, same worker byte for byte; one changed name, a new version (so a new cache)."""
    data = copy_fixture(tmp_path)
    again = build_site(data, tmp_path / "again", index=False)
    assert (again / "service-worker.js").read_bytes() == (fixture_site / "service-worker.js").read_bytes()
    departement = data / "departements" / "59-nord.yaml"
    departement.write_text(departement.read_text().replace("PCPE fictif de Lille", "PCPE fictif de Lille-Moulins"))
    changed = build_site(data, tmp_path / "changed", index=False)
    assert worker_constants(changed)["VERSION"] != worker_constants(again)["VERSION"]
    assert re.fullmatch(r"[0-9a-f]{16}", str(worker_constants(changed)["VERSION"]))


def test_version_digests_every_file_but_the_worker() -> None:
    files = SiteFiles()
    files.add("index.html", b"<p>accueil</p>", "test")
    first = version(files)
    files.add("service-worker.js", b"// any", "test")
    assert version(files) == first
    files.files["index.html"] = b"<p>accueil modifie</p>"
    assert version(files) != first
