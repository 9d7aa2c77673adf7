"""Reports: notebook parameters, the parallel papermill runner, the HTML export and the index.

* :mod:`coopanalysis.report.params`: load ``params/*.yaml`` and command-line values, validate
  them against the plan's strategies before any kernel starts (``ParamsError``, exit 2).
* :mod:`coopanalysis.report.jobs`, :mod:`~coopanalysis.report.kernel`,
  :mod:`~coopanalysis.report.runner`: what runs, the warm-kernel worker, the pool.
* :mod:`coopanalysis.report.node`: the report of one node of any level (``node_report.ipynb``):
  a plan's strategy or a budget table's agency alike, its sections branching on what the
  dataset holds (:func:`node_page`).
* :mod:`coopanalysis.report.export`: a self-contained HTML page per executed notebook.
* :mod:`coopanalysis.report.index`: ``index.html``; :func:`show_summary` for notebooks.

What the reports show (tables, headings, findings, escaping) is the presentation layer,
:mod:`coopanalysis.present`. Notebooks use this package for their parameters (:func:`load_plan`,
:func:`node_page`) and hand their summary to the index (:func:`show_summary`).

Importing this package is cheap (the runner's parent process imports it): pandas and the
plan are imported inside the functions that need them.
"""

from __future__ import annotations

from pathlib import Path

from coopanalysis.report.index import show_summary

__all__ = ["show_summary", "run_report", "load_plan", "node_page"]


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


def node_page(*args, **kwargs):
    """See :func:`coopanalysis.report.node.node_page`."""
    from coopanalysis.report.node import node_page as _page

    return _page(*args, **kwargs)
