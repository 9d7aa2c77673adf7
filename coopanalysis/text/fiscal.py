"""Buddhist-era (BE) fiscal years: BE <-> CE, date spans and display labels.

The Thai government fiscal year BE *y* runs from 1 October of CE *y* - 544 to 30 September
of CE *y* - 543: fiscal 2560 is 1 Oct 2016 - 30 Sep 2017 (the CE fiscal year 2017).

Years are accepted as ``int`` or as digit strings (Thai digits allowed). A value that is not a
plausible year of the expected era raises :class:`~coopanalysis.errors.FiscalYearError`
(a ``ValueError``), so a CE year passed where a BE year is expected is caught, not silently
shifted by 543 years.

>>> be_to_ce(2560), ce_to_be(2017)
(2017, 2560)
>>> year_range_label(2560, 2564, thai_digits=True)
'พ.ศ. ๒๕๖๐-๒๕๖๔'
"""

from __future__ import annotations

from datetime import date

from pythainlp.util import convert_years

from coopanalysis.errors import FiscalYearError
from coopanalysis.text.thai import to_arabic, to_thai

#: Difference between the Buddhist and the Common era (BE = CE + 543).
BE_OFFSET = 543
#: Plausible Buddhist-era years (CE 1857-2256): wide enough for any plan, disjoint from CE.
BE_RANGE = range(2400, 2800)
#: Plausible Common-era years, the same span.
CE_RANGE = range(BE_RANGE.start - BE_OFFSET, BE_RANGE.stop - BE_OFFSET)

_PREFIX = "พ.ศ."


def _as_int(year) -> int | None:
    """An int for an int, an integral float or a digit string (Thai digits allowed); else None."""
    if isinstance(year, bool):
        return None
    if isinstance(year, int):
        return year
    try:
        import numpy as np

        if isinstance(year, np.integer):
            return int(year)
        if isinstance(year, np.floating):
            year = float(year)
    except ImportError:  # pragma: no cover - numpy ships with pandas
        pass
    if isinstance(year, float) and year.is_integer():  # e.g. from a float column
        return int(year)
    if isinstance(year, str):
        text = to_arabic(year.strip())
        if text.isascii() and text.isdigit():
            return int(text)
    return None


def is_be_year(year) -> bool:
    """True when *year* is a plausible Buddhist-era year (an int or a digit string).

    >>> is_be_year(2560), is_be_year("๒๕๖๔"), is_be_year(2017), is_be_year("2560.5"), is_be_year(True)
    (True, True, False, False, False)
    """
    value = _as_int(year)
    return value is not None and value in BE_RANGE


def _shown(year) -> str:
    """How a rejected value appears in a message: ints bare, anything else repr'd."""
    return str(year) if isinstance(year, int) and not isinstance(year, bool) else repr(year)


def _be(year) -> int:
    value = _as_int(year)
    if value is None or value not in BE_RANGE:
        raise FiscalYearError(f"fiscal_year must be a Buddhist-era year; got {_shown(year)}")
    return value


def be_to_ce(year) -> int:
    """Buddhist-era year to Common-era year.

    >>> be_to_ce(2560)
    2017
    >>> be_to_ce("๒๕๖๔")
    2021
    >>> be_to_ce(2017)
    Traceback (most recent call last):
    ...
    coopanalysis.errors.FiscalYearError: fiscal_year must be a Buddhist-era year; got 2017
    """
    return int(convert_years(str(_be(year)), src="be", target="ad"))


def ce_to_be(year) -> int:
    """Common-era year to Buddhist-era year.

    >>> ce_to_be(2017)
    2560
    >>> ce_to_be(2560)
    Traceback (most recent call last):
    ...
    coopanalysis.errors.FiscalYearError: year must be a Common-era year; got 2560
    """
    value = _as_int(year)
    if value is None or value not in CE_RANGE:
        raise FiscalYearError(f"year must be a Common-era year; got {_shown(year)}")
    return int(convert_years(str(value), src="ad", target="be"))


def fiscal_year_span(be_year) -> tuple[date, date]:
    """First and last day of Thai fiscal year *be_year* (1 October - 30 September).

    >>> fiscal_year_span(2560)
    (datetime.date(2016, 10, 1), datetime.date(2017, 9, 30))
    """
    ce = be_to_ce(be_year)
    return date(ce - 1, 10, 1), date(ce, 9, 30)


def fiscal_year_of(day: date) -> int:
    """The BE fiscal year a date falls in.

    >>> fiscal_year_of(date(2016, 10, 1)), fiscal_year_of(date(2017, 9, 30))
    (2560, 2560)
    """
    return ce_to_be(day.year + 1 if day.month >= 10 else day.year)


def year_text(year, thai_digits: bool = False) -> str:
    """A BE year's digits for display (validated), Thai digits on request.

    >>> year_text(2560), year_text("2560", thai_digits=True)
    ('2560', '๒๕๖๐')
    """
    text = str(_be(year))
    return to_thai(text) if thai_digits else text


def year_label(year, thai_digits: bool = False) -> str:
    """A BE year with its era: ``พ.ศ. 2560``.

    >>> year_label(2560)
    'พ.ศ. 2560'
    >>> year_label(2560, thai_digits=True)
    'พ.ศ. ๒๕๖๐'
    """
    return f"{_PREFIX} {year_text(year, thai_digits)}"


def year_range_label(first, last, thai_digits: bool = False) -> str:
    """A span of BE years: ``พ.ศ. 2560-2564`` (one year when *first* == *last*).

    >>> year_range_label(2560, 2564, thai_digits=True)
    'พ.ศ. ๒๕๖๐-๒๕๖๔'
    >>> year_range_label(2561, 2561)
    'พ.ศ. 2561'
    >>> year_range_label(2564, 2560)
    Traceback (most recent call last):
    ...
    coopanalysis.errors.FiscalYearError: first fiscal_year 2564 is after last fiscal_year 2560
    """
    a, b = _be(first), _be(last)
    if a > b:
        raise FiscalYearError(f"first fiscal_year {a} is after last fiscal_year {b}")
    if a == b:
        return year_label(a, thai_digits)
    return f"{_PREFIX} {year_text(a, thai_digits)}-{year_text(b, thai_digits)}"


def plan_years_label(years, thai_digits: bool = False) -> str:
    """Label for a plan's fiscal years (a list of BE years); ``''`` when there are none.

    >>> plan_years_label([2560, 2561, 2562, 2563, 2564])
    'พ.ศ. 2560-2564'
    >>> plan_years_label([])
    ''
    """
    years = [_be(y) for y in years]
    if not years:
        return ""
    return year_range_label(min(years), max(years), thai_digits)


def be_date(moment: date | None = None, thai_digits: bool = False, time: bool = False) -> str:
    """A day (today by default) in the Buddhist era with the Thai month name, and with *time*
    the hour (pythainlp's ``thai_strftime``).

    >>> be_date(date(2026, 11, 26)), be_date(date(2017, 1, 5), thai_digits=True)
    ('26 พฤศจิกายน 2569', '๕ มกราคม ๒๕๖๐')
    >>> from datetime import datetime
    >>> be_date(datetime(2026, 11, 26, 14, 5), time=True)
    '26 พฤศจิกายน 2569 เวลา 14:05 น.'
    """
    from datetime import datetime

    from pythainlp.util import thai_strftime

    moment = moment or datetime.now()
    if not isinstance(moment, datetime):
        moment = datetime(moment.year, moment.month, moment.day)
    return thai_strftime(moment, "%-d %B %Y" + (" เวลา %H:%M น." if time else ""), thaidigit=thai_digits)
