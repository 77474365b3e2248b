"""Read one input file (YAML or JSON) into a dict, with the line of every field.

Line numbers let validation say ``client.yaml: line 12: recipient.gender: ...``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .errors import SourceError

MAX_INPUT_BYTES = 5_000_000


def read_input(path: str | Path) -> tuple[Any, dict[str, int]]:
    """Parse a YAML or JSON input file; returns the data and a path → line map."""
    path = Path(path)
    text = _read_text(path)
    if path.suffix.lower() == ".json":
        return _parse_json(text, str(path)), {}
    return parse_yaml(text, str(path))


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
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SourceError("is not UTF-8 text; save it as UTF-8", str(path), line) from None


def _parse_json(text: str, name: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise SourceError(f"is not valid JSON: {exc.msg} (column {exc.colno})", name, exc.lineno) from None


def parse_yaml(text: str, name: str = "input") -> tuple[Any, dict[str, int]]:
    """Parse YAML text safely; duplicate keys are an error, not silently overwritten."""
    import yaml

    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available
        node = yaml.compose(text, Loader=loader)
        data = yaml.load(text, Loader=loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "syntax error"
        raise SourceError(
            f"is not valid YAML: {problem}; check indentation and quote values that contain ':' or '#'",
            name,
            line,
        ) from None
    except yaml.YAMLError as exc:
        raise SourceError(f"is not valid YAML: {exc}", name) from None
    lines: dict[str, int] = {}
    if node is not None:
        _walk(node, "", lines, name)
    return data, lines


def _walk(node: Any, path: str, lines: dict[str, int], name: str) -> None:
    import yaml

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
            _walk(value_node, sub, lines, name)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            sub = f"{path}[{i}]"
            lines[sub] = item.start_mark.line + 1
            _walk(item, sub, lines, name)
