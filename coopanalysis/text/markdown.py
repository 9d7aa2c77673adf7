"""Text from a document or table as literal Markdown: the one escaping rule for every Markdown
we write (``check --format markdown``, report headings and notes in notebooks).

Escaped everywhere: what marks up inline text (links, images, emphasis, code, strike-through,
table cell borders, Jupyter's ``$`` maths, raw HTML as entities); folded: line breaks, so a text
never opens a new block; escaped at the start only: what opens a block there (a heading ``#``,
a quote ``>``, a list item ``- ``/``+ ``/``5. ``, a rule ``---``), so a name starting "5. " stays
text wherever a caller puts it, while "5.1" and "-14.69" read as printed.
"""

from __future__ import annotations

import re

__all__ = ["md_text"]

_INLINE = re.compile(r"([\\`*_{}\[\]()!|~$])")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
#: A block marker opens a block only when a space, the end, or (for a rule) more of it follows.
_BLOCK_START = re.compile(r"^(?:(#{1,6}|[+\-=])(?=[\s\-=]|$)|(\d{1,9})(?=[.)](?:\s|$)))")
_BREAKS = re.compile(r"[\r\n\u2028\u2029\v\f]+")


def md_text(value) -> str:
    r"""*value* as literal Markdown text (a table cell, a heading, a sentence).

    >>> md_text("![p](http://h/p.png) <b>a|b</b>\nx_y")
    '\\!\\[p\\]\\(http://h/p.png\\) &lt;b&gt;a\\|b&lt;/b&gt; x\\_y'
    >>> md_text("# 5.1 *x*"), md_text("5. ข้อ"), md_text("- x"), md_text("---"), md_text("ราคา $5 - $7")
    ('\\# 5.1 \\*x\\*', '5\\. ข้อ', '\\- x', '\\---', 'ราคา \\$5 - \\$7')
    >>> md_text("-14.69"), md_text("1.5"), md_text("5.1 ข้อ"), md_text("#5")
    ('-14.69', '1.5', '5.1 ข้อ', '#5')
    >>> md_text(None), md_text(5), md_text("  > quote ")
    ('', '5', '&gt; quote')
    """
    text = _BREAKS.sub(" ", str("" if value is None else value)).strip()
    text = _INLINE.sub(r"\\\1", text)
    text = re.sub("[&<>]", lambda m: _ENTITIES[m.group()], text)
    match = _BLOCK_START.match(text)
    if match is None:
        return text
    if match.group(2):  # "5. " or "5) ": escape the dot or bracket after the number
        end = match.end()
        return text[:end] + "\\" + text[end:]
    return "\\" + text
