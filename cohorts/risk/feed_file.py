"""Reading an offending feed's file: its encoding, its characters and its CSV structure.

Whatever is wrong with a file (not UTF-8, a NUL byte, a value longer than the csv module
reads, a row with more or fewer values than the header) is reported like any other error:
by line and column, with nothing written. Lines are counted as the csv module counts them
(the header is line 1); a column is named from the header, or numbered where the header has
no name for it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

EMPTY_FILE = "The file is empty: its first line must name the columns."


class UnreadableFile(ValueError):
    """The file cannot be read as CSV text; ``errors`` says where, by line and column."""

    def __init__(self, errors: list[dict]):
        self.errors = errors
        super().__init__("; ".join(describe(error) for error in errors))


def describe(error: dict) -> str:
    return f"Line {error['line']}, column {error['column']}: {error['message']}"


def read_text(data: bytes) -> str:
    """The text of an uploaded file (UTF-8, with or without a byte order mark), refused with
    the line and column of the first byte that is not UTF-8, or of each NUL character."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        readable = data[: error.start].decode("utf-8-sig")
        line, column = _position(readable, len(readable))
        byte = data[error.start]
        raise UnreadableFile(
            [
                {
                    "line": line,
                    "column": column,
                    "message": f"Not UTF-8 text (byte 0x{byte:02X}): save the file as "
                    "“CSV UTF-8” and upload it again.",
                }
            ]
        ) from None
    errors = nul_errors(text)
    if errors:
        raise UnreadableFile(errors)
    return text


def nul_errors(text: str) -> list[dict]:
    """One error for each line holding a NUL character, which no column may hold (and which
    the database cannot store)."""
    errors = []
    index = text.find("\0")
    while index != -1:
        line, column = _position(text, index)
        errors.append(
            {
                "line": line,
                "column": column,
                "message": "Contains a NUL character (a zero byte): the file is not CSV text",
            }
        )
        next_line = text.find("\n", index)
        index = -1 if next_line == -1 else text.find("\0", next_line)
    return errors


def rows(text: str, header: list[str], errors: list[dict]) -> Iterator[tuple[int, dict]]:
    """(line, {column: value}) for each row with as many values as the header has columns.

    Rows with more or fewer values are left out with an error; a value the csv module cannot
    read (one over its size limit) ends the reading with an error on its line.
    """
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff")))
    try:
        next(reader)  # the header, already read
        for values in reader:
            line = reader.line_num
            if not any(value.strip() for value in values):
                continue
            if len(values) != len(header):
                errors.append(_wrong_length(line, values, header))
                continue
            yield line, dict(zip(header, values, strict=True))
    except csv.Error as error:
        errors.append(_unreadable(text, reader.line_num, header, error))


def read_header(text: str) -> list[str]:
    first_line = text.removeprefix("\ufeff").partition("\n")[0]
    try:
        return [name.strip() for name in next(csv.reader([first_line.rstrip("\r")]), [])]
    except csv.Error:
        return []


def _wrong_length(line: int, values: list[str], header: list[str]) -> dict:
    counted = f"This row has {len(values)} values; the header names {len(header)} columns."
    if len(values) > len(header):
        return {"line": line, "column": str(len(header) + 1), "message": counted}
    return {"line": line, "column": header[len(values)] or str(len(values) + 1), "message": counted}


def _unreadable(text: str, line: int, header: list[str], error: csv.Error) -> dict:
    """Where the csv module stopped: the first too-long value of the line it was reading."""
    limit = csv.field_size_limit()
    lines = text.removeprefix("\ufeff").split("\n")
    # The csv module may have counted the failing line already, or not yet.
    for number in (line, line + 1):
        if not 1 <= number <= len(lines):
            continue
        values = _split(lines[number - 1])
        for position, value in enumerate(values):
            if len(value) > limit:
                return {
                    "line": number,
                    "column": _column_name(header, position),
                    "message": f"Longer than {limit:,} characters, the most a value may hold.",
                }
    return {"line": line, "column": "", "message": f"Cannot be read as CSV: {error}."}


def _position(text: str, index: int) -> tuple[int, str]:
    """(line, column name) of the character at ``index`` of the file's text."""
    line = text.count("\n", 0, index) + 1
    start = text.rfind("\n", 0, index) + 1
    position = len(_split(text[start:index])) - 1
    return line, _column_name(read_header(text.replace("\0", "")), position)


def _column_name(header: list[str], position: int) -> str:
    if position < len(header) and header[position]:
        return header[position]
    return str(position + 1)


def _split(line: str) -> list[str]:
    """The values of one line, split on the commas outside quotes (quotes kept): enough to
    say which value a character is in, where the csv module itself cannot read the line."""
    values: list[str] = []
    current: list[str] = []
    quoted = False
    for char in line:
        if char == '"':
            quoted = not quoted
        if char == "," and not quoted:
            values.append("".join(current))
            current = []
        else:
            current.append(char)
    values.append("".join(current))
    return values
