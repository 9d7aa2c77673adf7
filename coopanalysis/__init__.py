"""coopanalysis: ingest, check, analyse and report on Thai multi-year action plans.

Amounts are million baht (``_mb``), kept as exact decimal strings in the tidy tables.
Fiscal years are Buddhist-era (BE) integers throughout (2560 = fiscal 2017).
"""

__version__ = "0.1.0"
