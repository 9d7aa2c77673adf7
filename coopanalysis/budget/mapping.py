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
    unit: RESPONSIBLE_UNIT         # optional: responsible-unit column
    obligation: {column: "OBLIGED?", true_values: ["True"]}   # optional: multi-year rows
    bill_year: 2565                # optional (BE): else the most common year of non-obligation rows
    row_filter: {column: STATUS, equals: ["kept"]}            # optional: other rows are skipped
    subtotal: {column: ITEM_DESCRIPTION, pattern: "^รวม"}     # optional: printed subtotal rows
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

from .. import paths
from ..errors import InputError
from ..safeio import SMALL_LIMIT
from ..yamlsafe import load_file

__all__ = ["Level", "Mapping", "MAPPINGS_DIR", "UNITS", "ERAS", "PHASES", "load_mapping", "bundled_mappings"]

MAPPINGS_DIR = paths.PARAMS / "mappings"
#: divisor from the unit to million baht
UNITS = {"baht": Decimal(1_000_000), "thousand_baht": Decimal(1_000), "million_baht": Decimal(1)}
ERAS = ("BE", "CE")
PHASES = ("proposed", "approved")
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,40}$")


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


def _text(spec: dict, key: str, where: str, required: bool = True) -> str | None:
    value = spec.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise InputError(f"mapping: {where} needs '{key}'")
        return None
    if not isinstance(value, (str, int)):
        raise InputError(f"mapping: {where}.{key} must be text, got {type(value).__name__}")
    return str(value).strip()


def _sub(doc: dict, key: str) -> dict:
    value = doc.get(key)
    if value is None:
        return {}
    if isinstance(value, str):
        return {"column": value}
    if not isinstance(value, dict):
        raise InputError(f"mapping: '{key}' must be a column name or a mapping with 'column'")
    return value


def parse_mapping(doc, source: str = "") -> Mapping:
    """Validate a loaded YAML document into a :class:`Mapping` (InputError on any problem)."""
    if not isinstance(doc, dict):
        raise InputError("mapping must be a YAML mapping (key: value)")
    raw_levels = doc.get("levels")
    if not isinstance(raw_levels, list) or not raw_levels:
        raise InputError("mapping: 'levels' must be a non-empty list")
    levels, seen = [], set()
    for i, spec in enumerate(raw_levels, 1):
        if not isinstance(spec, dict):
            raise InputError(f"mapping: levels[{i}] must be a mapping with key, label_th, label_en, columns")
        key = _text(spec, "key", f"levels[{i}]")
        if not _KEY.match(key):
            raise InputError(f"mapping: levels[{i}].key {key!r} must be lower-case letters, digits and _")
        if key in seen:
            raise InputError(f"mapping: level key {key!r} appears twice")
        seen.add(key)
        columns = spec.get("columns", spec.get("column"))
        if isinstance(columns, str):
            columns = [columns]
        if not isinstance(columns, list) or not columns or not all(isinstance(c, str) and c for c in columns):
            raise InputError(f"mapping: levels[{i}] ({key}) needs 'columns': a list of column names")
        levels.append(Level(key, _text(spec, "label_th", f"levels[{i}]"),
                            _text(spec, "label_en", f"levels[{i}]"), tuple(columns)))
    year = _sub(doc, "fiscal_year")
    era = str(year.get("era", "BE")).upper()
    if era not in ERAS:
        raise InputError(f"mapping: fiscal_year.era must be BE or CE, got {era!r}")
    amount = _sub(doc, "amount")
    unit = str(amount.get("unit", "baht"))
    if unit not in UNITS:
        raise InputError(f"mapping: amount.unit must be one of {', '.join(UNITS)}, got {unit!r}")
    phase = str(doc.get("phase", "proposed"))
    if phase not in PHASES:
        raise InputError(f"mapping: phase must be proposed or approved, got {phase!r}")
    obligation = _sub(doc, "obligation")
    row_filter = _sub(doc, "row_filter")
    subtotal = _sub(doc, "subtotal")
    pattern = subtotal.get("pattern")
    if pattern is not None:
        try:
            re.compile(str(pattern))
        except re.error as exc:
            raise InputError(f"mapping: subtotal.pattern is not a regular expression: {exc}") from None
    bill_year = doc.get("bill_year")
    if bill_year is not None and (not isinstance(bill_year, int) or not 2400 <= bill_year <= 2700):
        raise InputError(f"mapping: bill_year must be a Buddhist-era year such as 2565, got {bill_year!r}")
    filter_values = row_filter.get("equals", [])
    if isinstance(filter_values, str):
        filter_values = [filter_values]
    return Mapping(
        name=str(doc.get("name") or Path(source).stem or "mapping"),
        levels=tuple(levels),
        year_column=_text(year, "column", "fiscal_year"),
        era=era,
        amount_column=_text(amount, "column", "amount"),
        unit=unit,
        title=str(doc.get("title", "") or ""),
        title_en=str(doc.get("title_en", "") or ""),
        phase=phase,
        item_id=_text(doc, "item_id", "mapping", required=False),
        page=_text(doc, "page", "mapping", required=False),
        unit_column=_text(doc, "unit", "mapping", required=False),
        obligation_column=_text(obligation, "column", "obligation", required=False),
        obligation_true=tuple(str(v) for v in obligation.get("true_values", ("True", "true", "TRUE", "1"))),
        bill_year=bill_year,
        filter_column=_text(row_filter, "column", "row_filter", required=False),
        filter_values=tuple(str(v) for v in filter_values),
        subtotal_column=_text(subtotal, "column", "subtotal", required=False),
        subtotal_pattern=str(pattern) if pattern is not None else None,
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
    doc = load_file(path, limit=SMALL_LIMIT)
    try:
        mapping = parse_mapping(doc, source=text_name)
    except InputError as exc:
        raise InputError(exc.message, path=text_name) from None
    if path.parent == MAPPINGS_DIR:
        mapping = replace(mapping, source=path.stem)
    return mapping
