"""What users see, pinned where the fourth round of planted bugs (docs/planted-bugs-round4.md)
passed every other test: each test here failed with its bug and passes without it.

Expected values are worked out by hand from the rows or text written in each test (budget
tables in thousand baht, as the tiny mapping reads them).
"""

from __future__ import annotations

import tempfile

from test_planted_round3 import TWO_AGENCIES, load

import coopanalysis as ca

# ---- bug 18: an atomic write needs only the target's own folder -----------------------------------


def test_atomic_write_works_when_the_system_temp_folder_is_unusable(tmp_path, monkeypatch):
    from coopanalysis.io.safeio import atomic_write_text

    # TMPDIR on another (full, read-only, missing) file system: the temp file goes beside the target
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "no-such-tmp"))
    target = tmp_path / "reports" / "index.html"
    target.parent.mkdir()
    atomic_write_text(target, "สารบัญ")
    assert target.read_text(encoding="utf-8") == "สารบัญ"
    assert [p.name for p in target.parent.iterdir()] == ["index.html"]  # no temp file left


# ---- bug 20: the "others" row counts only the nodes that have an amount ----------------------------


def test_others_after_the_top_n_count_only_nodes_with_an_amount_that_year(tmp_path):
    from coopanalysis.present.budget import allocation_rows

    # กรมหนึ่ง 1.6 and กรมสอง 5 million in 2567; กรมสาม has 1,000 thousand in 2566 only
    ds = load(tmp_path, TWO_AGENCIES + ["c1,6,กรมสาม,แผน ก,ผลผลิต 1,,ค่าจ้าง,2566,\"1,000\",no"])
    table = ca.allocation(ds, "agency", year=2567, top=1)
    assert table["name"].tolist() == ["กรมสอง"]
    assert (table.attrs["others_count"], table.attrs["others_mb"]) == (1, 1.6)
    assert allocation_rows(ds, "agency", 2567, top=1)["name"].tolist() == ["กรมสอง", "อื่น ๆ (1)"]


# ---- bug 19: a tactic's name that quotes another strategy's number is one tactic --------------------


def test_a_tactic_name_quoting_another_strategys_number_is_not_split():
    from coopanalysis.ingest.cells import split_strategy_cell, split_tactics

    # only ids of the tactic's own strategy (3.x) start a tactic; "4.1" here is part of a name
    assert split_tactics("กลยุทธ์ 3.2 ส่งเสริมการตลาดตามแผน 4.1 ของกรม 3.3 พัฒนาบุคลากร") == [
        ("3.2", "ส่งเสริมการตลาดตามแผน 4.1 ของกรม"), ("3.3", "พัฒนาบุคลากร")]
    cell = split_strategy_cell("ยุทธศาสตร์ที่ 3 สนับสนุน เป้าหมาย สร้างตลาด กลยุทธ์ 3.1 ขยายผลตามแผน 2.4 ของกระทรวง")
    assert cell["tactics"] == [("3.1", "ขยายผลตามแผน 2.4 ของกระทรวง")]
