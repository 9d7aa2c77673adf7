"""Grouped reports of a budget dataset: report_jobs and notebooks/node_report.ipynb (issue 12)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from coopanalysis import paths
from coopanalysis.budget import ingest_tables, write_dataset
from coopanalysis.budget.jobs import NODE_NOTEBOOK, report_jobs
from coopanalysis.errors import ParamsError

MAPPING = """\
name: tiny
title: ตาราง <ทดสอบ>
levels:
  - {key: agency, label_th: หน่วยรับงบประมาณ, label_en: budgetary unit, columns: [AGENCY]}
  - {key: plan, label_th: แผนงาน, label_en: plan, columns: [PLAN]}
  - {key: item, label_th: รายการ, label_en: item, columns: [ITEM]}
fiscal_year: {column: YEAR, era: CE}
amount: {column: AMOUNT, unit: baht}
obligation: {column: OBL, true_values: ["True"]}
"""
ROWS = """AGENCY,PLAN,ITEM,YEAR,AMOUNT,OBL
กรม <b>หนึ่ง</b>,แผน ก,ค่าจ้าง,2022,"1,500,000",False
กรม <b>หนึ่ง</b>,แผน ข,อาคาร,2022,"2,000,000",True
กรม <b>หนึ่ง</b>,แผน ข,อาคาร,2023,"3,000,000",True
กรมสอง,แผน ก,ค่าจ้าง,2022,"250,000",False
"""


@pytest.fixture()
def dataset(tmp_path) -> Path:
    (tmp_path / "m.yaml").write_text(MAPPING, encoding="utf-8")
    (tmp_path / "t.csv").write_text(ROWS, encoding="utf-8")
    out = tmp_path / "ds"
    write_dataset(ingest_tables([tmp_path / "t.csv"], str(tmp_path / "m.yaml")), out)
    return out


def test_one_job_per_node_titled_with_the_level_label(dataset, tmp_path):
    jobs = report_jobs(dataset, "agency", tmp_path / "reports")
    assert [j["title"] for j in jobs] == ["หน่วยรับงบประมาณ กรม <b>หนึ่ง</b>", "หน่วยรับงบประมาณ กรมสอง"]
    assert [j["name"] for j in jobs] == ["agency_1", "agency_2"]
    assert jobs[0]["notebook"] == NODE_NOTEBOOK and NODE_NOTEBOOK.is_file()
    assert jobs[0]["parameters"] == {"source": str(dataset.resolve()), "level": "agency", "node": "1",
                                     "output_dir": str((tmp_path / "reports" / "downloads" / "agency_1").resolve()),
                                     "thai_digits": False}
    assert len(report_jobs(dataset, "plan", tmp_path)) == 3  # แผน ก, แผน ข under กรมหนึ่ง; แผน ก under กรมสอง
    with pytest.raises(ParamsError):
        report_jobs(dataset, "ministry", tmp_path)


def _kernel_available() -> bool:
    from jupyter_client.kernelspec import KernelSpecManager

    return paths.KERNEL_NAME in KernelSpecManager().find_kernel_specs()


@pytest.mark.slow
@pytest.mark.skipif(not _kernel_available(), reason="Jupyter kernel 'coopanalysis' not installed")
def test_group_report_notebook_runs_and_escapes_names(dataset, tmp_path):
    import papermill

    (job,) = [j for j in report_jobs(dataset, "agency", tmp_path / "r") if j["parameters"]["node"] == "1"]
    out = tmp_path / "out.ipynb"
    nb = papermill.execute_notebook(str(job["notebook"]), str(out), parameters=job["parameters"],
                                    kernel_name=paths.KERNEL_NAME, progress_bar=False, cwd=str(tmp_path))
    texts = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            texts.extend(str(v) for k, v in output.get("data", {}).items() if k == "text/html")
    joined = "\n".join(texts)
    assert "&lt;b&gt;" in joined and "<b>หนึ่ง" not in joined
    plain = re.sub(r"<[^>]+>", "", joined)
    assert "หน่วยรับงบประมาณ กรม &lt;b&gt;หนึ่ง&lt;/b&gt;" in plain
    # by hand: FY2565 = 1.5 + 2.0 (the own-year obligation row) million baht; 2566 is a commitment
    # of another year (3.0), totalled apart
    assert re.search(r"งบประมาณปี พ.ศ. 2565[^<]*</td><td[^>]*>3.5<", joined.replace('<span class="tw">', "")
                     .replace("</span>", "")), "bill-year total 3.5"
    assert "รวมภาระผูกพันของปีอื่น" in plain and "ไม่ได้กระทบยอด" in plain and "ไม่พบข้อผิดพลาด" not in plain
    downloads = Path(job["parameters"]["output_dir"])
    allocation = (downloads / "allocation_plan.csv").read_text(encoding="utf-8-sig").splitlines()
    assert allocation[1:] == ["1.1,แผน ก,กรม <b>หนึ่ง</b>,1.5,0.42857142857142855",
                              "1.2,แผน ข,กรม <b>หนึ่ง</b>,2,0.5714285714285714"][::-1]


def test_child_level_skips_a_level_with_a_single_node(tmp_path):
    from coopanalysis.budget.dataset import dataset_from_result
    from coopanalysis.budget.present import child_level

    (tmp_path / "m.yaml").write_text(MAPPING, encoding="utf-8")
    (tmp_path / "t.csv").write_text("AGENCY,PLAN,ITEM,YEAR,AMOUNT,OBL\n"
                                    "ก,แผน 1,x,2022,1,False\nก,แผน 2,y,2022,1,False\n"
                                    "ข,แผน 1,x,2022,1,False\nข,แผน 1,y,2022,1,False\n"
                                    "ค,แผน 1,x,2022,1,False\n", encoding="utf-8")
    ds = dataset_from_result(ingest_tables([tmp_path / "t.csv"], str(tmp_path / "m.yaml")))
    assert child_level(ds, "1") == "plan"  # ก: two plans
    assert child_level(ds, "2") == "item"  # ข: one plan, two items: show the items
    assert child_level(ds, "3") == "plan"  # ค: one of each: the first level below
    assert child_level(ds, "3.1.1") is None


HOSTILE = "![p](http://host/p.png) [c](javascript:alert(1)) <img src=x onerror=alert(1)>"


def _hostile_dataset(tmp_path) -> Path:
    (tmp_path / "m.yaml").write_text(MAPPING, encoding="utf-8")
    rows = (f'AGENCY,PLAN,ITEM,YEAR,AMOUNT,OBL\n"{HOSTILE}","{HOSTILE}",x,2022,"1,000,000",False\n'
            f'"{HOSTILE}",แผน ข,y,2022,"2,000,000",False\n')
    (tmp_path / "t.csv").write_text(rows, encoding="utf-8")
    out = tmp_path / "ds"
    write_dataset(ingest_tables([tmp_path / "t.csv"], str(tmp_path / "m.yaml")), out)
    return out


def _live_markup(html: str) -> list[str]:
    """Images, links and handlers a browser would act on."""
    return re.findall(r"<img\b[^>]*src=\"(?!data:)|href=\"?javascript:|<a\b[^>]*href=\"?http|<[a-z][^>]*\sonerror=", html, re.I)


def test_hostile_names_are_text_in_the_page_parts(tmp_path):
    """Issue 26 case 3: a name written as Markdown or HTML stays text on the page (escaped by
    present.escape), in the heading, the tables and the index summary."""
    import coopanalysis as ca
    from coopanalysis.budget import present as figures
    from coopanalysis.present import budget as page
    from coopanalysis.present.escape import break_page

    ds = ca.load(_hostile_dataset(tmp_path))
    facts = page.node_facts(ds, "1")
    rows = page.allocation_rows(ds, "plan", 2565, within="1")
    parts = [page.budget_heading(facts).html, page.allocation_table(rows, "แผนงาน").html(),
             page.budget_findings(figures.node_findings(ds.origin, "1"), facts).html]
    html = break_page("".join(parts))
    assert not _live_markup(html), _live_markup(html)
    assert "![p](http://host/p.png) [c](javascript:alert(1)) &lt;img src=x onerror=alert(1)&gt;" in html


@pytest.mark.slow
@pytest.mark.skipif(not _kernel_available(), reason="Jupyter kernel 'coopanalysis' not installed")
def test_hostile_names_never_become_live_markup_in_the_report(tmp_path):
    """Issue 26 case 3, end to end: ``report --group-by`` on a table whose names are Markdown
    images, javascript: links and HTML; the pages and the index hold them as text only."""
    from coopanalysis.cli import main

    out = tmp_path / "reports"
    assert main(["report", str(_hostile_dataset(tmp_path)), "--group-by", "agency", "--out", str(out)]) == 0
    pages = sorted(out.glob("*.html"))
    assert len(pages) == 2  # the agency's page and the index
    for path in pages:
        html = path.read_text(encoding="utf-8")
        assert not _live_markup(html), (path.name, _live_markup(html))
        assert "javascript:alert(1)" in re.sub(r"<[^>]+>", "", html), path.name  # shown, as text


def test_a_nodes_facts_name_the_nodes_above_it_top_first(dataset):
    import coopanalysis as ca
    from coopanalysis.present.budget import node_facts

    ds = ca.load(dataset)
    plan_b = ds.nodes[(ds.nodes["level"] == "plan") & (ds.nodes["name"] == "แผน ข")]["node_id"].item()
    item = ds.nodes[ds.nodes["parent_id"] == plan_b]["node_id"].item()
    # by hand from ROWS: อาคาร sits under แผน ข under กรม <b>หนึ่ง</b>; 2022 (BE 2565) is 2,000,000 baht
    facts = node_facts(ds, item)
    assert facts["path"] == [("หน่วยรับงบประมาณ", "กรม <b>หนึ่ง</b>"), ("แผนงาน", "แผน ข")]
    assert node_facts(ds, "1")["path"] == []
    assert (str(facts["total_mb"]), str(facts["other_years_mb"])) == ("2", "3")


def test_an_agencys_page_shows_the_models_roll_up(dataset):
    """The page's totals, years and categories are ``Dataset.computed``'s (issue 22: one
    roll-up): equal to it as loaded, and following it when the amounts are edited, which a second
    sum over the table's own rows would not."""
    from decimal import Decimal

    import coopanalysis as ca
    from coopanalysis.present import budget as page

    ds = ca.load(dataset)
    computed = ds.computed("agency", by_year=True)
    # by hand from ROWS: กรม <b>หนึ่ง</b> in 2022 (BE 2565) is 1,500,000 + 2,000,000 baht, 2023 is 3,000,000
    assert computed[computed["node_id"] == "1"].set_index("fiscal_year")["computed_satang"].to_dict() == {
        2565: 350_000_000, 2566: 300_000_000}
    facts = page.node_facts(ds, "1")
    assert (facts["total_mb"], facts["other_years_mb"]) == (Decimal("3.5"), Decimal("3"))
    assert "3.5" in page.budget_heading(facts).text
    assert page.budget_summary(facts, [], "agency_1")[1]["total_mb"] == 3.5

    ds.amounts.loc[ds.amounts["amount_mb"] == 1.5, "amount_mb"] = 0.25  # an edit in place: 0.25 + 2.0
    edited = page.node_facts(ds, "1")
    assert (edited["total_mb"], edited["other_years_mb"]) == (Decimal("2.25"), Decimal("3"))
    doubled = ds.scale(2, within="1")
    years = page.years_frame(doubled, "1")
    assert years.values.tolist() == [[2565, Decimal("4.5"), True], [2566, Decimal("6"), False]]
    assert page.node_facts(doubled, "2")["total_mb"] == Decimal("0.25")  # กรมสอง untouched


def test_an_amount_finer_than_a_satang_is_shown_as_the_model_sums_it(tmp_path):
    """A float-noise amount (a finding of its own) adds up on the page as it does everywhere
    else: to the satang, not in a second, finer sum."""
    from decimal import Decimal

    import coopanalysis as ca
    from coopanalysis.present import budget as page

    (tmp_path / "m.yaml").write_text(MAPPING, encoding="utf-8")
    (tmp_path / "t.csv").write_text('AGENCY,PLAN,ITEM,YEAR,AMOUNT,OBL\nก,แผน 1,x,2022,"1,000,000.004",False\n'
                                    'ก,แผน 1,y,2022,"2,000,000",False\n', encoding="utf-8")
    ds = ca.load(tmp_path / "t.csv", mapping=str(tmp_path / "m.yaml"))
    assert page.node_facts(ds, "1")["total_mb"] == Decimal("3")  # 1,000,000.00 + 2,000,000 baht, to the satang
    assert "float_noise" in {f.check for f in ca.check(ds)}


def test_the_cooperative_promotion_departments_page_on_volume_4():
    """Volume 4 of the 2565 bill, the department of the bundled plan: the page's bill-year total
    and categories are the sums of the CSV's own rows (a few lines of pandas here) and
    ``Dataset.computed``'s."""
    from decimal import Decimal

    import pandas as pd
    from helpers import need_real

    import coopanalysis as ca
    from coopanalysis.present import budget as page

    path = need_real("2022-3-4.csv")
    rows = pd.read_csv(path, dtype=str, keep_default_na=False)
    rows = rows[(rows["BUDGETARY_UNIT"] == "กรมส่งเสริมสหกรณ์") & (rows["FISCAL_YEAR"] == "2022")]
    baht = rows["AMOUNT"].str.replace(",", "").map(Decimal)
    by_category = {k: v / 10**6 for k, v in baht.groupby(rows["CATEGORY_LV1"]).sum().items()}
    ds = ca.load(path, mapping="budget-bill")
    (node,) = ds.nodes.loc[(ds.nodes["level"] == "budgetary_unit") & (ds.nodes["name"] == "กรมส่งเสริมสหกรณ์"), "node_id"]
    computed = ds.computed("budgetary_unit", by_year=True)
    (satang,) = computed.loc[(computed["node_id"] == node) & (computed["fiscal_year"] == 2565), "computed_satang"]
    facts = page.node_facts(ds, node)
    assert facts["total_mb"] == sum(baht) / 10**6 == Decimal(int(satang)) / 10**8 == Decimal("2597.5571")
    assert facts["title"] == "หน่วยรับงบประมาณ กรมส่งเสริมสหกรณ์" and facts["volume"].endswith("เล่มที่ 4")
    categories = page.by_category(ds, node)
    assert dict(zip(categories["category"], categories["amount_mb"])) == by_category
    assert categories["category"].tolist() == ["งบบุคลากร", "งบดำเนินงาน", "งบลงทุน", "งบเงินอุดหนุน", "งบรายจ่ายอื่น"]


def test_every_table_check_is_named_in_thai_on_the_page():
    """The findings table names a check as the table's rules declare it, e.g. name noise (a check
    the page once left as its code)."""
    from coopanalysis.checks import Finding
    from coopanalysis.present import budget as page

    finding = Finding("warning", "name_noise", "budgetary_unit", "1", message="ชื่อ x")
    text = page.budget_findings([finding], {"stated": 0}).text
    assert "ชื่อมีอักขระแปลกปลอมต่อท้าย" in text and "name_noise" not in text
