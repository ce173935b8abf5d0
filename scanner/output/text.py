"""The terminal report: what fails and how to fix it, what could not be judged, what is owed.

Sections, always in this order: header (tool, scope, time, resources and PHI scope), open
failures by severity, completeness (said loudly when the scan is incomplete), failures
grouped by rule (severity, title, a one-line fix per cloud, then the failing resources),
UNKNOWN/ERROR findings grouped by reason, gaps grouped by call and error, waived failures
(and waiver and baseline review when there is one), manual attestations owed, and a footer.

Every line fits `width` columns: long values wrap with indentation, and an entry longer
than a few lines is cut with ``...`` (the JSON report has every full value). Resource
lists are capped at `max_listed` entries per group with an ``... and K more`` line. Every
cloud-supplied string goes through `printable`, so it cannot drive the terminal; ANSI
colour is added only with ``color=True``, after the layout is computed, so it never
changes where a line breaks.
"""

from __future__ import annotations

import re
import textwrap
from collections import defaultdict
from collections.abc import Mapping, Sequence

from scanner import TOOL_NAME
from scanner.model import Finding, Gap, Severity, Status
from scanner.output.common import (
    SEVERITIES_DESC,
    citation_text,
    phi_scope_text,
    printable,
    severity_order,
    sorted_scopes,
    terminal_safe,
)
from scanner.report import Report
from scanner.rule import RuleMeta
from scanner.waivers import WaiverState

DEFAULT_WIDTH = 100
"""The width when the output is not a terminal and neither `--width` nor COLUMNS says."""
MIN_WIDTH = 40
"""Narrower layouts cannot hold the indentation plus a useful amount of text."""
DEFAULT_MAX_LISTED = 10
"""Resources listed per rule (and per reason, gap group, waiver list); 0 lists all."""
SCOPE_NAMES = 6
"""Accounts (and regions) named per cloud in the header; the JSON report names them all."""
ENTRY_LINES = 3
"""Lines one value may take before it is cut with ``...``."""
FIX_LINES = 2
"""Lines of a rule's console fix; the markdown and html reports have every step."""

INDENT = "  "
DETAIL = "      "
LABEL = 11

_RESET = "\x1b[0m"
_STYLES = {
    Severity.CRITICAL.label: "\x1b[1;31m",
    Severity.HIGH.label: "\x1b[31m",
    Severity.MEDIUM.label: "\x1b[33m",
    Severity.LOW.label: "\x1b[36m",
    Severity.INFO.label: "\x1b[2m",
    Status.UNKNOWN.value: "\x1b[33m",
    Status.ERROR.value: "\x1b[35m",
    "heading": "\x1b[1m",
    "alarm": "\x1b[1;31m",
    "ok": "\x1b[32m",
}

_SEVERITY_WORD = re.compile(rf"\b({'|'.join(s.label for s in Severity)})( \d)")


class TextFormatter:
    """Renders a `Report` as a human-readable terminal report that fits `width` columns."""

    def __init__(
        self,
        *,
        color: bool = False,
        width: int = DEFAULT_WIDTH,
        max_listed: int = DEFAULT_MAX_LISTED,
    ) -> None:
        """`color` adds ANSI colours, `width` bounds every line, `max_listed` caps lists.

        `width` is raised to `MIN_WIDTH`; `max_listed` 0 lists every resource.
        """
        self.color = color
        self.width = max(MIN_WIDTH, width)
        self.max_listed = max(0, max_listed)

    def render(self, report: Report) -> str:
        """The full report text, ending in a newline."""
        # Counted once: on a 100k-finding report each pass over the findings costs.
        counts = report.failure_severity_counts()
        sections = [
            self._header(report),
            self._severity(report, counts),
            self._completeness(report),
            self._failures(report),
            self._not_evaluated(report),
            self._gaps(report),
            self._waived(report),
            *self._review(report),
            self._attestations(report),
            self._footer(report, counts),
        ]
        text = "\n\n".join("\n".join(lines) for lines in sections) + "\n"
        # Every value is already escaped; this is the net under them, so that no string
        # from a cloud or a file can ever drive the terminal.
        return text if self.color else terminal_safe(text)

    # --- layout helpers ----------------------------------------------------------------

    def _paint(self, text: str, style: str) -> str:
        code = _STYLES.get(style)
        return f"{code}{text}{_RESET}" if self.color and code else text

    def _heading(self, text: str) -> list[str]:
        return [self._paint(line, "heading") for line in self._wrap(text, "", INDENT)]

    def _wrap(
        self, text: str, first: str, rest: str, max_lines: int | None = ENTRY_LINES
    ) -> list[str]:
        """`text` (already printable) after `first`, continued under `rest`, within width."""
        if len(first) + len(text) <= self.width:
            # Most values fit: skip textwrap, which is slow on 100k-finding reports.
            return [first + text] if text else [first.rstrip()]
        return textwrap.wrap(
            text,
            width=self.width,
            initial_indent=first,
            subsequent_indent=rest,
            break_long_words=True,
            break_on_hyphens=False,
            max_lines=max_lines,
            placeholder=" ...",
        ) or [first.rstrip()]

    def _more(self, hidden: int, what: str) -> list[str]:
        if hidden <= 0:
            return []
        return self._wrap(
            f"... and {hidden} more {what} (all of them: --format json)", INDENT, DETAIL
        )

    def _capped(self, items: Sequence[Finding]) -> tuple[Sequence[Finding], int]:
        if not self.max_listed or len(items) <= self.max_listed:
            return items, 0
        return items[: self.max_listed], len(items) - self.max_listed

    def _resource(self, finding: Finding, text: str, *, rule: bool = False) -> list[str]:
        """One resource entry: name, account, region and `text`; the uid below the name."""
        ref = finding.resource
        name = printable(ref.name or ref.uid)
        where = f"{printable(ref.account) or '-'} {_region(finding)}"
        new = " [new]" if finding.baseline_state == "new" else ""
        head = f"{finding.rule_id}  " if rule else ""
        lines = self._wrap(f"{head}{name}{new}  ({where}): {text}", f"{INDENT}- ", DETAIL)
        uid = printable(ref.uid)
        if uid != name:
            lines += self._wrap(uid, DETAIL, DETAIL)
        return lines

    # --- sections ----------------------------------------------------------------------

    def _header(self, report: Report) -> list[str]:
        lines = self._heading(f"{TOOL_NAME} {report.tool_version}: HIPAA Security Rule scan")
        rest = " " * LABEL
        label = "Scope"
        # One scope per account in the report; the header groups the accounts that share
        # provider, regions and profile on one line.
        grouped: dict[tuple[str, tuple[str, ...], str | None], list[str]] = {}
        for scope in sorted_scopes(report.scopes):
            key = (scope.provider, tuple(sorted(scope.regions)), scope.profile)
            grouped.setdefault(key, []).extend(scope.accounts)
        for (provider, regions, profile), accounts in grouped.items():
            named = _names(sorted(accounts), "accounts")
            where = _names(list(regions), "regions")
            suffix = f" (profile {printable(profile)})" if profile else ""
            value = f"{printable(provider)}: accounts {named}; regions {where}{suffix}"
            lines += self._wrap(value, f"{label:<{LABEL}}", rest + INDENT, max_lines=None)
            label = ""
        if not grouped:
            lines.append(f"{label:<{LABEL}}-")
        started = printable(report.started_at) or "-"
        finished = printable(report.finished_at) or "-"
        lines += self._wrap(f"{started} -> {finished}", f"{'Time':<{LABEL}}", rest)
        calls = "API call" if report.api_calls == 1 else "API calls"
        lines.append(f"{'Resources':<{LABEL}}{report.resource_count} ({report.api_calls} {calls})")
        lines += self._wrap(phi_scope_text(report.phi), rest, rest, max_lines=None)
        return lines

    def _severity(self, report: Report, counts: Mapping[str, int]) -> list[str]:
        total = sum(counts.values())
        waived = len(report.waived_failures())
        cells = "   ".join(f"{sev.label} {counts[sev.label]}" for sev in SEVERITIES_DESC)
        lines = self._wrap(cells, INDENT, INDENT)
        return [
            *self._heading(f"OPEN FAILURES BY SEVERITY: {total} open, {waived} waived"),
            *(_SEVERITY_WORD.sub(lambda m: self._paint(m[1], m[1]) + m[2], line) for line in lines),
        ]

    def _completeness(self, report: Report) -> list[str]:
        gaps = len(report.gaps)
        statuses = report.status_counts()
        unknown, error = statuses[Status.UNKNOWN.value], statuses[Status.ERROR.value]
        counts = (
            f"{_plural(gaps, 'gap')} (reads that failed), {unknown} UNKNOWN "
            f"(verdicts that could not be reached), {error} ERROR (rules that raised)"
        )
        if not _incomplete(report):
            return [
                *self._heading("COMPLETENESS"),
                *self._paint_lines(self._wrap(f"complete: {counts}.", INDENT, INDENT), "ok"),
            ]
        alarm = self._wrap("THE SCAN IS INCOMPLETE.", INDENT, INDENT)
        body = (
            f"{counts}. What could not be read or judged is not counted as passing: see "
            "NOT EVALUATED and GAPS below."
        )
        return [
            *self._heading("COMPLETENESS: INCOMPLETE"),
            *self._paint_lines(alarm, "alarm"),
            *self._wrap(body, INDENT, INDENT, max_lines=None),
        ]

    def _paint_lines(self, lines: list[str], style: str) -> list[str]:
        return [self._paint(line, style) for line in lines]

    def _failures(self, report: Report) -> list[str]:
        per_rule: dict[str, list[Finding]] = defaultdict(list)
        for finding in report.open_failures():
            per_rule[finding.rule_id].append(finding)
        total = sum(len(found) for found in per_rule.values())
        lines = self._heading(
            f"FAILURES BY RULE: {total} open in {_plural(len(per_rule), 'rule')}, most severe first"
        )
        if not per_rule:
            return [*lines, f"{INDENT}none"]
        order = sorted(per_rule, key=lambda r: (-int(per_rule[r][0].severity), r))
        for rule_id in order:
            found = sorted(per_rule[rule_id], key=severity_order)
            lines += ["", *self._rule_block(report, rule_id, found)]
        return lines

    def _rule_block(self, report: Report, rule_id: str, found: list[Finding]) -> list[str]:
        meta = _meta(report, rule_id)
        severity = found[0].severity.label
        title = printable(meta.title) if meta else ""
        count = f"{len(found)} resource" + ("" if len(found) == 1 else "s")
        text = f"{rule_id}  {title}  ({count})" if title else f"{rule_id}  ({count})"
        head = self._wrap(text, f"{severity:<10}", " " * 12)
        # Colour only the severity word, after wrapping, so the break points do not move.
        head[0] = self._paint(severity, severity) + head[0][len(severity) :]
        lines = head
        for provider in sorted({f.resource.provider for f in found}):
            fix = _fix_text(meta, provider)
            lines += self._wrap(fix, f"{INDENT}Fix ({provider}): ", DETAIL, max_lines=FIX_LINES)
        shown, hidden = self._capped(found)
        for finding in shown:
            lines += self._resource(finding, printable(finding.message))
        return lines + self._more(hidden, "failing resources of " + rule_id)

    def _not_evaluated(self, report: Report) -> list[str]:
        groups: dict[tuple[int, str, str], list[Finding]] = defaultdict(list)
        for finding in report.findings:
            if finding.status is Status.ERROR:
                groups[(0, "ERROR", "the rule raised an exception")].append(finding)
            elif finding.status is Status.UNKNOWN:
                groups[(1, "UNKNOWN", _unknown_reason(finding))].append(finding)
        total = sum(len(found) for found in groups.values())
        lines = self._heading(f"NOT EVALUATED: UNKNOWN / ERROR ({total}), by reason")
        if not groups:
            return [*lines, f"{INDENT}none"]
        # ERROR first, then the reasons that left the most verdicts open.
        for key in sorted(groups, key=lambda k: (k[0], -len(groups[k]), k[2])):
            found = sorted(groups[key], key=severity_order)
            _, status, reason = key
            head = self._wrap(f"{status} ({len(found)}): {reason}", "", INDENT)
            head[0] = self._paint(status, status) + head[0][len(status) :]
            lines += ["", *head]
            shown, hidden = self._capped(found)
            for finding in shown:
                lines += self._resource(finding, printable(finding.message), rule=True)
            lines += self._more(hidden, "findings with this reason")
        return lines

    def _gaps(self, report: Report) -> list[str]:
        groups: dict[tuple[str, str, str], list[Gap]] = defaultdict(list)
        for gap in report.gaps:
            call = f"{gap.service}:{gap.operation}"
            groups[(gap.provider, call, gap.error_code)].append(gap)
        lines = self._heading(f"GAPS: COULD NOT BE READ ({len(report.gaps)}), by call and error")
        if not groups:
            return [*lines, f"{INDENT}none"]
        for key in sorted(groups):
            found = sorted(groups[key], key=Gap.sort_key)
            provider, call, code = (printable(part) for part in key)
            lines += ["", *self._wrap(f"{provider} {call} {code} ({len(found)})", "", INDENT)]
            limit = self.max_listed or len(found)
            for gap in found[:limit]:
                where = f"{printable(gap.account) or '-'} {printable(gap.region) or '-'}"
                lines += self._wrap(f"{where}: {printable(gap.message)}", f"{INDENT}- ", DETAIL)
                if gap.resource_uid:
                    lines += self._wrap(f"resource {printable(gap.resource_uid)}", DETAIL, DETAIL)
            lines += self._more(len(found) - limit, "gaps of this call")
        return lines

    def _waived(self, report: Report) -> list[str]:
        waived = sorted(report.waived_failures(), key=severity_order)
        lines = self._heading(f"WAIVED FAILURES ({len(waived)})")
        if not waived:
            return [*lines, f"{INDENT}none"]
        shown, hidden = self._capped(waived)
        for finding in shown:
            assert finding.waiver is not None
            extra = [f"owner {finding.waiver.owner}"] if finding.waiver.owner else []
            extra += [f"expires {finding.waiver.expires}"] if finding.waiver.expires else []
            reason = printable(finding.waiver.reason + (f" ({', '.join(extra)})" if extra else ""))
            lines += self._resource(
                finding, f"{finding.severity.label}; waived: {reason}", rule=True
            )
        return lines + self._more(hidden, "waived failures")

    def _review(self, report: Report) -> list[list[str]]:
        """Expired and stale waivers, and the baseline comparison, when there are any."""
        sections = []
        review = report.review
        lapsed = [w for w in review.waivers if w.state is not WaiverState.ACTIVE]
        if lapsed:
            lines = self._heading(f"WAIVERS NEEDING ATTENTION ({len(lapsed)})")
            for w in lapsed:
                text = (
                    f"{w.state.value.upper()} {printable(w.entry.where)}: rules "
                    f"{printable(', '.join(w.entry.rules))}; expires "
                    f"{w.entry.expires.isoformat()}; owner {printable(w.entry.owner)}"
                )
                lines += self._wrap(text, f"{INDENT}- ", DETAIL)
            sections.append(lines)
        if review.baseline_source is not None:
            new = report.new_failures()
            unchanged = sum(1 for f in report.open_failures() if f.baseline_state == "unchanged")
            summary = (
                f"{len(new)} new (marked [new] above), {unchanged} unchanged, "
                f"{len(review.fixed)} fixed, {len(review.not_rechecked)} not re-checked "
                f"(baseline {printable(review.baseline_source)})"
            )
            lines = [*self._heading("SINCE THE BASELINE"), *self._wrap(summary, INDENT, INDENT)]
            for label, previous in (
                ("fixed", review.fixed),
                ("not re-checked", review.not_rechecked),
            ):
                listed = sorted(previous, key=lambda p: (p.rule_id, p.resource_uid))
                limit = self.max_listed or len(listed)
                for p in listed[:limit]:
                    name = printable(p.resource_name or p.resource_uid)
                    lines += self._wrap(f"{label}: {p.rule_id}  {name}", f"{INDENT}- ", DETAIL)
                lines += self._more(len(listed) - limit, f"{label} failures")
            sections.append(lines)
        return sections

    def _attestations(self, report: Report) -> list[str]:
        owed = sorted(report.attestations, key=lambda a: a.id)
        lines = self._heading(f"MANUAL ATTESTATIONS OWED ({len(owed)})")
        if not owed:
            return [*lines, f"{INDENT}none"]
        for a in owed:
            text = f"{a.id} ({a.concern.value}): {printable(a.title)}"
            lines += self._wrap(text, f"{INDENT}- ", DETAIL)
            cited = "; ".join(citation_text(c) for c in a.citations)
            lines += self._wrap(cited, DETAIL, DETAIL)
        return lines

    def _footer(self, report: Report, counts: Mapping[str, int]) -> list[str]:
        note = (
            f"Lines are fitted to {self.width} columns: long values wrap or are cut with "
            "'...'. Full values, evidence and every resource: --format json; full fixes "
            "(console, CLI, Terraform): --format markdown or html."
        )
        return [
            *self._wrap(result_line(report, counts), "", INDENT, max_lines=None),
            *self._wrap(note, "", "", max_lines=None),
        ]


def result_line(report: Report, counts: Mapping[str, int] | None = None) -> str:
    """The result: open failures by severity and whether the scan was complete.

    `counts` are the report's `failure_severity_counts`, when the caller has them already.
    """
    counts = report.failure_severity_counts() if counts is None else counts
    total = sum(counts.values())
    parts = [f"{counts[s.label]} {s.label}" for s in SEVERITIES_DESC if counts[s.label]]
    detail = f" ({', '.join(parts)})" if parts else ""
    noun = "failure" if total == 1 else "failures"
    return f"Result: {total} open {noun}{detail}; scan {_completeness_text(report)}."


def _incomplete(report: Report) -> bool:
    # A verdict that could not be reached leaves the scan incomplete even without a gap.
    return not report.complete or bool(report.status_counts()[Status.UNKNOWN.value])


def _completeness_text(report: Report) -> str:
    if not _incomplete(report):
        return "complete"
    statuses = report.status_counts()
    parts = [_plural(len(report.gaps), "gap")] if report.gaps else []
    if statuses[Status.UNKNOWN.value]:
        parts.append(f"{statuses[Status.UNKNOWN.value]} UNKNOWN")
    if statuses[Status.ERROR.value]:
        parts.append(_plural(statuses[Status.ERROR.value], "rule error"))
    return f"INCOMPLETE ({', '.join(parts)})"


def _unknown_reason(finding: Finding) -> str:
    """Why a verdict could not be reached: the failed reads behind it, when recorded."""
    calls = finding.evidence.get("gaps")
    if isinstance(calls, list) and calls:
        reads = "; ".join(printable(str(c)) for c in calls)
        if finding.evidence.get("scope") is True:
            return f"a listing failed: {reads}"
        return f"a read failed: {reads}"
    return "the facts it needs were not reported (no gap recorded)"


def _meta(report: Report, rule_id: str) -> RuleMeta | None:
    try:
        return report.rule_meta(rule_id)
    except KeyError:
        return None


def _fix_text(meta: RuleMeta | None, provider: str) -> str:
    """The rule's console fix for `provider` (cut to `FIX_LINES` when laid out)."""
    fix = meta.remediation.get(provider) if meta else None
    if fix is None:
        return f"no {provider} remediation is recorded for this rule."
    return printable(fix.console)


def _names(names: Sequence[str], noun: str) -> str:
    shown = ", ".join(printable(n) for n in names[:SCOPE_NAMES]) or "-"
    if len(names) > SCOPE_NAMES:
        shown += f" and {len(names) - SCOPE_NAMES} more {noun}"
    return shown


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _region(finding: Finding) -> str:
    return printable(finding.resource.region) or "global"
