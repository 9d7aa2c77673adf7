"""Tables made for reading: Thai headings with units, Thai text left, numbers right with
thousands separators, long names wrapped (never cut), totals rows set apart, no index row.

:class:`ReadingTable` holds formatted cells (strings) and renders them as escaped HTML (what the
reports and notebooks show) and as aligned plain text (what ``repr`` and nbval compare). Build
one from a DataFrame with :func:`table`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from coopanalysis.present.escape import html_attr, html_text
from coopanalysis.text.fmt import MISSING, amount, count, digits, is_missing, percent, year
from coopanalysis.text.labels import COLUMN_TH, MB, TOTAL
from coopanalysis.text.textwrap_th import display_width

__all__ = ["Column", "ReadingTable", "table", "pad", "column_kind", "cell_text", "NUMERIC_KINDS"]

#: Column kinds shown right-aligned.
NUMERIC_KINDS = ("amount", "percent", "count", "figure")
_PERCENT = {"share", "coverage", "share_stated", "share_computed", "difference_share"}
_COUNT = {"stated_count", "found_count", "n_printed_basis", "series", "source_line", "n", "findings"}
_SIGNED = {"difference_mb"}


@dataclass(frozen=True)
class Column:
    """One column: its *header* (Thai), *kind* (text, id, year, amount, percent, count) and the
    *unit* shown under the header."""

    header: str
    kind: str = "text"
    unit: str = ""

    @property
    def numeric(self) -> bool:
        return self.kind in NUMERIC_KINDS


@dataclass
class ReadingTable:
    """Formatted rows under :class:`Column` headers.

    *total_rows*: indexes of rows that are totals (set apart); *row_ids*: an HTML id per row
    (or None); *caption*: shown above the table; *links*: ``{(row, column): href}`` for cells
    that link elsewhere.
    """

    columns: list[Column]
    rows: list[list[str]]
    caption: str = ""
    total_rows: set[int] = field(default_factory=set)
    row_ids: list[str | None] | None = None
    links: dict[tuple[int, int], str] = field(default_factory=dict)
    css_class: str = "reading"
    row_classes: list[str] | None = None
    details: list[str | None] | None = None  # full-width text under a row (a finding's message)
    subtexts: dict[tuple[int, int], str] = field(default_factory=dict)  # a second line in a cell (a name)

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def empty(self) -> bool:
        return not self.rows

    @property
    def headers(self) -> list[str]:
        return [c.header + (f" ({c.unit})" if c.unit else "") for c in self.columns]

    def html(self) -> str:
        """The table as HTML; every header and cell escaped."""
        out = [f'<div class="table-wrap"><table class="{html_attr(self.css_class)}">']
        if self.caption:
            out.append(f"<caption>{html_text(self.caption)}</caption>")
        out.append("<thead><tr>")
        for c in self.columns:
            unit = f'<span class="unit">({html_text(c.unit)})</span>' if c.unit else ""
            out.append(f'<th scope="col" class="{c.kind}">{html_text(c.header)}{unit}</th>')
        out.append("</tr></thead><tbody>")
        for i, row in enumerate(self.rows):
            classes = []
            if i in self.total_rows:
                classes.append("total")
            if self.row_classes and self.row_classes[i]:
                classes.append(self.row_classes[i])
            attrs = f' class="{" ".join(classes)}"' if classes else ""
            if self.row_ids and self.row_ids[i]:
                attrs += f' id="{html_attr(self.row_ids[i])}"'
            cells = []
            for j, (column, value) in enumerate(zip(self.columns, row)):
                text = html_text(value)
                href = self.links.get((i, j))
                if href:
                    text = f'<a href="{html_attr(href)}">{text}</a>'
                if self.subtexts.get((i, j)):
                    text += f'<span class="sub">{html_text(self.subtexts[(i, j)])}</span>'
                tag = "th" if j == 0 and i in self.total_rows else "td"
                scope = ' scope="row"' if tag == "th" else ""
                cells.append(f'<{tag}{scope} class="{column.kind}">{text}</{tag}>')
            out.append(f"<tr{attrs}>{''.join(cells)}</tr>")
            if self.details and self.details[i]:
                detail_class = " ".join(["detail", *classes[1:]] if classes and classes[0] == "total" else ["detail", *classes])
                out.append(f'<tr class="{detail_class}"><td colspan="{len(self.columns)}" class="text">'
                           f'<div class="detail-text">{html_text(self.details[i])}</div></td></tr>')
        out.append("</tbody></table></div>")
        return "".join(out)

    def _repr_html_(self) -> str:
        return self.html()

    def text(self) -> str:
        """Aligned plain text: every cell in full (nothing cut)."""
        headers = self.headers
        widths = [display_width(h) for h in headers]
        for row in self.rows:
            widths = [max(w, display_width(v)) for w, v in zip(widths, row)]
        lines = [self.caption] if self.caption else []
        lines.append("  ".join(pad(h, w) for h, w in zip(headers, widths)).rstrip())
        lines.append("  ".join("-" * w for w in widths))
        for i, row in enumerate(self.rows):
            lines.append("  ".join(pad(v, w, right=c.numeric) for v, w, c in zip(row, widths, self.columns)).rstrip())
            if self.details and self.details[i]:
                lines.append("    " + self.details[i])
        return "\n".join(lines)

    def __repr__(self) -> str:
        return self.text()

    def to_frame(self):
        """The formatted cells as a DataFrame of strings under the headers (for CSV/xlsx)."""
        import pandas as pd

        return pd.DataFrame(self.rows, columns=self.headers)


def pad(text: str, width: int, right: bool = False) -> str:
    """*text* padded with spaces to *width* terminal cells (Thai marks take none).

    >>> pad("ที่", 3) + "|", pad("5", 3, right=True)
    ('ที่  |', '  5')
    """
    fill = " " * max(0, width - display_width(text))
    return fill + text if right else text + fill


def column_kind(column) -> str:
    """The kind of a column of the analysis tables, from its name.

    >>> [column_kind(c) for c in ("stated_mb", 2561, "share", "found_count", "fiscal_year", "project_id", "name")]
    ['amount', 'amount', 'percent', 'count', 'year', 'id', 'text']
    """
    if isinstance(column, int) or column == TOTAL or str(column).endswith("_mb"):
        return "amount"
    if column in _PERCENT:
        return "percent"
    if column in _COUNT:
        return "count"
    if column == "fiscal_year":
        return "year"
    if str(column).endswith("_id") or column == "id":
        return "id"
    return "text"


def cell_text(value, kind: str, thai_digits: bool = False, sign: bool = False) -> str:
    """One cell for reading; one digit system (``thai_digits``) for every kind, text included.

    >>> cell_text(1200.5, "amount"), cell_text(None, "amount"), cell_text(0.25, "percent")
    ('1,200.5', '–', '25.0%')
    >>> cell_text(2561, "year", True), cell_text("รวม", "year"), cell_text("ปี 2560", "text", True)
    ('๒๕๖๑', 'รวม', 'ปี ๒๕๖๐')
    """
    if isinstance(value, str) and kind in ("amount", "percent", "count", "year") and not _numeric_text(value):
        return digits(value, thai_digits)
    if kind == "amount":
        return amount(value, thai_digits, sign=sign)
    if kind == "percent":
        return percent(value, thai_digits)
    if kind == "count":
        return count(value, thai_digits)
    if kind == "year":
        return year(value, thai_digits)
    if is_missing(value):
        return MISSING if kind == "id" else ""
    return digits(" ".join(str(value).split()), thai_digits)


def _numeric_text(text: str) -> bool:
    from coopanalysis.text.thai import to_arabic

    plain = to_arabic(text).replace(",", "").strip()
    try:
        float(plain)
    except ValueError:
        return False
    return True


def table(
    frame,
    columns: dict | Sequence | None = None,
    thai_digits: bool = False,
    caption: str = "",
    group_label=None,
    kinds: dict | None = None,
) -> ReadingTable:
    """*frame* (an analysis table) as a :class:`ReadingTable`.

    *columns*: the columns to show, in order (a list; or a dict column -> Thai header); default
    all, headers from :data:`coopanalysis.text.labels.COLUMN_TH`. Amount columns get the unit
    ล้านบาท under their header. *group_label*: how to head the group columns that
    :mod:`coopanalysis.analysis` lists in ``attrs['columns']`` (e.g. ``lambda sid:
    node_label('strategy', sid)``). *kinds*: column -> kind, overriding :func:`column_kind`.
    A row whose first shown cell is ``รวม`` is a totals row.
    """
    groups = [str(g) for g in frame.attrs.get("columns", [])]
    if columns is None:
        columns = list(frame.columns)
    if not isinstance(columns, dict):
        columns = {c: None for c in columns}
    kinds = dict(kinds or {})
    specs = []
    for key, header in columns.items():
        kind = kinds.get(key) or ("amount" if str(key) in groups else column_kind(key))
        if header is None:
            if str(key) in groups and group_label is not None:
                header = group_label(key)
            elif isinstance(key, int):
                header = year(key, thai_digits)
            else:
                header = COLUMN_TH.get(key, str(key))
        unit = MB if kind == "amount" else ""
        specs.append((key, Column(digits(header, thai_digits), kind, unit)))
    rows, totals = [], set()
    for i in range(len(frame)):
        record = frame.iloc[i]
        row = [cell_text(record[key], col.kind, thai_digits, sign=key in _SIGNED) for key, col in specs]
        if row and str(record[specs[0][0]]) == TOTAL:
            totals.add(i)
            row = [row[0], *("" if v in (TOTAL, MISSING) and c.kind in ("text", "id") else v for v, (_, c) in zip(row[1:], specs[1:]))]
        rows.append(row)
    return ReadingTable([c for _, c in specs], rows, caption=digits(caption, thai_digits), total_rows=totals)
