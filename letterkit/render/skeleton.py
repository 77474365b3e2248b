"""Body skeletons: document.xml rendered once per letter *structure*, then filled in.

In a mail merge the letters differ in the text the template prints — names, addresses,
amounts inside the paragraphs — while their structure repeats: how many paragraphs,
reference rows and address lines there are, which optional parts are present. So
``Skeletons`` renders a template's body once per structure with tokens in place of the
printed strings, serialises it exactly as the normal path does (``DocumentWriter``),
and cuts the bytes at the tokens; every later letter of that structure is written by
putting its strings, escaped as the normal path escapes them, between the cuts.

It is sound by construction and checked as it runs:

- Which strings may become tokens is read from the body's Jinja syntax tree
  (``analyse``). A string qualifies only when the template does nothing with it but
  print it as it is (``{{ b.text }}``) or test whether it is empty. Anything else a
  template does with a value — a filter, a comparison, a slice, a method call — puts the
  value itself into the structure key; a statement other than output, ``for`` and
  ``if`` (``set``, ``macro``, ``include`` ...) turns skeletons off for the template.
- A letter holding a string whose way through Jinja, docxtpl and the XML parser is more
  than a plain escape (control characters, tabs and newlines, braces, a leading or
  trailing ``_`` or ``%``, the token characters) takes the normal path.
- Every token must come out in text content, never in markup; and the first letter of
  each structure is rendered the normal way too and must give the same bytes, otherwise
  that structure always takes the normal path.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Callable
from typing import Any

from jinja2 import nodes
from markupsafe import escape

from .body import escaped_text

OUTPUT, TRUTH, ITER, STRUCT = "output", "truth", "iter", "struct"
ITEM = "[]"  # the path segment of a list's items
_LIMIT = 1024
_TOKEN = re.compile("\ue002([0-9]+)\ue003".encode())
_TOKEN_CHARS = ("\ue002".encode(), "\ue003".encode())
# Strings the normal path does more with than escaping &, < and >: these letters take it.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f{}\ue000-\ue003\ufffe\uffff\ud800-\udfff]|^[_%]|[_%]\Z")
_ESCAPE = re.compile(r"[&<>]")
_EMPTY, _TEXT, _MISSING = "\x00empty", "\x00text", "\x00missing"


class _Unsupported(Exception):
    """The template does something ``analyse`` does not follow."""


class _Slow(Exception):
    """This letter holds a string that must take the normal path."""


class Usage:
    """How a template uses one path of its context, and the paths below it.

    ``seal`` derives, once, what ``_split`` asks per value: whether a value of each kind
    goes into the key whole, and the children to walk.
    """

    __slots__ = (
        "_whole_object",
        "children",
        "item",
        "marks",
        "named",
        "output",
        "whole_sequence",
        "whole_str",
    )

    def __init__(self) -> None:
        self.marks: set[str] = set()
        self.children: dict[str, Usage] = {}

    def seal(self) -> None:
        marks, children = self.marks, self.children
        self.output = OUTPUT in marks
        self.item = children.get(ITEM)
        self.named = tuple((name, child) for name, child in children.items() if name != ITEM)
        self.whole_str = STRUCT in marks or ITER in marks or bool(children)
        self.whole_sequence = STRUCT in marks or self.output or bool(self.named)
        self._whole_object: dict[type, bool] = {}
        for child in children.values():
            child.seal()

    def whole_object(self, value: object) -> bool:
        """Whether a dict, dataclass or other object at this path goes into the key whole."""
        kind = type(value)
        whole = self._whole_object.get(kind)
        if whole is None:
            marks = self.marks
            if STRUCT in marks or OUTPUT in marks or ITER in marks:
                whole = True
            elif isinstance(value, dict):
                whole = any(name == ITEM or hasattr(dict, name) for name in self.children)
            else:
                names = _fields(value)
                whole = names is None or not names.issuperset(self.children)
            self._whole_object[kind] = whole
        return whole


def analyse(syntax: nodes.Template) -> Usage | None:
    """The usage tree of a parsed template, or None when it does something not followed."""
    root = Usage()
    try:
        _statements(syntax.body, {}, root)
    except _Unsupported:
        return None
    root.seal()
    return root


def _statements(body: list[nodes.Node], scope: dict[str, tuple[str, ...] | None], root: Usage) -> None:
    for node in body:
        if isinstance(node, nodes.Output):
            for child in node.nodes:
                if isinstance(child, nodes.TemplateData):
                    continue
                path = _path(child, scope)
                if path:
                    _mark(root, path, OUTPUT)
                else:
                    _expression(child, scope, root)
        elif isinstance(node, nodes.For):
            path = _path(node.iter, scope)
            if node.recursive or node.test is not None or not isinstance(node.target, nodes.Name) or not path:
                raise _Unsupported
            _mark(root, path, ITER)
            _statements(node.body, {**scope, node.target.name: (*path, ITEM), "loop": None}, root)
            _statements(node.else_, scope, root)
        elif isinstance(node, nodes.If):
            _test(node.test, scope, root)
            _statements(node.body, scope, root)
            _statements(list(node.elif_), scope, root)
            _statements(node.else_, scope, root)
        else:
            raise _Unsupported


def _path(expr: nodes.Node, scope: dict[str, tuple[str, ...] | None]) -> tuple[str, ...] | None:
    """``("blocks", "[]", "text")`` for ``b.text`` inside ``for b in blocks``; None if not a path."""
    if isinstance(expr, nodes.Name):
        return scope.get(expr.name, (expr.name,))
    if isinstance(expr, nodes.Getattr):
        base = _path(expr.node, scope)
        return (*base, expr.attr) if base else None
    if isinstance(expr, nodes.Getitem) and isinstance(expr.arg, nodes.Const):
        base = _path(expr.node, scope)
        if base and type(expr.arg.value) is int:
            return (*base, ITEM)
        if base and type(expr.arg.value) is str:
            return (*base, expr.arg.value)
    return None


def _test(expr: nodes.Node, scope: dict[str, tuple[str, ...] | None], root: Usage) -> None:
    """An ``if`` test: a bare path (or ``not``/``and``/``or`` of them) only asks for emptiness."""
    path = _path(expr, scope)
    if path:
        _mark(root, path, TRUTH)
    elif isinstance(expr, nodes.Not):
        _test(expr.node, scope, root)
    elif isinstance(expr, (nodes.And, nodes.Or)):
        _test(expr.left, scope, root)
        _test(expr.right, scope, root)
    else:
        _expression(expr, scope, root)


def _expression(expr: nodes.Node, scope: dict[str, tuple[str, ...] | None], root: Usage) -> None:
    """Any other use: every path inside is part of the structure."""
    path = _path(expr, scope)
    if path:
        _mark(root, path, STRUCT)
        return
    if isinstance(expr, nodes.Name):
        return  # a loop variable such as ``loop``
    for child in expr.iter_child_nodes():
        _expression(child, scope, root)


def _mark(root: Usage, path: tuple[str, ...], kind: str) -> None:
    node = root
    for segment in path:
        node = node.children.setdefault(segment, Usage())
    node.marks.add(kind)


def _freeze(value: object) -> object:
    """A hashable stand-in for a value kept whole in the key (TypeError if there is none)."""
    if isinstance(value, (list, tuple)):
        return (type(value), *(_freeze(item) for item in value))
    if isinstance(value, dict):
        return (dict, *((key, _freeze(item)) for key, item in value.items()))
    hash(value)
    return (type(value), value)


_FIELDS: dict[type, frozenset[str]] = {}


def _fields(value: object) -> frozenset[str] | None:
    """The field names of a dataclass instance (cached per class), None for anything else."""
    kind = type(value)
    names = _FIELDS.get(kind)
    if names is None:
        if not dataclasses.is_dataclass(kind):
            return None
        names = _FIELDS[kind] = frozenset(field.name for field in dataclasses.fields(kind))
    return names


def _whole(value: object, node: Usage) -> bool:
    """Whether the value at ``node`` goes into the key whole (and is never tokenised)."""
    if type(value) is str:
        return node.whole_str
    if isinstance(value, (list, tuple)):
        return node.whole_sequence
    return node.whole_object(value)


def _split(value: object, node: Usage, key: list[object], values: list[str]) -> None:
    """Append the value's structure to ``key`` and its tokenised strings to ``values``."""
    if type(value) is str:
        if node.whole_str:
            key.append(value)
        elif not node.output:
            key.append(bool(value))
        elif not value:
            key.append(_EMPTY)
        elif _UNSAFE.search(value):
            raise _Slow
        else:
            key.append(_TEXT)
            values.append(value)
    elif isinstance(value, (list, tuple)):
        if node.whole_sequence:
            key.append(_freeze(value))
            return
        key.append((type(value), len(value)))
        child = node.item
        if child is not None:
            for item in value:
                _split(item, child, key, values)
    elif node.whole_object(value):
        key.append(_freeze(value))
    elif isinstance(value, dict):
        key.append((dict, *value))
        for name, child in node.named:
            if name in value:
                _split(value[name], child, key, values)
    else:
        key.append(type(value))
        for name, child in node.named:
            _split(getattr(value, name), child, key, values)


def _stand_in(value: Any, node: Usage, tokens: list[str]) -> Any:
    """The value with each string ``_split`` would tokenise replaced by the next token."""
    if _whole(value, node):
        return value
    if type(value) is str:
        if not node.output or not value:
            return value
        tokens.append(f"\ue002{len(tokens)}\ue003")
        return tokens[-1]
    if isinstance(value, (list, tuple)):
        child = node.item
        if child is None:
            return value
        return type(value)(_stand_in(item, child, tokens) for item in value)
    if isinstance(value, dict):
        copied = dict(value)
        for name, child in node.named:
            if name in value:
                copied[name] = _stand_in(value[name], child, tokens)
        return copied
    changes = {name: _stand_in(getattr(value, name), child, tokens) for name, child in node.named}
    return dataclasses.replace(value, **changes)


class Skeletons:
    """The serialised body per structure, cut at its tokens, for one template part."""

    def __init__(self, usage: Usage, finalize: Callable[[object], object]) -> None:
        self._usage = usage
        self._finalize = finalize
        # structure key -> (literal chunks, the token number before each later chunk); None: unusable
        self._cuts: dict[tuple[object, ...], tuple[list[bytes], list[int]] | None] = {}
        self.hits = 0  # letters written from a skeleton (for tests and benchmarks)

    def split(self, context: dict[str, Any]) -> tuple[tuple[object, ...], list[str]] | None:
        """The letter's structure key and printed strings; None if it must take the normal path."""
        key: list[object] = []
        values: list[str] = []
        try:
            for name, child in self._usage.children.items():
                if name in context:
                    _split(context[name], child, key, values)
                else:
                    key.append(_MISSING)
            frozen = tuple(key)
            hash(frozen)
        except (_Slow, TypeError, AttributeError):
            return None
        return frozen, values

    def fill(self, key: tuple[object, ...], values: list[str]) -> bytes | None:
        """document.xml from the structure's skeleton, or None if there is none (yet)."""
        cut = self._cuts.get(key)
        if cut is None:
            return None
        data = _filled(cut, [self._printed(value) for value in values])
        if data is not None:
            self.hits += 1
        return data

    def known(self, key: tuple[object, ...]) -> bool:
        """Whether the structure was learned already (usable or not)."""
        return key in self._cuts

    def stand_in(self, context: dict[str, Any]) -> dict[str, Any]:
        """The context with tokens in place of the strings ``split`` returns, in the same order."""
        tokens: list[str] = []
        copied = dict(context)
        for name, child in self._usage.children.items():
            if name in context:
                copied[name] = _stand_in(context[name], child, tokens)
        return copied

    def learn(self, key: tuple[object, ...], values: list[str], tokened: bytes, expected: bytes) -> None:
        """Keep the body rendered with tokens, if filling it gives ``expected`` for ``values``."""
        cut = _cut(tokened, len(values))
        if cut is not None and _filled(cut, [self._printed(value) for value in values]) != expected:
            cut = None
        if len(self._cuts) >= _LIMIT:
            self._cuts.clear()
        self._cuts[key] = cut

    def _printed(self, value: str) -> bytes | None:
        """A string as it ends up in document.xml: escaped by Jinja, read and written by lxml."""
        if not _ESCAPE.search(value):
            return value.encode("utf-8")
        return escaped_text(str(escape(self._finalize(value))).encode("utf-8"))


def _cut(data: bytes, count: int) -> tuple[list[bytes], list[int]] | None:
    """The bytes cut at the tokens; None if a token is outside text content or left broken."""
    pieces = _TOKEN.split(data)
    chunks, numbers = pieces[0::2], [int(number) for number in pieces[1::2]]
    if any(number >= count for number in numbers):
        return None
    if any(char in chunk for chunk in chunks for char in _TOKEN_CHARS):
        return None  # a token the template cut or changed
    for before, after in itertools.pairwise(chunks):
        opens, closes = after.find(b"<"), after.find(b">")
        if before.rfind(b">") < before.rfind(b"<") or (closes >= 0 and (opens < 0 or closes < opens)):
            return None  # inside a tag or a comment: an attribute value is escaped differently
    return chunks, numbers


def _filled(cut: tuple[list[bytes], list[int]], printed: list[bytes | None]) -> bytes | None:
    chunks, numbers = cut
    out = [chunks[0]]
    for number, chunk in zip(numbers, chunks[1:], strict=True):
        text = printed[number]
        if text is None:
            return None
        out.append(text)
        out.append(chunk)
    return b"".join(out)
