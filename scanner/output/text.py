"""The terminal report: what failed, what could not be judged, what is still owed.

Sections, always in this order and always present (``none`` when empty): header,
open failures (most severe first), waived failures, UNKNOWN/ERROR findings with their
reason, gaps, summary by concern x status, open failures by severity, manual attestations
owed, and a one-line result. Plain ASCII columns; ANSI colour only with ``color=True``.
Resource names and cloud messages are escaped so they cannot inject terminal sequences.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from scanner import TOOL_NAME
from scanner.model import Concern, Finding, Gap, Severity, Status
from scanner.output.common import (
    SEVERITIES_DESC,
    citation_text,
    gap_cells,
    phi_scope_text,
    printable,
    severity_order,
    sorted_scopes,
    terminal_safe,
)
from scanner.report import Report
from scanner.waivers import WaiverState

NAME_WIDTH = 40
"""Longer resource names are cut in the RESOURCE column; the full uid follows below."""

_RESET = "\x1b[0m"
_STYLES = {
    Severity.CRITICAL.label: "\x1b[1;31m",
    Severity.HIGH.label: "\x1b[31m",
    Severity.MEDIUM.label: "\x1b[33m",
    Severity.LOW.label: "\x1b[36m",
    Severity.INFO.label: "\x1b[2m",
    Status.FAIL.value: "\x1b[31m",
    Status.UNKNOWN.value: "\x1b[33m",
    Status.ERROR.value: "\x1b[35m",
    Status.PASS.value: "\x1b[32m",
    "heading": "\x1b[1m",
}


@dataclass(frozen=True)
class _Row:
    """One table row and an optional full-width detail line printed under it."""

    cells: tuple[str, ...]
    detail: str = ""


class TextFormatter:
    """Renders a `Report` as a human-readable terminal report."""

    def __init__(self, *, color: bool = False) -> None:
        """`color` adds ANSI colours to headings, severities and statuses."""
        self.color = color

    def render(self, report: Report) -> str:
        """The full report text, ending in a newline."""
        sections = [
            self._header(report),
            self._failures(report),
            self._waived(report),
            *self._review(report),
            self._not_evaluated(report),
            self._gaps(report),
            self._concern_summary(report),
            self._severity_summary(report),
            self._attestations(report),
            [result_line(report)],
        ]
        text = "\n\n".join("\n".join(lines) for lines in sections) + "\n"
        # Every cell and header value is already escaped; this is the net under them, so
        # that no string from a cloud or a file can ever drive the terminal.
        return text if self.color else terminal_safe(text)

    def _paint(self, text: str, style: str) -> str:
        code = _STYLES.get(style)
        return f"{code}{text}{_RESET}" if self.color and code else text

    def _heading(self, text: str) -> str:
        return self._paint(text, "heading")

    def _header(self, report: Report) -> list[str]:
        lines = [self._heading(f"{TOOL_NAME} {report.tool_version}: HIPAA Security Rule scan")]
        scopes = sorted_scopes(report.scopes)
        label = "Scope"
        # The report has one scope per account; a terminal header groups the accounts that
        # share provider, regions and profile on one line.
        grouped: dict[tuple[str, tuple[str, ...], str | None], list[str]] = {}
        for scope in scopes:
            key = (scope.provider, tuple(sorted(scope.regions)), scope.profile)
            grouped.setdefault(key, []).extend(scope.accounts)
        for (provider, scope_regions, scope_profile), scope_accounts in grouped.items():
            accounts = ", ".join(printable(a) for a in sorted(scope_accounts)) or "-"
            regions = ", ".join(printable(r) for r in scope_regions) or "-"
            profile = f" (profile {printable(scope_profile)})" if scope_profile else ""
            lines.append(
                f"{label:<11}{printable(provider)}: accounts {accounts}; regions {regions}{profile}"
            )
            label = ""
        if not scopes:
            lines.append(f"{label:<11}-")
        started = printable(report.started_at) or "-"
        finished = printable(report.finished_at) or "-"
        lines.append(f"{'Time':<11}{started} -> {finished}")
        lines.append(f"{'Complete':<11}{_completeness(report)}")
        lines.append(f"{'Resources':<11}{report.resource_count}; {_phi_text(report)}")
        lines.append(f"{'API calls':<11}{report.api_calls}")
        return lines

    def _failures(self, report: Report) -> list[str]:
        failures = sorted(report.open_failures(), key=severity_order)
        waived = report.waived_failures()
        title = f"FAILURES ({len(failures)} open, {len(waived)} waived)"
        rows = [_finding_row(f, f.severity.label, printable(f.message)) for f in failures]
        header = ("SEVERITY", "RULE", "RESOURCE", "ACCOUNT", "REGION", "MESSAGE")
        return [self._heading(title), *self._table(header, rows, styled=(0,))]

    def _waived(self, report: Report) -> list[str]:
        waived = sorted(report.waived_failures(), key=severity_order)
        rows = []
        for f in waived:
            assert f.waiver is not None
            extra = [f"owner {f.waiver.owner}"] if f.waiver.owner else []
            extra += [f"expires {f.waiver.expires}"] if f.waiver.expires else []
            reason = printable(f.waiver.reason) + (f" ({', '.join(extra)})" if extra else "")
            rows.append(_finding_row(f, f.severity.label, reason))
        header = ("SEVERITY", "RULE", "RESOURCE", "ACCOUNT", "REGION", "WAIVER")
        return [
            self._heading(f"WAIVED FAILURES ({len(waived)})"),
            *self._table(header, rows, styled=(0,)),
        ]

    def _review(self, report: Report) -> list[list[str]]:
        """Expired and stale waivers, and the baseline comparison, when there are any."""
        sections = []
        review = report.review
        lapsed = [w for w in review.waivers if w.state is not WaiverState.ACTIVE]
        if lapsed:
            rows = [
                _Row(
                    (
                        w.state.value.upper(),
                        printable(w.entry.where),
                        printable(", ".join(w.entry.rules)),
                        w.entry.expires.isoformat(),
                        printable(w.entry.owner),
                    ),
                    "",
                )
                for w in lapsed
            ]
            sections.append(
                [
                    self._heading(f"WAIVERS NEEDING ATTENTION ({len(lapsed)})"),
                    *self._table(
                        ("STATE", "ENTRY", "RULES", "EXPIRES", "OWNER"), rows, styled=(0,)
                    ),
                ]
            )
        if review.baseline_source is not None:
            new = report.new_failures()
            lines = [
                self._heading("SINCE THE BASELINE"),
                f"{len(new)} new, {len(review.fixed)} fixed, "
                f"{len(review.not_rechecked)} not re-checked "
                f"(baseline {printable(review.baseline_source)})",
            ]
            lines += [f"  NEW    {f.rule_id} {printable(_name(f))}" for f in new]
            lines += [
                f"  FIXED  {p.rule_id} {printable(p.resource_name or p.resource_uid)}"
                for p in review.fixed
            ]
            sections.append(lines)
        return sections

    def _not_evaluated(self, report: Report) -> list[str]:
        found = sorted(
            (f for f in report.findings if f.status in (Status.UNKNOWN, Status.ERROR)),
            key=lambda f: (f.status is not Status.ERROR, *severity_order(f)),
        )
        rows = [_finding_row(f, f.status.value, printable(f.message)) for f in found]
        header = ("STATUS", "RULE", "RESOURCE", "ACCOUNT", "REGION", "REASON")
        title = f"NOT EVALUATED: UNKNOWN / ERROR ({len(found)})"
        return [self._heading(title), *self._table(header, rows, styled=(0,))]

    def _gaps(self, report: Report) -> list[str]:
        gaps = sorted(report.gaps, key=Gap.sort_key)
        rows = [
            _Row(gap_cells(g), f"resource {printable(g.resource_uid)}" if g.resource_uid else "")
            for g in gaps
        ]
        header = ("PROVIDER", "ACCOUNT", "REGION", "CALL", "ERROR", "MESSAGE")
        title = f"GAPS: COULD NOT BE READ ({len(gaps)})"
        return [self._heading(title), *self._table(header, rows)]

    def _concern_summary(self, report: Report) -> list[str]:
        counts = report.concern_counts()
        statuses = [s.value for s in Status]
        rows = [_Row((c.value, *(str(counts[c.value][s]) for s in statuses))) for c in Concern]
        totals = report.status_counts()
        rows.append(_Row(("total", *(str(totals[s]) for s in statuses))))
        table = self._table(("CONCERN", *statuses), rows, right=range(1, 1 + len(statuses)))
        return [self._heading("SUMMARY BY CONCERN"), *table]

    def _severity_summary(self, report: Report) -> list[str]:
        counts = report.failure_severity_counts()
        rows = [_Row((sev.label, str(counts[sev.label]))) for sev in SEVERITIES_DESC]
        table = self._table(("SEVERITY", "OPEN FAILURES"), rows, styled=(0,), right=(1,))
        return [self._heading("OPEN FAILURES BY SEVERITY"), *table]

    def _attestations(self, report: Report) -> list[str]:
        owed = sorted(report.attestations, key=lambda a: a.id)
        rows = [
            _Row((a.id, a.concern.value, a.title), "; ".join(citation_text(c) for c in a.citations))
            for a in owed
        ]
        title = f"MANUAL ATTESTATIONS OWED ({len(owed)})"
        return [self._heading(title), *self._table(("ID", "CONCERN", "TITLE"), rows)]

    def _table(
        self,
        header: Sequence[str],
        rows: Sequence[_Row],
        *,
        styled: Sequence[int] = (),
        right: Sequence[int] = (),
    ) -> list[str]:
        """Left-aligned columns two spaces apart; the last column is not padded."""
        if not rows:
            return ["  none"]
        rows = [_Row(tuple(printable(c) for c in row.cells), printable(row.detail)) for row in rows]
        widths = [
            max(len(header[i]), *(len(row.cells[i]) for row in rows)) for i in range(len(header))
        ]
        detail_indent = sum(widths[:2]) + 4 if len(header) > 3 else 2
        lines = [
            self._line(header, widths, (), right),
            self._line(_rule_line(header, widths, right), widths, (), ()),
        ]
        for row in rows:
            lines.append(self._line(row.cells, widths, styled, right))
            if row.detail:
                lines.append(" " * detail_indent + row.detail)
        return lines

    def _line(
        self,
        cells: Sequence[str],
        widths: Sequence[int],
        styled: Sequence[int],
        right: Sequence[int],
    ) -> str:
        out = []
        last = len(cells) - 1
        for i, raw in enumerate(cells):
            cell = printable(raw)
            if i in right:
                padded = cell.rjust(widths[i])
            elif i == last:
                padded = cell
            else:
                padded = cell.ljust(widths[i])
            out.append(self._paint(padded, cell) if i in styled else padded)
        return "  ".join(out).rstrip()


def _rule_line(
    header: Sequence[str], widths: Sequence[int], right: Sequence[int]
) -> tuple[str, ...]:
    # The last (unpadded) column's rule only underlines its header: messages can be long.
    last = len(header) - 1
    return tuple(
        "-" * (len(header[i]) if i == last and i not in right else widths[i])
        for i in range(len(header))
    )


def result_line(report: Report) -> str:
    """The last line: open failures by severity and whether the scan was complete."""
    counts = report.failure_severity_counts()
    total = sum(counts.values())
    parts = [f"{counts[s.label]} {s.label}" for s in SEVERITIES_DESC if counts[s.label]]
    detail = f" ({', '.join(parts)})" if parts else ""
    noun = "failure" if total == 1 else "failures"
    return f"Result: {total} open {noun}{detail}; scan {_completeness(report)}."


def _completeness(report: Report) -> str:
    if report.complete:
        return "complete"
    errors = report.status_counts()[Status.ERROR.value]
    parts = [_plural(len(report.gaps), "gap")] if report.gaps else []
    parts += [_plural(errors, "rule error")] if errors else []
    return f"INCOMPLETE ({', '.join(parts)})"


def _phi_text(report: Report) -> str:
    return phi_scope_text(report.phi)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _finding_row(finding: Finding, first: str, last: str) -> _Row:
    # The failure, waiver and not-evaluated tables differ only in their first and last cell.
    cells = (first, finding.rule_id, _name(finding), finding.resource.account, _region(finding))
    return _Row((*cells, last), _uid_detail(finding))


def _name(finding: Finding) -> str:
    name = printable(finding.resource.name or finding.resource.uid)
    return name if len(name) <= NAME_WIDTH else name[: NAME_WIDTH - 3] + "..."


def _region(finding: Finding) -> str:
    return finding.resource.region or "global"


def _uid_detail(finding: Finding) -> str:
    return printable(finding.resource.uid)
