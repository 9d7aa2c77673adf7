"""Each source's own record → the one :class:`~coopanalysis.model.dataset.Dataset`.

* :func:`from_plan`: a :class:`~coopanalysis.model.plan.Plan` (a plan's text, ingested). Node ids are
  level-qualified (``strategy:5``, ``tactic:5.1``, ``project:5.1``: a plan prints tactic 5.1 and
  project 5.1 alike); the printed label is ``label``. A project's amounts are the ones it counts
  with in its :class:`~coopanalysis.model.figures.Figures` (``Figures.amounts``): its yearly
  amounts when every year of the plan is known, else its printed total as one whole-period amount
  (``status`` ``printed_total``); a project with neither has no amount.
* :func:`from_budget`: a :class:`~coopanalysis.budget.BudgetDataset` (tables through a mapping).
  Node ids are the dotted ids of ``nodes.csv``; every item row is one amount (its ``kind``,
  ``obliged``, ``item_id`` and ``source_file`` kept beside it). ``provenance["parts"]``: the
  volume parts a ministry printed over several volumes was merged from (plan.json ``parts``, a
  frame; see :mod:`coopanalysis.budget.volumes`), empty when no name carries a part marker.
"""

from __future__ import annotations

import pandas as pd

from coopanalysis.model.dataset import Dataset, Level
from coopanalysis.model.figures import Figures

__all__ = ["PLAN_LEVELS", "from_budget", "from_plan", "plan_node_id"]

PLAN_LEVELS = (
    Level("strategy", "ยุทธศาสตร์", "strategy"),
    Level("tactic", "กลยุทธ์", "tactic"),
    Level("project", "โครงการ", "project"),
)


def plan_node_id(level: str, printed_id: str) -> str:
    """The node id of a plan's strategy, tactic or project.

    >>> plan_node_id("tactic", "5.1")
    'tactic:5.1'
    """
    return f"{level}:{printed_id}"


def _plan_nodes(plan, figures: Figures) -> pd.DataFrame:
    rows = []
    for group in figures.groups("strategy"):
        rows.append({"node_id": plan_node_id("strategy", group.id), "level": "strategy", "parent_id": "",
                     "name": group.name, "label": group.id, "source_line": group.source_line})
    for group in figures.groups("tactic"):
        rows.append({"node_id": plan_node_id("tactic", group.id), "level": "tactic",
                     "parent_id": plan_node_id("strategy", group.strategy_id) if group.strategy_id else "",
                     "name": group.name, "label": group.id, "source_line": group.source_line})
    for project in figures.projects.values():
        parent = (plan_node_id("tactic", project.tactic_id) if project.tactic_id
                  else plan_node_id("strategy", project.strategy_id) if project.strategy_id else "")
        rows.append({"node_id": plan_node_id("project", project.project_id), "level": "project",
                     "parent_id": parent, "name": project.name, "label": project.project_id,
                     "source_line": project.source_line})
    return pd.DataFrame(rows)


def _plan_amounts(figures: Figures) -> pd.DataFrame:
    amounts = figures.amounts
    return pd.DataFrame({
        "node_id": [plan_node_id("project", pid) for pid in amounts["project_id"]],
        "fiscal_year": amounts["fiscal_year"], "amount_mb": amounts["amount_mb"],
        "status": amounts["basis"].map({"yearly": "ok", "printed": "printed_total"}),
        "source": amounts["source"], "source_line": amounts["source_line"]})


def _plan_stated(figures: Figures) -> pd.DataFrame:
    rows = []
    for level in ("strategy", "tactic"):
        for group in figures.groups(level):
            if group.stated is not None:
                rows.append({"node_id": plan_node_id(level, group.id), "amount_mb": float(group.stated),
                             "source_line": group.stated_total_line or group.source_line})
    for project in figures.projects.values():
        if project.stated is not None:
            rows.append({"node_id": plan_node_id("project", project.project_id), "amount_mb": float(project.stated),
                         "source_line": project.source_line})
    frame = pd.DataFrame(rows, columns=["node_id", "amount_mb", "source_line"])
    frame.insert(1, "fiscal_year", None)
    return frame


def _plan_printed_counts(figures: Figures) -> pd.DataFrame:
    """The project counts a plan prints for its strategies and tactics: ``node_id``, ``stated_count``."""
    rows = [{"node_id": plan_node_id(level, group.id), "stated_count": group.stated_count}
            for level in ("strategy", "tactic") for group in figures.groups(level) if group.stated_count is not None]
    return pd.DataFrame(rows, columns=["node_id", "stated_count"]).astype({"stated_count": "Int64"})


#: A plan's tables that only a plan has, kept as named extras.
PLAN_EXTRAS = ("kpis", "project_units", "units", "activities", "listings", "project_sheets", "names",
               "budget", "projects", "strategies", "tactics")


def from_plan(plan) -> Dataset:
    """The dataset of a :class:`~coopanalysis.model.plan.Plan`."""
    figures = Figures.of(plan)
    tables = plan.tables
    return Dataset(
        title=plan.title, kind="plan", levels=PLAN_LEVELS,
        nodes=_plan_nodes(plan, figures), amounts=_plan_amounts(figures), stated=_plan_stated(figures),
        provenance={"meta": dict(plan.meta), "ingest_report": tables.get("ingest_report", pd.DataFrame()),
                    "corrections": tables.get("corrections_applied", pd.DataFrame()),
                    "sources": [str(plan.source)] if plan.source else [], "ingest_meta": dict(plan.ingest_meta)},
        extras={**{name: tables[name] for name in PLAN_EXTRAS if name in tables},
                "printed_counts": _plan_printed_counts(figures)},
        origin=plan,
    )


def from_budget(budget) -> Dataset:
    """The dataset of a :class:`~coopanalysis.budget.BudgetDataset`."""
    from coopanalysis.budget.volumes import PART_COLUMNS

    nodes = budget.nodes.rename(columns={})[["node_id", "level", "parent_id", "name"]].copy()
    nodes["label"] = ""
    items = budget.items
    amounts = pd.DataFrame({
        "node_id": items["node_id"], "fiscal_year": items["fiscal_year"],
        "amount_mb": pd.to_numeric(items["amount_mb"].replace("", None), errors="coerce"),
        "status": items["status"], "source": items["source_file"], "source_line": items["source_row"],
        "page": items["page"], "kind": items["kind"], "obliged": items["obliged"] == "true",
        "item_id": items["item_id"]})
    stated = budget.stated
    stated_frame = pd.DataFrame({
        "node_id": stated["node_id"], "fiscal_year": stated["fiscal_year"],
        "amount_mb": pd.to_numeric(stated["amount_mb"].replace("", None), errors="coerce"),
        "source_line": pd.to_numeric(stated["line"], errors="coerce"),
        "source": stated["source_file"],
        # as the totals file or the PDF prints them: a total may match several nodes (ids joined
        # with ';') or none ('' id), so the node table cannot name it
        "printed_level": stated["level"], "printed_name": stated["name"]})
    if "page" in stated:
        stated_frame["page"] = stated["page"]
    return Dataset(
        title=budget.title, kind="budget_table", levels=budget.levels,
        nodes=nodes, amounts=amounts, stated=stated_frame,
        provenance={"meta": {k: v for k, v in budget.plan.items() if k not in ("accounting", "parts")},
                    "parts": pd.DataFrame(budget.plan.get("parts", []), columns=PART_COLUMNS),
                    "ingest_report": budget.ingest_report, "corrections": budget.corrections,
                    "sources": list(budget.plan.get("sources", [])),
                    "accounting": budget.plan.get("accounting")},
        extras={"items": items},
        origin=budget,
    )
