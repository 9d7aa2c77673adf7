"""The one hint engine where a silent error costs most (issue 27, `make mutants`): which row a
likely cause names (``checks/hints.py``). Expected values are worked out by hand in the comments.
"""

from __future__ import annotations

from decimal import Decimal

from coopanalysis.checks.hints import Part, describe, gap_cause

D = Decimal
UNREAD = Part(None, flags=frozenset({"malformed_amount"}))


def test_a_cell_cause_names_the_row_it_is_in_when_an_unreadable_row_comes_first():
    # rows 1-3 beneath a total of 40: row 1 unreadable, 10, 300. The rows read add up to 310, more
    # than printed (so no "malformed amount"); 300 read as 30 gives 10 + 30 = 40: the third row
    hint = gap_cause([UNREAD, Part(D(10)), Part(D(300))], D(40))
    assert (hint.code, hint.cells) == ("lost_decimal", ((2, D(300), D(30)),))
    rows = ["row 1", "row 2", "row 3"]
    assert describe(hint, D(40), rows, rows)[1] == "likely cause: lost decimal point: reading 300 in row 3 as 30 adds up to exactly 40"
    # rows: unreadable, 5, 5 beneath a total of 5: the third row repeats the second
    hint = gap_cause([UNREAD, Part(D(5)), Part(D(5))], D(5))
    assert (hint.code, hint.cells, hint.basis) == ("repeated_value", ((2, D(5), None),), (1,))
    assert describe(hint, D(5), rows, rows)[1] == ("likely cause: value 5 repeated into the next cell (row 3); "
                                                   "dropping it adds up to exactly 5")
