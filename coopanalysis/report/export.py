"""HTML export of an executed report notebook (nbconvert), with nothing loaded from the network."""

from __future__ import annotations

__all__ = ["REPORT_TEMPLATE", "make_exporter"]


#: nbconvert's "lab" template without the scripts fetched from a CDN (require.js, MathJax):
#: the reports need neither, and so they open offline with nothing loaded from elsewhere.
REPORT_TEMPLATE = """\
{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
"""


def make_exporter():
    """nbconvert's HTMLExporter for reports: input cells and prompts hidden, images embedded
    (figures are ``data:`` URIs in the notebook already; ``embed_images`` covers Markdown images)."""
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    return HTMLExporter(
        extra_loaders=[DictLoader({"coopanalysis_report.html.j2": REPORT_TEMPLATE})],
        template_file="coopanalysis_report.html.j2",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
        language_code="th",
    )
