"""Render a plan's pages on several cores: the pages are shared out between forked processes.

Each page renders from the model, the shared context and its own context only (``render.PagePlan``), so a
process renders its share of the pages to the very bytes one process would, and the parent puts every page
back in the plan's order: the site is byte for byte the same whatever the number of processes (tested).
A child never reports an error itself: it says that its share failed, and the parent renders that share
again, where the error is raised with its own traceback (a template's line) and reported like any other.

Fork only (Linux, macOS): the children inherit the plan without copying it. Elsewhere, or for a small
site where starting processes costs more than it saves, the pages are rendered in this process.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
from collections.abc import Sequence

from .render import Family, Page, PagePlan

MIN_PAGES_PER_PROCESS = 400
"""Below this many pages for each process, forking costs more than it saves (the real data has ~1,600)."""


def workers_for(pages: int, wanted: int, min_pages: int = MIN_PAGES_PER_PROCESS) -> int:
    """How many processes to render ``pages`` pages with, at most ``wanted``: 1 where fork is missing or the
    site is small (fewer than ``min_pages`` for each)."""
    if not hasattr(os, "fork"):
        return 1
    return max(1, min(wanted, pages // min_pages))


def render_shares(plan: PagePlan, workers: int, min_pages: int = MIN_PAGES_PER_PROCESS) -> list[str | bytes]:
    """Every planned page's HTML, in the plan's order; pages rendered by ``workers`` processes (this one
    included), each with ``min_pages`` pages at least. Pages rendered by a child come back as UTF-8 bytes,
    the others as text."""
    pages = plan.pages
    count = workers_for(len(pages), workers, min_pages)
    if count == 1:
        return [plan.render(family, page) for family, page in pages]
    # One page of each family first, here: templates compiled and caches filled once, before the children
    # inherit them, rather than once in every process.
    firsts = {family.template: (family, page) for family, page in reversed(pages)}
    for family, page in firsts.values():
        plan.render(family, page)
    shares = [pages[n::count] for n in range(count)]  # interleaved: every share gets some of each family
    gc.freeze()  # the children's collector then leaves the inherited objects alone: no copy of their pages
    try:
        running = [_fork(plan, share) for share in shares[1:]]
    finally:
        gc.unfreeze()
    html: list[Sequence[str | bytes]] = []
    try:
        html.append([plan.render(family, page) for family, page in shares[0]])
        for share in shares[1:]:
            received = _received(*running.pop(0))
            html.append(received if received is not None else [plan.render(family, page) for family, page in share])
    finally:  # on an error here, the children still running are of no use
        for pid, reader in running:
            _stop(pid, reader)
    ordered: list[str | bytes] = [""] * len(pages)
    for n, share_html in enumerate(html):
        ordered[n::count] = share_html
    return ordered


def _received(pid: int, reader: int) -> list[bytes] | None:
    """What a child sent: its pages, or None when its share failed (rendered again here)."""
    with os.fdopen(reader, "rb") as stream:
        received = stream.read()
    os.waitpid(pid, 0)
    return pickle.loads(received) if received else None  # our own child, through our own pipe


def _stop(pid: int, reader: int) -> None:
    """End a child whose pages are no longer wanted, and reap it."""
    try:
        os.close(reader)
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except OSError:
        pass  # already gone


def _fork(plan: PagePlan, share: Sequence[tuple[Family, Page]]) -> tuple[int, int]:
    """Start a child that renders ``share`` and writes the pages (pickled bytes, or nothing on failure) to a
    pipe; the child's pid and the pipe's reading end."""
    reader, writer = os.pipe()
    pid = os.fork()
    if pid:
        os.close(writer)
        return pid, reader
    os.close(reader)  # the child: render, write, leave without running the parent's exit handlers
    status = 0
    try:
        data = pickle.dumps([plan.render(family, page).encode() for family, page in share], pickle.HIGHEST_PROTOCOL)
    except BaseException:  # the parent renders this share again and reports the error
        data, status = b"", 1
    try:
        with os.fdopen(writer, "wb") as stream:
            stream.write(data)
    finally:
        os._exit(status)
