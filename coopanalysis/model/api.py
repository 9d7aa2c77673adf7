"""The two entry points every user starts from: :func:`load` and :func:`check`."""

from __future__ import annotations

from pathlib import Path

from coopanalysis.checks.tolerance import DEFAULT_TOLERANCE
from coopanalysis.errors import InputError
from coopanalysis.model.build import from_budget, from_plan
from coopanalysis.model.dataset import Dataset
from coopanalysis.model.findings import Findings
from coopanalysis.paths import PLAN_DIR, ROOT

__all__ = ["check", "load", "use_thai_fonts"]



def _resolve(path: str | Path) -> Path:
    """*path* as given; a relative path missing here but present in the project (``data/plan``)
    is taken from the project, so a notebook outside the repository finds the bundled data."""
    path = Path(path).expanduser()
    if path.exists() or path.is_absolute():
        return path
    bundled = ROOT / path
    return bundled if bundled.exists() else path


def load(path: str | Path | None = None, mapping: str | Path | None = None, *, corrections: str | Path | None = None,
         stated: str | Path | None = None) -> Dataset:
    """Load any source as a :class:`Dataset`.

    * no *path*: the bundled plan (the Cooperative Promotion Department's plan 2560-2564),
      from any working directory;
    * a plan's text (``.txt``; ingested on the fly, with *corrections* if given) or a folder
      written by ``coopanalysis ingest`` (a plan's or a budget table's);
    * budget tables (``.csv``/``.xlsx``, a folder of them, or a list) with a *mapping* (a
      bundled name such as ``"budget-bill"`` or a YAML file), and optionally printed totals
      *stated* (a CSV in the stated-totals format) and reviewed *corrections* of table rows.

    *corrections* (a YAML file, e.g. ``data/corrections.yaml``) apply while ingesting: a folder
    already ingested holds the corrections it was ingested with (``ds.corrections``).

    >>> import coopanalysis as ca
    >>> plan = ca.load()
    >>> plan.kind, plan.meta["organisation"]
    ('plan', 'กรมส่งเสริมสหกรณ์')
    """
    from coopanalysis.budget import dataset_from_result, ingest_tables, is_budget_dataset, load_dataset, read_stated
    from coopanalysis.budget.reader import is_table_source
    from coopanalysis.model.plan import load as load_plan

    use_thai_fonts()
    if path is None:
        if mapping is not None:
            raise InputError("mapping= applies to budget tables; give their path too")
        if corrections is not None:
            raise InputError("corrections= applies to a plan's text or budget tables; the bundled plan is "
                             "already ingested with data/corrections.yaml")
        return _strategy_colours(from_plan(load_plan(PLAN_DIR)))
    sources = [_resolve(p) for p in path] if isinstance(path, (list, tuple)) else [_resolve(path)]
    for source in sources:
        if not source.exists():
            raise InputError("no such file or directory", path=source)
    first = sources[0]
    if corrections is not None and len(sources) == 1 and first.is_dir() and (first / "plan.json").exists():
        raise InputError("corrections= applies to tables or a plan's text; this folder is already ingested "
                         "(re-run 'coopanalysis ingest --corrections')", path=first)
    if len(sources) == 1 and first.is_dir() and is_budget_dataset(first):
        if mapping is not None:
            raise InputError("mapping= applies to tables; this folder is already ingested", path=first)
        budget = load_dataset(first)
        if stated is not None:
            budget = budget.with_stated(read_stated(stated, budget.level_keys, budget.nodes,
                                                    parts=budget.plan.get("parts")))
        return from_budget(budget)
    if mapping is not None:
        return from_budget(dataset_from_result(ingest_tables(sources, mapping, stated=stated,
                                                             corrections=corrections)))
    if len(sources) == 1 and (first.is_dir() and (first / "plan.json").exists() or first.is_file()
                              and not is_table_source(first)):
        if stated is not None:
            raise InputError("stated= applies to budget tables; a plan prints its own totals", path=first)
        return _strategy_colours(from_plan(load_plan(first, corrections=corrections)))
    raise InputError("budget tables need a mapping, e.g. mapping=\"budget-bill\" (the bundled one)", path=first)


def use_thai_fonts() -> str:
    """Make matplotlib draw Thai with the bundled Noto Sans Thai (no system font needed) in the
    analyst's own charts; return the family. Called by :func:`load`.

    >>> use_thai_fonts()
    'Noto Sans Thai'
    """
    import matplotlib

    from coopanalysis.charts.style import FALLBACK_FAMILY, register_fonts

    family = register_fonts()
    current = [f for f in matplotlib.rcParams["font.family"] if f not in (family, FALLBACK_FAMILY)]
    matplotlib.rcParams["font.family"] = [family, FALLBACK_FAMILY, *current]
    _show_figures_in_notebooks()
    return family


def _strategy_colours(ds: Dataset) -> Dataset:
    """Give matplotlib's colour cycle the plan's strategies in order, so a pandas chart of
    one's own (a line or wedge per strategy, in the order ``ca.by_year`` and ``ca.allocation``
    list them) colours each strategy as the package's charts do."""
    import matplotlib

    from coopanalysis.charts.style import strategy_cycle

    top = ds.nodes[ds.nodes["level"] == "strategy"]
    if len(top):
        matplotlib.rcParams["axes.prop_cycle"] = matplotlib.cycler(color=strategy_cycle(top["label"].tolist()))
    return ds


def _show_figures_in_notebooks() -> None:
    """In a notebook, a Figure returned by ``ca.chart`` shows as a picture even before pyplot
    is imported (IPython's own figure formatter, as ``%matplotlib inline`` sets it)."""
    try:
        from IPython import get_ipython
        from IPython.core.pylabtools import select_figure_formats
    except ImportError:  # no IPython: nothing to display into
        return
    shell = get_ipython()
    if shell is not None and hasattr(shell, "display_formatter"):
        select_figure_formats(shell, {"png"})


def check(dataset: Dataset, tolerance=DEFAULT_TOLERANCE, rel_tolerance=None) -> Findings:
    """Check every printed total of *dataset* against what lies beneath it; a :class:`Findings`.

    The one checks engine (:func:`coopanalysis.checks.run_checks`, as ``coopanalysis check``)
    runs the rules registered for the dataset's kind. A dataset as loaded gets every rule of its
    source (a plan's: project, tactic, strategy and plan totals, counts, names, hints; a budget
    table's: printed totals at any level and year against the one roll-up's sums, malformed
    amounts, duplicates, subtotals kept beside their items; ``compared`` and ``held`` count its
    printed totals). A dataset whose amounts were changed since (``replace``, an edit in place)
    gets the printed totals compared with its own amounts, and a note saying so. A difference
    counts when larger than *tolerance* (million baht) and, if given, *rel_tolerance* × the
    printed amount.

    >>> import coopanalysis as ca
    >>> findings = ca.check(ca.load())
    >>> isinstance(findings, ca.Findings), len(findings.errors) > 0
    (True, True)
    """
    if not isinstance(dataset, Dataset):
        raise TypeError(f"check() takes a Dataset (from coopanalysis.load), not {type(dataset).__name__}")
    from coopanalysis.checks import run_checks, source_kind

    kind = source_kind(dataset)
    findings = run_checks(dataset, tolerance=tolerance, rel_tolerance=rel_tolerance)
    if kind == "changed":
        return Findings(findings, title=dataset.title,
                        note="the amounts differ from the source as loaded: printed totals were compared with "
                             "them; the source's own rules (counts, names, hints) need the source as printed")
    if kind == "budget_table":
        from coopanalysis.checks.table_rules import stated_counts

        compared, held = stated_counts(dataset.origin, findings)  # a total matching no node is not compared
        note = "" if len(dataset.stated) else (
            "no printed totals were given, so nothing was reconciled: give them with "
            "stated= (a CSV of printed totals) or 'coopanalysis check … --stated FILE'")
        return Findings(findings, title=dataset.title, compared=compared, held=held, note=note)
    return Findings(findings, title=dataset.title)
