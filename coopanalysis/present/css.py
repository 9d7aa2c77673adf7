"""The stylesheet of every report page and the index: readable type, tables for reading,
severity colours, the navigation header, a phone layout (no page wider than the screen: wide
tables scroll in their own box with the first column kept in view, key figures wrap under
their label, charts scroll in their box at a legible size) and a print stylesheet (A4, no
navigation, sections flow on from one another, no heading left alone at the foot of a page)."""

from __future__ import annotations

from coopanalysis.present.font import FAMILY

__all__ = ["REPORT_CSS"]

REPORT_CSS = """
:root { --ink: #1f2328; --muted: #59636e; --rule: #d0d7de; --band: #f6f8fa; --error: #b2182b;
        --warning: #8a5a00; --info: #1f5f8b; --link: #0b57d0; }
html { font-size: 16px; }
body { font-family: "FAMILY", "Noto Sans Thai", Tahoma, sans-serif; color: var(--ink);
       line-height: 1.65; margin: 0; background: #fff; }
main, .page { max-width: 76rem; margin: 0 auto; padding: 0 1.25rem 2rem; }
a { color: var(--link); }
span.tw { white-space: nowrap; }  /* a Thai word kept whole: lines break between words */
h1 { font-size: 1.75rem; line-height: 1.35; margin: .25rem 0 .5rem; }
h2 { font-size: 1.35rem; margin: 2rem 0 .5rem; padding-top: .5rem; border-top: 1px solid var(--rule); }
h3 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
p, li { max-width: 60rem; }
.plan-title, .meta, .muted { color: var(--muted); margin: .25rem 0; }
.goal { margin: .5rem 0; }
.note { color: var(--muted); font-style: normal; border-left: 3px solid var(--rule); padding-left: .75rem; }
a.anchor-link { display: none; }
nav.site { background: var(--band); border-bottom: 1px solid var(--rule); }
nav.site ul { list-style: none; margin: 0 auto; padding: .5rem 1.25rem; max-width: 76rem;
              display: flex; flex-wrap: wrap; gap: .25rem 1.25rem; }
nav.site li { max-width: none; }
nav.site [aria-current] { font-weight: 700; }
.table-wrap { max-width: 100%; overflow-x: auto; margin: .75rem 0 1.25rem; }
table.reading { border-collapse: collapse; margin: 0; font-size: .95rem;
                font-variant-numeric: tabular-nums; }
table.reading caption { text-align: left; color: var(--muted); padding-bottom: .25rem; }
table.reading th, table.reading td { padding: .35rem .6rem; border-bottom: 1px solid var(--rule);
                                     vertical-align: top; text-align: left; white-space: normal;
                                     overflow-wrap: break-word; }
table.reading tbody tr:not(.detail) > :first-child, table.reading thead th:first-child {
    position: sticky; left: 0; z-index: 1; background: #fff; box-shadow: 1px 0 0 var(--rule); }
table.reading thead th:first-child { background: var(--band); z-index: 2; }
table.reading thead th { background: var(--band); font-weight: 600; vertical-align: bottom;
                         border-bottom: 2px solid var(--ink); }
table.reading th .unit { display: block; font-weight: 400; color: var(--muted); font-size: .85em; }
table.reading td.text { min-width: 14rem; }
table.reading .sub { display: block; color: var(--muted); font-size: .85em; white-space: normal; }
table.reading .amount, table.reading .percent, table.reading .count, table.reading .figure {
    text-align: right; white-space: nowrap; }
table.reading td.id, table.reading td.year, table.reading th.id, table.reading th.year { white-space: nowrap; }
table.findings, table.index { width: 100%; }
table.reading tr.total th, table.reading tr.total td { font-weight: 700; border-top: 2px solid var(--ink);
                                                       background: var(--band) !important; }
table.findings tr.detail td { border-bottom: 1px solid var(--rule); padding-top: 0; color: var(--ink);
                              white-space: normal; }
table.findings tr:not(.detail) td { border-bottom: none; }
table.findings tr.f-error:not(.detail) td:first-child { color: var(--error); font-weight: 700; }
table.findings tr.f-warning:not(.detail) td:first-child { color: var(--warning); font-weight: 700; }
table.findings tr.f-info:not(.detail) td:first-child { color: var(--info); }
table.findings tr.f-error.detail td { border-left: 3px solid var(--error); }
table.findings tr.f-warning.detail td { border-left: 3px solid #e69f00; }
table.findings tr.f-info.detail td { border-left: 3px solid #56b4e9; }
table.findings tr:target, table.findings tr:target + tr.detail,
table.findings tr:target > :first-child { background: #fff8c5; }
table.key-figures td:first-child { min-width: 20rem; }
.sev-error { color: var(--error); } .sev-warning { color: var(--warning); } .sev-info { color: var(--info); }
ul.groups li.has-errors a { font-weight: 700; }
.failed { color: var(--error); font-weight: 700; }
.counts { font-size: 1.05rem; }
.jp-RenderedImage img, img { max-width: 100%; height: auto; }
.jp-OutputArea-output pre { white-space: pre-wrap; font-family: inherit; }
section.about, footer.page-footer { color: var(--muted); font-size: .9rem; }
footer.page-footer { border-top: 1px solid var(--rule); margin-top: 2rem; padding: .75rem 1.25rem 2rem; }
.downloads a { margin-right: 1rem; }
.jp-RenderedImage, .chart { max-width: 100%; overflow-x: auto; }
@media (max-width: 40rem) {
  main, .page { padding: 0 .75rem 1.5rem; }
  h1 { font-size: 1.4rem; }
  h2 { font-size: 1.2rem; }
  nav.site ul { padding: .5rem .75rem; gap: .15rem .9rem; }
  table.reading { font-size: .875rem; }
  table.reading th, table.reading td { padding: .3rem .45rem; }
  table.reading td.text { min-width: 9rem; }
  /* a finding's message stays within the screen while its table scrolls sideways */
  table.findings .detail-text { position: sticky; left: .45rem; max-width: calc(100vw - 2.6rem); }
  table.key-figures, table.key-figures tbody { display: block; }
  table.key-figures thead { display: none; }
  table.key-figures tr { display: flex; flex-wrap: wrap; justify-content: space-between;
                         border-bottom: 1px solid var(--rule); }
  table.key-figures td, table.key-figures tbody tr:not(.detail) > :first-child {
      display: block; border: none; min-width: 0; max-width: none; position: static; box-shadow: none; }
  table.key-figures td:first-child { min-width: 0; flex: 1 1 12rem; }
  table.key-figures td.figure { white-space: normal; margin-left: auto; }
  .jp-RenderedImage img, .chart img { max-width: none; width: 40rem; }
}
@page { size: A4; margin: 15mm 12mm; }
@media print {
  html { font-size: 11pt; }
  nav.site, .downloads, a.anchor-link { display: none !important; }
  main, .page { max-width: none; padding: 0; }
  h2 { border-top: none; margin-top: 1.25rem; }  /* sections flow on: no page per section */
  h1, h2, h3, h4, caption, .report-heading { break-after: avoid; page-break-after: avoid; }
  h2 + *, h3 + * { break-before: avoid; }
  .jp-RenderedImage, .chart { overflow: visible; }
  .jp-RenderedImage img, .chart img { max-height: 150mm; width: auto; max-width: 100%; }
  table.reading tbody tr:not(.detail) > :first-child, table.reading thead th:first-child { position: static; box-shadow: none; }
  table.findings tr:not(.detail) { break-after: avoid; }
  table.reading { font-size: 9pt; }
  .table-wrap { overflow: visible; }
  table.reading tr, img { break-inside: avoid; }
  thead { display: table-header-group; }
  a { color: inherit; text-decoration: none; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
""".replace("FAMILY", FAMILY)
