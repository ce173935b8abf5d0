"""The fast indented encoder writes exactly what ``json.dumps(indent=2, sort_keys=True)`` does."""

from __future__ import annotations

import collections
import dataclasses
import json
from typing import Any

import pytest

from scanner.model import Status
from scanner.output.json_report import encode_finding, finding_to_dict
from scanner.output.jsonenc import dumps_compact, dumps_indented, has_float
from scanner.output.sarif import SarifFormatter, sarif_log
from scanner.report import Report
from tests.core.sample import sample_report

VALUES: list[Any] = [
    {},
    [],
    [[], {}],
    {"b": [1, {"z": None, "a": True}], "a": "x", "$schema": "s"},
    # Escapes: controls, quote, backslash, slash, DEL, non-ASCII, astral, line separator.
    'a\x00\x01\x1f\t\n\r\b\f"\\/\x7f é ü 中 😀 \u2028 \u200e',
    {"é": "key that is not ASCII"},
    # A lone surrogate (orjson refuses it) and integers past 64 bits.
    "\ud800",
    2**64,
    -(2**63) - 1,
    # Floats orjson writes differently (1e-7 for 1e-07) go to the standard library.
    [0.1, 1e-07, 1e16, 1.5e300, -0.0],
    {"evidence": {"ratio": 0.25, "deep": [[[1.0]]]}},
    # Keys that are not strings.
    {1: "one", 2: "two"},
    True,
    None,
]


@pytest.mark.parametrize("value", VALUES)
def test_byte_identical_to_the_standard_library(value: Any) -> None:
    assert dumps_indented(value) == json.dumps(value, indent=2, sort_keys=True)


def test_has_float_looks_everywhere() -> None:
    assert has_float({"a": [{"b": (1, 2.0)}]})
    assert not has_float({"a": [{"b": (1, "2.0", True, None)}]})


def test_a_caller_that_vouches_for_no_float_gets_the_fast_path_exactly() -> None:
    value = {"runs": [{"results": [{"message": "é", "ruleIndex": 3}]}]}
    assert dumps_indented(value, floats=False) == json.dumps(value, indent=2, sort_keys=True)


def _evidence_with_float(report: Report) -> Report:
    findings = tuple(
        dataclasses.replace(f, evidence={**f.evidence, "ratio": 1e-07})
        if f.status is Status.FAIL
        else f
        for f in report.findings
    )
    return dataclasses.replace(report, findings=findings)


@pytest.mark.parametrize("floats", [False, True])
@pytest.mark.parametrize("max_runs", [20, 1])
def test_sarif_parts_are_what_the_standard_library_writes(floats: bool, max_runs: int) -> None:
    # Each part is encoded run by run and joined; it must equal encoding the part whole.
    report = _evidence_with_float(sample_report()) if floats else sample_report()
    log = sarif_log(report)
    runs = log["runs"]
    expected = [
        json.dumps({**log, "runs": runs[i : i + max_runs]}, indent=2, sort_keys=True) + "\n"
        for i in range(0, len(runs), max_runs)
    ]
    assert len(expected) == (1 if max_runs == 20 else len(runs)) > 0
    assert SarifFormatter(max_runs=max_runs).render_parts(report) == expected


@pytest.mark.parametrize("value", VALUES)
def test_compact_is_byte_identical_to_the_standard_library(value: Any) -> None:
    assert dumps_compact(value) == json.dumps(value, sort_keys=True, separators=(",", ":"))


def test_report_findings_are_what_the_standard_library_writes() -> None:
    report = _evidence_with_float(sample_report())
    hostile = dataclasses.replace(
        report.findings[0], message="é \x7f \ud800 😀", evidence={"n": 2**70}
    )
    for finding in (*report.findings, hostile):
        expected = json.dumps(finding_to_dict(finding), sort_keys=True, separators=(",", ":"))
        assert encode_finding(finding) == expected


def test_has_float_looks_into_dict_subclasses() -> None:
    assert has_float(collections.OrderedDict(a=[1, collections.defaultdict(int, b=0.5)]))
    assert not has_float(collections.OrderedDict(a=[1, "0.5"]))
