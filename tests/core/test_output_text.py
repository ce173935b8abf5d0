"""The terminal report: exact lines for the sample estate, ordering, colour, escaping."""

from __future__ import annotations

import dataclasses

import pytest

from scanner.model import Status
from scanner.output import FORMATTERS, TextFormatter, get_formatter
from scanner.output.text import result_line
from scanner.report import PhiScope
from tests.core.sample import sample_report


@pytest.fixture(scope="module")
def text() -> str:
    return TextFormatter().render(sample_report())


def _section(text: str, title: str) -> list[str]:
    """The lines of the section whose heading starts with `title`, heading excluded."""
    blocks = text.split("\n\n")
    for block in blocks:
        lines = block.splitlines()
        if lines and lines[0].startswith(title):
            return lines[1:]
    raise AssertionError(f"no section {title!r} in:\n{text}")


def test_header_names_version_scope_time_completeness_phi_and_calls(text: str) -> None:
    assert text.splitlines()[:8] == [
        "hipaa-scan 0.1.0: HIPAA Security Rule scan",
        "Scope      aws: accounts 111111111111, 222222222222; regions eu-west-1, us-east-1"
        " (profile prod)",
        "           azure: accounts 0f1e2d3c-aaaa-bbbb-cccc-123456789abc; regions eastus",
        "           gcp: accounts phi-project; regions us-central1",
        "Time       2025-01-06T03:00:00Z -> 2025-01-06T03:02:00Z",
        "Complete   INCOMPLETE (2 gaps, 1 rule error)",
        "Resources  10; PHI scope: all 9 data resources (no --phi-tag)",
        "API calls  45",
    ]


def test_failures_table_is_sorted_by_severity_then_rule_then_resource(text: str) -> None:
    lines = _section(text, "FAILURES (7 open, 1 waived)")
    rows = [line.split()[:3] for line in lines[2:] if not line.startswith(" ")]
    assert rows == [
        ["critical", "PUB-BKT-01", "phi-data"],
        ["high", "EAR-BKT-01", "PhiStore"],
        ["high", "EAR-BKT-01", "gcs-phi"],
        ["high", "EAR-BKT-01", "phi-data"],
        ["medium", "IAM-ROLE-01", "app/admin"],
        ["medium", "IAM-ROLE-01", "app:admin"],
        ["info", "LOG-TRL-01", "main"],
    ]
    assert lines[0].split() == ["SEVERITY", "RULE", "RESOURCE", "ACCOUNT", "REGION", "MESSAGE"]
    assert lines[1] == (
        "--------  -----------  ---------  ------------------------------------  "
        "-----------  -------"
    )
    assert lines[2] == (
        "critical  PUB-BKT-01   phi-data   111111111111"
        "                          us-east-1    Bucket phi-data is public."
    )
    # The full uid follows each row, under the RESOURCE column.
    assert lines[3] == "                       arn:aws:s3:::phi-data"


def test_waived_failure_is_listed_apart_with_its_reason(text: str) -> None:
    lines = _section(text, "WAIVED FAILURES (1)")
    assert lines[2] == (
        "high      EAR-BKT-01  archive   111111111111  us-east-1  "
        "Archive is encrypted client-side (owner sec, expires 2026-01-01)"
    )
    failures = _section(text, "FAILURES (7 open")
    assert not any("archive" in line for line in failures)


def test_unknown_and_error_findings_show_their_reason(text: str) -> None:
    lines = _section(text, "NOT EVALUATED: UNKNOWN / ERROR (2)")
    assert lines[2] == (
        "ERROR    EAR-VOL-01  vol-1     111111111111  us-east-1  "
        "rule EAR-VOL-01 raised RuntimeError: boom"
    )
    assert lines[4] == (
        "UNKNOWN  PUB-BKT-01  locked    111111111111  eu-west-1  "
        "Bucket locked: policy could not be read."
    )


def test_gaps_are_listed_with_call_code_and_resource(text: str) -> None:
    lines = _section(text, "GAPS: COULD NOT BE READ (2)")
    assert lines[2] == (
        "aws       111111111111  ap-south-1  ec2:DescribeVolumes  "
        "UnauthorizedOperation  You are not authorized"
    )
    assert lines[3] == (
        "aws       111111111111  eu-west-1   s3:GetBucketPolicy   "
        "AccessDenied           User is not authorized to perform "
        "s3:GetBucketPolicy"
    )
    assert lines[4].strip() == "resource arn:aws:s3:::locked"


def test_summary_by_concern_and_status(text: str) -> None:
    lines = _section(text, "SUMMARY BY CONCERN")
    assert lines[0].split() == ["CONCERN", "PASS", "FAIL", "UNKNOWN", "ERROR"]
    table = {line.split()[0]: [int(n) for n in line.split()[1:]] for line in lines[2:]}
    assert table == {
        "encryption-at-rest": [2, 4, 0, 1],
        "encryption-in-transit": [0, 0, 0, 0],
        "audit-logging": [0, 1, 0, 0],
        "public-exposure": [2, 1, 1, 0],
        "access-control": [0, 2, 0, 0],
        "backup-recovery": [0, 0, 0, 0],
        "agreements": [0, 0, 0, 0],
        "total": [4, 8, 1, 1],
    }
    # Numbers are right-aligned under their headers.
    assert lines[2] == "encryption-at-rest        2     4        0      1"


def test_severity_summary_counts_only_unwaived_failures(text: str) -> None:
    lines = _section(text, "OPEN FAILURES BY SEVERITY")
    assert [line.split() for line in lines[2:]] == [
        ["critical", "1"],
        ["high", "3"],
        ["medium", "2"],
        ["low", "0"],
        ["info", "1"],
    ]


def test_attestations_owed_and_result_line(text: str) -> None:
    lines = _section(text, "MANUAL ATTESTATIONS OWED (1)")
    assert lines[2] == "AGR-BAA-01  agreements  Signed BAA with each cloud provider"
    assert lines[3] == (
        "  45 CFR 164.308(b)(1) Business associate contracts and other arrangements (required)"
    )
    assert text.endswith(
        "Result: 7 open failures (1 critical, 3 high, 2 medium, 1 info); "
        "scan INCOMPLETE (2 gaps, 1 rule error).\n"
    )


def test_plain_ascii_without_colour_and_ansi_with_it(text: str) -> None:
    assert "\x1b" not in text
    assert text.isascii()
    coloured = TextFormatter(color=True).render(sample_report())
    assert "\x1b[1;31mcritical\x1b[0m" in coloured
    assert "\x1b[33mUNKNOWN\x1b[0m" in coloured
    # Colour codes wrap padded cells, so stripping them gives back the plain report.
    stripped = coloured
    for code in (
        "\x1b[0m",
        "\x1b[1;31m",
        "\x1b[31m",
        "\x1b[33m",
        "\x1b[36m",
        "\x1b[2m",
        "\x1b[35m",
        "\x1b[32m",
        "\x1b[1m",
    ):
        stripped = stripped.replace(code, "")
    assert stripped == text


def test_render_does_not_depend_on_input_order(text: str) -> None:
    assert TextFormatter().render(sample_report(shuffle_seed=7)) == text


def test_hostile_names_and_messages_cannot_inject_terminal_sequences() -> None:
    report = sample_report()
    finding = next(f for f in report.findings if f.resource.name == "phi-data")
    evil = dataclasses.replace(
        finding,
        resource=dataclasses.replace(finding.resource, name="bad\x1b[2Jname\nrow"),
        message="line one\nline two \x07bell",
    )
    rendered = TextFormatter().render(dataclasses.replace(report, findings=(evil,)))
    assert "\x1b" not in rendered and "\x07" not in rendered
    assert "bad\\x1b[2Jname row" in rendered
    assert "line one line two \\x07bell" in rendered


def test_complete_scan_with_phi_tags_and_no_failures() -> None:
    report = sample_report()
    passes = tuple(f for f in report.findings if f.status is Status.PASS)
    clean = dataclasses.replace(
        report,
        findings=passes,
        gaps=(),
        attestations=(),
        phi=PhiScope(tags=("data=phi",), in_scope=4, out_of_scope=5),
    )
    rendered = TextFormatter().render(clean)
    assert "Complete   complete" in rendered
    assert "Resources  10; PHI scope: 4 of 9 data resources carry data=phi" in rendered
    assert _section(rendered, "FAILURES (0 open, 0 waived)") == ["  none"]
    assert _section(rendered, "GAPS: COULD NOT BE READ (0)") == ["  none"]
    assert _section(rendered, "MANUAL ATTESTATIONS OWED (0)") == ["  none"]
    assert result_line(clean) == "Result: 0 open failures; scan complete."


def test_registry_builds_every_formatter_with_defaults() -> None:
    assert set(FORMATTERS) == {"text", "json", "sarif", "markdown", "html"}
    report = sample_report()
    for name in FORMATTERS:
        assert get_formatter(name).render(report).endswith("\n")
    assert isinstance(get_formatter("text", color=True), TextFormatter)
    with pytest.raises(ValueError, match="unknown output format 'xml'"):
        get_formatter("xml")
