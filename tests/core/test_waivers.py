"""Waivers: matching, expiry on both sides of the date, stale entries, malformed files."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from scanner.engine import EvaluationConfig, evaluate
from scanner.errors import InputFileError
from scanner.model import Status
from scanner.schemas import load_schema
from scanner.waivers import WaiverEntry, WaiverState, load_waivers
from tests.core.sample import AWS_A, AWS_B, RULES, snapshots
from tests.core.test_provider_seam import run, toy_registered  # noqa: F401  (fixture)

KNOWN = {r.id for r in RULES}
DAY = dt.date(2027, 3, 31)


def waivers_file(tmp_path: Path, *entries: dict[str, object], name: str = "w.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump({"waivers": list(entries)}), encoding="utf-8")
    return path


def entry(**fields: object) -> dict[str, object]:
    base: dict[str, object] = {
        "rule": "EAR-BKT-01",
        "reason": "client-side encryption",
        "owner": "sec@example.org",
        "expires": "2027-03-31",
    }
    base.update(fields)
    return base


def waived(
    tmp_path: Path, today: dt.date = DAY, **fields: object
) -> tuple[set[tuple[str, str]], list[tuple[WaiverState, int]]]:
    entries = load_waivers(waivers_file(tmp_path, entry(**fields)), KNOWN)
    report = evaluate(snapshots(), RULES, EvaluationConfig(waivers=entries, today=today))
    names = {(f.rule_id, f.resource.name) for f in report.findings if f.waiver is not None}
    return names, [(w.state, w.matched) for w in report.review.waivers]


def test_a_glob_waives_only_the_failures_it_names(tmp_path: Path) -> None:
    names, states = waived(tmp_path, resources=["arn:aws:s3:::arch*"])
    assert names == {("EAR-BKT-01", "archive")}
    assert states == [(WaiverState.ACTIVE, 1)]


def test_every_failure_of_the_rule_without_resources(tmp_path: Path) -> None:
    names, _ = waived(tmp_path)
    failing = {
        (f.rule_id, f.resource.name)
        for f in evaluate(snapshots(), RULES).findings
        if f.rule_id == "EAR-BKT-01" and f.status is Status.FAIL
    }
    assert names == failing
    assert len(failing) >= 2


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"accounts": [AWS_A]}, {"archive", "phi-data"}),
        ({"accounts": [AWS_B]}, set()),
        ({"regions": ["eu-west-1"]}, set()),
        ({"regions": ["us-east-1"], "resources": ["arn:aws:s3:::phi-*"]}, {"phi-data"}),
        ({"tags": {"data": "phi-secret-value"}, "accounts": [AWS_A]}, {"archive", "phi-data"}),
        ({"tags": {"data": "other"}}, set()),
    ],
)
def test_account_region_and_tag_conditions(
    tmp_path: Path, fields: dict[str, object], expected: set[str]
) -> None:
    names, states = waived(tmp_path, **fields)
    assert {name for _, name in names if name in {"archive", "phi-data"}} == expected
    assert states[0][0] is (WaiverState.ACTIVE if expected else WaiverState.STALE)


def test_a_waiver_applies_through_its_expiry_day_and_not_after(tmp_path: Path) -> None:
    names, states = waived(tmp_path, today=DAY, resources=["arn:aws:s3:::archive"])
    assert names == {("EAR-BKT-01", "archive")}
    assert states == [(WaiverState.ACTIVE, 1)]
    names, states = waived(
        tmp_path, today=DAY + dt.timedelta(days=1), resources=["arn:aws:s3:::archive"]
    )
    assert names == set()
    assert states == [(WaiverState.EXPIRED, 0)]


def test_a_waiver_that_matches_no_failure_is_stale(tmp_path: Path) -> None:
    names, states = waived(tmp_path, resources=["arn:aws:s3:::clean"])  # clean passes
    assert names == set()
    assert states == [(WaiverState.STALE, 0)]


def test_a_waived_failure_stays_a_failure_and_leaves_the_open_count(tmp_path: Path) -> None:
    entries = load_waivers(waivers_file(tmp_path, entry(resources=["arn:aws:s3:::archive"])), KNOWN)
    plain = evaluate(snapshots(), RULES)
    report = evaluate(snapshots(), RULES, EvaluationConfig(waivers=entries, today=DAY))
    (archive,) = [
        f for f in report.findings if f.rule_id == "EAR-BKT-01" and f.resource.name == "archive"
    ]
    assert archive.status is Status.FAIL
    assert archive.waiver is not None and archive.waiver.owner == "sec@example.org"
    assert len(report.open_failures()) == len(plain.open_failures()) - 1
    assert len(report.waived_failures()) == 1


def test_json_waiver_files_and_rule_lists_are_read(tmp_path: Path) -> None:
    path = tmp_path / "w.json"
    path.write_text(
        json.dumps(
            {
                "waivers": [
                    {
                        "rules": ["EAR-BKT-01", "PUB-BKT-01"],
                        "reason": "r",
                        "owner": "o",
                        "expires": "2027-01-01",
                    }
                ]
            }
        )
    )
    (loaded,) = load_waivers(path, KNOWN)
    assert loaded.rules == ("EAR-BKT-01", "PUB-BKT-01")
    assert loaded.expires == dt.date(2027, 1, 1)


def test_renamed_rule_ids_resolve_through_the_alias_table(tmp_path: Path) -> None:
    (loaded,) = load_waivers(
        waivers_file(tmp_path, entry(rule="EAR-OLD-01")),
        KNOWN,
        resolve={"EAR-OLD-01": "EAR-BKT-01"}.get,
    )  # type: ignore[arg-type]
    assert loaded.rules == ("EAR-BKT-01",)


def test_the_published_schema_accepts_a_valid_file_and_rejects_a_bad_one() -> None:
    schema = load_schema("waivers.v1.schema.json")
    jsonschema.validate({"waivers": [entry(resources=["arn:*"])]}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"waivers": [{"rule": "X", "reason": "r"}]}, schema)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("waivers: [", "not valid YAML or JSON (line"),
        ("- a\n", "expected a top-level 'waivers' list"),
        ("waivers: []\nextra: 1\n", "unknown top-level key 'extra'"),
        ("waivers: [3]\n", "waivers[0]: each waiver must be a mapping"),
        (
            "waivers:\n- {rule: EAR-BKT-01, expires: 2027-02-30}\n",
            "a value cannot be read (day is out of range for month); dates are YYYY-MM-DD",
        ),
        ("waivers: []\n1: a\nb: c\n", "unknown top-level key 1"),
        ("waivers:\n- {rule: EAR-BKT-01, 1: a, b: c}\n", "waivers[0].1: unknown field"),
    ],
)
def test_malformed_files(tmp_path: Path, raw: str, message: str) -> None:
    path = tmp_path / "w.yaml"
    path.write_text(raw)
    with pytest.raises(InputFileError) as raised:
        load_waivers(path, KNOWN)
    assert str(raised.value).startswith(f"{path}: ")
    assert message in str(raised.value)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"rule": "NOPE-01"}, "waivers[0].rule: unknown rule id 'NOPE-01'"),
        ({"rules": ["EAR-BKT-01"]}, "waivers[0]: give exactly one of 'rule'"),
        ({"reason": ""}, "waivers[0].reason: required; say why the risk is accepted"),
        ({"owner": None}, "waivers[0].owner: required; say who accepted the risk"),
        ({"expires": "31/03/2027"}, "waivers[0].expires: expected a date (YYYY-MM-DD), got"),
        ({"expires": dt.datetime(2027, 3, 31, 12, 0)}, "not a date and time"),
        ({"resources": ["arn:aws:s3:::[abc"]}, "is not a valid glob (unbalanced '[')"),
        ({"resources": "arn:*"}, "waivers[0].resources: expected a list of non-empty strings"),
        ({"tags": {"a": 1}}, "waivers[0].tags: expected a mapping of tag names"),
        ({"colour": "red"}, "waivers[0].colour: unknown field"),
    ],
)
def test_every_bad_field_names_file_entry_and_field(
    tmp_path: Path, fields: dict[str, object], message: str
) -> None:
    path = waivers_file(tmp_path, entry(**fields))
    with pytest.raises(InputFileError) as raised:
        load_waivers(path, KNOWN)
    assert str(raised.value).startswith(f"{path}: ")
    assert message in str(raised.value)


def test_waivers_need_today() -> None:
    one = WaiverEntry("w", 0, ("EAR-BKT-01",), ("*",), (), (), {}, "r", "o", DAY)
    with pytest.raises(ValueError, match="need `today`"):
        evaluate(snapshots(), RULES, EvaluationConfig(waivers=(one,)))


def test_the_cli_applies_waivers_with_an_injected_date(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    toy_registered: None,  # noqa: F811
) -> None:
    path = tmp_path / "w.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "waivers": [
                    {
                        "rule": "EAR-TOYWIDGET-01",
                        "resources": ["toy://*/widgets/w1"],
                        "reason": "decommissioning",
                        "owner": "ops",
                        "expires": "2027-03-31",
                    },
                    {
                        "rule": "EAR-TOYWIDGET-01",
                        "resources": ["toy://*/widgets/w9"],
                        "reason": "old",
                        "owner": "ops",
                        "expires": "2027-03-31",
                    },
                ]
            }
        )
    )
    args = [
        "toy",
        "--widgets",
        "2",
        "--unencrypted",
        "1",
        "--waivers",
        str(path),
        "--format",
        "json",
    ]
    code, out, err = run([*args, "--as-of", "2027-03-31"], capsys)
    assert code == 0, err  # the only failure is waived
    review = json.loads(out)["review"]["waivers"]
    assert [(w["entry"], w["state"], w["matched"]) for w in review] == [
        ("w.yaml#0", "active", 1),
        ("w.yaml#1", "stale", 0),
    ]
    assert "waivers[1] matched no failure (stale)" in err

    code, out, err = run([*args, "--as-of", "2027-04-01"], capsys)
    assert code == 1  # expired: the failure counts again
    assert "waivers[0] expired on 2027-03-31 and no longer applies" in err
    assert [w["state"] for w in json.loads(out)["review"]["waivers"]] == ["expired", "expired"]


def test_a_bad_waivers_file_is_exit_2_naming_entry_and_field(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    toy_registered: None,  # noqa: F811
) -> None:
    path = waivers_file(
        tmp_path, {"rule": "EAR-TOYWIDGET-01", "owner": "ops", "expires": "2027-03-31"}
    )
    code, out, err = run(["toy", "--waivers", str(path)], capsys)
    assert code == 2
    assert f"{path}: waivers[0].reason: required" in err
    assert out == ""
