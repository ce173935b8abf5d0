"""EFS collector: encryption at rest, TLS-only file-system policy, automatic backups.

moto has no PutBackupPolicy: DescribeBackupPolicy always answers PolicyNotFound there
(which real EFS also answers when automatic backups were never turned on, so it is a
definite "off"). The ENABLED/DISABLED answers are therefore tested with botocore's
Stubber on a real EFS client, run through the real collector.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws

from providers.aws.services.efs import efs_file_systems, policy_requires_tls
from providers.aws.task import AwsTask
from providers.base import CallCounter, GapRecorder
from rules import load_rules
from scanner.engine import evaluate
from scanner.model import Resource, Scope, Snapshot
from tests.providers.aws.helpers import ACCOUNT, by_uid, failing, outcomes, scan

US, EU = "us-east-1", "eu-west-1"
RULES = ("EAR-FILESYSTEM-01", "EIT-FILESYSTEM-01", "BAK-FILESYSTEM-01")


def fs_arn(region: str, fs_id: str) -> str:
    return f"arn:aws:elasticfilesystem:{region}:{ACCOUNT}:file-system/{fs_id}"


def deny_plain(
    resource: str | None = None, action: Any = "*", **extra_conditions: Any
) -> dict[str, Any]:
    stmt: dict[str, Any] = {
        "Sid": "DenyNonTls",
        "Effect": "Deny",
        "Principal": {"AWS": "*"},
        "Action": action,
        "Condition": {"Bool": {"aws:SecureTransport": "false"}, **extra_conditions},
    }
    if resource is not None:
        stmt["Resource"] = resource
    return stmt


def doc(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def seed() -> dict[str, str]:
    """File systems in two regions; returns their ARNs by name."""
    us, eu = boto3.client("efs", US), boto3.client("efs", EU)
    arns: dict[str, str] = {}

    def make(client: Any, region: str, name: str, **params: Any) -> str:
        fs_id = client.create_file_system(CreationToken=name, **params)["FileSystemId"]
        arns[name] = fs_arn(region, fs_id)
        return str(fs_id)

    secure = make(us, US, "secure", Encrypted=True, Tags=[{"Key": "phi", "Value": "yes"}])
    us.put_file_system_policy(FileSystemId=secure, Policy=doc(deny_plain(fs_arn(US, secure))))
    make(us, US, "plain")
    narrowed = make(us, US, "narrowed_deny", Encrypted=True)
    us.put_file_system_policy(
        FileSystemId=narrowed,
        Policy=doc(deny_plain(fs_arn(US, narrowed), StringEquals={"aws:SourceVpc": "vpc-0123"})),
    )
    allow_only = make(us, US, "allow_tls_only", Encrypted=True)
    us.put_file_system_policy(
        FileSystemId=allow_only,
        Policy=doc(
            {
                "Effect": "Allow",
                "Principal": {"AWS": "*"},
                "Action": ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
                "Condition": {"Bool": {"aws:SecureTransport": "true"}},
            }
        ),
    )
    eu_mount = make(eu, EU, "eu_mount_deny", Encrypted=True)
    eu.put_file_system_policy(
        FileSystemId=eu_mount,
        Policy=doc(
            deny_plain(action=["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"])
        ),
    )
    return arns


TLS_PASS = {"secure", "eu_mount_deny"}
UNENCRYPTED = {"plain"}


def expected(arns: dict[str, str]) -> set[tuple[str, str, str]]:
    result = set()
    for name, uid in arns.items():
        result.add(("EAR-FILESYSTEM-01", uid, "FAIL" if name in UNENCRYPTED else "PASS"))
        result.add(("EIT-FILESYSTEM-01", uid, "PASS" if name in TLS_PASS else "FAIL"))
        result.add(("BAK-FILESYSTEM-01", uid, "FAIL"))  # moto: never a backup policy
    return result


@pytest.fixture
def filesystems() -> Iterator[dict[str, str]]:
    with mock_aws():
        yield seed()


def test_exact_outcomes_facts_and_call_counts(filesystems: dict[str, str]) -> None:
    counter = CallCounter()
    snapshot = scan(["efs"], counter=counter)
    assert snapshot.gaps == ()
    assert outcomes(snapshot, RULES) == expected(filesystems)
    found = by_uid(snapshot, "storage.filesystem")
    assert set(found) == set(filesystems.values())
    secure = found[filesystems["secure"]]
    assert secure.tags == {"phi": "yes"}
    assert secure.native_type == "AWS::EFS::FileSystem"
    assert (secure.props.encrypted, secure.props.tls_required, secure.props.backup_enabled) == (
        True,
        True,
        False,
    )
    assert found[filesystems["plain"]].props.tls_required is False
    assert found[filesystems["eu_mount_deny"]].region == EU
    assert counter.counts["efs.DescribeFileSystems"] == 2
    assert counter.counts["efs.DescribeFileSystemPolicy"] == 5
    assert counter.counts["efs.DescribeBackupPolicy"] == 5


def test_policy_denied_gives_unknown_and_other_rules_still_judge(
    filesystems: dict[str, str],
) -> None:
    with failing("efs.DescribeFileSystemPolicy"):
        snapshot = scan(["efs"])
    found = by_uid(snapshot, "storage.filesystem")
    assert {f.props.tls_required for f in found.values()} == {None}
    assert {(g.operation, g.error_code, g.resource_uid) for g in snapshot.gaps} == {
        ("DescribeFileSystemPolicy", "AccessDenied", uid) for uid in found
    }
    want = {o for o in expected(filesystems) if o[0] != "EIT-FILESYSTEM-01"}
    want |= {("EIT-FILESYSTEM-01", uid, "UNKNOWN") for uid in found}
    assert outcomes(snapshot, RULES) == want


def test_malformed_file_system_policy_is_a_gap_and_unknown() -> None:
    with mock_aws():
        efs = boto3.client("efs", US)
        fs_id = efs.create_file_system(CreationToken="bad", Encrypted=True)["FileSystemId"]
        efs.put_file_system_policy(FileSystemId=fs_id, Policy="[1, 2")
        snapshot = scan(["efs"])
    uid = fs_arn(US, fs_id)
    assert by_uid(snapshot, "storage.filesystem")[uid].props.tls_required is None
    assert [(g.operation, g.error_code, g.resource_uid) for g in snapshot.gaps] == [
        ("DescribeFileSystemPolicy", "MalformedPolicy", uid)
    ]
    assert outcomes(snapshot, RULES) == {
        ("EAR-FILESYSTEM-01", uid, "PASS"),
        ("EIT-FILESYSTEM-01", uid, "UNKNOWN"),
        ("BAK-FILESYSTEM-01", uid, "FAIL"),
    }


class _StubbedClients:
    """A stand-in for `ClientFactory` that hands out one stubbed client."""

    def __init__(self, client: Any) -> None:
        self._client = client

    def client(self, service: str, region: str) -> Any:
        assert (service, region) == ("efs", US)
        return self._client


def _stubbed_scan(backup_status: str | None) -> tuple[Resource[Any], GapRecorder]:
    # moto lacks PutBackupPolicy, so the ENABLED/DISABLED answers come from a Stubber.
    client = boto3.client("efs", US)
    fs_id = "fs-0123456789abcdef0"
    uid = fs_arn(US, fs_id)
    stub = Stubber(client)
    stub.add_response(
        "describe_file_systems",
        {
            "FileSystems": [
                {
                    "OwnerId": ACCOUNT,
                    "CreationToken": "t",
                    "FileSystemId": fs_id,
                    "FileSystemArn": uid,
                    "CreationTime": "2024-01-01T00:00:00Z",
                    "LifeCycleState": "available",
                    "NumberOfMountTargets": 1,
                    "SizeInBytes": {"Value": 0},
                    "PerformanceMode": "generalPurpose",
                    "Encrypted": True,
                    "Tags": [],
                }
            ]
        },
        {},
    )
    stub.add_response(
        "describe_file_system_policy",
        {"FileSystemId": fs_id, "Policy": doc(deny_plain(uid))},
        {"FileSystemId": fs_id},
    )
    if backup_status is None:
        stub.add_client_error(
            "describe_backup_policy",
            "PolicyNotFound",
            http_status_code=404,
            expected_params={"FileSystemId": fs_id},
        )
    else:
        stub.add_response(
            "describe_backup_policy",
            {"BackupPolicy": {"Status": backup_status}},
            {"FileSystemId": fs_id},
        )
    gaps = GapRecorder()
    task = AwsTask(
        collector=efs_file_systems,
        account=ACCOUNT,
        region=US,
        api_region=US,
        scan_regions=(US,),
        clients=_StubbedClients(client),  # type: ignore[arg-type]
        gaps=gaps,
        item_workers=1,
    )
    with stub:
        (resource,) = list(efs_file_systems.fn(task))
        stub.assert_no_pending_responses()
    return resource, gaps


@pytest.mark.parametrize(
    ("status", "enabled", "verdict"),
    [
        ("ENABLED", True, "PASS"),
        ("ENABLING", True, "PASS"),
        ("DISABLED", False, "FAIL"),
        ("DISABLING", False, "FAIL"),
        (None, False, "FAIL"),
    ],
)
def test_backup_policy_statuses_with_stubber(
    status: str | None, enabled: bool, verdict: str
) -> None:
    resource, gaps = _stubbed_scan(status)
    assert gaps.all() == ()
    assert resource.props.backup_enabled is enabled
    assert resource.props.tls_required is True
    snap = Snapshot(
        tool_version="test",
        scope=Scope("aws", (ACCOUNT,), (US,)),
        started_at="",
        finished_at="",
        resources=(resource,),
        gaps=(),
    )
    rules = [r for r in load_rules() if r.id == "BAK-FILESYSTEM-01"]
    report = evaluate([snap], rules)
    found = [(f.rule_id, f.status.value) for f in report.findings]
    assert found == [("BAK-FILESYSTEM-01", verdict)]


FS = "arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/fs-1"
OTHER_FS = "arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/fs-2"


@pytest.mark.parametrize(
    ("statement", "required"),
    [
        (deny_plain(FS), True),
        (deny_plain(), True),  # no Resource: the policy's own file system
        (deny_plain("*"), True),
        (deny_plain(FS, action="elasticfilesystem:*"), True),
        (deny_plain(FS, action="elasticfilesystem:ClientMount"), True),
        ({**deny_plain(FS), "Principal": "*"}, True),
        ({**deny_plain(FS), "Condition": {"Bool": {"aws:SecureTransport": False}}}, True),
        ({**deny_plain(FS), "Condition": {"BoolIfExists": {"aws:SecureTransport": "false"}}}, True),
        (deny_plain(FS, action="elasticfilesystem:ClientWrite"), False),  # mounts still allowed
        (deny_plain(OTHER_FS), False),
        ({**deny_plain(FS), "Effect": "Allow"}, False),
        ({**deny_plain(FS), "Principal": {"AWS": "arn:aws:iam::123456789012:role/app"}}, False),
        ({**deny_plain(FS), "Condition": {"Bool": {"aws:SecureTransport": "true"}}}, False),
        (deny_plain(FS, StringEquals={"aws:SourceVpc": "vpc-1"}), False),  # narrowed deny
        ({**deny_plain(FS), "NotPrincipal": {"AWS": "arn:aws:iam::1:root"}}, False),
        (
            {k: v for k, v in deny_plain(FS).items() if k != "Action"}
            | {"NotAction": "elasticfilesystem:DescribeMountTargets"},
            True,
        ),
        (
            {k: v for k, v in deny_plain(FS).items() if k != "Action"}
            | {"NotAction": "elasticfilesystem:Client*"},
            False,
        ),
        ({k: v for k, v in deny_plain().items()} | {"NotResource": FS}, False),
    ],
)
def test_policy_requires_tls(statement: dict[str, Any], required: bool) -> None:
    assert policy_requires_tls(doc(statement), FS) is required


def test_policy_requires_tls_needs_one_matching_statement_among_many() -> None:
    allow = {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "*"}
    assert policy_requires_tls(doc(allow, deny_plain(FS)), FS)
    assert not policy_requires_tls(doc(allow), FS)
