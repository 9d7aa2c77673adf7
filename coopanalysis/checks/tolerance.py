"""Check tolerances: their bounds, their validation and the one comparison every rule uses.

A difference counts only when it is **larger** than the absolute tolerance (million baht) and,
when a relative tolerance is given, **larger** than ``rel_tolerance × |stated|``: the base of
the relative tolerance is always the printed (stated) amount, never the computed one. Equal to a
tolerance is within it. Tolerances are bounded (:data:`MAX_TOLERANCE`, :data:`MAX_REL_TOLERANCE`)
so that no comparison can overflow, with at most :data:`TOLERANCE_PLACES` decimal places (so
that printing one cannot exhaust memory).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from coopanalysis.errors import LimitError

__all__ = ["DEFAULT_TOLERANCE", "MAX_REL_TOLERANCE", "MAX_TOLERANCE", "TOLERANCE_PLACES", "ToleranceError", "differs", "tolerance_value"]

#: Largest absolute tolerance accepted, million baht (a million million: more than any budget).
#: Million baht: half a hundredth of a million (5,000 baht), below what a plan prints.
DEFAULT_TOLERANCE = Decimal("0.005")
MAX_TOLERANCE = Decimal("1e12")
#: Largest relative tolerance accepted: 1 (= 100% of the stated amount).
MAX_REL_TOLERANCE = Decimal(1)
#: Most decimal places a tolerance may have (a finer one could not be printed or compared sanely).
TOLERANCE_PLACES = 12


class ToleranceError(LimitError, ValueError):
    """A tolerance that is not a finite number in its allowed range (exit 2 on the command line)."""


def tolerance_value(value, name: str, maximum: Decimal) -> Decimal:
    """*value* as a Decimal in ``[0, maximum]``, or :class:`ToleranceError` naming *name*.

    >>> tolerance_value("0.005", "tolerance", MAX_TOLERANCE)
    Decimal('0.005')
    >>> tolerance_value(Decimal("1e999999999"), "tolerance", MAX_TOLERANCE)
    Traceback (most recent call last):
    ...
    coopanalysis.checks.tolerance.ToleranceError: tolerance must be at most 1E+12, got 1E+999999999
    >>> tolerance_value("nan", "rel_tolerance", MAX_REL_TOLERANCE)
    Traceback (most recent call last):
    ...
    coopanalysis.checks.tolerance.ToleranceError: rel_tolerance must be a finite number, got 'nan'
    >>> tolerance_value("1e-13", "tolerance", MAX_TOLERANCE)
    Traceback (most recent call last):
    ...
    coopanalysis.checks.tolerance.ToleranceError: tolerance must have at most 12 decimal places, got '1e-13'
    >>> tolerance_value("0.000000000001", "tolerance", MAX_TOLERANCE), tolerance_value("1.50", "r", MAX_TOLERANCE)
    (Decimal('1E-12'), Decimal('1.50'))
    """
    shown = str(value) if isinstance(value, Decimal) else repr(value)
    if isinstance(value, bool) or value is None:
        raise ToleranceError(f"{name} must be a number, got {shown}")
    try:
        result = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        raise ToleranceError(f"{name} must be a number, got {shown}") from None
    if not result.is_finite():
        raise ToleranceError(f"{name} must be a finite number, got {shown}")
    if result < 0:
        raise ToleranceError(f"{name} must not be negative, got {shown}")
    if result > maximum:  # a comparison: no arithmetic on a value like 1e999999999
        raise ToleranceError(f"{name} must be at most {maximum}, got {shown}")
    if not result.is_zero():
        _, digits, exponent = result.as_tuple()
        places = -exponent - (len(digits) - len("".join(map(str, digits)).rstrip("0")))
        if result.adjusted() < -TOLERANCE_PLACES or places > TOLERANCE_PLACES:
            raise ToleranceError(f"{name} must have at most {TOLERANCE_PLACES} decimal places, got {shown}")
    return result


def differs(stated: Decimal, computed: Decimal, tolerance: Decimal, rel_tolerance: Decimal | None = None) -> bool:
    """True when |computed - stated| is larger than *tolerance* and, when *rel_tolerance* is
    given, larger than ``rel_tolerance × |stated|`` (the printed amount is the base).

    >>> D = Decimal
    >>> differs(D(5), D("5.005"), D("0.005")), differs(D(5), D("5.0051"), D("0.005"))
    (False, True)
    >>> differs(D(100), D("101.5"), D(0), D("0.015")), differs(D(100), D("101.5"), D(0), D("0.0149"))
    (False, True)
    """
    diff = abs(computed - stated)
    if diff <= tolerance:
        return False
    if rel_tolerance is not None and diff <= rel_tolerance * abs(stated):
        return False
    return True
