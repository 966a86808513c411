"""Speed of the pages a family opens on a phone: Lighthouse's mobile profile when it is there, else our own
throttled Chromium. Prints figures, asserts nothing (targets: search ≥ 90, home ≥ 95, no layout shift).

    python bench/phone_speed.py                       # builds data/ into a temporary folder
    python bench/phone_speed.py --site site/          # an already built site
    LIGHTHOUSE=/path/to/node_modules/.bin/lighthouse python bench/phone_speed.py --runs 3

Lighthouse is not a dependency of the project: install it anywhere with ``npm install lighthouse`` and point
LIGHTHOUSE at its binary (it drives /usr/bin/chromium through CHROME_PATH). Without it, the fallback loads
each page in Chromium under the « Slow 4G » network and a 4× slower CPU (Chrome DevTools' presets, through the
DevTools protocol) and reports LCP, the time blocked by long tasks after the first paint (TBT-like) and CLS.

Then, always in the throttled Chromium on a 360 px phone: a family types a query on the search page and taps
« Rechercher »; printed: the time until the count is written, whether the count has the focus and is in view,
whether the first result is in view, and every layout shift of the whole visit (even those just after the tap,
which CLS leaves out).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from common import CHROMIUM, CHROMIUM_ARGS, ROOT, build

PAGES = {
    "accueil": "/",
    "recherche (vide)": "/recherche/",
    "recherche « ecole » en Seine-Saint-Denis": "/recherche/?q=ecole&departement=93",
    "recherche « repit 59000 »": "/recherche/?q=repit+59000",
    "département (93)": "/departements/93-seine-saint-denis/",
    "besoin × département (93, école)": "/departements/93-seine-saint-denis/ecole/",
}

# Chrome DevTools' « Slow 4G » preset (the one Lighthouse's mobile profile simulates) and a 4× slower CPU.
NETWORK = {"offline": False, "latency": 562.5, "downloadThroughput": 1.6 * 1024 * 1024 / 8 * 0.9,
           "uploadThroughput": 750 * 1024 / 8 * 0.9}
CPU_SLOWDOWN = 4

OBSERVE = """() => new Promise((resolve) => {
  const out = {lcp: 0, cls: 0, blocked: 0, fcp: 0};
  new PerformanceObserver((l) => { for (const e of l.getEntries()) out.lcp = e.startTime; })
    .observe({type: "largest-contentful-paint", buffered: true});
  new PerformanceObserver((l) => { for (const e of l.getEntries()) if (!e.hadRecentInput) out.cls += e.value; })
    .observe({type: "layout-shift", buffered: true});
  const paint = performance.getEntriesByName("first-contentful-paint")[0];
  out.fcp = paint ? paint.startTime : 0;
  new PerformanceObserver((l) => {
    for (const e of l.getEntries()) if (e.startTime >= out.fcp) out.blocked += Math.max(0, e.duration - 50);
  }).observe({type: "longtask", buffered: true});
  setTimeout(() => resolve(out), 5000);
})"""


def serve(site: Path) -> tuple[str, http.server.ThreadingHTTPServer]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}", server


def lighthouse(binary: str, url: str) -> dict[str, float]:
    """One Lighthouse run, mobile profile (its default), performance only."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "rapport.json"
        subprocess.run(
            [binary, url, "--only-categories=performance", "--output=json", f"--output-path={report}", "--quiet",
             "--chrome-flags=" + " ".join(["--headless", "--no-sandbox", "--disable-gpu"])],
            check=True, env={**os.environ, "CHROME_PATH": CHROMIUM}, timeout=300,
        )
        data = json.loads(report.read_text(encoding="utf-8"))
    audits = data["audits"]
    return {"score": data["categories"]["performance"]["score"] * 100,
            "lcp": audits["largest-contentful-paint"]["numericValue"],
            "tbt": audits["total-blocking-time"]["numericValue"],
            "cls": audits["cumulative-layout-shift"]["numericValue"]}


@contextlib.contextmanager
def phone() -> Iterator[Any]:
    """A page of a 360 px phone in Chromium, under the « Slow 4G » network and a 4× slower CPU."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", NETWORK)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
        try:
            yield page
        finally:
            browser.close()


def throttled(url: str) -> dict[str, float]:
    """One load in a throttled Chromium (the fallback): LCP, time blocked after the first paint, CLS."""
    with phone() as page:
        page.goto(url, wait_until="load")
        result = page.evaluate(OBSERVE)
    return {"lcp": result["lcp"], "tbt": result["blocked"], "cls": result["cls"]}


SEARCHES = {"école 93200": "/recherche/", "répit (page du Nord)": "/recherche/?departement=59"}

AFTER_SEARCH = """() => {
  const status = document.getElementById("recherche-statut");
  const first = document.querySelector("#recherche-resultats a");
  const inView = (el) => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; };
  return {focused: document.activeElement === status, countInView: inView(status),
          firstInView: !!first && inView(first), text: status.textContent};
}"""

FIRST_SHOWN = """() => { window.__first = 0; const list = document.getElementById("recherche-resultats");
  list.replaceChildren();
  new MutationObserver((_, o) => { if (list.children.length) { window.__first = performance.now(); o.disconnect(); } })
    .observe(list, {childList: true}); }"""

SHIFTS = """() => { window.__shifts = 0; new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__shifts += e.value; })
  .observe({type: "layout-shift", buffered: true}); }"""


def after_search(base: str, query: str, path: str) -> dict[str, object]:
    """A query typed and « Rechercher » tapped on a throttled 360 px phone: what the family sees, and when."""
    with phone() as page:
        page.goto(base + path, wait_until="load")
        page.evaluate(SHIFTS)
        if "?" in path:  # the place in the address: its own answer first
            page.locator("#recherche-statut[data-etat=fini]").wait_for(state="attached", timeout=60_000)
        page.fill("#recherche-q", query.split(" (")[0])
        page.evaluate(FIRST_SHOWN)
        started = page.evaluate("performance.now()")
        page.tap("form[data-recherche] button[type=submit]")
        page.locator("#recherche-statut[data-etat=en-cours]").wait_for(state="attached", timeout=60_000)
        page.locator("#recherche-statut[data-etat=fini]").wait_for(state="attached", timeout=60_000)
        seen = page.evaluate(AFTER_SEARCH)
        seen["seconds"] = (page.evaluate("performance.now()") - started) / 1000
        seen["first"] = (page.evaluate("window.__first") - started) / 1000
        page.wait_for_timeout(1000)
        seen["shifts"] = page.evaluate("window.__shifts")
    return seen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, help="site déjà construit (sinon : data/ construit à part)")
    parser.add_argument("--runs", type=int, default=3, help="mesures par page (la médiane est affichée)")
    parser.add_argument("--page", action="append", default=[], help="ne mesurer que les pages dont le nom contient ce mot")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site or build(ROOT / "data", Path(tmp) / "site")
        base, server = serve(site)
        binary = os.environ.get("LIGHTHOUSE") or shutil.which("lighthouse")
        print(f"Mesure : {'Lighthouse ' + binary + ' (profil mobile)' if binary else 'Chromium ralenti (Slow 4G, CPU ×4)'},"
              f" médiane de {args.runs} mesures")
        for name, path in PAGES.items():
            if args.page and not any(word in name for word in args.page):
                continue
            runs = [lighthouse(binary, base + path) if binary else throttled(base + path) for _ in range(args.runs)]
            median = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
            score = f"performance {median['score']:.0f}, " if "score" in median else ""
            print(f"{name:45} {score}LCP {median['lcp'] / 1000:.2f} s, TBT {median['tbt']:.0f} ms, CLS {median['cls']:.3f}")
        print("Après « Rechercher », téléphone 360 px, Slow 4G, CPU ×4 :")
        for query, path in SEARCHES.items():
            seen = after_search(base, query, path)
            print(f"  « {query} » : premier résultat affiché en {seen['first']:.2f} s, compte écrit en {seen['seconds']:.2f} s, focus sur le compte : "
                  f"{'oui' if seen['focused'] else 'non'}, compte visible : {'oui' if seen['countInView'] else 'non'}, "
                  f"premier résultat visible : {'oui' if seen['firstInView'] else 'non'}, décalages de mise en page "
                  f"(toute la visite) : {seen['shifts']:.3f} — {seen['text']}")
        server.shutdown()


if __name__ == "__main__":
    main()
