"""``ca.explore(ds)``: a sortable, filterable table of any dataset with a level / node / year picker.

The table is an itables DataTable in its **offline** mode: the DataTables library is embedded
in the notebook's output once (nothing is loaded from a CDN), so a saved notebook shows its
tables again without a kernel. The picker is made of ipywidgets; each change redraws the
table from :func:`coopanalysis.allocation` (numeric million baht, Thai column labels).
"""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd

from coopanalysis.analysis.levels import allocation

__all__ = ["Explorer", "explore", "table_html"]

ALL = "(ทั้งหมด)"


def table_html(frame: pd.DataFrame, caption: str = "") -> str:
    """*frame* as an offline itables DataTable (numbers right-aligned, four decimals at most)."""
    from itables import to_html_datatable

    shown = frame.copy()
    for column in shown.select_dtypes("number").columns:
        shown[column] = shown[column].round(4)
    return to_html_datatable(shown, caption=caption or None, connected=False, showIndex=False,
                             classes="display compact", maxBytes=0, lengthMenu=[10, 25, 50, 100])


class Explorer(widgets.VBox):
    """The picker (level, within, fiscal year) above the table; ``.frame`` is the table shown."""

    def __init__(self, ds, level: str | None = None, year: int | None = None):
        self.ds = ds
        self.level = widgets.Dropdown(options=[(f"{lv.label_th} ({lv.key})", lv.key) for lv in ds.levels],
                                      value=level or ds.level_keys[0], description="ระดับ")
        self.year = widgets.Dropdown(options=[("ทุกปี", None)] + [(str(y), y) for y in ds.years],
                                     value=year, description="ปีงบประมาณ")
        self.within = widgets.Dropdown(description="ภายใต้")
        self.output = widgets.Output()
        self.frame = pd.DataFrame()
        self._fill_within()
        for control in (self.level, self.year, self.within):
            control.observe(self._changed, names="value")
        super().__init__([widgets.HBox([self.level, self.within, self.year]), self.output])
        self._draw()

    def _fill_within(self) -> None:
        keys = self.ds.level_keys
        above = keys[: keys.index(self.level.value)]
        nodes = self.ds.nodes[self.ds.nodes["level"].isin(above)]
        options = [(ALL, None)] + [(f"{row.label or row.node_id} {row.name}"[:80], row.node_id)
                                   for row in nodes.itertuples()]
        self.within.options = options
        self.within.value = None

    def _changed(self, change) -> None:
        if change["owner"] is self.level:
            self._fill_within()
        self._draw()

    def _draw(self) -> None:
        self.frame = allocation(self.ds, self.level.value, year=self.year.value, within=self.within.value,
                                thai=True).drop(columns=["รหัสระดับบน"])
        from IPython.display import HTML, display

        self.output.clear_output(wait=True)
        with self.output:
            display(HTML(self.html()))

    def html(self) -> str:
        level = self.ds.level(self.level.value).label_th
        year = f" ปี {self.year.value}" if self.year.value else ""
        return table_html(self.frame, caption=f"{level}{year} (ล้านบาท)")

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        data["text/html"] = self.html()  # shown where widgets are not (a saved notebook, nbconvert)
        return bundle

    def __repr__(self) -> str:
        return f"<Explorer {self.level.value} within={self.within.value!r} year={self.year.value}: {len(self.frame)} rows>"


def explore(ds, level: str | None = None, year: int | None = None) -> Explorer:
    """An interactive table of *ds*: pick a level, a node to look within and a fiscal year;
    sort and filter the table. Works offline (the DataTables library is embedded once)."""
    from itables import init_notebook_mode

    init_notebook_mode(all_interactive=False, connected=False)
    return Explorer(ds, level=level, year=year)
