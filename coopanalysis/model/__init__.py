"""The one model: :class:`Dataset` for every source, :func:`load` and :func:`check` on it.

Modules: :mod:`.dataset` (the type and its one roll-up), :mod:`.build` (a plan or a budget
table → a dataset), :mod:`.findings` (:class:`Findings`), :mod:`.api` (:func:`load`, :func:`check`).
"""

from coopanalysis.model.api import check, load, use_thai_fonts
from coopanalysis.model.dataset import Dataset, Level
from coopanalysis.model.findings import Findings

__all__ = ["Dataset", "Findings", "Level", "check", "load", "use_thai_fonts"]
