"""The report runner: parallel execution, HTML export, index, and failure handling."""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import unquote

import nbformat
import papermill  # noqa: F401  a dependency: missing is a failure, not a skip
import pytest
from support.notebooks import make_notebook  # tests/support

from coopanalysis import paths
from coopanalysis.cli import main
from coopanalysis.report import runner
from coopanalysis.report.index import render_index

IMG_SRC = re.compile(r"<img\b[^>]*?\ssrc=\"([^\"]*)\"", re.S)
HREF = re.compile(r"<a\b[^>]*?\shref=\"([^\"]*)\"", re.S)


def _kernel_available() -> bool:
    from jupyter_client.kernelspec import KernelSpecManager

    return paths.KERNEL_NAME in KernelSpecManager().find_kernel_specs()


pytestmark = [pytest.mark.slow, pytest.mark.skipif(not _kernel_available(), reason="Jupyter kernel 'coopanalysis' not installed")]


@pytest.fixture(scope="module")
def subset_run(tmp_path_factory):
    """``coopanalysis report --strategy 5 6 --jobs 2`` into a temporary directory, once."""
    out = tmp_path_factory.mktemp("reports")
    status = main(["report", str(paths.PLAN_DIR), "--strategy", "5", "6", "--out", str(out), "--jobs", "2"])
    return status, out


EXPECTED = ["overview", "checks", "units", "strategy_5", "strategy_6"]


def test_subset_runs_ok(subset_run):
    status, out = subset_run
    assert status == 0
    for name in EXPECTED:
        assert (out / f"{name}.ipynb").is_file(), name
        assert (out / f"{name}.html").is_file(), name
    assert not (out / "strategy_1.html").exists()  # --strategy selects


def test_executed_notebooks_have_parameters_and_no_errors(subset_run):
    _, out = subset_run
    nb = nbformat.read(out / "strategy_6.ipynb", as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert injected and 'strategy_id = "6"' in injected[0].source
    assert f'source = "{paths.PLAN_DIR.resolve()}"' in injected[0].source  # absolute paths
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            assert output.output_type != "error"
    counts = [c.execution_count for c in nb.cells if c.cell_type == "code" and c.execution_count]
    assert counts == list(range(1, len(counts) + 1))  # a fresh session, even on a reused kernel


@pytest.mark.parametrize("name", EXPECTED)
def test_html_hides_inputs_and_embeds_images(subset_run, name):
    _, out = subset_run
    text = (out / f"{name}.html").read_text(encoding="utf-8")
    assert 'lang="th"' in text
    body = re.sub(r"<script.*?</script>|<style.*?</style>", "", text, flags=re.S)
    # no input cells: no code editor, no highlighted source, none of the notebook's code
    assert "jp-CodeMirrorEditor" not in body and "hl-ipython3" not in body and "jp-InputPrompt" not in body
    assert "report.load_plan" not in body and "import " not in body
    images = IMG_SRC.findall(text)
    if name != "checks" or images:
        assert images, "no image in the report"
    for src in images:
        assert src.startswith("data:image/"), src[:60]
    # nothing is fetched from elsewhere when the report is opened
    assert not re.search(r"<(script|img|link)\b[^>]*\s(src|href)=\"https?:", text)


def test_strategy_report_content(subset_run):
    _, out = subset_run
    text = (out / "strategy_5.html").read_text(encoding="utf-8")
    visible = " ".join(re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)\b.*?</\1>", "", text, flags=re.S)).split())
    assert "ยุทธศาสตร์ที่ 5" in visible
    assert "125" in visible  # the document prints 125 million baht for strategy 5 (wording: test_report_html)
    assert (out / "strategy_5_projects.csv").is_file()  # output_dir given by the runner


def test_index_links_resolve_and_summarise(subset_run):
    _, out = subset_run
    text = (out / "index.html").read_text(encoding="utf-8")
    hrefs = HREF.findall(text)
    assert hrefs
    for href in hrefs:
        target = out / unquote(html.unescape(href)).split("#", 1)[0]  # a link may point into a page
        assert target.is_file(), href
    for name in EXPECTED:
        assert f'href="{name}.html"' in text
    words = re.sub(r'<span class="tw">(.*?)</span>', r"\1", text)  # Thai words kept whole on a line
    assert "ยุทธศาสตร์ที่ 5" in words and "125" in words  # its summary (wording: test_report_html)
    assert "สรุป" in words and "(summary)" not in words and "(reports)" not in words  # Thai only


def test_index_escapes_html(tmp_path):
    outcome = runner.Outcome(name="x", notebook="x.ipynb", ipynb=str(tmp_path / "x.ipynb"), html=None,
                             title="<b>ยุทธศาสตร์</b>", summary={"text": "a < b & c"})
    page = render_index([outcome], tmp_path, plan_title="แผน <script>")
    assert "<b>ยุทธศาสตร์</b>" not in page and "&lt;b&gt;" in page
    assert "a &lt; b &amp; c" in page and "<script>" not in page


# ---- a failing notebook --------------------------------------------------------------------------


def test_failing_notebook_does_not_stop_the_others(tmp_path):
    broken = make_notebook(tmp_path / "broken.ipynb")
    out = tmp_path / "out"
    plan_params = {"source": str(paths.PLAN_DIR), "output_dir": "", "thai_digits": False}
    jobs = [
        runner.Job("broken", broken, dict(plan_params), "broken"),
        runner.Job("overview", runner.notebook_path("overview"), dict(plan_params), "overview"),
        runner.Job("strategy_6", runner.notebook_path("node_report"), {**plan_params, "strategy_id": "6"}, "s6"),
    ]
    result = runner.run_jobs(jobs, out, n_jobs=2, progress=False)
    assert result.exit_status == 1
    assert [o.name for o in result.failures] == ["broken"]
    line = result.failure_lines()[0]
    # names the notebook, the cell (0-based in the input notebook, and its prompt) and the error
    assert "broken.ipynb" in line and "cell 3 (In [4])" in line and "ZeroDivisionError: division by zero" in line
    # the executed failing notebook is kept, with the error in it
    kept = nbformat.read(out / "broken.ipynb", as_version=4)
    errors = [o for c in kept.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert errors and errors[0].ename == "ZeroDivisionError"
    assert not (out / "broken.html").exists()
    # the others are complete
    for name in ("overview", "strategy_6"):
        assert (out / f"{name}.html").is_file() and (out / f"{name}.ipynb").is_file()
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "ล้มเหลว" in index and "(failed)" not in index and "ZeroDivisionError" in index


def test_command_prints_failures_and_exits_1(monkeypatch, tmp_path, capsys):
    failed = runner.Outcome(name="broken", notebook="/nb/broken.ipynb", ipynb=str(tmp_path / "broken.ipynb"),
                            ok=False, cell_index=3, exec_count=4, ename="ZeroDivisionError", evalue="division by zero")
    (tmp_path / "broken.ipynb").write_text("{}", encoding="utf-8")
    fake = runner.RunResult([failed], tmp_path, tmp_path / "index.html", 0.1)
    monkeypatch.setattr(runner, "run_report", lambda **kwargs: fake)
    assert main(["report", "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "notebook failed: broken.ipynb (broken): cell 3 (In [4]): ZeroDivisionError: division by zero" in err
    assert "executed notebook kept" in err


def test_text_source_is_ingested_once(tmp_path, seed_path):
    plan_dir = runner.prepare_source(seed_path, tmp_path)
    assert plan_dir == tmp_path.resolve() / "plan"
    assert (plan_dir / "strategies.csv").is_file()


def test_reused_kernel_starts_each_notebook_fresh(tmp_path):
    """One worker, one warm kernel, two notebooks: nothing of the first reaches the second."""

    def notebook(path: Path, sources: list[str]) -> Path:
        nb = nbformat.v4.new_notebook()
        nb.metadata["kernelspec"] = {"name": paths.KERNEL_NAME, "display_name": "x", "language": "python"}
        params = nbformat.v4.new_code_cell('source = ""')
        params.metadata["tags"] = ["parameters"]
        nb.cells = [params] + [nbformat.v4.new_code_cell(s) for s in sources]
        nbformat.write(nb, path)
        return path

    first = notebook(tmp_path / "first.ipynb", [
        "import matplotlib, pandas as pd\nleak = 1\npd.set_option('display.max_rows', 3)\n"
        "matplotlib.rcParams['lines.linewidth'] = 9",
    ])
    second = notebook(tmp_path / "second.ipynb", [
        "import matplotlib, pandas as pd\nassert 'leak' not in globals()\n"
        "assert pd.get_option('display.max_rows') == 60\nassert matplotlib.rcParams['lines.linewidth'] != 9",
    ])
    jobs = [runner.Job("first", first, {"source": ""}), runner.Job("second", second, {"source": ""})]
    result = runner.run_jobs(jobs, tmp_path / "out", n_jobs=1, html=False, progress=False, write_index=False)
    assert result.exit_status == 0, result.failure_lines()
    executed = nbformat.read(tmp_path / "out" / "second.ipynb", as_version=4)
    assert [c.execution_count for c in executed.cells if c.cell_type == "code"] == [1, 2, 3]


def test_dead_kernel_is_reported_and_replaced(tmp_path):
    """A cell that kills the kernel fails its notebook (cell named, partial notebook kept); the
    next notebook of the same worker gets a new kernel."""
    dying = make_notebook(tmp_path / "dying.ipynb")
    nb = nbformat.read(dying, as_version=4)
    nb.cells[3].source = "import os\nos._exit(1)"
    nbformat.write(nb, dying)
    fine = make_notebook(tmp_path / "fine.ipynb")
    nb = nbformat.read(fine, as_version=4)
    nb.cells[3].source = "z = 3"
    nbformat.write(nb, fine)
    params = {"source": "", "output_dir": "", "thai_digits": False}
    jobs = [runner.Job("dying", dying, dict(params)), runner.Job("fine", fine, dict(params))]
    result = runner.run_jobs(jobs, tmp_path / "out", n_jobs=1, html=False, progress=False, write_index=False)
    assert [o.name for o in result.failures] == ["dying"]
    failure = result.failures[0]
    assert failure.cell_index == 3 and "DeadKernelError" in failure.ename
    assert (tmp_path / "out" / "dying.ipynb").is_file()
    assert (tmp_path / "out" / "fine.ipynb").is_file()


# ---- a budget table: one report per node of a level (--group-by) ------------------------------


@pytest.fixture
def budget_dataset(tmp_path):
    """The tiny budget table of tests/test_budget_report.py (two agencies, one named with a tag)."""
    from test_budget_report import MAPPING, ROWS

    from coopanalysis.budget import ingest_tables, write_dataset

    (tmp_path / "m.yaml").write_text(MAPPING, encoding="utf-8")
    (tmp_path / "t.csv").write_text(ROWS, encoding="utf-8")
    out = tmp_path / "ds"
    write_dataset(ingest_tables([tmp_path / "t.csv"], str(tmp_path / "m.yaml")), out)
    return out


@pytest.mark.parametrize("args, message", [
    (["--group-by", "ministry"], "--group-by: unknown level 'ministry'; levels: agency, plan, item"),
    ([], "is a budget table: choose the reports with --group-by LEVEL (levels: agency, plan, item)"),
    (["--group-by", "agency", "--strategy", "5"], "--strategy applies to a plan"),
])
def test_group_by_is_validated_before_any_kernel(budget_dataset, tmp_path, capsys, args, message):
    out = tmp_path / "reports"
    assert main(["report", str(budget_dataset), "--out", str(out), *args]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and message in err
    assert not out.exists()


def test_group_by_on_a_plan_is_exit_2(tmp_path, capsys):
    assert main(["report", str(paths.PLAN_DIR), "--group-by", "agency", "--out", str(tmp_path / "r")]) == 2
    assert "--group-by applies to a budget table dataset" in capsys.readouterr().err


def test_group_by_strategy_on_a_plan_is_its_strategy_reports(tmp_path, capsys):
    """A plan's strategies are the nodes of its first level: ``--group-by strategy`` is the plan's
    own run, so its --strategy is validated as usual (no kernel starts for a bad one)."""
    args = ["report", str(paths.PLAN_DIR), "--group-by", "strategy", "--strategy", "2", "--out", str(tmp_path / "r")]
    assert main(args) == 2
    assert "unknown strategy '2'" in capsys.readouterr().err


def test_group_by_runs_one_report_per_node(budget_dataset, tmp_path):
    out = tmp_path / "reports"
    assert main(["report", str(budget_dataset), "--group-by", "agency", "--out", str(out), "--jobs", "2"]) == 0
    for name in ("agency_1", "agency_2"):  # กรม <b>หนึ่ง</b>, กรมสอง (node ids in first-seen order)
        assert (out / f"{name}.html").is_file() and (out / f"{name}.ipynb").is_file()
    assert not (out / "overview.html").exists()  # the plan notebooks do not apply
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="agency_1.html"' in index and 'href="agency_2.html"' in index
    words = re.sub(r'<span class="tw">(.*?)</span>', r"\1", index)  # Thai words kept whole on a line
    assert "กรม &lt;b&gt;หนึ่ง&lt;/b&gt;" in words and "<b>หนึ่ง" not in words  # titles escaped
