"""The compliance report (markdown and HTML): first page, evidence, counting, escaping, goldens."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import html5lib
import pytest

from rules import hipaa
from scanner.baseline import Baseline, PreviousFailure
from scanner.engine import EvaluationConfig, evaluate
from scanner.model import Concern, Gap, Resource, Scope, Severity, Snapshot
from scanner.output import FORMATTERS, HtmlFormatter, JsonFormatter, MarkdownFormatter
from scanner.output.compliance import build_document, evidence_digest, github_slug, section_key
from scanner.report import Report, SnapshotFile
from scanner.waivers import WaiverEntry
from tests.core.sample import (
    AWS_A,
    BAA,
    FINISHED,
    RULES,
    STARTED,
    Facts,
    sample_report,
    snapshots,
)

ROOT = Path(__file__).resolve().parent.parent.parent
GOLDEN = ROOT / "tests" / "data" / "golden"
SCRIPT = ROOT / "scripts" / "render_report.py"
NS = "{http://www.w3.org/1999/xhtml}"

AWS_C = "333333333333"
HOSTILE_NAME = "<script>alert(1)</script>"
HOSTILE_SID = "Allow|All`rm -rf`|x"
ANSI = "\x1b[31mred\x1b[0m"


def fixed_report() -> Report:
    """The sample estate with a frozen tool version (its clock is already fixed)."""
    return dataclasses.replace(sample_report(), tool_version="9.9.9")


def merged_report() -> Report:
    """Three AWS accounts (two snapshots merged) plus GCP and Azure, with waivers and a baseline.

    Waivers: one active (archive), one stale (matches nothing), one expired (phi-data's
    encryption failure stays open). Baseline: phi-data public was failing before
    (unchanged), a role in account 333 was failing and now passes (fixed), the locked
    bucket was failing and is now UNKNOWN (not rechecked).
    """
    extra = Snapshot(
        "0.1.0",
        Scope("aws", (AWS_C,), ("us-west-2",), "prod-c"),
        STARTED,
        FINISHED,
        (
            Resource(
                "arn:aws:s3:::c-logs",
                "aws",
                "storage.bucket",
                "AWS::S3::Bucket",
                AWS_C,
                "us-west-2",
                "c-logs",
                Facts(encrypted=False, public=True),
                {},
            ),
            Resource(
                f"arn:aws:iam::{AWS_C}:role/ops",
                "aws",
                "iam.principal",
                "AWS::IAM::Role",
                AWS_C,
                "global",
                "ops",
                Facts(mfa=True),
                {},
            ),
        ),
        (),
        api_calls=5,
    )

    def entry(index: int, rule: str, resources: tuple[str, ...], expires: str) -> WaiverEntry:
        return WaiverEntry(
            source="waivers.yml",
            index=index,
            rules=(rule,),
            resources=resources,
            accounts=(),
            regions=(),
            tags={},
            reason=f"Reason {index}",
            owner="sec@example.org",
            expires=dt.date.fromisoformat(expires),
        )

    waivers = (
        entry(0, "EAR-BKT-01", ("arn:aws:s3:::archive",), "2025-06-30"),
        entry(1, "EAR-BKT-01", ("arn:aws:s3:::gone-*",), "2025-06-30"),
        entry(2, "EAR-BKT-01", ("arn:aws:s3:::phi-data",), "2024-12-31"),
    )
    previous = {
        ("PUB-BKT-01", "arn:aws:s3:::phi-data"): PreviousFailure(
            "PUB-BKT-01", "arn:aws:s3:::phi-data", "phi-data", "public"
        ),
        ("IAM-ROLE-01", f"arn:aws:iam::{AWS_C}:role/ops"): PreviousFailure(
            "IAM-ROLE-01", f"arn:aws:iam::{AWS_C}:role/ops", "ops", "no MFA"
        ),
        ("PUB-BKT-01", "arn:aws:s3:::locked"): PreviousFailure(
            "PUB-BKT-01", "arn:aws:s3:::locked", "locked", "public"
        ),
    }
    config = EvaluationConfig(
        waivers=waivers,
        today=dt.date(2025, 1, 6),
        baseline=Baseline(source="previous.json", failures=previous),
    )
    report = evaluate([*snapshots(), extra], RULES, config, attestations=[BAA])
    files = (
        SnapshotFile("estate.json", hashlib.sha256(b"estate").hexdigest()),
        SnapshotFile("estate-c.json", hashlib.sha256(b"estate-c").hexdigest()),
    )
    return dataclasses.replace(report, tool_version="9.9.9", snapshots=files)


def hostile_report() -> Report:
    """The sample report with attacker-chosen names in every cloud-supplied field."""
    report = sample_report()
    first = report.open_failures()[0]
    evil = dataclasses.replace(
        first,
        resource=dataclasses.replace(
            first.resource, name=HOSTILE_NAME + ANSI, uid=f"arn:aws:s3:::{HOSTILE_NAME}"
        ),
        message=f"Bucket {HOSTILE_NAME} policy Sid {HOSTILE_SID} {ANSI}",
        evidence={"sid": HOSTILE_SID, "tag": HOSTILE_NAME, "ansi": ANSI},
        fingerprint="f" * 16,
    )
    gap = Gap(
        "aws",
        AWS_A,
        "us-east-1",
        "s3",
        "GetBucketTagging",
        "AccessDenied",
        f"denied {HOSTILE_SID} {ANSI} {HOSTILE_NAME}",
        "arn:aws:s3:::x",
    )
    return dataclasses.replace(report, findings=(*report.findings, evil), gaps=(*report.gaps, gap))


def html_tree(text: str) -> ET.Element:
    """Parse with html5lib in strict mode: any parse error fails the test."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=True)
    return parser.parse(text)


def text_of(element: ET.Element) -> str:
    """The visible text, pieces joined by a space, without the charts' SVG tooltips."""
    pieces: list[str] = []

    def walk(node: ET.Element) -> None:
        if not isinstance(node.tag, str) or node.tag.startswith("{http://www.w3.org/2000/svg}"):
            return  # a comment, or a chart (its numbers are in the table cells)
        if node.text and node.text.strip():
            pieces.append(node.text.strip())
        for child in node:
            walk(child)
            if child.tail and child.tail.strip():
                pieces.append(child.tail.strip())

    walk(element)
    return " ".join(pieces)


def by_id(tree: ET.Element, ident: str) -> ET.Element:
    for element in tree.iter():
        if element.get("id") == ident:
            return element
    raise AssertionError(f"no element with id {ident}")


def table_rows(table: ET.Element) -> list[list[str]]:
    return [
        [" ".join(text_of(cell).split()) for cell in row if cell.tag in (f"{NS}td", f"{NS}th")]
        for row in table.iter(f"{NS}tr")
    ]


def tables_in(element: ET.Element) -> list[ET.Element]:
    return list(element.iter(f"{NS}table"))


@pytest.fixture(scope="module")
def html_text() -> str:
    return HtmlFormatter().render(fixed_report())


@pytest.fixture(scope="module")
def tree(html_text: str) -> ET.Element:
    return html_tree(html_text)


@pytest.fixture(scope="module")
def markdown() -> str:
    return MarkdownFormatter().render(fixed_report())


# --- the first page -------------------------------------------------------------------


def test_first_page_status_per_family_and_concern(tree: ET.Element) -> None:
    summary = by_id(tree, "summary")
    family, concern = tables_in(summary)[:2]
    header = [
        "Safeguard family",
        "Status",
        "Distribution",
        "✗ FAIL",
        "≈ waived",
        "? UNKNOWN",
        "! ERROR",
        "✓ PASS",
        "✎ owed",
    ]
    assert table_rows(family) == [
        header,
        ["Administrative safeguards", "✗ FAIL", "", "1", "0", "0", "0", "0", "1"],
        ["Technical safeguards", "✗ FAIL", "", "7", "1", "1", "1", "4", "0"],
    ]
    assert table_rows(concern)[1:] == [
        ["encryption-at-rest", "✗ FAIL", "", "3", "1", "0", "1", "2", "0"],
        ["audit-logging", "✗ FAIL", "", "1", "0", "0", "0", "0", "0"],
        ["public-exposure", "✗ FAIL", "", "1", "0", "1", "0", "2", "0"],
        ["access-control", "✗ FAIL", "", "2", "0", "0", "0", "0", "0"],
        ["agreements", "○ NOT EVALUATED", "", "0", "0", "0", "0", "0", "1"],
    ]
    # Each row's chart is an inline SVG whose label says the same numbers in words.
    bars = [
        svg.get("aria-label")
        for svg in summary.iter("{http://www.w3.org/2000/svg}svg")
        if svg.get("class") == "bar"
    ]
    assert bars[1] == "7 FAIL, 1 waived, 1 UNKNOWN, 1 ERROR, 4 PASS"


def test_first_page_severities_completeness_and_scope(tree: ET.Element) -> None:
    summary = by_id(tree, "summary")
    text = " ".join(text_of(summary).split())
    assert "✗ FAIL 7 open failures; 1 waived; the scan is INCOMPLETE: 2 gaps, 2 verdicts" in text
    assert "Open failures: 7 1 critical 3 high 2 medium 0 low 1 info" in text
    assert "Completeness: INCOMPLETE 2 gaps 1 UNKNOWN 1 ERROR" in text
    assert "aws 111111111111: 2 gaps" in text
    assert "azure 0f1e2d3c-aaaa-bbbb-cccc-123456789abc; regions eastus" in text
    assert "PHI scope no PHI tag given" in text
    assert f"sha256: {evidence_digest(fixed_report().findings)}" in text
    assert "hipaa-scan 9.9.9 · scanned 2025-01-06T03:00:00Z to 2025-01-06T03:02:00Z" in text


def test_worst_failures_critical_first_then_public_exposure() -> None:
    report = sample_report()
    # Make the GCP bucket's encryption failure a public-exposure one: among the high
    # failures it must now come first.
    findings = tuple(
        dataclasses.replace(f, concern=Concern.PUBLIC_EXPOSURE)
        if f.rule_id == "EAR-BKT-01" and f.resource.name == "gcs-phi"
        else f
        for f in report.findings
    )
    worst = build_document(dataclasses.replace(report, findings=findings)).worst
    assert [(f.severity, f.rule_id, f.name) for f in worst] == [
        ("critical", "PUB-BKT-01", "phi-data"),
        ("high", "EAR-BKT-01", "gcs-phi"),
        ("high", "EAR-BKT-01", "PhiStore"),
        ("high", "EAR-BKT-01", "phi-data"),
        ("medium", "IAM-ROLE-01", "app/admin"),
        ("medium", "IAM-ROLE-01", "app:admin"),
        ("info", "LOG-TRL-01", "main"),
    ]


def test_worst_failures_stop_at_ten() -> None:
    report = sample_report()
    base = report.open_failures()[0]
    many = tuple(
        dataclasses.replace(
            base, resource=dataclasses.replace(base.resource, uid=f"u{i:02d}", name=f"n{i:02d}")
        )
        for i in range(12)
    )
    doc = build_document(dataclasses.replace(report, findings=many))
    assert [f.uid for f in doc.worst] == [f"u{i:02d}" for i in range(10)]
    assert doc.more_failures == 2


def test_evidence_digest_matches_the_json_report() -> None:
    report = fixed_report()
    document = json.loads(JsonFormatter().render(report))
    lines = sorted(f"{f['fingerprint']} {f['status']}\n" for f in document["findings"])
    expected = hashlib.sha256("".join(lines).encode()).hexdigest()
    assert evidence_digest(report.findings) == expected
    assert build_document(report).digest == expected


# --- the evidence -----------------------------------------------------------------------


def test_specifications_in_section_order_with_distinct_counts(markdown: str) -> None:
    doc = build_document(fixed_report())
    specs = {s.section: s for fam in doc.families for s in fam.specs}
    assert list(specs) == sorted(specs, key=section_key)
    assert {s: (v.verdict, v.tally.counts["fail"]) for s, v in specs.items()} == {
        "164.308(a)(1)(ii)(D)": ("FAIL", 1),
        "164.308(b)(1)": ("ATTESTATION OWED", 0),
        "164.312(a)(1)": ("FAIL", 1),
        "164.312(a)(2)(iv)": ("FAIL", 3),
        "164.312(b)": ("FAIL", 1),
        "164.312(d)": ("FAIL", 2),
    }
    # The trail failure answers two specifications, and each says so.
    assert (
        "1 distinct open failure; 1 of them also serves 164.312(b) and is counted once here."
    ) in markdown
    assert (
        "| EAR-BKT-01 | Storage bucket encrypts data at rest by default | high "
        "| 3 | 1 | 0 | 0 | 2 |"
    ) in markdown
    assert "| EAR-VOL-01 | Volume is encrypted | low | 0 | 0 | 0 | 1 | 0 |" in markdown


def test_a_failure_citing_two_specifications_of_a_family_counts_once_there() -> None:
    report = sample_report()
    two = (hipaa.AUDIT_CONTROLS.section, hipaa.ACCESS_CONTROL.section)
    rules = tuple(
        dataclasses.replace(m, citations=(hipaa.AUDIT_CONTROLS, hipaa.ACCESS_CONTROL))
        if m.id == "LOG-TRL-01"
        else m
        for m in report.rules
    )
    findings = tuple(
        dataclasses.replace(f, hipaa=two) if f.rule_id == "LOG-TRL-01" else f
        for f in report.findings
    )
    doc = build_document(dataclasses.replace(report, rules=rules, findings=findings))
    technical = next(f for f in doc.families if f.key == "technical")
    # 7 distinct open failures in the family, not 8: the trail counts once.
    assert technical.row.tally.counts["fail"] == 7
    access = next(s for s in technical.specs if s.section == hipaa.ACCESS_CONTROL.section)
    assert (access.tally.counts["fail"], access.shared_count, access.shared) == (
        2,
        1,
        (hipaa.AUDIT_CONTROLS.section,),
    )


def test_each_failing_resource_is_listed_once_with_evidence_and_remediation(
    tree: ET.Element,
) -> None:
    failures = by_id(tree, "failures")
    rows = [row for table in tables_in(failures) for row in table_rows(table)[1:]]
    assert [(r[0], r[3]) for r in rows] == [
        ("phi-data arn:aws:s3:::phi-data", "public = true"),
        (
            "PhiStore /subscriptions/0f1e2d3c-aaaa-bbbb-cccc-123456789abc/resourceGroups/RG-Phi/"
            "providers/Microsoft.Storage/storageAccounts/PhiStore",
            "encrypted = false",
        ),
        ("gcs-phi //storage.googleapis.com/projects/_/buckets/gcs-phi", "encrypted = false"),
        ("phi-data arn:aws:s3:::phi-data", "encrypted = false"),
        ("app/admin arn:aws:iam::111111111111:role/app/admin", "max_session_hours = 1 mfa = false"),
        ("app:admin arn:aws:iam::111111111111:role/app:admin", "max_session_hours = 1 mfa = false"),
        ("main arn:aws:cloudtrail:us-east-1:111111111111:trail/main", "data_events = false"),
    ]
    text = text_of(failures)
    # Remediation for the clouds that fail, and only those.
    assert "How to fix it on gcp" in text and "How to fix it on azure" in text
    assert text.count("How to fix it on") == 1 + 3 + 1 + 1
    assert "aws s3api put-bucket-encryption" in text


def test_waivers_gaps_unjudged_and_attestations(tree: ET.Element) -> None:
    waived = table_rows(tables_in(by_id(tree, "waivers"))[0])
    assert waived[1:] == [
        [
            "EAR-BKT-01",
            "archive arn:aws:s3:::archive",
            "Archive is encrypted client-side",
            "sec",
            "2026-01-01",
        ],
    ]
    gaps = table_rows(tables_in(by_id(tree, "gaps"))[0])
    assert [(g[3], g[6]) for g in gaps[1:]] == [
        (
            "ec2:DescribeVolumes",
            "ec2 resources that DescribeVolumes lists in 111111111111 / "
            "ap-south-1 were not read: no rule judged them, and they are not counted as passing",
        ),
        ("s3:GetBucketPolicy", "PUB-BKT-01 could not judge arn:aws:s3:::locked (UNKNOWN)"),
    ]
    unjudged = table_rows(tables_in(by_id(tree, "unjudged"))[0])
    assert [(u[0], u[1], u[2]) for u in unjudged[1:]] == [
        ("? UNKNOWN", "PUB-BKT-01", "locked arn:aws:s3:::locked"),
        ("! ERROR", "EAR-VOL-01", "vol-1 arn:aws:ec2:us-east-1:111111111111:volume/vol-1"),
    ]
    attestations = " ".join(text_of(by_id(tree, "attestations")).split())
    assert "AGR-BAA-01: Signed BAA with each cloud provider" in attestations
    assert "Attested by Role Date" in attestations


def test_merged_report_trend_and_waiver_states() -> None:
    report = merged_report()
    doc = build_document(report)
    assert doc.trend is not None
    assert dict(doc.trend.totals) == {"new": 8, "unchanged": 1, "fixed": 1, "not_rechecked": 1}
    assert [(r.label, dict(r.counts)) for r in doc.trend.rows] == [
        ("Administrative safeguards", {"new": 1, "unchanged": 0, "fixed": 0}),
        ("Technical safeguards", {"new": 8, "unchanged": 1, "fixed": 1}),
    ]
    assert doc.trend.fixed == (("IAM-ROLE-01", f"arn:aws:iam::{AWS_C}:role/ops"),)
    assert [(w.state, w.matched) for w in doc.waivers] == [
        ("active", 1),
        ("stale", 0),
        ("expired", 0),
    ]
    md = MarkdownFormatter().render(report)
    assert (
        "Since the previous scan: **8** new, **1** unchanged, **1** fixed, 1 not rechecked."
    ) in md
    assert "**✗ 1 waiver has expired**" in md
    assert "**? 1 waiver is stale**" in md
    assert "| Technical safeguards | 8 | 1 | 1 |" in md
    html = html_tree(HtmlFormatter().render(report))
    front = " ".join(text_of(by_id(html, "summary")).split())
    assert (
        "Since the previous scan ( trend ): 8 new, 1 unchanged, 1 fixed, 1 not rechecked"
    ) in front
    trend = by_id(html, "trend")
    assert table_rows(tables_in(trend)[0])[1:] == [
        ["Administrative safeguards", "", "1", "0", "0"],
        ["Technical safeguards", "", "8", "1", "1"],
    ]


def test_long_resource_lists_fold() -> None:
    report = sample_report()
    base = report.open_failures()[0]
    many = tuple(
        dataclasses.replace(base, resource=dataclasses.replace(base.resource, uid=f"u{i:02d}"))
        for i in range(9)
    )
    html = html_tree(HtmlFormatter().render(dataclasses.replace(report, findings=many)))
    details = list(by_id(html, "failures").iter(f"{NS}details"))
    assert [" ".join(text_of(d.find(f"{NS}summary")).split()) for d in details] == [
        "All 9 failing resources"
    ]
    md = MarkdownFormatter().render(dataclasses.replace(report, findings=many))
    assert "<details><summary>All 9 failing resources</summary>" in md


def test_table_of_contents_links_every_section(tree: ET.Element, markdown: str) -> None:
    ids = {e.get("id") for e in tree.iter() if e.get("id")}
    nav = by_id(tree, "contents")
    targets = [a.get("href") for a in nav.iter(f"{NS}a")]
    assert all(t and t[1:] in ids for t in targets)
    sections = {e.get("id") for e in tree.iter(f"{NS}section")} | {
        e.get("id") for e in tree.iter(f"{NS}h3") if e.get("id")
    }
    assert sections - {"contents"} <= {t[1:] for t in targets if t} | {
        i for i in sections if i and i.startswith("attestation-")
    }
    # Markdown: every link of the contents points at a heading GitHub will anchor.
    headings = {
        github_slug(line.lstrip("#").strip().replace("\\", ""))
        for line in markdown.splitlines()
        if line.startswith("#")
    }
    contents = markdown.split("## Contents", 1)[1].split("\n## ", 1)[0]
    links = re.findall(r"\]\(#([^)]+)\)", contents)
    # Summary, 2 families, 6 specifications, failures and its 4 rules, 5 more sections.
    assert len(links) == 19
    assert set(links) <= headings


# --- self-contained and safe -------------------------------------------------------------


def test_html_is_self_contained_with_a_strict_csp(html_text: str, tree: ET.Element) -> None:
    for element in tree.iter():
        for name, value in element.attrib.items():
            if name.split("}")[-1] in ("src", "href", "action", "data", "poster", "srcset"):
                assert value.startswith("#"), (element.tag, name, value)
    assert not [
        e
        for e in tree.iter()
        if e.tag in (f"{NS}script", f"{NS}link", f"{NS}img", f"{NS}iframe", f"{NS}object")
    ]
    assert re.findall(r"url\(([^)]*)\)", html_text) and all(
        u.startswith("#") for u in re.findall(r"url\(([^)]*)\)", html_text)
    )
    assert "@import" not in html_text and "http://" not in html_text.split("<body>", 1)[0]
    csp = next(
        m.get("content")
        for m in tree.iter(f"{NS}meta")
        if m.get("http-equiv") == "Content-Security-Policy"
    )
    assert csp is not None and "default-src 'none'" in csp and "unsafe" not in csp
    style = next(tree.iter(f"{NS}style")).text or ""
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert f"style-src 'sha256-{digest}'" in csp


def test_print_stylesheet_breaks_pages_and_keeps_tables_whole(html_text: str) -> None:
    css = html_text.split("<style>", 1)[1].split("</style>", 1)[0]
    printing = css.split("@media print{", 1)[1]
    assert ".family,.chapter{break-before:page}" in printing
    assert "thead{display:table-header-group}" in printing
    assert "overflow-wrap:anywhere" in css


def test_html_escapes_hostile_names() -> None:
    rendered = HtmlFormatter().render(hostile_report())
    tree = html_tree(rendered)
    assert not list(tree.iter(f"{NS}script"))
    assert "\x1b" not in rendered
    text = text_of(tree)
    assert f"arn:aws:s3:::{HOSTILE_NAME}" in text
    assert HOSTILE_SID in text
    assert "\\x1b[31mred\\x1b[0m" in text


def test_markdown_escapes_hostile_names() -> None:
    rendered = MarkdownFormatter().render(hostile_report())
    assert "\x1b" not in rendered
    assert re.search(r"(?<!\\)<script", rendered) is None
    assert "Allow\\|All\\`rm -rf\\`\\|x" in rendered
    # No table row gains a cell: every unescaped pipe is a cell border.
    for line in rendered.splitlines():
        if line.startswith("| ") and ("Allow" in line or "script" in line):
            cells = re.split(r"(?<!\\)\|", line)
            header_width = {4: 6, 7: 9, 5: 7}.get(len(cells) - 2, len(cells))
            assert len(cells) == header_width, line


def test_markdown_code_fences_outgrow_backticks() -> None:
    report = sample_report()
    rules = tuple(
        dataclasses.replace(
            m,
            remediation={
                p: dataclasses.replace(f, cli="echo ```; rm x") for p, f in m.remediation.items()
            },
        )
        if m.id == "PUB-BKT-01"
        else m
        for m in report.rules
    )
    md = MarkdownFormatter().render(dataclasses.replace(report, rules=rules))
    assert "````sh\necho ```; rm x\n````" in md


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


# --- golden files ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "build", "cls"),
    [
        ("compliance.md", fixed_report, MarkdownFormatter),
        ("compliance.html", fixed_report, HtmlFormatter),
        ("compliance-merged.md", merged_report, MarkdownFormatter),
        ("compliance-merged.html", merged_report, HtmlFormatter),
    ],
)
def test_golden_file(name: str, build: object, cls: type) -> None:
    assert callable(build)
    rendered = cls().render(build())
    golden = GOLDEN / name
    if os.environ.get("HIPAA_SCAN_UPDATE_GOLDEN"):
        golden.write_text(rendered, encoding="utf-8")
    assert rendered == golden.read_text(encoding="utf-8"), (
        f"compliance report changed; if intended, rerun with HIPAA_SCAN_UPDATE_GOLDEN=1 and "
        f"review the diff of tests/data/golden/{name}"
    )


# --- printing with Chromium ----------------------------------------------------------------


def _chromium() -> str | None:
    return next(
        (p for n in ("chromium", "chromium-browser", "google-chrome") if (p := shutil.which(n))),
        None,
    )


def wide_report() -> Report:
    """A first page under pressure: many accounts and regions, long names, ten failures."""
    report = merged_report()
    scopes = tuple(
        Scope(
            p,
            tuple(f"{p}-account-{i:03d}" for i in range(40)),
            tuple(f"region-{i:02d}" for i in range(17)),
        )
        for p in ("aws", "gcp", "azure")
    )
    base = report.open_failures()[0]
    long_uid = "arn:aws:s3:::" + "very-long-bucket-name-" * 6
    many = tuple(
        dataclasses.replace(
            base,
            severity=Severity.CRITICAL,
            resource=dataclasses.replace(
                base.resource, uid=f"{long_uid}{i}", name=f"bucket-{i}-" + "x" * 40
            ),
        )
        for i in range(30)
    )
    gaps = tuple(
        Gap(
            "aws",
            f"aws-account-{i:03d}",
            "us-east-1",
            "s3",
            "ListBuckets",
            "AccessDenied",
            "denied",
        )
        for i in range(12)
    )
    # Every safeguard family and every concern gets a row.
    spread = (hipaa.MEDIA_BACKUP_AND_STORAGE, hipaa.DOCUMENTATION_TIME_LIMIT)
    rules = tuple(
        dataclasses.replace(m, citations=(*m.citations, *spread)) if m.id == "LOG-TRL-01" else m
        for m in report.rules
    )
    concerns = tuple(
        dataclasses.replace(
            base,
            concern=concern,
            hipaa=tuple(c.section for c in spread),
            rule_id="LOG-TRL-01",
            resource=dataclasses.replace(base.resource, uid=f"arn:concern:{concern.value}"),
        )
        for concern in Concern
    )
    return dataclasses.replace(
        report,
        scopes=scopes,
        rules=rules,
        findings=report.findings + many + concerns,
        gaps=report.gaps + gaps,
    )


@pytest.mark.skipif(
    _chromium() is None,
    reason="chromium not installed (Debian: apt-get "
    "install chromium); the PDF/PNG rendering script is not exercised",
)
@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_chromium_renders_pdf_and_png_and_the_first_page_fits(tmp_path: Path, paper: str) -> None:
    source = tmp_path / "report.html"
    source.write_text(HtmlFormatter().render(wide_report()), encoding="utf-8")
    out = tmp_path / "out"
    result = subprocess.run(
        [
            sys.executable,
            str(SCRIPT),
            str(source),
            "--out-dir",
            str(out),
            "--paper",
            paper,
            "--check-first-page",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    pages = json.loads(result.stdout)
    assert pages["first_page_pages"] == 1
    assert pages["pages"] > 3  # the evidence follows, each safeguard family on a new page
    assert (out / "report.pdf").read_bytes().startswith(b"%PDF-")
    assert (out / "first-page.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
