"""Stale SARIF parts: a run that writes fewer parts removes the earlier run's extra ones."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from scanner.cli.sarif_parts import part_number, remove_stale_parts
from scanner.model import Scope, Snapshot
from scanner.output.sarif import (
    SNIFF_HEAD_BYTES,
    SNIFF_TAIL_BYTES,
    SarifFormatter,
    written_by_hipaa_scan,
)
from scanner.snapshot import write_snapshot
from tests.core.test_provider_seam import run, toy_registered  # noqa: F401
from tests.core.test_sarif_limits import demo_report, estate, report

# 20 runs (accounts) per part: 45 accounts make 3 parts, 25 make 2, 5 make 1.
PARTS_OF = {3: 45, 2: 25, 1: 5}


def scan(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], parts: int, out: Path | None = None
) -> tuple[int, str]:
    """Evaluate an estate whose SARIF has `parts` parts into `out` (hipaa.sarif)."""
    merged = estate(PARTS_OF[parts], 1)
    snapshot = tmp_path / "in" / f"org-{parts}.json"
    snapshot.parent.mkdir(exist_ok=True)
    accounts = tuple(s.scope.accounts[0] for s in merged)
    resources = tuple(r for s in merged for r in s.resources)
    write_snapshot(
        Snapshot("t", Scope("toy", accounts, ("toyland-1",)), "s", "f", resources, ()), snapshot
    )
    target = out or tmp_path / "out" / "hipaa.sarif"
    target.parent.mkdir(exist_ok=True)
    code, _, err = run(["evaluate", str(snapshot), "-f", "sarif", "-o", str(target)], capsys)
    return code, err


def accounts_in(directory: Path) -> dict[str, int]:
    """Each SARIF file's number of runs (accounts)."""
    return {
        p.name: len(json.loads(p.read_text())["runs"])
        for p in sorted(directory.iterdir())
        if p.is_file() and not p.is_symlink() and p.name.startswith("hipaa")
    }


@pytest.mark.parametrize(
    ("second", "expected"),
    [
        (1, {"hipaa.sarif": 5}),
        (2, {"hipaa.sarif": 20, "hipaa.2.sarif": 5}),
    ],
)
def test_a_run_with_fewer_parts_removes_the_earlier_extra_parts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], second: int, expected: dict[str, int]
) -> None:
    code, _ = scan(tmp_path, capsys, 3)
    assert code == 1
    assert accounts_in(tmp_path / "out") == {
        "hipaa.sarif": 20,
        "hipaa.2.sarif": 20,
        "hipaa.3.sarif": 5,
    }
    code, err = scan(tmp_path, capsys, second)
    assert code == 1, err
    assert "error" not in err
    assert accounts_in(tmp_path / "out") == expected
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(expected)


def test_one_then_two_then_one_part(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Single file to parts and back: the naming makes both directions one case.
    out = tmp_path / "out"
    for parts, expected in [
        (1, {"hipaa.sarif": 5}),
        (2, {"hipaa.sarif": 20, "hipaa.2.sarif": 5}),
        (1, {"hipaa.sarif": 5}),
    ]:
        code, err = scan(tmp_path, capsys, parts)
        assert code == 1, err
        assert accounts_in(out) == expected
        assert sorted(p.name for p in out.iterdir()) == sorted(expected)


LOOKALIKES = [
    "hipaa.02.sarif",
    "hipaa.1.sarif",
    "hipaa.2.sarif.bak",
    "hipaa.4.json",
    "hipaa.sarif.4",
    "hipaa.x.sarif",
    "hipaa..4.sarif",
    ".hipaa.4.sarif",
    "xhipaa.4.sarif",
    "other.4.sarif",
    "hipaa.4.sarif.tmp",
]


def test_files_named_like_parts_but_not_exactly_survive_silently(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _ = scan(tmp_path, capsys, 2)
    assert code == 1
    out = tmp_path / "out"
    ours = (out / "hipaa.2.sarif").read_bytes()  # a real part: only its name protects it
    for name in LOOKALIKES:
        (out / name).write_bytes(ours)
    code, err = scan(tmp_path, capsys, 1)
    assert code == 1, err
    assert "error" not in err
    assert sorted(p.name for p in out.iterdir()) == sorted(["hipaa.sarif", *LOOKALIKES])
    assert all((out / name).read_bytes() == ours for name in LOOKALIKES)


def test_a_symlink_named_like_a_part_survives_and_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scan(tmp_path, capsys, 3)
    out = tmp_path / "out"
    elsewhere = tmp_path / "kept.sarif"
    elsewhere.write_bytes((out / "hipaa.3.sarif").read_bytes())
    (out / "hipaa.3.sarif").unlink()
    (out / "hipaa.3.sarif").symlink_to(elsewhere)
    code, err = scan(tmp_path, capsys, 1)
    assert code == 2
    assert sorted(p.name for p in out.iterdir()) == ["hipaa.3.sarif", "hipaa.sarif"]
    assert (out / "hipaa.3.sarif").is_symlink() and elsewhere.exists()
    lines = [line for line in err.splitlines() if "error" in line]
    assert lines[0] == (
        f"hipaa-scan: error: {out / 'hipaa.3.sarif'} is named like a part of "
        f"{out / 'hipaa.sarif'} from an earlier run but was left in place: it is a "
        "symbolic link (never followed)"
    )
    assert len(lines) == 2 and "1 file(s) named like its parts" in lines[1]
    # The new report itself was written whole.
    assert accounts_in(out) == {"hipaa.sarif": 5}


@pytest.mark.parametrize(
    "content",
    [
        b"my notes, not a report\n",
        b"",
        # Another tool's SARIF, in the same layout up to its runs.
        b'{\n  "$schema": "https://json.schemastore.org/sarif-2.1.0.json",\n  "runs": [\n'
        b'    {\n      "automationDetails": {},\n      "tool": {"driver": {"name": "x"}}\n'
        b'    }\n  ],\n  "version": "2.1.0"\n}\n',
    ],
)
def test_a_file_named_like_a_part_that_is_not_ours_survives_and_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes
) -> None:
    scan(tmp_path, capsys, 3)
    out = tmp_path / "out"
    (out / "hipaa.3.sarif").write_bytes(content)
    code, err = scan(tmp_path, capsys, 1)
    assert code == 2
    assert sorted(p.name for p in out.iterdir()) == ["hipaa.3.sarif", "hipaa.sarif"]
    assert (out / "hipaa.3.sarif").read_bytes() == content
    assert (
        f"{out / 'hipaa.3.sarif'} is named like a part of {out / 'hipaa.sarif'} from an "
        "earlier run but was left in place: it is not a SARIF part written by hipaa-scan"
    ) in err
    assert "hipaa.2.sarif" not in err  # the part that was ours is removed, not reported


def test_a_directory_named_like_a_part_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "hipaa.7.sarif").mkdir()
    code, err = scan(tmp_path, capsys, 1)
    assert code == 2
    assert "hipaa.7.sarif is named like a part" in err and "not a regular file" in err


def test_an_unreadable_part_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    scan(tmp_path, capsys, 2)
    out = tmp_path / "out"

    def denied(path: Path, expected: os.stat_result, size: int) -> tuple[bytes, bytes]:
        raise PermissionError(13, "Permission denied")

    # Root reads whatever the mode says, so the refusal is the kernel's answer, simulated.
    monkeypatch.setattr("scanner.cli.sarif_parts.read_ends", denied)
    code, err = scan(tmp_path, capsys, 1)
    assert code == 2
    assert f"{out / 'hipaa.2.sarif'} is named like a part" in err
    assert "cannot read it (Permission denied)" in err
    assert (out / "hipaa.2.sarif").exists()


def test_a_part_of_a_name_without_suffix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out" / "report"
    scan(tmp_path, capsys, 3, out)
    assert sorted(p.name for p in out.parent.iterdir()) == ["report", "report.2", "report.3"]
    code, err = scan(tmp_path, capsys, 1, out)
    assert code == 1, err
    assert sorted(p.name for p in out.parent.iterdir()) == ["report"]


def test_part_numbers() -> None:
    target = Path("d/hipaa.sarif")
    names = ["hipaa.2.sarif", "hipaa.10.sarif", "hipaa.1.sarif", "hipaa.02.sarif", "hipaa.sarif"]
    assert [part_number(target, n) for n in names] == [2, 10, None, None, None]
    assert part_number(Path("a.b.sarif"), "a.b.3.sarif") == 3
    assert part_number(Path("a.b.sarif"), "a.3.b.sarif") is None
    assert part_number(Path("x[1]+.sarif"), "x[1]+.2.sarif") == 2


def test_a_directory_that_cannot_be_listed_is_reported(tmp_path: Path) -> None:
    (leftover,) = remove_stale_parts(tmp_path / "missing" / "hipaa.sarif", [])
    assert leftover.path == tmp_path / "missing"
    assert leftover.reason.startswith("cannot list the directory")


@pytest.mark.parametrize("category", ["hipaa-scan", "nightly"])
def test_every_part_hipaa_scan_writes_is_recognised(category: str) -> None:
    # Whatever the category (it heads each run's id), and for the demos' real rules.
    formatter = SarifFormatter(category=category)
    parts = [*formatter.render_parts(report(45, 1)), *formatter.render_parts(demo_report())]
    assert len(parts) == 4
    for text in parts:
        data = text.encode()
        assert written_by_hipaa_scan(data[:SNIFF_HEAD_BYTES], data[-SNIFF_TAIL_BYTES:])
        assert not written_by_hipaa_scan(data[:SNIFF_HEAD_BYTES], data[-SNIFF_TAIL_BYTES:-1])
        assert not written_by_hipaa_scan(data[1 : SNIFF_HEAD_BYTES + 1], data[-SNIFF_TAIL_BYTES:])


@pytest.mark.parametrize(
    ("args", "flag"),
    [
        (["-f", "sarif,json", "-o", "{d}/r.sarif", "-o", "{d}/r.2.sarif"], "--output"),
        (["-f", "json,sarif", "-o", "{d}/r.12.sarif", "-o", "{d}/r.sarif"], "--output"),
        (["-f", "sarif", "-o", "{d}/r.sarif", "--snapshot-out", "{d}/r.3.sarif"], "--snapshot-out"),
    ],
)
def test_another_output_named_like_a_part_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], flag: str
) -> None:
    command = "demo" if flag == "--snapshot-out" else "evaluate"
    inputs = [] if command == "demo" else [str(tmp_path / "in.json")]
    code, out, err = run([command, *inputs, *(a.format(d=tmp_path) for a in args)], capsys)
    assert (code, out) == (2, "")
    assert f"hipaa-scan: error: {flag} {tmp_path}/r." in err
    assert f"is named like a part of the SARIF {tmp_path}/r.sarif" in err
    assert sorted(tmp_path.iterdir()) == []


def test_a_look_alike_output_name_is_accepted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _ = scan(tmp_path, capsys, 1)
    snapshot = tmp_path / "in" / "org-1.json"
    out = tmp_path / "out"
    code, _, err = run(
        [
            "evaluate",
            str(snapshot),
            "-f",
            "sarif,json",
            "-o",
            str(out / "r.sarif"),
            "-o",
            str(out / "r.02.sarif"),
        ],
        capsys,
    )
    assert code == 1, err
    assert sorted(p.name for p in out.iterdir()) == ["hipaa.sarif", "r.02.sarif", "r.sarif"]
