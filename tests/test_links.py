"""Every internal link and anchor of the built site resolves (fixture and real data)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from annuaire360.site.render import FOOTER_LINKS
from tests.conftest import ROOT
from tests.page_types import all_pages

# content/contribuer.md and content/donnees.md are written by other parts of the project; the footer links
# to them from the start. Until those files exist, a missing target page is expected (and only those two).
PENDING_PAGES = {f"/{slug}/" for slug in ("contribuer", "donnees") if not (ROOT / "content" / f"{slug}.md").exists()}


def target_file(site: Path, path: str) -> Path | None:
    """The file that serves a site path, like a static web server would, or None."""
    candidate = site / unquote(path).lstrip("/")
    if path.endswith("/"):
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def broken_links(site: Path) -> dict[str, list[str]]:
    """Internal links, resources and #anchors that do not resolve, by page."""
    ids: dict[Path, set[str]] = {}

    def ids_of(path: Path) -> set[str]:
        if path not in ids:
            soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
            ids[path] = {tag["id"] for tag in soup.find_all(id=True)}
        return ids[path]

    broken: dict[str, list[str]] = {}
    for page in all_pages(site):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        ids[page] = {tag["id"] for tag in soup.find_all(id=True)}
        for tag in soup.find_all(["a", "link", "script", "img"]):
            ref = tag.get("href") or tag.get("src")
            if not ref:
                continue
            parts = urlsplit(ref)
            if parts.scheme or parts.netloc:
                continue  # external, tel:, mailto:, sms:
            if parts.path and not parts.path.startswith("/"):
                broken.setdefault(page.relative_to(site).as_posix(), []).append(f"{ref} (lien relatif)")
                continue
            if parts.path in PENDING_PAGES:
                continue
            target = page if not parts.path else target_file(site, parts.path)
            if target is None:
                broken.setdefault(page.relative_to(site).as_posix(), []).append(ref)
            elif parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in ids_of(target):
                broken.setdefault(page.relative_to(site).as_posix(), []).append(f"{ref} (ancre absente)")
    return broken


@pytest.mark.parametrize("site_name", ["fixture_site", "real_site"])
def test_every_internal_link_resolves(request, site_name):
    site = request.getfixturevalue(site_name)
    assert broken_links(site) == {}


def test_only_the_two_pending_pages_may_be_missing():
    assert {url for url, _ in FOOTER_LINKS} >= PENDING_PAGES
    assert {"/contribuer/", "/donnees/"} >= PENDING_PAGES


def test_broken_links_are_found(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text('<p id="ici"><a href="/a/#ici">ok</a> <a href="#ici">ok</a></p>')
    (tmp_path / "index.html").write_text(
        '<a href="/a/">ok</a><a href="/absent/">x</a><a href="/a/#la">x</a><a href="#rien">x</a>'
        '<a href="tel:0800360360">ok</a><a href="https://example.org/">ok</a><link href="/static/x.css"><a href="b/">x</a>'
    )
    assert broken_links(tmp_path) == {
        "index.html": ["/absent/", "/a/#la (ancre absente)", "#rien (ancre absente)", "/static/x.css", "b/ (lien relatif)"]
    }
