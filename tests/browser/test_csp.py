"""The Content-Security-Policy of every page lets Pagefind search, and blocks inline script."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.browser

# Registered before any page script: every CSP violation the browser reports ends up in this list.
LISTEN = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__violations.push({directive: event.violatedDirective, blocked: event.blockedURI, sample: event.sample});
});
"""

SEARCH = """
async ([term, options]) => {
  const pagefind = await import('/pagefind/pagefind.js');
  await pagefind.options(options);
  await pagefind.init();
  const search = await pagefind.search(term, {verbose: true});
  const results = await Promise.all(search.results.slice(0, 3).map((r) => r.data()));
  return {urls: results.map((r) => r.url), where: search.search_environment || 'worker'};
}
"""

# Pagefind 1.5 searches in a Web Worker (pagefind-worker.js, allowed by worker-src 'self'); where workers
# fail or are missing it runs its WebAssembly in the page itself, which needs 'wasm-unsafe-eval'.
MODES = {"worker": {}, "main-thread": {"noWorker": True}}


def _csp_console(page) -> list[str]:
    return [text for text in page.console_errors if "Content Security Policy" in text]


def test_every_page_carries_the_policy(fixture_site) -> None:
    for path in [fixture_site / "index.html", fixture_site / "404.html", *fixture_site.glob("structures/*/index.html")]:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        meta = soup.head.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
        assert meta is not None, path
        policy = {d.split()[0]: d.split()[1:] for d in meta["content"].split(";") if d.strip()}
        assert policy["script-src"] == ["'self'", "'wasm-unsafe-eval'"]
        assert policy["default-src"] == ["'self'"] and policy["object-src"] == ["'none'"]
        assert "'unsafe-inline'" not in meta["content"]
        # The policy must come before anything it governs.
        assert soup.head.find_all(["meta", "link", "script", "style"])[1] is meta


@pytest.mark.parametrize("mode", sorted(MODES))
def test_pagefind_search_runs_under_the_policy_without_violation(page, site_url, mode: str) -> None:
    page.add_init_script(LISTEN)
    page.goto(site_url + "/")
    found = page.evaluate(SEARCH, ["autisme", MODES[mode]])
    assert found["urls"], "Pagefind found nothing: the search did not really run"
    assert any("/structures/" in url for url in found["urls"])
    assert (found["where"] == "mainthread") == (mode == "main-thread")
    assert page.evaluate("window.__violations") == []
    assert _csp_console(page) == []


def test_inline_script_is_blocked_and_reported(page, site_url) -> None:
    """The listener above can see violations: an injected inline script is refused and reported."""
    page.add_init_script(LISTEN)
    page.goto(site_url + "/")
    page.evaluate("""() => {
      const script = document.createElement('script');
      script.textContent = 'window.__ran = true';
      document.body.append(script);
    }""")
    page.wait_for_function("window.__violations.length > 0")
    assert page.evaluate("window.__ran === undefined")
    assert page.evaluate("window.__violations[0].directive").startswith("script-src")
