"""Printed totals (``--stated FILE``), matched to the nodes of a dataset.

*FILE* is either the volume's PDF itself (read by :mod:`coopanalysis.budget.pdf`) or CSV with the
header ``level,name,fiscal_year,amount,unit`` and optional ``parent`` and ``page`` columns:
``level`` a level key of the mapping, ``fiscal_year`` Buddhist era, ``unit`` baht |
thousand_baht | million_baht. Names (and the parent's) match after Thai normalisation, ignoring
whitespace; ``parent`` names one ancestor, or several joined by `` > `` (outermost first), each an
ancestor of the node. When the parent holds several nodes of that level with the name (งบบุคลากร
under an agency: one per budget plan and output), the printed total is compared with their sum.

A name in the tables may carry stray characters glued on by the extraction (``…ชายฝั่ง ญ``,
``…พันธุ์พืช P.``): it still matches its clean printed name (see :func:`strip_noise`).

A ministry printed over several volumes (``… (2)``) and merged into one node
(:mod:`coopanalysis.budget.volumes`): its whole printed total is compared only when every part
was read, a part's total with that part's rows; one that cannot be compared is kept with an
empty ``node_id`` and becomes an info finding, in a typed CSV too.

Names that match nothing: in a typed CSV, every one of them is listed, each with its closest
candidates, in one :class:`~coopanalysis.errors.InputError`. Totals read from a PDF (or from a CSV
that ``coopanalysis stated`` wrote, with its ``page`` column) are not typed by a person and the
tables may have lost the node entirely: they are kept with an empty ``node_id`` and become
findings (``stated_unmatched``) instead.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
import sys
from pathlib import Path

import pandas as pd

from coopanalysis.budget.amounts import FLOAT_NOISE, OK, parse_amount_cell
from coopanalysis.budget.mapping import UNITS
from coopanalysis.errors import InputError
from coopanalysis.io.decode import decode_bytes
from coopanalysis.io.safeio import DOCUMENT_LIMIT, check_regular, display_path, read_bytes, unspreadsheet_text
from coopanalysis.text.thai import amount_text, match_key, to_arabic

__all__ = ["HEADER", "read_stated", "match_node", "strip_noise", "candidates", "PARENT_SEP"]

HEADER = ("level", "name", "fiscal_year", "amount", "unit")
PARENT_SEP = " > "

_THAI_MARKS = re.compile("[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]")
# a stray token glued after a name: a lone Thai letter (with its marks), or one to three Latin
# letters with an optional dot (``ญ``, ``P.``, ``de``, ``u``)
_NOISE = re.compile(r"\s+(?:[\u0e01-\u0e2e][\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]*|[A-Za-z]{1,3}\.?)$")
# or glued on without a space: a digit or a Latin letter right after Thai, with at most two more
# characters (``…ยุติธรรม6ณ``)
_GLUED = re.compile(r"(?<=[\u0e01-\u0e4e])[0-9A-Za-z][0-9A-Za-z\u0e01-\u0e4e]{0,2}$")
#: A stray token is stripped only from a name at least this long without it (``แผน ก`` stays).
NOISE_MIN_REST = 10
#: A name in the tables may be longer than the printed one by this many glued characters.
GLUED_MAX = 3
#: ... or cut short, keeping at least this many characters and this share of the printed name.
CUT_MIN, CUT_SHARE = 15, 0.6
#: Under a named parent, the closest sibling name matches when this similar (difflib ratio).
FUZZY_MIN = 0.9


def strip_noise(name: str) -> str:
    """*name* without stray short tokens glued on at its end by the extraction.

    >>> strip_noise("สำนักงานพัฒนาพื้นที่ชายฝั่ง ญ"), strip_noise("กรมวิชาการเกษตร พันธุ์พืช P.")
    ('สำนักงานพัฒนาพื้นที่ชายฝั่ง', 'กรมวิชาการเกษตร พันธุ์พืช')
    >>> strip_noise("มหาวิทยาลัยราชภัฏศรีวิชัย de u"), strip_noise("โครงการ (Smart City)")
    ('มหาวิทยาลัยราชภัฏศรีวิชัย', 'โครงการ (Smart City)')
    >>> strip_noise("แผน ก"), strip_noise("กรมวิชาการเกษตร ก")
    ('แผน ก', 'กรมวิชาการเกษตร')
    >>> strip_noise("แผนงานบูรณาการ BCG"), strip_noise("แผนงานยุทธศาสตร์พัฒนากฎหมายและกระบวนการยุติธรรม6ณ")
    ('แผนงานบูรณาการ BCG', 'แผนงานยุทธศาสตร์พัฒนากฎหมายและกระบวนการยุติธรรม')
    """
    text = _GLUED.sub("", name.strip()) or name.strip()
    while True:
        stripped = _NOISE.sub("", text)
        if stripped == text or len(stripped) < NOISE_MIN_REST:  # แผน ก, แผน ข: a letter that counts
            return text
        letters = text[len(stripped):].strip().rstrip(".")
        if len(letters) > 1 and letters.isupper():  # an acronym (BCG, EEC, SME), not noise
            return text
        text = stripped


def _skeleton(key: str) -> str:
    """A match key without Thai marks: the last resort against marks a PDF lost or doubled."""
    return _THAI_MARKS.sub("", key)


class _Index:
    """Nodes (a ``nodes.csv`` frame) by id, and by level and name key (exact, clean, skeleton)."""

    def __init__(self, nodes: pd.DataFrame):
        self.records = nodes.to_dict("records")
        self.by_id = {n["node_id"]: n for n in self.records}
        self._by_level: dict[str, dict[str, dict[str, list[dict]]]] = {}
        self._ancestors: dict[str, set[str]] = {}
        self._keys: set[str] | None = None
        self._resolved: dict[tuple[str, bool], set[str]] = {}

    def resolve(self, want: str, outermost: bool) -> set[str]:
        """The name keys in the tables that a printed parent name *want* may stand for: itself
        and the names it nearly equals (glued, cut, a typo). The *outermost* parent named (an
        agency) is only itself when some node has exactly its name: ราชภัฏพระนครศรีอยุธยา is
        never ราชภัฏพระนคร, nor เพชรบูรณ์ เพชรบุรี; names beneath it (a plan, an output) repeat
        from agency to agency, and one agency's copy may carry noise another's has not."""
        if (want, outermost) not in self._resolved:
            if self._keys is None:
                self._keys = {match_key(str(n["name"])) for n in self.records}
            if outermost and want in self._keys:
                found = {want}
            else:
                found = {want} | {k for k in self._keys if _same(want, k)}
            self._resolved[(want, outermost)] = found
        return self._resolved[(want, outermost)]

    def table(self, level: str) -> dict[str, dict[str, list[dict]]]:
        if level not in self._by_level:
            table: dict[str, dict[str, list[dict]]] = {"exact": {}, "clean": {}, "skeleton": {}}
            for node in self.records:
                if node["level"] != level:
                    continue
                name = str(node["name"])
                clean = match_key(strip_noise(name))
                table["exact"].setdefault(match_key(name), []).append(node)
                table["clean"].setdefault(clean, []).append(node)
                table["skeleton"].setdefault(_skeleton(clean), []).append(node)
            self._by_level[level] = table
        return self._by_level[level]

    def ancestor_keys(self, node: dict) -> set[str]:
        if node["node_id"] not in self._ancestors:
            keys, parent = set(), node.get("parent_id") or ""
            while isinstance(parent, str) and parent:
                up = self.by_id[parent]
                keys.update((match_key(str(up["name"])), match_key(strip_noise(str(up["name"])))))
                parent = up.get("parent_id") or ""
            self._ancestors[node["node_id"]] = keys
        return self._ancestors[node["node_id"]]


def match_node(level: str, name: str, parent: str, index: _Index) -> list[dict]:
    """Nodes of *level* named *name* (under ancestors named in *parent*, when given): the exact
    name first, then names cleaned of glued noise, then names compared without Thai marks."""
    table = index.table(level)
    key = match_key(strip_noise(name))
    wants = [match_key(p) for p in parent.split(PARENT_SEP) if p.strip()] if parent.strip() else []
    # a name in the tables with a few characters glued on that strip_noise cannot tell from text,
    # or cut short by the extraction
    near = [n for k, nodes in table["exact"].items() if _glued_or_cut(key, k) for n in nodes]
    for loose in (False, True) if wants else (False,):  # parents named exactly first
        for kind, lookup in (("exact", match_key(name)), ("clean", key), ("skeleton", _skeleton(key))):
            found = [n for n in table[kind].get(lookup, []) if not wants or _under(n, wants, index, loose)]
            if found:
                return found
        found = [n for n in near if not wants or _under(n, wants, index, loose)]
        if found or not wants:
            return found
        # under a named parent the siblings are few: a name that differs by a character or two
        # (``3 GeV`` / ``GeV``, ``ขั้นสูง`` / ``ชั้นสูง``) is the same node when it is clearly the closest
        siblings = {match_key(str(n["name"])): n for nodes in table["exact"].values() for n in nodes
                    if _under(n, wants, index, loose)}
        ratios = sorted(((difflib.SequenceMatcher(None, key, k).ratio(), k) for k in siblings), reverse=True)
        if ratios and ratios[0][0] >= FUZZY_MIN and (len(ratios) == 1 or ratios[1][0] < ratios[0][0] - 0.05):
            return [siblings[ratios[0][1]]]
    return []


def _glued_or_cut(want: str, key: str) -> bool:
    """*key* (a table name) is *want* with a few characters glued on, or *want* cut short."""
    if key.startswith(want):  # but "(2)" is the part of a ministry a volume holds, not noise
        return len(key) - len(want) <= GLUED_MAX and not re.fullmatch(r"\(\d+\)", key[len(want):])
    return want.startswith(key) and len(key) >= max(CUT_MIN, CUT_SHARE * len(want))


def _same(want: str, key: str) -> bool:
    if key == want or _skeleton(key) == _skeleton(want) or _glued_or_cut(want, key):
        return True
    if min(len(want), len(key)) < CUT_MIN or abs(len(want) - len(key)) > 5:
        return False
    similar = difflib.SequenceMatcher(None, want, key)
    return similar.quick_ratio() >= FUZZY_MIN and similar.ratio() >= FUZZY_MIN  # (the quick bound first)


def _under(node: dict, wants: list[str], index: _Index, loose: bool = False) -> bool:
    """True when every name of *wants* is the name of an ancestor of *node* (*loose*: nearly
    the name, see :meth:`_Index.resolve`)."""
    keys = index.ancestor_keys(node)
    if not loose:
        return all(w in keys for w in wants)
    return all(index.resolve(w, i == 0) & keys for i, w in enumerate(wants))


def candidates(level: str, name: str, names: list[str], n: int = 3) -> list[str]:
    """The closest of *names* to *name* (difflib on match keys), best first."""
    keys = {}
    for other in names:
        keys.setdefault(match_key(other), other)
    close = difflib.get_close_matches(match_key(name), list(keys), n=n, cutoff=0.5)
    return [keys[k] for k in close]


def _entries_from_csv(path: Path) -> tuple[list[dict], bool]:
    text, _enc = decode_bytes(read_bytes(path, limit=DOCUMENT_LIMIT), path)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)  # strict: a quote never closed is an error
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise InputError("empty file; expected the header level,name,fiscal_year,amount,unit", path=path) from None
    except csv.Error as exc:
        raise InputError(f"not a readable CSV: {exc}", path=path, line=1) from None
    missing = [h for h in HEADER if h not in header]
    if missing:
        raise InputError(f"header lacks {', '.join(missing)}; expected level,name,fiscal_year,amount,unit[,parent]",
                         path=path, line=1)
    col = {h: header.index(h) for h in header}
    entries = []
    try:
        started = reader.line_num + 1  # the line the next record starts on
        for cells in reader:
            record_start, started = started, reader.line_num + 1
            if any("\n" in c or "\r" in c for c in cells):
                raise InputError("a quoted cell runs over several lines: is a closing quote missing?",
                                 path=path, line=record_start)
            if not any(c.strip() for c in cells):
                continue
            cells = cells + [""] * (len(header) - len(cells))
            entry = {h: cells[col[h]].strip() if h in col else "" for h in (*HEADER, "parent", "page", "source_file")}
            for key in ("name", "parent", "source_file"):  # the spreadsheet's text marker (' before = + - @)
                entry[key] = unspreadsheet_text(entry[key])
            entry["line"] = reader.line_num
            entries.append(entry)
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            raise InputError("a quote opened here is never closed", path=path, line=started) from None
        raise InputError(f"not a readable CSV: {exc}", path=path, line=reader.line_num) from None
    return entries, "page" in col


def _entries_from_pdf(path: Path) -> list[dict]:
    from coopanalysis.budget.pdf import read_pdf_totals

    read = read_pdf_totals(path)
    for page, what in read.problems:
        print(f"coopanalysis: warning: {display_path(path)}: page {page}: {what}", file=sys.stderr)
    return [{"level": t.level, "name": t.name, "parent": t.parent, "fiscal_year": str(t.fiscal_year),
             "amount": t.amount, "unit": t.unit, "page": str(t.page), "source_file": path.name,
             "line": f"page {t.page}"} for t in read.totals]


def read_stated(path: str | Path, level_keys: list[str], nodes: pd.DataFrame,
                parts: list[dict] | None = None) -> list[dict]:
    """Rows for ``stated.csv`` (amounts in million baht, exact) from a stated-totals CSV or a PDF.

    *parts*: plan.json ``parts``, the volume parts of the top level's nodes: a ministry printed
    over several volumes is compared as :meth:`coopanalysis.budget.volumes.Parts.target` says
    (its whole total only when every part was read; a part's total with that part's rows); a
    total that cannot be compared is kept with an empty ``node_id`` (a finding says why)."""
    from coopanalysis.budget.pdf import is_pdf
    from coopanalysis.budget.volumes import Parts

    path = Path(path)
    if not path.exists():
        raise InputError("stated-totals file not found", path=path)
    check_regular(path)
    if is_pdf(path):
        entries, lenient = _entries_from_pdf(path), True
    else:
        entries, lenient = _entries_from_csv(path)
    index = _Index(nodes)
    split = Parts(parts, level_keys[0])
    out, seen, unmatched = [], {}, []
    lost: set[str] = set()  # paths (parent > name) of PDF totals that matched nothing
    for entry in entries:
        line = entry["line"]
        where = {"path": path, "line": line if isinstance(line, int) else None}
        level = entry["level"]
        if level not in level_keys:
            raise InputError(f"level {level!r} is not a level of the mapping ({', '.join(level_keys)})", **where)
        year_text = to_arabic(entry["fiscal_year"])
        if not (year_text.isdigit() and 2400 <= int(year_text) <= 2700):
            raise InputError(f"fiscal_year {entry['fiscal_year']!r} is not a Buddhist-era year (e.g. 2565)", **where)
        unit = entry["unit"]
        if unit not in UNITS:
            raise InputError(f"unit {unit!r} must be one of {', '.join(UNITS)}", **where)
        amount, status = parse_amount_cell(entry["amount"], unit)
        if amount is None or status not in (OK, FLOAT_NOISE):
            raise InputError(f"amount {entry['amount']!r} is not a number", **where)
        name, parent = entry["name"], entry["parent"]
        shown_where = f" under {parent!r}" if parent else ""
        row = {"level": level, "name": name, "fiscal_year": int(year_text), "amount_mb": amount_text(amount),
               "source_file": path.name, "line": line}
        if entry.get("page") and entry.get("source_file"):  # written by `coopanalysis stated`: point at the PDF
            row.update(source_file=entry["source_file"], line=f"page {entry['page']}")
        target = split.target(name) if level == level_keys[0] else None  # a ministry in parts
        if target == "":  # not comparable with the parts read: kept, a finding says why
            if (name, int(year_text), amount) not in seen:  # a PDF prints it on several pages
                seen[(name, int(year_text), amount)] = (line, amount)
                out.append(dict(row, node_id=""))
            continue
        found = [index.by_id[i] for i in target.split(";")] if target else match_node(level, name, parent, index)
        if not found:
            path_key = PARENT_SEP.join(p for p in (parent, name) if p)
            if lenient and parent in lost:
                lost.add(path_key)  # beneath a total already reported as unmatched: not again
            elif lenient:
                lost.add(path_key)
                out.append(dict(row, node_id=""))
            else:
                unmatched.append((line, level, name, shown_where))
            continue
        if len(found) > 1 and not parent.strip() and not lenient and not target:
            ids = ", ".join(n["node_id"] for n in found[:5])
            raise InputError(f"{len(found)} nodes of level {level} are named {name!r} ({ids}); "
                             "add a 'parent' column to tell them apart", **where)
        node_id = ";".join(sorted(n["node_id"] for n in found))
        key = (node_id, int(year_text))
        if key in seen:
            first_line, first_amount = seen[key]
            if lenient and first_amount == amount:
                continue  # a PDF prints the same total in several tables
            if lenient:
                print(f"coopanalysis: warning: {display_path(path)}: {line}: {level} {name!r} printed as "
                      f"{amount_text(amount)} million baht, but as {amount_text(first_amount)} on {first_line}; "
                      "the first is compared", file=sys.stderr)
                continue
            raise InputError(f"a second total for {level} {name!r} in {year_text} (first on line {first_line})",
                             **where)
        seen[key] = (line, amount)
        out.append(dict(row, node_id=node_id, name=found[0]["name"] if len(found) == 1 and not target else name))
    if unmatched:
        line = unmatched[0][0] if len(unmatched) == 1 else None  # one name: file:line as before
        raise InputError(_unmatched_message(unmatched, index), path=path, line=line)
    return out


def _unmatched_message(unmatched: list[tuple], index: _Index) -> str:
    parts = []
    for line, level, name, where in unmatched:
        names = list({str(n["name"]) for n in index.records if n["level"] == level})
        close = candidates(level, name, names)
        hint = "closest: " + " | ".join(repr(c) for c in close) if close else "no close name"
        parts.append(f"line {line}: no {level} named {name!r}{where} ({hint})")
    if len(parts) == 1:
        return parts[0].split(": ", 1)[1]
    return f"{len(unmatched)} names match nothing in the tables: " + "; ".join(parts)
