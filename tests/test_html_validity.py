"""RGAA 8.2: every generated page is valid HTML for the Nu Html Checker (fixture and real data)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.conftest import java, node_module
from tests.page_types import all_pages

BROKEN = "<!doctype html><html lang=fr><title>x</title><p><div>bloc</div></p><img src=a.png>"


def test_every_page_is_valid_html(fixture_site, real_site, tmp_path):
    vnu = node_module("vnu-jar", "build", "dist", "vnu.jar")
    # A known-bad page goes in the same run (one JVM start) to prove the checker reports errors.
    (tmp_path / "casse.html").write_text(BROKEN)
    result = subprocess.run(
        [java(), "-jar", str(vnu), "--errors-only", "--skip-non-html", "--format", "json",
         str(fixture_site), str(real_site), str(tmp_path)],
        capture_output=True, text=True, timeout=600,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    by_file: dict[str, list[str]] = {}
    for message in messages:
        url = message.get("url", "")
        by_file.setdefault(Path(url.removeprefix("file:")).name if "casse.html" in url else url, []).append(
            f"{message.get('lastLine', '?')}: {message['message']}"
        )
    assert "casse.html" in by_file, f"le validateur n'a pas trouvé l'erreur plantée : {result.stderr[:500]}"
    del by_file["casse.html"]
    assert by_file == {}
    pages = sum(len(all_pages(site)) for site in (fixture_site, real_site))
    assert pages > 280
