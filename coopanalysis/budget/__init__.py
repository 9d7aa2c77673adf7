"""Budget tables (CSV/Excel) through a mapping: ingest, stated totals, checks at any depth.

See ``/work/helper_notes/budget_dataset.md`` and the README for the dataset directory format.
"""
