"""Exception types. Every error a user can cause is one of these, with a one-line message.

The command line prints ``str(error)`` and exits with status 2; ``--debug`` shows the traceback.
"""

from __future__ import annotations

from pathlib import Path


class CoopAnalysisError(Exception):
    """Base class for errors caused by input, not by a bug."""


class InputError(CoopAnalysisError):
    """Bad input: names the file and, where it applies, the line.

    >>> str(InputError("amount cell holds a Latin letter: '1o'", path="plan.txt", line=12))
    "plan.txt:12: amount cell holds a Latin letter: '1o'"
    """

    def __init__(self, message: str, path: str | Path | None = None, line: int | None = None):
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = self.path + (f":{self.line}" if self.line is not None else "") + ": "
        elif self.line is not None:
            where = f"line {self.line}: "
        return where + self.message


class DecodeError(InputError):
    """The file is not text in a supported encoding (UTF-8, UTF-16, TIS-620/cp874)."""


class CorrectionError(InputError):
    """A reviewed correction points at no cell, or its printed value no longer matches."""


class ParamsError(CoopAnalysisError):
    """A papermill parameters file or value is invalid."""


class UnknownStrategyError(ParamsError, ValueError):
    """A strategy id (or a node of another level) that the plan does not have.

    Raised by the analysis, the charts, the report helpers and the parameter validation alike,
    so callers catch one type. It is a :class:`ParamsError` (a bad parameter, exit 2) and a
    ``ValueError`` (a bad argument to a function).

    >>> isinstance(UnknownStrategyError("unknown strategy '9'"), (ParamsError, ValueError))
    True
    """


class LimitError(InputError):
    """An input exceeds a safety bound (size, YAML aliases, number of digits, a tolerance)."""


class FiscalYearError(CoopAnalysisError, ValueError):
    """A value is not a plausible Buddhist-era fiscal year."""
