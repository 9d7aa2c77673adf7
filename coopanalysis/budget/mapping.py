"""A mapping: how the columns of someone else's budget table become our hierarchy and amounts.

A mapping is a small YAML file (or the name of a bundled one in ``params/mappings/``)::

    name: budget-bill
    title: …                       # Thai title of the dataset
    phase: proposed                # proposed | approved
    levels:                        # the hierarchy, top first
      - {key: ministry, label_th: กระทรวง, label_en: ministry, columns: [MINISTRY]}
      - {key: output_or_project, label_th: ผลผลิต/โครงการ, label_en: output or project,
         columns: [OUTPUT, PROJECT]}          # first non-empty wins
    fiscal_year: {column: FISCAL_YEAR, era: CE}        # BE | CE
    amount: {column: AMOUNT, unit: baht}               # baht | thousand_baht | million_baht
    item_id: ITEM_ID               # optional: row id shown in findings
    page: REF_PAGE_NO              # optional: page of the printed document
    volume: REF_DOC                # optional: printed volume of a row (provenance of a ministry's parts)
    unit: RESPONSIBLE_UNIT         # optional: responsible-unit column
    obligation: {column: "OBLIGED?", true_values: ["True"]}   # optional: multi-year rows
    bill_year: 2565                # optional (BE): else the most common year of non-obligation rows
    row_filter: {column: STATUS, equals: ["kept"]}            # optional: other rows are skipped
    subtotal: {column: ITEM_DESCRIPTION, pattern: "^รวม"}     # optional: printed subtotal rows

Validation is strict, because a mapping that is read wrongly gives wrong totals without a word:
every key must be one of the above (a typo such as ``obligaton:`` is an error suggesting the
closest known key), a key may appear once, values have their types (``true_values`` and
``row_filter.equals`` are text or lists of text, so ``true_values: "True"`` is not split into
characters and an unquoted ``5`` or ``true`` is refused), and a required value is not null. Each
error names the file, the line and the key. A ``subtotal.pattern`` is at most
:data:`MAX_PATTERN` characters, with no back-reference and no repeated group that itself repeats
or holds alternatives (``^(a|a)*$`` takes exponential time on a 35-character cell), and at most
two unbounded repeats.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

from coopanalysis import paths
from coopanalysis.errors import InputError
from coopanalysis.io.safeio import SMALL_LIMIT
from coopanalysis.io.yamlsafe import load_file_with_node

__all__ = ["Level", "Mapping", "MAPPINGS_DIR", "UNITS", "ERAS", "PHASES", "load_mapping", "bundled_mappings"]

MAPPINGS_DIR = paths.PARAMS / "mappings"
#: divisor from the unit to million baht
UNITS = {"baht": Decimal(1_000_000), "thousand_baht": Decimal(1_000), "million_baht": Decimal(1)}
ERAS = ("BE", "CE")
PHASES = ("proposed", "approved")
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,40}$")
#: Longest ``subtotal.pattern`` accepted.
MAX_PATTERN = 200
_DEFAULT_TRUE = ("True", "true", "TRUE", "1")

#: The keys a mapping may have (top level, a level, and each sub-mapping).
TOP_KEYS = ("name", "title", "title_en", "phase", "levels", "fiscal_year", "amount", "item_id", "page", "volume",
            "unit", "obligation", "bill_year", "row_filter", "subtotal")
LEVEL_KEYS = ("key", "label_th", "label_en", "columns", "column")
SUB_KEYS = {"fiscal_year": ("column", "era"), "amount": ("column", "unit"), "obligation": ("column", "true_values"),
            "row_filter": ("column", "equals"), "subtotal": ("column", "pattern")}


@dataclass(frozen=True)
class Level:
    key: str
    label_th: str
    label_en: str
    columns: tuple[str, ...]

    def as_dict(self) -> dict:
        return {"key": self.key, "label_th": self.label_th, "label_en": self.label_en}


@dataclass(frozen=True)
class Mapping:
    name: str
    levels: tuple[Level, ...]
    year_column: str
    era: str
    amount_column: str
    unit: str
    title: str = ""
    title_en: str = ""
    phase: str = "proposed"
    item_id: str | None = None
    page: str | None = None
    volume: str | None = None
    unit_column: str | None = None
    obligation_column: str | None = None
    obligation_true: tuple[str, ...] = ("True", "true", "TRUE", "1")
    bill_year: int | None = None
    filter_column: str | None = None
    filter_values: tuple[str, ...] = ()
    subtotal_column: str | None = None
    subtotal_pattern: str | None = None
    source: str = ""

    @property
    def keys(self) -> list[str]:
        return [level.key for level in self.levels]

    def level(self, key: str) -> Level:
        for level in self.levels:
            if level.key == key:
                return level
        raise KeyError(key)

    def to_year_be(self, year: int) -> int:
        """A year of the table in the Buddhist era.

        >>> m = Mapping("x", (), "Y", "CE", "A", "baht")
        >>> m.to_year_be(2022)
        2565
        """
        return year + 543 if self.era == "CE" else year


def bundled_mappings() -> list[str]:
    """Names of the bundled mappings (``params/mappings/*.yaml``)."""
    return sorted(p.stem for p in MAPPINGS_DIR.glob("*.yaml"))


class _Doc:
    """Where each key of the mapping is (from the YAML node), for messages naming the line."""

    def __init__(self, node=None) -> None:
        self.node = node

    def line(self, *path) -> int | None:
        """1-based line of the value at *path* (keys and list indexes), or of its key."""
        import yaml

        node, line = self.node, None
        for step in path:
            if isinstance(node, yaml.MappingNode):
                for key_node, value_node in node.value:
                    if key_node.value == step:
                        line, node = key_node.start_mark.line + 1, value_node
                        break
                else:
                    return line
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
                node = node.value[step]
                line = node.start_mark.line + 1
            else:
                return line
        return line if line is not None or node is None else node.start_mark.line + 1

    def fail(self, message: str, *path) -> InputError:
        return InputError(f"mapping: {message}", line=self.line(*path) if self.node is not None else None)


def _name(path) -> str:
    out = ""
    for step in path:
        out += f"[{step + 1}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out


def _known(spec: dict, known, doc: _Doc, *path) -> None:
    for key in spec:
        if key not in known:
            close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
            hint = f" (did you mean '{close[0]}'?)" if close else f"; known keys: {', '.join(known)}"
            where = f" in {_name(path)}" if path else ""
            raise doc.fail(f"unknown key {str(key)!r}{where}{hint}", *path, key)


def _text(spec: dict, key: str, where, doc: _Doc, required: bool = True) -> str | None:
    """A column name or label: text (a number is taken as its digits); null or empty only if optional."""
    path = where if isinstance(where, tuple) else (where,)
    value = spec.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            if key in spec:
                raise doc.fail(f"{_name(path + (key,))} is empty; it needs a value", *path, key)
            raise doc.fail(f"{_name(path)} needs '{key}'", *path)
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise doc.fail(f"{_name(path + (key,))} must be text, got {_kind(value)}", *path, key)
    return str(value).strip()


def _kind(value) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"a yes/no value ({value}); put it in quotes if it is text"
    if isinstance(value, (int, float)):
        return f"a number ({value}); put it in quotes if it is text"
    return {"list": "a list", "dict": "a mapping"}.get(type(value).__name__, type(value).__name__)


def _texts(spec: dict, key: str, doc: _Doc, *path, allow_one: bool) -> tuple[str, ...] | None:
    """A list of texts (or, with *allow_one*, one text); ``None`` when the key is absent."""
    if key not in spec:
        return None
    value = spec[key]
    name = _name(path + (key,))
    if isinstance(value, str) and allow_one:
        value = [value]
    if not isinstance(value, list) or not value:
        want = "a text or a list of texts" if allow_one else 'a list of texts such as ["True", "yes"]'
        raise doc.fail(f"{name} must be {want}, got {_kind(value) if value != [] else 'an empty list'}", *path, key)
    for i, item in enumerate(value):
        if not isinstance(item, str):
            raise doc.fail(f"{name}[{i + 1}] must be text, got {_kind(item)}", *path, key)
    return tuple(value)


def _sub(doc_map: dict, key: str, doc: _Doc) -> dict:
    value = doc_map.get(key)
    if value is None:
        if key in doc_map:
            raise doc.fail(f"'{key}' is empty; give a column name or a mapping with 'column', or leave it out", key)
        return {}
    if isinstance(value, str):
        return {"column": value}
    if not isinstance(value, dict):
        raise doc.fail(f"'{key}' must be a column name or a mapping with 'column', got {_kind(value)}", key)
    _known(value, SUB_KEYS[key], doc, key)
    return value


def _choice(spec: dict, key: str, choices, default: str, doc: _Doc, *path) -> str:
    value = spec.get(key, default)
    if not isinstance(value, str) or value.upper() not in [c.upper() for c in choices]:
        shown = _kind(value) if not isinstance(value, str) else repr(value)
        raise doc.fail(f"{_name(path + (key,))} must be one of {', '.join(choices)}, got {shown}", *path, key)
    return next(c for c in choices if c.upper() == value.upper())


_QUANTIFIER = re.compile(r"[*+?]|\{(\d*)(,?)(\d*)\}")


def _most(quantifier: re.Match) -> int | None:
    """How many times a quantifier lets its atom repeat at most (``None``: without bound)."""
    text = quantifier.group()
    if text in "*+":
        return None
    if text == "?":
        return 1
    low, comma, high = quantifier.groups()
    if not comma:
        return int(low)
    return int(high) if high else None


def check_pattern(pattern: str) -> str | None:
    r"""Why *pattern* is refused as a ``subtotal.pattern`` (``None``: accepted).

    Matching time must stay near linear in the cell: no back-references, no repeated group
    that itself repeats or holds alternatives, at most two unbounded repeats. The pattern is
    read once, left to right, keeping for each open group whether it holds a repeat or a ``|``.

    >>> check_pattern("^รวม"), check_pattern(r"^\s*(รวม|ยอดรวม)\s*$"), check_pattern(r"^(\d+)?[.]")
    (None, None, None)
    >>> check_pattern("^(a|a)*$")
    'a repeated group holds alternatives or another repeat (exponential matching time)'
    >>> check_pattern(r"(a)\1")
    'back-references are not allowed'
    """
    if len(pattern) > MAX_PATTERN:
        return f"longer than {MAX_PATTERN} characters"
    try:
        re.compile(pattern)
    except (re.error, RecursionError, OverflowError) as exc:
        return f"not a regular expression: {exc}"
    groups: list[bool] = [False]  # per open group: it holds a repeat or an alternative
    unbounded, i = 0, 0
    while i < len(pattern):
        char, after = pattern[i], None
        if char == "\\":
            if i + 1 < len(pattern) and (pattern[i + 1] in "123456789" or pattern[i + 1] == "g"):
                return "back-references are not allowed"
            i += 2
        elif char == "[":  # a class: skip to its end (a ] first in the class is literal)
            j = i + 1 + (pattern[i + 1:i + 2] == "^")
            j += pattern[j:j + 1] == "]"
            while j < len(pattern) and pattern[j] != "]":
                j += 2 if pattern[j] == "\\" else 1
            i = j + 1
        elif char == "(":
            if pattern.startswith("(?P=", i) or pattern.startswith("(?(", i):
                return "back-references are not allowed"
            groups.append(False)
            i += 1
            continue
        elif char == ")":
            after = groups.pop() if len(groups) > 1 else False
            i += 1
        elif char == "|":
            groups[-1] = True
            i += 1
            continue
        else:
            i += 1
        quantifier = _QUANTIFIER.match(pattern, i)
        if quantifier and quantifier.group() != "{}":  # {} is two literal braces
            most = _most(quantifier)
            if most is None or most > 1000:
                unbounded += 1
            if (most is None or most > 1) and after:
                return "a repeated group holds alternatives or another repeat (exponential matching time)"
            groups[-1] = True
            i = quantifier.end() + (pattern[quantifier.end():quantifier.end() + 1] in "?+")  # lazy / possessive
        elif after:
            groups[-1] = True  # the group's repeat or | is inside the enclosing group too
    if unbounded > 2:
        return f"{unbounded} unbounded repeats (at most 2: matching time grows with the cell's length to that power)"
    return None


def parse_mapping(doc, source: str = "", node=None) -> Mapping:
    """Validate a loaded YAML document into a :class:`Mapping` (InputError on any problem; with the
    YAML *node*, the error names the line)."""
    where = _Doc(node)
    if not isinstance(doc, dict):
        raise where.fail("mapping must be a YAML mapping (key: value)")
    _known(doc, TOP_KEYS, where)
    raw_levels = doc.get("levels")
    if not isinstance(raw_levels, list) or not raw_levels:
        raise where.fail("'levels' must be a non-empty list", "levels")
    levels, seen = [], set()
    for i, spec in enumerate(raw_levels):
        if not isinstance(spec, dict):
            raise where.fail(f"levels[{i + 1}] must be a mapping with key, label_th, label_en, columns", "levels", i)
        _known(spec, LEVEL_KEYS, where, "levels", i)
        at = ("levels", i)
        key = _text(spec, "key", at, where)
        if not _KEY.match(key):
            raise where.fail(f"levels[{i + 1}].key {key!r} must be lower-case letters, digits and _", *at, "key")
        if key in seen:
            raise where.fail(f"level key {key!r} appears twice", *at, "key")
        seen.add(key)
        if "columns" in spec and "column" in spec:
            raise where.fail(f"levels[{i + 1}] ({key}) has both 'columns' and 'column'; keep one", *at, "column")
        columns = _texts(spec, "columns" if "columns" in spec else "column", where, *at, allow_one=True)
        if columns is None or not all(c.strip() for c in columns):
            raise where.fail(f"levels[{i + 1}] ({key}) needs 'columns': a list of column names", *at)
        levels.append(Level(key, _text(spec, "label_th", at, where), _text(spec, "label_en", at, where),
                            tuple(columns)))
    for key in ("fiscal_year", "amount"):
        if doc.get(key) is None:
            raise where.fail(f"'{key}' is required: a column name or a mapping with 'column'", key)
    year = _sub(doc, "fiscal_year", where)
    era = _choice(year, "era", ERAS, "BE", where, "fiscal_year")
    amount = _sub(doc, "amount", where)
    unit = _choice(amount, "unit", tuple(UNITS), "baht", where, "amount")
    phase = _choice(doc, "phase", PHASES, "proposed", where)
    obligation = _sub(doc, "obligation", where)
    row_filter = _sub(doc, "row_filter", where)
    subtotal = _sub(doc, "subtotal", where)
    pattern = _text(subtotal, "pattern", ("subtotal",), where, required=False) if "pattern" in subtotal else None
    if "pattern" in subtotal and not isinstance(subtotal["pattern"], str):
        raise where.fail(f"subtotal.pattern must be text, got {_kind(subtotal['pattern'])}", "subtotal", "pattern")
    if pattern is not None:
        why = check_pattern(str(subtotal["pattern"]))
        if why:
            raise where.fail(f"subtotal.pattern is refused: {why}", "subtotal", "pattern")
        pattern = str(subtotal["pattern"])
    if subtotal and ("column" not in subtotal or pattern is None):
        raise where.fail("subtotal needs both 'column' and 'pattern'", "subtotal")
    bill_year = doc.get("bill_year")
    if "bill_year" in doc and (not isinstance(bill_year, int) or isinstance(bill_year, bool)
                               or not 2400 <= bill_year <= 2700):
        raise where.fail(f"bill_year must be a Buddhist-era year such as 2565, got {bill_year!r}", "bill_year")
    filter_values = _texts(row_filter, "equals", where, "row_filter", allow_one=True)
    if row_filter and (filter_values is None or "column" not in row_filter):
        raise where.fail("row_filter needs both 'column' and 'equals'", "row_filter")
    true_values = _texts(obligation, "true_values", where, "obligation", allow_one=False)
    for key in ("name", "title", "title_en"):
        if key in doc and not isinstance(doc[key], str):
            raise where.fail(f"'{key}' must be text, got {_kind(doc[key])}", key)
    return Mapping(
        name=str(doc.get("name") or Path(source).stem or "mapping"),
        levels=tuple(levels),
        year_column=_text(year, "column", "fiscal_year", where),
        era=era,
        amount_column=_text(amount, "column", "amount", where),
        unit=unit,
        title=str(doc.get("title", "") or ""),
        title_en=str(doc.get("title_en", "") or ""),
        phase=phase,
        item_id=_text(doc, "item_id", (), where, required=False),
        page=_text(doc, "page", (), where, required=False),
        volume=_text(doc, "volume", (), where, required=False),
        unit_column=_text(doc, "unit", (), where, required=False),
        obligation_column=_text(obligation, "column", "obligation", where, required=bool(obligation)),
        obligation_true=true_values if true_values is not None else _DEFAULT_TRUE,
        bill_year=bill_year,
        filter_column=_text(row_filter, "column", "row_filter", where, required=False),
        filter_values=filter_values or (),
        subtotal_column=_text(subtotal, "column", "subtotal", where, required=False),
        subtotal_pattern=pattern,
        source=source,
    )


def load_mapping(name_or_file: str | Path) -> Mapping:
    """A bundled mapping by name (``budget-bill``) or a YAML file; InputError naming the file."""
    text_name = str(name_or_file)
    path = Path(text_name)
    if not path.is_file():
        bundled = MAPPINGS_DIR / f"{text_name}.yaml"
        if "/" not in text_name and bundled.is_file():
            path = bundled
        else:
            known = ", ".join(bundled_mappings()) or "none"
            raise InputError(f"no such mapping file or bundled mapping (bundled: {known})", path=text_name)
    doc, node = load_file_with_node(path, limit=SMALL_LIMIT)
    try:
        mapping = parse_mapping(doc, source=text_name, node=node)
    except InputError as exc:
        raise InputError(exc.message, path=text_name, line=exc.line) from None
    if path.parent == MAPPINGS_DIR:
        mapping = replace(mapping, source=path.stem)
    return mapping
