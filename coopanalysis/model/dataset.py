"""The one dataset type: a hierarchy of nodes with yearly amounts and printed totals, any source.

A :class:`Dataset` is what :func:`coopanalysis.load` returns for a plan's text, an ingested
folder, or budget tables read through a mapping. Its *levels* are data (a plan: strategy →
tactic → project; the budget-bill mapping: ministry → budgetary_unit → … → item).

Tables (plain pandas, numeric amounts):

* ``nodes``: ``node_id``, ``level``, ``parent_id`` ('' at the top), ``name``, ``label`` (the
  printed label, e.g. ``"5.1"``), ``source_line``.
* ``amounts``: ``node_id``, ``fiscal_year`` (BE, ``Int64``; missing for a whole-period amount
  that the document does not split into years), ``amount_mb`` (``float64``, million baht),
  ``status``, ``source``, ``source_line`` and ``page`` (``Int64``).
* ``stated``: printed totals: ``node_id``, ``fiscal_year`` (missing = the whole period),
  ``amount_mb``, ``source_line``, ``page``.

Exactness: amounts are stored as float64 million baht and summed as integer **satang**
(1 million baht = 100,000,000 satang; every float64 of up to 15 significant digits maps back to
its decimal exactly, and the whole Thai budget is about 3.1 million million baht, 15 digits in
satang). So a sum is exact, and a figure shown in million baht is exactly the printed one. An
amount finer than a satang is rounded to a satang and reported by :func:`coopanalysis.check`
(``finer_than_satang``), never rounded silently. :func:`satang` is the one conversion and
:func:`sum_satang` the one sum: a plan's :class:`~coopanalysis.model.figures.Figures` use them too
(and refuse an amount :func:`inexact` flags).

Nothing is cached: every figure is computed from the tables when asked, so an edit of
``ds.amounts`` (in place or through :meth:`Dataset.replace`) changes every figure after it.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from coopanalysis.errors import LimitError

__all__ = ["MAX_EXACT_MB", "SATANG_PER_MB", "Dataset", "Level", "decimal_mb", "inexact", "million_baht", "satang",
           "sum_satang"]

#: Satang in one million baht.
SATANG_PER_MB = 100_000_000
#: The largest amount (million baht) whose every satang a float64 holds: 2**53 satang, about
#: 90 million million baht (the whole Thai budget is about 3.1).
MAX_EXACT_MB = 2**53 / SATANG_PER_MB

NODE_COLUMNS = ["node_id", "level", "parent_id", "name", "label", "source_line"]
AMOUNT_COLUMNS = ["node_id", "fiscal_year", "amount_mb", "status", "source", "source_line", "page"]
STATED_COLUMNS = ["node_id", "fiscal_year", "amount_mb", "source_line", "page"]


def satang(amount_mb) -> pd.Series:
    """Million baht (numbers) → integer satang (``Int64``; missing stays missing).

    >>> satang(pd.Series([2597.5571, 0.1, None])).tolist()
    [259755710000, 10000000, <NA>]
    >>> satang(pd.Series([1e12]))
    Traceback (most recent call last):
    ...
    coopanalysis.errors.LimitError: an amount of 1,000,000,000,000 million baht is too large to add up (more than 92,233,720,369 million baht in satang); is it a typing error?
    """
    values = pd.to_numeric(pd.Series(amount_mb), errors="coerce").astype("float64")
    cents = np.rint(values * SATANG_PER_MB)
    beyond = cents.abs() >= 2.0**63  # NaN compares False; inf is beyond
    if beyond.any():
        value = values[beyond].iloc[0]
        raise LimitError(f"an amount of {value:,.0f} million baht is too large to add up (more than "
                         f"{2**63 / SATANG_PER_MB:,.0f} million baht in satang); is it a typing error?")
    return pd.Series(cents, index=values.index).astype("Int64")


def million_baht(amount_satang) -> pd.Series:
    """Integer satang → million baht (``float64``), the float nearest the exact decimal.

    >>> million_baht(pd.Series([259755710000, 15800000000], dtype="Int64")).tolist()
    [2597.5571, 158.0]
    """
    series = pd.Series(amount_satang)
    return series.astype("Float64").astype("float64") / SATANG_PER_MB


def inexact(amount_mb) -> pd.Series:
    """True where an amount (million baht) is not a whole number of satang that a float64 holds
    exactly: finer than a satang, beyond ±:data:`MAX_EXACT_MB`, or infinite. Missing is exact.

    >>> inexact(pd.Series([2597.5571, 0.00000001, 1 / 3, 0.000000004, 1e24, None])).tolist()
    [False, False, True, True, True, False]
    """
    values = pd.to_numeric(pd.Series(amount_mb), errors="coerce").astype("float64")
    huge = values.abs() > MAX_EXACT_MB  # NaN compares False; inf is huge
    within = values.where(~huge)
    return huge | (within.notna() & (million_baht(satang(within)) != within))


def decimal_mb(amount_satang) -> Decimal | None:
    """Integer satang → the exact million baht as a ``Decimal`` (None for missing).

    >>> decimal_mb(259755710000), decimal_mb(15800000000), decimal_mb(pd.NA)
    (Decimal('2597.5571'), Decimal('158'), None)
    """
    return None if pd.isna(amount_satang) else Decimal(int(amount_satang)) / SATANG_PER_MB


def sum_satang(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """The one roll-up's sum: *frame*'s ``amount_mb`` added up exactly per *keys* (missing keys
    are a group too), as *keys*, ``computed_satang`` (``Int64``; missing when every amount of the
    group is) and ``rows``, groups in order of appearance.

    >>> sum_satang(pd.DataFrame({"k": ["a", "a", "b"], "amount_mb": [0.1, 0.2, None]}), ["k"]).values.tolist()
    [['a', 30000000, 2], ['b', <NA>, 1]]
    """
    grouped = frame.assign(_satang=satang(frame["amount_mb"])).groupby(keys, dropna=False, sort=False)["_satang"]
    return pd.DataFrame({"computed_satang": grouped.sum(min_count=1), "rows": grouped.size()}).reset_index()


@dataclass(frozen=True)
class Level:
    """One level of a dataset's hierarchy."""

    key: str
    label_th: str
    label_en: str


def _typed(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """*frame* with *columns* (missing ones added empty) and their dtypes: ids and names text,
    years and lines ``Int64``, amounts ``float64``."""
    out = frame.copy()
    for column in columns:
        if column not in out:
            out[column] = pd.NA
    out = out[columns + [c for c in out.columns if c not in columns]]
    for column in out.columns:
        if column in ("fiscal_year", "source_line", "page"):
            out[column] = pd.to_numeric(out[column], errors="coerce").astype("Int64")
        elif column == "amount_mb":
            out[column] = pd.to_numeric(out[column], errors="coerce").astype("float64")
        elif column in ("node_id", "level", "parent_id", "name", "label", "status", "source"):
            out[column] = out[column].fillna("").astype(str)
    return out.reset_index(drop=True)


@dataclass(frozen=True, repr=False, eq=False)
class Dataset:
    """A plan or a budget table as one hierarchy: ``nodes``, ``amounts``, ``stated`` (see the module).

    ``provenance`` holds how the tables were made: ``ingest_report`` (every source line or row
    not used as it is, and why), ``corrections`` (reviewed corrections with their reasons),
    ``sources`` and ``meta`` (the source's own description, e.g. ``plan.json``). ``extras``
    holds what only one kind of source has, by name (a plan's ``kpis``, ``project_units``,
    ``listings`` …; a budget table's ``items`` with every column).

    >>> import coopanalysis as ca
    >>> plan = ca.load()
    >>> plan.level_keys, plan.years[0], plan.years[-1]
    (['strategy', 'tactic', 'project'], 2560, 2564)
    """

    title: str
    kind: str
    levels: tuple[Level, ...]
    nodes: pd.DataFrame
    amounts: pd.DataFrame
    stated: pd.DataFrame
    provenance: dict = field(default_factory=dict)
    extras: dict = field(default_factory=dict)
    origin: Any = None  # the source's own record (a Plan, a BudgetDataset), for source-specific checks
    fingerprint: int | None = None  # of the amounts and printed totals as built from *origin*

    def __post_init__(self) -> None:
        object.__setattr__(self, "levels", tuple(lv if isinstance(lv, Level) else Level(**lv) for lv in self.levels))
        object.__setattr__(self, "nodes", _typed(self.nodes, NODE_COLUMNS))
        object.__setattr__(self, "amounts", _typed(self.amounts, AMOUNT_COLUMNS))
        object.__setattr__(self, "stated", _typed(self.stated, STATED_COLUMNS))
        if self.fingerprint is None and self.origin is not None:
            object.__setattr__(self, "fingerprint", self.content_hash())

    # ---- description ---------------------------------------------------------------------

    @property
    def level_keys(self) -> list[str]:
        return [level.key for level in self.levels]

    @property
    def years(self) -> list[int]:
        """The fiscal years (BE) the dataset has amounts for, in order."""
        years = self.amounts["fiscal_year"].dropna().unique()
        return sorted(int(y) for y in years)

    @property
    def meta(self) -> dict:
        return dict(self.provenance.get("meta", {}))

    @property
    def ingest_report(self) -> pd.DataFrame:
        return self.provenance.get("ingest_report", pd.DataFrame())

    @property
    def corrections(self) -> pd.DataFrame:
        return self.provenance.get("corrections", pd.DataFrame())

    def level(self, key: str) -> Level:
        """The level *key*; a ``KeyError`` listing the levels for an unknown key."""
        for level in self.levels:
            if level.key == key:
                return level
        raise KeyError(f"no level {key!r} in this dataset; its levels are {', '.join(self.level_keys)}")

    def content_hash(self) -> int:
        """A hash of the amounts and printed totals (what the figures are computed from)."""
        parts = [pd.util.hash_pandas_object(frame[["node_id", "fiscal_year", "amount_mb"]], index=False).sum()
                 for frame in (self.amounts, self.stated)]
        return int(sum(int(p) for p in parts) % (1 << 61))

    @property
    def derived(self) -> bool:
        """True when the amounts or printed totals differ from what the source gave."""
        return self.origin is None or self.content_hash() != self.fingerprint

    def replace(self, **changes) -> Dataset:
        """A new dataset with some tables replaced, e.g. ``ds.replace(amounts=edited)``."""
        return replace(self, **changes)

    # ---- the one roll-up -------------------------------------------------------------------

    def ancestors(self) -> pd.DataFrame:
        """Every (``node_id``, ``ancestor_id``) pair, the node itself included, with the
        ancestor's level: the closure the roll-up sums over."""
        parent = dict(zip(self.nodes["node_id"], self.nodes["parent_id"]))
        level = dict(zip(self.nodes["node_id"], self.nodes["level"]))
        pairs = pd.DataFrame({"node_id": self.nodes["node_id"], "ancestor_id": self.nodes["node_id"]})
        step, frames = pairs, [pairs]
        for _ in range(len(self.levels)):
            step = pd.DataFrame({"node_id": step["node_id"], "ancestor_id": step["ancestor_id"].map(parent)})
            step = step[step["ancestor_id"].fillna("") != ""]
            if step.empty:
                break
            frames.append(step)
        out = pd.concat(frames, ignore_index=True)
        out["ancestor_level"] = out["ancestor_id"].map(level)
        return out

    def computed(self, level: str | None = None, by_year: bool = False) -> pd.DataFrame:
        """Sums of the amounts beneath each node (of *level*, or every node), exact, as
        ``node_id`` [, ``fiscal_year``], ``computed_satang``, ``rows``."""
        closure = self.ancestors()
        if level is not None:
            self.level(level)
            closure = closure[closure["ancestor_level"] == level]
        joined = self.amounts.merge(closure, on="node_id", how="inner")
        keys = ["ancestor_id", "fiscal_year"] if by_year else ["ancestor_id"]
        return sum_satang(joined, keys).rename(columns={"ancestor_id": "node_id"})

    def figures(self, level: str, year: int | None = None) -> pd.DataFrame:
        """One row per node of *level*, in document order: ``node_id``, ``label``, ``name``,
        ``parent_id``, ``stated_mb`` (printed total, whole period or *year*), ``computed_mb``
        (sum of the amounts beneath), ``difference_mb`` (computed − stated). Numeric, exact
        to the satang; no totals row."""
        nodes = self.nodes[self.nodes["level"] == self.level(level).key]
        if year is None:
            computed = self.computed(level)
            stated = self.stated[self.stated["fiscal_year"].isna()]
        else:
            computed = self.computed(level, by_year=True)
            computed = computed[computed["fiscal_year"] == year].drop(columns="fiscal_year")
            stated = self.stated[self.stated["fiscal_year"] == year]
        stated = stated.assign(stated_satang=satang(stated["amount_mb"])).groupby("node_id", sort=False)[
            "stated_satang"].first()
        out = nodes[["node_id", "label", "name", "parent_id"]].copy()
        out["stated_satang"] = out["node_id"].map(stated).astype("Int64")
        out["computed_satang"] = out["node_id"].map(computed.set_index("node_id")["computed_satang"]).astype("Int64")
        out["stated_mb"] = million_baht(out["stated_satang"])
        out["computed_mb"] = million_baht(out["computed_satang"])
        out["difference_mb"] = million_baht(out["computed_satang"] - out["stated_satang"])
        return out.drop(columns=["stated_satang", "computed_satang"]).reset_index(drop=True)

    # ---- finding nodes and years ---------------------------------------------------------

    def find(self, query: str, level: str | None = None) -> pd.DataFrame:
        """Nodes whose names match *query*, best first: ``node_id``, ``level``, ``label``,
        ``name``, ``score`` (1 = the whole name). Thai-normalised, spacing- and digit-insensitive
        (Thai and Arabic digits alike); an exact label or id matches too.

        >>> import coopanalysis as ca
        >>> ca.load().find("ธรรมาภิบาล").iloc[0]["label"]
        '8'
        """
        from coopanalysis.text.thai import match_key

        key = match_key(str(query))
        nodes = self.nodes if level is None else self.nodes[self.nodes["level"] == self.level(level).key]
        if not key:
            return nodes.iloc[0:0][["node_id", "level", "label", "name"]].assign(score=pd.Series(dtype="float64"))
        names = pd.Series(nodes["name"].unique())
        keys = names.map(match_key)
        score = pd.Series(
            [len(key) / max(len(k), 1) if key in k else 0.0 for k in keys], index=names.to_numpy(), dtype="float64")
        out = nodes[["node_id", "level", "label", "name"]].assign(score=nodes["name"].map(score).fillna(0.0))
        exact = (out["label"] == str(query)) | (out["node_id"] == str(query))
        out.loc[exact, "score"] = 1.0
        rank = out["level"].map({k: i for i, k in enumerate(self.level_keys)})
        out = out.assign(rank=rank)[out["score"] > 0].sort_values(["score", "rank"], ascending=[False, True])
        return out.drop(columns="rank").reset_index(drop=True)

    def node(self, ref: str) -> str:
        """The node id of *ref*: a node id, a printed label (``"5"``) or a name; an unknown or
        ambiguous *ref* is a ``KeyError`` that lists the candidates."""
        ref = str(ref)
        for column in ("node_id", "label"):
            hits = self.nodes.loc[self.nodes[column] == ref, "node_id"]
            if len(hits) == 1:
                return str(hits.iloc[0])
            if len(hits) > 1:
                raise KeyError(f"{ref!r} is ambiguous: {', '.join(hits.head(10))}; give one of these ids")
        found = self.find(ref)
        whole = found[found["score"] == 1.0]
        if len(whole) == 1 or (len(whole) == 0 and len(found) == 1):
            return str((whole if len(whole) else found)["node_id"].iloc[0])
        if found.empty:
            raise KeyError(f"no node named {ref!r}; search with ds.find(...)")
        shown = "; ".join(f"{r.node_id} {r.name}" for r in found.head(8).itertuples())
        raise KeyError(f"{ref!r} matches several nodes: {shown}; give a node id")

    def beneath(self, ref: str) -> list[str]:
        """The ids of the node *ref* (see :meth:`node`) and every node beneath it."""
        node_id = self.node(ref)
        closure = self.ancestors()
        return closure.loc[closure["ancestor_id"] == node_id, "node_id"].tolist()

    def fiscal_year(self, year) -> int:
        """*year* checked against the dataset's own years (BE); a Christian-era year is refused
        with the BE year it probably means."""
        from coopanalysis.errors import FiscalYearError

        try:
            value = int(str(year).strip())
        except ValueError:
            raise FiscalYearError(f"fiscal year must be a BE year such as {self.years[-1] if self.years else 2565}, "
                                  f"got {year!r}") from None
        if value in self.years:
            return value
        if value + 543 in self.years or 1900 <= value <= 2200:
            raise FiscalYearError(f"fiscal years are Buddhist-era (BE) here: did you mean {value + 543}?")
        span = f"{self.years[0]}-{self.years[-1]}" if self.years else "none"
        raise FiscalYearError(f"no amounts in fiscal year {value}; this dataset's years are {span} (BE)")

    # ---- what if ---------------------------------------------------------------------------

    def scale(self, factor, within: str | None = None, year: int | None = None) -> Dataset:
        """A new dataset whose amounts (under *within*, in *year*) are multiplied by *factor*,
        each rounded to the satang; this dataset is untouched. Printed totals stay as printed.

        >>> import coopanalysis as ca
        >>> plan = ca.load()
        >>> what_if = plan.scale(1.1, within="5")
        >>> float(what_if.figures("strategy").set_index("label").loc["5", "computed_mb"])
        173.8
        """
        rows = pd.Series(True, index=self.amounts.index)
        if within is not None:
            rows &= self.amounts["node_id"].isin(self.beneath(within))
        if year is not None:
            rows &= self.amounts["fiscal_year"] == self.fiscal_year(year)
        amounts = self.amounts.copy()
        scaled = satang(amounts.loc[rows, "amount_mb"]).astype("Float64") * float(factor)
        amounts.loc[rows, "amount_mb"] = million_baht(scaled.round().astype("Int64")).to_numpy()
        return self.replace(amounts=amounts)

    # ---- display -----------------------------------------------------------------------------

    def _counts(self) -> dict[str, int]:
        counts = self.nodes["level"].value_counts()
        return {key: int(counts.get(key, 0)) for key in self.level_keys}

    def __repr__(self) -> str:
        years = self.years
        span = f"{years[0]}-{years[-1]}" if years else "no years"
        counts = ", ".join(f"{n:,} {key}" for key, n in self._counts().items())
        title = self.title if len(self.title) <= 80 else self.title[:77] + "..."
        return (f"<Dataset {self.kind}: {title!r}; fiscal years {span} (BE); {counts}; "
                f"{len(self.amounts):,} amounts, {len(self.stated):,} printed totals>")

    def _repr_html_(self) -> str:
        years = self.years
        top = self.levels[0].key
        figures = self.figures(top)
        stated, computed = figures["stated_mb"].sum(min_count=1), figures["computed_mb"].sum(min_count=1)

        def mb(value) -> str:
            return "–" if pd.isna(value) else f"{value:,.4f}".rstrip("0").rstrip(".")

        rows = "".join(
            f"<tr><th style='text-align:left'>{html.escape(level.label_th)} ({html.escape(level.key)})</th>"
            f"<td style='text-align:right'>{self._counts()[level.key]:,}</td></tr>" for level in self.levels)
        return (
            "<div class='coopanalysis-card' style='border:1px solid #ccc;border-radius:6px;padding:8px 12px;"
            "max-width:40em;font-family:\"Noto Sans Thai\",sans-serif'>"
            f"<div style='font-weight:bold'>{html.escape(self.title)}</div>"
            f"<div>ปีงบประมาณ พ.ศ. {years[0] if years else '–'}–{years[-1] if years else '–'}"
            f" · {len(self.amounts):,} จำนวนเงิน · {len(self.stated):,} ยอดที่พิมพ์</div>"
            f"<table>{rows}</table>"
            f"<div>ยอดรวม{html.escape(self.levels[0].label_th)}ตามเอกสาร {mb(stated)} ล้านบาท · "
            f"คำนวณจากรายการ {mb(computed)} ล้านบาท</div>"
            f"<div style='color:#555'>ตรวจสอบ: <code>ca.check(ds)</code> ({html.escape(top)} → "
            f"{html.escape(self.levels[-1].key)})</div></div>")
