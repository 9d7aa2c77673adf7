"""The words of the findings: amounts, differences, node labels and printed cells, in one place.

Every message of every rule is built from these, so an amount, a difference or a node reads the
same in all of them (amounts exact, thousands separators, Arabic digits, million baht; labels
from :func:`coopanalysis.text.labels.node_label`).
"""

from __future__ import annotations

from decimal import Decimal

from coopanalysis.text.fmt import amount
from coopanalysis.text.labels import MB, SOURCE_EN, SOURCE_TH, node_label, node_label_en

__all__ = [
    "exact", "n", "mb", "diff_th", "diff_en", "label_th", "label_en", "ids_th", "listing_cell", "group_name",
    "source_th", "source_en", "total_of",
]


def n(value) -> str:
    """An amount for a message: exact, thousands separators, Arabic digits.

    >>> n(Decimal("1200.50")), n(Decimal("0.005"))
    ('1,200.5', '0.005')
    """
    return amount(value)


def exact(value: Decimal, sign: bool = False) -> str:
    """An exact amount with thousands separators, never rounded (a printed total is exact;
    :func:`n` shows at most four decimals).

    >>> exact(Decimal("8250.74970")), exact(Decimal("0.000001")), exact(Decimal("-12.5"), sign=True)
    ('8,250.7497', '0.000001', '-12.5')
    >>> exact(Decimal("1E+3")), exact(Decimal("2.5"), sign=True), exact(Decimal("-0"))
    ('1,000', '+2.5', '0')
    """
    text = format(value, ",f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return ("+" + text) if sign and value > 0 else text


def mb(value) -> str:
    """An amount with its unit: ``161.5 ล้านบาท``.

    >>> mb(Decimal("161.5"))
    '161.5 ล้านบาท'
    """
    return f"{n(value)} {MB}"


def diff_th(diff: Decimal) -> str:
    """A signed difference (computed - stated) in Thai words.

    >>> diff_th(Decimal("113.5")), diff_th(Decimal("-2"))
    ('มากกว่า 113.5 ล้านบาท', 'น้อยกว่า 2 ล้านบาท')
    """
    return f"มากกว่า {mb(diff)}" if diff > 0 else f"น้อยกว่า {mb(-diff)}"


def diff_en(diff: Decimal) -> str:
    """English for :func:`diff_th`.

    >>> diff_en(Decimal("113.5")), diff_en(Decimal("-2"))
    ('113.5 more', '2 less')
    """
    return f"{n(diff)} more" if diff > 0 else f"{n(-diff)} less"


def label_th(level: str, ident: str = "") -> str:
    """A node in Thai: ``ยุทธศาสตร์ที่ 5``, ``กลยุทธ์ 5.1``, ``ทั้งแผน``.

    >>> label_th("tactic", "5.1"), label_th("project", "6.1"), label_th("document", "document")
    ('กลยุทธ์ 5.1', 'โครงการ 6.1', 'เอกสาร')
    """
    return node_label(level, ident)


def label_en(level: str, ident: str = "") -> str:
    """A node in English: ``strategy 5``, ``whole plan``.

    >>> label_en("strategy", "5"), label_en("plan", "plan")
    ('strategy 5', 'whole plan')
    """
    return node_label_en(level, ident)


def ids_th(ids) -> str:
    """Ids listed for a Thai sentence.

    >>> ids_th(["5.1", "5.2"])
    '5.1, 5.2'
    """
    return ", ".join(ids)


def projects_en(count) -> str:
    """``1 project``, ``2 projects``: a count of projects in an English message.

    >>> projects_en(1), projects_en(0), projects_en(12)
    ('1 project', '0 projects', '12 projects')
    """
    return f"{count} project" + ("" if count == 1 else "s")


def total_of(values) -> Decimal:
    """Exact sum of amounts (0 for none).

    >>> total_of([Decimal("0.1"), Decimal("0.2")])
    Decimal('0.3')
    """
    return sum(values, Decimal(0))


def listing_cell(row: dict) -> str:
    """A table row's printed cells as a finding shows them.

    >>> listing_cell({"source_line": 12, "tokens": ["5", "5"], "total_text": "10"})
    'บรรทัด 12: 5 5 | รวม 10'
    """
    where = f"บรรทัด {row['source_line']}: " if row["source_line"] is not None else ""
    total = f" | รวม {row['total_text']}" if row["total_text"] else ""
    return f"{where}{' '.join(row['tokens'])}{total}"


def group_name(name: str) -> str:
    """A group's name in guillemets after its label ('' when it has none).

    >>> group_name("การพัฒนา"), group_name("")
    (' «การพัฒนา»', '')
    """
    return f" «{name}»" if name else ""


def source_th(source: str) -> str:
    """Where something was printed, in Thai (the code itself when unknown).

    >>> source_th("summary"), source_th("elsewhere")
    ('หน้าสรุป', 'elsewhere')
    """
    return SOURCE_TH.get(source, source)


def source_en(source: str) -> str:
    """English for :func:`source_th`.

    >>> source_en("sheet")
    'project sheet'
    """
    return SOURCE_EN.get(source, source)
