"""Printed totals read from a volume of the Budget Bureau's budget documents (เอกสารงบประมาณ ฉบับที่ 3).

The reader takes the characters of each page with their positions (pdfplumber), rebuilds the
lines in reading order and repairs the damaged Thai text layer, then picks the totals the volume
prints:

* the header of a ministry's or an agency's first page: ``งบประมาณ | ปี 2564 | ปี 2565`` then
  ``งบประมาณรายจ่าย | … บาท | … บาท``; the name lines above it are the ministry, then the agency.
  Only the bill's own year (the last column) is kept: the item tables hold that year.
* the ministry's list of its agencies (``… จำแนกดังนี้`` then ``1. agency | amount บาท``);
* table 6.2 of each agency (``จำแนกตามแผนงาน ผลผลิต/โครงการ และงบรายจ่าย``, million baht): the
  agency's, each budget plan's and each output's or project's total, and each one by expenditure
  category (งบบุคลากร, งบดำเนินงาน, งบลงทุน, งบเงินอุดหนุน, งบรายจ่ายอื่น).

Text repair (the PDF's text layer is damaged in several ways):

* a Thai mark is drawn at the end of its base consonant, so a reader that sorts by position puts
  it after the next letter (``สาํ นกั งาน``); here marks stay with the character they follow in
  the content stream, and only whole characters are placed by position;
* tone marks of the font's shifted variants come out as ``(cid:201)`` … ``(cid:205)`` or private-use
  code points (U+F700-F71A): mapped back to the marks;
* ``ํา`` (nikhahit + sara aa) and ``ำา`` become ``ำ``; marks reordered or doubled are put right by
  :func:`coopanalysis.text.thai.normalize_text`; Thai digits become Arabic digits in amounts;
* a digit set apart from the rest of its number (``1 66.5767``, ``4 ,966,955,400``) is joined.

Amounts are kept exactly as printed (text), with their unit. A page that looks like one of these
tables but whose rows cannot be read is reported with its number, never skipped in silence.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from pdfminer.layout import LTChar, LTContainer

from coopanalysis.errors import InputError
from coopanalysis.io.safeio import check_regular, display_path
from coopanalysis.text.thai import match_key, normalize_text, to_arabic

__all__ = ["StatedTotal", "PdfTotals", "repair", "read_pdf_totals", "is_pdf"]


_MARKS = frozenset(chr(c) for c in [0x0E31, *range(0x0E34, 0x0E3B), *range(0x0E47, 0x0E4F)])
# the font's shifted tone marks (as in Thai fonts' private-use variants): low or left-shifted
_CID_MARKS = {201: "\u0e48", 202: "\u0e49", 203: "\u0e4a", 204: "\u0e4b", 205: "\u0e4c"}
# private-use glyph variants of Thai fonts (Windows/Mac Thai font convention)
_PUA = {0xF700: "\u0e10", 0xF701: "\u0e34", 0xF702: "\u0e35", 0xF703: "\u0e36", 0xF704: "\u0e37",
        0xF705: "\u0e48", 0xF706: "\u0e49", 0xF707: "\u0e4a", 0xF708: "\u0e4b", 0xF709: "\u0e4c",
        0xF70A: "\u0e48", 0xF70B: "\u0e49", 0xF70C: "\u0e4a", 0xF70D: "\u0e4b", 0xF70E: "\u0e4c",
        0xF70F: "\u0e0d", 0xF710: "\u0e31", 0xF711: "\u0e4d", 0xF712: "\u0e47", 0xF713: "\u0e48",
        0xF714: "\u0e49", 0xF715: "\u0e4a", 0xF716: "\u0e4b", 0xF717: "\u0e4c", 0xF718: "\u0e38",
        0xF719: "\u0e39", 0xF71A: "\u0e3a"}
_CID = re.compile(r"\(cid:(\d+)\)")
_DIGIT_GAP = re.compile(r"(?<=\d) (?=[\d,.])")
_AMOUNT = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_YEAR = re.compile(r"^ปี\s*(\d{4})$")
_NUMBERED = re.compile(r"^\d{1,3}\.\s*(?=\D)")
_OUTPUT = re.compile(r"^(ผลผลิตที่|โครงการที่)\s*\d+\s*:?\s*")
_DASHES = {"-", "–", "—", "−"}


def repair(text: str) -> str:
    """The text of a PDF line as printed: shifted marks, ``ํา``/``ำา``, order of marks, spaces.

    >>> repair("ทั(cid:202)งสิ(cid:202)น") == "ทั้งสิ้น"
    True
    >>> repair("จํานวน") == "จำนวน", repair("ประจำาปี") == "ประจำปี"
    (True, True)
    >>> repair("1 66.5767"), repair("4 ,966,955,400")
    ('166.5767', '4,966,955,400')
    """
    text = _CID.sub(lambda m: _CID_MARKS.get(int(m.group(1)), m.group(0)), text)
    if any(0xF700 <= ord(c) <= 0xF71A for c in text):
        text = "".join(_PUA.get(ord(c), c) for c in text)
    text = text.replace("\u0e4d\u0e32", "\u0e33").replace("\u0e33\u0e32", "\u0e33")
    text = _DIGIT_GAP.sub("", to_arabic(text))
    return normalize_text(text)


def is_pdf(path: str | Path) -> bool:
    """True when the file starts like a PDF (``%PDF-``) or is named ``*.pdf``."""
    path = Path(path)
    if path.suffix.lower() == ".pdf":
        return True
    try:
        with open(path, "rb") as fh:
            return fh.read(5) == b"%PDF-"
    except OSError:
        return False


@dataclass
class StatedTotal:
    """One printed total: ``level`` a level key of the budget-bill mapping, ``parent`` the names of
    its ancestors joined by `` > `` (empty for a ministry or an agency), amount as printed."""

    level: str
    name: str
    parent: str
    fiscal_year: int
    amount: str
    unit: str
    page: int
    source_file: str = ""


@dataclass
class PdfTotals:
    totals: list[StatedTotal] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)  # (page, what could not be read)
    blank_pages: list[int] = field(default_factory=list)
    #: pages whose text layer has glyphs the repair cannot map (U+FFFD, unknown ``(cid:N)``): a
    #: table on them would not be recognised (in the three volumes seen: covers and contents)
    damaged_pages: list[int] = field(default_factory=list)
    #: agencies a ministry's page lists whose own pages are not in this volume: (page, name)
    elsewhere: list[tuple[int, str]] = field(default_factory=list)
    pages: int = 0


@dataclass
class _Line:
    top: float
    cells: list[str]  # repaired text of each block of characters set apart by a wide gap

    @property
    def text(self) -> str:
        return " ".join(self.cells)


def _join(a: str, b: str) -> str:
    """Two wrapped lines of one name: Thai runs on without a space."""
    if not a:
        return b
    if a[-1] >= "\u0e00" and b[:1] >= "\u0e00":
        return a + b
    return a + " " + b


def _chars(objects):
    """pdfminer's characters of a page's layout, in content-stream order (inside figures too).

    Read from ``page.layout`` rather than ``page.chars``: pdfplumber's conversion of every object
    to a dict of all its attributes is a third of the time, and only text and box are needed."""
    for obj in objects:
        if isinstance(obj, LTChar):
            yield obj
        elif isinstance(obj, LTContainer):
            yield from _chars(obj)


def page_lines(page) -> list[_Line]:
    """The lines of a pdfplumber page, top to bottom, cells left to right, text repaired."""
    clusters: list[list] = []  # [text, x0, x1, top, size]
    for ch in _chars(page.layout):
        text = ch.get_text()
        if not text:
            continue
        if clusters and (text in _MARKS or text.startswith("(cid:") or 0xF705 <= ord(text[0]) <= 0xF71A):
            clusters[-1][0] += text  # a mark belongs to the character it follows in the stream
            continue
        clusters.append([text, ch.x0, ch.x1, -ch.y1, ch.size or 12.0])
    clusters.sort(key=lambda c: (c[3], c[1]))
    rows: list[list[list]] = []
    for c in clusters:
        if rows and abs(rows[-1][0][3] - c[3]) < 0.25 * c[4]:
            rows[-1].append(c)
        else:
            rows.append([c])
    lines = []
    for row in rows:
        row.sort(key=lambda c: c[1])
        cells, current, previous = [], "", None
        for c in row:
            if previous is not None:
                gap = c[1] - previous[2]
                if gap > 0.6 * c[4]:
                    cells.append(current)
                    current = ""
                elif gap > 0.15 * c[4] and current and not current.endswith(" "):
                    current += " "
            current += c[0]
            previous = c
        cells.append(current)
        parts = [repair(p) for cell in cells for p in re.split(r"\s{2,}", cell)]
        parts = [p for p in parts if p]
        if parts:
            lines.append(_Line(row[0][3], parts))
    return lines


def _amount(cell: str) -> str | None:
    """The amount a cell prints (``'-'`` for a dash), ``บาท`` dropped; None when it is not one."""
    cell = cell.replace("บาท", "").strip()
    if cell in _DASHES:
        return "-"
    return cell if _AMOUNT.match(cell) else None


def _split(line: _Line) -> tuple[str, list[str]]:
    """A line's label (the cells before the first amount) and its trailing amounts."""
    cells = [c for c in line.cells if c != "บาท"]
    amounts: list[str] = []
    while cells and _amount(cells[-1]) is not None:
        amounts.insert(0, _amount(cells.pop()))
    return " ".join(cells).strip(), amounts


def _name(text: str) -> str:
    """A row label as the item tables name it: numbering and ``ผลผลิตที่ 1 :`` dropped."""
    text = _OUTPUT.sub("", _NUMBERED.sub("", text.strip()))
    return re.sub(r"\s+", " ", text).strip()


class _Volume:
    """State carried from page to page: the ministry, the agency, the bill year, table 6.2."""

    def __init__(self, source: str):
        self.source = source
        self.out = PdfTotals()
        self.listed: list[StatedTotal] = []  # from a ministry's list of its agencies
        self.headed: set[str] = set()  # agencies with their own header page
        self.ministry = ""
        self.agency = ""
        self.year = 0
        self.columns: list[str] | None = None  # table 6.2's columns while it runs on
        self.plan = ""

    def add(self, level: str, name: str, parent: str, amount: str, unit: str, page: int) -> None:
        if amount == "-" or not name or not self.year:
            return
        self.out.totals.append(StatedTotal(level, name, parent, self.year, amount, unit, page, self.source))

    def problem(self, page: int, what: str) -> None:
        self.out.problems.append((page, what))

    # -- page kinds ----------------------------------------------------------------------------

    def page(self, number: int, lines: list[_Line]) -> None:
        for i, line in enumerate(lines):
            if len(line.cells) >= 3 and line.cells[0] == "งบประมาณ" and all(_YEAR.match(c) for c in line.cells[1:]):
                self.header(number, lines, i)
                return self.rest(number, lines[i + 1:])
        self.rest(number, lines)

    def header(self, number: int, lines: list[_Line], at: int) -> None:
        # the lines above, less page numbers and labels such as "9" or "(ค)"; a name may wrap,
        # e.g. "(องค์การมหาชน)" on a line of its own
        names = [ln.text for ln in lines[:at] if not re.fullmatch(r"\d+|\(\S{1,3}\)", ln.text)]
        years = [int(_YEAR.match(c).group(1)) for c in lines[at].cells[1:]]
        total = next((ln for ln in lines[at + 1:at + 3] if ln.cells[0] == "งบประมาณรายจ่าย"), None)
        if not names or total is None:
            return self.problem(number, "a page header 'งบประมาณ | ปี …' without its names or its 'งบประมาณรายจ่าย' line")
        _label, amounts = _split(total)
        if len(amounts) != len(years):
            return self.problem(number, f"header: {len(years)} years but {len(amounts)} amounts in {total.text!r}")
        self.year = max(years)
        amount = amounts[years.index(self.year)]
        self.columns, self.plan = None, ""
        lists_units = any("จำแนกดังนี้" in ln.text for ln in lines[at:])
        if len(names) == 1 and lists_units:  # a ministry's page lists its agencies
            self.ministry, self.agency = names[0], ""
            self.add("ministry", self.ministry, "", amount, "baht", number)
        elif len(names) == 1:  # an agency's page without its ministry's name above
            self.agency = names[0]
            self.headed.add(match_key(self.agency))
            self.add("budgetary_unit", self.agency, "", amount, "baht", number)
        else:
            self.ministry = names[0]
            self.agency = ""
            for part in names[1:]:
                self.agency = _join(self.agency, part)
            self.headed.add(match_key(self.agency))
            self.add("budgetary_unit", self.agency, "", amount, "baht", number)

    def rest(self, number: int, lines: list[_Line]) -> None:
        titled = any(re.sub(r"\s+", "", "จำแนกตามแผนงาน ผลผลิต/โครงการ") in re.sub(r"\s+", "", ln.text) for ln in lines)
        if titled and not any("งบบุคลากร" in ln.cells and ln.cells[-1] == "รวม" for ln in lines):
            self.problem(number, "table 6.2 (จำแนกตามแผนงาน ผลผลิต/โครงการ และงบรายจ่าย) without its column "
                                 "header 'งบบุคลากร … รวม'")
        listing = False
        current: list | None = None  # [name, amount] of a listed agency whose name may wrap
        row: dict | None = None
        for line in lines:
            text = line.text
            if "จำแนกดังนี้" in text and not self.agency:
                listing = True
                continue
            if listing:
                label, amounts = _split(line)
                if _NUMBERED.match(label) and len(amounts) == 1:
                    self._listed(current, number)
                    current = [_name(label), amounts[0]]
                elif current and not amounts and label:
                    current[0] = _join(current[0], label)
                else:
                    self._listed(current, number)
                    current = None
                continue
            if "งบบุคลากร" in line.cells and line.cells[-1] == "รวม":
                self.columns = [c for c in line.cells if c.startswith("งบ") or c == "รวม"]
                continue
            if re.match(r"^[7-9]\.\d*\s", text) or text.startswith("7."):
                self._row(row, number)
                row, self.columns = None, None
                continue
            if self.columns is None:
                continue
            label, amounts = _split(line)
            starts = label.startswith("รวมทั้งสิ้น") or bool(_NUMBERED.match(label)) or bool(_OUTPUT.match(label))
            if starts:
                self._row(row, number)
                row = {"label": label, "amounts": amounts}
            elif row is not None and label and not label.startswith("หน่วย"):
                row["label"] = _join(row["label"], label)
                row["amounts"] = row["amounts"] or amounts
            elif amounts and row is not None and not row["amounts"]:
                row["amounts"] = amounts
        self._listed(current, number)
        self._row(row, number)

    def _listed(self, current, number: int) -> None:
        if current and current[1] != "-" and self.year:
            self.listed.append(StatedTotal("budgetary_unit", current[0], "", self.year, current[1], "baht", number,
                                           self.source))

    def finish(self) -> PdfTotals:
        """The totals, with the listed agencies that have their own pages in this volume (a
        ministry printed over several volumes lists agencies whose pages are in another)."""
        for total in self.listed:
            if match_key(total.name) in self.headed:
                self.out.totals.append(total)
            else:
                self.out.elsewhere.append((total.page, total.name))
        self.out.totals.sort(key=lambda t: t.page)
        return self.out

    def _row(self, row: dict | None, number: int) -> None:
        """A row of table 6.2: totals of the agency, a budget plan or an output/project."""
        if row is None or not self.agency:
            return
        label, amounts = row["label"], row["amounts"]
        if len(amounts) != len(self.columns):
            return self.problem(number, f"table 6.2 row {label[:60]!r}: {len(amounts)} amounts for "
                                        f"{len(self.columns)} columns")
        if label.startswith("รวมทั้งสิ้น"):
            level, name, parent = "budgetary_unit", self.agency, ""
        elif _OUTPUT.match(label):
            level, name, parent = "output_or_project", _name(label), " > ".join(p for p in (self.agency, self.plan) if p)
        else:
            self.plan = _name(label)
            level, name, parent = "budget_plan", self.plan, self.agency
        for column, amount in zip(self.columns, amounts):
            if column == "รวม":
                self.add(level, name, parent, amount, "million_baht", number)
            else:
                self.add("category_lv1", column, " > ".join(p for p in (parent, name) if p), amount,
                         "million_baht", number)


def read_pdf_totals(path: str | Path, progress: bool | None = None, pages=None) -> PdfTotals:
    """Every printed total of one volume (see the module's docstring), with the pages it could not read.

    *progress*: a bar on stderr (None: only when stderr is a terminal). *pages*: only these page
    numbers (1 = the first; an agency's table needs its header page too). Raises
    :class:`~coopanalysis.errors.InputError` naming the file when it is not a readable PDF.
    """
    import pdfplumber
    from tqdm import tqdm

    path = Path(path)
    if not path.exists():
        raise InputError("no such file", path=path)
    check_regular(path)
    with open(path, "rb") as fh:
        if fh.read(5) != b"%PDF-":
            raise InputError("not a PDF (the file does not start with %PDF-)", path=display_path(path))
    try:
        pdf = pdfplumber.open(path)
    except Exception as exc:  # pdfminer raises many kinds on a damaged file
        raise InputError(f"not a readable PDF: {type(exc).__name__}: {exc}"[:300], path=display_path(path)) from None
    volume = _Volume(path.name)
    with pdf:
        try:
            every = pdf.pages
        except Exception as exc:
            raise InputError(f"not a readable PDF: {type(exc).__name__}: {exc}"[:300],
                             path=display_path(path)) from None
        if not every:
            raise InputError("this PDF has no pages", path=display_path(path))
        wanted = set(pages) if pages is not None else None
        chosen = [(n, p) for n, p in enumerate(every, 1) if wanted is None or n in wanted]
        volume.out.pages = len(chosen)
        bar = tqdm(chosen, desc=path.name, unit="page", file=sys.stderr, disable=(None if progress is None else not progress))
        for number, page in bar:
            try:
                lines = page_lines(page)
            except Exception as exc:
                volume.problem(number, f"page could not be read: {type(exc).__name__}: {exc}"[:200])
                continue
            finally:
                page.close()
            if not lines:
                volume.out.blank_pages.append(number)
                continue
            if any("\ufffd" in line.text or "(cid:" in line.text for line in lines):
                volume.out.damaged_pages.append(number)
            volume.page(number, lines)
    if volume.out.pages and len(volume.out.blank_pages) + len(volume.out.problems) >= volume.out.pages:
        raise InputError("no page of this PDF has a readable text layer", path=display_path(path))
    return volume.finish()
