"""Read one input file (YAML or JSON) into a dict, with the line of every field.

Line numbers let validation say ``client.yaml: line 12: recipient.gender: ...``. A file
that is no text at all (a Word or Excel file under another name, a program) is named for
what it is, since saving it "as UTF-8" would not help (``not_text``).
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from functools import cache
from pathlib import Path
from typing import Any

from .errors import SourceError

MAX_INPUT_BYTES = 5_000_000


def read_input(path: str | Path) -> tuple[Any, dict[str, int]]:
    """Parse a YAML or JSON input file; returns the data and a path → line map."""
    path = Path(path)
    text = _read_text(path)
    if path.suffix.lower() == ".json":
        data = _parse_json(text, str(path))
        try:
            return data, json_lines(text, str(path))
        except RecursionError:
            raise SourceError(TOO_DEEP, str(path)) from None
    return parse_yaml(text, str(path))


# Lists or mappings nested hundreds of levels deep: no input is (a record's fields go a few
# levels deep), and parsing them would exhaust the stack, so they are refused.
TOO_DEEP = (
    "holds lists or mappings nested hundreds of levels deep, which no input needs (its fields "
    "go a few levels deep); the file is probably damaged or made for another program"
)

# The values an input, or a record of a YAML client list, may hold with its aliases written
# out: a letter's input holds a few dozen; nested aliases (the "billion laughs") hold 9^9
# in a few lines, which every reader of the values would go through one by one.
MAX_VALUES = 10_000
TOO_MANY_VALUES = (
    f"its YAML aliases (*name) repeat values more than {MAX_VALUES:,} times over, which no input "
    "needs (a letter's input holds a few dozen values): write the values out, or use fewer aliases"
)


def too_many_values(node: Any, limit: int = MAX_VALUES) -> bool:
    """Whether a composed YAML node holds more than ``limit`` values with its aliases
    written out. Each node is counted once, with the count of its items (an alias repeats
    a node: its count is added again, not its items gone through again)."""
    import yaml

    counts: dict[int, int] = {}

    def count(node: Any) -> int:
        known = counts.get(id(node))
        if known is not None:
            return known
        counts[id(node)] = 1  # a node inside itself (a recursive alias) adds nothing more
        total = 1
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                total += count(key) + count(value)
                if total > limit:
                    break
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                total += count(item)
                if total > limit:
                    break
        counts[id(node)] = total = min(total, limit + 1)
        return total

    return node is not None and count(node) > limit


def _read_text(path: Path) -> str:
    try:
        if path.stat().st_size > MAX_INPUT_BYTES:
            raise SourceError("the file is larger than 5 MB; an input describes one letter", str(path))
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SourceError("no such file; check the path", str(path)) from None
    except IsADirectoryError:
        raise SourceError("is a folder, not an input file", str(path)) from None
    except OSError as exc:
        raise SourceError(f"cannot be read ({exc.strerror})", str(path)) from None
    return decode_input(raw, path)


def decode_input(raw: bytes, path: Path, name: str | None = None) -> str:
    """An input's bytes as text (UTF-8, with or without a byte-order mark), or a SourceError
    named ``name`` (the path by default; "<stdin>" for standard input) with the line of
    the first byte that is not UTF-8."""
    name = name or str(path)
    problem = not_text(raw[:HEAD_BYTES], path, "a YAML or JSON input")
    if problem:
        raise SourceError(problem, name)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SourceError("is not UTF-8 text; save it as UTF-8", name, line) from None


HEAD_BYTES = 4096  # enough of a file's start to tell binary data from text
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# Control bytes text hardly holds; binary data is full of them (random bytes: one in
# nine). More than one in 20 with a NUL among them is binary.
_TEXT_CONTROLS = bytes(b for b in range(32) if b not in (9, 10, 12, 13)) + b"\x7f"
_NOT_TEXT_ADVICE = {
    "CSV": "export the client list as CSV (in Excel: CSV UTF-8) or as an .xlsx workbook",
    "a YAML or JSON input": "one letter is described in a YAML or JSON file (letterkit new writes a starter)",
}


def not_text(head: bytes, path: Path, expected: str) -> str | None:
    """Why a file whose first bytes are ``head`` is not text at all, or None if it may be.

    ``expected`` is what the file should be ("CSV" or "a YAML or JSON input"). A ZIP package
    is named as the Excel workbook or Word document it usually is (an .xlsx saved with a .csv
    name is a common mistake); NUL bytes among many control bytes mean binary data, NUL bytes
    in every other byte UTF-16 without its byte-order mark."""
    advice = _NOT_TEXT_ADVICE.get(expected, f"save it as {expected} text (UTF-8)")
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_kind(path, expected, advice)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):  # the container of .xls and .doc
        fix = "save it from Excel as CSV UTF-8 or .xlsx" if expected == "CSV" else advice
        return f"is an old Excel (.xls) or Word (.doc) file, not {expected}; {fix}"
    if head.startswith(b"%PDF-"):
        return f"is a PDF, not {expected}; {advice}"
    if b"\x00" not in head or head.startswith(_UTF16_BOMS):
        return None
    if _utf16_without_bom(head):
        return "is UTF-16 text without a byte-order mark; save it as UTF-8" + (
            " (in Excel: CSV UTF-8)" if expected == "CSV" else ""
        )
    if len(head.translate(None, _TEXT_CONTROLS)) < len(head) - len(head) // 20:
        return f"is not a text file (it holds binary data), so it cannot be {expected}; {advice}"
    return None  # text with a stray control character: the field it is in is reported


def _utf16_without_bom(head: bytes) -> bool:
    """Text in UTF-16 has a NUL in every other byte (Latin script) and almost none between."""
    even, odd = head[0::2], head[1::2]
    for zeros, others in ((odd, even), (even, odd)):
        if zeros and zeros.count(0) >= 0.9 * len(zeros) and others.count(0) <= 0.1 * len(others):
            return True
    return False


def _zip_kind(path: Path, expected: str, advice: str) -> str:
    """What a ZIP package is, by its parts: an Excel workbook, a Word document, or unknown."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        names = []
    if any(name.startswith("xl/") for name in names):
        if expected == "CSV":
            return (
                "is an Excel workbook (.xlsx), not CSV text; rename it to .xlsx (letterkit merge "
                "reads workbooks) or save it from Excel as CSV UTF-8"
            )
        return f"is an Excel workbook (.xlsx), not {expected}; a client list goes to letterkit merge"
    if any(name.startswith("word/") for name in names):
        return f"is a Word document (.docx), not {expected}; {advice}"
    if "content.xml" in names:  # OpenDocument: told to rename it to .xlsx, it went in circles (tester7)
        if expected == "CSV":
            return (
                "is an OpenDocument file (.ods, LibreOffice's own), not CSV text; save it from LibreOffice "
                "as Excel 2007-365 (.xlsx) or as Text CSV (UTF-8) and merge that file"
            )
        return f"is an OpenDocument file (.ods or .odt, LibreOffice's own), not {expected}; {advice}"
    return (
        f"is a ZIP archive, perhaps an Excel or Word file, not {expected}; if it is an Excel "
        "workbook, rename it to .xlsx or save it from Excel as CSV UTF-8"
    )


# "1.190" or "12.500": a number with three decimals after a dot, which YAML and JSON read as
# 1.19 and 12.5, though in German, Austrian or Swiss writing it is 1190 and 12500. It is kept
# as typed, and the amount check reads it as the letter's locale writes numbers, as it reads
# the quoted "1.190" (an ambiguous "1.000" in an English letter is an error, not £1.00).
_THREE_DECIMALS = re.compile(r"-?[1-9][0-9]{0,2}\.[0-9]{3}")  # 0.500 is no thousands group


def json_number(text: str) -> float | str:
    """A JSON number with a fraction as ``json.loads(parse_float=...)`` gives it: a float, or
    the text as typed for three decimals after a dot (``_THREE_DECIMALS``)."""
    return text if _THREE_DECIMALS.fullmatch(text) else float(text)


def _parse_json(text: str, name: str) -> Any:
    try:
        data = json.loads(text, parse_float=json_number)
    except json.JSONDecodeError as exc:
        message, line = json_error(text, exc)
        raise SourceError(message, name, line) from None
    except RecursionError:
        raise SourceError(TOO_DEEP, name) from None
    lone = lone_surrogate(text, data)
    if lone:
        raise SourceError(lone, name)
    return data


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def lone_surrogate(text: str, data: Any) -> str | None:
    """What is wrong with JSON whose text escapes half of a UTF-16 pair alone (``\\ud800``):
    ``json.loads`` makes it a character that no file can hold, and writing the letter or
    its file name failed with a traceback (tester10); None when there is none."""
    if not _SURROGATE_ESCAPE.search(text):  # a pair (an emoji) is one character once read
        return None
    found = _surrogate_in(data)
    if found is None:
        return None
    return (
        f"holds the escape \\u{ord(found):04x}, one half of a UTF-16 pair without the other: no "
        "character; write the character itself (JSON is UTF-8), or remove the escape"
    )


def _surrogate_in(data: Any) -> str | None:
    if isinstance(data, str):
        match = _SURROGATE.search(data)
        return match.group() if match else None
    items = (
        [*data.keys(), *data.values()] if isinstance(data, dict) else data if isinstance(data, list) else ()
    )
    for item in items:
        found = _surrogate_in(item)
        if found is not None:
            return found
    return None


def json_error(text: str, exc: json.JSONDecodeError) -> tuple[str, int]:
    """What a JSON error says, and its line. A comma after the last entry of an object or a
    list, the commonest slip (YAML, JavaScript and Python allow it), is named at the comma's
    line, not at the bracket the parser stumbled on."""
    before = text[: exc.pos].rstrip()
    if before.endswith(",") and text[exc.pos : exc.pos + 1] in ("}", "]"):
        comma = len(before) - 1
        line = text.count("\n", 0, comma) + 1
        column = comma - (text.rfind("\n", 0, comma) + 1) + 1
        return (
            f"is not valid JSON: a comma after the last entry (column {column}); JSON allows none "
            "before a closing } or ]: remove it",
            line,
        )
    return f"is not valid JSON: {exc.msg} (column {exc.colno})", exc.lineno


_JSON_SPACE = re.compile(r"[ \t\n\r]*")
_JSON_SCALAR = re.compile(r"[^,\]}\s]+")  # a number, true, false, null (NaN: Python's json reads it)


def json_lines(text: str, name: str = "input") -> dict[str, int]:
    """The line of every field of a JSON text that parses (``recipient.city``,
    ``steps_taken[0]``), as ``parse_yaml`` gives for YAML, so an error in a JSON input
    names its line too. A key that appears twice in one object is an error: JSON would
    keep the last silently."""
    from json.decoder import scanstring  # type: ignore[attr-defined]  # in the module, not its stubs

    lines: dict[str, int] = {}
    starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line_of(pos: int) -> int:
        return bisect_right(starts, pos)

    def value(pos: int, path: str) -> int:
        pos = _JSON_SPACE.match(text, pos).end()  # type: ignore[union-attr]
        char = text[pos]
        if char == "{":
            pos = _JSON_SPACE.match(text, pos + 1).end()  # type: ignore[union-attr]
            seen: set[str] = set()
            while text[pos] != "}":
                key, end = scanstring(text, pos + 1)
                sub = f"{path}.{key}" if path else key
                if key in seen:
                    raise SourceError(f"the key '{sub}' appears twice; keep one", name, line_of(pos))
                seen.add(key)
                lines[sub] = line_of(pos)
                pos = _JSON_SPACE.match(text, end).end() + 1  # type: ignore[union-attr]  # the ':'
                pos = _JSON_SPACE.match(text, value(pos, sub)).end()  # type: ignore[union-attr]
                if text[pos] == ",":
                    pos = _JSON_SPACE.match(text, pos + 1).end()  # type: ignore[union-attr]
            return pos + 1
        if char == "[":
            pos = _JSON_SPACE.match(text, pos + 1).end()  # type: ignore[union-attr]
            index = 0
            while text[pos] != "]":
                sub = f"{path}[{index}]"
                lines[sub] = line_of(pos)
                pos = _JSON_SPACE.match(text, value(pos, sub)).end()  # type: ignore[union-attr]
                if text[pos] == ",":
                    pos = _JSON_SPACE.match(text, pos + 1).end()  # type: ignore[union-attr]
                index += 1
            return pos + 1
        if char == '"':
            return int(scanstring(text, pos + 1)[1])
        return _JSON_SCALAR.match(text, pos).end()  # type: ignore[union-attr]

    value(1 if text.startswith("\ufeff") else 0, "")
    return lines


@cache
def input_loader() -> Any:
    """The YAML loader for input: safe (libyaml when available), and a number written with a
    leading zero stays text as typed. YAML 1.1 reads ``postal_code: 01067`` as the octal
    number 567, which no user means: a postcode, a customer number or a reference. So does a
    number with three decimals (``amount: 1.190``, see ``_THREE_DECIMALS``). A date that does
    not exist (2026-02-30) stays text too, for the input check to report.

    With libyaml, its parser is used with PyYAML's own composer: libyaml's composer recurses
    in C and crashes the interpreter (a segmentation fault) on lists nested some 30,000
    levels deep, where Python's raises RecursionError, reported as ``TOO_DEEP``."""
    import yaml

    base: Any = yaml.SafeLoader
    if getattr(yaml, "__with_libyaml__", False):
        from yaml._yaml import CParser  # events at C speed, without recursion
        from yaml.composer import Composer
        from yaml.constructor import SafeConstructor
        from yaml.resolver import Resolver

        def init(self: Any, stream: Any) -> None:
            CParser.__init__(self, stream)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)

        base = type("SafeLoader", (Composer, CParser, SafeConstructor, Resolver), {"__init__": init})

    def integer(loader: Any, node: Any) -> Any:
        text = loader.construct_scalar(node)
        if len(text) > 1 and text[0] == "0" and text.replace("_", "").isdigit():
            return text
        return yaml.SafeLoader.construct_yaml_int(loader, node)

    def floating(loader: Any, node: Any) -> Any:
        text = loader.construct_scalar(node)
        if _THREE_DECIMALS.fullmatch(text.replace("_", "")):
            return text
        return yaml.SafeLoader.construct_yaml_float(loader, node)

    def timestamp(loader: Any, node: Any) -> Any:
        # 2026-02-30 looks like a date to YAML, which then fails inside the parser; kept as
        # text, the input check names the field and says what is wrong with the date
        try:
            return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
        except ValueError:
            return loader.construct_scalar(node)

    loader: Any = type("InputLoader", (base,), {})
    loader.add_constructor("tag:yaml.org,2002:int", integer)
    loader.add_constructor("tag:yaml.org,2002:float", floating)
    loader.add_constructor("tag:yaml.org,2002:timestamp", timestamp)
    return loader


def too_deep(exc: Exception) -> bool:
    """Whether a YAML error is PyYAML's own limit on nesting (6.0.3 and later refuse lists
    or mappings nested too deep, where earlier releases recursed until Python stopped them)."""
    return "maximum nesting depth" in str(exc)


def parse_yaml(text: str, name: str = "input") -> tuple[Any, dict[str, int]]:
    """Parse YAML text safely; duplicate keys are an error, not silently overwritten."""
    import yaml

    try:
        loader = input_loader()
        node = yaml.compose(text, Loader=loader)
        if too_many_values(node):
            raise SourceError(TOO_MANY_VALUES, name)
        data = yaml.load(text, Loader=loader)
    except yaml.MarkedYAMLError as exc:
        if too_deep(exc):
            raise SourceError(TOO_DEEP, name) from None
        opened = _unclosed(exc)
        if opened:
            raise SourceError(f"is not valid YAML: {opened[1]}", name, opened[0]) from None
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "syntax error"
        raise SourceError(
            f"is not valid YAML: {problem}; check indentation and quote values that contain ':' or '#'",
            name,
            line,
        ) from None
    except yaml.YAMLError as exc:
        raise SourceError(TOO_DEEP if too_deep(exc) else f"is not valid YAML: {exc}", name) from None
    except RecursionError:
        raise SourceError(TOO_DEEP, name) from None
    lines: dict[str, int] = {}
    if node is not None:
        _walk(node, "", lines, name, set())
    return data, lines


# What the parser was reading when it failed, for a mark that opens something that must be
# closed: there the problem starts, lines before the parser notices it.
_OPENERS = {
    "while parsing a flow mapping": ("'{'", "close it with '}', and quote values that contain ':' or '#'"),
    "while parsing a flow sequence": ("'['", "close it with ']', and quote values that contain ':' or '#'"),
    "while scanning a quoted scalar": ("quotation mark", "close it with the same mark"),
}


def _unclosed(exc: Any) -> tuple[int, str] | None:
    """The line where a '{', '[' or quotation mark that is never closed opens, and what to
    say: an unclosed ``{`` on line 2 is noticed on line 3, at the next key, and the line of
    the notice alone sends the reader to a line without a fault. None for other errors (a
    block mapping's context is the start of the file and helps no one)."""
    opener = _OPENERS.get(str(exc.context or ""))
    start, found = exc.context_mark, exc.problem_mark
    if not opener or start is None or found is None or found.line <= start.line:
        return None
    where = (
        "the end of the file"
        if "end of stream" in str(exc.problem or "") or "stream end" in str(exc.problem or "")
        else f"line {found.line + 1}"
    )
    what, advice = opener
    return start.line + 1, (
        f"the {what} at column {start.column + 1} is not closed before {where} ({exc.problem}); {advice}"
    )


def _walk(node: Any, path: str, lines: dict[str, int], name: str, walked: set[int]) -> None:
    """Record the line of each key and item, and refuse a key given twice. A node that an
    alias repeats (``*sender``) is walked once, where it first stands: nested aliases (the
    "billion laughs") would otherwise be walked, and their lines kept, once per expanded
    copy — 9^9 items for nine levels of nine; its keys were checked there."""
    import yaml

    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
        if id(node) in walked:
            return
        walked.add(id(node))
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            sub = f"{path}.{key}" if path else key
            if key in seen:
                raise SourceError(
                    f"the key '{sub}' appears twice; keep one", name, key_node.start_mark.line + 1
                )
            seen.add(key)
            lines[sub] = key_node.start_mark.line + 1
            _walk(value_node, sub, lines, name, walked)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            sub = f"{path}[{i}]"
            lines[sub] = item.start_mark.line + 1
            _walk(item, sub, lines, name, walked)
