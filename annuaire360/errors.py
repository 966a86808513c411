"""One hierarchy for every failure the pipeline turns into a French message (never a traceback).

``AnnuaireError`` is what a stage raises when it cannot go on; the pipeline catches it at the stage
boundary and reports it, located when the error knows where. Anything else is a bug (exit 3).
"""

from __future__ import annotations

import errno


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
        self.syntax = False  # a YAML syntax error (as opposed to one of the loader's own refusals)


class UrlCollisionError(AnnuaireError):
    """Two pages would be written to the same URL (or a page inside a folder the build writes itself)."""

    def __init__(self, url: str, first: str, second: str, at: tuple[int, int] = (1, 1)) -> None:
        super().__init__(f"deux pages auraient la même adresse {url} : {first} et {second}")
        self.url, self.first, self.second = url, first, second
        self.at = at  # line and column in the second file where its address is decided


class WriteError(AnnuaireError):
    """The output cannot be written safely (a file written twice, a folder we did not make)."""


class PageError(WriteError):
    """A page cannot be made because of what its source file says: reported on that file (``origin``, ``at``),
    never on the output folder."""

    def __init__(self, message: str, origin: str, at: tuple[int, int] = (1, 1)) -> None:
        super().__init__(message)
        self.origin, self.at = origin, at


class OutputFolderError(WriteError):
    """The output folder cannot be used at all (a file, or a folder this generator did not make): nothing was
    started, nothing was touched."""


class PagefindError(AnnuaireError):
    """Pagefind failed; the build stops and the published site is left as it was."""


class GuideError(AnnuaireError):
    """The guide cannot be updated (its markers are missing or repeated)."""


class Interrupted(Exception):  # noqa: N818 (not an error: a newer request made this work useless)
    """Work stopped on purpose before its end (the preview drops the rendering of a save a newer save replaced).
    Not an ``AnnuaireError``: nothing went wrong, and nothing is reported."""


_SYSTEM_MESSAGES = {
    errno.EACCES: "permission refusée",
    errno.EPERM: "opération non permise",
    errno.ENOENT: "fichier ou dossier introuvable",
    errno.EISDIR: "c'est un dossier, pas un fichier",
    errno.ENOTDIR: "un élément du chemin n'est pas un dossier",
    errno.ELOOP: "trop de liens symboliques (une boucle ?)",
    errno.ENAMETOOLONG: "nom de fichier trop long",
    errno.ENOSPC: "plus de place sur le disque",
    errno.EDQUOT: "quota de disque dépassé",
    errno.EROFS: "disque en lecture seule",
    errno.EIO: "erreur de lecture ou d'écriture du disque",
    errno.EEXIST: "le fichier existe déjà",
    errno.ENOTEMPTY: "le dossier n'est pas vide",
    errno.EBUSY: "fichier ou dossier occupé par un autre programme",
    errno.EMFILE: "trop de fichiers ouverts",
    errno.ENXIO: "périphérique absent",
    errno.ENODEV: "périphérique absent",
    errno.EXDEV: "déplacement impossible d'un disque à un autre",
    errno.ETXTBSY: "fichier occupé par un autre programme",
    errno.EINVAL: "opération impossible sur ce fichier",
}
"""The system errors a contributor or a maintainer may meet, in French (the system says them in English)."""


def system_message(exc: OSError) -> str:
    """What went wrong, in French, for an error of the operating system (« permission refusée »)."""
    known = _SYSTEM_MESSAGES.get(exc.errno) if exc.errno is not None else None
    if known is not None:
        return known
    code = errno.errorcode.get(exc.errno, "") if exc.errno is not None else ""
    return f"erreur du système{f' ({code})' if code else ''}"
