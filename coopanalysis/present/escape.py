"""Escaping for every text that comes from data (a document, a table, a parameter) on its way
into HTML or Markdown: titles, names, goals, messages, reasons, units.

A text escaped here shows as itself in a browser and never becomes markup: ``<script>`` is
displayed as ``<script>``, not run.
"""

from __future__ import annotations

import html
import re

__all__ = ["html_text", "html_attr", "md_text", "slug"]

# Characters that mean something in Markdown (CommonMark punctuation that can start or end markup).
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")


def html_text(value) -> str:
    """*value* as HTML text ('' for None).

    >>> html_text('<img src=x onerror=alert(1)>')
    '&lt;img src=x onerror=alert(1)&gt;'
    >>> html_text(None), html_text(5)
    ('', '5')
    """
    return "" if value is None else html.escape(str(value), quote=False)


def html_attr(value) -> str:
    """*value* for an attribute value in double quotes.

    >>> html_attr('a"b<c')
    'a&quot;b&lt;c'
    """
    return "" if value is None else html.escape(str(value), quote=True)


def md_text(value) -> str:
    """*value* as literal text inside Markdown: HTML-escaped, Markdown punctuation backslashed,
    line breaks folded to spaces (a text never opens a new block).

    >>> md_text("<script>alert(1)</script>")
    '&lt;script&gt;alert\\\\(1\\\\)&lt;/script&gt;'
    >>> md_text("# 5.1 *x*")
    '\\\\# 5\\\\.1 \\\\*x\\\\*'
    """
    text = " ".join(str("" if value is None else value).split())
    return _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def slug(*parts) -> str:
    """An HTML id from *parts* (ASCII letters, digits, ``-``; Thai and other text dropped).

    >>> slug("finding", "strategy_total", "5", None), slug("finding", "project_total", "8.u1", 2561)
    ('finding-strategy_total-5', 'finding-project_total-8-u1-2561')
    """
    text = "-".join(str(p) for p in parts if p not in (None, ""))
    return re.sub(r"[^A-Za-z0-9_]+", "-", text).strip("-")
