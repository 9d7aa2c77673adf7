"""Reports: notebook parameters, the parallel papermill runner, the HTML export and the index.

* :mod:`coopanalysis.report.params`: load ``params/*.yaml`` and command-line values, validate
  them against the plan's strategies before any kernel starts (``ParamsError``, exit 2).
* :mod:`coopanalysis.report.jobs`, :mod:`~coopanalysis.report.kernel`,
  :mod:`~coopanalysis.report.runner`: what runs, the warm-kernel worker, the pool.
* :mod:`coopanalysis.report.export`: a self-contained HTML page per executed notebook.
* :mod:`coopanalysis.report.index`: ``index.html``; :func:`show_summary` for notebooks.

What the reports show (tables, headings, findings, escaping) is the presentation layer,
:mod:`coopanalysis.present`. Notebooks use this package for their parameters only
(:func:`load_plan`, :func:`check_strategy`) and hand their summary to the index
(:func:`show_summary`).

Importing this package is cheap (the runner's parent process imports it): pandas and the
plan are imported inside the functions that need them.
"""

from __future__ import annotations

from pathlib import Path

from coopanalysis.report.index import show_summary

__all__ = ["show_summary", "run_report", "load_plan", "check_strategy"]


def run_report(*args, **kwargs):
    """See :func:`coopanalysis.report.runner.run_report`."""
    from coopanalysis.report.runner import run_report as _run

    return _run(*args, **kwargs)


def load_plan(source: str | Path | None = ""):
    """The plan at *source* (a notebook's ``source`` parameter): empty = the bundled data,
    relative paths from the project root (never the working directory)."""
    from coopanalysis import paths
    from coopanalysis.model.plan import load
    from coopanalysis.report.params import resolve_path

    return load(resolve_path(source, paths.PLAN_DIR))


def check_strategy(plan, strategy_id) -> str:
    """*strategy_id* checked against the plan (ParamsError listing the valid choices)."""
    from coopanalysis.report.params import normalize_strategy_id

    return normalize_strategy_id(strategy_id, plan.strategy_ids())
