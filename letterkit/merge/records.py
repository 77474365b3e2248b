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
    """The records of a YAML list (or of ``rows: [...]``), numbered from 1, composed and built
    one by one from the parser's events: the file is not held whole. A record that gives a
    key twice, or holds too many values with its aliases written out, fails its row; a
    problem with the file (its syntax, a top-level key given twice, no list) is a SourceError."""
    import yaml

    from ..sources import TOO_DEEP, input_loader, too_deep
    from .text_chunks import Utf8Chunks

    name = str(path)
    with path.open("rb") as handle:
        loader = input_loader()(Utf8Chunks(handle, name))
        try:
            yield from _yaml_document(loader, name)
        except yaml.YAMLError as exc:
            if too_deep(exc):
                raise SourceError(TOO_DEEP, name) from None
            mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
            problem = getattr(exc, "problem", None) or getattr(exc, "context", None) or "syntax error"
            if "another document" in str(problem):  # "---" starts a second document
                problem += "; a client list is one YAML list (or `rows:`), not several documents split by ---"
            where = f" at line {mark.line + 1}" if mark is not None else ""
            raise SourceError(f"is not valid YAML{where}: {problem}", name) from None
        except RecursionError:
            raise SourceError(TOO_DEEP, name) from None
        finally:
            loader.dispose()


_NO_LIST = "must be a YAML list of records (or rows: [...])"


def _yaml_document(loader: Any, name: str) -> Iterator[tuple[int, Any]]:
    """The records of the file's one document: a list, or the list under its ``rows`` key."""
    import yaml

    loader.get_event()  # the stream's start
    if loader.check_event(yaml.StreamEndEvent):  # nothing but blank lines or comments
        raise SourceError("is empty; it needs a YAML list of records, one per client (or rows: [...])", name)
    document = loader.get_event()
    if loader.check_event(yaml.SequenceStartEvent):
        yield from _yaml_list(loader)
    elif loader.check_event(yaml.MappingStartEvent):
        yield from _yaml_rows(loader, name)
    else:
        node = loader.compose_node(None, None)
        if loader.construct_document(node) is None:  # "~" or an empty document
            raise SourceError("is empty; it needs a YAML list of records, one per client (or rows: [...])", name)
        raise SourceError(_NO_LIST, name)
    loader.get_event()  # the document's end
    if not loader.check_event(yaml.StreamEndEvent):  # as yaml's get_single_node says it
        event = loader.get_event()
        raise yaml.composer.ComposerError(
            "expected a single document in the stream", document.start_mark, "but found another document", event.start_mark
        )


def _yaml_list(loader: Any) -> Iterator[tuple[int, Any]]:
    """The records of the list whose start is the next event, each composed, checked and
    built on its own (an alias to an anchor of an earlier record still finds it: the loader
    keeps its anchors)."""
    import yaml

    from ..sources import TOO_MANY_VALUES, too_many_values

    loader.get_event()
    number = 0
    while not loader.check_event(yaml.SequenceEndEvent):
        node = loader.compose_node(None, None)
        number += 1
        found = _key_twice(node)
        if found:
            yield number, Broken(f"the key '{found[0]}' appears twice (line {found[1]}); keep one")
        elif too_many_values(node):
            yield number, Broken(TOO_MANY_VALUES)
        else:
            yield number, loader.construct_document(node)
    loader.get_event()


def _yaml_rows(loader: Any, name: str) -> Iterator[tuple[int, Any]]:
    """The records under the ``rows`` key of the mapping whose start is the next event; its
    other values are composed and checked for keys given twice, and passed over."""
    import yaml

    loader.get_event()
    seen: set[object] = set()
    listed = False
    while not loader.check_event(yaml.MappingEndEvent):
        key = loader.compose_node(None, None)
        if key.value in seen:
            raise SourceError(f"the key '{key.value}' appears twice; keep one", name, key.start_mark.line + 1)
        seen.add(key.value)
        if key.value == "rows" and loader.check_event(yaml.SequenceStartEvent):
            listed = True
            yield from _yaml_list(loader)
            continue
        found = _key_twice(loader.compose_node(None, None), str(key.value))
        if found:
            raise SourceError(f"the key '{found[0]}' appears twice; keep one", name, found[1])
    loader.get_event()
    if not listed:
        raise SourceError(_NO_LIST, name)


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
