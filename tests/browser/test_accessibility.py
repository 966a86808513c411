"""axe-core, with every rule it has, on one page of each type, in light and dark colour schemes."""

from __future__ import annotations

import pytest

from tests.conftest import node_module
from tests.page_types import PAGE_TYPES

pytestmark = pytest.mark.browser

# Enable every rule axe-core knows, experimental ones included, not only the WCAG-tagged ones.
RUN_ALL_RULES = """async () => {
  const rules = axe.getRules().map((rule) => rule.ruleId);
  const result = await axe.run(document, {runOnly: {type: "rule", values: rules}, resultTypes: ["violations"]});
  return {
    rules: rules.length,
    violations: result.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((n) => n.target.join(" ") + " : " + n.failureSummary),
    })),
  };
}"""


def run_axe(page) -> dict:
    # axe is injected as an inline script: the contexts here bypass the CSP, which test_csp.py checks on its own.
    page.add_script_tag(path=str(node_module("axe-core", "axe.min.js")))
    return page.evaluate(RUN_ALL_RULES)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", sorted(PAGE_TYPES))
def test_axe_reports_no_violation(browser, site_url, name, scheme):
    context = browser.new_context(bypass_csp=True, color_scheme=scheme)
    try:
        page = context.new_page()
        response = page.goto(site_url + PAGE_TYPES[name])
        assert response is not None and response.ok, f"{PAGE_TYPES[name]} : HTTP {response and response.status}"
        result = run_axe(page)
    finally:
        context.close()
    assert result["rules"] > 90, "axe-core n'a pas chargé toutes ses règles"
    report = "\n".join(f"[{v['impact']}] {v['id']} : {v['help']}\n    " + "\n    ".join(v["nodes"]) for v in result["violations"])
    assert not result["violations"], f"{PAGE_TYPES[name]} ({scheme}) :\n{report}"


def test_axe_finds_a_planted_violation(browser, site_url):
    """The harness can fail: an image without alt text on a real page is reported."""
    page = browser.new_context(bypass_csp=True).new_page()
    page.goto(site_url + "/")
    page.evaluate("document.querySelector('main').append(Object.assign(document.createElement('img'), {src: '/static/favicon.svg'}))")
    ids = {v["id"] for v in run_axe(page)["violations"]}
    assert "image-alt" in ids
