"""HTML export of an executed report notebook: a self-contained page for a reader.

nbconvert's "lab" template with the notebook machinery taken out: no code, no prompts, no
scripts, no JupyterLab stylesheet; instead the report stylesheet
(:mod:`coopanalysis.present.css`), a navigation header (completed by the index once the run
is known, :func:`coopanalysis.report.index.write_index`), a footer with the date in the
Buddhist era, and the Thai font embedded as a subset for the characters of the page
(:mod:`coopanalysis.present.font`). Nothing is loaded from the network.

Outputs a reader should not see are dropped before rendering: the index summary (kept in
the notebook for the runner), stray return values and printed streams (an output that has
only ``text/plain``).
"""

from __future__ import annotations

import copy
import html
import re
from datetime import datetime

__all__ = ["FONT_MARKER", "REPORT_TEMPLATE", "make_exporter", "reader_notebook", "page_text", "finish_page"]

#: What a chart's image says to a reader who cannot see it (nbconvert's own text is English).
CHART_ALT = "แผนภูมิ: ตัวเลขของแผนภูมิอยู่ในตารางและข้อความของหัวข้อนี้"
_NBCONVERT_ALT = "No description has been provided for this image"

#: Marker replaced by the page's ``@font-face`` once the page's text is known.
FONT_MARKER = "/*coopanalysis-font*/"

REPORT_TEMPLATE = """\
{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block notebook_css -%}
<style type="text/css">
""" + FONT_MARKER + """
{{ resources.coopanalysis.css }}
</style>
{%- endblock notebook_css -%}
{%- block body_header -%}
<body>
{{ resources.coopanalysis.nav }}
<main>
{%- endblock body_header -%}
{% block body_footer %}
</main>
<footer class="page-footer">{{ resources.coopanalysis.footer }}</footer>
</body>
{% endblock body_footer %}
"""


def reader_notebook(nb):
    """A copy of *nb* with only what a reader should see: no summary outputs (metadata
    ``coopanalysis``), no streams, no output that is plain text only (a stray return value)."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.get("cell_type") != "code":
            continue
        kept = []
        for output in cell.get("outputs", []):
            kind = output.get("output_type")
            if kind == "stream":
                continue
            if "coopanalysis" in output.get("metadata", {}):
                continue
            if kind in ("execute_result", "display_data") and set(output.get("data", {})) <= {"text/plain"}:
                continue
            if kind in ("execute_result", "display_data") and not any(
                str(output["data"].get(k, "")).strip() for k in output.get("data", {}) if k != "text/plain"
            ) and set(output.get("data", {})) - {"text/plain"} <= {"text/html"}:
                continue  # an empty block (a table with no rows, no download links)
            kept.append(output)
        cell["outputs"] = kept
    return nb


def _parameters(nb) -> dict:
    meta = nb.get("metadata", {}).get("papermill", {})
    params = meta.get("parameters", {}) if isinstance(meta, dict) else {}
    return params if isinstance(params, dict) else {}


_TAG = re.compile(r"<[^>]*>|data:[^\"')\s]+|&(#\d+|#x[0-9a-fA-F]+|\w+);?")


def page_text(body: str) -> str:
    """The characters a reader can see on *body* (tags, styles and data URIs left out), as the
    font subset needs them.

    >>> sorted(set(page_text('<p title="x">ก&amp;<img src="data:image/png;base64,QUJD"></p>')))
    ['&', 'x', 'ก']
    """
    body = re.sub(r"<style.*?</style>|<script.*?</script>", "", body, flags=re.S)
    text = _TAG.sub(lambda m: html.unescape(m.group(0)) if m.group(0).startswith("&") else
                    " ".join(re.findall(r'(?:title|alt)="([^"]*)"', m.group(0))), body)
    return text


def finish_page(body: str) -> str:
    """Put the ``@font-face`` for the page's own characters (and every navigation word) in, and
    let lines break between Thai words everywhere on the page (text from notebooks' Markdown
    included: :func:`coopanalysis.present.escape.break_page`)."""
    from coopanalysis.present.escape import break_page
    from coopanalysis.present.font import font_face_css
    from coopanalysis.present.page import NAV_WORDS

    body = body.replace(f'alt="{_NBCONVERT_ALT}"', f'alt="{CHART_ALT}"')
    head, marker, rest = body.partition(FONT_MARKER)
    if not marker:
        return body
    return break_page(head + font_face_css(page_text(body) + NAV_WORDS) + rest)


def make_exporter(generated: datetime | None = None):
    """An nbconvert exporter for reports: ``from_notebook_node(nb, resources)`` returns the
    finished page (inputs hidden, images embedded, font embedded, navigation, footer)."""
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    from coopanalysis.present.css import REPORT_CSS
    from coopanalysis.present.page import NAV_END, NAV_START, default_nav
    from coopanalysis.text.fiscal import be_date

    class ReportExporter(HTMLExporter):
        def from_notebook_node(self, nb, resources=None, **kw):
            thai_digits = bool(_parameters(nb).get("thai_digits", False))
            when = be_date(generated or datetime.now(), thai_digits, time=False)  # same day, same page
            resources = dict(resources or {})
            resources["coopanalysis"] = {
                "css": REPORT_CSS,
                "nav": NAV_START + default_nav(thai_digits=thai_digits) + NAV_END,
                "footer": f"สร้างเมื่อ {html.escape(when)}",
            }
            body, resources = super().from_notebook_node(reader_notebook(nb), resources, **kw)
            return finish_page(body), resources

    return ReportExporter(
        extra_loaders=[DictLoader({"coopanalysis_report.html.j2": REPORT_TEMPLATE})],
        template_file="coopanalysis_report.html.j2",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
        language_code="th",
    )
