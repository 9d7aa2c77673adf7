"""A bounded YAML loader for every settings file the toolkit reads (corrections, params, glossaries).

``yaml.safe_load`` executes no code but will happily expand a "billion laughs" document (nested
aliases) until the machine runs out of memory, recurse until Python gives up on deeply nested
brackets, and raise a bare ``UnicodeDecodeError`` or ``ValueError`` (a 5,000-digit integer, a
2020-02-30 date). This loader turns all of those into one-line errors naming the file and line:

* the file is read with :func:`coopanalysis.io.safeio.read_text`: a regular file only, at most
  *limit* bytes (default :data:`~coopanalysis.io.safeio.SMALL_LIMIT`, 1 MiB), strict UTF-8;
* **aliases are refused** (``*name``, including merge keys ``<<: *name``): the settings files
  never need them, and refusing them stops alias expansion before it starts, at the first alias;
* nesting deeper than :data:`MAX_DEPTH` and more than :data:`MAX_NODES` values are refused,
  from the event stream (libyaml when installed), before anything is built;
* a key that appears twice in one mapping is refused at its second line (``safe_load`` keeps the
  last value without a word, so a setting could be silently overridden);
* any value the YAML constructor cannot build is an error at the line of that value.

API (use these, not ``yaml.safe_load``):

``load_file(path, *, limit=SMALL_LIMIT, error=InputError) -> object``
    The document in *path* as Python data (``None`` for an empty file).
``load_file_with_node(path, *, limit=SMALL_LIMIT, error=InputError) -> (object, yaml.Node | None)``
    The same, plus the composed root node, whose ``start_mark.line`` (0-based) locates each entry
    for messages (e.g. "correction #3 at line 17").
``load_text(text, name="<yaml>", *, limit=SMALL_LIMIT, error=InputError) -> object``
    For YAML that is already text (a command-line value, a test).

*error* is the exception class raised: an :class:`~coopanalysis.errors.InputError` subclass (e.g.
``CorrectionError``) gets ``path=`` and ``line=``; any other
:class:`~coopanalysis.errors.CoopAnalysisError` (e.g. ``ParamsError``) gets the message prefixed
with ``path:line:``. Size and read errors are :class:`~coopanalysis.errors.LimitError` /
:class:`~coopanalysis.errors.InputError` whatever *error* is (both mean exit 2).

>>> load_text("corrections:\\n  - project_id: '6.1'\\n    printed: 1\\n")
{'corrections': [{'project_id': '6.1', 'printed': 1}]}
>>> load_text("a: &x [1, 2]\\nb: *x\\n", name="c.yaml")
Traceback (most recent call last):
...
coopanalysis.errors.InputError: c.yaml:2: YAML aliases (*x) are not allowed; write the value out
>>> load_text("phase: proposed\\nlevels: []\\nphase: approved\\n", name="m.yaml")
Traceback (most recent call last):
...
coopanalysis.errors.InputError: m.yaml:3: duplicate key 'phase' (first at line 1); a key may appear once
>>> load_text("[" * 200 + "]" * 200, name="deep.yaml")
Traceback (most recent call last):
...
coopanalysis.errors.InputError: deep.yaml:1: nested more than 64 levels deep
>>> load_text("x: " + "9" * 5000, name="big.yaml")
Traceback (most recent call last):
...
coopanalysis.errors.InputError: big.yaml:1: unusable value: ...
"""

from __future__ import annotations

import os
import re

import yaml

from coopanalysis.errors import CoopAnalysisError, InputError, LimitError
from coopanalysis.io.safeio import SMALL_LIMIT, display_path, read_text

__all__ = ["MAX_DEPTH", "MAX_NODES", "load_file", "load_file_with_node", "load_text"]

_SURROGATE = re.compile("[\ud800-\udfff]")
#: Deepest nesting of lists and mappings accepted.
MAX_DEPTH = 64
#: Most values (scalars, lists, mappings) accepted in one file: settings files hold a few hundred.
MAX_NODES = 20_000


class _Refused(Exception):
    def __init__(self, message: str, mark) -> None:
        super().__init__(message)
        self.message, self.mark = message, mark


class _Construct:
    """Constructor checks shared by both loaders: remember the node being built, no surrogates."""

    _node = None

    def construct_object(self, node, deep=False):
        self._node = node
        return super().construct_object(node, deep)

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            seen: dict[tuple, int] = {}
            for key_node, _ in node.value:
                if isinstance(key_node, yaml.ScalarNode):
                    key = (key_node.tag, key_node.value)
                    if key in seen:
                        raise _Refused(f"duplicate key {key_node.value!r} (first at line {seen[key]}); "
                                       "a key may appear once", key_node.start_mark)
                    seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep)

    def construct_scalar(self, node):
        value = super().construct_scalar(node)
        if isinstance(value, str) and _SURROGATE.search(value):
            raise _Refused("text holds an escaped UTF-16 surrogate (\\uD800-\\uDFFF), which is not a character",
                           node.start_mark)
        return value


class _BoundedLoader(_Construct, yaml.SafeLoader):
    """Pure-Python SafeLoader that refuses aliases and deep nesting while composing."""

    def __init__(self, stream) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise _Refused(f"YAML aliases (*{event.anchor}) are not allowed; write the value out", event.start_mark)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _Refused(f"nested more than {MAX_DEPTH} levels deep", self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


_CSafeLoader = getattr(yaml, "CSafeLoader", None)
_FastLoader = type("_FastLoader", (_Construct, _CSafeLoader), {}) if _CSafeLoader is not None else None


def _prescan(text: str) -> None:
    """Refuse aliases, deep nesting and more than MAX_NODES nodes from the event stream alone.

    The events come from libyaml when it is installed (fast), so a hostile file is refused
    before any node is composed or constructed.
    """
    depth = nodes = 0
    for event in yaml.parse(text, Loader=_CSafeLoader or yaml.SafeLoader):
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(f"YAML aliases (*{event.anchor}) are not allowed; write the value out", event.start_mark)
        if isinstance(event, yaml.NodeEvent):
            nodes += 1
            if nodes > MAX_NODES:
                raise _Refused(f"more than {MAX_NODES} values; not a settings file", event.start_mark)
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise _Refused(f"nested more than {MAX_DEPTH} levels deep", event.start_mark)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _raise(error: type, message: str, name: str, line: int | None):
    if isinstance(error, type) and issubclass(error, InputError):
        raise error(message, path=name, line=line) from None
    where = name + (f":{line}" if line is not None else "") + ": "
    raise error(where + message) from None


def _line(mark) -> int | None:
    return None if mark is None else mark.line + 1


def _parse(text: str, name: str, error: type):
    """(data, root node) of *text*; every failure becomes *error*."""
    loader = None
    try:
        _prescan(text)
        loader = (_FastLoader or _BoundedLoader)(text)
        node = loader.get_single_node()
        data = None if node is None else loader.construct_document(node)
        return data, node
    except _Refused as exc:
        _raise(error, exc.message, name, _line(exc.mark))
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1 if isinstance(exc.position, int) else None
        code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\0")
        _raise(error, f"not valid YAML: control character U+{code:04X} is not allowed", name, line)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = " ".join(str(x) for x in (exc.context, exc.problem) if x) or "syntax error"
        _raise(error, f"not valid YAML: {what}", name, _line(mark))
    except yaml.YAMLError as exc:
        _raise(error, f"not valid YAML: {str(exc).splitlines()[0] if str(exc) else 'syntax error'}", name, None)
    except (ValueError, OverflowError, TypeError, RecursionError) as exc:
        mark = getattr(getattr(loader, "_node", None), "start_mark", None)
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        _raise(error, f"unusable value: {detail[:120]}", name, _line(mark))
    finally:
        if loader is not None:
            loader.dispose()


def load_text(text: str, name: str = "<yaml>", *, limit: int = SMALL_LIMIT, error: type = InputError):
    """Parse YAML *text* (see the module docstring); *name* is used in messages."""
    if len(text) > limit:
        raise LimitError(f"YAML text is longer than {limit} characters; refusing to parse it", path=name)
    return _parse(text, name, error)[0]


def load_file_with_node(path: str | os.PathLike, *, limit: int = SMALL_LIMIT, error: type = InputError):
    """``(data, root node or None)`` of the YAML file *path* (see the module docstring)."""
    if not (isinstance(error, type) and issubclass(error, CoopAnalysisError)):
        raise TypeError("error must be a CoopAnalysisError subclass")
    text = read_text(path, limit)
    return _parse(text, display_path(path), error)


def load_file(path: str | os.PathLike, *, limit: int = SMALL_LIMIT, error: type = InputError):
    """The YAML file *path* as Python data (``None`` when it holds no document)."""
    return load_file_with_node(path, limit=limit, error=error)[0]
