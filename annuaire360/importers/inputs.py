"""The importers' input: a file given with --fichier, or downloaded from its official address.

Downloads are https only (plain http only to this machine, for the tests' local server), with a timeout
and a size cap, into a temporary file; every failure is a French ``ImporterError``. A file is opened as
the source publishes it (gzip, a .tar.bz2 archive, or plain) through a reader that refuses to read past a
cap, so that a file ten times bigger than expected, or a compressed bomb, stops with a message rather than
filling the memory or the disk.
"""

from __future__ import annotations

import bz2
import gzip
import io
import json
import shutil
import tarfile
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from .common import ImporterError

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
USER_AGENT = "annuaire360-importeur (+https://github.com/)"


def _mb(size: int) -> str:
    return f"{size / 1_000_000:.1f} Mo".replace(".", ",")


def check_address(url: str) -> None:
    """Only https addresses are fetched (http only on this machine, for tests)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in LOOPBACK):
        return
    raise ImporterError(f"adresse « {url} » refusée : les données ne sont téléchargées qu'en https://")


class _HttpsOnly(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str) -> Any:
        check_address(newurl)  # a redirect to http:// (or elsewhere than https) is refused too
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def download(url: str, folder: Path, *, max_bytes: int, timeout: float) -> Path:
    """Download ``url`` into ``folder``; the file's path. ImporterError (in French) on any problem."""
    check_address(url)
    opener = urllib.request.build_opener(_HttpsOnly)
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    name = Path(urllib.parse.urlsplit(url).path).name or "telechargement"
    target = folder / name
    try:
        with opener.open(request, timeout=timeout) as response, target.open("wb") as out:
            declared = response.headers.get("Content-Length")
            if declared is not None and declared.isdigit() and int(declared) > max_bytes:
                raise ImporterError(f"le fichier de {url} fait {_mb(int(declared))}, bien plus que prévu "
                                    f"({_mb(max_bytes)} au plus) : téléchargement refusé ; vérifiez l'adresse")
            size = 0
            while chunk := response.read(1 << 16):
                size += len(chunk)
                if size > max_bytes:
                    raise ImporterError(f"le fichier de {url} dépasse {_mb(max_bytes)}, bien plus que prévu : "
                                        "téléchargement arrêté ; vérifiez l'adresse")
                out.write(chunk)
            if declared is not None and declared.isdigit() and size != int(declared):
                raise ImporterError(f"téléchargement incomplet de {url} ({size} octets reçus sur {declared}) : "
                                    "relancez l'import plus tard")
    except urllib.error.HTTPError as exc:
        raise ImporterError(f"le serveur de {url} a répondu « {exc.code} {exc.reason} » : rien n'a été importé ; "
                            "relancez plus tard, ou téléchargez le fichier à la main et passez-le avec --fichier") from None
    except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
        reason = getattr(exc, "reason", exc)
        raise ImporterError(f"impossible de joindre {url} ({reason}) : êtes-vous connecté à internet ? Rien n'a été "
                            "importé ; vous pouvez aussi télécharger le fichier à la main et le passer avec --fichier") from None
    return target


def download_json(url: str, *, max_bytes: int, timeout: float) -> Any:
    """A small JSON document (an API's answer)."""
    with tempfile.TemporaryDirectory(prefix="annuaire360-") as folder:
        path = download(url, Path(folder), max_bytes=max_bytes, timeout=timeout)
        try:
            return json.loads(path.read_bytes())
        except ValueError:
            raise ImporterError(f"la réponse de {url} n'est pas du JSON lisible : réessayez plus tard") from None


class CappedReader(io.RawIOBase):
    """A binary stream that refuses to give more than ``limit`` bytes (after decompression)."""

    def __init__(self, raw: IO[bytes] | gzip.GzipFile | bz2.BZ2File, limit: int, name: str) -> None:
        self.raw, self.limit, self.name, self.count = raw, limit, name, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.raw.read(len(buffer))
        self.count += len(data)
        if self.count > self.limit:
            raise ImporterError(f"« {self.name} » dépasse {_mb(self.limit)} une fois décompressé, dix fois ce qui est "
                                "attendu : ce n'est sans doute pas le bon fichier ; rien n'a été importé")
        buffer[: len(data)] = data
        return len(data)


@contextmanager
def open_input(path: Path, *, max_bytes: int, member_suffix: str = "") -> Iterator[IO[bytes]]:
    """Open a source file as published: gzip, .tar.bz2 (the member whose name ends with ``member_suffix``), bz2 or
    plain; the stream stops with ImporterError past ``max_bytes``."""
    try:
        with path.open("rb") as head_stream:
            head = head_stream.read(262)
    except OSError as exc:
        raise ImporterError(f"fichier « {path} » illisible ({exc.strerror}) : vérifiez le chemin donné à --fichier") from None
    try:
        if head.startswith(b"\x1f\x8b"):
            with gzip.open(path, "rb") as stream:
                yield io.BufferedReader(CappedReader(stream, max_bytes, path.name))
        elif head.startswith(b"BZh") and tarfile.is_tarfile(path):
            with tarfile.open(path, "r:bz2") as archive:
                member = next((m for m in archive.getmembers() if m.isfile() and m.name.endswith(member_suffix)), None)
                extracted = archive.extractfile(member) if member is not None else None
                if extracted is None:
                    raise ImporterError(f"l'archive « {path.name} » ne contient pas de fichier « …{member_suffix} » : "
                                        "ce n'est pas l'export attendu")
                yield io.BufferedReader(CappedReader(extracted, max_bytes, path.name))
        elif head.startswith(b"BZh"):
            with bz2.open(path, "rb") as stream:
                yield io.BufferedReader(CappedReader(stream, max_bytes, path.name))
        else:
            with path.open("rb") as stream:
                yield io.BufferedReader(CappedReader(stream, max_bytes, path.name))
    except (OSError, EOFError, tarfile.TarError, gzip.BadGzipFile) as exc:
        raise ImporterError(f"« {path.name} » est abîmé ou incomplet ({exc}) : téléchargez-le à nouveau") from None


def copy_to(stream: IO[bytes], target: Path) -> None:
    with target.open("wb") as out:
        shutil.copyfileobj(stream, out)
