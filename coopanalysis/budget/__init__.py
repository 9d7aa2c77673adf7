"""Budget tables (CSV/Excel) through a mapping: ingest, stated totals, what their checks and pages read.

``coopanalysis ingest TABLE… --mapping NAME|FILE [--stated FILE] [--corrections FILE] --out DIR``
writes a *budget dataset* directory:

* ``plan.json`` — ``"kind": "budget_table"``, title, ``fiscal_years`` and ``bill_year`` (BE), the
  ``levels`` in order (key, label_th, label_en), ``mapping``, ``phase`` (proposed | approved),
  ``sources`` (file, sha256, rows) and the ``accounting`` of every source row; ``parts`` when a
  ministry's name carries a volume part marker ``(N)`` (parts of one name read together are one
  node: :mod:`.volumes`);
* ``items.csv`` — one row per source row kept: item id, source file and row, page, the node name at
  every level, ``node_id``, ``fiscal_year``, ``amount_mb`` (exact million baht; empty when the
  amount is malformed), ``amount_text`` as printed, ``obliged``, ``kind`` (appropriation |
  obligation_other_year), ``unit``, ``status`` (ok | malformed_amount | float_noise | duplicate |
  suspected_subtotal | missing_amount | corrected: a reviewed correction applied);
* ``nodes.csv`` — node_id (dotted: ancestors are its prefixes), level, name, parent_id;
* ``stated.csv`` — printed totals (``--stated`` or subtotal rows the mapping recognises) with
  their source file and line;
* ``ingest_report.csv`` — every source row not used as-is (reported, recognised, skipped,
  corrected) and why;
* ``corrections_applied.csv`` — with ``--corrections``: each reviewed correction applied (file, item
  id, row, year, field, printed, corrected, reason; :mod:`coopanalysis.ingest.corrections`), and
  ``corrections_file`` and ``accounting.corrected`` in plan.json;
* ``.coopanalysis-manifest.json`` — the files ingest wrote (all are replaced together, or none;
  other files in DIR stay).

A text cell of these tables that begins like a formula (``= + - @``, a tab, a CR) or with ``'``
is written with a ``'`` before it, so a spreadsheet shows it as text; :func:`load_dataset` takes
one leading ``'`` off again (:mod:`coopanalysis.io.schema`). Amounts and years never get one.

The pipeline is plain pandas, in these modules: :mod:`.mapping` (the YAML); :mod:`.reader`
(``pandas.read_csv`` with every cell as text after :func:`~coopanalysis.io.decode.decode_bytes`, or
openpyxl for ``.xlsx``; a mapped column named twice in the header is refused); :mod:`.rows` (the
columns the mapping names, gathered across tables; each distinct value worked out once with
``Series.map`` — names folded by :mod:`.names` with the Thai normalisation of
:mod:`coopanalysis.text.thai`, amounts parsed exactly by :mod:`.amounts` — and the reason each left-out
row is left out); :mod:`.tree` (node ids, a level at a time, with ``groupby``); :mod:`.flags`
(duplicates with ``groupby``, nested sums with plain tuples and a dict of ``Decimal`` sums);
:mod:`.volumes` (a ministry's volume parts merged into one node); :mod:`.ingest` (statuses,
printed subtotals, the report; ``DataFrame.to_csv`` through
:func:`coopanalysis.ingest.output.replace_files`); :mod:`.stated`; :mod:`.pdf` (printed totals
read from the Budget Bureau's PDF); :mod:`.dataset` (load); :mod:`.present` and :mod:`.jobs`
(grouped reports); :mod:`.cli`. The rules that check a table are the one checks engine's
(:mod:`coopanalysis.checks.table_rules`); its sums are the model's one roll-up
(:meth:`coopanalysis.model.dataset.Dataset.computed`).
"""

from coopanalysis.budget.dataset import BudgetDataset, dataset_from_result, is_budget_dataset, load_dataset
from coopanalysis.budget.ingest import IngestResult, ingest_tables, write_dataset
from coopanalysis.budget.jobs import report_jobs
from coopanalysis.budget.mapping import Mapping, bundled_mappings, load_mapping
from coopanalysis.budget.stated import read_stated

__all__ = [
    "BudgetDataset", "IngestResult", "Mapping", "bundled_mappings", "dataset_from_result", "ingest_tables",
    "is_budget_dataset", "load_dataset", "load_mapping", "read_stated", "report_jobs", "write_dataset",
]
