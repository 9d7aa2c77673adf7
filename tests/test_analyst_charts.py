"""An analyst's own matplotlib and pandas charts: Thai text and strategy colours (issue 23).

Each case runs in a fresh interpreter, because what is tested is what ``import coopanalysis``
and ``ca.load()`` do to matplotlib's global settings.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow  # each case starts a fresh interpreter that imports matplotlib

TITLE = "ยุทธศาสตร์ที่ ๕ การพัฒนาระบบเทคโนโลยี"


def _run(code: str) -> dict:
    env = {**os.environ, "MPLBACKEND": "Agg"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300,
                          cwd=os.path.expanduser("~") if os.path.isdir(os.path.expanduser("~")) else "/")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


# Draws a Thai title and reports the first font family and any missing-glyph warning.
_DRAW = f"""
import json, warnings
import matplotlib.pyplot as plt
fig, ax = plt.subplots()
ax.set_title({TITLE!r})
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    fig.canvas.draw()
import matplotlib
print(json.dumps({{"family": matplotlib.rcParams["font.family"][0],
                  "missing": [str(w.message) for w in caught if "missing" in str(w.message).lower()]}}))
"""


@pytest.mark.parametrize("before", ["import IPython", "import matplotlib"], ids=["notebook", "matplotlib-first"])
def test_import_alone_makes_thai_render_in_a_notebook_or_after_matplotlib(before):
    result = _run(f"{before}\nimport coopanalysis\n{_DRAW}")
    assert result == {"family": "Noto Sans Thai", "missing": []}


def test_a_script_without_notebook_or_matplotlib_imports_neither():
    # The command line imports the package first: it must not pay for matplotlib.
    result = _run("import sys, json, coopanalysis\n"
                  "print(json.dumps({'mpl': 'matplotlib' in sys.modules}))")
    assert result == {"mpl": False}


def test_without_load_a_script_gets_boxes_and_load_fixes_it():
    # The boundary of the rule above: without IPython, load() is what registers the font.
    before = _run(f"import coopanalysis\n{_DRAW}")
    assert before["missing"], "DejaVu Sans has no Thai glyphs: a warning was expected"
    after = _run(f"import coopanalysis as ca\nca.load()\n{_DRAW}")
    assert after == {"family": "Noto Sans Thai", "missing": []}


def test_pandas_colours_each_strategy_as_the_package_charts_do():
    # Strategy 2 is not in the bundled plan, so a plain colour cycle would give strategy 3 the
    # colour of strategy 2. Compare pandas' lines with the bars of ca.chart.allocation by label.
    result = _run("""
import json
import coopanalysis as ca
from matplotlib.colors import to_hex
plan = ca.load()
years = [c for c in ca.by_year(plan, "strategy").columns if isinstance(c, int)]
table = ca.by_year(plan, "strategy").set_index("label")[years].T
pandas_colours = {line.get_label(): to_hex(line.get_color()) for line in table.plot().get_lines()}
fig = ca.chart.allocation(plan, "strategy")
ax = fig.axes[0]
labels = [t.get_text().split()[0] for t in ax.get_yticklabels()]
bars = [p for p in ax.patches if p.get_height() > 0]
package_colours = dict(zip(labels, (to_hex(p.get_facecolor()) for p in bars)))
wedges = table.sum().plot.pie().patches
pie_colours = {label: to_hex(w.get_facecolor()) for label, w in zip(table.columns, wedges)}
print(json.dumps({"pandas": pandas_colours, "package": package_colours, "pie": pie_colours}))
""")
    assert sorted(result["pandas"]) == ["1", "3", "4", "5", "6", "7", "8"]
    assert result["pandas"] == result["package"]
    assert result["pie"] == result["package"]
    assert len(set(result["pandas"].values())) == 7
