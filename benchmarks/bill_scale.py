"""Speed of ``coopanalysis check`` on a whole budget bill, against pandas reading the same files.

    .venv/bin/python benchmarks/bill_scale.py                 # real volumes + 40,000 synthetic rows
    .venv/bin/python benchmarks/bill_scale.py --rows 4000 --repeat 1

One folder holds the real volumes in ``../shared/realdata/budget_bill_2565/`` (when present) and a
synthetic bill (``synthetic-NN.csv``: the community extraction's schema, one row per item per
fiscal year, multi-year obligations, amounts in baht with thousands commas, a little float noise,
a few malformed amounts). Timed as whole processes (imports included), best of ``--repeat``:

* ``coopanalysis check FOLDER --mapping budget-bill``;
* a bare ``python -c`` that imports pandas and ``read_csv``\\ s every file of the folder.

Goal (issue 22): the check at most 3.5x the bare read, and under 500 MiB peak memory. This is a
benchmark, not a test; the figures depend on the machine and on what else runs on it.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "realdata" / "budget_bill_2565"
GOAL_RATIO, GOAL_MIB = 3.5, 500
HEADER = ["", "ITEM_ID", "REF_DOC", "REF_PAGE_NO", "MINISTRY", "BUDGETARY_UNIT", "CROSS_FUNC?", "BUDGET_PLAN",
          "OUTPUT", "PROJECT", "CATEGORY_LV1", "CATEGORY_LV2", "CATEGORY_LV3", "CATEGORY_LV4", "CATEGORY_LV5",
          "CATEGORY_LV6", "ITEM_DESCRIPTION", "FISCAL_YEAR", "AMOUNT", "OBLIGED?", "DEBUG_LOG"]
CATEGORIES = [("งบบุคลากร", "เงินเดือนและค่าจ้างประจำ"), ("งบดำเนินงาน", "ค่าตอบแทน ใช้สอยและวัสดุ"),
              ("งบลงทุน", "ค่าครุภัณฑ์ ที่ดินและสิ่งก่อสร้าง"), ("งบเงินอุดหนุน", "เงินอุดหนุนทั่วไป")]
CHECK = [sys.executable, "-c", "import sys; from coopanalysis.cli import main; sys.exit(main())",
         "check", "{folder}", "--mapping", "budget-bill"]
READ = [sys.executable, "-c", "import glob, sys; import pandas as pd\n"
        "for p in sorted(glob.glob(sys.argv[1] + '/*.csv')): pd.read_csv(p, dtype=str, keep_default_na=False)",
        "{folder}"]


def generate(folder: Path, rows: int, files: int, seed: int = 2565) -> None:
    """Write a synthetic bill of *rows* rows in *files* CSV files into *folder*."""
    rng = random.Random(seed)
    per_file, index = rows // files, 0
    for volume in range(1, files + 1):
        ministry = f"กระทรวงสังเคราะห์ที่ {volume}"
        with open(folder / f"synthetic-{volume:02d}.csv", "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(HEADER)
            n = 0
            while n < per_file:
                agency = f"กรมสังเคราะห์ {volume}.{rng.randint(1, 12)}"
                plan = f"แผนงานพื้นฐานด้านที่ {rng.randint(1, 6)}"
                output, project = ((f"ผลผลิตที่ {rng.randint(1, 5)}", "") if rng.random() < 0.6
                                   else ("", f"โครงการพัฒนาที่ {rng.randint(1, 8)}"))
                lv1, lv2 = rng.choice(CATEGORIES)
                lv3 = "ค่าที่ดินและสิ่งก่อสร้าง" if lv1 == "งบลงทุน" else ""
                item = f"รายการ {index} ค่าใช้จ่ายในการดำเนินงาน ตำบล{rng.randint(1, 999)}"
                obliged = lv1 == "งบลงทุน" and rng.random() < 0.5
                for year in range(2020, 2025) if obliged else [2022]:
                    if n >= per_file:
                        break
                    baht = rng.randint(1, 90_000) * 100
                    amount, log = f"{baht:,}", ""
                    if index % 9973 == 5:
                        amount, log = f"{baht // 1000},0", "AMOUNT FORMAT IS WORONG"
                    elif index % 4999 == 7:
                        amount = f"{baht:,}.3333333333"
                    writer.writerow([index, f"2022.3.{volume}.{index}", f"2022.3.{volume}", 10 + n // 40, ministry,
                                     agency, "False", plan, output, project, lv1, lv2, lv3, "", "", "", item, year,
                                     amount, str(obliged), log])
                    index += 1
                    n += 1


def timed(command: list[str], folder: Path) -> tuple[float, float, float]:
    """Wall seconds, peak resident memory (MiB) and CPU seconds of one child process."""
    start = time.perf_counter()
    child = subprocess.Popen([part.replace("{folder}", str(folder)) for part in command], cwd=ROOT,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):  # 1: the check found errors (the malformed amounts)
        raise SystemExit(f"{command[3] if len(command) > 3 else command}: exit {code}\n{child.stderr.read().decode()}")
    child.stderr.close()
    return seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime  # ru_maxrss: KiB on Linux


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=40_000)
    parser.add_argument("--files", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bill-scale-") as tmp:
        folder = Path(tmp)
        generate(folder, args.rows, args.files)
        real = sorted(REAL.glob("*.csv")) if REAL.is_dir() else []
        for path in real:
            shutil.copy(path, folder / path.name)
        runs = {"read": [], "check": []}
        for _ in range(args.repeat):  # interleaved, so a busy spell of the machine hits both
            runs["read"].append(timed(READ, folder))
            runs["check"].append(timed(CHECK, folder))
    (read_s, read_mib, _), (check_s, _, _) = (min(runs[k]) for k in ("read", "check"))
    read_cpu, check_cpu = (min(cpu for _s, _m, cpu in runs[k]) for k in ("read", "check"))
    peak = max(mib for _s, mib, _cpu in runs["check"])
    ratio = check_s / read_s
    print(f"{len(real)} real volumes + a synthetic bill of {args.rows:,} rows in {args.files} files; "
          f"best of {args.repeat}, whole processes")
    print(f"python -c 'read_csv every file'        {read_s:6.2f} s   CPU {read_cpu:5.2f} s   peak {read_mib:4.0f} MiB")
    print(f"coopanalysis check FOLDER --mapping     {check_s:6.2f} s   CPU {check_cpu:5.2f} s   peak {peak:4.0f} MiB")
    met = ratio <= GOAL_RATIO and peak < GOAL_MIB
    print(f"ratio {ratio:.2f}x (CPU {check_cpu / read_cpu:.2f}x; goal at most {GOAL_RATIO}x, under {GOAL_MIB} MiB): "
          f"{'met' if met else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
