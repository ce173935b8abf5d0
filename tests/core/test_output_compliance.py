"""The compliance report (markdown and HTML): per-safeguard coverage and escaping."""

from __future__ import annotations

import dataclasses
import re
from html.parser import HTMLParser

import pytest

from scanner.output import FORMATTERS, HtmlFormatter, MarkdownFormatter
from scanner.output.compliance import section_key
from tests.core.sample import sample_report


@pytest.fixture(scope="module")
def markdown() -> str:
    return MarkdownFormatter().render(sample_report())


def _summary_rows(markdown: str) -> dict[str, list[str]]:
    section = markdown.split("## Summary\n\n", 1)[1].split("\n\n", 1)[0]
    rows = [line.strip("|").split(" | ") for line in section.splitlines()[2:]]
    return {row[0].strip(): [c.strip() for c in row[1:]] for row in rows}


def test_summary_has_one_row_per_cited_specification_in_section_order(markdown: str) -> None:
    rows = _summary_rows(markdown)
    assert list(rows) == [
        "45 CFR 164.308(a)(1)(ii)(D) Information system activity review (required)",
        "45 CFR 164.308(b)(1) Business associate contracts and other arrangements (required)",
        "45 CFR 164.312(a)(1) Access control (required)",
        "45 CFR 164.312(a)(2)(iv) Encryption and decryption (addressable)",
        "45 CFR 164.312(b) Audit controls (required)",
        "45 CFR 164.312(d) Person or entity authentication (required)",
    ]
    assert rows["45 CFR 164.312(a)(2)(iv) Encryption and decryption (addressable)"] == [
        "FAIL",
        "EAR-BKT-01, EAR-VOL-01",
        "3",
        "0",
    ]
    assert rows[
        "45 CFR 164.308(b)(1) Business associate contracts and other arrangements (required)"
    ] == ["ATTESTATION OWED", "-", "0", "1"]


def test_rule_counts_split_waived_from_open_failures(markdown: str) -> None:
    assert (
        "| EAR-BKT-01 | Storage bucket encrypts data at rest by default | high "
        "| 2 | 3 | 1 | 0 | 0 |"
    ) in markdown
    assert (
        "| PUB-BKT-01 | Storage bucket is not public | critical | 2 | 1 | 0 | 1 | 0 |" in markdown
    )
    # The waived archive bucket is counted but not listed as a failing resource.
    assert "arn:aws:s3:::archive" not in markdown
    assert (
        "| PUB-BKT-01 | arn:aws:s3:::phi-data | 111111111111 | us-east-1 "
        "| Bucket phi-data is public. |"
    ) in markdown


def test_safeguard_sections_attestations_and_gaps(markdown: str) -> None:
    headings = [line for line in markdown.splitlines() if line.startswith("## ")]
    assert headings == [
        "## Summary",
        "## Administrative safeguards (45 CFR 164.308)",
        "## Technical safeguards (45 CFR 164.312)",
        "## Manual attestations owed",
        "## Gaps: what could not be read",
    ]
    assert "- AGR-BAA-01: Signed BAA with each cloud provider" in markdown
    assert "| aws | 111111111111 | eu-west-1 | s3:GetBucketPolicy | AccessDenied |" in markdown
    assert "- Complete: no (2 gaps; see below)" in markdown


def test_markdown_escapes_cloud_strings() -> None:
    report = sample_report()
    finding = report.open_failures()[0]
    evil = dataclasses.replace(finding, message="x | <img src=x onerror=alert(1)> [a](b)")
    rendered = MarkdownFormatter().render(dataclasses.replace(report, findings=(evil,)))
    assert "x \\| \\<img src=x onerror=alert(1)\\> \\[a\\](b)" in rendered
    assert re.search(r"(?<!\\)<img", rendered) is None


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_has_the_same_content_and_escapes_markup() -> None:
    report = sample_report()
    finding = report.open_failures()[0]
    evil = dataclasses.replace(
        finding,
        resource=dataclasses.replace(finding.resource, uid="arn:<script>alert(1)</script>"),
    )
    rendered = HtmlFormatter().render(
        dataclasses.replace(report, findings=(*report.findings, evil))
    )
    assert rendered.startswith("<!DOCTYPE html>")
    parser = _Collector()
    parser.feed(rendered)
    assert "script" not in parser.tags
    assert "arn:<script>alert(1)</script>" in "".join(parser.text)
    assert parser.tags.count("h3") == 6
    assert "Encryption and decryption" in "".join(parser.text)


def test_registered_and_deterministic() -> None:
    assert FORMATTERS["markdown"] is MarkdownFormatter
    assert FORMATTERS["html"] is HtmlFormatter
    for cls in (MarkdownFormatter, HtmlFormatter):
        assert cls().render(sample_report()) == cls().render(sample_report(shuffle_seed=4))


def test_section_key_orders_numbers_and_roman_numerals_by_value() -> None:
    sections = [
        "164.312(a)(2)(iv)",
        "164.308(a)(10)",
        "164.308(a)(1)(ii)(B)",
        "164.308(a)(9)",
        "164.312(a)(2)(iii)",
        "164.308(a)(1)(ii)(A)",
        "164.308(a)(1)(i)",
    ]
    assert sorted(sections, key=section_key) == [
        "164.308(a)(1)(i)",
        "164.308(a)(1)(ii)(A)",
        "164.308(a)(1)(ii)(B)",
        "164.308(a)(9)",
        "164.308(a)(10)",
        "164.312(a)(2)(iii)",
        "164.312(a)(2)(iv)",
    ]
