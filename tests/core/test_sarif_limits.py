"""GitHub's SARIF limits: more than 20 runs split into parts, 25,000 results refused."""

from __future__ import annotations

import dataclasses
import functools
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rules import load_rules
from scanner.cli import report as report_module
from scanner.engine import evaluate
from scanner.errors import InputFileError
from scanner.kinds.storage import Bucket, BucketEncryption
from scanner.model import Resource, Scope, Snapshot
from scanner.output import sarif
from scanner.output.sarif import SarifFormatter, SarifLimitError
from scanner.report import Report
from scanner.snapshot import load_snapshot, write_snapshot
from tests.core.test_provider_seam import run, toy_registered, widget_encrypted  # noqa: F401
from tests.sarif_github import check_github, validate_schema


def estate(accounts: int, widgets: int) -> list[Snapshot]:
    snapshots = []
    for a in range(accounts):
        account = f"acct-{a:03d}"
        resources = tuple(
            Resource(
                uid=f"toy://{account}/widgets/w{i}",
                provider="toy",
                kind=Bucket.KIND,
                native_type="toy.example/Widget",
                account=account,
                region="toyland-1",
                name=f"w{i}",
                props=Bucket(encryption=BucketEncryption(enabled=False)),
            )
            for i in range(widgets)
        )
        snapshots.append(
            Snapshot(
                "t",
                Scope("toy", (account,), ("toyland-1",)),
                "2026-12-03T00:00:00Z",
                "2026-12-03T00:01:00Z",
                resources,
                (),
            )
        )
    return snapshots


def report(accounts: int, widgets: int) -> Report:
    return evaluate(estate(accounts, widgets), [widget_encrypted])


def test_45_accounts_are_split_into_parts_of_at_most_20_runs() -> None:
    parts = [json.loads(p) for p in SarifFormatter().render_parts(report(45, 2))]
    assert [len(p["runs"]) for p in parts] == [20, 20, 5]
    for part in parts:
        assert validate_schema(part) == [] and check_github(part) == []
    categories = [r["automationDetails"]["id"].rsplit("/", 1)[0] for p in parts for r in p["runs"]]
    assert len(set(categories)) == 45
    assert sum(len(r["results"]) for p in parts for r in p["runs"]) == 90


def test_one_file_is_refused_when_it_would_need_parts() -> None:
    with pytest.raises(SarifLimitError, match="more than 20 runs"):
        SarifFormatter().render(report(21, 1))


def test_30000_results_in_one_account_are_refused_not_truncated() -> None:
    with pytest.raises(
        SarifLimitError, match="has 30000 failing results; GitHub accepts at most 25000 per run"
    ):
        SarifFormatter().render_parts(report(1, 30_000))


def test_30000_results_over_two_accounts_pass_the_profile() -> None:
    (part,) = [json.loads(p) for p in SarifFormatter().render_parts(report(2, 15_000))]
    assert check_github(part) == []
    assert [len(r["results"]) for r in part["runs"]] == [15_000, 15_000]


def test_parts_past_the_size_limit_are_split_further() -> None:
    formatter = SarifFormatter(max_gzip_bytes=12_000)
    parts = [json.loads(p) for p in formatter.render_parts(report(8, 60))]
    assert len(parts) > 1
    assert sum(len(p["runs"]) for p in parts) == 8
    for part in parts:
        assert check_github(part, max_gzip_bytes=12_000) == []
    with pytest.raises(SarifLimitError, match="one account's SARIF run is"):
        SarifFormatter(max_gzip_bytes=1_000).render_parts(report(2, 60))


def test_the_category_can_be_overridden() -> None:
    (part,) = [
        json.loads(p)
        for p in SarifFormatter(category="hipaa-scan-nightly").render_parts(report(1, 1))
    ]
    assert part["runs"][0]["automationDetails"]["id"].startswith("hipaa-scan-nightly/toy/acct-000/")


def test_the_cli_writes_predictable_part_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    snapshot = tmp_path / "org.json"
    merged = estate(45, 1)
    write_snapshot(
        Snapshot(
            "t",
            Scope("toy", tuple(s.scope.accounts[0] for s in merged), ("toyland-1",)),
            "s",
            "f",
            tuple(r for s in merged for r in s.resources),
            (),
        ),
        snapshot,
    )
    out = tmp_path / "hipaa.sarif"
    code, _, err = run(
        ["evaluate", str(snapshot), "-f", "sarif", "-o", str(out), "--sarif-category", "nightly"],
        capsys,
    )
    assert code == 1
    written = sorted(p.name for p in tmp_path.glob("hipaa*.sarif"))
    assert written == ["hipaa.2.sarif", "hipaa.3.sarif", "hipaa.sarif"]
    assert "split into 3 files" in err
    runs = [r for name in written for r in json.loads((tmp_path / name).read_text())["runs"]]
    assert len(runs) == 45
    assert all(r["automationDetails"]["id"].startswith("nightly/toy/") for r in runs)

    code, out_text, err = run(["evaluate", str(snapshot), "-f", "sarif"], capsys)
    assert code == 2
    assert "write it to a file with -o" in err
    assert out_text == ""


def demo_report() -> Report:
    """The three demos' snapshots, evaluated with every rule."""
    snapshots = Path(__file__).resolve().parent.parent / "data" / "snapshots"
    loaded = [load_snapshot(snapshots / f"demo-{cloud}.json") for cloud in ("aws", "gcp", "azure")]
    return evaluate(loaded, load_rules())


def _part_pieces(formatter: SarifFormatter, rep: Report) -> list[list[str]]:
    """Each part of `rep`'s SARIF as the pieces the size check is given."""
    groups = sarif._Groups(rep)
    encoder = sarif._RunEncoder(rep, groups, formatter.help_uri_base, "hipaa-scan", exact=True)
    head, tail = sarif._frame(formatter._log_frame())
    keys = sarif.run_keys(rep)
    return [
        [head, *sarif._pieces([encoder.text(k) for k in keys[i : i + 20]]), tail]
        for i in range(0, len(keys), 20)
    ]


def test_the_size_estimate_is_never_below_the_exact_size() -> None:
    # The estimate accepts a part without compressing it whole at level 6: it must
    # overestimate, on the realistic parts of the tests' estates and of the demo.
    for rep in (report(45, 3), report(8, 60), demo_report()):
        for pieces in _part_pieces(SarifFormatter(), rep):
            assert sarif._estimated_size(pieces) >= sarif._deflated_size(pieces, 6)


@given(
    st.lists(
        st.text(st.characters(codec="utf-8"), max_size=3000)
        | st.binary(max_size=3000).map(bytes.hex),
        min_size=1,
        max_size=8,
    )
)
def test_the_size_estimate_overestimates_any_pieces(pieces: list[str]) -> None:
    assert sarif._estimated_size(pieces) >= sarif._deflated_size(pieces, 6)


def test_near_the_limit_the_exact_size_decides() -> None:
    rep = report(4, 40)
    (pieces,) = _part_pieces(SarifFormatter(), rep)
    exact, estimate = sarif._deflated_size(pieces, 6), sarif._estimated_size(pieces)
    assert exact < estimate
    # A limit the estimate would refuse (above 80 % of it) but the exact size meets.
    limit = max(exact, int(estimate / 0.8) - 1)
    assert estimate > 0.8 * limit
    assert len(SarifFormatter(max_gzip_bytes=limit).render_parts(rep)) == 1
    assert len(SarifFormatter(max_gzip_bytes=exact - 1).render_parts(rep)) == 2


def test_a_refused_run_is_refused_before_any_part_is_made() -> None:
    parts = SarifFormatter().iter_parts(report(3, 25_001))
    with pytest.raises(SarifLimitError, match="has 25001 failing results"):
        next(parts)


def test_a_run_refused_after_parts_were_written_leaves_no_part_behind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # 20 small accounts make a first part that fits; the last account alone is too big.
    small, (large,) = estate(20, 1), estate(1, 400)
    large = dataclasses.replace(
        large,
        resources=tuple(
            dataclasses.replace(r, uid=r.uid.replace("acct-000", "acct-999"), account="acct-999")
            for r in large.resources
        ),
    )
    snapshot = tmp_path / "org.json"
    accounts = (*(s.scope.accounts[0] for s in small), "acct-999")
    resources = tuple(r for s in (*small, large) for r in s.resources)
    write_snapshot(
        Snapshot("t", Scope("toy", accounts, ("toyland-1",)), "s", "f", resources, ()), snapshot
    )
    limit = 8_000
    monkeypatch.setattr(
        report_module, "SarifFormatter", functools.partial(SarifFormatter, max_gzip_bytes=limit)
    )
    formatter = SarifFormatter(max_gzip_bytes=limit)
    first = next(formatter.iter_parts(evaluate([load_snapshot(snapshot)], [widget_encrypted])))
    assert len(json.loads(first)["runs"]) == 20  # the first part was made and fit

    out = tmp_path / "hipaa.sarif"
    code, _, err = run(["evaluate", str(snapshot), "-f", "sarif", "-o", str(out)], capsys)
    assert code == 2
    assert "one account's SARIF run is" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["org.json"]


def test_a_failed_write_leaves_the_previous_sarif_in_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    snapshot = tmp_path / "org.json"
    (one,) = estate(1, 1)
    write_snapshot(one, snapshot)
    out = tmp_path / "hipaa.sarif"
    out.write_text("yesterday's upload\n")

    def disk_full(path: Path, text: str) -> None:
        raise InputFileError(f"{path}: cannot write (No space left on device)")

    monkeypatch.setattr(report_module, "write_private", disk_full)
    code, _, err = run(["evaluate", str(snapshot), "-f", "sarif", "-o", str(out)], capsys)
    assert code == 2
    assert "No space left on device" in err
    assert out.read_text() == "yesterday's upload\n"
