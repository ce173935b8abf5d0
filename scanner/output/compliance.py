"""The auditor-facing compliance report, as HTML or GitHub-flavoured markdown.

A `Document` is computed once from the `Report` (every count, ordering and chart geometry
lives here) and rendered by a Jinja2 template per format (`scanner/output/templates/`), so
the wording can be changed without touching code and both formats say the same. The first
part decides (status per safeguard family and concern, severities, the worst open
failures, completeness, scope and a digest of the evidence); the rest is the evidence per
implementation specification, per failing rule, waiver, gap and attestation.

Counting rule: a finding is counted once per specification it answers, never once per
(rule, citation) pair, and the report says when one failure serves several citations.
Every cloud-supplied string passes through `printable` and is escaped by the template
engine (HTML autoescape; a markdown escape applied to every expression). The exception is
the per-finding table rows, one per failing resource and the bulk of a large estate's
report: `_Rows` builds them in Python with the same escaping (tests compare them with the
template loops they replaced), because a template call per row cost more than the rest of
the report put together.
"""

from __future__ import annotations

import base64
import hashlib
import heapq
import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, partial

import jinja2
from markupsafe import Markup

from scanner import TOOL_NAME
from scanner.model import Concern, Finding, Gap, Scope, Severity, Status
from scanner.output.common import (
    citation_text,
    phi_scope_text,
    printable,
    severity_order,
    sorted_scopes,
)
from scanner.report import Report
from scanner.rule import Attestation, Citation, RuleMeta

SAFEGUARDS = (
    ("administrative", "Administrative safeguards", "45 CFR 164.308"),
    ("physical", "Physical safeguards", "45 CFR 164.310"),
    ("technical", "Technical safeguards", "45 CFR 164.312"),
    ("policies-and-documentation", "Policies, procedures and documentation", "45 CFR 164.316"),
)
DISCLAIMER = (
    "This report is configuration evidence for the HIPAA Security Rule safeguards that cloud "
    "APIs can show. It is not a certification: PASS means the checked setting was found, and "
    "controls no API can prove are listed as manual attestations still owed."
)
DEFAULT_TITLE = "HIPAA Security Rule compliance report"
DIGEST_COMMAND = (
    "jq -r '.findings[] | \"\\(.fingerprint) \\(.status)\"' report.json | LC_ALL=C sort | sha256sum"
)
"""How to recompute `evidence_digest` from the JSON report of the same scan."""
WORST_COUNT = 10
SCOPE_ACCOUNTS = 4
"""Accounts named per cloud on the first page; the About section names them all."""
SCOPE_REGIONS = 6
GAP_ACCOUNTS = 3
FOLD_AFTER = 8
"""Resource lists longer than this fold into a `<details>` element."""

BUCKETS = ("fail", "waived", "unknown", "error", "pass")
"""Where a finding is counted: open FAIL, waived FAIL, UNKNOWN, ERROR or PASS."""
BUCKET_LABELS = {
    "fail": "FAIL",
    "waived": "waived",
    "unknown": "UNKNOWN",
    "error": "ERROR",
    "pass": "PASS",
}
# Shapes, so that status never depends on colour alone (grey-scale print, colour-blindness).
BUCKET_SYMBOLS = {"fail": "✗", "waived": "≈", "unknown": "?", "error": "!", "pass": "✓"}
TREND_KEYS = ("new", "unchanged", "fixed")

_BAR_WIDTH = 200.0


_FAIL = Status.FAIL
_SEVERITY_LABELS = {severity: severity.label for severity in Severity}
_STATUS_TEXT = {status: status.value for status in Status}
# A status's bucket, looked up rather than derived: every chart counts every finding.
_STATUS_BUCKETS = {status: status.value.lower() for status in Status}


def bucket(finding: Finding) -> str:
    """The count a finding belongs to (one of `BUCKETS`)."""
    return _bucket_of(finding.status, waived=finding.waiver is not None)


def _bucket_of(status: Status, *, waived: bool) -> str:
    if status is _FAIL:
        return "waived" if waived else "fail"
    return _STATUS_BUCKETS[status]


@dataclass(frozen=True)
class Segment:
    """One coloured, patterned stretch of a bar chart."""

    key: str
    label: str
    count: int
    x: float
    width: float


@dataclass(frozen=True)
class Tally:
    """Distinct findings per bucket."""

    counts: Mapping[str, int]

    @classmethod
    def from_counts(cls, counts: Mapping[str, int]) -> Tally:
        """A tally of counts already made (every bucket present, zero when absent)."""
        return cls({key: counts.get(key, 0) for key in BUCKETS})

    @property
    def total(self) -> int:
        """Every counted finding."""
        return sum(self.counts.values())

    @property
    def verdict(self) -> str:
        """FAIL if anything fails unwaived, UNKNOWN if anything could not be judged."""
        if self.counts["fail"]:
            return "FAIL"
        if self.counts["unknown"] or self.counts["error"]:
            return "UNKNOWN"
        return "PASS" if self.total else "NOT EVALUATED"

    def segments(self, keys: Sequence[str] = BUCKETS, scale: int | None = None) -> list[Segment]:
        """Bar segments for `keys`, scaled to `scale` findings (this tally's total)."""
        return _segments([(k, BUCKET_LABELS[k], self.counts[k]) for k in keys], scale)

    def aria(self) -> str:
        """The bar's content as words, for screen readers and text browsers."""
        return ", ".join(f"{self.counts[k]} {BUCKET_LABELS[k]}" for k in BUCKETS)


def _segments(parts: Sequence[tuple[str, str, int]], scale: int | None) -> list[Segment]:
    total = scale if scale is not None else sum(count for _, _, count in parts)
    out: list[Segment] = []
    x = 0.0
    for key, label, count in parts:
        if not count or not total:
            continue
        width = round(_BAR_WIDTH * count / total, 1)
        out.append(Segment(key, label, count, round(x, 1), width))
        x += width
    return out


@dataclass(frozen=True)
class ChartRow:
    """One row of a status table with its bar: a safeguard family or a concern."""

    label: str
    anchor: str
    tally: Tally
    owed: int = 0


@dataclass(frozen=True)
class Failure:
    """One failing (or waived, or unjudged) resource, as the tables show it.

    Every text field that comes from the cloud is already `printable`.
    """

    rule_id: str
    rule_title: str
    severity: str
    concern: str
    name: str
    uid: str
    provider: str
    account: str
    region: str
    message: str
    evidence: tuple[tuple[str, str], ...]
    baseline: str
    sections: tuple[str, ...]
    bucket: str
    waiver: tuple[str, str, str] | None


@dataclass(frozen=True)
class RuleRow:
    """A rule that covers a specification, with its counts."""

    id: str
    title: str
    severity: str
    description: str
    tally: Tally
    failing: bool


@dataclass(frozen=True)
class Spec:
    """What the report says about one implementation specification."""

    section: str
    anchor: str
    text: str
    requirement: str
    verdict: str
    sentence: str
    rules: tuple[RuleRow, ...]
    tally: Tally
    shared: tuple[str, ...]
    shared_count: int
    attestations: tuple[Attestation, ...]


@dataclass(frozen=True)
class Family:
    """A safeguard family (164.308, .310, .312, .316) and its specifications."""

    key: str
    anchor: str
    title: str
    cfr: str
    row: ChartRow
    specs: tuple[Spec, ...]


@dataclass(frozen=True)
class Fix:
    """A rule's remediation for one cloud."""

    provider: str
    console: str
    cli: str
    terraform: str
    docs_url: str


@dataclass(frozen=True)
class FailingRule:
    """A rule with open failures: what it checks, how to fix it, and where it fails."""

    id: str
    anchor: str
    title: str
    severity: str
    concern: str
    description: str
    citations: tuple[tuple[str, str], ...]
    fixes: tuple[Fix, ...]
    findings: tuple[Finding, ...]
    """The open failures, in the order the table lists them (name, then uid)."""

    @property
    def count(self) -> int:
        """How many resources fail the rule (unwaived)."""
        return len(self.findings)

    @property
    def failures(self) -> tuple[Failure, ...]:
        """The open failures as table rows (built on demand: the templates print `findings`)."""
        build = _Failures(lambda _: self.title)
        return tuple(build(f) for f in self.findings)

    @property
    def folded(self) -> bool:
        """Whether the resource list is long enough to fold."""
        return self.count > FOLD_AFTER


@dataclass(frozen=True)
class WaiverRow:
    """A waiver entry of the waivers file and what became of it."""

    state: str
    where: str
    rules: str
    resources: str
    reason: str
    owner: str
    expires: str
    matched: int


@dataclass(frozen=True)
class GapRow:
    """A gap and what it kept the scan from judging."""

    provider: str
    account: str
    region: str
    call: str
    error: str
    message: str
    prevented: str


@dataclass(frozen=True)
class TrendRow:
    """New, unchanged and fixed failures of one safeguard family since the baseline."""

    label: str
    counts: Mapping[str, int]
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class Trend:
    """What changed since the previous report."""

    source: str
    rows: tuple[TrendRow, ...]
    totals: Mapping[str, int]
    fixed: tuple[tuple[str, str], ...]
    not_rechecked: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class ScopeRow:
    """One cloud's scope."""

    provider: str
    accounts: str
    accounts_short: str
    regions: str
    regions_short: str
    shard: str


@dataclass(frozen=True)
class Document:
    """Everything the templates show, computed once from the `Report`."""

    title: str
    tool: str
    disclaimer: str
    verdict: str
    headline: str
    complete: bool
    open_failures: int
    resources: int
    severities: tuple[tuple[str, int], ...]
    families: tuple[Family, ...]
    concerns: tuple[ChartRow, ...]
    worst: tuple[Failure, ...]
    more_failures: int
    unknown: int
    error: int
    gap_count: int
    gap_accounts: tuple[str, ...]
    scopes: tuple[ScopeRow, ...]
    phi: str
    started_at: str
    finished_at: str
    digest: str
    digest_count: int
    snapshots: tuple[tuple[str, str], ...]
    failing_rules: tuple[FailingRule, ...]
    unjudged: tuple[Failure, ...]
    waivers: tuple[WaiverRow, ...]
    waived: tuple[Failure, ...]
    gaps: tuple[GapRow, ...]
    attestations: tuple[tuple[Attestation, str], ...]
    trend: Trend | None
    fold_after: int = FOLD_AFTER


class MarkdownFormatter:
    """Renders a `Report` as the compliance report in GitHub-flavoured markdown."""

    def __init__(self, *, title: str = DEFAULT_TITLE) -> None:
        """`title` is the top heading."""
        self.title = title

    def render(self, report: Report) -> str:
        """The compliance report as markdown, ending in a newline."""
        text = (
            _environment("md")
            .get_template("report.md.j2")
            .render(
                doc=build_document(report, self.title),
                rows=_Rows(md_escape, md_escape, html=False),
                **_globals(),
            )
        )
        return _tidy_markdown(text)


class HtmlFormatter:
    """Renders a `Report` as the compliance report in one self-contained HTML page."""

    def __init__(self, *, title: str = DEFAULT_TITLE) -> None:
        """`title` is the page title and top heading."""
        self.title = title

    def render(self, report: Report) -> str:
        """The compliance report as an HTML document, ending in a newline."""
        env = _environment("html")
        css = env.loader.get_source(env, "report.css")[0] if env.loader else ""
        text = env.get_template("report.html.j2").render(
            doc=build_document(report, self.title),
            rows=_Rows(_html_safe, _html_escape, html=True),
            css=Markup(css),  # noqa: S704  (our own stylesheet, shipped with the package)
            css_hash=_csp_hash(css),
            **_globals(),
        )
        return "\n".join(line.rstrip() for line in text.splitlines() if line.strip()) + "\n"


class _Escaped(dict[str, str]):
    """Escaped text per distinct value, filled on first use (a dict lookup in C after that)."""

    def __init__(self, escape: Callable[[str], str]) -> None:
        """`escape` makes one value safe."""
        super().__init__()
        self.escape = escape

    def __missing__(self, text: str) -> str:
        escaped = self[text] = self.escape(text)
        return escaped


class _Rows:
    """The per-finding table rows of one render, built in Python rather than by the template.

    A large estate has one row per failing resource (hundreds of thousands), and a Jinja
    macro call per row cost more than the rest of the report. Each row here is one f-string
    with exactly the bytes the template's loop gave, and every value in it is escaped the
    way the template escapes it. `safe` sanitises a cloud string (`printable`) and escapes
    it; `plain` only escapes (for values already printable, and our own words). Accounts,
    regions, messages and evidence repeat across rows and are escaped once per distinct
    value; names and uids do not repeat and are not remembered.
    """

    def __init__(self, safe: Callable[[str], str], plain: Callable[[str], str], html: bool) -> None:
        """`safe` and `plain` escape one value (see above); `html` picks the layout."""
        self._safe = safe
        self._s = _Escaped(safe)
        self._e = _Escaped(plain)
        self._values: dict[str, str] = {}
        self.html = html

    def findings(self, findings: Sequence[Finding], trend: object) -> Markup:
        """The rows of a failing rule's resource table (with the baseline column if `trend`)."""
        row = self._html_finding if self.html else self._md_finding
        return Markup("".join([row(f, bool(trend)) for f in findings]))  # noqa: S704  (escaped)

    def _value(self, value: object) -> str:
        # An evidence value as the report prints it: JSON unless it is a string.
        if isinstance(value, str):
            return self._s[value]
        return _json_value(self._values, value, self._safe)

    def _md_finding(self, f: Finding, trend: bool) -> str:
        s, ref = self._s, f.resource
        evidence = (
            "; ".join([f"{s[k]} = {self._value(v)}" for k, v in sorted(f.evidence.items())]) or "-"
        )
        since = f" {self._e[f.baseline_state or '-']} |" if trend else ""
        return (
            # One escape for both: md_escape works character by character, and printable
            # is applied to each value on its own.
            f"| {_md_escape_printable(f'{printable(ref.name)} ({printable(ref.uid)})')} "
            f"| {self._e[ref.provider]} {s[ref.account]} "
            f"{s[ref.region or 'global']} | {s[f.message]} | {evidence} |{since}\n"
        )

    def _html_finding(self, f: Finding, trend: bool) -> str:
        s, ref = self._s, f.resource
        evidence = (
            "<br>".join(
                [
                    f"<code>{s[k]}</code> = <code>{self._value(v)}</code>"
                    for k, v in sorted(f.evidence.items())
                ]
            )
            or '<span class="muted">-</span>'
        )
        since = f"<td>{self._e[f.baseline_state or '-']}</td>" if trend else ""
        return (
            f'<tr><td>{self._safe(ref.name)}<span class="uid">{self._safe(ref.uid)}</span>'
            f"</td><td>{self._e[ref.provider]} "
            f'<span class="acct">{s[ref.account]}</span>'
            f'<span class="uid">{s[ref.region or "global"]}</span>'
            f"</td><td>{s[f.message]}</td><td>{evidence}</td>{since}</tr>"
        )

    def unjudged(self, failures: Sequence[Failure]) -> Markup:
        """The rows of the UNKNOWN / ERROR table."""
        row = self._html_unjudged if self.html else self._md_unjudged
        return Markup("".join([row(f) for f in failures]))  # noqa: S704  (escaped)

    def waived(self, failures: Sequence[Failure]) -> Markup:
        """The rows of the waived-failures table."""
        row = self._html_waived if self.html else self._md_waived
        return Markup("".join([row(f) for f in failures]))  # noqa: S704  (escaped)

    def _md_unjudged(self, f: Failure) -> str:
        e, u = self._e, self._e.escape
        return (
            f"| {e[BUCKET_SYMBOLS[f.bucket]]} {e[BUCKET_LABELS[f.bucket]]} | {e[f.rule_id]} "
            f"| {u(f.name)} ({u(f.uid)}) | {e[f.message]} |\n"
        )

    def _md_waived(self, f: Failure) -> str:
        e, u = self._e, self._e.escape
        reason, owner, expires = f.waiver or ("", "", "")
        return (
            f"| {e[f.rule_id]} | {u(f.name)} ({u(f.uid)}) | {e[reason]} | {e[owner]} "
            f"| {e[expires]} |\n"
        )

    def _html_resource(self, f: Failure) -> str:
        u = self._e.escape
        return f'{u(f.name)}<span class="uid">{u(f.uid)}</span>'

    def _html_unjudged(self, f: Failure) -> str:
        e = self._e
        badge = (
            f'<span class="badge s-{e[f.bucket]}">'
            f"{e[BUCKET_SYMBOLS[f.bucket]]} {e[BUCKET_LABELS[f.bucket]]}</span>"
        )
        return (
            f"<tr><td>{badge}</td><td>{e[f.rule_id]}</td><td>{self._html_resource(f)}</td>"
            f"<td>{e[f.message]}</td></tr>"
        )

    def _html_waived(self, f: Failure) -> str:
        e = self._e
        reason, owner, expires = f.waiver or ("", "", "")
        return (
            f"<tr><td>{e[f.rule_id]}</td><td>{self._html_resource(f)}</td><td>{e[reason]}</td>"
            f"<td>{e[owner]}</td><td>{e[expires]}</td></tr>"
        )


def _html_escape(text: str) -> str:
    # What autoescape does to a string ({{ value }}), without building a Markup per value:
    # the five characters markupsafe escapes, ampersand first, in C-speed passes.
    return (
        text.replace("&", "&amp;")
        .replace(">", "&gt;")
        .replace("<", "&lt;")
        .replace("'", "&#39;")
        .replace('"', "&#34;")
    )


def _html_safe(text: str) -> str:
    return _html_escape(printable(text))


def _globals() -> dict[str, object]:
    return {
        "BUCKETS": BUCKETS,
        "LABELS": BUCKET_LABELS,
        "SYMBOLS": BUCKET_SYMBOLS,
        "TREND_KEYS": TREND_KEYS,
        "BAR_WIDTH": _BAR_WIDTH,
        "anchor": anchor,
        "verdict_symbol": verdict_symbol,
        "digest_command": DIGEST_COMMAND,
        "shorten": shorten,
    }


def verdict_symbol(verdict: str) -> str:
    """The shape that goes with a verdict, so it reads without colour."""
    return _VERDICT_SYMBOLS.get(verdict.split(" ", maxsplit=1)[0], "•")


_VERDICT_SYMBOLS = {
    "FAIL": "✗",
    "UNKNOWN": "?",
    "INCOMPLETE": "?",
    "PASS": "✓",
    "NOT": "○",
    "ATTESTATION": "✎",
}


def _csp_hash(css: str) -> str:
    # The stylesheet is allowed by its hash, so the page needs no 'unsafe-inline'.
    digest = hashlib.sha256(css.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


@cache
def _environment(kind: str) -> jinja2.Environment:
    """The Jinja2 environment of one format; built on first use, never at import."""
    loader = jinja2.PackageLoader("scanner.output", "templates")
    if kind == "html":
        env = jinja2.Environment(
            loader=loader,
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
    else:
        # Markdown has no autoescape of its own: every expression is escaped on output
        # unless a filter below built it as markup on purpose.
        env = jinja2.Environment(
            loader=loader,
            autoescape=False,  # noqa: S701  (escaping is done by `finalize`) undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            finalize=_md_finalize,
        )
        env.filters["fence"] = _md_fence
        env.filters["slug"] = lambda text: Markup(github_slug(text))  # noqa: S704  ([\w-] only)
        # A macro's output was escaped expression by expression inside it; `raw` stops the
        # finalizer from escaping it a second time.
        env.filters["raw"] = Markup
    return env


_MD_SPECIAL = "\\`*_[]<>|&~#"
# One C-level pass instead of a regex substitution per value: the report escapes every
# value it prints, hundreds of thousands of them for a large estate.
_MD_ESCAPES = str.maketrans({char: "\\" + char for char in _MD_SPECIAL})


def _md_escape_printable(text: str) -> str:
    # `md_escape` of text that is already `printable` (printable is idempotent).
    return text.translate(_MD_ESCAPES)


def md_escape(text: str) -> str:
    """`text` on one line with every markdown-active character backslash-escaped."""
    return printable(text).translate(_MD_ESCAPES)


def _md_finalize(value: object) -> object:
    if isinstance(value, Markup):
        return str(value)
    if isinstance(value, int | float):
        return value
    return md_escape(str(value))


def _md_fence(text: str, language: str = "") -> Markup:
    """A fenced code block longer than any backtick run inside `text`."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    body = "\n".join(printable(line) for line in text.splitlines())
    return Markup(f"{fence}{language}\n{body}\n{fence}")  # noqa: S704  (a code block is inert)


def github_slug(text: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to -."""
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")


def _tidy_markdown(text: str) -> str:
    # Templates are readable with blank lines around blocks; collapse runs of them. Each
    # pass shortens every run of three or more newlines and stops at two; str.replace
    # scans a large report many times faster than a regex substitution.
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip("\n") + "\n"


def anchor(prefix: str, text: str) -> str:
    """A stable HTML id built from our own names (never from cloud strings)."""
    return prefix + "-" + re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


# --- building the document -------------------------------------------------------------


def build_document(report: Report, title: str = DEFAULT_TITLE) -> Document:
    """The whole report as a `Document`; deterministic whatever the order of its inputs."""
    citations = _citations(report)
    counts = _Counts.of(report.findings, citations)
    families = _families(report, citations, counts)
    open_failures = report.open_failures()
    tally = Tally.from_counts(counts.total)
    unjudged = sorted(
        (f for f in report.findings if f.status in (Status.UNKNOWN, Status.ERROR)),
        key=severity_order,
    )
    failure = _Failures(partial(_rule_title, report))
    return Document(
        title=title,
        tool=f"{TOOL_NAME} {report.tool_version}",
        disclaimer=DISCLAIMER,
        verdict=_overall(report, tally),
        headline=_headline(report, tally, len(open_failures)),
        complete=report.complete,
        open_failures=len(open_failures),
        resources=report.resource_count,
        severities=tuple(report.failure_severity_counts().items()),
        families=families,
        concerns=_concerns(report, counts),
        worst=tuple(failure(f) for f in _worst(open_failures)),
        more_failures=max(0, len(open_failures) - WORST_COUNT),
        unknown=tally.counts["unknown"],
        error=tally.counts["error"],
        gap_count=len(report.gaps),
        gap_accounts=_gap_accounts(report.gaps),
        scopes=tuple(_scope_row(s) for s in sorted_scopes(report.scopes)),
        phi=_phi(report),
        started_at=report.started_at or "-",
        finished_at=report.finished_at or "-",
        digest=evidence_digest(report.findings),
        digest_count=len(report.findings),
        snapshots=tuple((printable(f.name), f.sha256) for f in sorted(report.snapshots)),
        failing_rules=_failing_rules(report, open_failures, citations),
        unjudged=tuple(failure(f) for f in unjudged),
        waivers=_waiver_rows(report),
        waived=tuple(failure(f) for f in sorted(report.waived_failures(), key=severity_order)),
        gaps=_gap_rows(report),
        attestations=tuple(
            (a, "; ".join(citation_text(c) for c in a.citations))
            for a in sorted(report.attestations, key=lambda a: a.id)
        ),
        trend=_trend(report, citations),
    )


@dataclass(frozen=True)
class _Counts:
    """Every tally the report prints, from one pass over the findings.

    Findings are grouped by (rule, citations, concern, status, waived) first: a large
    estate has hundreds of thousands of findings but only a few hundred such groups, and
    every table's counts are sums over the groups. A finding is counted once per specification
    it cites, once per safeguard family and once in the totals.
    """

    total: Counter[str]
    concern: dict[Concern, Counter[str]]
    section: dict[str, Counter[str]]
    section_rule: dict[tuple[str, str], Counter[str]]
    section_uids: dict[str, set[str]]
    shared: Counter[str]
    """Open failures of a section that also serve other sections."""
    shared_with: dict[str, set[str]]
    family: dict[str, Counter[str]]

    @classmethod
    def of(cls, findings: Iterable[Finding], citations: Mapping[str, Citation]) -> _Counts:
        """Count `findings`; `citations` maps each section to its safeguard family."""
        groups: Counter[tuple[str, tuple[str, ...], Concern, Status, bool]] = Counter()
        uids: dict[tuple[str, ...], set[str]] = defaultdict(set)
        for f in findings:
            # The bucket is worked out per group below: status and whether it is waived.
            groups[(f.rule_id, f.hipaa, f.concern, f.status, f.waiver is None)] += 1
            uids[f.hipaa].add(f.resource.uid)
        counts = cls(
            Counter(),
            defaultdict(Counter),
            defaultdict(Counter),
            defaultdict(Counter),
            defaultdict(set),
            Counter(),
            defaultdict(set),
            defaultdict(Counter),
        )
        for (rule_id, hipaa, concern, status, unwaived), n in groups.items():
            key = _bucket_of(status, waived=not unwaived)
            counts._add(rule_id, hipaa, concern, key, n, citations)
        for hipaa, found in uids.items():
            for section in hipaa:
                counts.section_uids[section].update(found)
        return counts

    def _add(
        self,
        rule_id: str,
        hipaa: tuple[str, ...],
        concern: Concern,
        key: str,
        n: int,
        citations: Mapping[str, Citation],
    ) -> None:
        self.total[key] += n
        self.concern[concern][key] += n
        for section in hipaa:
            self.section[section][key] += n
            self.section_rule[(section, rule_id)][key] += n
            if key == "fail" and len(hipaa) > 1:
                self.shared[section] += n
                self.shared_with[section].update(s for s in hipaa if s != section)
        for family in {citations[s].safeguard for s in hipaa if s in citations}:
            self.family[family][key] += n


def evidence_digest(findings: Iterable[Finding]) -> str:
    """sha256 of the sorted ``<fingerprint> <STATUS>`` lines (each ending in a newline).

    The same digest can be recomputed from the JSON report, so a reader can tell that a
    printed page and a machine-readable report describe the same verdicts.
    """
    # The status text looked up, not read through the enum's property half a million times.
    lines = sorted([f"{f.fingerprint} {_STATUS_TEXT[f.status]}\n" for f in findings])
    return hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()


def _citations(report: Report) -> dict[str, Citation]:
    citations: dict[str, Citation] = {}
    for meta in sorted(report.rules, key=lambda m: m.id):
        for citation in meta.citations:
            citations.setdefault(citation.section, citation)
    for attestation in sorted(report.attestations, key=lambda a: a.id):
        for citation in attestation.citations:
            citations.setdefault(citation.section, citation)
    return citations


def _families(
    report: Report, citations: Mapping[str, Citation], counts: _Counts
) -> tuple[Family, ...]:
    families = []
    for key, title, cfr in SAFEGUARDS:
        sections = sorted((s for s, c in citations.items() if c.safeguard == key), key=section_key)
        if not sections:
            continue
        specs = tuple(_spec(report, citations[s], counts) for s in sections)
        owed = len({a.id for spec in specs for a in spec.attestations})
        tally = Tally.from_counts(counts.family.get(key, {}))
        row = ChartRow(title, anchor("family", key), tally, owed)
        families.append(Family(key, row.anchor, title, cfr, row, specs))
    return tuple(families)


def _spec(report: Report, citation: Citation, counts: _Counts) -> Spec:
    section = citation.section
    rules = sorted((m for m in report.rules if citation in m.citations), key=lambda m: m.id)
    rows = []
    for m in rules:
        rule_tally = Tally.from_counts(counts.section_rule.get((section, m.id), {}))
        rows.append(
            RuleRow(
                m.id,
                m.title,
                m.severity.label,
                m.description,
                rule_tally,
                rule_tally.counts["fail"] > 0,
            )
        )
    tally = Tally.from_counts(counts.section.get(section, {}))
    others = sorted(counts.shared_with.get(section, ()), key=section_key)
    attestations = tuple(
        sorted((a for a in report.attestations if citation in a.citations), key=lambda a: a.id)
    )
    verdict = tally.verdict
    if attestations:
        owed = "ATTESTATION OWED"
        verdict = owed if verdict == "NOT EVALUATED" else f"{verdict} ({owed.lower()})"
    resources = len(counts.section_uids.get(section, ()))
    return Spec(
        section=section,
        anchor=anchor("spec", section),
        text=citation_text(citation),
        requirement=citation.requirement.value,
        verdict=verdict,
        sentence=_sentence(rules, tally, resources, attestations),
        rules=tuple(rows),
        tally=tally,
        shared=tuple(others),
        shared_count=counts.shared.get(section, 0),
        attestations=attestations,
    )


def _sentence(
    rules: Sequence[RuleMeta],
    tally: Tally,
    resources: int,
    attestations: Sequence[Attestation],
) -> str:
    parts = []
    if rules:
        where = f"{resources} resource{'s' if resources != 1 else ''}"
        if len(rules) <= 2:
            checked = "; ".join(m.title[0].lower() + m.title[1:] for m in rules)
            parts.append(f"Checked automatically on {where}: {checked}.")
        else:
            parts.append(f"Checked automatically by {len(rules)} rules (below) on {where}.")
        c = tally.counts
        parts.append(
            f"{c['pass']} passed, {c['fail']} failed unwaived, {c['waived']} failed under a "
            f"waiver, {c['unknown'] + c['error']} could not be judged."
        )
    else:
        parts.append("No cloud API can show this; a person must attest to it.")
    if rules and attestations:
        parts.append("Part of it no API can show: a person must also attest to it.")
    return " ".join(parts)


def _concerns(report: Report, counts: _Counts) -> tuple[ChartRow, ...]:
    owed = Counter(a.concern for a in report.attestations)
    return tuple(
        ChartRow(
            concern.value,
            anchor("concern", concern.value),
            Tally.from_counts(counts.concern.get(concern, {})),
            owed[concern],
        )
        for concern in Concern
        if concern in counts.concern or owed[concern]
    )


def _worst(open_failures: Sequence[Finding]) -> list[Finding]:
    # Critical first; within a severity, public exposure of PHI before anything else.
    # nsmallest is sorted(...)[:n] without sorting every open failure.
    return heapq.nsmallest(
        WORST_COUNT,
        open_failures,
        key=lambda f: (
            -int(f.severity),
            f.concern is not Concern.PUBLIC_EXPOSURE,
            f.rule_id,
            f.resource.name,
            f.resource.uid,
        ),
    )


class _Failures:
    """Builds the `Failure` rows of one document, sanitising each distinct value once.

    Accounts, regions, messages and evidence repeat across the rows of a large estate;
    names and uids do not, and are sanitised directly.
    """

    def __init__(self, rule_title: Callable[[str], str]) -> None:
        """`rule_title` names a rule by its id."""
        self._rule_title = rule_title
        self._text = _Escaped(printable)
        self._titles: dict[str, str] = {}
        self._values: dict[str, str] = {}

    def _title(self, rule_id: str) -> str:
        title = self._titles.get(rule_id)
        if title is None:
            title = self._titles[rule_id] = self._rule_title(rule_id)
        return title

    def _value(self, value: object) -> str:
        if isinstance(value, str):
            return self._text[value]
        return _json_value(self._values, value, printable)

    def __call__(self, finding: Finding) -> Failure:
        """`finding` as a table row, every cloud string sanitised."""
        ref = finding.resource
        p = self._text
        waiver = finding.waiver
        return Failure(
            rule_id=finding.rule_id,
            rule_title=self._title(finding.rule_id),
            severity=_SEVERITY_LABELS[finding.severity],
            concern=finding.concern.value,
            name=printable(ref.name),
            uid=printable(ref.uid),
            provider=ref.provider,
            account=p[ref.account],
            region=p[ref.region or "global"],
            message=p[finding.message],
            evidence=tuple([(p[k], self._value(v)) for k, v in sorted(finding.evidence.items())]),
            baseline=finding.baseline_state or "",
            sections=finding.hipaa,
            bucket=bucket(finding),
            waiver=(p[waiver.reason], p[waiver.owner or "-"], p[waiver.expires or "-"])
            if waiver
            else None,
        )


def _rule_title(report: Report, rule_id: str) -> str:
    try:
        return report.rule_meta(rule_id).title
    except KeyError:
        return rule_id


def _failing_rules(
    report: Report,
    open_failures: Sequence[Finding],
    citations: Mapping[str, Citation],
) -> tuple[FailingRule, ...]:
    per_rule: dict[str, list[Finding]] = defaultdict(list)
    for finding in open_failures:
        per_rule[finding.rule_id].append(finding)
    worst = {r: max(int(f.severity) for f in found) for r, found in per_rule.items()}
    out = []
    for rule_id in sorted(per_rule, key=lambda r: (-worst[r], r)):
        # Ties on name and uid go most severe first, then in report order (as a stable
        # sort of the severity-ordered list would leave them).
        findings = sorted(
            per_rule[rule_id],
            key=lambda f: (f.resource.name, f.resource.uid, -int(f.severity)),
        )
        meta = report.rule_meta(rule_id)
        providers = sorted({f.resource.provider for f in findings})
        out.append(
            FailingRule(
                id=rule_id,
                anchor=anchor("rule", rule_id),
                title=meta.title,
                severity=meta.severity.label,
                concern=meta.concern.value,
                description=meta.description,
                citations=tuple(
                    (anchor("spec", c.section), citation_text(c))
                    for c in meta.citations
                    if c.section in citations
                ),
                fixes=tuple(
                    Fix(p, fix.console, fix.cli, fix.terraform, fix.docs_url)
                    for p in providers
                    if (fix := meta.remediation.get(p)) is not None
                ),
                findings=tuple(findings),
            )
        )
    return tuple(out)


def _waiver_rows(report: Report) -> tuple[WaiverRow, ...]:
    return tuple(
        WaiverRow(
            state=o.state.value,
            where=o.entry.where,
            rules=", ".join(o.entry.rules),
            resources=", ".join(printable(r) for r in o.entry.resources) or "*",
            reason=printable(o.entry.reason),
            owner=printable(o.entry.owner),
            expires=o.entry.expires.isoformat(),
            matched=o.matched,
        )
        for o in report.review.waivers
    )


def _gap_rows(report: Report) -> tuple[GapRow, ...]:
    unknown_by_uid: dict[str, set[str]] = defaultdict(set)
    for finding in report.findings:
        if finding.status is Status.UNKNOWN:
            unknown_by_uid[finding.resource.uid].add(finding.rule_id)
    rows = []
    for gap in sorted(report.gaps, key=Gap.sort_key):
        if gap.resource_uid and unknown_by_uid.get(gap.resource_uid):
            rules = ", ".join(sorted(unknown_by_uid[gap.resource_uid]))
            prevented = f"{rules} could not judge {printable(gap.resource_uid)} (UNKNOWN)"
        elif gap.resource_uid:
            prevented = f"facts of {printable(gap.resource_uid)} from {gap.service} are missing"
        else:
            where = f"{gap.account or 'every account'} / {gap.region or 'every region'}"
            prevented = (
                f"{gap.service} resources that {gap.operation} lists in {printable(where)} "
                "were not read: no rule judged them, and they are not counted as passing"
            )
        rows.append(
            GapRow(
                gap.provider,
                printable(gap.account or "-"),
                printable(gap.region or "-"),
                f"{gap.service}:{gap.operation}",
                printable(gap.error_code),
                printable(gap.message),
                prevented,
            )
        )
    return tuple(rows)


def _gap_accounts(gaps: Sequence[Gap]) -> tuple[str, ...]:
    counts = Counter(f"{g.provider} {g.account or '-'}" for g in gaps)
    named = [
        printable(f"{where}: {n} gap{'s' if n != 1 else ''}") for where, n in sorted(counts.items())
    ]
    if len(named) > GAP_ACCOUNTS:
        rest = len(named) - GAP_ACCOUNTS
        named = [*named[:GAP_ACCOUNTS], f"{rest} more account{'s' if rest != 1 else ''}"]
    return tuple(named)


def shorten(text: str, limit: int = 64) -> str:
    """`text` cut in the middle to `limit` characters (the full value is in the evidence)."""
    if len(text) <= limit:
        return text
    head = limit // 3
    return f"{text[:head]}…{text[len(text) - (limit - head - 1) :]}"


def _scope_row(scope: Scope) -> ScopeRow:
    accounts = [printable(a) for a in sorted(scope.accounts)]
    regions = [printable(r) for r in sorted(scope.regions)]
    return ScopeRow(
        provider=scope.provider,
        accounts=", ".join(accounts) or "-",
        accounts_short=_first(accounts, SCOPE_ACCOUNTS, "account"),
        regions=", ".join(regions) or "-",
        regions_short=_first(regions, SCOPE_REGIONS, "region"),
        shard=scope.shard or "",
    )


def _first(names: Sequence[str], limit: int, noun: str) -> str:
    shown = ", ".join(names[:limit]) or "-"
    if len(names) > limit:
        shown += f" +{len(names) - limit} more (all {len(names)} {noun}s under About)"
    return shown


def _phi(report: Report) -> str:
    phi = report.phi
    if not phi.tags:
        return "no PHI tag given: every data-holding resource is treated as holding ePHI"
    # The same line every format prints: it names the resources scoped in only because
    # their tags could not be read, and warns when no resource carries the tags.
    return f"{phi_scope_text(phi)} (account-level rules apply everywhere)"


def _overall(report: Report, tally: Tally) -> str:
    if tally.counts["fail"]:
        return "FAIL"
    if not report.complete or tally.counts["unknown"]:
        return "INCOMPLETE"
    return "PASS" if tally.total else "NOT EVALUATED"


def _headline(report: Report, tally: Tally, open_count: int) -> str:
    noun = "failure" if open_count == 1 else "failures"
    parts = [f"{open_count} open {noun}"]
    if tally.counts["waived"]:
        parts.append(f"{tally.counts['waived']} waived")
    unjudged = tally.counts["unknown"] + tally.counts["error"]
    if report.complete and not unjudged:
        parts.append("the scan is complete")
    else:
        gaps = len(report.gaps)
        parts.append(
            f"the scan is INCOMPLETE: {gaps} gap{'s' if gaps != 1 else ''}, "
            f"{unjudged} verdict{'s' if unjudged != 1 else ''} could not be reached"
        )
    return "; ".join(parts) + "."


def _trend(report: Report, citations: Mapping[str, Citation]) -> Trend | None:
    review = report.review
    if review.baseline_source is None:
        return None
    family_of = {s: c.safeguard for s, c in citations.items()}

    def families(sections: Iterable[str]) -> set[str]:
        return {family_of[s] for s in sections if s in family_of} or {"unmapped"}

    def rule_sections(rule_id: str) -> tuple[str, ...]:
        try:
            return tuple(c.section for c in report.rule_meta(rule_id).citations)
        except KeyError:
            return ()

    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for finding in report.open_failures():
        if finding.baseline_state in ("new", "unchanged"):
            for family in families(finding.hipaa):
                counts[family][finding.baseline_state] += 1
    for previous in review.fixed:
        for family in families(rule_sections(previous.rule_id)):
            counts[family]["fixed"] += 1
    titles = {key: title for key, title, _ in SAFEGUARDS} | {"unmapped": "Rules no longer run"}
    order = [key for key, _, _ in SAFEGUARDS] + ["unmapped"]
    scale = max((sum(c.values()) for c in counts.values()), default=0)
    rows = tuple(
        TrendRow(
            titles[key],
            {k: counts[key][k] for k in TREND_KEYS},
            tuple(_segments([(k, k, counts[key][k]) for k in TREND_KEYS], scale)),
        )
        for key in order
        if key in counts
    )
    open_ = report.open_failures()
    totals = {
        "new": sum(1 for f in open_ if f.baseline_state == "new"),
        "unchanged": sum(1 for f in open_ if f.baseline_state == "unchanged"),
        "fixed": len(review.fixed),
        "not_rechecked": len(review.not_rechecked),
    }
    return Trend(
        source=printable(review.baseline_source),
        rows=rows,
        totals=totals,
        fixed=tuple(sorted((p.rule_id, printable(p.resource_uid)) for p in review.fixed)),
        not_rechecked=tuple(
            sorted((p.rule_id, printable(p.resource_uid)) for p in review.not_rechecked)
        ),
    )


def section_key(section: str) -> tuple[tuple[int, int | str], ...]:
    """Sort ``164.308(a)(1)(ii)(A)`` by its parts: numbers and roman numerals by value."""
    base, _, rest = section.partition("(")
    parts: list[tuple[int, int | str]] = [(0, int(p)) for p in base.split(".") if p.isdigit()]
    for part in re.findall(r"\(([^)]*)\)", "(" + rest):
        if part.isdigit():
            parts.append((0, int(part)))
        elif re.fullmatch(r"[ivx]+", part):
            # Level-1 parts are the letters (a)-(e), so i, v and x only occur as numerals.
            parts.append((0, _roman(part)))
        else:
            parts.append((1, part))
    return tuple(parts)


def _roman(text: str) -> int:
    values = {"i": 1, "v": 5, "x": 10}
    total = 0
    for i, char in enumerate(text):
        value = values[char]
        total += -value if i + 1 < len(text) and values[text[i + 1]] > value else value
    return total


__all__ = [
    "BUCKETS",
    "DISCLAIMER",
    "SAFEGUARDS",
    "Document",
    "HtmlFormatter",
    "MarkdownFormatter",
    "anchor",
    "build_document",
    "evidence_digest",
    "github_slug",
    "md_escape",
    "section_key",
]


def _json_value(seen: dict[str, str], value: object, finish: Callable[[str], str]) -> str:
    """A non-string evidence value as JSON text made safe by `finish`, remembered in `seen`.

    Keyed by repr, which tells JSON values apart (True from 1, 1 from 1.0) and costs far
    less than json.dumps; a dict seen in another key order is only a miss.
    """
    key = repr(value)
    found = seen.get(key)
    if found is None:
        found = seen[key] = finish(json.dumps(value, sort_keys=True))
    return found
