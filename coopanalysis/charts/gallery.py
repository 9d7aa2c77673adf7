"""The chart gallery: all six charts of one plan, as PNG and SVG, in one directory.

``python -m coopanalysis.charts.gallery`` (``make figures``) rebuilds ``docs/figures/`` from
``data/plan/``. The files are reproducible (see :func:`coopanalysis.charts.save`), so
rebuilding unchanged data changes nothing in git.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from coopanalysis import paths
from coopanalysis.charts.budget import budget_by_year, strategy_budget
from coopanalysis.charts.gaps import gaps
from coopanalysis.charts.hierarchy import hierarchy
from coopanalysis.charts.kpis import kpi_targets
from coopanalysis.charts.save import save
from coopanalysis.charts.units import unit_heatmap
from coopanalysis.model.plan import Plan, load

__all__ = ["GALLERY", "build_gallery", "main"]

#: (file stem, chart function, keyword arguments): the six charts, in reading order.
GALLERY = (
    ("01_strategy_budget", strategy_budget, {}),
    ("02_budget_by_year", budget_by_year, {}),
    ("03_unit_heatmap_equal", unit_heatmap, {"policy": "equal", "by": "strategy"}),
    ("04_gaps_strategy", gaps, {"level": "strategy"}),
    ("05_hierarchy", hierarchy, {}),
    ("06_kpi_targets", kpi_targets, {}),
)


def build_gallery(plan: Plan, out_dir: str | Path = paths.FIGURES, thai_digits: bool = True) -> list[Path]:
    """Write the six charts of *plan* to *out_dir* (``<stem>.png`` and ``<stem>.svg`` each);
    return the paths written, in gallery order."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for stem, chart, kwargs in GALLERY:
        fig = chart(plan, thai_digits=thai_digits, **kwargs)
        written += save(fig, out_dir / stem)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m coopanalysis.charts.gallery", description=__doc__.splitlines()[0])
    parser.add_argument("plan", nargs="?", default=str(paths.PLAN_DIR), help="ingested plan directory or plan text")
    parser.add_argument("out_dir", nargs="?", default=str(paths.FIGURES), help="where to write the figures")
    parser.add_argument("--arabic-digits", action="store_true", help="Arabic instead of Thai digits")
    args = parser.parse_args(argv)
    for path in build_gallery(load(args.plan), args.out_dir, thai_digits=not args.arabic_digits):
        print(path)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
