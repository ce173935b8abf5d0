"""The terminal report: exact lines for the sample estate, order, width, caps, colour, escaping."""

from __future__ import annotations

import dataclasses
import re

import pytest

from scanner.cli.report import text_width, use_colour
from scanner.model import Scope, Status
from scanner.output import FORMATTERS, TextFormatter, get_formatter
from scanner.output.text import MIN_WIDTH, result_line
from scanner.report import PhiScope, Report
from tests.core.sample import sample_report
from tests.core.test_output_compliance import merged_report

ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture(scope="module")
def text() -> str:
    return TextFormatter().render(sample_report())


HEADINGS = (
    "OPEN FAILURES BY SEVERITY",
    "COMPLETENESS",
    "FAILURES BY RULE",
    "NOT EVALUATED",
    "GAPS",
    "WAIVED FAILURES",
    "WAIVERS NEEDING ATTENTION",
    "SINCE THE BASELINE",
    "MANUAL ATTESTATIONS OWED",
    "Result:",
)


def _headings(text: str) -> list[str]:
    """The section headings, in order (the prefix of each that `HEADINGS` names)."""
    return [h for line in text.splitlines() for h in HEADINGS if line.startswith(h)]


def _section(text: str, title: str) -> list[str]:
    """The lines under the heading that starts with `title`, up to the next heading."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith(title)), None)
    assert start is not None, f"no section {title!r} in:\n{text}"
    body = []
    for line in lines[start + 1 :]:
        if line.startswith(HEADINGS):
            break
        body.append(line)
    while body and not body[-1]:
        body.pop()
    return body


def _widest(text: str) -> int:
    return max(len(ANSI.sub("", line)) for line in text.splitlines())


def test_header_names_version_scope_time_resources_and_phi_scope(text: str) -> None:
    assert text.splitlines()[:7] == [
        "hipaa-scan 0.1.0: HIPAA Security Rule scan",
        "Scope      aws: accounts 111111111111, 222222222222; regions eu-west-1, us-east-1"
        " (profile prod)",
        "           azure: accounts 0f1e2d3c-aaaa-bbbb-cccc-123456789abc; regions eastus",
        "           gcp: accounts phi-project; regions us-central1",
        "Time       2025-01-06T03:00:00Z -> 2025-01-06T03:02:00Z",
        "Resources  10 (45 API calls)",
        "           PHI scope: all 9 data resources (no --phi-tag)",
    ]


def test_a_long_account_list_is_cut_in_the_header() -> None:
    report = sample_report()
    many = tuple(f"{n:012d}" for n in range(1, 9))
    wide = dataclasses.replace(report, scopes=(Scope("aws", many, ("us-east-1",)),))
    assert TextFormatter().render(wide).splitlines()[1] == (
        "Scope      aws: accounts 000000000001, 000000000002, 000000000003, 000000000004,"
        " 000000000005,"
    )
    assert TextFormatter().render(wide).splitlines()[2] == (
        "             000000000006 and 2 more accounts; regions us-east-1"
    )


def test_counts_and_completeness_come_first_then_failures_then_the_rest(text: str) -> None:
    assert _headings(text) == [
        "OPEN FAILURES BY SEVERITY",
        "COMPLETENESS",
        "FAILURES BY RULE",
        "NOT EVALUATED",
        "GAPS",
        "WAIVED FAILURES",
        "MANUAL ATTESTATIONS OWED",
        "Result:",
    ]
    assert _section(text, "OPEN FAILURES BY SEVERITY: 7 open, 1 waived") == [
        "  critical 1   high 3   medium 2   low 0   info 1"
    ]


def test_an_incomplete_scan_says_so_loudly_with_its_counts(text: str) -> None:
    assert _section(text, "COMPLETENESS: INCOMPLETE") == [
        "  THE SCAN IS INCOMPLETE.",
        "  2 gaps (reads that failed), 1 UNKNOWN (verdicts that could not be reached), 1 ERROR"
        " (rules that",
        "  raised). What could not be read or judged is not counted as passing: see NOT EVALUATED"
        " and GAPS",
        "  below.",
    ]


def test_failures_are_grouped_by_rule_with_title_fix_and_resources(text: str) -> None:
    lines = _section(text, "FAILURES BY RULE: 7 open in 4 rules, most severe first")
    heads = [line.split()[:2] for line in lines if line and not line.startswith(" ")]
    assert heads == [
        ["critical", "PUB-BKT-01"],
        ["high", "EAR-BKT-01"],
        ["medium", "IAM-ROLE-01"],
        ["info", "LOG-TRL-01"],
    ]
    block = lines[lines.index("") + 1 : lines.index("", 1)]
    assert block == [
        "critical  PUB-BKT-01  Storage bucket is not public  (1 resource)",
        "  Fix (aws): S3 console > bucket > Properties > Default encryption > SSE-KMS.",
        "  - phi-data  (111111111111 us-east-1): Bucket phi-data is public.",
        "      arn:aws:s3:::phi-data",
    ]
    # One fix per cloud the rule fails on; the resources of every cloud under one rule.
    encryption = lines[lines.index(next(x for x in lines if x.startswith("high"))) :]
    assert encryption[1:4] == [
        "  Fix (aws): S3 console > bucket > Properties > Default encryption > SSE-KMS.",
        "  Fix (azure): Storage account > Encryption > Customer-managed keys.",
        "  Fix (gcp): Cloud Storage > bucket > Configuration > Encryption > CMEK.",
    ]
    start = lines.index(encryption[0])
    names = [line.split()[1] for line in lines[start:] if line.startswith("  - ")][:3]
    assert names == ["PhiStore", "gcs-phi", "phi-data"]
    # A waived failure is not an open one.
    assert not any("archive" in line for line in lines)


def test_failing_resources_are_capped_per_rule_with_a_count_of_the_rest() -> None:
    capped = TextFormatter(max_listed=1).render(sample_report())
    lines = _section(capped, "FAILURES BY RULE")
    assert "  ... and 2 more failing resources of EAR-BKT-01 (all of them: --format json)" in lines
    assert "  ... and 1 more failing resources of IAM-ROLE-01 (all of them: --format json)" in lines
    assert sum(1 for line in lines if line.startswith("  - ")) == 4
    everything = TextFormatter(max_listed=0).render(sample_report())
    assert not any("more failing" in line for line in everything.splitlines())
    assert (
        sum(1 for line in _section(everything, "FAILURES BY RULE") if line.startswith("  - ")) == 7
    )


def test_unknown_and_error_are_grouped_by_reason(text: str) -> None:
    assert _section(text, "NOT EVALUATED: UNKNOWN / ERROR (2), by reason") == [
        "",
        "ERROR (1): the rule raised an exception",
        "  - EAR-VOL-01  vol-1  (111111111111 us-east-1): rule EAR-VOL-01 raised RuntimeError:"
        " boom",
        "      arn:aws:ec2:us-east-1:111111111111:volume/vol-1",
        "",
        "UNKNOWN (1): a read failed: s3:GetBucketPolicy AccessDenied",
        "  - PUB-BKT-01  locked  (111111111111 eu-west-1): Bucket locked: policy could not be"
        " read.",
        "      arn:aws:s3:::locked",
    ]


def test_gaps_are_grouped_by_call_and_error(text: str) -> None:
    assert _section(text, "GAPS: COULD NOT BE READ (2), by call and error") == [
        "",
        "aws ec2:DescribeVolumes UnauthorizedOperation (1)",
        "  - 111111111111 ap-south-1: You are not authorized",
        "",
        "aws s3:GetBucketPolicy AccessDenied (1)",
        "  - 111111111111 eu-west-1: User is not authorized to perform s3:GetBucketPolicy",
        "      resource arn:aws:s3:::locked",
    ]


def test_waived_failures_are_listed_apart_with_their_reason(text: str) -> None:
    assert _section(text, "WAIVED FAILURES (1)") == [
        "  - EAR-BKT-01  archive  (111111111111 us-east-1): high; waived: Archive is encrypted"
        " client-side",
        "      (owner sec, expires 2026-01-01)",
        "      arn:aws:s3:::archive",
    ]


def test_attestations_and_footer(text: str) -> None:
    assert _section(text, "MANUAL ATTESTATIONS OWED (1)") == [
        "  - AGR-BAA-01 (agreements): Signed BAA with each cloud provider",
        "      45 CFR 164.308(b)(1) Business associate contracts and other arrangements (required)",
    ]
    assert text.endswith(
        "Result: 7 open failures (1 critical, 3 high, 2 medium, 1 info); scan INCOMPLETE"
        " (2 gaps, 1 UNKNOWN,\n"
        "  1 rule error).\n"
        "Lines are fitted to 100 columns: long values wrap or are cut with '...'. Full values,"
        " evidence and\n"
        "every resource: --format json; full fixes (console, CLI, Terraform): --format markdown"
        " or html.\n"
    )


def test_waiver_review_and_baseline_comparison_when_there_are_any() -> None:
    merged = TextFormatter().render(merged_report())
    assert _section(merged, "WAIVERS NEEDING ATTENTION (2)") == [
        "  - STALE waivers.yml: waivers[1]: rules EAR-BKT-01; expires 2025-06-30; owner"
        " sec@example.org",
        "  - EXPIRED waivers.yml: waivers[2]: rules EAR-BKT-01; expires 2024-12-31; owner"
        " sec@example.org",
    ]
    assert _section(merged, "SINCE THE BASELINE") == [
        "  8 new (marked [new] above), 1 unchanged, 1 fixed, 1 not re-checked (baseline"
        " previous.json)",
        "  - fixed: IAM-ROLE-01  ops",
        "  - not re-checked: PUB-BKT-01  locked",
    ]
    failures = _section(merged, "FAILURES BY RULE")
    assert "  - c-logs [new]  (333333333333 us-west-2): Bucket c-logs is public." in failures
    assert "  - phi-data  (111111111111 us-east-1): Bucket phi-data is public." in failures
    # Without waivers or a baseline, neither section appears.
    assert "WAIVERS NEEDING" not in TextFormatter().render(sample_report())


def _long_report() -> Report:
    """The sample with a 300-character name, uid and message on one failure."""
    report = sample_report()
    long = "x" * 120 + " " + "y" * 180
    findings = tuple(
        dataclasses.replace(
            f,
            resource=dataclasses.replace(
                f.resource, name="n" * 300, uid="arn:aws:s3:::" + "u" * 300
            ),
            message=long,
        )
        if f.resource.name == "phi-data"
        else f
        for f in report.findings
    )
    return dataclasses.replace(report, findings=findings)


@pytest.mark.parametrize("width", [MIN_WIDTH, 80, 100, 120, 200])
def test_no_line_is_wider_than_the_width(width: int) -> None:
    for color in (False, True):
        rendered = TextFormatter(width=width, color=color).render(_long_report())
        assert _widest(rendered) <= width
    # Long values wrap with indentation and are cut with "..." after a few lines.
    plain = TextFormatter(width=width).render(_long_report())
    entry = [line for line in plain.splitlines() if line.startswith("  - nnn")]
    assert entry and all(line.startswith("  - ") for line in entry)
    assert " ..." in plain


def test_a_width_below_the_minimum_is_raised_to_it() -> None:
    assert TextFormatter(width=5).width == MIN_WIDTH
    assert _widest(TextFormatter(width=5).render(sample_report())) <= MIN_WIDTH


def test_plain_ascii_without_colour_and_ansi_only_with_it(text: str) -> None:
    assert "\x1b" not in text
    assert text.isascii()
    coloured = TextFormatter(color=True).render(sample_report())
    assert "\x1b[1;31mcritical\x1b[0m  PUB-BKT-01" in coloured
    assert "\x1b[1;31mcritical\x1b[0m 1   \x1b[31mhigh\x1b[0m 3" in coloured
    assert "\x1b[33mUNKNOWN\x1b[0m (1): a read failed" in coloured
    assert "\x1b[1;31m  THE SCAN IS INCOMPLETE.\x1b[0m" in coloured
    # Colour never moves a line break: without its codes the coloured report is the plain one.
    assert ANSI.sub("", coloured) == text


def test_render_is_deterministic_and_independent_of_input_order(text: str) -> None:
    assert TextFormatter().render(sample_report(shuffle_seed=7)) == text
    assert TextFormatter().render(sample_report()) == text


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
    coloured = TextFormatter(color=True).render(dataclasses.replace(report, findings=(evil,)))
    assert "\x07" not in coloured and "\x1b[2J" not in coloured


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
    assert _section(rendered, "COMPLETENESS") == [
        "  complete: 0 gaps (reads that failed), 0 UNKNOWN (verdicts that could not be reached),"
        " 0 ERROR",
        "  (rules that raised).",
    ]
    assert "           PHI scope data=phi: 4 in scope, 5 out of scope" in rendered
    assert _section(rendered, "FAILURES BY RULE: 0 open in 0 rules") == ["  none"]
    assert _section(rendered, "GAPS: COULD NOT BE READ (0)") == ["  none"]
    assert _section(rendered, "MANUAL ATTESTATIONS OWED (0)") == ["  none"]
    assert result_line(clean) == "Result: 0 open failures; scan complete."


def test_an_unknown_without_a_gap_still_makes_the_scan_incomplete() -> None:
    report = sample_report()
    kept = tuple(f for f in report.findings if f.status is not Status.ERROR)
    unknown_only = dataclasses.replace(report, findings=kept, gaps=())
    assert result_line(unknown_only).endswith("scan INCOMPLETE (1 UNKNOWN).")
    rendered = TextFormatter().render(unknown_only)
    assert "UNKNOWN (1): a read failed: s3:GetBucketPolicy AccessDenied" in rendered


@pytest.mark.parametrize(
    ("to_stdout", "tty", "env", "expected"),
    [
        (True, True, {}, True),
        (True, False, {}, False),
        (True, True, {"NO_COLOR": "1"}, False),
        (True, True, {"NO_COLOR": ""}, True),
        (True, False, {"FORCE_COLOR": "1"}, True),
        (True, True, {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
        (False, True, {"FORCE_COLOR": "1"}, False),
    ],
)
def test_colour_only_on_a_terminal_unless_forced_never_with_no_color_or_a_file(
    to_stdout: bool, tty: bool, env: dict[str, str], expected: bool
) -> None:
    assert use_colour(to_stdout=to_stdout, tty=tty, env=env) is expected


def test_width_comes_from_the_flag_then_columns_then_the_terminal_then_100() -> None:
    assert text_width(None, to_stdout=True, tty=False, env={}) == 100
    assert text_width(None, to_stdout=True, tty=False, env={"COLUMNS": "132"}) == 132
    assert text_width(90, to_stdout=True, tty=False, env={"COLUMNS": "132"}) == 90
    assert text_width(None, to_stdout=True, tty=False, env={"COLUMNS": "wide"}) == 100
    assert text_width(None, to_stdout=True, tty=False, env={"COLUMNS": "10"}) == MIN_WIDTH
    # A file is laid out at --width or 100, whatever the terminal it was started from.
    assert text_width(None, to_stdout=False, tty=False, env={"COLUMNS": "132"}) == 100
    assert text_width(120, to_stdout=False, tty=False, env={}) == 120


def test_registry_builds_every_formatter_with_defaults() -> None:
    assert set(FORMATTERS) == {"text", "json", "sarif", "markdown", "html"}
    report = sample_report()
    for name in FORMATTERS:
        assert get_formatter(name).render(report).endswith("\n")
    assert isinstance(get_formatter("text", color=True), TextFormatter)
    with pytest.raises(ValueError, match="unknown output format 'xml'"):
        get_formatter("xml")
