"""Escaping for every text that comes from data (a document, a table, a parameter) on its way
into HTML or Markdown: titles, names, goals, messages, reasons, units.

A text escaped here shows as itself in a browser and never becomes markup: ``<script>`` is
displayed as ``<script>``, not run.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from coopanalysis.text.markdown import md_text

__all__ = ["html_text", "html_attr", "md_text", "spreadsheet_csv", "slug", "thai_words", "break_thai", "break_page", "WORD"]

#: A Thai word kept whole on a line (CSS ``span.tw { white-space: nowrap }``): the browser then
#: breaks a Thai line only between words. ``<wbr>`` or U+200B alone are not enough: Chromium still
#: breaks inside words by its own dictionary (measured: the same breaks with and without them).
WORD = '<span class="tw">{}</span>'
_THAI_RUN = re.compile(r"[\u0E01-\u0E4E]{2,}")
_MAX_RUN = 2000  # longer runs are left to the browser (tokenizing them costs more than it gives)


@lru_cache(maxsize=65536)
def thai_words(run: str) -> tuple[str, ...]:
    """*run* (Thai letters only) cut into words by PyThaiNLP (``newmm``); cached per distinct run.

    >>> thai_words("ยุทธศาสตร์การพัฒนา")
    ('ยุทธศาสตร์', 'การพัฒนา')
    """
    if len(run) > _MAX_RUN:
        return (run,)
    from pythainlp.tokenize import word_tokenize

    return tuple(w for w in word_tokenize(run, engine="newmm", keep_whitespace=False) if w)


@lru_cache(maxsize=65536)
def _wrapped(run: str) -> str:
    return "".join(WORD.format(w) if len(w) > 1 else w for w in thai_words(run))


def break_thai(escaped: str) -> str:
    """*escaped* (HTML text, already escaped) with each Thai word kept whole (:data:`WORD`), so
    a browser breaks lines between words and not inside one. Digits, Latin text, ids and
    punctuation are left as they are, and nothing is added to the text itself (a copy of it is
    the text); a run of Thai letters is cut where PyThaiNLP puts a word boundary.

    >>> break_thai("คำเตือน 1,754.4198 ล้านบาท (8.u1)")
    '<span class="tw">คำเตือน</span> 1,754.4198 <span class="tw">ล้าน</span><span class="tw">บาท</span> (8.u1)'
    """
    if not _THAI_RUN.search(escaped):
        return escaped
    return _THAI_RUN.sub(lambda m: _wrapped(m.group(0)), escaped)


_WORD_OPEN = WORD.split("{}")[0]
_SKIP = re.compile(r"(<(style|script|title|textarea|pre|svg)\b.*?</\2\s*>|<[^>]*>)", re.S | re.I)


def break_page(page: str) -> str:
    """A whole HTML page with :func:`break_thai` applied to the text between its tags (never
    inside a tag, an attribute, ``<title>``, ``<style>``, ``<script>``, ``<pre>`` or ``<svg>``).

    >>> break_page('<title>คำเตือน</title><p title="คำเตือน">ล้านบาท</p>')
    '<title>คำเตือน</title><p title="คำเตือน"><span class="tw">ล้าน</span><span class="tw">บาท</span></p>'
    """
    out, last, opened = [], 0, ""
    for m in _SKIP.finditer(page):
        text = page[last:m.start()]
        out.append(text if opened == _WORD_OPEN else break_thai(text))  # a word already kept whole
        out.append(m.group(0))
        last, opened = m.end(), m.group(0)
    out.append(break_thai(page[last:]))
    return "".join(out)

def html_text(value) -> str:
    """*value* as HTML text ('' for None).

    >>> html_text('<img src=x onerror=alert(1)>')
    '&lt;img src=x onerror=alert(1)&gt;'
    >>> html_text(None), html_text(5)
    ('', '5')

    Thai words are kept whole on a line (:func:`break_thai`), so lines break between words:

    >>> html_text("คำเตือน: <b>")
    '<span class="tw">คำเตือน</span>: &lt;b&gt;'
    """
    return "" if value is None else break_thai(html.escape(str(value), quote=False))


def html_attr(value) -> str:
    """*value* for an attribute value in double quotes.

    >>> html_attr('a"b<c')
    'a&quot;b&lt;c'
    """
    return "" if value is None else html.escape(str(value), quote=True)


def spreadsheet_csv(frame) -> str:
    """*frame* as CSV text for people to open in a spreadsheet (a BOM, so Excel reads UTF-8):
    each cell of a text column (every value a string) that begins like a formula (``= + - @``)
    gets a leading ``'``; columns of numbers are written as they are.

    >>> import pandas as pd
    >>> print(spreadsheet_csv(pd.DataFrame({"name": ["=1+2", "ก"], "amount_mb": [-5, 1]})).lstrip("\ufeff"), end="")
    name,amount_mb
    '=1+2,-5
    ก,1
    """
    from coopanalysis.io.safeio import spreadsheet_text

    out = frame.copy()
    for column in out.columns:
        values = out[column].tolist()
        if values and all(isinstance(v, str) or v is None for v in values):
            out[column] = [v if v is None else spreadsheet_text(v) for v in values]
    return "\ufeff" + out.to_csv(index=False, lineterminator="\n")


def slug(*parts) -> str:
    """An HTML id from *parts* (ASCII letters, digits, ``-``; Thai and other text dropped).

    >>> slug("finding", "strategy_total", "5", None), slug("finding", "project_total", "8.u1", 2561)
    ('finding-strategy_total-5', 'finding-project_total-8-u1-2561')
    """
    text = "-".join(str(p) for p in parts if p not in (None, ""))
    return re.sub(r"[^A-Za-z0-9_]+", "-", text).strip("-")
