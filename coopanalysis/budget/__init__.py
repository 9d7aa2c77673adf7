"""Budget tables (CSV/Excel) through a mapping: ingest, stated totals, checks at any depth.

See ``/work/helper_notes/budget_dataset.md`` and the README for the dataset directory format.
"""

from .checks import BudgetFinding, run_checks
from .dataset import BudgetDataset, ancestors, dataset_from_result, is_budget_dataset, load_dataset, rollup
from .ingest import IngestResult, ingest_tables, write_dataset
from .jobs import report_jobs
from .mapping import Mapping, bundled_mappings, load_mapping
from .stated import read_stated

__all__ = [
    "BudgetDataset", "BudgetFinding", "IngestResult", "Mapping", "ancestors", "bundled_mappings",
    "dataset_from_result", "ingest_tables", "is_budget_dataset", "load_dataset", "load_mapping",
    "read_stated", "report_jobs", "rollup", "run_checks", "write_dataset",
]
