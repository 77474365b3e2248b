"""Records of a merge from JSON, JSONL or YAML: each a mapping (nested, or with dotted keys
like a CSV header), numbered as the user finds it: in JSONL the line, in JSON and YAML the
record's place in the list, from 1. A record that cannot be read (a JSONL line that is no
JSON) is a ``Broken`` record carrying the message for its row; a problem with the whole
file is a SourceError.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import SourceError


def json_records(path: Path) -> Iterator[tuple[int, Any]]:
    """The records of a JSON list (or of ``{"rows": [...]}``), numbered from 1."""
    from ..sources import TOO_DEEP, decode_input, json_error, json_number

    text = decode_input(path.read_bytes(), path)  # JSON is UTF-8 (RFC 8259); else the line
    try:
        data = json.loads(text, parse_float=json_number)
    except json.JSONDecodeError as exc:
        message, line = json_error(text, exc)
        raise SourceError(message, str(path), line) from None
    except RecursionError:
        raise SourceError(TOO_DEEP, str(path)) from None
    except ValueError as exc:
        raise SourceError(f"is not valid JSON ({exc})", str(path)) from None
    records = data.get("rows") if isinstance(data, dict) else data
    if not isinstance(records, list):
        raise SourceError('must be a JSON list of records (or {"rows": [...]})', str(path))
    yield from enumerate(records, start=1)


def jsonl_records(path: Path) -> Iterator[tuple[int, Any]]:
    """Each line's record; a line that is not UTF-8 or not JSON is that row's error."""
    from ..sources import TOO_DEEP, json_number

    with path.open("rb") as handle:
        # numbered as a text editor counts lines (a CR alone ends one too), decoded one by one
        lines = (piece for chunk in handle for piece in chunk.splitlines() or [b""])
        for number, raw in enumerate(lines, start=1):
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                yield number, Broken(
                    f"is not UTF-8 text (byte 0x{raw[exc.start]:02X} at column {exc.start + 1}), as JSON "
                    "must be; save the file as UTF-8"
                )
                continue
            if not line.strip():
                continue
            try:
                yield number, json.loads(line, parse_float=json_number)
            except json.JSONDecodeError as exc:  # the position within this line, not the file's
                if exc.pos >= len(line.rstrip()):
                    message = (
                        "the line ends before its JSON record does (a JSONL line holds one whole record)"
                    )
                else:
                    message = f"{exc.msg} at column {exc.pos + 1}"
                yield number, Broken(f"is not valid JSON: {message}")
            except RecursionError:
                yield number, Broken(f"the record {TOO_DEEP}")
            except ValueError as exc:
                yield number, Broken(f"is not valid JSON ({exc})")


class Broken(dict):  # type: ignore[type-arg]
    """A JSONL line that does not parse: validation reports it as the row's error."""

    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


def yaml_records(path: Path) -> Iterator[tuple[int, Any]]:
    """The records of a YAML list (or of ``rows: [...]``), numbered from 1."""
    import yaml

    from ..sources import TOO_DEEP, decode_input, input_loader

    text = decode_input(path.read_bytes(), path)
    try:
        data = yaml.load(text, Loader=input_loader())
    except yaml.YAMLError as exc:
        raise SourceError(f"is not valid YAML ({exc})", str(path)) from None
    except RecursionError:
        raise SourceError(TOO_DEEP, str(path)) from None
    records = data.get("rows") if isinstance(data, dict) else data
    if not isinstance(records, list):
        raise SourceError("must be a YAML list of records (or rows: [...])", str(path))
    yield from enumerate(records, start=1)
