"""The registry of checks: each rule declares the check codes it emits; each kind of source
registers its rules, the context they read and the order of their findings.

A *check* is one code of :attr:`Finding.check <coopanalysis.checks.findings.Finding.check>`
with its severity, the levels it is about and a short Thai name for readers. A *rule*
(:class:`Rule`) is a plain function ``f(ctx) -> list[Finding]`` paired with the checks it may
emit; each module of rules ends with its ``RULES`` tuple::

    def check_table_totals(ctx):
        return [...]

    RULES: tuple[Rule, ...] = (
        Rule(check_table_totals, (Check("table_total", "error", ("any",), "ยอดรวมในตารางไม่ตรง"),)),
    )

The functions stay undecorated because mutation testing (mutmut) skips decorated functions and
would never mutate their bodies. :func:`rule` declares the same pairing as a decorator, for a
rule written on the spot (a test, ``run_checks(rules=...)``).

A :class:`Source` is one kind of source (``Dataset.kind``: ``plan``, ``budget_table``; and
``changed``, a dataset whose amounts differ from its source): its ordered rules, the context
they read (a plan's :class:`~coopanalysis.checks.context.Context`, a table's
:class:`~coopanalysis.checks.table_rules.TableContext` …) and how its findings are sorted.
:data:`coopanalysis.checks.rules.SOURCES` registers them, and
:func:`run_checks <coopanalysis.checks.run_checks>`, the one function that runs checks, runs
the source's rules through :func:`run_rules`, which refuses a finding whose code, severity or
level its rule did not declare. ``checks.CHECKS`` and ``checks.CHECK_TH`` are derived from the
plan's rules.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from coopanalysis.checks.findings import LEVELS, SEVERITIES, Finding

__all__ = ["ANY", "Check", "Rule", "Source", "rule", "checks_of", "run_rules", "validate"]

#: Level wildcard: the check may be about a node of any level.
ANY = "any"


@dataclass(frozen=True)
class Check:
    """One check code: ``severity`` of its findings, ``levels`` it is about (``("any",)`` for
    any level), its short Thai name ``label_th`` and, rarely, ``also``: other severities some of
    its findings have (a printed total that matches no node is a warning, or an info when the
    tables hold that node only in parts).

    >>> Check("plan_total", "error", ("plan",), "ยอดรวมทั้งแผนไม่ตรง").allows("plan")
    True
    >>> Check("x", "fatal", ("plan",), "x")
    Traceback (most recent call last):
    ...
    ValueError: check 'x': severity must be one of ('error', 'warning', 'info'); got 'fatal'
    """

    code: str
    severity: str
    levels: tuple[str, ...]
    label_th: str
    also: tuple[str, ...] = ()

    def __post_init__(self):
        if not self.code or not self.code.replace("_", "").isalnum():
            raise ValueError(f"check code must be a word like 'plan_total'; got {self.code!r}")
        for severity in (self.severity, *self.also):
            if severity not in SEVERITIES:
                raise ValueError(f"check {self.code!r}: severity must be one of {SEVERITIES}; got {severity!r}")
        if not self.levels or any(lv != ANY and lv not in LEVELS for lv in self.levels):
            raise ValueError(f"check {self.code!r}: levels must be among {LEVELS} or ('any',); got {self.levels!r}")
        if not self.label_th.strip():
            raise ValueError(f"check {self.code!r}: a Thai label is required")

    def allows(self, level: str) -> bool:
        return ANY in self.levels or level in self.levels

    def gives(self, severity: str) -> bool:
        """True when a finding of this check may have *severity*.

        >>> Check("x", "warning", ("any",), "x", also=("info",)).gives("info")
        True
        """
        return severity == self.severity or severity in self.also

    @property
    def level_text(self) -> str:
        """The levels as the code table in :mod:`coopanalysis.checks` prints them.

        >>> Check("no_detail", "warning", ("strategy", "tactic"), "x").level_text
        'strategy/tactic'
        """
        return "/".join(self.levels)


@dataclass(frozen=True)
class Rule:
    """A rule function with the checks it declares; calling it runs the function."""

    func: Callable[..., Iterable[Finding]]
    checks: tuple[Check, ...]

    @property
    def name(self) -> str:
        return getattr(self.func, "__name__", repr(self.func))

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.checks)

    def __call__(self, ctx) -> list[Finding]:
        return list(self.func(ctx))


def rule(*checks: Check) -> Callable[[Callable[..., Iterable[Finding]]], Rule]:
    """Decorator: declare the checks a rule function emits (at least one).

    >>> @rule(Check("demo", "info", ("document",), "ตัวอย่าง"))
    ... def demo(ctx):
    ...     return [Finding("info", "demo", "document", "document")]
    >>> demo.codes, [f.check for f in demo(None)]
    (('demo',), ['demo'])
    """
    if not checks or not all(isinstance(c, Check) for c in checks):
        raise TypeError("rule() takes one or more Check declarations")

    def wrap(func) -> Rule:
        return Rule(func, tuple(checks))

    return wrap


def checks_of(rules: Iterable[Rule]) -> tuple[Check, ...]:
    """Every declared check, in rule order; a code declared twice is an error.

    >>> a = rule(Check("a", "info", ("plan",), "ก"))(lambda ctx: [])
    >>> [c.code for c in checks_of([a])]
    ['a']
    >>> checks_of([a, a])
    Traceback (most recent call last):
    ...
    ValueError: check code 'a' is declared by more than one rule
    """
    out: dict[str, Check] = {}
    for r in rules:
        for c in r.checks:
            if c.code in out:
                raise ValueError(f"check code {c.code!r} is declared by more than one rule")
            out[c.code] = c
    return tuple(out.values())


def validate(r: Rule, findings: Iterable[Finding]) -> list[Finding]:
    """*findings* of rule *r*, refused (``ValueError``) when one has a code, severity or level
    the rule did not declare: a programming error, not bad input.

    >>> demo = rule(Check("demo", "info", ("document",), "ตัวอย่าง"))(lambda ctx: [])
    >>> validate(demo, [Finding("error", "demo", "document", "document")])
    Traceback (most recent call last):
    ...
    ValueError: rule <lambda> emitted check 'demo' as error at level 'document'; it declares info at document
    """
    declared = {c.code: c for c in r.checks}
    out = list(findings)
    for f in out:
        c = declared.get(f.check)
        if c is None:
            raise ValueError(f"rule {r.name} emitted check {f.check!r}, which it does not declare ({', '.join(declared)})")
        if not c.gives(f.severity) or not c.allows(f.level):
            raise ValueError(f"rule {r.name} emitted check {f.check!r} as {f.severity} at level {f.level!r};"
                             f" it declares {c.severity} at {c.level_text}")
    return out


@dataclass(frozen=True)
class Source:
    """How one kind of source is checked: its ``rules`` (in the order their findings are
    gathered), ``context(source, tolerance, rel_tolerance)`` building what they read (the
    tolerances already validated), and ``order(findings, ctx)`` sorting the findings."""

    kind: str
    rules: tuple[Rule, ...]
    context: Callable[..., object]
    order: Callable[[list[Finding], object], list[Finding]]

    @property
    def checks(self) -> tuple[Check, ...]:
        """Every check its rules declare (a code declared twice is an error)."""
        return checks_of(self.rules)


def run_rules(rules: Iterable[Rule], ctx) -> list[Finding]:
    """Every finding of *rules* on *ctx* (any context object the rules read), in rule order,
    each validated against its rule's declarations (:func:`validate`). Unsorted.

    >>> demo = rule(Check("demo", "info", ("document",), "ตัวอย่าง"))(
    ...     lambda ctx: [Finding("info", "demo", "document", "document", name=ctx)])
    >>> [(f.check, f.name) for f in run_rules([demo], "a context")]
    [('demo', 'a context')]
    """
    out: list[Finding] = []
    for r in rules:
        out.extend(validate(r, r(ctx)))
    return out
