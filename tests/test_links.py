"""Every internal link and anchor of the built site resolves (fixture and real data)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from annuaire360.site.pages import file_for_request
from tests.page_types import all_pages


@functools.cache
def site_files(site: Path) -> frozenset[str]:
    """Every file of a built site, by path."""
    return frozenset(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())


def target_file(site: Path, path: str) -> Path | None:
    """The file that serves a site path, like a static web server would (the site's own rule), or None."""
    key, _ = file_for_request(unquote(path), site_files(site))
    return site / key if key else None


def _problem(site: Path, page: Path, ref: str, ids_of: Callable[[Path], set[str]]) -> str | None:
    """What is wrong with one reference of a page, or None."""
    parts = urlsplit(ref)
    if parts.scheme or parts.netloc:
        return None  # external, tel:, mailto:, sms:
    if parts.path and not parts.path.startswith("/"):
        return f"{ref} (lien relatif)"
    target = page if not parts.path else target_file(site, parts.path)
    if target is None:
        return ref
    if parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in ids_of(target):
        return f"{ref} (ancre absente)"
    return None


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
            problem = _problem(site, page, ref, ids_of) if ref else None
            if problem:
                broken.setdefault(page.relative_to(site).as_posix(), []).append(problem)
    return broken


@pytest.mark.parametrize("site_name", ["fixture_site", "real_site"])
def test_every_internal_link_resolves(request, site_name):
    site = request.getfixturevalue(site_name)
    assert broken_links(site) == {}


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
