"""Scale benchmark for budget tables: a synthetic budget bill of 40,000 rows in 30 CSV files.

    .venv/bin/python benchmarks/bill_scale.py                  # 40,000 rows, 30 files
    .venv/bin/python benchmarks/bill_scale.py --rows 4000 --files 3 --repeat 3

The files have the community extraction's schema (the bundled ``budget-bill`` mapping): ministry
→ budgetary unit → budget plan → output or project → categories → item, one row per item per
fiscal year, multi-year obligations, amounts in baht with thousands commas, and the real data's
artefacts in small numbers (float noise, a malformed amount, a duplicated row).

Timed, each in its own child process (so peak memory ``ru_maxrss`` is per phase):
* baseline: ``pandas.read_csv(dtype=str)`` of every file;
* check on the tables: ingest in memory and check, as ``coopanalysis check TABLE... --mapping
  budget-bill --stated FILE`` does (``ingest_tables`` + ``dataset_from_result`` + ``run_checks``);
* ingest to a directory, then check it: ``ingest_tables`` + ``write_dataset`` (as ``coopanalysis
  ingest``) and ``load_dataset(lazy_nodes=True)`` + ``run_checks`` (as ``coopanalysis check
  DIR``). This one writes the dataset (about 1.5 times the size of the bill: every item row
  carries the names of all its levels, and nodes.csv names every node) and reads back what the
  checks use (all but nodes.csv).
* the floor of that path: the same read as the baseline, the text of the dataset's tables (our
  writer, not written to disk) and a read of the four columns of items.csv any check needs, with
  no ingest or check work at all. It takes about 3x the baseline by itself, so the directory path
  cannot meet the goal while the dataset is CSV text made in Python (see the README).
Goal (issue 12): ingest + check at most 3x the baseline, under 500 MiB. Prints both paths' ratios,
each as the best tool run over the best baseline run and as the median of each round's own
ratio (rounds run the three children back to back, so a slow spell of a shared VM hits both
sides of a round); the goal counts as met only when both are at most 3x.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

GOAL_RATIO = 3.0
GOAL_MEMORY_MIB = 500
HEADER = ["", "ITEM_ID", "REF_DOC", "REF_PAGE_NO", "MINISTRY", "BUDGETARY_UNIT", "CROSS_FUNC?", "BUDGET_PLAN",
          "OUTPUT", "PROJECT", "CATEGORY_LV1", "CATEGORY_LV2", "CATEGORY_LV3", "CATEGORY_LV4", "CATEGORY_LV5",
          "CATEGORY_LV6", "ITEM_DESCRIPTION", "FISCAL_YEAR", "AMOUNT", "OBLIGED?", "DEBUG_LOG"]
CATEGORIES = [("งบบุคลากร", "เงินเดือนและค่าจ้างประจำ"), ("งบดำเนินงาน", "ค่าตอบแทน ใช้สอยและวัสดุ"),
              ("งบลงทุน", "ค่าครุภัณฑ์ ที่ดินและสิ่งก่อสร้าง"), ("งบเงินอุดหนุน", "เงินอุดหนุนทั่วไป")]


def _maxrss_mib() -> float:
    import resource

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def generate(folder: Path, rows: int, files: int, seed: int = 2565) -> Path:
    """Write *files* CSVs with *rows* rows in all; returns a stated-totals CSV (one per agency)."""
    rng = random.Random(seed)
    per_file = rows // files
    stated: dict[str, int] = {}
    index = 0
    for f in range(files):
        volume = f + 1
        ministry = f"กระทรวงสังเคราะห์ที่ {volume}"
        with open(folder / f"2022-3-{volume}.csv", "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(HEADER)
            n = 0
            while n < per_file:
                agency = f"กรมสังเคราะห์ {volume}.{rng.randint(1, 12)}"
                plan = f"แผนงานพื้นฐานด้านที่ {rng.randint(1, 6)}"
                output, project = (f"ผลผลิตที่ {rng.randint(1, 5)}", "") if rng.random() < 0.6 else \
                    ("", f"โครงการพัฒนาที่ {rng.randint(1, 8)}")
                lv1, lv2 = rng.choice(CATEGORIES)
                lv3 = "ค่าที่ดินและสิ่งก่อสร้าง" if lv1 == "งบลงทุน" else ""
                item = f"รายการ {index} ค่าใช้จ่ายในการดำเนินงาน ตำบล{rng.randint(1, 999)}"
                obliged = lv1 == "งบลงทุน" and rng.random() < 0.5
                years = range(2020, 2025) if obliged else [2022]
                for year in years:
                    if n >= per_file:
                        break
                    baht = rng.randint(1, 90_000) * 100
                    amount = f"{baht:,}"
                    log = ""
                    if index % 9973 == 5:
                        amount, log = f"{baht // 1000},0", "AMOUNT FORMAT IS WORONG"
                    elif index % 4999 == 7:
                        amount = f"{baht:,}.3333333333"
                    elif year == 2022:
                        stated[agency] = stated.get(agency, 0) + baht
                    writer.writerow([index, f"2022.3.{volume}.{index}", f"2022.3.{volume}", 10 + n // 40, ministry,
                                     agency, "False", plan, output, project, lv1, lv2, lv3, "", "", "", item, year,
                                     amount, str(obliged), log])
                    index += 1
                    n += 1
    path = folder / "stated.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["level", "name", "fiscal_year", "amount", "unit"])
        for i, (agency, baht) in enumerate(sorted(stated.items())):
            writer.writerow(["budgetary_unit", agency, 2565, f"{baht + (1_000_000 if i % 7 == 0 else 0):,}", "baht"])
    return path


def child(mode: str, folder: str) -> dict:
    start = time.perf_counter()
    if mode == "read_csv":
        import pandas as pd

        imported, cpu = time.perf_counter(), time.process_time()
        rows = sum(len(pd.read_csv(p, dtype=str, keep_default_na=False))
                   for p in sorted(Path(folder).glob("2022-3-*.csv")))
        return {"seconds": time.perf_counter() - imported, "cpu": time.process_time() - cpu, "rows": rows,
                "mib": _maxrss_mib(), "import_seconds": imported - start}
    from coopanalysis.budget import ingest_tables, load_dataset, run_checks, write_dataset
    from coopanalysis.budget.dataset import dataset_from_result

    tables = sorted(Path(folder).glob("2022-3-*.csv"))
    if mode == "floor":
        return _floor(folder, tables, ingest_tables(tables, "budget-bill", stated=Path(folder) / "stated.csv"))
    imported, cpu = time.perf_counter(), time.process_time()
    if mode == "check":
        result = ingest_tables(tables, "budget-bill", stated=Path(folder) / "stated.csv")
        ingested = time.perf_counter()
        findings = run_checks(dataset_from_result(result))
    else:
        out = Path(folder) / "dataset"
        result = ingest_tables(tables, "budget-bill", stated=Path(folder) / "stated.csv")
        write_dataset(result, out)
        ingested = time.perf_counter()
        findings = run_checks(load_dataset(out, lazy_nodes=True))  # as `check DIR` loads it
    done = time.perf_counter()
    return {"seconds": done - imported, "cpu": time.process_time() - cpu, "ingest_seconds": ingested - imported,
            "check_seconds": done - ingested, "rows": result.plan["accounting"]["rows"], "findings": len(findings),
            "mib": _maxrss_mib(), "import_seconds": imported - start}


def _floor(folder: str, tables: list[Path], result) -> dict:
    """What the directory path costs with no ingest or check work at all: read the bill (as the
    baseline does), make the text of the dataset's tables (with our writer, the fastest we have;
    not written to disk) and read back the four columns of items.csv that any check needs."""
    import pandas as pd

    from coopanalysis.budget import write_dataset
    from coopanalysis.budget.csvout import csv_text

    out = Path(folder) / "floor"
    write_dataset(result, out)  # not timed: the file read back
    start, cpu = time.perf_counter(), time.process_time()
    for path in tables:
        pd.read_csv(path, dtype=str, keep_default_na=False)
    read = time.perf_counter()
    size = sum(len(csv_text(frame, result.columns[name]).encode("utf-8")) for name, frame in result.frames.items())
    written = time.perf_counter()
    pd.read_csv(out / "items.csv", dtype=str, keep_default_na=False, usecols=["node_id", "fiscal_year", "amount_mb", "status"])
    done = time.perf_counter()
    return {"seconds": done - start, "cpu": time.process_time() - cpu, "read_seconds": read - start,
            "text_seconds": written - read, "read_back_seconds": done - written, "bytes": size,
            "mib": _maxrss_mib()}


def _run_child(mode: str, folder: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", mode, str(folder)], capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=40_000)
    parser.add_argument("--files", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--child", nargs=2, metavar=("MODE", "DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(*args.child)))
        return 0
    with tempfile.TemporaryDirectory(prefix="bill-scale-") as tmp:
        folder = Path(tmp)
        generate(folder, args.rows, args.files)
        runs: dict[str, list[dict]] = {"read_csv": [], "check": [], "ingest_dir": [], "floor": []}
        for _ in range(args.repeat):  # interleaved, so a busy spell hits every mode alike
            for mode in runs:
                runs[mode].append(_run_child(mode, folder))
    best = {mode: min(found, key=lambda r: r["seconds"]) for mode, found in runs.items()}
    base = best["read_csv"]
    print(f"synthetic bill: {best['check']['rows']:,} rows in {args.files} files "
          f"(best of {args.repeat}; imports not timed)")
    print(f"pandas.read_csv                 {base['seconds']:6.2f} s   peak {base['mib']:4.0f} MiB")
    verdicts = []
    for mode, label in (("check", "check TABLES (in memory)"), ("ingest_dir", "ingest --out DIR; check DIR")):
        tool = best[mode]
        ratio, cpu_ratio = tool["seconds"] / base["seconds"], tool["cpu"] / base["cpu"]
        # each round's own ratio (the three runs are back to back), so a slow spell of the VM
        # hits both sides of it; the median of those is steadier than the best of each side
        paired = statistics.median(t["seconds"] / b["seconds"] for t, b in zip(runs[mode], runs["read_csv"]))
        ok = max(ratio, paired) <= GOAL_RATIO and tool["mib"] < GOAL_MEMORY_MIB
        verdicts.append(ok)
        print(f"{label:31s} {tool['seconds']:6.2f} s   peak {tool['mib']:4.0f} MiB   ratio {ratio:4.1f}x "
              f"(paired median {paired:.1f}x; CPU {cpu_ratio:.1f}x; ingest {tool['ingest_seconds']:.2f} s, "
              f"check {tool['check_seconds']:.2f} s, {tool['findings']} findings): goal {'met' if ok else 'NOT met'}")
    floor = best["floor"]
    paired = statistics.median(t["seconds"] / b["seconds"] for t, b in zip(runs["floor"], runs["read_csv"]))
    print(f"floor of the directory path, with no ingest or check work at all: read the bill, make the text of "
          f"the dataset's tables ({floor['bytes'] / 1e6:.0f} MB, not written), read back 4 columns of items.csv: "
          f"{floor['seconds']:.2f} s, ratio {floor['seconds'] / base['seconds']:.1f}x (paired median {paired:.1f}x; "
          f"text {floor['text_seconds']:.2f} s, read back {floor['read_back_seconds']:.2f} s)")
    print(f"goal: at most {GOAL_RATIO:g}x pandas.read_csv (best of each, and the median of the paired ratios) "
          f"and under {GOAL_MEMORY_MIB} MiB; " + ("met on both paths" if all(verdicts) else
                                                  "met in memory only" if verdicts[0] else "NOT met"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
