"""The report of one node of any level (``notebooks/node_report.ipynb``): a plan's strategy
(a node of its first level) or a budget table's agency, plan, output ... alike.

:func:`node_page` validates the notebook's parameters (``ParamsError`` with the valid choices)
and returns a :class:`NodePage`; the notebook calls its sections in order. Each section shows
what the dataset holds and nothing otherwise, so one notebook serves every source:

============== ============================================ ==========================================
section        a plan (printed summary, projects, KPIs)     a budget table (expenditure categories,
                                                            multi-year commitments)
============== ============================================ ==========================================
heading        strategy, goal, link to its findings         fiscal year, volume, where it sits, totals
key_figures    printed vs computed totals (สรุป)             (in the heading)
categories     --                                           the bill year by expenditure category
below          the projects table (downloads)               the level below, with a treemap
charts         printed vs computed, years, gaps, treemap    (the treemap is with the level below)
kpis           indicators and targets                       --
years          (in the projects table)                      the bill year and other years apart
findings       the strategy's findings, linked to checks    the rows' findings, what was reconciled
about          data, corrections, tolerance                 --
============== ============================================ ==========================================

Where the two differ the difference is the source's own record (``Dataset.origin``: a
:class:`~coopanalysis.model.plan.Plan` or a :class:`~coopanalysis.budget.BudgetDataset`). A
table's figures (totals, categories, level below, years) are read from the ``Dataset`` itself,
through its one roll-up, by :mod:`coopanalysis.present.budget`; what only the table knows (its
findings, the level below worth showing, the downloads) comes from :mod:`coopanalysis.budget.present`.
"""

from __future__ import annotations

from pathlib import Path

from coopanalysis.errors import ParamsError
from coopanalysis.report import params as params_mod

__all__ = ["NodePage", "node_page"]


def _display(*blocks) -> None:
    from IPython.display import display

    for block in blocks:
        if block is not None:
            display(block)


def _load(source: str):
    """The source's own record and its :class:`~coopanalysis.model.Dataset`: a plan (text or
    ingested folder; empty: the bundled plan) or an ingested budget table folder."""
    from coopanalysis import paths
    from coopanalysis.budget import is_budget_dataset, load_dataset
    from coopanalysis.model.build import from_budget, from_plan
    from coopanalysis.model.plan import load as load_plan

    path = params_mod.resolve_path(source, paths.PLAN_DIR)
    if path.is_dir() and is_budget_dataset(path):
        table = load_dataset(path)
        return from_budget(table)
    return from_plan(load_plan(path))


def _node_id(ds, ref: str, level: str) -> str:
    """The id of the node *ref* (an id, a printed label or a name) of *level* (any when empty)."""
    from coopanalysis.text.thai import to_arabic

    levels = ds.level_keys
    if level and level not in levels:
        raise ParamsError(f"level: unknown level {level!r}; levels: {', '.join(levels)}")
    ref = str(ref).strip()
    nodes = ds.nodes if not level else ds.nodes[ds.nodes["level"] == level]
    if not ref:
        if nodes.empty:
            raise ParamsError(f"level {level!r} has no nodes")
        return str(nodes["node_id"].iloc[0])
    for candidate in dict.fromkeys((ref, to_arabic(ref))):
        for column in ("node_id", "label"):
            hits = nodes.loc[nodes[column] == candidate, "node_id"]
            if len(hits) == 1:
                return str(hits.iloc[0])
    try:
        node_id = ds.node(ref)
    except KeyError as exc:
        raise ParamsError(f"node: {exc.args[0]}") from None
    found = ds.nodes.loc[ds.nodes["node_id"] == node_id, "level"].iloc[0]
    if level and found != level:
        raise ParamsError(f"node {ref!r} is of level {found!r}, not {level!r}")
    return node_id


def node_page(source: str = "", node: str = "", level: str = "", output_dir: str = "",
              thai_digits: bool = False, strategy_id: str = "") -> NodePage:
    """The page of *node* of the dataset at *source*, parameters validated.

    *node* is an id, a printed label or a name; empty: the first node of *level* (of the first
    level when *level* is empty too). *strategy_id* is the plan reports' name for a node of a
    plan's first level (``params/strategy_<id>.yaml``); give it or *node*, not two different
    ones. A plan's page is of a strategy (its first level).
    """
    given = {"source": source, "node": node, "level": level, "output_dir": output_dir, "thai_digits": thai_digits}
    checked = params_mod.validate(given, [], params_mod.NODE_PARAMS)
    if not isinstance(strategy_id, str):
        raise ParamsError(f"strategy_id must be a string (quote it in YAML: \"5\"), got {strategy_id!r}")
    ds = _load(checked["source"])
    ref, level = checked["node"], checked["level"]
    if strategy_id.strip():
        first = ds.level_keys[0]
        if ds.kind != "plan":
            raise ParamsError("strategy_id applies to a plan; give node (and level) for this dataset")
        if level and level != first:
            raise ParamsError(f"strategy_id is a node of level {first!r}; level is {level!r}")
        sid = params_mod.normalize_strategy_id(strategy_id, ds.nodes.loc[ds.nodes["level"] == first, "label"].tolist())
        if ref and _node_id(ds, ref, first) != _node_id(ds, sid, first):
            raise ParamsError(f"node {ref!r} and strategy_id {strategy_id!r} name different nodes; give one of them")
        ref, level = sid, first
    node_id = _node_id(ds, ref, level)
    return NodePage(ds, node_id, checked.get("output_dir", ""), checked["thai_digits"])


class NodePage:
    """The sections of one node's report (see the module); each shows its blocks and returns None."""

    def __init__(self, ds, node_id: str, output_dir: str = "", thai_digits: bool = False):
        from coopanalysis.model.plan import Plan

        self.ds = ds
        self.node_id = node_id
        self.level = str(ds.nodes.loc[ds.nodes["node_id"] == node_id, "level"].iloc[0])
        self.output_dir = output_dir
        self.thai_digits = bool(thai_digits)
        self.plan = ds.origin if isinstance(ds.origin, Plan) else None
        self.table = None if self.plan is not None else ds.origin
        if self.plan is not None:
            if self.level != ds.level_keys[0]:
                raise ParamsError(f"a plan's reports are per {ds.level_keys[0]} (its first level); "
                                  f"node {node_id!r} is a {self.level}")
            from coopanalysis import checks

            self.strategy_id = str(ds.nodes.loc[ds.nodes["node_id"] == node_id, "label"].iloc[0])
            self.node_findings = [f for f in checks.run_checks(self.plan) if f.strategy_id == self.strategy_id]
        else:
            from coopanalysis.budget import present as figures
            from coopanalysis.present import budget as page

            self.facts = page.node_facts(ds, node_id)
            self.node_findings = figures.node_findings(self.table, node_id)

    # ---- what the index is told, and the heading -----------------------------------------------

    def summary(self) -> tuple[str, dict]:
        """(one line, fields) for :func:`coopanalysis.report.show_summary`."""
        from coopanalysis import present

        if self.plan is not None:
            return present.strategy_summary(self.plan, self.strategy_id, self.node_findings, self.thai_digits)
        from coopanalysis.budget.jobs import job_name
        from coopanalysis.present import budget as page

        return page.budget_summary(self.facts, self.node_findings, job_name(self.level, self.node_id), self.thai_digits)

    def heading(self) -> None:
        from coopanalysis import present

        if self.plan is not None:
            _display(present.strategy_heading(self.plan, self.strategy_id, self.thai_digits,
                                              n_findings=len(self.node_findings)))
        else:
            from coopanalysis.present import budget as page

            _display(page.budget_heading(self.facts, self.thai_digits))

    # ---- sections ----------------------------------------------------------------------------

    def key_figures(self) -> None:
        """A plan's printed totals against its projects' sums (a table's are in the heading)."""
        from coopanalysis import present

        if self.plan is None:
            return
        _display(present.section("สรุป", "งบประมาณรวมตามหน้าสรุปของเอกสาร เทียบกับผลรวมของโครงการในรายละเอียด"
                                          " (ผลต่าง = จากรายโครงการ − ตามเอกสาร)"),
                 present.strategy_key_figures(self.plan, self.strategy_id, self.node_findings, self.thai_digits))

    def categories(self) -> None:
        """The bill year by expenditure category, for a table (its categories are a level)."""
        from coopanalysis import present

        if self.table is None:
            return
        from coopanalysis.present import budget as page

        _display(present.section("งบประมาณตามงบรายจ่าย", "งบประมาณปีของร่างพระราชบัญญัติ (รวมภาระผูกพันที่ตกในปีนี้)"
                                                       " แยกตามงบรายจ่ายของสำนักงบประมาณ"))
        frame = page.by_category(self.ds, self.node_id)
        if frame is None or frame.empty:
            _display(present.note("ตารางนี้ไม่มีการจำแนกตามงบรายจ่าย"))
            return
        self._download("categories", frame)
        _display(page.category_table(frame, self.thai_digits))

    def below(self) -> None:
        """What lies beneath: a plan's projects (with their downloads), a table's level below
        (largest first, the rest as "others", a treemap when there are two or more)."""
        from coopanalysis import present

        if self.plan is not None:
            _display(present.section("โครงการ", "งบประมาณรายปีตามที่อ่านได้ *รวมรายปี* คือผลรวมของปีเมื่อรู้ครบทุกปี"
                                                " *สถานะการอ่าน* บอกว่าแถวนั้นอ่านได้อย่างไร"
                                                " เช่น แก้การจัดวางของตัวเลขที่ซ้ำ หรือจัดลงปีไม่ได้จึงใช้ยอดรวมที่พิมพ์"))
            present.show_projects(self.plan, self.strategy_id, self.output_dir, self.thai_digits)
            return
        from coopanalysis.budget import present as figures
        from coopanalysis.charts.levels import treemap
        from coopanalysis.present import budget as page

        below = figures.child_level(self.table, self.node_id)
        if below is None:
            _display(present.note("ไม่มีระดับย่อยใต้รายการนี้"))
            return
        label = self.ds.level(below).label_th
        year = self.facts["year"]
        exact = page.allocation_rows(self.ds, below, year, within=self.node_id, top=15)
        self._download("allocation_" + below, exact)
        _display(present.heading(f"งบประมาณตาม{label}", level=2),
                 present.note("ปีของร่างพระราชบัญญัติ เรียงจากมากไปน้อย 15 อันดับแรก ที่เหลือรวมเป็น \"อื่น ๆ\""),
                 page.allocation_table(exact, label, self.thai_digits))
        if len(page.allocation_rows(self.ds, below, year, within=self.node_id)) > 1:
            present.show(treemap(self.ds, below, year, within=self.node_id, top=12, thai_digits=self.thai_digits))
            _display(present.note("ส่วนที่เล็กเกินกว่าจะใส่ชื่อในแผนภาพ ดูชื่อและยอดได้ในตารางด้านบน"))

    def charts(self) -> None:
        """A plan's charts (a table's treemap is shown with the level below)."""
        from coopanalysis import present

        if self.plan is None:
            return
        _display(present.section("แผนภูมิ", "ยอดตามเอกสารเทียบกับยอดที่คำนวณได้รายกลยุทธ์ งบประมาณรายปีรายโครงการ"
                                             " ผลต่างรายโครงการ และโครงสร้างกลยุทธ์–โครงการ"))
        present.show_strategy_charts(self.plan, self.strategy_id, self.thai_digits)

    def kpis(self) -> None:
        """Indicators and their targets, when the dataset has them (a plan's ``kpis`` extra)."""
        from coopanalysis import present

        if self.plan is None or "kpis" not in self.ds.extras:
            return
        _display(present.section("ตัวชี้วัดและค่าเป้าหมาย", "ค่าเป้าหมายตามที่พิมพ์ในเอกสาร ปีที่ไม่มีค่าเป้าหมายแสดงเป็น –"))
        present.show_kpis(self.plan, self.strategy_id, self.thai_digits)

    def years(self) -> None:
        """A table's bill year and its commitments of other years, totalled apart (a plan's
        years are columns of its projects table)."""
        from coopanalysis import present

        if self.table is None:
            return
        from coopanalysis.present import budget as page

        frame = page.years_frame(self.ds, self.node_id)
        self._download("years", frame)
        _display(present.section("รายปี", "ปีของร่างพระราชบัญญัติ และภาระผูกพันข้ามปี:"
                                          " ยอดของปีอื่นรวมแยกไว้ ไม่นับรวมในงบประมาณปีนี้"),
                 page.years_table(frame, self.thai_digits))

    def findings(self) -> None:
        """The node's findings (a plan's link to the checks report), or why there are none."""
        from coopanalysis import present

        if self.plan is not None:
            _display(present.section("ข้อตรวจพบของยุทธศาสตร์นี้", "แต่ละข้อเชื่อมไปยังรายละเอียดในรายงานผลการตรวจสอบ"),
                     present.strategy_findings_table(self.node_findings, self.thai_digits, self.plan) if self.node_findings
                     else present.note("ไม่มีข้อตรวจพบ"))
            return
        from coopanalysis.present import budget as page

        _display(present.section("ผลการตรวจสอบ"), page.budget_findings(self.node_findings, self.facts, self.thai_digits))

    def about(self) -> None:
        """Which data, which corrections, which tolerance (a plan's page ends with it)."""
        from coopanalysis import checks, present

        if self.plan is not None:
            _display(present.about(self.plan, checks.DEFAULT_TOLERANCE, self.thai_digits))

    def _download(self, name: str, frame) -> None:
        """A table a reader can download next to the page (a table's pages: ``OUT/downloads/<page>/``)."""
        from coopanalysis.budget import present as figures

        if self.output_dir:
            figures.write_downloads(Path(self.output_dir), {name: frame})
