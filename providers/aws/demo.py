"""`hipaa-scan demo`: a real scan of a built-in fictional estate on an in-process AWS fake.

It starts moto's server on 127.0.0.1 (a free port) inside this process, seeds the estate of
`providers.aws.demo_estate`, and runs the real AWS provider against it through
`--endpoint-url`, exactly as a scan of a private gateway would run. No account, no network.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import logging
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from providers.aws.demo_compute import with_compute_stubs
from providers.aws.demo_estate import DEMO_REGIONS, seed
from providers.aws.demo_monitoring_edge import handle as edge_answer
from providers.aws.demo_streams_analytics import with_redshift_serverless_stub
from providers.aws.options import AwsOptions
from providers.aws.provider import collect
from scanner.errors import CollectionError
from scanner.model import Snapshot

# The demo must never pick up the user's real AWS identity or reach a metadata address.
_DEMO_ENV = {
    "AWS_ACCESS_KEY_ID": "demo",
    "AWS_SECRET_ACCESS_KEY": "demo",
    "AWS_DEFAULT_REGION": DEMO_REGIONS[0],
    "AWS_EC2_METADATA_DISABLED": "true",
    "MOTO_IAM_LOAD_MANAGED_POLICIES": "true",
}
_CLEARED = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_SESSION_TOKEN",
    "AWS_ENDPOINT_URL",
    "AWS_ROLE_ARN",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
)


@contextlib.contextmanager
def demo_environment() -> Iterator[None]:
    """Fake credentials for the duration of the demo, restoring the caller's afterwards."""
    saved = {k: os.environ.get(k) for k in (*_DEMO_ENV, *_CLEARED, "MOTO_AMIS_PATH")}
    os.environ.update(_DEMO_ENV)
    # moto preloads ~1,300 public EC2 snapshots and AMIs unless pointed at an empty list.
    # A private file (mkstemp: unique name, mode 0600): a fixed name in the shared /tmp
    # could be pre-created, replaced or linked by any local user.
    fd, empty = tempfile.mkstemp(prefix="hipaa-scan-demo-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write("[]")
    os.environ["MOTO_AMIS_PATH"] = empty
    for name in _CLEARED:
        os.environ.pop(name, None)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(empty)
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


# moto has no AWS Artifact backend. The demo's server answers that one read itself, with
# the accepted Business Associate Addendum a real covered entity would have, so the demo
# scan is complete and shows AGR-BAA-01 passing.
ARTIFACT_LIST_PATH = "/v1/customer-agreement/list"
DEMO_ACCOUNT = "123456789012"  # moto's default account: the demo estate's
DEMO_BAA = {
    "name": "AWS Business Associate Addendum",
    "arn": "arn:aws:artifact:::agreement/agreement-demo-baa",
    "id": "agreement-demo-baa",
    "agreementArn": "arn:aws:artifact:::agreement/agreement-demo-baa",
    "awsAccountId": DEMO_ACCOUNT,
    "effectiveStart": "2024-01-01T00:00:00Z",
    "state": "ACTIVE",
    "type": "DEFAULT",
    "description": "Business Associate Addendum accepted for the sample account",
    "acceptanceTerms": [],
    "terminateTerms": [],
}

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def with_artifact_stub(app: WsgiApp, *, demo: bool = True) -> WsgiApp:
    """`app` plus the answers moto cannot give.

    With `demo`: the AWS Artifact read the demo needs (ListCustomerAgreements). Always: what
    `demo_monitoring_edge.handle` answers (Access Analyzer with `demo`, WAF associations).
    """

    def serve(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        answer = edge_answer(environ, demo=demo)
        if (
            demo
            and environ.get("REQUEST_METHOD") == "GET"
            and environ.get("PATH_INFO") == ARTIFACT_LIST_PATH
        ):
            answer = {"customerAgreements": [DEMO_BAA]}
        if answer is not None:
            body = json.dumps(answer).encode()
            start_response(
                "200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
            )
            return [body]
        return app(environ, start_response)

    return serve


# moto has no ListProtectedResources either. The demo's server answers it as AWS Backup
# would after the daily plan had run: the sessions table (whose own point-in-time
# recovery is off) backed up a day ago in us-east-1, nothing in the other region.
BACKUP_PROTECTED_PATH = "/resources/"
DEMO_PROTECTED_REGION = "us-east-1"
DEMO_PROTECTED = {
    "ResourceArn": f"arn:aws:dynamodb:{DEMO_PROTECTED_REGION}:{DEMO_ACCOUNT}:table/nwh-sessions",
    "ResourceType": "DynamoDB",
    "ResourceName": "nwh-sessions",
}


# moto cannot make a compliance-mode vault lock whose grace time is over: ChangeableForDays
# is at least 3, counted from now. The demo's server lists the estate's compliance vault as
# AWS would once that grace time had passed, with a fixed lock date (a stable report).
BACKUP_VAULTS_PATH = "/backup-vaults/"
DEMO_COMPLIANCE_VAULT = "nwh-phi-vault"
DEMO_LOCK_DATE = dt.datetime(2025, 1, 6, tzinfo=dt.UTC).timestamp()


def _settled_locks(answer: dict[str, Any]) -> dict[str, Any]:
    """A ListBackupVaults answer with the demo's compliance lock past its lock date."""
    for vault in answer.get("BackupVaultList") or []:
        if vault.get("BackupVaultName") == DEMO_COMPLIANCE_VAULT and vault.get("LockDate"):
            vault["LockDate"] = DEMO_LOCK_DATE
    return answer


def _rewritten(
    app: WsgiApp,
    environ: dict[str, Any],
    start_response: Callable[..., Any],
    change: Callable[[dict[str, Any]], dict[str, Any]],
) -> Iterable[bytes]:
    """`app`'s JSON answer to this request, passed through `change` when it succeeded."""
    held: dict[str, Any] = {}

    def hold(status: str, headers: list[tuple[str, str]], *rest: Any) -> Callable[..., Any]:
        held.update(status=status, headers=headers)
        return lambda _data: None

    body = b"".join(app(environ, hold))
    status, headers = str(held["status"]), list(held["headers"])
    if status.startswith("200"):
        body = json.dumps(change(json.loads(body))).encode()
        headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
        headers.append(("Content-Length", str(len(body))))
    start_response(status, headers)
    return [body]


# moto's server lists every region's EMR clusters in each region; AWS lists a region's own.
# The demo's server keeps to AWS's behaviour, so the collector needs no fake-specific guard.
EMR_LIST_CLUSTERS = "ElasticMapReduce.ListClusters"
_SCOPE_REGION = re.compile(r"Credential=[^/]+/\d{8}/([a-z0-9-]+)/")


def with_regional_emr(app: WsgiApp) -> WsgiApp:
    """`app` answering EMR ListClusters with the clusters of the signed region only."""

    def serve(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("HTTP_X_AMZ_TARGET") != EMR_LIST_CLUSTERS:
            return app(environ, start_response)
        scope = _SCOPE_REGION.search(environ.get("HTTP_AUTHORIZATION", ""))
        region = scope.group(1) if scope else ""

        def own(answer: dict[str, Any]) -> dict[str, Any]:
            clusters = answer.get("Clusters") or []
            answer["Clusters"] = [c for c in clusters if _arn_region(c) in ("", region)]
            return answer

        return _rewritten(app, environ, start_response, own)

    return serve


def _arn_region(cluster: dict[str, Any]) -> str:
    parts = str(cluster.get("ClusterArn") or "").split(":")
    return parts[3] if len(parts) > 3 else ""


def with_backup_stub(app: WsgiApp) -> WsgiApp:
    """`app` plus the AWS Backup answers moto cannot give.

    ListProtectedResources, which moto lacks, and a compliance-mode vault lock whose grace
    time has ended (`_settled_locks`).
    """

    def serve(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if (
            environ.get("REQUEST_METHOD") == "GET"
            and environ.get("PATH_INFO") == BACKUP_VAULTS_PATH
            and "/backup/aws4_request" in environ.get("HTTP_AUTHORIZATION", "")
        ):
            return _rewritten(app, environ, start_response, _settled_locks)
        if (
            environ.get("REQUEST_METHOD") == "GET"
            and environ.get("PATH_INFO") == BACKUP_PROTECTED_PATH
            and "/backup/aws4_request" in environ.get("HTTP_AUTHORIZATION", "")
        ):
            here = f"/{DEMO_PROTECTED_REGION}/backup/" in environ.get("HTTP_AUTHORIZATION", "")
            # A day before now, as the epoch seconds AWS's JSON protocols use.
            last = dt.datetime.now(dt.UTC).timestamp() - 86400
            results = [{**DEMO_PROTECTED, "LastBackupTime": last}] if here else []
            body = json.dumps({"Results": results}).encode()
            start_response(
                "200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
            )
            return [body]
        return app(environ, start_response)

    return serve


@contextlib.contextmanager
def local_aws(*, artifact: bool = False) -> Iterator[str]:
    """A moto server on a free loopback port, in this process; yields its base URL.

    AWS Backup's protected-resources read, which moto lacks, is always stubbed: the
    end-to-end tests then see a resource passing its backup rule through a backup plan.
    `artifact` adds the demo's AWS Artifact and IAM Access Analyzer stubs (an accepted BAA
    for every caller, a fixed analyzer); wafv2 ListResourcesForWebACL, which moto lacks, is
    always answered from moto's own records; with `artifact`, the two compute reads moto lacks
    (`providers.aws.demo_compute.with_compute_stubs`) and Redshift Serverless are answered too.
    EMR's cluster listing is always kept to the signed region (`with_regional_emr`), as AWS
    keeps it.
    """
    try:
        # moto is the optional `demo` extra: import it only when the demo runs.
        from moto.server import ThreadedMotoServer  # noqa: PLC0415
    except ImportError:
        raise CollectionError(
            "the demo needs moto: install with  pipx install 'hipaa-scan[demo]'  "
            "(or pip install 'hipaa-scan[demo]')"
        ) from None
    # werkzeug logs every request at INFO, and a traceback for each API moto lacks (e.g.
    # AWS Artifact); the scan records those as gaps, so keep stderr for the report.
    logging.getLogger("werkzeug").setLevel(logging.CRITICAL)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    # werkzeug's server calls `self.app` per request: wrap it before any request.
    wsgi = server._server
    assert wsgi is not None
    wsgi.app = with_backup_stub(wsgi.app)
    wsgi.app = with_regional_emr(wsgi.app)
    wsgi.app = with_artifact_stub(wsgi.app, demo=artifact)
    if artifact:
        wsgi.app = with_compute_stubs(with_redshift_serverless_stub(wsgi.app))
    try:
        host, port = server.get_host_and_port()
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def run_demo(progress: Callable[[str], None] | None = None, max_workers: int = 8) -> Snapshot:
    """Seed the demo estate on a private fake and scan it with the real AWS provider."""
    with demo_environment(), local_aws(artifact=True) as endpoint:
        if progress:
            progress(f"demo: seeding the Northwind Health sample estate on {endpoint}")
        seed(endpoint)
        options = AwsOptions(
            regions=DEMO_REGIONS, endpoint_url=endpoint, max_workers=max_workers, max_attempts=2
        )
        # moto's server print()s a notice to stdout for every API it lacks; stdout is the
        # report's, so hold that noise back while the provider runs.
        with contextlib.redirect_stdout(io.StringIO()):
            return collect(options, progress=progress)
