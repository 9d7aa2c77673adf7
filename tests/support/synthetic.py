"""Random plans in the bundled document's layout, with the truth kept beside the text.

One generator for the property tests and the scale benchmark::

    plan = generate(n_projects=40, seed=7)            # a SyntheticPlan: the numbers as truth
    text = render(plan)                               # the document's text, Thai digits, TABs
    text = render(plan, artefacts=("repeat", "per_kpi"))   # with the seed's layout artefacts

Layout (``⇥`` = TAB, every number in Thai digits): title ``แผนปฏิบัติการ{ORG} ๕ ปี (พ.ศ. Y1-Y5)``;
``วิสัยทัศน์`` and numbered ``พันธกิจ``; then for each pair of strategies a summary block
(``ยุทธศาสตร์`` / ``เป้าหมาย`` / ``กลยุทธ์`` / ``โครงการกิจกรรม`` per-tactic counts /
``งบประมาณรวม ๕ ปี`` with ``N โครงการ`` per strategy / per-tactic budgets / ``T ล้านบาท`` per
strategy) followed by one detail table per strategy (title, header, years row; the strategy's
first row carries its name, goal, first tactic, first KPI with targets and first project; a
tactic's first project row starts with ``กลยุทธ์ s.t name`` and eight TABs; other project rows
start with eight TABs).

Artefacts (``render(..., artefacts=...)``):

- ``repeat``: for the projects chosen by the generator (``SynProject.repeat_at``) one yearly
  value, unique in its row and non-zero, is printed twice in adjacent cells (a merged cell
  spilled into a spurious column); dropping it is the unique way the row adds up.
- ``per_kpi``: for strategies with a second KPI, the first project row is printed again on
  the next row behind ``๒. {kpi}⇥ร้อยละ⇥{targets}`` (like project 4.1 of the seed).

>>> plan = generate(n_projects=6, n_strategies=2, seed=1)
>>> [s.id for s in plan.strategies], len(plan.projects)
(['1', '2'], 6)
>>> text = render(plan)
>>> text.startswith("แผนปฏิบัติการ") and "๒๕" in text.split("\\n")[0]
True
>>> sum(len(t.projects) for s in plan.strategies for t in s.tactics)
6
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal

from coopanalysis.text.thai import amount_text, to_thai

ARTEFACTS = ("repeat", "per_kpi")
ORGANISATIONS = (
    "กรมตรวจบัญชีสหกรณ์",
    "กรมส่งเสริมสหกรณ์",
    "สำนักงานการปฏิรูปที่ดินเพื่อเกษตรกรรม",
    "กรมพัฒนาชุมชน",
    "สำนักงานเศรษฐกิจการเกษตร",
)
# Words for names: none is a section label, header word or unit word of the layout
# (เป้าหมาย, กลยุทธ์, โครงการ, ยุทธศาสตร์, ตัวชี้วัด, หน่วยนับ, รับผิดชอบ, รวม, ล้านบาท, ...).
WORDS = (
    "การพัฒนา", "ส่งเสริม", "สนับสนุน", "ระบบ", "สหกรณ์", "กลุ่มเกษตรกร", "เทคโนโลยี", "สารสนเทศ",
    "การบริหารจัดการ", "การกำกับดูแล", "ความเข้มแข็ง", "ศักยภาพ", "บุคลากร", "การตลาด", "การผลิต",
    "การแปรรูป", "นวัตกรรม", "เครือข่าย", "ความร่วมมือ", "ฐานข้อมูล", "มาตรฐาน", "คุณภาพ",
    "ธรรมาภิบาล", "ความยั่งยืน", "เศรษฐกิจ", "ชุมชน", "การเงิน", "การบัญชี", "การตรวจสอบ",
    "เสถียรภาพ", "สินค้าเกษตร", "ภาคการเกษตร", "องค์ความรู้", "การเรียนรู้", "ดิจิทัล",
    "อิเล็กทรอนิกส์", "ความโปร่งใส", "สมาชิก", "ผู้ตรวจสอบกิจการ", "แหล่งเงินทุน", "ห่วงโซ่คุณค่า",
    "ภูมิปัญญา", "และ", "ของ", "เพื่อ", "ให้", "ด้วย", "ใน", "ทุกพื้นที่", "อย่างต่อเนื่อง",
)
LATIN_TERMS = ("(Green Coop)", "IT", "(Smart Manager Development Program)", "(CDC)", "(PPP)")
KPI_STARTS = ("ร้อยละของ", "จำนวน")
UNIT_LETTERS = "กขคงจฉชซญฎฐดตถทธนบปผพฟภมยรลวศษสหอฮ"


@dataclass
class SynProject:
    id: str  # "5.10", Arabic digits
    strategy_id: str
    tactic_id: str
    name: str  # as printed after the id, starting with โครงการ
    amounts: list[Decimal]  # one per fiscal year
    units: list[str]  # responsible units, printed order, distinct
    repeat_at: int | None = None  # year index printed twice with the 'repeat' artefact

    @property
    def total(self) -> Decimal:
        return sum(self.amounts, Decimal(0))

    def amount_texts(self) -> list[str]:
        """Yearly amounts as budget.csv writes them (exact, Arabic digits, no separators)."""
        return [amount_text(a) for a in self.amounts]


@dataclass
class SynKpi:
    kpi_id: str  # "1"
    name: str
    unit: str
    targets: list[str]  # per year, Arabic digits, "-" for none


@dataclass
class SynTactic:
    id: str
    strategy_id: str
    name: str
    projects: list[SynProject] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((p.total for p in self.projects), Decimal(0))


@dataclass
class SynStrategy:
    id: str
    name: str
    goal: str
    tactics: list[SynTactic] = field(default_factory=list)
    kpis: list[SynKpi] = field(default_factory=list)  # kpis[1:] printed only with 'per_kpi'

    @property
    def projects(self) -> list[SynProject]:
        return [p for t in self.tactics for p in t.projects]

    @property
    def total(self) -> Decimal:
        return sum((t.total for t in self.tactics), Decimal(0))


@dataclass
class SyntheticPlan:
    organisation: str
    years: list[int]  # Buddhist era, consecutive
    vision: str
    missions: list[str]
    strategies: list[SynStrategy]
    seed: int | None = None

    @property
    def title(self) -> str:
        """The title line as printed, with Arabic digits (the document prints Thai digits)."""
        return f"แผนปฏิบัติการ{self.organisation} {len(self.years)} ปี (พ.ศ. {self.years[0]}-{self.years[-1]})"

    @property
    def projects(self) -> list[SynProject]:
        return [p for s in self.strategies for p in s.projects]

    @property
    def tactics(self) -> list[SynTactic]:
        return [t for s in self.strategies for t in s.tactics]

    def printed_kpis(self, artefacts=()) -> list[SynKpi]:
        """``(strategy_id, kpi)`` pairs of the KPIs the rendered text prints."""
        artefacts = _artefacts(artefacts)
        out = []
        for s in self.strategies:
            for k in s.kpis if "per_kpi" in artefacts else s.kpis[:1]:
                out.append((s.id, k))
        return out

    def repeated(self, artefacts=()) -> list[SynProject]:
        """Projects whose row carries a repeated value in the rendered text."""
        return [p for p in self.projects if p.repeat_at is not None] if "repeat" in _artefacts(artefacts) else []

    def listed_twice(self, artefacts=()) -> list[SynProject]:
        """Projects printed on two rows (one per KPI) in the rendered text."""
        if "per_kpi" not in _artefacts(artefacts):
            return []
        return [s.tactics[0].projects[0] for s in self.strategies if len(s.kpis) > 1]

    def expected_status(self, project: SynProject, artefacts=()) -> str:
        """``parse_status`` the parser should give *project*."""
        if "repeat" in _artefacts(artefacts) and project.repeat_at is not None:
            return "repaired"
        return "exact"


def _artefacts(artefacts) -> frozenset[str]:
    if isinstance(artefacts, str):
        artefacts = (artefacts,)
    chosen = frozenset(artefacts or ())
    unknown = chosen - set(ARTEFACTS)
    if unknown:
        raise ValueError(f"unknown artefacts {sorted(unknown)}; known: {', '.join(ARTEFACTS)}")
    return chosen


# ---- generation ----------------------------------------------------------------------------
def _words(rng: random.Random, low: int, high: int) -> str:
    return "".join(rng.choice(WORDS) for _ in range(rng.randint(low, high)))


def _phrase(rng: random.Random, low: int, high: int) -> str:
    """Words, sometimes separated by spaces as extracted PDF text is, now and then a Latin term."""
    parts = [_words(rng, 1, 3) for _ in range(rng.randint(low, high))]
    if rng.random() < 0.1:
        parts.insert(rng.randint(1, len(parts)), rng.choice(LATIN_TERMS))
    return " ".join(parts)


def _amount(rng: random.Random) -> Decimal:
    r = rng.random()
    if r < 0.15:
        return Decimal(0)
    if r < 0.55:
        return Decimal(rng.randint(1, 100))
    if r < 0.75:
        return Decimal(rng.randint(0, 40)) + Decimal("0.5")
    if r < 0.90:
        return Decimal(rng.randint(0, 20)) + rng.choice((Decimal("0.25"), Decimal("0.75"), Decimal("0.1")))
    if r < 0.95:
        return Decimal(rng.randint(100, 999))
    return Decimal(rng.randint(1000, 9999)) + rng.choice((Decimal(0), Decimal("0.5")))


def _amounts(rng: random.Random, n_years: int) -> list[Decimal]:
    values = [_amount(rng) for _ in range(n_years)]
    if not any(values):
        values[rng.randrange(n_years)] = Decimal(rng.randint(1, 50))
    return values


def _units(rng: random.Random, pool: list[str]) -> list[str]:
    return rng.sample(pool, rng.randint(1, min(3, len(pool))))


def _repeat_candidate(rng: random.Random, amounts: list[Decimal]) -> int | None:
    """A year whose non-zero value occurs once in the row (so repairing it is unique)."""
    unique = [i for i, v in enumerate(amounts) if v and amounts.count(v) == 1]
    return rng.choice(unique) if unique else None


def _kpi(rng: random.Random, kpi_id: str, n_years: int) -> SynKpi:
    targets = [rng.choice(("-", str(rng.randint(1, 100)))) for _ in range(n_years)]
    return SynKpi(kpi_id, rng.choice(KPI_STARTS) + _phrase(rng, 1, 3), "ร้อยละ", targets)


def generate(
    n_projects: int = 30,
    n_strategies: int | None = None,
    seed: int | None = 0,
    first_year: int | None = None,
    first_strategy: int = 1,
    n_years: int = 5,
    max_tactics: int = 5,
    repeat_rate: float = 0.2,
    per_kpi_rate: float = 0.5,
) -> SyntheticPlan:
    """A random plan with *n_projects* projects spread over strategies and tactics.

    Every strategy has at least one tactic, every tactic at least one project, and every
    project at least one non-zero yearly amount. ``repeat_rate`` of the projects (where a
    unique non-zero value exists) and ``per_kpi_rate`` of the strategies are chosen for the
    artefacts; whether they are printed is decided by :func:`render`.
    """
    if n_projects < 1:
        raise ValueError("n_projects must be at least 1")
    rng = random.Random(seed)
    if n_strategies is None:
        n_strategies = max(1, min(20, round(n_projects ** 0.5 / 2)))
    n_strategies = max(1, min(n_strategies, n_projects))
    first_year = first_year if first_year is not None else rng.randint(2550, 2575)
    years = list(range(first_year, first_year + n_years))

    # projects per strategy, then tactics per strategy (≤ its projects), then projects per tactic
    per_strategy = _split(rng, n_projects, n_strategies)
    pool = sorted({"".join(rng.choice(UNIT_LETTERS) for _ in range(rng.randint(2, 5))) + "."
                   for _ in range(12)})
    strategies = []
    for index, count in enumerate(per_strategy):
        sid = str(first_strategy + index)
        n_tactics = rng.randint(1, max(1, min(max_tactics, count)))
        strategy = SynStrategy(sid, _phrase(rng, 1, 4), _phrase(rng, 1, 4))
        number = 0
        for t_index, t_count in enumerate(_split(rng, count, n_tactics)):
            tactic = SynTactic(f"{sid}.{t_index + 1}", sid, _phrase(rng, 1, 5))
            for _ in range(t_count):
                number += 1
                amounts = _amounts(rng, n_years)
                project = SynProject(
                    f"{sid}.{number}", sid, tactic.id, "โครงการ" + _phrase(rng, 1, 4),
                    amounts, _units(rng, pool),
                )
                if rng.random() < repeat_rate:
                    project.repeat_at = _repeat_candidate(rng, amounts)
                tactic.projects.append(project)
            strategy.tactics.append(tactic)
        strategy.kpis.append(_kpi(rng, "1", n_years))
        if rng.random() < per_kpi_rate:
            strategy.kpis.append(_kpi(rng, "2", n_years))
        strategies.append(strategy)
    missions = [_phrase(rng, 2, 5) for _ in range(rng.randint(2, 4))]
    return SyntheticPlan(rng.choice(ORGANISATIONS), years, _phrase(rng, 3, 6), missions, strategies, seed)


def _split(rng: random.Random, total: int, parts: int) -> list[int]:
    """*total* as *parts* positive integers, at random."""
    if parts <= 1:
        return [total]
    cuts = sorted(rng.sample(range(1, total), parts - 1))
    return [b - a for a, b in zip([0] + cuts, cuts + [total])]


# ---- rendering -----------------------------------------------------------------------------
def _printed(value: Decimal) -> str:
    """A printed amount (Arabic digits here; Thai on output): '-' for zero, commas sometimes."""
    if not value:
        return "-"
    text = amount_text(value)
    whole, dot, frac = text.partition(".")
    if len(whole) > 3 and int(whole) % 2 == 0:  # both spellings occur: 1,200 and 1201
        text = f"{int(whole):,}" + dot + frac
    return text


def _total_text(value: Decimal) -> str:
    text = amount_text(value)
    whole, dot, frac = text.partition(".")
    if len(whole) > 3 and int(whole) % 2 == 0:
        text = f"{int(whole):,}" + dot + frac
    return text


def _project_cells(p: SynProject, repeat: bool) -> list[str]:
    values = [_printed(v) for v in p.amounts]
    if repeat and p.repeat_at is not None:
        values.insert(p.repeat_at + 1, values[p.repeat_at])
    return [f"{p.id} {p.name}", *values, _total_text(p.total), " ".join(p.units)]


def _summary_block(out: list[str], pair: list[SynStrategy], n_years: int) -> None:
    out.append("\t".join(["ยุทธศาสตร์"] + [f"{s.id} {s.name}" for s in pair]))
    out.append("\t".join(["เป้าหมาย"] + [s.goal for s in pair]))
    tactics = [t for s in pair for t in s.tactics]
    out.append("\t".join(["กลยุทธ์"] + [f"{t.id} {t.name}" for t in tactics]))
    out.append("\t".join(["โครงการกิจกรรม"] + [str(len(t.projects)) for t in tactics]))
    out.append("\t".join([f"งบประมาณรวม {n_years} ปี"] + [f"{len(s.projects)} โครงการ" for s in pair]))
    out.append("\t".join([""] + [_total_text(t.total) for t in tactics]))
    out.append("\t".join(f"{_total_text(s.total)} ล้านบาท" for s in pair))
    out.append("")


def _detail_table(out: list[str], plan: SyntheticPlan, s: SynStrategy, repeat: bool, per_kpi: bool) -> None:
    years = [str(y) for y in plan.years]
    n = len(years)
    out.append(f"รายละเอียดแผนปฏิบัติการ {n} ปี (พ.ศ. {years[0]} - {years[-1]})")
    out.append("")
    out.append("ยุทธศาสตร์ / เป้าหมาย/กลยุทธ์\tตัวชี้วัดเป้าหมาย\tหน่วยนับ\tค่าเป้าหมาย" + "\t" * n
               + "โครงการ/กิจกรรม\tวงเงินงบประมาณปี (ล้านบาท)" + "\t" * (n + 1) + "หน่วยงานรับผิดชอบ")
    out.append("\t\t\t" + "\t".join(years) + "\t\t" + "\t".join(years) + "\tรวม")
    blank_kpi = "\t" * (n + 3)  # strategy/tactic cell is before; KPI, unit, targets are empty
    first_tactic = s.tactics[0]
    for t in s.tactics:
        for index, p in enumerate(t.projects):
            cells = _project_cells(p, repeat)
            if t is first_tactic and index == 0:
                kpi = s.kpis[0]
                lead = (f"ยุทธศาสตร์ที่ {s.id} {s.name} เป้าหมาย {s.goal} กลยุทธ์ {t.id} {t.name}"
                        f"\t{kpi.kpi_id}. {kpi.name}\t{kpi.unit}\t" + "\t".join(kpi.targets))
                out.append(lead + "\t" + "\t".join(cells))
                if per_kpi:
                    for extra in s.kpis[1:]:
                        out.append(f"\t{extra.kpi_id}. {extra.name}\t{extra.unit}\t"
                                   + "\t".join(extra.targets) + "\t" + "\t".join(cells))
            elif index == 0:
                out.append(f"กลยุทธ์ {t.id} {t.name}" + blank_kpi + "\t".join(cells))
            else:
                out.append(blank_kpi + "\t".join(cells))
    out.append("")
    out.append("")


def render(plan: SyntheticPlan, artefacts=()) -> str:
    """The plan's document text: TAB-separated cells, '\\n' line ends, Thai digits throughout."""
    chosen = _artefacts(artefacts)
    repeat, per_kpi = "repeat" in chosen, "per_kpi" in chosen
    n = len(plan.years)
    out: list[str] = [plan.title, ""]
    out.append(f"วิสัยทัศน์\t{plan.vision}")
    for i, mission in enumerate(plan.missions, 1):
        out.append(("พันธกิจ" if i == 1 else "") + f"\t{i}. {mission}")
    out.append("")
    for start in range(0, len(plan.strategies), 2):
        pair = plan.strategies[start : start + 2]
        _summary_block(out, pair, n)
        out.append("")
        for s in pair:
            _detail_table(out, plan, s, repeat, per_kpi)
    return to_thai("\n".join(out) + "\n")
