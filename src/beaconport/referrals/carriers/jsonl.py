"""JSON Lines: one referral object per line, read a line at a time so files of any size stream."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from functools import partial
from pathlib import Path
from typing import Any, BinaryIO

from beaconport.referrals.carriers.base import Limits, RawReferral, UnreadableFile
from beaconport.referrals.problems import Problem

_BOM = b"\xef\xbb\xbf"
#: How much of an over-long line the quarantine keeps.
_KEPT_BYTES = 64 * 1024
_CHUNK = 1024**2

#: json's own messages, in words a force analyst can act on.
_JSON_MESSAGES = {
    "Expecting value": "a value is missing or is not valid JSON",
    "Expecting property name enclosed in double quotes": (
        "a field name in double quotes should come here (look for a doubled comma, a comma "
        "before a closing brace, or a name in single quotes)"
    ),
    "Expecting ',' delimiter": "a comma is missing between two values",
    "Expecting ':' delimiter": "a colon (:) is missing after a field name",
    "Invalid control character at": (
        "a text value holds a control character such as a tab; write it as \\t"
    ),
    "Invalid \\escape": "a backslash (\\) in a text value is not a valid escape; write it as \\\\",
    "Invalid \\uXXXX escape": "a \\u escape in a text value is not four hexadecimal digits",
    "Extra data": "more follows the end of the referral object; put one referral on each line",
}


def read_jsonl(path: Path, limits: Limits) -> Iterator[RawReferral]:
    """Yield one RawReferral per non-blank line; raise UnreadableFile for an empty file."""
    with path.open("rb") as stream:
        if stream.read(4) == b"PK\x03\x04":
            raise UnreadableFile(
                "corrupt_file",
                f"{path.name} is a workbook or zip file, not JSON Lines. Give it the right "
                "extension (.xlsx, .ods or .zip) and import it again.",
            )
        stream.seek(0)
        found = False
        for number, line, total in _lines(stream, limits.max_line_bytes):
            if number == 1 and line.startswith(_BOM):
                line = line[len(_BOM) :]
                total -= len(_BOM)
            if not line.strip():
                continue
            found = True
            if total > limits.max_line_bytes:
                yield _too_long(number, line[:_KEPT_BYTES], total, limits.max_line_bytes)
            else:
                yield _referral(number, line)
    if not found:
        raise UnreadableFile(
            "empty_file",
            f"{path.name} holds no referrals: it is empty or every line is blank. "
            "Check that the export finished, then send the file again.",
        )


def write_jsonl(documents: Iterable[Mapping[str, Any]], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as out:
        for document in documents:
            out.write(json.dumps(document, ensure_ascii=False))
            out.write("\n")


def count_lines(path: Path) -> int:
    """Count lines cheaply (blank ones included) for a progress bar."""
    count = 0
    last = b"\n"
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            count += chunk.count(b"\n")
            last = chunk[-1:]
    return count + (last != b"\n")


def locate_in_line(number: int, json_path: str) -> str:
    return f"line {number}: {json_path}" if json_path else f"line {number}"


def _lines(stream: BinaryIO, limit: int) -> Iterator[tuple[int, bytes, int]]:
    """Yield (line number, line without its ending, length in bytes).

    A line over ``limit`` is cut to its first 64 KiB and the rest skipped a chunk at a time, so
    a hostile line of gigabytes is never held in memory; its full length is still counted.
    """
    number = 0
    # limit + 2 leaves room for a CRLF ending on a line of exactly ``limit`` bytes.
    while chunk := stream.readline(limit + 2):
        number += 1
        if len(chunk) > limit + 1 and not chunk.endswith(b"\n"):
            total = len(chunk)
            kept = chunk[:_KEPT_BYTES]
            while rest := stream.readline(_CHUNK):
                if rest.endswith(b"\n"):
                    total += len(rest.rstrip(b"\r\n"))
                    break
                total += len(rest)
            yield number, kept, total
            continue
        line = chunk.rstrip(b"\r\n") if chunk.endswith(b"\n") else chunk
        yield number, line, len(line)


def _referral(number: int, line: bytes) -> RawReferral:
    position = f"line {number}"
    locate = partial(locate_in_line, number)
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as error:
        bad = line[error.start : error.start + 1].hex().upper()
        message = (
            f"Line {number} is not UTF-8 text: byte 0x{bad} at position {error.start + 1} of the "
            "line is not valid UTF-8 (often a £ sign or an accented letter saved as "
            "Windows-1252/ANSI). Save the file as UTF-8 and send it again."
        )
        return _refused(number, line.decode("utf-8", errors="backslashreplace"), "not_utf8",
                        message)
    document, code, why = parse_object(text)
    if code == "invalid_json":
        return _bad_json(number, text, why)
    if document is None:
        message = (
            f"Line {number} holds {why}, not a referral object. Each line must be one referral "
            "written as a JSON object ({...})."
        )
        return _refused(number, text, "not_an_object", message)
    return RawReferral(document=document, raw_text=text, position=position, locate=locate)


def parse_object(text: str) -> tuple[dict[str, Any] | None, str, str]:
    """One referral's JSON text, read: (the object, "", "") or (None, the problem code, why in
    words). Shared by JSON Lines files and the API, so both refuse the same things alike."""
    try:
        document = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        return None, "invalid_json", _json_error(text, error)
    except RecursionError:
        return None, "invalid_json", "the JSON is nested too deeply to read"
    except ValueError as error:  # NaN/Infinity, or a number with thousands of digits
        return None, "invalid_json", str(error)
    if not isinstance(document, dict):
        return None, "not_an_object", _kind(document)
    return document, "", ""


def _too_long(number: int, kept: bytes, total: int, limit: int) -> RawReferral:
    note = (
        f"\n[line cut short by import: it is {total:,} bytes long; "
        f"only the first {len(kept):,} bytes are kept]"
    )
    message = (
        f"Line {number} is {total:,} bytes long, more than the {limit:,} import accepts for one "
        "referral. Check that each referral is on its own line, or shorten the summary."
    )
    return _refused(number, kept.decode("utf-8", errors="backslashreplace") + note,
                    "line_too_long", message)


def _bad_json(number: int, text: str, why: str) -> RawReferral:
    return _refused(number, text, "invalid_json", f"Line {number} is not valid JSON: {why}.")


def _refused(number: int, raw_text: str, code: str, message: str) -> RawReferral:
    """A line that holds no referral object: kept verbatim, with the one problem that says why."""
    position = f"line {number}"
    return RawReferral(
        document=None,
        raw_text=raw_text,
        position=position,
        problems=[Problem(code, position, message)],
        locate=partial(locate_in_line, number),
    )


def _json_error(text: str, error: json.JSONDecodeError) -> str:
    # A line that stops inside a string or before the closing brace was cut short, not mistyped.
    if error.msg.startswith("Unterminated string") or error.pos >= len(text.rstrip()):
        return (
            "the line ends before the JSON object is complete "
            f"(character {len(text.rstrip())}); it may have been cut short"
        )
    why = _JSON_MESSAGES.get(error.msg, error.msg)
    return f"{why} (character {error.pos + 1})"


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a valid JSON value")


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "a list ([...])"
    if isinstance(value, str):
        return "a text value"
    if isinstance(value, bool):
        return "true or false"
    if value is None:
        return "null"
    return "a number"
