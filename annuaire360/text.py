"""Text helpers for pages: safe Markdown, opening hours and dates in plain French."""

from __future__ import annotations

import datetime as dt
import html
import re

import markdown as md
import nh3

from .values import MARKDOWN_SCHEMES

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


_field_cleaner = nh3.Cleaner(
    tags=_FIELD_TAGS, attributes={"a": {"href"}}, url_schemes=_SCHEMES, link_rel=None, strip_comments=True,
    attribute_filter=_only_allowed_links,
)
def _make_content_cleaner() -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=_CONTENT_TAGS,
        attributes={"a": {"href"}, "abbr": {"title"}, "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "th": {"scope"}},
        url_schemes=_SCHEMES,
        link_rel=None,
        strip_comments=True,
        attribute_filter=_only_allowed_links,
    )


_content_cleaner = _make_content_cleaner()
_field_md = md.Markdown(extensions=["sane_lists"], output_format="html")
_content_md = md.Markdown(extensions=["sane_lists", "tables", "toc", "abbr", "attr_list"], output_format="html",
                          extension_configs={"toc": {"permalink": False, "toc_depth": "2-3"}})


def _escape_raw_html(text: str) -> str:
    # Escape every "<" so that raw HTML shows as text instead of being interpreted; autolinks
    # <https://…> are turned into plain URLs first so that they still become links.
    text = re.sub(r"<((?:https|mailto|tel):[^>\s]+)>", r"[\1](\1)", text)
    return text.replace("<", "&lt;")


def markdown_field(text: str) -> str:
    """Render a contributor's Markdown field to safe HTML (paragraphs, lists, emphasis, links)."""
    _field_md.reset()
    return _field_cleaner.clean(_field_md.convert(_escape_raw_html(text)))


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


def _time(t: str) -> str:
    hours, minutes = t.split(":")
    h = int(hours)
    return f"{h} h" if minutes == "00" else f"{h} h {minutes}"


def _days(selector: str) -> str | None:
    parts = []
    for chunk in selector.split(","):
        if re.fullmatch(r"(Mo|Tu|We|Th|Fr|Sa|Su)-(Mo|Tu|We|Th|Fr|Sa|Su)", chunk):
            a, b = chunk.split("-")
            if _DAY_ORDER.index(b) - _DAY_ORDER.index(a) == 1:
                parts.append(f"le {_DAYS[a]} et le {_DAYS[b]}")
            else:
                parts.append(f"du {_DAYS[a]} au {_DAYS[b]}")
        elif chunk in _DAYS:
            parts.append(f"le {_DAYS[chunk]}")
        else:
            return None
    return " et ".join(parts)


def _times(spec: str) -> str | None:
    spans = []
    for span in spec.split(","):
        m = re.fullmatch(r"(\d\d:\d\d)-(\d\d:\d\d)", span.strip())
        if not m:
            return None
        spans.append(f"de {_time(m.group(1))} à {_time(m.group(2))}")
    return " et ".join(spans)


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
        m = re.fullmatch(r"((?:Mo|Tu|We|Th|Fr|Sa|Su)[A-Za-z,\-]*)\s+(off|closed)", rule)
        if m:
            days = _days(m.group(1))
            if days is None:
                return None
            sentences.append(f"fermé {days}")
            continue
        m = re.fullmatch(r"((?:Mo|Tu|We|Th|Fr|Sa|Su)[A-Za-z,\-]*)\s+([\d:,\- ]+)", rule)
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


def plain(text: str) -> str:
    """HTML-free text for meta descriptions."""
    return html.unescape(re.sub(r"<[^>]+>", "", text)).strip()
