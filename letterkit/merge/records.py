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
    """The records of a JSON list (or of ``{"rows": [...]}``), numbered from 1, read one by
    one (json_stream.py): the file is not held whole."""
    from ..sources import json_number
    from .json_stream import json_list

    decoder = json.JSONDecoder(parse_float=json_number, object_pairs_hook=_object)
    for number, record in enumerate(json_list(path, decoder), start=1):
        yield number, _twice_broken(record)


def jsonl_records(path: Path) -> Iterator[tuple[int, Any]]:
    """Each line's record; a line that is not UTF-8 or not JSON is that row's error."""
    from ..sources import TOO_DEEP, json_number, lone_surrogate

    with path.open("rb") as handle:
        # numbered as a text editor counts lines (a CR alone ends one too), decoded one by one
        lines = (piece for chunk in handle for piece in chunk.splitlines() or [b""])
        for number, raw in enumerate(lines, start=1):
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                where = f"byte 0x{raw[exc.start]:02X} at column {exc.start + 1}"
                yield number, Broken(f"is not UTF-8 text ({where}), as JSON must be; save the file as UTF-8")
                continue
            if not line.strip():
                continue
            try:
                record = json.loads(line, parse_float=json_number, object_pairs_hook=_object)
            except json.JSONDecodeError as exc:  # the position within this line, not the file's
                if exc.pos >= len(line.rstrip()):
                    message = (
                        "the line ends before its JSON record does (a JSONL line holds one whole record)"
                    )
                else:
                    # what to do, too (tester5: "Expecting value at column 1" left it to the user)
                    message = f"{exc.msg} at column {exc.pos + 1}; {_ONE_RECORD}"
                yield number, Broken(f"is not valid JSON: {message}")
            except RecursionError:
                yield number, Broken(f"the record {TOO_DEEP}")
            except ValueError as exc:
                yield number, Broken(f"is not valid JSON ({exc})")
            else:
                lone = lone_surrogate(line, record)
                yield number, Broken(lone) if lone else _twice_broken(record)


_ONE_RECORD = (
    'correct the line: each line holds one JSON object in double quotes, such as {"locale": "de-DE", '
    '"recipient.last_name": "Muster"}'
)


class Broken(dict):  # type: ignore[type-arg]
    """A record that cannot be read (a JSONL line that does not parse, a key given twice):
    validation reports it as the row's error."""

    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


class _Twice(dict):  # type: ignore[type-arg]
    """A JSON object in which a key appears twice, or one inside it does: ``twice`` names
    the key (``end_date``, ``recipient.email``, ``steps_taken[0].kind``)."""

    twice = ""


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object as json.loads builds it (``object_pairs_hook``), marked as a ``_Twice``
    when a key is given twice in it or in an object inside it: JSON would keep the last
    value silently, so an end date or an email address given twice would be a guess."""
    found = dict(pairs)
    twice = ""
    if len(found) < len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                twice = key
                break
            seen.add(key)
    else:
        for key, value in pairs:
            inner = inner_twice(value)
            if inner:
                twice = key + inner
                break
    if not twice:
        return found
    marked = _Twice(found)
    marked.twice = twice
    return marked


def inner_twice(value: Any) -> str:
    """The rest of the path to a key given twice inside ``value`` ('.kind', '[0].kind'), or ''."""
    if type(value) is _Twice:
        return "." + value.twice
    if type(value) is list:
        for index, item in enumerate(value):
            inner = inner_twice(item)
            if inner:
                return f"[{index}]{inner}"
    return ""


def _twice_broken(record: Any) -> Any:
    """A record with a key given twice fails its row, as ``generate`` refuses such an input."""
    if type(record) is _Twice:
        return Broken(f"the key '{record.twice}' appears twice; keep one")
    return record


def yaml_records(path: Path) -> Iterator[tuple[int, Any]]:
    """The records of a YAML list (or of ``rows: [...]``), numbered from 1."""
    import yaml

    from ..sources import TOO_DEEP, TOO_MANY_VALUES, decode_input, input_loader, too_deep

    text = decode_input(path.read_bytes(), path)
    loader = input_loader()(text)
    try:  # composed, checked for keys given twice, then built: yaml.load keeps the last silently
        node = loader.get_single_node()
        twice = _yaml_twice(node, str(path))
        too_many = _too_many(node)
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        if too_deep(exc):
            raise SourceError(TOO_DEEP, str(path)) from None
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or getattr(exc, "context", None) or "syntax error"
        if "another document" in str(problem):  # "---" starts a second document
            problem += "; a client list is one YAML list (or `rows:`), not several documents split by ---"
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise SourceError(f"is not valid YAML{where}: {problem}", str(path)) from None
    except RecursionError:
        raise SourceError(TOO_DEEP, str(path)) from None
    finally:
        loader.dispose()
    records = data.get("rows") if isinstance(data, dict) else data
    if data is None:  # nothing but blank lines or comments
        raise SourceError("is empty; it needs a YAML list of records, one per client (or rows: [...])", str(path))
    if not isinstance(records, list):
        raise SourceError("must be a YAML list of records (or rows: [...])", str(path))
    for number, record in enumerate(records, start=1):
        if number in too_many:
            yield number, Broken(TOO_MANY_VALUES)
        else:
            yield number, Broken(twice[number]) if number in twice else record


def _too_many(root: Any) -> set[int]:
    """The numbers of the records that hold too many values with their aliases written out;
    such a record fails its row, as it holds no letter."""
    import yaml

    from ..sources import too_many_values

    records = root
    if isinstance(root, yaml.MappingNode):
        records = next((value for key, value in root.value if key.value == "rows"), None)
    if not isinstance(records, yaml.SequenceNode):
        return set()
    return {number for number, record in enumerate(records.value, start=1) if too_many_values(record)}


def _yaml_twice(root: Any, name: str) -> dict[int, str]:
    """Record number → the message for a key it gives twice; a key the file's top level
    gives twice (``rows``) is a SourceError."""
    import yaml

    records = root
    known: dict[int, tuple[str, int] | None] = {}  # shared: a node aliased by many records is walked once
    if isinstance(root, yaml.MappingNode):
        found = _key_twice(root, known=known)
        if found:
            raise SourceError(f"the key '{found[0]}' appears twice; keep one", name, found[1])
        records = next((value for key, value in root.value if key.value == "rows"), None)
    if not isinstance(records, yaml.SequenceNode):
        return {}
    twice: dict[int, str] = {}
    for number, record in enumerate(records.value, start=1):
        found = _key_twice(record, known=known)
        if found:
            twice[number] = f"the key '{found[0]}' appears twice (line {found[1]}); keep one"
    return twice


def _key_twice(
    node: Any, path: str = "", known: dict[int, tuple[str, int] | None] | None = None
) -> tuple[str, int] | None:
    """The first key given twice in a mapping node or inside it, and its second line.
    ``known``: what was found in each node gone through, by the node (its path from that
    node): a node that aliases repeat (``*a``) is gone through once, as nested aliases (the
    "billion laughs") would otherwise be gone through once per expanded copy."""
    found = _twice_within(node, {} if known is None else known)
    if found is None:
        return None
    inner, line = found
    return (f"{path}{inner}" if inner.startswith("[") or not path else f"{path}.{inner}"), line


def _twice_within(node: Any, known: dict[int, tuple[str, int] | None]) -> tuple[str, int] | None:
    import yaml

    if not isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
        return None
    if id(node) in known:
        return known[id(node)]
    known[id(node)] = None  # a node inside itself (a recursive alias) adds nothing
    found: tuple[str, int] | None = None
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            if key.value in seen:
                found = str(key.value), key.start_mark.line + 1
                break
            seen.add(key.value)
            inner = _twice_within(value, known)
            if inner:
                joint = "" if inner[0].startswith("[") else "."
                found = f"{key.value}{joint}{inner[0]}", inner[1]
                break
    else:
        for index, item in enumerate(node.value):
            inner = _twice_within(item, known)
            if inner:
                joint = "" if inner[0].startswith("[") else "."
                found = f"[{index}]{joint}{inner[0]}", inner[1]
                break
    known[id(node)] = found
    return found
