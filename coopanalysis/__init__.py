"""coopanalysis: ingest, check, analyse and report on Thai public-sector budget plans.

>>> import coopanalysis as ca
>>> plan = ca.load()                  # the bundled plan; ca.load("bill.csv", mapping="budget-bill")
>>> findings = ca.check(plan)         # printed totals against what lies beneath them

Amounts are numeric million baht (``amount_mb``), summed exactly as integer satang.
Fiscal years are Buddhist-era (BE) integers throughout (2565 = fiscal 2022).

In a notebook (IPython), or wherever matplotlib is already imported, importing the package
makes Thai render in the analyst's own matplotlib charts (the bundled Noto Sans Thai); elsewhere
``load()`` does it, or ``ca.use_thai_fonts()``. Loading a plan also gives matplotlib's colour
cycle its strategies in order, so pandas colours each strategy as the package's charts do.
The names below are imported on first use, so the command line (which imports this package
first) starts without loading pandas for a ``--help`` or a refused option.
"""

import importlib
import sys

__version__ = "0.1.0"

#: Public name -> the module that defines it.
_API = {
    "Dataset": "coopanalysis.model",
    "Findings": "coopanalysis.model",
    "Level": "coopanalysis.model",
    "load": "coopanalysis.model",
    "check": "coopanalysis.model",
    "Finding": "coopanalysis.checks.findings",
    "allocation": "coopanalysis.analysis.levels",
    "by_year": "coopanalysis.analysis.levels",
    "export": "coopanalysis.exports",
    "use_thai_fonts": "coopanalysis.model",
    "explore": "coopanalysis.present.explore",
}
#: Public submodules: ``ca.chart.allocation(...)``.
_MODULES = {"chart": "coopanalysis.charts.levels"}

__all__ = sorted([*_API, *_MODULES])


def __getattr__(name: str):
    if name in _MODULES:
        module = importlib.import_module(_MODULES[name])
        globals()[name] = module
        return module
    if name in _API:
        value = getattr(importlib.import_module(_API[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'coopanalysis' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(list(globals()) + __all__)


# pythainlp wants a data folder in $HOME when first imported: give it one elsewhere when the
# home folder cannot hold it (a service account, a read-only home), before anything imports it.
importlib.import_module("coopanalysis.io.pythainlp_home").ensure_data_dir()

if "matplotlib" in sys.modules or "IPython" in sys.modules:  # an analyst's own charts render Thai
    __getattr__("use_thai_fonts")()
