"""Buddhist-era fiscal years: conversions, spans, labels, and the errors for wrong eras."""

from __future__ import annotations

import doctest
from datetime import date, timedelta

import pytest

from coopanalysis.errors import CoopAnalysisError, FiscalYearError
from coopanalysis.text import fiscal


def test_doctests():
    result = doctest.testmod(fiscal, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 10
    assert result.failed == 0


@pytest.mark.parametrize(("be", "ce"), [(2560, 2017), (2564, 2021), (2484, 1941), (2600, 2057)])
def test_be_ce_round_trip(be, ce):
    assert fiscal.be_to_ce(be) == ce
    assert fiscal.ce_to_be(ce) == be


def test_accepts_digit_strings_thai_digits_and_integral_floats():
    assert fiscal.be_to_ce("2560") == 2017
    assert fiscal.be_to_ce("๒๕๖๔") == 2021
    assert fiscal.be_to_ce(" 2561 ") == 2018
    assert fiscal.be_to_ce(2562.0) == 2019
    assert fiscal.ce_to_be("2017") == 2560


def test_every_plausible_year_round_trips():
    for be in fiscal.BE_RANGE:
        assert fiscal.ce_to_be(fiscal.be_to_ce(be)) == be
        assert fiscal.be_to_ce(be) == be - 543


def test_ce_year_passed_as_be_is_an_error_with_a_clear_message():
    with pytest.raises(FiscalYearError) as caught:
        fiscal.be_to_ce(2017)
    assert str(caught.value) == "fiscal_year must be a Buddhist-era year; got 2017"
    # the error is both the project's error type and a ValueError
    assert isinstance(caught.value, CoopAnalysisError)
    assert isinstance(caught.value, ValueError)


def test_be_year_passed_as_ce_is_an_error():
    with pytest.raises(FiscalYearError, match=r"^year must be a Common-era year; got 2560$"):
        fiscal.ce_to_be(2560)


@pytest.mark.parametrize("bad", [None, "", "abc", "2560.5", 2560.5, True, [2560], "25 60"])
def test_non_years_are_rejected(bad):
    with pytest.raises(FiscalYearError, match="fiscal_year must be a Buddhist-era year; got "):
        fiscal.be_to_ce(bad)
    assert fiscal.is_be_year(bad) is False


def test_is_be_year():
    assert fiscal.is_be_year(2560) and fiscal.is_be_year("๒๕๖๐")
    assert not fiscal.is_be_year(2017)
    assert not fiscal.is_be_year(float("nan"))
    # BE and CE ranges never overlap: a value is at most one of them
    assert set(fiscal.BE_RANGE).isdisjoint(fiscal.CE_RANGE)


def test_fiscal_year_span_2560():
    assert fiscal.fiscal_year_span(2560) == (date(2016, 10, 1), date(2017, 9, 30))


def test_fiscal_year_spans_tile_the_calendar():
    years = range(2560, 2566)
    spans = [fiscal.fiscal_year_span(y) for y in years]
    for (_, end), (start, _) in zip(spans, spans[1:]):
        assert start - end == timedelta(days=1)
    for year, (start, end) in zip(years, spans):
        assert fiscal.fiscal_year_of(start) == year
        assert fiscal.fiscal_year_of(end) == year
        assert fiscal.fiscal_year_of(start - timedelta(days=1)) == year - 1


def test_fiscal_year_span_rejects_ce():
    with pytest.raises(FiscalYearError, match="got 2017"):
        fiscal.fiscal_year_span(2017)


def test_year_labels():
    assert fiscal.year_label(2560) == "พ.ศ. 2560"
    assert fiscal.year_label(2560, thai_digits=True) == "พ.ศ. ๒๕๖๐"
    assert fiscal.year_label("๒๕๖๐") == "พ.ศ. 2560"
    assert fiscal.year_range_label(2560, 2564) == "พ.ศ. 2560-2564"
    assert fiscal.year_range_label(2560, 2564, thai_digits=True) == "พ.ศ. ๒๕๖๐-๒๕๖๔"
    assert fiscal.year_range_label(2562, 2562, True) == "พ.ศ. ๒๕๖๒"
    assert fiscal.plan_years_label([2564, 2560, 2562], thai_digits=True) == "พ.ศ. ๒๕๖๐-๒๕๖๔"
    assert fiscal.year_text(2561, thai_digits=True) == "๒๕๖๑"


def test_year_range_label_errors():
    with pytest.raises(FiscalYearError, match="first fiscal_year 2564 is after last fiscal_year 2560"):
        fiscal.year_range_label(2564, 2560)
    with pytest.raises(FiscalYearError, match="got 2021"):
        fiscal.year_range_label(2560, 2021)
    with pytest.raises(FiscalYearError):
        fiscal.year_label(2017)


def test_uses_pythainlp_convert_years(monkeypatch):
    calls = []
    real = fiscal.convert_years

    def spy(year, src="be", target="ad"):
        calls.append((year, src, target))
        return real(year, src=src, target=target)

    monkeypatch.setattr(fiscal, "convert_years", spy)
    assert fiscal.be_to_ce(2560) == 2017
    assert fiscal.ce_to_be(2017) == 2560
    assert calls == [("2560", "be", "ad"), ("2017", "ad", "be")]
