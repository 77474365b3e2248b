"""Skeletons of Jinja templates: render once per *structure*, then put the strings in.

Many renderings differ only in strings a template prints as they are — a name, a
reference, an amount already formatted — while everything else repeats. ``analyse``
reads a template's syntax tree and records how it uses each path of its context
(``blocks[].text``, ``recipient.company``): printed plainly (``{{ b.text }}``), tested
for emptiness (``{% if enclosures %}``), iterated, or anything else. ``split`` turns a
context into a *structure key* — every value the template does more with than print,
whole; the lengths of lists; which printed strings are empty — and the list of printed
strings; ``stand_in`` gives the context with a token (``TOKEN``) in place of each of
those strings. A rendering with tokens, cut at the tokens, is then filled with the
strings of any context of the same key (letterkit.render.docx_skeleton does that for
the body of a .docx template).

It is sound by construction: a value used in a filter, a comparison, a slice, a method
call or a ``set`` goes into the key whole; a statement other than output, ``for``,
``if`` and ``set`` (``macro``, ``with``, ``include`` ...) makes ``analyse`` give up; and
the callers render the first context of every key both ways and only keep a skeleton
that gave the same result. Callers also refuse strings their own post-processing could
treat differently from a token (the ``unsafe`` test of ``split``, given all of a
context's printed strings at once).
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from types import CodeType
from typing import Any, cast

from jinja2 import nodes

OUTPUT, TRUTH, ITER, STRUCT = "output", "truth", "iter", "struct"
ITEM = "[]"  # the path segment of a list's items
# The token for the n-th printed string; its characters are private-use code points.
TOKEN_OPEN, TOKEN_CLOSE = "\ue002", "\ue003"
TOKEN = TOKEN_OPEN + "{}" + TOKEN_CLOSE
TOKEN_PATTERN = TOKEN_OPEN + "([0-9]+)" + TOKEN_CLOSE
_EMPTY, _TEXT, _MISSING = "\x00empty", "\x00text", "\x00missing"


class _Unsupported(Exception):
    """The template does something ``analyse`` does not follow."""


class Usage:
    """How a template uses one path of its context, and the paths below it.

    ``seal`` derives, once, what ``_split`` asks per value: whether a value of each kind
    goes into the key whole, and the children to walk.
    """

    __slots__ = (
        "_whole_object",
        "children",
        "dict_whole",
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
        # ``whole_object`` of a dict, the same for every dict: worked out here, not per value
        self.dict_whole = STRUCT in marks or OUTPUT in marks or ITER in marks or any(
            name == ITEM or hasattr(dict, name) for name in children
        )
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
                whole = names is None or not all(name in names for name in self.children)
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
        elif isinstance(node, nodes.Assign) and isinstance(node.target, nodes.Name):
            _expression(node.node, scope, root)  # what it reads is structure
            scope[node.target.name] = None  # from here on the name is the template's own
        elif isinstance(node, nodes.If):
            _test(node.test, scope, root)
            # each branch in its own scope: a name ``set`` in a branch is the template's own
            # after the ``if`` only when every branch sets it (else the context's value may
            # be printed, which must stay in the key or a token)
            elifs: list[nodes.Node] = list(node.elif_)
            branches: list[list[nodes.Node]] = [node.body, *([elifs] if elifs else []), node.else_]
            scopes = []
            for branch in branches:
                inner = dict(scope)
                _statements(branch, inner, root)
                scopes.append(inner)
            for name in set().union(*scopes) - set(scope):
                if all(name in inner and inner[name] is None for inner in scopes):
                    scope[name] = None
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
    """A hashable stand-in for a value kept whole in the key, equal only for values that
    print alike (1, 1.0, True and Decimal 1.0/1.00 differ); TypeError for other objects."""
    kind = type(value)
    if kind in _EXACT:
        return (kind, value)
    if kind is float or kind is Decimal:
        return (kind, repr(value))
    if kind is list or kind is tuple:
        return (kind, *(_freeze(item) for item in cast("list[object]", value)))
    if kind is dict:
        return (kind, *((_freeze(k), _freeze(v)) for k, v in cast("dict[object, object]", value).items()))
    names = _fields(value)
    if names is None:
        raise TypeError(kind)
    return (kind, *(_freeze(getattr(value, name)) for name in names))


_EXACT = frozenset({str, int, bool, type(None), date, datetime})
_FIELDS: dict[type, tuple[str, ...] | None] = {}


def _fields(value: object) -> tuple[str, ...] | None:
    """The field names of a dataclass instance (cached per class), None for anything else."""
    kind = type(value)
    if kind not in _FIELDS:
        _FIELDS[kind] = (
            tuple(field.name for field in dataclasses.fields(kind))
            if dataclasses.is_dataclass(kind)
            else None
        )
    return _FIELDS[kind]


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
    elif type(value) is dict and not node.dict_whole:  # the most common case, without a call
        key.append((dict, *value))
        for name, child in node.named:
            if name in value:
                _split_child(value[name], child, key, values)
    elif node.whole_object(value):
        key.append(_freeze(value))
    elif isinstance(value, dict):
        key.append((dict, *value))
        for name, child in node.named:
            if name in value:
                _split_child(value[name], child, key, values)
    else:
        key.append(type(value))
        for name, child in node.named:
            _split_child(getattr(value, name), child, key, values)


def _split_child(value: object, node: Usage, key: list[object], values: list[str]) -> None:
    """``_split`` of a dict's or an object's item: the same, with a string's case (most
    items are text or None) worked out here, without a call."""
    kind = type(value)
    if kind is str:
        if node.whole_str:
            key.append(value)
        elif not node.output:
            key.append(bool(value))
        elif not value:
            key.append(_EMPTY)
        else:
            key.append(_TEXT)
            values.append(cast("str", value))
    elif kind is bool or value is None:
        # an object's truth or a missing value: never a sequence, and kept whole, as
        # ``_split`` keeps it (``whole_object`` is true for an object that is no dataclass)
        key.append((kind, value))
    else:
        _split(value, node, key, values)


def _stand_in(value: Any, node: Usage, tokens: list[str]) -> Any:
    """The value with each string ``_split`` would tokenise replaced by the next token."""
    if _whole(value, node):
        return value
    if type(value) is str:
        if not node.output or not value:
            return value
        tokens.append(TOKEN.format(len(tokens)))
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


def split(
    usage: Usage, context: dict[str, Any], unsafe: Callable[[list[str]], bool]
) -> tuple[tuple[object, ...], list[str]] | None:
    """The context's structure key and the strings printed as they are, in template order;
    None when ``unsafe`` is true for those strings (given all of them, none empty) or a
    value has no key. The walk is ``usage``'s own compiled code (``compiled_split``)."""
    key: list[object] = []
    values: list[str] = []
    walk = _COMPILED.get(id(usage))
    if walk is None or walk[0] is not usage:
        walk = _compiled(usage)
    try:
        walk[1](context, key, values)
        frozen = tuple(key)
        hash(frozen)
    except (TypeError, AttributeError):
        return None
    return None if values and unsafe(values) else (frozen, values)


def split_walked(
    usage: Usage, context: dict[str, Any], unsafe: Callable[[list[str]], bool]
) -> tuple[tuple[object, ...], list[str]] | None:
    """``split`` by walking the usage tree with ``_split``: what the compiled code of
    ``compiled_split`` must give, value for value (the tests compare the two)."""
    key: list[object] = []
    values: list[str] = []
    try:
        _walked(usage, context, key, values)
        frozen = tuple(key)
        hash(frozen)
    except (TypeError, AttributeError):
        return None
    return None if values and unsafe(values) else (frozen, values)


def _walked(usage: Usage, context: dict[str, Any], key: list[object], values: list[str]) -> None:
    for name, child in usage.children.items():
        if name in context:
            _split(context[name], child, key, values)
        else:
            key.append(_MISSING)


# --- the walk of ``split`` compiled per usage tree ---------------------------------------
#
# ``_split`` asks the same questions of a node for every context (is a string at this path
# kept whole? printed? which children are there?), and calls itself for each child. The
# answers are fixed once a usage is sealed, so ``compiled_split`` writes them into Python
# code, once per usage tree: the children of a mapping or an object unrolled, and only
# the questions about the value itself (its type, whether it is empty) left. Each branch
# appends exactly what the same branch of ``_split`` (and ``_split_child``) appends.

Walk = Callable[[dict[str, Any], list[object], list[str]], None]
_WHOLE_MARKS = frozenset({STRUCT, OUTPUT, ITER})  # a node with one of them keeps any other value whole
_COMPILED: dict[int, tuple[Usage, Walk]] = {}
_COMPILED_LIMIT = 1024  # usage trees (one per template): beyond that they are compiled afresh


def _compiled(usage: Usage) -> tuple[Usage, Walk]:
    """The usage's compiled walk, made once; a tree too deep for Python to compile (its
    blocks nested past the compiler's limit) is walked by ``_split``."""
    try:
        walk = compiled_split(usage)
    except (SyntaxError, RecursionError, MemoryError):
        walk = functools.partial(_walked, usage)
    if len(_COMPILED) >= _COMPILED_LIMIT:
        _COMPILED.clear()
    entry = _COMPILED[id(usage)] = (usage, walk)
    return entry


def compiled_split(usage: Usage) -> Walk:
    """A function ``walk(context, key, values)`` that appends what ``_split`` appends for
    each name of a sealed ``usage`` (``_MISSING`` for a name the context lacks)."""
    writer = _Writer()
    lines = ["def walk(context, key, values):", "    add, text = key.append, values.append"]
    for name, child in usage.children.items():
        variable = writer.variable()
        lines.append(f"    if {name!r} in context:")
        lines.append(f"        {variable} = context[{name!r}]")
        writer.child(child, variable, 2, lines)
        lines.append("    else:")
        lines.append("        add(_MISSING)")
    namespace: dict[str, Any] = {
        "_MISSING": _MISSING,
        "_EMPTY": _EMPTY,
        "_TEXT": _TEXT,
        "_freeze": _freeze,
        "_split": _split,
    }
    namespace.update(writer.nodes)
    exec(_code("\n".join([*writer.functions, *lines])), namespace)
    return cast("Walk", namespace["walk"])


def _code(source: str) -> CodeType:
    """The compiled code of a walk's source: kept between runs (``part_cache.SPLITS``),
    as compiling a merge's dozen walks took ~14 ms, a few times what writing them takes."""
    from .part_cache import SPLITS

    code = SPLITS.code(source)
    if code is None:
        code = compile(source, "<letterkit.skeleton split>", "exec")
        SPLITS.keep_code(source, code)
    return code


class _Writer:
    """Writes the code of ``compiled_split``. A leaf of the tree (a path with nothing below
    it: most are printed strings) is walked in the code of its parent; any other node in a
    function of its own, called where its value is, so that the code grows with the tree,
    not with the ways through it. A node that must be asked at run time (``whole_object``)
    is a name in the code's namespace."""

    def __init__(self) -> None:
        self.count = 0
        self.nodes: dict[str, Usage] = {}
        self.functions: list[str] = []
        self._names: dict[int, str] = {}

    def variable(self) -> str:
        self.count += 1
        return f"v{self.count}"

    def child(self, node: Usage, v: str, depth: int, lines: list[str]) -> None:
        """The code of ``_split(v, node, key, values)``, indented ``depth`` levels: inline
        for a leaf, else a call of the node's function."""
        if node.named or node.item is not None:
            lines.append(f"{'    ' * depth}{self._function(node)}({v}, add, text)")
        else:
            self._value(node, v, depth, lines)

    def _function(self, node: Usage) -> str:
        name = self._names.get(id(node))
        if name is None:
            name = self._names[id(node)] = f"walk{len(self._names)}"
            lines = [f"def {name}(v0, add, text):"]
            self._value(node, "v0", 1, lines)
            self.functions.append("\n".join(lines))
        return name

    def _value(self, node: Usage, v: str, depth: int, lines: list[str]) -> None:
        pad = "    " * depth
        kind = f"t{v[1:]}"
        lines.append(f"{pad}{kind} = type({v})")
        lines.append(f"{pad}if {kind} is str:")
        if node.whole_str:
            lines.append(f"{pad}    add({v})")
        elif not node.output:
            lines.append(f"{pad}    add(bool({v}))")
        else:
            lines.append(f"{pad}    if {v}:")
            lines.append(f"{pad}        add(_TEXT)")
            lines.append(f"{pad}        text({v})")
            lines.append(f"{pad}    else:")
            lines.append(f"{pad}        add(_EMPTY)")
        if not node.whole_sequence:
            lines.append(f"{pad}elif isinstance({v}, (list, tuple)):")
            lines.append(f"{pad}    add(({kind}, len({v})))")
            if node.item is not None:
                item = self.variable()
                lines.append(f"{pad}    for {item} in {v}:")
                self.child(node.item, item, depth + 2, lines)
        if node.marks & _WHOLE_MARKS:
            # ``whole_object`` is true for every value here, and ``dict_whole`` too: all
            # but text and a sequence walked above goes into the key whole
            lines.append(f"{pad}else:")
            lines.append(f"{pad}    add(_freeze({v}))")
            return
        # a truth value or None: ``whole_object`` is true for it at every node (it is no
        # dict and no dataclass), and ``_freeze`` gives (type, value)
        lines.append(f"{pad}elif {v} is None or {kind} is bool:")
        lines.append(f"{pad}    add(({kind}, {v}))")
        if node.whole_sequence:
            lines.append(f"{pad}elif isinstance({v}, (list, tuple)):")
            lines.append(f"{pad}    add(_freeze({v}))")
        if not node.dict_whole:
            lines.append(f"{pad}elif {kind} is dict:")
            self._mapping(node, v, depth + 1, lines)
        name = f"node{len(self.nodes)}"
        self.nodes[name] = node
        lines.append(f"{pad}elif {name}.whole_object({v}):")
        lines.append(f"{pad}    add(_freeze({v}))")
        # a subclass of dict: seldom, walked by ``_split`` (the lists are those ``add`` and
        # ``text`` append to: a node's function is given only the two methods)
        lines.append(f"{pad}elif isinstance({v}, dict):")
        lines.append(f"{pad}    _split({v}, {name}, add.__self__, text.__self__)")
        lines.append(f"{pad}else:")
        lines.append(f"{pad}    add({kind})")
        for child_name, child in node.named:
            child_value = self.variable()
            lines.append(f"{pad}    {child_value} = getattr({v}, {child_name!r})")
            self.child(child, child_value, depth + 1, lines)

    def _mapping(self, node: Usage, v: str, depth: int, lines: list[str]) -> None:
        pad = "    " * depth
        lines.append(f"{pad}add((dict, *{v}))")
        for child_name, child in node.named:
            child_value = self.variable()
            lines.append(f"{pad}if {child_name!r} in {v}:")
            lines.append(f"{pad}    {child_value} = {v}[{child_name!r}]")
            self.child(child, child_value, depth + 1, lines)
def stand_in(usage: Usage, context: dict[str, Any]) -> dict[str, Any]:
    """The context with tokens in place of the strings ``split`` returns, in the same order."""
    tokens: list[str] = []
    copied = dict(context)
    for name, child in usage.children.items():
        if name in context:
            copied[name] = _stand_in(context[name], child, tokens)
    return copied


# --- text skeletons (the parts library, an email's HTML) ----------------------------------

TextCut = tuple[list[str], list[int]]
_TOKEN_TEXT = re.compile(TOKEN_PATTERN)


def cut_text(tokened: str, count: int) -> TextCut | None:
    """A rendering with tokens cut at them: the literal pieces and the token number
    before each later piece; None when a token is out of range or left broken."""
    pieces = _TOKEN_TEXT.split(tokened)
    chunks, numbers = pieces[0::2], [int(n) for n in pieces[1::2]]
    if any(n >= count for n in numbers) or any(TOKEN_OPEN in c or TOKEN_CLOSE in c for c in chunks):
        return None
    return chunks, numbers


def fill_text(cut: TextCut, printed: list[str]) -> str:
    """The pieces of ``cut`` with the strings put in (``printed``: as the template prints them);
    the pieces and the strings interleaved by slice assignment, in C (a loop over the
    places took a third longer)."""
    chunks, numbers = cut
    if len(chunks) != len(numbers) + 1:
        raise ValueError(f"a text skeleton of {len(chunks)} pieces has {len(numbers)} places")
    out = [""] * (2 * len(numbers) + 1)
    out[0::2] = chunks
    out[1::2] = [printed[number] for number in numbers]
    return "".join(out)
