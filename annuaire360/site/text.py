"""Text helpers for pages: safe Markdown, opening hours and dates in plain French."""

from __future__ import annotations

import datetime as dt
import functools
import re
from xml.etree import ElementTree

import markdown as md
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup, escape

from ..format.glossary import ACRONYMS as ACRONYMS  # re-exported: pages and the easy-read checks share it
from ..format.values import MARKDOWN_SCHEMES

# Contributor text may only hold paragraphs, lists, emphasis and links: never raw HTML, never a
# heading that would break the page outline, never a link scheme other than https, mailto and tel.
_FIELD_TAGS = {"p", "ul", "ol", "li", "strong", "em", "a", "br"}
_CONTENT_TAGS = _FIELD_TAGS | {"h2", "h3", "h4", "blockquote", "code", "pre", "table", "thead", "tbody", "tr", "th", "td", "abbr", "hr"}
_SCHEMES = set(MARKDOWN_SCHEMES)  # the same list the validator tells contributors about

_HREF_OK = re.compile(r"^(?:(?:https|mailto|tel):|/(?!/)|#)", re.I)


def _only_allowed_links(tag: str, attribute: str, value: str) -> str | None:
    # nh3 already drops unknown schemes; this also drops odd relative targets ("<javascript:…>",
    # "//other-site", "page.html") so that every link is https, mailto, tel, a site path or an anchor.
    if attribute == "href" and not _HREF_OK.match(value):
        return None
    return value


def _cleaner(tags: set[str], attributes: dict[str, set[str]]) -> nh3.Cleaner:
    return nh3.Cleaner(tags=tags, attributes=attributes, url_schemes=_SCHEMES, link_rel=None, strip_comments=True,
                       attribute_filter=_only_allowed_links)


_field_cleaner = _cleaner(_FIELD_TAGS, {"a": {"href"}})
_content_cleaner = _cleaner(
    _CONTENT_TAGS,
    {"a": {"href"}, "abbr": {"title"}, "th": {"scope"}, **{h: {"id", "data-pagefind-body"} for h in ("h2", "h3", "h4")}},
)


class _IndexedHeadings(Treeprocessor):
    """Mark a content page's headings as the part of it the search index holds.

    Whole pages of explanations would fill the index (and so every visitor's download) with words no
    family searches for; their headings say what each page covers.
    """

    def run(self, root: ElementTree.Element) -> None:
        for element in root.iter():
            if element.tag in ("h2", "h3", "h4"):
                element.set("data-pagefind-body", "")


class _IndexedHeadingsExtension(Extension):
    def extendMarkdown(self, md_: md.Markdown) -> None:  # noqa: N802 (Python-Markdown's API)
        md_.treeprocessors.register(_IndexedHeadings(md_), "indexed_headings", 0)


_field_md = md.Markdown(extensions=["sane_lists"], output_format="html")
_content_md = md.Markdown(extensions=["sane_lists", "tables", "toc", "abbr", "attr_list", _IndexedHeadingsExtension()],
                          output_format="html", extension_configs={"toc": {"permalink": False, "toc_depth": "2-3"}})


def _escape_raw_html(text: str) -> str:
    # Escape every "<" so that raw HTML shows as text instead of being interpreted; autolinks
    # <https://…> are turned into plain URLs first so that they still become links.
    text = re.sub(r"<((?:https|mailto|tel):[^>\s]+)>", r"[\1](\1)", text)
    return text.replace("<", "&lt;")


# Both renderings are pure functions of the text: a text met again (the same description on several pages,
# every page of a preview rebuild) is rendered once per process.
@functools.lru_cache(maxsize=4096)
def markdown_field(text: str) -> str:
    """Render a contributor's Markdown field to safe HTML (paragraphs, lists, emphasis, links)."""
    _field_md.reset()
    return _field_cleaner.clean(_field_md.convert(_escape_raw_html(text)))


@functools.lru_cache(maxsize=64)
def markdown_page(text: str) -> str:
    """Render a content page (content/*.md) to safe HTML; headings start at h2 under the page's h1."""
    _content_md.reset()
    return _content_cleaner.clean(_content_md.convert(_escape_raw_html(text)))


MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"]


def date_fr(value: dt.date) -> str:
    """14 mars 2025; 1er for the first of the month."""
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MONTHS[value.month - 1]} {value.year}"


_DAYS = {"Mo": "lundi", "Tu": "mardi", "We": "mercredi", "Th": "jeudi", "Fr": "vendredi", "Sa": "samedi", "Su": "dimanche"}
_DAY_ORDER = list(_DAYS)
_DAY_SPEC = r"((?:Mo|Tu|We|Th|Fr|Sa|Su|PH)[A-Za-z,\-]*)"  # the days part of an opening-hours rule


def _time(t: str) -> str:
    hours, minutes = t.split(":")
    h = int(hours)
    return f"{h} h" if minutes == "00" else f"{h} h {minutes}"


def join_fr(parts: list[str]) -> str:
    """French enumeration: "a", "a et b", "a, b et c"."""
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} et {parts[-1]}"


def _days(selector: str) -> str | None:
    parts = []
    if selector in ("Mo-Su", "Mo-Su,PH"):
        return "tous les jours" + (", jours fériés compris" if selector.endswith("PH") else "")
    for chunk in selector.split(","):
        if chunk == "PH":
            parts.append("les jours fériés")
        elif re.fullmatch(r"(Mo|Tu|We|Th|Fr|Sa|Su)-(Mo|Tu|We|Th|Fr|Sa|Su)", chunk):
            a, b = chunk.split("-")
            if _DAY_ORDER.index(b) - _DAY_ORDER.index(a) == 1:
                parts.append(f"le {_DAYS[a]} et le {_DAYS[b]}")
            else:
                parts.append(f"du {_DAYS[a]} au {_DAYS[b]}")
        elif chunk in _DAYS:
            parts.append(f"le {_DAYS[chunk]}")
        else:
            return None
    return join_fr(parts)


def _times(spec: str) -> str | None:
    spans = []
    for span in spec.split(","):
        m = re.fullmatch(r"(\d\d:\d\d)-(\d\d:\d\d)", span.strip())
        if not m:
            return None
        spans.append(f"de {_time(m.group(1))} à {_time(m.group(2))}")
    return join_fr(spans)


def hours_fr(value: str) -> str | None:
    """Opening hours in French words, e.g. "du lundi au vendredi, de 9 h à 17 h ; fermé les jours fériés".

    Returns None for expressions outside the common subset; pages then show the raw value.
    """
    if value.strip() == "24/7":
        return "tous les jours, 24 heures sur 24"
    sentences = []
    for rule in (r.strip() for r in value.split(";")):
        if not rule:
            continue
        m = re.fullmatch(r"PH (off|closed)", rule)
        if m:
            sentences.append("fermé les jours fériés")
            continue
        m = re.fullmatch(_DAY_SPEC + r"\s+(off|closed)", rule)
        if m:
            days = _days(m.group(1))
            if days is None:
                return None
            sentences.append(f"fermé {days}")
            continue
        m = re.fullmatch(_DAY_SPEC + r"\s+([\d:,\- ]+)", rule)
        if m:
            days, times = _days(m.group(1)), _times(m.group(2))
            if days is None or times is None:
                return None
            sentences.append(f"{days}, {times}")
            continue
        m = re.fullmatch(r"([\d:,\- ]+)", rule)
        if m and (times := _times(rule)):
            sentences.append(f"tous les jours, {times}")
            continue
        return None
    return " ; ".join(sentences) if sentences else None


@functools.lru_cache(maxsize=8)
def _acronym_pattern(acronyms: frozenset[str]) -> re.Pattern[str] | None:
    """The pattern that finds any of the acronyms, longest first; built once, not for each page."""
    words = sorted(acronyms, key=lambda w: (-len(w), w))
    return re.compile(r"\b(" + "|".join(map(re.escape, words)) + r")\b") if words else None


class Abbreviations:
    """Per-page acronym marker: the first use of an acronym on a page gets <abbr title>, later ones stay plain.

    A fresh instance is given to each page, so "first" follows the order in which the page is rendered,
    which is document order for Jinja templates.
    """

    def __init__(self, expansions: dict[str, str]) -> None:
        self.expansions = expansions
        self.seen: set[str] = set()
        self._pattern = _acronym_pattern(frozenset(expansions))

    def __call__(self, acronym: str) -> str:
        """One acronym written by a template: <abbr> the first time on the page."""
        if acronym in self.seen or acronym not in self.expansions:
            return Markup(escape(acronym))
        self.seen.add(acronym)
        return Markup(f'<abbr title="{escape(self.expansions[acronym])}">{escape(acronym)}</abbr>')

    def text(self, value: str) -> str:
        """Plain text (escaped here) with the first use of each known acronym marked up."""
        escaped = str(escape(value))
        if self._pattern is None:
            return Markup(escaped)
        return Markup(self._pattern.sub(lambda m: str(self(m.group(1))), escaped))
