"""Bytes a visitor downloads to search and to find a commune, measured in Chromium.

Builds the site (``--data``, default ``data/``) or takes a built one (``--site``), serves it on
127.0.0.1 with gzip for text files (as any static host does; Pagefind's index files are already
gzipped), then counts the bytes it sends (headers included, worker requests too) for:
opening /recherche/, the first query, each further query, and the commune lookups of the home page.
Also prints the sizes of the Pagefind bundle and of the commune index.

Usage: ``.venv/bin/python bench/search_weight.py [--data DIR | --site DIR | --size 15k] [--queries a b c]``
(``--size``: the fixture data plus that many fictional structures, bench/synthetic.py).
Budget: first query ≤ 130 KB, each further query ≤ 5 KB (a family on a slow mobile connection).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import sys
import tempfile
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import CHROMIUM, CHROMIUM_ARGS, ROOT, build
from bench.synthetic import size, synthetic

TEXT = (".html", ".js", ".css", ".json", ".svg", ".txt")
FIRST_BUDGET, FURTHER_BUDGET = 130_000, 5_000


SENT: list[tuple[str, int]] = []  # (path, bytes written: status line, headers and body), in order


class _Counting:
    def __init__(self, raw) -> None:
        self.raw, self.count = raw, 0

    def write(self, data: bytes) -> int:
        self.count += len(data)
        return self.raw.write(data)

    def __getattr__(self, name: str):
        return getattr(self.raw, name)


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzipped on the fly for text types when the browser accepts it; counts bytes sent.

    Counting on the server sees every request, including those of Pagefind's Web Worker.
    """

    def log_message(self, *args: object) -> None:
        pass

    def end_headers(self) -> None:
        # What GitHub Pages sends: without it, Chromium asks for the favicon again after each query
        # (the search page rewrites its address), which no visitor of a real host pays for.
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def handle_one_request(self) -> None:
        if not isinstance(self.wfile, _Counting):
            self.wfile = _Counting(self.wfile)
        start = self.wfile.count
        super().handle_one_request()
        if getattr(self, "path", None):
            SENT.append((self.path.split("?")[0], self.wfile.count - start))

    def send_head(self):  # type: ignore[override]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not (path.is_file() and path.suffix in TEXT and "gzip" in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


class Meter:
    """Bytes the server sent since the last call (headers included)."""

    def __init__(self) -> None:
        self.mark = len(SENT)

    def take(self) -> list[tuple[str, int]]:
        items = SENT[self.mark :]
        self.mark = len(SENT)
        return list(items)


def kb(n: int) -> str:
    return f"{n / 1000:.1f} KB"


def measure_queries(browser, base: str, queries: list[str]) -> list[str]:  # type: ignore[no-untyped-def]
    """Bytes of opening /recherche/ and of each query; the queries over budget."""
    page = browser.new_context(service_workers="block").new_page()  # its own downloads: bench/offline_cache.py
    meter = Meter()
    page.goto(base + "/recherche/", wait_until="networkidle")
    opened = meter.take()
    print(f"Opening /recherche/: {kb(sum(s for _, s in opened))} ({len(opened)} requests)")
    for url, length in sorted(opened, key=lambda r: -r[1]):
        print(f"    {length:>7} B  {url}")
    status = page.locator("#recherche-statut")
    failures = []
    for i, query in enumerate(queries):
        previous = status.inner_text()
        page.fill("#recherche-q", query)
        page.wait_for_function(
            "([prev, q]) => { const t = document.getElementById('recherche-statut').textContent;"
            " return t !== prev && t.includes(q); }",
            arg=[previous, query],
        )
        page.wait_for_load_state("networkidle")
        requests = meter.take()
        total = sum(s for _, s in requests)
        label = "first query" if i == 0 else "further query"
        print(f"{label:13} « {query} »: {kb(total)} in {len(requests)} requests — {status.inner_text()}")
        for url, length in sorted(requests, key=lambda r: -r[1]):
            print(f"    {length:>7} B  {url}")
        budget = FIRST_BUDGET if i == 0 else FURTHER_BUDGET
        if total > budget:
            failures.append(f"{label} « {query} » {kb(total)} > {kb(budget)}")
    return failures


def measure_lookups(browser, base: str) -> None:  # type: ignore[no-untyped-def]
    """Commune lookups on the home page (no navigation: the answer is read before it moves on)."""
    page = browser.new_context(service_workers="block").new_page()  # its own downloads: bench/offline_cache.py
    meter = Meter()
    page.goto(base + "/", wait_until="networkidle")
    home = meter.take()
    html = next(s for u, s in home if u == "/")
    print(f"Opening /: {kb(sum(s for _, s in home))} ({len(home)} requests; HTML with box and map {kb(html)})")
    page.route("**/departements/**", lambda route: route.fulfill(status=204, body=""))
    for query in ["59000", "Lille", "Saint-Denis", "saint etienne", "97600"]:
        page.fill("#trouver-q", query)
        page.press("#trouver-q", "Enter")
        page.wait_for_timeout(400)
        page.wait_for_load_state("networkidle")
        requests = [(u, s) for u, s in meter.take() if "/static/geo/" in u]
        names = ", ".join(u.rsplit("/", 1)[1] for u, _ in requests)
        print(f"lookup « {query} »: {kb(sum(s for _, s in requests))} — {names}")
        if page.url != base + "/":
            page.goto(base + "/", wait_until="networkidle")
            meter.take()


def print_sizes(site: Path) -> None:
    """Sizes of the Pagefind bundle and of the commune index."""
    bundle = [p for p in (site / "pagefind").rglob("*") if p.is_file()]
    geo = [p for p in (site / "static" / "geo").rglob("*") if p.is_file()]
    print(f"Pagefind bundle: {len(bundle)} files, {kb(sum(p.stat().st_size for p in bundle))} on disk "
          f"(index chunks {kb(sum(p.stat().st_size for p in bundle if p.suffix == '.pf_index'))}, "
          f"fragments {len([p for p in bundle if p.suffix == '.pf_fragment'])})")
    sizes = sorted(len(gzip.compress(p.read_bytes())) for p in geo)
    print(f"Commune index /static/geo/: {len(geo)} files, {kb(sum(p.stat().st_size for p in geo))} on disk, "
          f"{kb(sum(sizes))} gzipped; largest shard {kb(sizes[-1])} gzipped, median {sizes[len(sizes) // 2]} B")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "data")
    parser.add_argument("--site", type=Path)
    parser.add_argument("--size", type=size, default=0, metavar="N",
                        help="a synthetic dataset instead: the fixture data plus N fictional structures "
                        "(5k, 15k, 50k or a number; bench/synthetic.py)")
    parser.add_argument("--queries", nargs="+", default=["autisme", "repit", "mdph", "aidants", "Correze", "emploi", "Lille",
                                 "enfant", "equipe mobile", "cra", "plateforme repit", "ligne ecoute"])
    options = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        data = options.data
        if options.size:
            data = Path(tmp) / "data"
            print(f"Synthetic dataset: {synthetic(data, options.size)} structures")
        site = options.site or build(data, Path(tmp) / "site")
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            failures = measure_queries(browser, base, options.queries)
            measure_lookups(browser, base)
            browser.close()
        server.shutdown()
        print_sizes(site)
    if failures:
        print("OVER BUDGET: " + "; ".join(failures))
        return 1
    print("Within budget: first query ≤ 130 KB, further queries ≤ 5 KB.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
