"""Report jobs for a budget dataset: ``node_report`` once per node of a level.

:func:`report_jobs` returns plain dicts (``name``, ``notebook``, ``parameters``, ``title``) that the
report runner turns into its jobs (``coopanalysis report DIR --group-by LEVEL``).
"""

from __future__ import annotations

import re
from pathlib import Path

from coopanalysis import paths
from coopanalysis.budget.dataset import load_dataset
from coopanalysis.errors import ParamsError
from coopanalysis.io.schema import id_sort_key

__all__ = ["NODE_NOTEBOOK", "MAX_JOBS", "job_name", "report_jobs"]

NODE_NOTEBOOK = paths.NOTEBOOKS / "node_report.ipynb"
MAX_JOBS = 2000


def job_name(level: str, node_id: str) -> str:
    """A file-system-safe stem for a node's report.

    >>> job_name("budgetary_unit", "4.11")
    'budgetary_unit_4-11'
    """
    return re.sub(r"[^a-z0-9_-]", "-", f"{level}_{node_id.replace('.', '-')}")


def report_jobs(dataset_dir: str | Path, level: str, out_dir: str | Path, thai_digits: bool = False) -> list[dict]:
    """One job per node of *level* (ids in order), each titled with the level's Thai label.

    Parameters of each job: ``source`` (the dataset directory), ``level``, ``node`` (node id),
    ``output_dir`` (``out_dir/downloads/<name>``, for the tables a reader can download),
    ``thai_digits``. A level the dataset does not have is a :class:`ParamsError`.
    """
    source = Path(dataset_dir).resolve()
    dataset = load_dataset(source)
    if level not in dataset.level_keys:
        raise ParamsError(f"--group-by {level!r}: not a level of this dataset (levels: "
                          f"{', '.join(dataset.level_keys)})")
    label = dataset.level(level)
    nodes = dataset.nodes[dataset.nodes["level"] == level]
    if len(nodes) > MAX_JOBS:
        raise ParamsError(f"--group-by {level}: {len(nodes)} nodes would make {len(nodes)} reports "
                          f"(at most {MAX_JOBS}); choose a higher level")
    out = Path(out_dir).resolve()
    jobs = []
    for node_id, name in sorted(zip(nodes["node_id"], nodes["name"]), key=lambda p: id_sort_key(p[0])):
        stem = job_name(level, node_id)
        jobs.append({
            "name": stem,
            "notebook": NODE_NOTEBOOK,
            "parameters": {"source": str(source), "level": level, "node": node_id,
                           "output_dir": str(out / "downloads" / stem), "thai_digits": bool(thai_digits)},
            "title": f"{label['label_th']} {name}",
            "title_en": f"{label['label_en']} {name}",
        })
    return jobs
