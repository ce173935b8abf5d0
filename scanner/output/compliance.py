"""The auditor-facing compliance report, as markdown or HTML.

Organised per HIPAA safeguard (administrative, physical, technical, documentation) and
per cited implementation specification: which rules cover it, their PASS / FAIL / waived
/ UNKNOWN / ERROR counts, the failing resources, and the manual attestations still owed.
Both formats are rendered from one small document model, so they always say the same.
Every cloud-supplied string is escaped: resource names must not become markup.
"""

from __future__ import annotations

import html
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from scanner import TOOL_NAME
from scanner.model import Finding, Gap, Status
from scanner.output.common import (
    citation_text,
    gap_cells,
    phi_scope_text,
    printable,
    severity_order,
    sorted_scopes,
)
from scanner.report import Report
from scanner.rule import Attestation, Citation, RuleMeta

SAFEGUARDS = (
    ("administrative", "Administrative safeguards (45 CFR 164.308)"),
    ("physical", "Physical safeguards (45 CFR 164.310)"),
    ("technical", "Technical safeguards (45 CFR 164.312)"),
    ("policies-and-documentation", "Policies, procedures and documentation (45 CFR 164.316)"),
)
DISCLAIMER = (
    "This report is configuration evidence for the HIPAA Security Rule safeguards that cloud "
    "APIs can show. It is not a certification: PASS means the checked setting was found, and "
    "controls no API can prove are listed as manual attestations still owed."
)

_RULE_COLUMNS = (Status.PASS, Status.FAIL, "waived", Status.UNKNOWN, Status.ERROR)
"""The per-rule count columns; "waived" FAILs are counted apart from open ones."""


@dataclass(frozen=True)
class _Heading:
    level: int
    text: str


@dataclass(frozen=True)
class _Para:
    text: str
    strong: bool = False


@dataclass(frozen=True)
class _Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class _Bullets:
    items: tuple[str, ...]


_Block = _Heading | _Para | _Table | _Bullets


@dataclass(frozen=True)
class _Coverage:
    """What the report says about one cited implementation specification."""

    citation: Citation
    rules: tuple[RuleMeta, ...]
    findings: tuple[Finding, ...]
    attestations: tuple[Attestation, ...]

    @cached_property
    def open_failures(self) -> list[Finding]:
        return [f for f in self.findings if f.status is Status.FAIL and f.waiver is None]

    @property
    def verdict(self) -> str:
        statuses = {f.status for f in self.findings}
        if self.open_failures:
            return "FAIL"
        if statuses & {Status.UNKNOWN, Status.ERROR}:
            return "UNKNOWN"
        if self.findings:
            return "PASS" if not self.attestations else "PASS (attestation owed)"
        if self.attestations:
            return "ATTESTATION OWED"
        return "NOT EVALUATED"


class MarkdownFormatter:
    """Renders a `Report` as the compliance report in markdown."""

    def __init__(self) -> None:
        """No options."""

    def render(self, report: Report) -> str:
        """The compliance report as markdown, ending in a newline."""
        return _markdown(compliance_blocks(report))


class HtmlFormatter:
    """Renders a `Report` as the compliance report in a standalone HTML page."""

    def __init__(self, *, title: str = "HIPAA Security Rule compliance report") -> None:
        """`title` is the page title and top heading."""
        self.title = title

    def render(self, report: Report) -> str:
        """The compliance report as an HTML document, ending in a newline."""
        return _html(compliance_blocks(report, self.title), self.title)


def compliance_blocks(
    report: Report, title: str = "HIPAA Security Rule compliance report"
) -> list[_Block]:
    """The report as a list of document blocks (headings, paragraphs, tables, lists)."""
    coverage = _coverage(report)
    blocks: list[_Block] = [_Heading(1, title), *_overview(report), _Para(DISCLAIMER)]
    blocks += _summary(coverage)
    for safeguard, heading in SAFEGUARDS:
        entries = [c for c in coverage if c.citation.safeguard == safeguard]
        if not entries:
            continue
        blocks.append(_Heading(2, heading))
        for entry in entries:
            blocks += _citation_blocks(entry)
    blocks += _attestation_blocks(report.attestations)
    blocks += _gap_blocks(report.gaps)
    return blocks


def _coverage(report: Report) -> list[_Coverage]:
    citations: dict[str, Citation] = {}
    rules_by: dict[str, list[RuleMeta]] = defaultdict(list)
    attestations_by: dict[str, list[Attestation]] = defaultdict(list)
    for meta in sorted(report.rules, key=lambda m: m.id):
        for citation in meta.citations:
            citations.setdefault(citation.section, citation)
            rules_by[citation.section].append(meta)
    for attestation in sorted(report.attestations, key=lambda a: a.id):
        for citation in attestation.citations:
            citations.setdefault(citation.section, citation)
            attestations_by[citation.section].append(attestation)
    findings_by: dict[str, list[Finding]] = defaultdict(list)
    for finding in report.findings:
        for section in finding.hipaa:
            findings_by[section].append(finding)
    return [
        _Coverage(
            citation=citations[section],
            rules=tuple(rules_by[section]),
            findings=tuple(findings_by[section]),
            attestations=tuple(attestations_by[section]),
        )
        for section in sorted(citations, key=section_key)
    ]


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


def _overview(report: Report) -> list[_Block]:
    scopes = "; ".join(
        f"{s.provider} {', '.join(sorted(s.accounts)) or '-'}" for s in sorted_scopes(report.scopes)
    )
    completeness = "yes" if report.complete else f"no ({len(report.gaps)} gaps; see below)"
    return [
        _Bullets(
            (
                f"Tool: {TOOL_NAME} {report.tool_version}",
                f"Scope: {scopes or '-'}",
                f"Scan time: {report.started_at or '-'} to {report.finished_at or '-'}",
                f"Complete: {completeness}",
                f"Resources: {report.resource_count}",
                phi_scope_text(report.phi),
            )
        )
    ]


def _summary(coverage: Sequence[_Coverage]) -> list[_Block]:
    rows = tuple(
        (
            citation_text(c.citation),
            c.verdict,
            ", ".join(m.id for m in c.rules) or "-",
            str(len(c.open_failures)),
            str(len(c.attestations)),
        )
        for c in coverage
    )
    header = ("HIPAA specification", "Status", "Rules", "Open failures", "Attestations owed")
    return [_Heading(2, "Summary"), _Table(header, rows)]


def _citation_blocks(entry: _Coverage) -> list[_Block]:
    blocks: list[_Block] = [
        _Heading(3, citation_text(entry.citation)),
        _Para(f"Status: {entry.verdict}", strong=True),
    ]
    if entry.rules:
        # One pass over the citation's findings, not one per rule citing it.
        counts = Counter(
            (f.rule_id, "waived" if f.status is Status.FAIL and f.waiver is not None else f.status)
            for f in entry.findings
        )
        rows = [
            (
                meta.id,
                meta.title,
                meta.severity.label,
                *(str(counts[(meta.id, column)]) for column in _RULE_COLUMNS),
            )
            for meta in entry.rules
        ]
        header = ("Rule", "Title", "Severity", "PASS", "FAIL", "Waived", "UNKNOWN", "ERROR")
        blocks.append(_Table(header, tuple(rows)))
    failures = sorted(entry.open_failures, key=severity_order)
    if failures:
        blocks.append(_Para("Failing resources:"))
        blocks.append(
            _Table(
                ("Rule", "Resource", "Account", "Region", "Finding"),
                tuple(
                    (
                        f.rule_id,
                        printable(f.resource.uid),
                        f.resource.account,
                        f.resource.region or "global",
                        printable(f.message),
                    )
                    for f in failures
                ),
            )
        )
    if entry.attestations:
        items = tuple(f"{a.id}: {a.title}" for a in entry.attestations)
        blocks += [_Para("Manual attestations owed:"), _Bullets(items)]
    return blocks


def _attestation_blocks(attestations: Sequence[Attestation]) -> list[_Block]:
    blocks: list[_Block] = [_Heading(2, "Manual attestations owed")]
    if not attestations:
        return [*blocks, _Para("None.")]
    rows = tuple(
        (a.id, a.title, "; ".join(citation_text(c) for c in a.citations), a.description)
        for a in sorted(attestations, key=lambda a: a.id)
    )
    return [*blocks, _Table(("Id", "Title", "HIPAA", "What to confirm"), rows)]


def _gap_blocks(gaps: Sequence[Gap]) -> list[_Block]:
    blocks: list[_Block] = [_Heading(2, "Gaps: what could not be read")]
    if not gaps:
        return [*blocks, _Para("None: every configured check could read its facts.")]
    rows = tuple(gap_cells(g) for g in sorted(gaps, key=Gap.sort_key))
    header = ("Provider", "Account", "Region", "Call", "Error", "Message")
    return [*blocks, _Table(header, rows)]


def _md_escape(text: str) -> str:
    # Cloud strings may hold markdown or HTML; escape what could start a link, emphasis,
    # code, raw HTML or a table cell (parentheses are harmless once brackets are escaped).
    return re.sub(r"([\\`*_\[\]<>|])", r"\\\1", printable(text))


def _markdown(blocks: Sequence[_Block]) -> str:
    out: list[str] = []
    for block in blocks:
        if isinstance(block, _Heading):
            out.append(f"{'#' * block.level} {_md_escape(block.text)}")
        elif isinstance(block, _Para):
            text = _md_escape(block.text)
            out.append(f"**{text}**" if block.strong else text)
        elif isinstance(block, _Bullets):
            out.append("\n".join(f"- {_md_escape(item)}" for item in block.items))
        else:
            lines = [
                "| " + " | ".join(_md_escape(h) for h in block.header) + " |",
                "|" + "|".join(" --- " for _ in block.header) + "|",
            ]
            lines += ["| " + " | ".join(_md_escape(c) for c in row) + " |" for row in block.rows]
            out.append("\n".join(lines))
    return "\n\n".join(out) + "\n"


_CSS = (
    "body{font-family:system-ui,sans-serif;margin:2em;max-width:80em}"
    "table{border-collapse:collapse;margin:.5em 0}"
    "th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}"
    "th{background:#f3f3f3}"
)


def _html(blocks: Sequence[_Block], title: str) -> str:
    esc = html.escape
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        '<head><meta charset="utf-8">',
        f"<title>{esc(title)}</title>",
        f"<style>{_CSS}</style></head>",
        "<body>",
    ]
    for block in blocks:
        if isinstance(block, _Heading):
            out.append(f"<h{block.level}>{esc(block.text)}</h{block.level}>")
        elif isinstance(block, _Para):
            text = esc(printable(block.text))
            out.append(f"<p><strong>{text}</strong></p>" if block.strong else f"<p>{text}</p>")
        elif isinstance(block, _Bullets):
            items = "".join(f"<li>{esc(printable(i))}</li>" for i in block.items)
            out.append(f"<ul>{items}</ul>")
        else:
            head = "".join(f"<th>{esc(h)}</th>" for h in block.header)
            body = "".join(
                "<tr>" + "".join(f"<td>{esc(printable(c))}</td>" for c in row) + "</tr>"
                for row in block.rows
            )
            out.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"
