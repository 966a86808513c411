"""One hierarchy for every failure the pipeline turns into a French message (never a traceback).

``AnnuaireError`` is what a stage raises when it cannot go on; the pipeline catches it at the stage
boundary and reports it, located when the error knows where. Anything else is a bug (exit 3).
"""

from __future__ import annotations


class AnnuaireError(Exception):
    """A failure the pipeline reports in French; ``message`` is the text shown."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class LoadError(AnnuaireError):
    """A problem that stops reading a file, with its position (1-based line and column)."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.line, self.column = line, column


class UrlCollisionError(AnnuaireError):
    """Two pages would be written to the same URL (or a page inside a folder the build writes itself)."""

    def __init__(self, url: str, first: str, second: str, at: tuple[int, int] = (1, 1)) -> None:
        super().__init__(f"deux pages auraient la même adresse {url} : {first} et {second}")
        self.url, self.first, self.second = url, first, second
        self.at = at  # line and column in the second file where its address is decided


class WriteError(AnnuaireError):
    """The output cannot be written safely (a file written twice, a folder we did not make)."""


class OutputFolderError(WriteError):
    """The output folder cannot be used at all (a file, or a folder this generator did not make): nothing was
    started, nothing was touched."""


class PagefindError(AnnuaireError):
    """Pagefind failed; the build stops and the published site is left as it was."""


class GuideError(AnnuaireError):
    """The guide cannot be updated (its markers are missing or repeated)."""
