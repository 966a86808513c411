"""The few GitHub REST API calls the workflows make: find a pull request, write one comment of the bot and keep
it up to date, keep one issue up to date. Standard library only (``urllib``); the address of the API is passed
in, so that the tests answer from a local server.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

BOT_LOGIN = "github-actions[bot]"
"""Who writes with the workflows' GITHUB_TOKEN: only its comments are ever edited."""


class ApiError(Exception):
    """A French message: what the API refused."""


@dataclass(frozen=True)
class GitHubApi:
    """One repository seen through the REST API."""

    url: str  # https://api.github.com, or a local server in the tests
    repository: str  # owner/name
    token: str | None = None

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        """One request; the decoded JSON answer (None when empty)."""
        request = urllib.request.Request(
            f"{self.url.rstrip('/')}{path}", method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28",
                     **({"Authorization": f"Bearer {self.token}"} if self.token else {}),
                     **({"Content-Type": "application/json"} if body is not None else {})},
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                text = response.read().decode()
        except urllib.error.HTTPError as error:
            raise ApiError(f"l'API GitHub a refusé {method} {path} ({error.code}) : {error.read().decode()[:300]}") from None
        except (urllib.error.URLError, TimeoutError) as error:
            raise ApiError(f"l'API GitHub ne répond pas ({method} {path}) : {error}") from None
        return json.loads(text) if text else None

    def pages(self, path: str) -> list[Any]:
        """Every item of a listed resource, page after page (100 at a time)."""
        items: list[Any] = []
        separator = "&" if "?" in path else "?"
        for page in range(1, 100):
            batch = self.call("GET", f"{path}{separator}per_page=100&page={page}")
            items += batch
            if len(batch) < 100:
                break
        return items

    def repo_path(self, tail: str) -> str:
        return f"/repos/{self.repository}{tail}"

    def pull_request_of(self, head_owner: str, head_branch: str, head_sha: str) -> dict[str, Any] | None:
        """The open pull request whose head is this commit of this branch (of a fork or not), or None."""
        query = urllib.parse.urlencode({"state": "open", "head": f"{head_owner}:{head_branch}"})
        for pull in self.pages(self.repo_path(f"/pulls?{query}")):
            if pull.get("head", {}).get("sha") == head_sha:
                return dict(pull)
        return None

    def pull_request(self, number: int) -> dict[str, Any]:
        return dict(self.call("GET", self.repo_path(f"/pulls/{number}")))

    def changed_files(self, number: int) -> list[str]:
        return [item["filename"] for item in self.pages(self.repo_path(f"/pulls/{number}/files"))]

    def bot_comment(self, number: int, marker: str) -> dict[str, Any] | None:
        """The bot's comment carrying ``marker`` on an issue or pull request, if any."""
        for comment in self.pages(self.repo_path(f"/issues/{number}/comments")):
            if comment.get("user", {}).get("login") == BOT_LOGIN and marker in (comment.get("body") or ""):
                return dict(comment)
        return None

    def upsert_comment(self, number: int, marker: str, body: str) -> str:
        """Write the bot's comment with ``marker`` (the marker is added to ``body``): create it, or edit it in
        place so that a pull request never collects one comment per push. Returns "créé" or "modifié"."""
        text = f"{marker}\n{body}"
        existing = self.bot_comment(number, marker)
        if existing is None:
            self.call("POST", self.repo_path(f"/issues/{number}/comments"), {"body": text})
            return "créé"
        if existing.get("body") != text:
            self.call("PATCH", self.repo_path(f"/issues/comments/{existing['id']}"), {"body": text})
        return "modifié"

    def upsert_issue(self, title: str, marker: str, body: str | None, labels: list[str]) -> str:
        """Keep one open issue of the bot with ``marker`` up to date: open it, edit it, or close it when ``body``
        is None (nothing to report). Returns what was done, in French."""
        found = next((issue for issue in self.pages(self.repo_path("/issues?state=open&creator=" +
                                                                    urllib.parse.quote(BOT_LOGIN)))
                      if "pull_request" not in issue and marker in (issue.get("body") or "")), None)
        if body is None:
            if found is None:
                return "rien à signaler"
            self.call("PATCH", self.repo_path(f"/issues/{found['number']}"), {"state": "closed"})
            return f"signalement n° {found['number']} fermé"
        text = f"{marker}\n{body}"
        if found is None:
            created = self.call("POST", self.repo_path("/issues"), {"title": title, "body": text, "labels": labels})
            return f"signalement n° {created['number']} ouvert"
        self.call("PATCH", self.repo_path(f"/issues/{found['number']}"), {"title": title, "body": text})
        return f"signalement n° {found['number']} mis à jour"
