"""Offline and installable: the web app manifest and the service worker, made last, from every other file.

The service worker (``templates/service-worker.js``, registered by ``static/hors-ligne.js``) keeps on the
family's device the home page, the offline page (which shows the national number), the stylesheets, and
each page the family opens, so that they open again without a network. Its cache is named after a digest
of every other file of the build: the same input gives the same worker byte for byte, a new build gives a
new cache. Addresses are relative to where the worker is served, so a site under a sub-path works too.
Nothing depends on it: without JavaScript or without the worker, the site is the same.
"""

from __future__ import annotations

import hashlib
import json

from jinja2 import Environment

from .. import format as fmt
from ..errors import AnnuaireError
from .pages import SiteFiles, path_for

WORKER = "service-worker.js"
MANIFEST = "manifest.webmanifest"
OFFLINE_PAGE = "hors-ligne/"
THEME_COLOUR = "#14522f"  # the accent of static/style.css

PRECACHE = ["./", OFFLINE_PAGE, "static/style.css", "static/facile-a-lire.css", "static/favicon.svg"]
"""Kept on the device when the worker is installed, relative to the site's root: the home page (with the
national number), the offline page, the stylesheets. Every other page is kept when a family opens it."""

NOT_KEPT = ["pagefind/", "donnees/", "schema/"]
"""Never kept: the search index, fetched only when someone searches, and the open data and schemas, which are
for re-users (large, and no family needs them without a network)."""

ICONS = [
    {"src": "static/icone.svg", "sizes": "any", "type": "image/svg+xml"},
    {"src": "static/icone-192.png", "sizes": "192x192", "type": "image/png"},
    {"src": "static/icone-512.png", "sizes": "512x512", "type": "image/png"},
    {"src": "static/icone-masquable-512.png", "sizes": "512x512", "type": "image/png", "purpose": "maskable"},
]
"""Drawn for this project (tools/make_icons.py): no third-party artwork."""


def version(files: SiteFiles) -> str:
    """A digest of every file (path and content) but the worker itself: changes with any change of the site."""
    digest = hashlib.sha256()
    for path, data in sorted(files.files.items()):
        if path != WORKER:
            digest.update(f"{path}\0{hashlib.sha256(data).hexdigest()}\n".encode())
    return digest.hexdigest()[:16]


def manifest(site: fmt.FichierSite) -> bytes:
    """The web app manifest: French names, icons, colours; addresses relative to the manifest (sub-paths work)."""
    document = {
        "name": site.titre,
        "short_name": "Annuaire 360",
        "description": "Qui peut vous aider près de chez vous, pour un handicap, à tout âge.",
        "lang": "fr",
        "dir": "ltr",
        "start_url": "./",
        "scope": "./",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOUR,
        "icons": ICONS,
    }
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode()


def add_offline_files(files: SiteFiles, site: fmt.FichierSite, env: Environment) -> None:
    """Add the manifest, then the service worker, versioned by every other file of the site."""
    files.add(MANIFEST, manifest(site), "annuaire360/site/offline.py")
    wanted = [*PRECACHE, *(icon["src"] for icon in ICONS)]
    missing = [path for path in wanted if path_for(f"/{path.removeprefix('./')}") not in files.files]
    if missing:
        raise AnnuaireError(f"fichiers du mode hors ligne absents du site : {', '.join(missing)} (static/ ou templates/)")
    worker = env.get_template(WORKER).render(
        version=version(files), precache=PRECACHE, offline=OFFLINE_PAGE, not_kept=NOT_KEPT,
    )
    files.add(WORKER, worker.encode(), f"templates/{WORKER}")
