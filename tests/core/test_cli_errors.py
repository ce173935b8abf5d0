"""Bad input: one clear line on stderr, exit code 2, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scanner import __version__
from scanner.cli import main


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(args)
    out, err = capsys.readouterr()
    code = exited.value.code
    return (code if isinstance(code, int) else 1), out, err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["--version"], capsys)
    assert code == 0
    assert out.strip() == f"hipaa-scan, version {__version__}"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["aws", "--org"], "--org needs --org-role NAME"),
        (["aws", "--org-role", "Audit"], "--org-role only applies with --org"),
        (
            ["aws", "--account", "123456789012"],
            "--account and --exclude-account only apply with --org",
        ),
        (
            ["aws", "--org", "--org-role", "Audit", "--account", "12345"],
            "account id '12345' is not 12 digits",
        ),
        (["aws", "--phi-tag", "phi"], "--phi-tag 'phi' must be KEY=VALUE"),
        (["aws", "--fail-on", "severe"], "--fail-on: unknown severity 'severe'"),
        (["aws", "--concern", "privacy"], "unknown concern 'privacy'"),
        (["aws", "--format", "json,sarif"], "2 formats need 2 --output paths"),
        (["aws", "--format", "pdf"], "unknown --format pdf"),
        (["aws", "--role-arn", "not-an-arn"], "--role-arn 'not-an-arn' is not an IAM role ARN"),
        (["aws", "--width", "20"], "'--width': 20 is not in the range 40<=x<=1000"),
        (["aws", "--max-listed", "-1"], "'--max-listed': -1 is not in the range x>=0"),
    ],
)
def test_usage_errors(
    args: list[str],
    message: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Never let a usage test reach AWS: any collection attempt fails the test loudly.
    monkeypatch.setattr(
        "providers.aws.provider.collect", lambda *a, **k: pytest.fail("collection started")
    )
    code, out, err = run(args, capsys)
    assert code == 2
    assert message in err
    assert "Traceback" not in err
    assert out == ""


def test_unknown_rule_id(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    snapshot = tmp_path / "s.json"
    snapshot.write_text(json.dumps(EMPTY_SNAPSHOT))
    code, _, err = run(["evaluate", str(snapshot), "--rule", "NOPE-1"], capsys)
    assert code == 2
    assert "unknown rule id(s): NOPE-1; run 'hipaa-scan rules'" in err


EMPTY_SNAPSHOT = {
    "format": "hipaa-scan-snapshot",
    "schema_version": 1,
    "tool": {"name": "hipaa-scan", "version": "0.1.0"},
    "scope": {
        "provider": "aws",
        "accounts": ["123456789012"],
        "regions": ["us-east-1"],
        "profile": None,
        "endpoint_url": None,
    },
    "started_at": "2026-01-01T00:00:00Z",
    "finished_at": "2026-01-01T00:01:00Z",
    "api_calls": 0,
    "resources": [],
    "gaps": [],
}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not JSON (line 1, column 2"),
        (
            json.dumps({**EMPTY_SNAPSHOT, "schema_version": 9}),
            "snapshot schema_version 9 is not one this hipaa-scan reads",
        ),
        (
            json.dumps({k: v for k, v in EMPTY_SNAPSHOT.items() if k != "scope"}),
            "not a valid hipaa-scan snapshot at (top level): 'scope' is a required property",
        ),
        (
            json.dumps({**EMPTY_SNAPSHOT, "resources": [{"uid": "x"}]}),
            "not a valid hipaa-scan snapshot at resources/0",
        ),
        (
            json.dumps(
                {
                    **EMPTY_SNAPSHOT,
                    "resources": [
                        {
                            "uid": "arn:x",
                            "provider": "aws",
                            "kind": "made.up",
                            "native_type": "AWS::X::Y",
                            "account": "1",
                            "region": "r",
                            "name": "n",
                            "tags": {},
                            "props": {},
                        }
                    ],
                }
            ),
            "resources[0]: unknown kind 'made.up'",
        ),
    ],
)
def test_bad_snapshot_files(
    content: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    code, _, err = run(["evaluate", str(path)], capsys)
    assert code == 2
    assert f"{path}: " in err
    assert message in err
    assert "Traceback" not in err


def test_missing_snapshot_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["evaluate", str(tmp_path / "nope.json")], capsys)
    assert code == 2
    assert "nope.json: snapshot file not found; check the path" in err


def test_empty_snapshot_evaluates_clean(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "s.json"
    path.write_text(json.dumps(EMPTY_SNAPSHOT))
    code, out, err = run(["evaluate", str(path), "--format", "json"], capsys)
    assert code == 0
    report = json.loads(out)
    assert report["findings"] == []
    assert report["complete"] is True
    assert "0 findings" in err


def closed_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_unreachable_endpoint_is_one_clear_line(capsys: pytest.CaptureFixture[str]) -> None:
    port = closed_port()
    code, out, err = run(
        [
            "aws",
            "--endpoint-url",
            f"http://127.0.0.1:{port}",
            "--region",
            "us-east-1",
            "--max-attempts",
            "1",
        ],
        capsys,
    )
    assert code == 2
    assert f"hipaa-scan: error: cannot reach http://127.0.0.1:{port};" in err
    assert "check the network, --endpoint-url or AWS_ENDPOINT_URL" in err
    assert "Traceback" not in err and out == ""


def test_missing_credentials_are_one_clear_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    code, _, err = run(["aws", "--region", "us-east-1", "--max-attempts", "1"], capsys)
    assert code == 2
    assert "hipaa-scan: error: no AWS credentials found; set AWS_PROFILE or --profile" in err
    assert "Traceback" not in err


def test_unknown_profile(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["aws", "--profile", "nope"], capsys)
    assert code == 2
    assert "AWS profile 'nope' (--profile) not found in the AWS config" in err
