"""The rules of a changed dataset: a :class:`~coopanalysis.model.dataset.Dataset` whose amounts or
printed totals differ from what its source gave (``replace``, ``scale``, an edit in place).

The source's own rules need the source as printed (counts, names, hints), so a changed dataset
gets its printed totals compared with its own amounts, through the model's one roll-up
(:meth:`~coopanalysis.model.dataset.Dataset.computed`, integer satang), whatever the source.
Registered for the kind ``changed`` in :data:`coopanalysis.checks.rules.SOURCES`; findings are
kept in the order the rules give them.

======================  ========  ==========================================================
code                    severity  what
======================  ========  ==========================================================
``finer_than_satang``   warning   an amount finer than a satang (the roll-up rounds it)
``stated_total``        error     a printed total differs from the sum of the amounts beneath
                                  its node (the whole period, or its year)
======================  ========  ==========================================================
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from coopanalysis.checks.findings import Finding
from coopanalysis.checks.registry import ANY, Check, Rule
from coopanalysis.checks.tolerance import differs
from coopanalysis.model.dataset import SATANG_PER_MB, decimal_mb, satang

__all__ = ["ChangedContext", "RULES", "order"]


@dataclass(frozen=True)
class ChangedContext:
    """The changed ``dataset`` and the validated tolerances."""

    dataset: object
    tolerance: Decimal
    rel_tolerance: Decimal | None

    @classmethod
    def build(cls, dataset, tolerance: Decimal, rel_tolerance: Decimal | None) -> ChangedContext:
        return cls(dataset, tolerance, rel_tolerance)


def check_finer_than_satang(ctx: ChangedContext) -> list[Finding]:
    """A warning for each amount finer than a satang (the roll-up rounds it to the satang)."""
    dataset = ctx.dataset
    scaled = dataset.amounts["amount_mb"] * SATANG_PER_MB
    finer = dataset.amounts[(scaled - scaled.round()).abs() > 1e-6 * scaled.abs().clip(lower=1)]
    levels = dict(zip(dataset.nodes["node_id"], dataset.nodes["level"]))
    return [Finding("warning", "finer_than_satang", levels.get(row.node_id, "document"), row.node_id,
                    fiscal_year=None if pd.isna(row.fiscal_year) else int(row.fiscal_year),
                    message=f"จำนวนเงิน {row.amount_mb!r} ล้านบาท ละเอียดกว่า 1 สตางค์: รวมยอดโดยปัดเป็นสตางค์",
                    message_en=f"amount {row.amount_mb!r} million baht is finer than a satang: summed rounded "
                               "to the satang")
            for row in finer.itertuples()]


def check_totals(ctx: ChangedContext) -> list[Finding]:
    """Printed totals against the sums of the amounts beneath them."""
    dataset = ctx.dataset
    stated = dataset.stated.assign(stated_satang=satang(dataset.stated["amount_mb"])).dropna(subset=["stated_satang"])
    whole = stated[stated["fiscal_year"].isna()].drop(columns="fiscal_year").merge(
        dataset.computed(), on="node_id", how="left")
    yearly = stated[stated["fiscal_year"].notna()].merge(dataset.computed(by_year=True),
                                                         on=["node_id", "fiscal_year"], how="left")
    rows = pd.concat([whole, yearly], ignore_index=True).merge(
        dataset.nodes[["node_id", "level", "name", "label"]], on="node_id", how="left")
    out = []
    for row in rows.to_dict("records"):
        printed = decimal_mb(row["stated_satang"])
        if pd.isna(row["computed_satang"]):
            continue  # nothing beneath to compare with: the source's own rules say why
        summed = decimal_mb(row["computed_satang"])
        if not differs(printed, summed, ctx.tolerance, ctx.rel_tolerance):
            continue
        year = None if pd.isna(row["fiscal_year"]) else int(row["fiscal_year"])
        where = f"ปี {year}" if year else "ทั้งช่วงแผน"
        name = "" if pd.isna(row["name"]) else row["name"]
        out.append(Finding(
            "error", "stated_total", row["level"] if isinstance(row["level"], str) else "document",
            row["label"] if isinstance(row["label"], str) and row["label"] else row["node_id"], fiscal_year=year,
            stated=printed, computed=summed, difference=summed - printed, name=name,
            message=f"{name} {where}: ยอดที่พิมพ์ {printed.normalize():f} ล้านบาท แต่รายการรวมได้ "
                    f"{summed.normalize():f} ล้านบาท (ต่าง {(summed - printed).normalize():+f})",
            message_en=f"{name} ({'FY' + str(year) if year else 'whole period'}): printed {printed.normalize():f} "
                       f"million baht, the amounts beneath add up to {summed.normalize():f}"))
    return out


def order(findings, ctx: ChangedContext) -> list[Finding]:
    """The findings as the rules give them (amounts first, then totals)."""
    return list(findings)


#: The rules of a changed dataset, each function with the checks it declares, in the order
#: their findings are given.
RULES: tuple[Rule, ...] = (
    Rule(check_finer_than_satang, (Check("finer_than_satang", "warning", (ANY,), "จำนวนเงินละเอียดกว่า 1 สตางค์"),)),
    Rule(check_totals, (Check("stated_total", "error", (ANY,), "ยอดที่พิมพ์เทียบกับผลรวมของจำนวนเงิน"),)),
)
