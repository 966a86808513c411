"""Check the links of the data: every ``sources[].url`` (and ``source.url``) and every ``site_web``, located in
their files. Run weekly by the « Liens » workflow, whose report becomes one GitHub issue; never on pull requests
(a site that is down for an hour must not block a contributor).

A link is reported only after a second failed try, a few seconds later: a server that hiccups once is not news.
"""

from __future__ import annotations

import datetime as dt
import http.client
import socket
import ssl
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from ..source import Dataset
from ..source.load import Document

USER_AGENT = "Mozilla/5.0 (compatible; annuaire360-liens/1.0; verification hebdomadaire des sources)"
RETRY_AFTER = 5.0
"""Seconds before the second try of a failed link."""


@dataclass(frozen=True)
class Result:
    """What one link gave: None when it works, else the problem in plain French."""

    url: str
    problem: str | None


def _walk(value: Any, path: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every (path, url) of a parsed file that names a source page or a website."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "site_web" and isinstance(item, str):
                yield (*path, key), item
            elif key in ("sources", "source"):
                for index, source in enumerate(item if isinstance(item, list) else [item]):
                    where = (*path, key, index) if isinstance(item, list) else (*path, key)
                    if isinstance(source, dict) and isinstance(source.get("url"), str):
                        yield (*where, "url"), source["url"]
            else:
                yield from _walk(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, (*path, index))


def collect(dataset: Dataset) -> dict[str, list[str]]:
    """Every link of the data, with where it is written (``fichier:ligne``), in a stable order."""
    found: dict[str, list[str]] = {}
    for loaded in dataset.documents():
        doc: Document = loaded.doc
        for path, url in _walk(doc.data, ()):
            line, _ = doc.locate(path)
            found.setdefault(url.strip(), []).append(f"{doc.display}:{line}")
    return dict(sorted(found.items()))


def _problem(error: BaseException) -> str:
    if isinstance(error, urllib.error.HTTPError):
        if error.code in (404, 410):
            return f"page introuvable ({error.code})"
        return f"erreur {error.code} du site"
    reason = getattr(error, "reason", error)
    if isinstance(reason, ssl.SSLError) or isinstance(error, ssl.SSLError):
        return "certificat de sécurité refusé"
    if isinstance(reason, (TimeoutError, socket.timeout)) or isinstance(error, TimeoutError):
        return "le site ne répond pas"
    if isinstance(reason, socket.gaierror):
        return "nom de domaine introuvable"
    return "site injoignable"


def check_once(url: str, timeout: float) -> str | None:
    """HEAD, then GET when the server refuses HEAD; None when the page answers (after redirections)."""
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                if method == "GET":
                    response.read(1024)
                return None
        except urllib.error.HTTPError as error:
            if method == "HEAD" and error.code in (403, 405, 429, 501):
                continue  # some servers refuse HEAD (or robots) but serve the page
            return _problem(error)
        except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as error:
            return _problem(error)
    return None


def check(url: str, timeout: float = 20.0, pause: float = RETRY_AFTER,
          once: Callable[[str, float], str | None] = check_once) -> Result:
    """One link, tried twice before it is reported."""
    problem = once(url, timeout)
    if problem is not None:
        time.sleep(pause)
        problem = once(url, timeout)
    return Result(url, problem)


def check_all(links: dict[str, list[str]], *, timeout: float = 20.0, pause: float = RETRY_AFTER,
              workers: int = 8) -> list[Result]:
    """Every link, several at a time; in the order of ``links``."""
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda url: check(url, timeout, pause), links))


def report(results: list[Result], links: dict[str, list[str]], today: dt.date) -> str:
    """The French Markdown report of the broken links ("" when every link works)."""
    broken = [r for r in results if r.problem]
    if not broken:
        return ""
    rows = ["| Lien | Problème | Où il est écrit |", "| --- | --- | --- |"]
    for result in broken:
        places = "<br>".join(f"`{place}`" for place in links[result.url])
        rows.append(f"| <{result.url}> | {result.problem} | {places} |")
    count = len(broken)
    return "\n".join([
        f"La vérification hebdomadaire du {today.isoformat()} a trouvé {count} lien{'s' if count > 1 else ''} "
        f"qui ne répond{'ent' if count > 1 else ''} pas (sur {len(results)}), chacun essayé deux fois.",
        "",
        *rows,
        "",
        "Pour chacun : ouvrez le lien dans un navigateur. Si la page a déménagé, remplacez l'adresse dans le fichier "
        "(et mettez la date du jour dans `consulte_le`) ; si elle a disparu, cherchez une autre source publique. "
        "Ce signalement est mis à jour chaque semaine et se ferme tout seul quand tous les liens répondent.",
    ])
