"""The site's files in memory, by path: the one URL ↔ file rule and the one guard against writing a file twice.

``serve`` answers requests with ``file_for_request``, ``publish`` writes ``SiteFiles.files`` as they are, and
the tests import ``path_for`` and ``url_for`` rather than copying them.
"""

from __future__ import annotations

import posixpath
from collections.abc import Container
from dataclasses import dataclass, field

from ..errors import PageError, UrlCollisionError, WriteError

RESERVED = frozenset({"static", "pagefind"})
"""Top-level folders written by the build itself (static files, search index): no page may live there."""


def path_for(url: str) -> str:
    """File path of a URL: ``/a/b/`` → ``a/b/index.html``, ``/a.json`` → ``a.json``."""
    if url.endswith("/"):
        return f"{url.lstrip('/')}index.html"
    return url.lstrip("/")


def url_for(path: str) -> str:
    """URL of a file path: ``a/b/index.html`` → ``/a/b/``, ``index.html`` → ``/``, ``a.json`` → ``/a.json``."""
    if path == "index.html" or path.endswith("/index.html"):
        return "/" + path.removesuffix("index.html")
    return "/" + path


def file_for_request(request_path: str, files: Container[str]) -> tuple[str | None, str | None]:
    """What a static host serves for a request path: (file path, None), or (None, the folder's URL to
    redirect to) for a folder asked without its final slash, or (None, None) when nothing is there."""
    path = posixpath.normpath(request_path).lstrip("/")
    folder = path in ("", ".") or request_path.endswith("/")
    key = path_for(f"/{path}/".replace("/./", "/")) if folder else path
    if key in files:
        return key, None
    if path_for(f"/{key}/") in files:
        return None, f"/{key}/"
    return None, None


def _normalised(path: str) -> str:
    """A relative path inside the site, normalised; a path that would leave the site is refused."""
    normal = posixpath.normpath(path)
    if path.startswith("/") or normal == ".." or normal.startswith("../"):
        raise WriteError(f"chemin de sortie « {path} » hors du dossier du site : refusé (identifiant ou adresse à corriger)")
    return normal


@dataclass
class SiteFiles:
    """Every output file by path, with the data or template file it comes from (for located messages)."""

    files: dict[str, bytes] = field(default_factory=dict)
    origin: dict[str, str] = field(default_factory=dict)
    urls: list[str] = field(default_factory=list)  # the pages (in the sitemap, counted in the summary)

    def add(self, path: str, data: bytes, origin: str, at: tuple[int, int] = (1, 1)) -> None:
        """Add one file; a second file at the same path is an error that names both origins."""
        try:
            key = _normalised(path)
        except WriteError as exc:
            raise PageError(exc.message, origin, at) from None
        if key in self.files:
            raise UrlCollisionError(url_for(key), self.origin[key], origin, at)
        self.files[key] = data
        self.origin[key] = origin

    def add_page(self, url: str, html: str | bytes, origin: str, at: tuple[int, int] = (1, 1), *,
                 counted: bool = True) -> None:
        """Add one HTML page (text, or UTF-8 bytes) at its URL; a page inside static/ or pagefind/ is an error too."""
        if url.strip("/").split("/")[0] in RESERVED:
            raise UrlCollisionError(url, "les fichiers du site (static/, pagefind/)", origin, at)
        self.add(path_for(url), html if isinstance(html, bytes) else html.encode(), origin, at)
        if counted:
            self.urls.append(url)

    def sorted(self) -> dict[str, bytes]:
        """The files in path order (a stable order for writing and for the tests)."""
        return dict(sorted(self.files.items()))
