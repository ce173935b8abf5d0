"""The compliance report's per-finding rows, built in Python, match the template loops.

The rows of "Failures by rule", "Verdicts that could not be reached" and "Waived failures"
are f-strings (a Jinja macro per row was most of a large report's cost). These tests
render the same findings through the original template loops, in the same Jinja
environments (HTML autoescape; the markdown finalizer), and require identical bytes, with
attacker-chosen text in every cloud-supplied field. The escaping shortcuts are checked
against the functions they stand in for.
"""

from __future__ import annotations

import dataclasses
import json
import random
import re
from collections.abc import Sequence

import pytest
from markupsafe import escape

from scanner.model import Finding
from scanner.output.common import printable
from scanner.output.compliance import (
    Failure,
    _environment,
    _Failures,
    _globals,
    _html_escape,
    _html_safe,
    _Rows,
    _tidy_markdown,
    bucket,
    md_escape,
)
from scanner.report import Report
from tests.core.test_output_compliance import ANSI, HOSTILE_NAME, HOSTILE_SID, merged_report

MD_LOOPS = {
    "failures": (
        "{% macro evidence(f) %}{% for k, v in f.evidence %}{{ k }} = {{ v }}"
        "{% if not loop.last %}; {% endif %}{% else %}-{% endfor %}{% endmacro %}"
        "{% for f in rows %}\n"
        "| {{ f.name }} ({{ f.uid }}) | {{ f.provider }} {{ f.account }} {{ f.region }} "
        "| {{ f.message }} | {{ evidence(f)|raw }} |"
        "{% if trend %} {{ f.baseline or '-' }} |{% endif %}\n\n{% endfor %}\n"
    ),
    "unjudged": (
        "{% for f in rows %}\n| {{ SYMBOLS[f.bucket] }} {{ LABELS[f.bucket] }} "
        "| {{ f.rule_id }} | {{ f.name }} ({{ f.uid }}) | {{ f.message }} |\n{% endfor %}\n"
    ),
    "waived": (
        "{% for f in rows %}\n| {{ f.rule_id }} | {{ f.name }} ({{ f.uid }}) "
        "| {{ f.waiver[0] }} | {{ f.waiver[1] }} | {{ f.waiver[2] }} |\n{% endfor %}\n"
    ),
}
HTML_RESOURCE = (
    '{% macro resource(f) %}{{ f.name }}<span class="uid">{{ f.uid }}</span>{% endmacro %}'
)
HTML_LOOPS = {
    "failures": HTML_RESOURCE
    + "{% macro evidence(f) %}{% for k, v in f.evidence %}<code>{{ k }}</code> = <code>{{ v }}"
    '</code>{% if not loop.last %}<br>{% endif %}{% else %}<span class="muted">-</span>'
    "{% endfor %}{% endmacro %}"
    "{% for f in rows %}<tr><td>{{ resource(f) }}</td><td>{{ f.provider }} "
    '<span class="acct">{{ f.account }}</span><span class="uid">{{ f.region }}</span></td>'
    "<td>{{ f.message }}</td><td>{{ evidence(f) }}</td>"
    "{% if trend %}<td>{{ f.baseline or '-' }}</td>{% endif %}</tr>{% endfor %}",
    "unjudged": HTML_RESOURCE
    + '{% macro badge(key) %}<span class="badge s-{{ key }}">{{ SYMBOLS[key] }} '
    "{{ LABELS[key] }}</span>{% endmacro %}"
    "{% for f in rows %}<tr><td>{{ badge(f.bucket) }}</td><td>{{ f.rule_id }}</td>"
    "<td>{{ resource(f) }}</td><td>{{ f.message }}</td></tr>{% endfor %}",
    "waived": HTML_RESOURCE
    + "{% for f in rows %}<tr><td>{{ f.rule_id }}</td><td>{{ resource(f) }}</td>"
    "<td>{{ f.waiver[0] }}</td><td>{{ f.waiver[1] }}</td><td>{{ f.waiver[2] }}</td></tr>"
    "{% endfor %}",
}
NASTY = (
    HOSTILE_NAME,
    HOSTILE_SID,
    ANSI,
    "  two\tspaces\nand a newline  ",
    "&amp; <b>'quoted' \"double\"</b>",
    "under_score *star* [link](x) ~tilde~ #hash \\back",
    "bidi \u202eevil\u202c zero\u200bwidth \x85 next-line",
    "",
)
EVIDENCE_VALUES = (True, 1, 1.0, 0, False, None, [1, True, "x|y"], {"b": 2, "a": [None]}, "1")


def reference_failure(report: Report, finding: Finding) -> Failure:
    """A finding's row as the report built it before the rows moved to Python."""
    ref = finding.resource
    try:
        title = report.rule_meta(finding.rule_id).title
    except KeyError:
        title = finding.rule_id
    waiver = finding.waiver
    return Failure(
        rule_id=finding.rule_id,
        rule_title=title,
        severity=finding.severity.label,
        concern=finding.concern.value,
        name=printable(ref.name),
        uid=printable(ref.uid),
        provider=ref.provider,
        account=printable(ref.account),
        region=printable(ref.region or "global"),
        message=printable(finding.message),
        evidence=tuple(
            (printable(k), printable(v if isinstance(v, str) else json.dumps(v, sort_keys=True)))
            for k, v in sorted(finding.evidence.items())
        ),
        baseline=finding.baseline_state or "",
        sections=finding.hipaa,
        bucket=bucket(finding),
        waiver=(
            printable(waiver.reason),
            printable(waiver.owner or "-"),
            printable(waiver.expires or "-"),
        )
        if waiver
        else None,
    )


def hostile_findings(report: Report) -> list[Finding]:
    """Every finding of `report`, and copies with nasty text in every cloud-supplied field."""
    findings = list(report.findings)
    rng = random.Random(14)
    for i, finding in enumerate(report.findings):
        text = NASTY[i % len(NASTY)]
        evidence: dict[str, object] = {
            f"{NASTY[(i + j) % len(NASTY)]}{j}": EVIDENCE_VALUES[(i + j) % len(EVIDENCE_VALUES)]
            for j in range(i % 4)
        }
        findings.append(
            dataclasses.replace(
                finding,
                resource=dataclasses.replace(
                    finding.resource,
                    name=text + finding.resource.name,
                    uid=finding.resource.uid + text,
                    account=rng.choice(NASTY),
                    region="" if i % 3 == 0 else rng.choice(NASTY),
                ),
                message=f"{text} {finding.message}",
                evidence=evidence,  # type: ignore[arg-type]
            )
        )
    return findings


def reference(kind: str, section: str, rows: Sequence[Failure], trend: bool) -> str:
    """`rows` through the template loop the report used to run."""
    loops = HTML_LOOPS if kind == "html" else MD_LOOPS
    template = _environment(kind).from_string(loops[section])
    return template.render(rows=rows, trend=trend, **_globals())


def rows_of(kind: str) -> _Rows:
    """The row builder the formatter of `kind` uses."""
    if kind == "html":
        return _Rows(_html_safe, _html_escape, html=True)
    return _Rows(md_escape, md_escape, html=False)


@pytest.mark.parametrize("kind", ["md", "html"])
@pytest.mark.parametrize("trend", [False, True])
def test_failure_rows_match_the_template_loop(kind: str, trend: bool) -> None:
    report = merged_report()
    findings = hostile_findings(report)
    expected = reference(kind, "failures", [reference_failure(report, f) for f in findings], trend)
    assert len(findings) > 2 * len(NASTY)
    assert expected.count("<tr>" if kind == "html" else "\n| ") >= len(findings) - 1
    assert str(rows_of(kind).findings(findings, trend)) == expected


@pytest.mark.parametrize("kind", ["md", "html"])
@pytest.mark.parametrize("section", ["unjudged", "waived"])
def test_unjudged_and_waived_rows_match_the_template_loop(kind: str, section: str) -> None:
    report = merged_report()
    findings = [
        f
        for f in hostile_findings(report)
        if (f.waiver is not None) == (section == "waived") and bucket(f) != "fail"
    ]
    assert {bucket(f) for f in findings} == (
        {"waived"} if section == "waived" else {"pass", "unknown", "error"}
    )
    build = _Failures(lambda rule_id: report.rule_meta(rule_id).title)
    rows = [build(f) for f in findings]
    assert rows == [reference_failure(report, f) for f in findings]
    expected = reference(kind, section, rows, trend=False)
    built = rows_of(kind).unjudged(rows) if section == "unjudged" else rows_of(kind).waived(rows)
    assert str(built) == expected


def test_failure_rows_on_demand_match_the_reference() -> None:
    report = merged_report()
    build = _Failures(lambda rule_id: report.rule_meta(rule_id).title)
    findings = hostile_findings(report)
    assert [build(f) for f in findings] == [reference_failure(report, f) for f in findings]


def test_html_escape_is_markupsafes() -> None:
    texts = [*NASTY, "".join(chr(c) for c in range(0x300)), "&&<<>>''\"\"", "&#39;"]
    for text in texts:
        assert _html_escape(text) == str(escape(text))
        assert _html_safe(text) == str(escape(printable(text)))


def test_tidy_markdown_collapses_blank_line_runs_like_the_regex() -> None:
    rng = random.Random(7)
    for _ in range(500):
        text = "".join(rng.choice("\n\n\na ") for _ in range(rng.randrange(0, 40)))
        expected = re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"
        assert _tidy_markdown(text) == expected, repr(text)
