"""Hostile conditions, run through the installed CLI as a user (or an attacker) would.

Each case asserts the exit code, the class of the one-line message on stderr and the state
of every file involved: outputs never clobber a symlink, a FIFO, a device or an input; a
typo in an output path is found before any collection; errors name their real cause; a
hostile endpoint or a tampered snapshot cannot drive the terminal; a debug run shows no
credential; SIGINT / SIGTERM stop a running scan within two seconds and leave no file.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest

from tests.e2e.conftest import CliResult, cli_env, hipaa_scan_command, reset, scan_args, seed

SESSION_TOKEN = "IQoJb3JpZ2luX2VjEHostileSessionToken0123456789abcdefXYZ"
SECRET_KEY = "hostileSecretAccessKey0123456789abcdefgh"
# Every C0 control but newline, DEL, and every C1 control.
CONTROL = {*range(0x00, 0x0A), *range(0x0B, 0x20), 0x7F, *range(0x80, 0xA0)}


def run(
    args: Sequence[str],
    tmp_path: Path,
    env: Mapping[str, str] | None = None,
    timeout: float = 120,
    **popen: Any,
) -> CliResult:
    """The installed CLI with `args`, in a sealed environment plus `env`."""
    done = subprocess.run(
        [*hipaa_scan_command(), *args],
        text=True,
        env={**cli_env(tmp_path), **(env or {})},
        timeout=timeout,
        check=False,
        **({"capture_output": True} | popen),
    )
    return CliResult(done.returncode, done.stdout or "", done.stderr or "")


def one_error(result: CliResult, fragment: str) -> None:
    """Exit 2 with exactly one ``hipaa-scan: error:`` line containing `fragment`."""
    errors = [line for line in result.stderr.splitlines() if line.startswith("hipaa-scan: error:")]
    assert result.code == 2, result.stderr
    assert len(errors) == 1 and fragment in errors[0], result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr


def controls(text: str) -> list[str]:
    return sorted({hex(ord(c)) for c in text if ord(c) in CONTROL})


@pytest.fixture(scope="module")
def snapshot(moto_endpoint: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A snapshot of the demo estate, collected once for the module."""
    reset(moto_endpoint)
    seed(moto_endpoint)
    path = tmp_path_factory.mktemp("snap") / "snapshot.json"
    result = run(
        scan_args(moto_endpoint, "--snapshot-out", str(path), "-q", "-o", os.devnull), path.parent
    )
    assert result.code in (0, 1), result.stderr
    return path


@pytest.fixture
def unreachable() -> str:
    """An endpoint nothing listens on: a case that reaches collection fails loudly."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


# --- 2. Outputs that never clobber --------------------------------------------------------


def test_an_output_in_a_missing_directory_is_refused_before_collection(
    tmp_path: Path, unreachable: str
) -> None:
    target = tmp_path / "typo" / "report.json"
    result = run(
        [
            "aws",
            "--endpoint-url",
            unreachable,
            "--region",
            "us-east-1",
            "-f",
            "json",
            "-o",
            str(target),
        ],
        tmp_path,
    )
    one_error(result, f"--output {target}: directory {target.parent} does not exist")
    assert "identifying the caller" not in result.stderr  # nothing was collected
    assert not target.parent.exists()


def test_a_directory_as_output_is_refused(tmp_path: Path, unreachable: str) -> None:
    result = run(
        [
            "aws",
            "--endpoint-url",
            unreachable,
            "--region",
            "us-east-1",
            "-f",
            "json",
            "-o",
            str(tmp_path),
        ],
        tmp_path,
    )
    one_error(result, f"--output {tmp_path}: is a directory")
    assert list(tmp_path.iterdir()) == []


def test_the_same_path_twice_is_refused(tmp_path: Path, unreachable: str) -> None:
    target = tmp_path / "out.json"
    result = run(
        [
            "aws",
            "--endpoint-url",
            unreachable,
            "--region",
            "us-east-1",
            "-f",
            "json",
            "-o",
            str(target),
            "--snapshot-out",
            str(target),
        ],
        tmp_path,
    )
    one_error(result, "is the same file as --output")
    assert not target.exists()


def test_an_output_equal_to_the_input_is_refused(tmp_path: Path, snapshot: Path) -> None:
    before = snapshot.read_bytes()
    link = tmp_path / "alias.json"
    link.symlink_to(snapshot)
    for given in (snapshot, link):
        result = run(["evaluate", str(snapshot), "-f", "json", "-o", str(given)], tmp_path)
        one_error(result, f"is the same file as input {snapshot}")
    assert snapshot.read_bytes() == before
    assert link.is_symlink()


def test_a_symlink_output_is_written_through_to_its_target(tmp_path: Path, snapshot: Path) -> None:
    target = tmp_path / "real.json"
    target.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    result = run(["evaluate", str(snapshot), "-q", "-f", "json", "-o", str(link)], tmp_path)
    assert result.code == 1, result.stderr
    assert link.is_symlink() and link.resolve() == target
    assert json.loads(target.read_text())["findings"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.json", "real.json"]


def test_a_fifo_output_is_written_in_place(tmp_path: Path, snapshot: Path) -> None:
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = run(["evaluate", str(snapshot), "-q", "-f", "json", "-o", str(fifo)], tmp_path)
    reader.join(timeout=30)
    assert result.code == 1, result.stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert json.loads(received[0])["findings"]
    assert [p.name for p in tmp_path.iterdir()] == ["report.fifo"]


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (Linux)")
def test_a_full_device_is_an_error_and_stays_a_device(tmp_path: Path, snapshot: Path) -> None:
    result = run(["evaluate", str(snapshot), "-q", "-f", "json", "-o", "/dev/full"], tmp_path)
    one_error(result, "/dev/full: cannot write (No space left on device)")
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (Linux)")
def test_a_full_stdout_is_one_error_line(tmp_path: Path, snapshot: Path) -> None:
    with open("/dev/full", "w") as full:
        result = run(
            ["evaluate", str(snapshot), "-q"],
            tmp_path,
            stdout=full,
            stderr=subprocess.PIPE,
            capture_output=False,
        )
    one_error(result, "cannot write the report to stdout: No space left on device")


def test_a_closed_stdout_pipe_is_one_error_line(tmp_path: Path, snapshot: Path) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = run(
            ["evaluate", str(snapshot), "-q"],
            tmp_path,
            stdout=write_end,
            stderr=subprocess.PIPE,
            capture_output=False,
        )
    finally:
        os.close(write_end)
    one_error(result, "cannot write the report to stdout: it was closed (broken pipe)")


def test_a_non_utf8_stdout_gets_replacement_characters(tmp_path: Path, snapshot: Path) -> None:
    data = json.loads(snapshot.read_text())
    data["resources"][0]["name"] = "résumé-☃"
    accented = tmp_path / "accented.json"
    accented.write_text(json.dumps(data), encoding="utf-8")
    result = run(
        ["evaluate", str(accented), "-q", "--rule", "PUB-BUCKET-01"],
        tmp_path,
        env={"PYTHONIOENCODING": "ascii"},
    )
    assert result.code in (0, 1), result.stderr
    assert "Result:" in result.stdout and "Traceback" not in result.stderr


# --- 3. Honest errors -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "env", "fragment"),
    [
        (["--endpoint-url", "not-a-url"], {}, "--endpoint-url 'not-a-url' is not an http://"),
        ([], {"AWS_ENDPOINT_URL": "http://"}, "AWS_ENDPOINT_URL 'http://' is not an http://"),
        (["--region", ""], {}, "--region '' is not an AWS region name"),
        (["--region", "bogus-1"], {}, "--region 'bogus-1' is not an AWS region name"),
        (["--region", "xx-fake-1"], {}, "--region 'xx-fake-1' is not a region this AWS SDK knows"),
        (["--external-id", "x"], {}, "--external-id only applies with --role-arn or --org"),
        (
            ["--role-arn", "arn:aws:iam::123456789012:role/Audit", "--external-id", "x"],
            {},
            "--external-id must be 2 to 1,224 characters",
        ),
        (
            ["--concern", "agreements", "--severity", "info"],
            {},
            "the rule selection (--rule, --exclude-rule, --concern, --severity) matches no rule",
        ),
        ([], {"AWS_PROFILE": "nope"}, "AWS profile 'nope' (from AWS_PROFILE) not found"),
        (
            ["--rule", "BAK-AZFLEXDB-01"],
            {},
            "matches no rule for aws (it selects rules for azure only)",
        ),
    ],
)
def test_user_mistakes_are_one_line_naming_the_cause(
    args: list[str], env: dict[str, str], fragment: str, tmp_path: Path, unreachable: str
) -> None:
    endpoint = [] if "--endpoint-url" in args or env else ["--endpoint-url", unreachable]
    regions = [] if "--region" in args else ["--region", "us-east-1"]
    result = run(["aws", *endpoint, *regions, "--max-attempts", "1", *args], tmp_path, env=env)
    one_error(result, fragment)


def test_evaluating_with_rules_of_another_cloud_only_is_refused(
    tmp_path: Path, snapshot: Path
) -> None:
    result = run(["evaluate", str(snapshot), "--rule", "BAK-AZFLEXDB-01"], tmp_path)
    one_error(result, "matches no rule for aws (it selects rules for azure only)")
    assert result.stdout == ""


def test_a_malformed_aws_config_is_named(tmp_path: Path, unreachable: str) -> None:
    config = tmp_path / "config"
    config.write_text("[profile broken\nregion=\n")
    result = run(
        ["aws", "--endpoint-url", unreachable, "--region", "us-east-1"],
        tmp_path,
        env={"AWS_CONFIG_FILE": str(config)},
    )
    one_error(result, f"cannot parse the AWS config file {config}")


def test_tls_to_a_plain_http_endpoint_is_named(tmp_path: Path, moto_endpoint: str) -> None:
    https = moto_endpoint.replace("http://", "https://")
    result = run(
        ["aws", "--endpoint-url", https, "--region", "us-east-1", "--max-attempts", "1"], tmp_path
    )
    one_error(result, f"TLS handshake with {https} failed")
    assert "give it as http://" in result.stderr


def test_a_non_aws_endpoint_is_named_without_its_page(tmp_path: Path, web_page: str) -> None:
    result = run(
        ["aws", "--endpoint-url", web_page, "--region", "us-east-1", "--max-attempts", "1"],
        tmp_path,
    )
    one_error(result, f"{web_page} did not answer like AWS STS")
    assert "<" not in result.stderr
    assert "identifying the caller (sts:GetCallerIdentity)" in result.stderr


def test_permissions_need_no_sdk_and_a_scan_names_the_extra(tmp_path: Path) -> None:
    blocked = (
        "import sys\nfor m in ('boto3', 'botocore'): sys.modules[m] = None\n"
        "from scanner.cli import main\nmain(sys.argv[1:])\n"
    )
    env = cli_env(tmp_path)
    listed = subprocess.run(
        [sys.executable, "-c", blocked, "permissions", "aws"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert listed.returncode == 0, listed.stderr
    assert "s3:ListAllMyBuckets" in json.loads(listed.stdout)["Statement"][0]["Action"]
    scan = subprocess.run(
        [sys.executable, "-c", blocked, "aws", "--region", "us-east-1"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    one_error(CliResult(scan.returncode, scan.stdout, scan.stderr), "pip install 'hipaa-scan[aws]'")


@pytest.mark.parametrize(
    ("document", "fragment"),
    [
        ("[{}]", "at (top level): expected object, found an array"),
        (
            json.dumps({"format": "hipaa-scan-snapshot", "schema_version": "1"}),
            "schema_version is the string '1'; it must be a number",
        ),
        ("[" * 200_000 + "]" * 200_000, "JSON nested too deeply to be a snapshot"),
    ],
)
def test_bad_snapshots_are_one_short_line(document: str, fragment: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(document)
    result = run(["evaluate", str(path)], tmp_path)
    one_error(result, fragment)
    assert len(result.stderr) < 400


# --- 1. Scope that matches nothing --------------------------------------------------------


def test_a_phi_tag_matching_nothing_warns_everywhere(tmp_path: Path, snapshot: Path) -> None:
    result = run(["evaluate", str(snapshot), "--phi-tag", "phi=true"], tmp_path)
    assert result.code in (0, 1), result.stderr
    warning = [line for line in result.stderr.splitlines() if "warning: 0 of" in line]
    assert len(warning) == 1 and "data resources carry phi=true" in warning[0]
    assert "PHI scope phi=true: 0 in scope, " in result.stdout
    assert "out of scope - WARNING: no resource is in PHI scope" in result.stdout


def test_an_org_account_outside_the_organization_is_an_error(
    tmp_path: Path, moto_endpoint: str
) -> None:
    import boto3

    reset(moto_endpoint)
    orgs = boto3.client(
        "organizations",
        endpoint_url=moto_endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    with contextlib.suppress(orgs.exceptions.AlreadyInOrganizationException):
        orgs.create_organization(FeatureSet="ALL")
    result = run(
        [
            *scan_args(moto_endpoint),
            "--org",
            "--org-role",
            "Audit",
            "--account",
            "999999999999",
            "--strict",
        ],
        tmp_path,
    )
    one_error(result, "--account 999999999999 is not an active account of the organization")


# --- 5. Security ------------------------------------------------------------------------


def test_a_debug_run_never_prints_the_session_credentials(
    tmp_path: Path, moto_endpoint: str
) -> None:
    env = {
        "AWS_SESSION_TOKEN": SESSION_TOKEN,
        "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
        "AWS_ACCESS_KEY_ID": "ASIAHOSTILEKEY000001",
    }
    result = run(
        [
            "--debug",
            "aws",
            "--endpoint-url",
            moto_endpoint,
            "--region",
            "us-east-1",
            "--max-attempts",
            "1",
            "--rule",
            "PUB-BUCKET-01",
            "-q",
        ],
        tmp_path,
        env=env,
    )
    assert result.code in (0, 1), result.stderr[-2000:]
    assert "botocore" in result.stderr and "x-amz-security-token" in result.stderr.lower()
    for secret in (SESSION_TOKEN, SECRET_KEY, "ASIAHOSTILEKEY000001"):
        assert secret not in result.stderr
        assert secret not in result.stdout


def test_a_tampered_snapshot_cannot_drive_the_terminal(tmp_path: Path, snapshot: Path) -> None:
    data = json.loads(snapshot.read_text())
    data["scope"]["profile"] = "\x1b]0;owned\x07prod"
    data["scope"]["regions"] = ["us-east-1\x1b[31m"]
    data["started_at"] = "\x9b2J2026"
    data["resources"][0]["name"] = "bucket\x1b[8m\u202ehidden"
    data["gaps"].append(
        {
            "provider": "aws",
            "account": "1\x1b[2J",
            "region": "r\x07",
            "service": "s3\x1b",
            "operation": "Op\x1b]",
            "error_code": "\x1b]0;title\x07",
            "message": "m\r\x1b[1A",
            "resource_uid": None,
        }
    )
    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps(data))
    result = run(["evaluate", str(tampered)], tmp_path, env={"NO_COLOR": "1"})
    assert result.code in (0, 1), result.stderr
    assert controls(result.stdout) == [] and controls(result.stderr) == []
    assert "\\x1b]0;owned\\x07prod" in result.stdout


def test_a_hostile_endpoint_cannot_drive_the_terminal(tmp_path: Path, hostile: str) -> None:
    result = run(
        [
            "aws",
            "--endpoint-url",
            hostile,
            "--region",
            "us-east-1",
            "--max-attempts",
            "1",
            "--max-workers",
            "4",
        ],
        tmp_path,
    )
    assert result.code in (0, 1), result.stderr[-2000:]
    assert "\\x1b]0;pwned\\x07" in result.stdout  # the escaped error code is shown...
    assert controls(result.stdout) == [] and controls(result.stderr) == []  # ...never sent


# --- 4. Ctrl-C and signals ---------------------------------------------------------------


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_stops_a_running_scan_within_two_seconds(
    signum: int, code: int, tmp_path: Path, hanging: str
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    process = _start_scan(hanging, out, tmp_path)
    try:
        _wait_for(process, "identifying the caller")
        time.sleep(1.0)  # the collectors are now waiting on the endpoint
        sent = time.monotonic()
        process.send_signal(signum)
        process.wait(timeout=10)
        elapsed = time.monotonic() - sent
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == code
    assert elapsed < 2.0
    assert list(out.iterdir()) == []  # no report, no snapshot, no temporary file


def test_a_second_ctrl_c_exits_at_once(tmp_path: Path, hanging: str) -> None:
    out = tmp_path / "out"
    out.mkdir()
    process = _start_scan(hanging, out, tmp_path)
    try:
        _wait_for(process, "identifying the caller")
        time.sleep(1.0)
        sent = time.monotonic()
        process.send_signal(signal.SIGINT)
        process.send_signal(signal.SIGINT)
        process.wait(timeout=10)
        elapsed = time.monotonic() - sent
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130
    assert elapsed < 1.0
    assert list(out.iterdir()) == []


def _start_scan(endpoint: str, out: Path, tmp_path: Path) -> subprocess.Popen[str]:
    args = [
        "aws",
        "--endpoint-url",
        endpoint,
        "--region",
        "us-east-1",
        "--max-attempts",
        "1",
        "-f",
        "json",
        "-o",
        str(out / "r.json"),
        "--snapshot-out",
        str(out / "s.json"),
    ]
    return subprocess.Popen(
        [*hipaa_scan_command(), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=cli_env(tmp_path),
    )


def _wait_for(process: subprocess.Popen[str], text: str) -> None:
    assert process.stderr is not None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        if text in line:
            return
        if not line and process.poll() is not None:
            break
    pytest.fail(f"the scan never printed {text!r}")


# --- Fake endpoints --------------------------------------------------------------------

CALLER = (
    b'<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">'
    b"<GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/x</Arn>"
    b"<UserId>X</UserId><Account>123456789012</Account></GetCallerIdentityResult>"
    b"<ResponseMetadata><RequestId>1</RequestId></ResponseMetadata>"
    b"</GetCallerIdentityResponse>"
)
EVIL_JSON = json.dumps({"__type": "\x1b]0;pwned\x07", "message": "\x1b[2J\x9bwiped"}).encode()


class _Endpoint(BaseHTTPRequestHandler):
    """Answers who-am-I like STS; every other call per the server's `mode`."""

    modes: ClassVar[dict[int, str]] = {}

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self._answer(self.rfile.read(length))

    def do_GET(self) -> None:
        self._answer(b"")

    def _answer(self, body: bytes) -> None:
        mode = self.modes[self.server.server_address[1]]
        if mode == "web":
            self._send(
                501, b"<!DOCTYPE HTML><html><body><h1>Not AWS</h1></body></html>", "text/html"
            )
        elif b"Action=GetCallerIdentity" in body:
            self._send(200, CALLER, "text/xml")
        elif mode == "hang":
            time.sleep(40)  # an endpoint that accepted the call and never answers
        else:
            self._send(400, EVIL_JSON, "application/x-amz-json-1.1")

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        """Quiet: the test output is the CLI's."""


@contextlib.contextmanager
def _endpoint(mode: str) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Endpoint)
    server.daemon_threads = True
    _Endpoint.modes[server.server_address[1]] = mode
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def hostile() -> Iterator[str]:
    with _endpoint("hostile") as url:
        yield url


@pytest.fixture(scope="module")
def hanging() -> Iterator[str]:
    with _endpoint("hang") as url:
        yield url


@pytest.fixture(scope="module")
def web_page() -> Iterator[str]:
    with _endpoint("web") as url:
        yield url
