"""What a report run executes: its jobs (one notebook each) and what comes back from each.

Everything here is validated before any kernel starts, and is cheap (no pandas, no papermill):
the runner's parent process imports it.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from coopanalysis import paths
from coopanalysis.errors import InputError
from coopanalysis.report import params as params_mod

__all__ = [
    "PLAN_NOTEBOOKS", "NODE_NOTEBOOK", "TITLES", "Job", "Outcome", "notebook_path", "strategy_names",
    "build_jobs", "build_group_jobs", "is_budget_table", "check_kernel", "check_params_dir", "prepare_source",
]

#: Plan-level notebooks run by ``coopanalysis report`` (in this order), then ``node_report`` once
#: per strategy (a node of the plan's first level); a budget table's reports are ``node_report``
#: once per node of the level grouped by. ``explore.ipynb`` is an analyst's starting point, not a report.
PLAN_NOTEBOOKS = ("overview", "checks", "units")
NODE_NOTEBOOK = "node_report"
TITLES = {
    "overview": "ภาพรวมแผน",
    "checks": "ผลการตรวจสอบ",
    "units": "หน่วยงานรับผิดชอบ",
    "explore": "เริ่มต้นสำรวจข้อมูล",
}


@dataclass(frozen=True)
class Job:
    """One notebook to execute: *name* is the stem of its outputs (``strategy_5``)."""

    name: str
    notebook: Path
    parameters: dict = field(default_factory=dict)
    title: str = ""


@dataclass
class Outcome:
    """What a worker reports back about one job (small on purpose)."""

    name: str
    notebook: str
    ipynb: str
    html: str | None = None
    ok: bool = True
    seconds: float = 0.0
    title: str = ""
    summary: dict | None = None
    cell_index: int | None = None  # in the input notebook (0-based)
    exec_count: int | None = None  # the failing cell's In [n] in the executed notebook
    ename: str = ""
    evalue: str = ""
    attempts: int = 1  # 2 when the first kernel died before running any cell

    def failure_line(self) -> str:
        """``overview.ipynb (overview): cell 5 (In [6]): KeyError: 'x'; executed notebook kept: /out/overview.ipynb``.

        The cell is its 0-based index in the input notebook; ``In [n]`` is its prompt in the
        executed one (which also holds papermill's injected-parameters cell).

        >>> Outcome("x", "/nb/x.ipynb", "/nonexistent/x.ipynb", ok=False, ename="WorkerDied",
        ...         evalue="killed by SIGKILL").failure_line()
        'x.ipynb (x): before or outside any cell: WorkerDied: killed by SIGKILL; no executed notebook'
        """
        if self.cell_index is not None:
            cell = f"cell {self.cell_index}"
            if self.exec_count is not None:
                cell += f" (In [{self.exec_count}])"
        else:
            cell = "before or outside any cell"
        error = f"{self.ename}: {self.evalue}" if self.evalue else self.ename
        kept = f"executed notebook kept: {self.ipynb}" if Path(self.ipynb).is_file() else "no executed notebook"
        return f"{Path(self.notebook).name} ({self.name}): {cell}: {error}; {kept}"


def notebook_path(name: str, notebooks_dir: str | Path = paths.NOTEBOOKS) -> Path:
    return (Path(notebooks_dir) / f"{name}.ipynb").resolve()


def strategy_names(source: Path) -> dict[str, str]:
    """strategy_id -> name as printed, from strategies.csv (for titles; no pandas)."""
    from coopanalysis.io.schema import read_strategy_rows

    return {row["strategy_id"]: row.get("name", "") for row in read_strategy_rows(source)}


def check_params_dir(params_dir: str | Path | None) -> None:
    """A ``--params`` folder that was given must exist (an absent one is not silently ignored).

    ``None`` means "no parameter files"; the bundled default ``params/`` may be absent.
    """
    if params_dir is None or Path(params_dir).resolve() == Path(paths.PARAMS).resolve():
        return
    path = Path(params_dir)
    if not path.exists():
        from coopanalysis.errors import ParamsError

        raise ParamsError(f"{path}: --params folder does not exist")
    if not path.is_dir():
        from coopanalysis.errors import ParamsError

        raise ParamsError(f"{path}: --params is not a folder")


def build_jobs(
    source: str | Path,
    out_dir: str | Path,
    strategies: Iterable[object] | None = None,
    params_dir: str | Path | None = paths.PARAMS,
    notebooks_dir: str | Path = paths.NOTEBOOKS,
    plan_notebooks: Sequence[str] = PLAN_NOTEBOOKS,
) -> list[Job]:
    """The jobs of a report run; every parameter is validated here (ParamsError otherwise).

    *source* must be an ingested plan directory (see :func:`prepare_source`).
    """
    source = Path(source).resolve()
    out_dir = Path(out_dir).resolve()
    check_params_dir(params_dir)
    per_strategy = params_mod.strategy_params(source, strategies, params_dir, output_dir=out_dir)
    valid = params_mod.strategy_ids(source)
    plan_params = params_mod.validate(
        {"source": str(source), "output_dir": str(out_dir), "thai_digits": False},
        valid,
        params_mod.PLAN_PARAMS,
    )
    jobs = [
        Job(name, notebook_path(name, notebooks_dir), dict(plan_params), TITLES.get(name, name))
        for name in plan_notebooks
    ]
    names = strategy_names(source)
    for p in per_strategy:
        sid = p["strategy_id"]
        title = f"ยุทธศาสตร์ที่ {sid}" + (f" {names[sid]}" if names.get(sid) else "")
        jobs.append(Job(f"strategy_{sid}", notebook_path(NODE_NOTEBOOK, notebooks_dir), p, title))
    for job in jobs:
        if not job.notebook.is_file():
            raise InputError("no such notebook", path=job.notebook)
    return jobs


def is_budget_table(source: str | Path) -> bool:
    """True for a budget table dataset (``plan.json`` with ``"kind": "budget_table"``)."""
    from coopanalysis.io.schema import read_plan_json

    source = Path(source)
    return source.is_dir() and (source / "plan.json").is_file() and \
        read_plan_json(source).get("kind") == "budget_table"


def build_group_jobs(source: str | Path, out_dir: str | Path, level: str | None,
                     strategies: Iterable[object] | None = None) -> list[Job]:
    """One ``node_report`` job per node of *level* of a budget table dataset
    (:func:`coopanalysis.budget.report_jobs`); ``ParamsError`` for a missing or unknown level."""
    from coopanalysis.errors import ParamsError
    from coopanalysis.io.schema import read_plan_json

    levels = [str(lv.get("key")) for lv in read_plan_json(source).get("levels", []) if isinstance(lv, dict)]
    if strategies:
        raise ParamsError("--strategy applies to a plan; this SOURCE is a budget table (use --group-by LEVEL)")
    if not level:
        raise ParamsError(f"{source} is a budget table: choose the reports with --group-by LEVEL "
                          f"(levels: {', '.join(levels)})")
    if level not in levels:
        raise ParamsError(f"--group-by: unknown level {level!r}; levels: {', '.join(levels)}")
    from coopanalysis.budget import report_jobs

    jobs = [Job(d["name"], Path(d["notebook"]), dict(d["parameters"]), str(d.get("title", d["name"])))
            for d in report_jobs(Path(source).resolve(), level, Path(out_dir).resolve())]
    for job in jobs:
        if not job.notebook.is_file():
            raise InputError("no such notebook", path=job.notebook)
    return jobs


def check_kernel(name: str = paths.KERNEL_NAME) -> None:
    """Fail early (exit 2) when the Jupyter kernel the notebooks need is not installed."""
    from jupyter_client.kernelspec import KernelSpecManager

    if name not in KernelSpecManager().find_kernel_specs():
        raise InputError(
            f"Jupyter kernel {name!r} is not installed; install it with "
            f"'{sys.executable} -m ipykernel install --sys-prefix --name {name}' (make does this)"
        )


def prepare_source(source: str | Path, out_dir: str | Path) -> Path:
    """An ingested plan directory for *source*: itself, or a plan text file ingested once into
    ``OUT/plan/`` (so the notebooks do not each ingest it again).

    The text is parsed completely before anything is written, and the tables are then written
    all or none (:func:`coopanalysis.ingest.ingest_file`), so a text that fails to ingest leaves
    no ``OUT/plan`` behind (not even an empty one) and an earlier ``OUT/plan`` as it was.
    """
    source = Path(source).resolve()
    if source.is_dir():
        return source
    if not source.exists():
        raise InputError("no such file or directory", path=source)
    from coopanalysis.ingest import ingest_file

    target = Path(out_dir).resolve() / "plan"
    ingest_file(source, target)  # like coopanalysis.model.plan.load(text file): no corrections
    return target
