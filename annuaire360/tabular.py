"""CSV files that spreadsheets open safely, and that read back exactly as they were written.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a formula to a spreadsheet
(« CSV injection »): as OWASP recommends, such a cell is written with a leading single quote, and every cell is
quoted. A cell that already starts with a quote gets one more, so that :func:`read_cell` undoes
:func:`safe_cell` exactly. UTF-8 with a byte order mark (spreadsheets then read accents), CRLF line ends.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet read a cell as a formula (OWASP, « CSV Injection »)."""
QUOTE = "'"


def safe_cell(value: str) -> str:
    """The cell as written: a formula-looking (or quote-led) value gets a leading single quote."""
    return QUOTE + value if value.startswith((*FORMULA_STARTS, QUOTE)) else value


def read_cell(value: str) -> str:
    """The value a written cell stands for: :func:`safe_cell` undone (a lone quote stays)."""
    rest = value[1:]
    return rest if value.startswith(QUOTE) and rest.startswith((*FORMULA_STARTS, QUOTE)) else value


def write_csv(header: list[str], rows: Iterable[Iterable[str]]) -> bytes:
    """A whole CSV file: a header, then rows, every cell made safe and quoted."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def read_csv(text: str) -> Iterator[tuple[int, list[str]]]:
    """Each row of a CSV text (byte order mark dropped) with the line it starts on, cells as they stand for."""
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    line = 1
    for row in reader:
        yield line, [read_cell(cell) for cell in row]
        line = reader.line_num + 1
