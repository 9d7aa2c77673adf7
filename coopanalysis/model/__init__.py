"""The one model: :class:`Dataset` for every source, :func:`load` and :func:`check` on it.

Modules: :mod:`.dataset` (the type and its one roll-up), :mod:`.build` (a plan or a budget
table → a dataset), :mod:`.findings` (:class:`Findings`), :mod:`.api` (:func:`load`, :func:`check`).
"""

from .api import check, export, load, use_thai_fonts
from .dataset import Dataset, Level
from .findings import Findings

__all__ = ["Dataset", "Findings", "Level", "check", "export", "load", "use_thai_fonts"]
