"""The site under any base URL: templates write root-relative addresses (``/structures/x/``); this step
puts the base path in front of them in every generated file, once, after everything is rendered.

Why a step and not a template helper: every template, content page and script author keeps writing
``/x/`` and the site still works at ``https://example.org/annuaire/`` or in a pull request preview at
``…/apercu/pr-42/``. Nothing here is blind text replacement: HTML start tags are tokenised by the
standard library's HTML parser (script and style contents, comments and text are left alone) and only
URL attributes are changed; in CSS, ``url(…)`` and ``@import`` outside comments; in JSON, string values
that name a file of the site. Scripts are never rewritten: they read the base from ``<html data-base>``
(written ``/`` in ``base.html``, rewritten here like any URL attribute).

With an empty base (a site at the root of its domain) every file is left byte for byte as rendered.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from html.parser import HTMLParser
from urllib.parse import urlsplit

from .pages import file_for_request

URL_ATTRIBUTES = frozenset({
    "href", "src", "action", "formaction", "poster", "cite", "data", "manifest", "background",
    "data-base",  # the base itself, for scripts (templates/base.html)
    "data-url", "data-mdph",  # pages the search script links to (the place's page and its MDPH, recherche.html)
})
"""Attributes whose whole value is one address."""

SRCSET_ATTRIBUTES = frozenset({"srcset", "imagesrcset"})
"""Attributes holding a comma-separated list of « address descriptor »."""


def base_path(site_url: str) -> str:
    """The path part of the site's public address, without its final slash: "" at the root of a domain,
    "/annuaire" for https://example.org/annuaire/."""
    return urlsplit(site_url).path.rstrip("/")


def public_url(site_url: str, base_url: str | None) -> str:
    """The address a build is published at: data/site.yaml's ``url``, or ``--base-url``, which may be a whole
    address (``https://example.org/apercu/pr-42``) or only a path on the site's domain (``/apercu/pr-42``)."""
    if base_url is None:
        return site_url
    if base_url.startswith("/"):
        parts = urlsplit(site_url)
        return f"{parts.scheme}://{parts.netloc}{base_url.rstrip('/')}"
    return base_url.rstrip("/")


def base_url_problem(value: str) -> str | None:
    """Why ``--base-url`` cannot be used (French), or None when it can."""
    parts = urlsplit(value)
    if value.startswith("/") and not value.startswith("//"):
        if parts.query or parts.fragment:
            return f"--base-url « {value} » : un chemin sans « ? » ni « # » est attendu, par exemple /apercu/pr-42/"
        return None
    if parts.scheme in ("http", "https") and parts.netloc and not parts.query and not parts.fragment:
        return None
    return (f"--base-url « {value} » : écrivez l'adresse complète où le site sera publié "
            "(https://exemple.github.io/annuaire/) ou seulement son chemin (/apercu/pr-42/)")


def _root_relative(url: str) -> bool:
    """``/x``, not ``//host/x`` (another site) nor ``/\\host`` (which browsers read as ``//host``)."""
    return url.startswith("/") and not url.startswith(("//", "/\\"))


def rebase_url(url: str, base: str) -> str:
    """One address: root-relative ones get the base in front, every other one is returned as is."""
    return base + url if base and _root_relative(url) else url


# ---------------------------------------------------------------------------
# HTML: attributes of start tags, located by the standard HTML tokenizer

# One attribute of a start tag, as HTML tokenises it: its name, then optionally = and a value that is
# double-quoted, single-quoted or bare. Group "value" is the value with its quotes.
_ATTRIBUTE = re.compile(
    r"""(?P<name>[^\s"'>/=]+)(?:\s*=\s*(?P<value>"[^"]*"|'[^']*'|[^\s"'=<>`]+))?""",
)
_REFRESH = re.compile(r"^(\s*\d+\s*[;,]\s*url\s*=\s*['\"]?)(.*?)(['\"]?\s*)$", re.I | re.S)


def _rebase_srcset(value: str, base: str) -> str:
    parts = []
    for candidate in value.split(","):
        stripped = candidate.lstrip()
        parts.append(candidate[: len(candidate) - len(stripped)] + rebase_url(stripped, base))
    return ",".join(parts)


def _rebase_refresh(value: str, base: str) -> str:
    match = _REFRESH.match(value)
    return f"{match.group(1)}{rebase_url(match.group(2), base)}{match.group(3)}" if match else value


def _new_value(tag: str, name: str, value: str, attributes: dict[str, str], base: str) -> str:
    """The rewritten (unescaped) value of one attribute."""
    if name in URL_ATTRIBUTES:
        return rebase_url(value, base)
    if name in SRCSET_ATTRIBUTES:
        return _rebase_srcset(value, base)
    if tag == "meta" and name == "content" and attributes.get("http-equiv", "").lower() == "refresh":
        return _rebase_refresh(value, base)
    return value


def _rewrite_tag(raw: str, tag: str, base: str) -> str:
    """A start tag's text with its URL attributes rebased; quoting and spacing kept as written."""
    start = 1 + len(tag)  # "<" and the tag name
    matches = list(_ATTRIBUTE.finditer(raw, start, len(raw) - 1))
    attributes = {m.group("name").lower(): html.unescape((m.group("value") or "").strip("\"'")) for m in matches}
    out, last = [], 0
    for match in matches:
        quoted = match.group("value")
        if quoted is None:
            continue
        name = match.group("name").lower()
        value = html.unescape(quoted.strip("\"'"))
        new = _new_value(tag, name, value, attributes, base)
        if new == value:
            continue
        quote = quoted[0] if quoted[0] in "\"'" else '"'
        escaped = html.escape(new, quote=False).replace(quote, "&#34;" if quote == '"' else "&#39;")
        out.append(raw[last : match.start("value")])
        out.append(f"{quote}{escaped}{quote}")
        last = match.end("value")
    out.append(raw[last:])
    return "".join(out)


class _StartTags(HTMLParser):
    """Collects where each start tag is in the text and what it becomes."""

    def __init__(self, text: str, base: str) -> None:
        super().__init__(convert_charrefs=False)
        self.base = base
        # HTMLParser.getpos() counts lines by "\n" only (not by every break str.splitlines knows)
        self.line_offsets = [0] + [match.end() for match in re.finditer("\n", text)]
        self.edits: list[tuple[int, int, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raw = self.get_starttag_text()
        if raw is None:
            return
        line, column = self.getpos()
        offset = self.line_offsets[line - 1] + column
        new = _rewrite_tag(raw, tag, self.base)
        if new != raw:
            self.edits.append((offset, offset + len(raw), new))


def rebase_html(text: str, base: str) -> str:
    """Every URL attribute of an HTML document rebased; the rest of the text is kept as it is."""
    if not base:
        return text
    parser = _StartTags(text, base)
    parser.feed(text)
    parser.close()
    out, last = [], 0
    for start, end, new in parser.edits:
        out += [text[last:start], new]
        last = end
    out.append(text[last:])
    return "".join(out)


# ---------------------------------------------------------------------------
# CSS and JSON

# Comments first, so that an url( inside a comment is consumed with it and left alone.
_CSS_TOKENS = re.compile(
    r"""/\*.*?\*/"""
    r"""|(?P<url>url\(\s*(?P<q1>['"]?))(?P<u1>[^'")\s]*)(?P=q1)"""
    r"""|(?P<import>@import\s+(?P<q2>['"]))(?P<u2>[^'"]*)(?P=q2)""",
    re.S | re.I,
)


def rebase_css(text: str, base: str) -> str:
    """``url(/…)`` and ``@import "/…"`` of a style sheet rebased (comments and strings elsewhere untouched)."""
    if not base:
        return text

    def replace(match: re.Match[str]) -> str:
        if match.group("url") is not None:
            return f"{match.group('url')}{rebase_url(match.group('u1'), base)}{match.group('q1')}"
        if match.group("import") is not None:
            return f"{match.group('import')}{rebase_url(match.group('u2'), base)}{match.group('q2')}"
        return match.group(0)

    return _CSS_TOKENS.sub(replace, text)


# In JSON, a double quote outside a string always opens one: scanning string tokens from the start finds
# exactly the strings of the document, keys included.
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)


def rebase_json(text: str, base: str, is_site_file: Callable[[str], bool]) -> str:
    """String values that are the address of a file of this site (``"/departements/59-nord/"``) rebased;
    every other string (names, codes, absolute addresses) and the layout of the file are kept."""
    if not base:
        return text

    def replace(match: re.Match[str]) -> str:
        value = json.loads(match.group(0))
        if not (_root_relative(value) and is_site_file(value)):
            return match.group(0)
        return json.dumps(base + value, ensure_ascii=False)

    return _JSON_STRING.sub(replace, text)


# ---------------------------------------------------------------------------
# Every file of a site


def rebase_files(files: dict[str, bytes], base: str) -> None:
    """Rebase, in place, every HTML, CSS and JSON file of a site held in memory (path → bytes)."""
    if not base:
        return

    def is_site_file(url: str) -> bool:
        path = urlsplit(url).path
        key, folder = file_for_request(path, files)
        return key is not None or folder is not None

    rewriters: dict[str, Callable[[str], str]] = {
        ".html": lambda text: rebase_html(text, base),
        ".css": lambda text: rebase_css(text, base),
        ".json": lambda text: rebase_json(text, base, is_site_file),
    }
    for path, data in files.items():
        rewrite = next((rewriter for suffix, rewriter in rewriters.items() if path.endswith(suffix)), None)
        if rewrite is not None:
            files[path] = rewrite(data.decode("utf-8")).encode("utf-8")
