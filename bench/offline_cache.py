"""What the service worker keeps on a family's phone: the offline journey on the real data, with sizes.

Usage:
    .venv/bin/python bench/offline_cache.py                     # builds data/ and measures
    .venv/bin/python bench/offline_cache.py --site site/        # measures an already built site

In Chromium (served on 127.0.0.1, service workers need http://): open the home page, a département, a
fiche of that département; print every copy kept on the device (what the worker stored at installation,
then each page opened) with its size, then cut the network and reload each page, and open a page never
visited (the offline page). Prints figures; asserts nothing (the behaviour is tested in
tests/browser/test_offline.py).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import sys
import tempfile
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import CHROMIUM, CHROMIUM_ARGS, ROOT, build
from tests.conftest import KEPT_COPIES


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def journey(base: str, pages: list[str], never: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context()
        page = context.new_page()
        page.goto(base + pages[0])
        page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=20000)
        installed = page.evaluate(KEPT_COPIES)
        print(f"À l'installation : {len(installed)} fichiers, {sum(e['size'] for e in installed):,} octets")
        for url in pages[1:]:
            page.goto(base + url)
        kept = sorted(page.evaluate(KEPT_COPIES), key=lambda e: -e["size"])
        print(f"Après {' → '.join(pages)} : {len(kept)} fichiers, {sum(e['size'] for e in kept):,} octets gardés")
        for entry in kept:
            print(f"    {entry['size']:>8,}  {entry['url'].removeprefix(base)}")
        context.set_offline(True)
        for url in [*pages, never]:
            page.goto(base + url)
            page.reload()
            number = page.locator("header a[href^='tel:']").inner_text()
            print(f"hors ligne {url:42} « {page.locator('h1').inner_text()} » — numéro {number}")
        browser.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="site déjà construit (sinon : construit data/)")
    parser.add_argument("--departement", default="/departements/80-somme/", help="page de département à ouvrir")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site or build(ROOT / "data", Path(tmp) / "site")
        departement = (site / args.departement.strip("/") / "index.html").read_text(encoding="utf-8")
        fiche = departement.split('href="/structures/', 1)[1].split('"', 1)[0]
        never = next(f"/structures/{p.name}/" for p in sorted((site / "structures").iterdir()) if p.name != fiche.strip("/"))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            journey(f"http://127.0.0.1:{server.server_address[1]}", ["/", args.departement, f"/structures/{fiche}"], never)
        finally:
            server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
