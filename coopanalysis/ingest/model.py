"""Records the parser builds before they are written as tidy tables."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass
class Strategy:
    strategy_id: str
    names: dict[str, tuple[str, int]] = field(default_factory=dict)  # source -> (name, line)
    goal: str = ""
    stated_total: Decimal | None = None
    stated_total_line: int | None = None
    stated_count: int | None = None
    stated_count_line: int | None = None
    first_line: int | None = None
    present_in: list[str] = field(default_factory=list)


@dataclass
class Tactic:
    tactic_id: str
    strategy_id: str
    names: dict[str, tuple[str, int]] = field(default_factory=dict)
    stated_total: Decimal | None = None
    stated_total_line: int | None = None
    stated_count: int | None = None
    stated_count_line: int | None = None
    first_line: int | None = None
    present_in: list[str] = field(default_factory=list)


@dataclass
class Listing:
    """One table row that lists a project with (possibly) its budget cells."""

    project_id: str
    name: str
    line: int
    values: list[str] = field(default_factory=list)  # printed yearly+total cells, Arabic digits
    values_line: int | None = None
    units: list[str] = field(default_factory=list)


@dataclass
class Project:
    project_id: str
    strategy_id: str
    tactic_id: str = ""
    names: dict[str, tuple[str, int]] = field(default_factory=dict)
    listings: list[Listing] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    sheet_budget: list[tuple[int, str, int]] = field(default_factory=list)  # (year, amount, line)
    notes: list[str] = field(default_factory=list)
    generated_id: bool = False
    first_line: int | None = None
    # filled by reconciliation
    status: str = ""
    yearly: list[Decimal] | None = None
    total: Decimal | None = None
    total_corrected_from: str = ""
    corrected_from: dict[int, str] = field(default_factory=dict)


@dataclass
class KpiRow:
    strategy_id: str
    kpi_id: str
    name: str
    unit: str
    line: int
    targets: list[tuple[int, str, int]] = field(default_factory=list)  # (year, target, line)
    notes: dict[int, str] = field(default_factory=dict)  # line -> note on that target row


@dataclass
class Document:
    source_name: str
    title: str = ""
    organisation: str = ""
    years: list[int] = field(default_factory=list)
    vision: str = ""
    missions: list[str] = field(default_factory=list)
    strategic_goal: str = ""
    strategies: dict[str, Strategy] = field(default_factory=dict)
    tactics: dict[str, Tactic] = field(default_factory=dict)
    projects: dict[str, Project] = field(default_factory=dict)
    kpis: list[KpiRow] = field(default_factory=list)
    activities: list[dict] = field(default_factory=list)
    sheets: list[dict] = field(default_factory=list)
    unit_names: dict[str, str] = field(default_factory=dict)
    report: list[dict] = field(default_factory=list)  # ingest_report rows
    corrections: list[dict] = field(default_factory=list)
    dispositions: dict[int, str] = field(default_factory=dict)  # line -> blank|layout|used|unparsed
