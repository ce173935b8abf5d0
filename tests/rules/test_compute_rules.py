"""Rule tests with hand-built resources: EBS, snapshots, security groups, VPC flow logs, KMS, EFS.

Each rule gets PASS, FAIL and UNKNOWN cases, including cases moto cannot produce
(AWS-managed KMS keys, a failed DescribeKey). The fact types also round-trip through the
snapshot serialiser.
"""

from __future__ import annotations

from typing import Any

import pytest

from rules import load_rules
from scanner.engine import EvaluationConfig, evaluate
from scanner.kinds.compute import EbsDefaults, Volume, VolumeSnapshot
from scanner.kinds.filesystem import FileSystem
from scanner.kinds.kms import Key
from scanner.kinds.network import Firewall, FlowLog, InternetIngress, Vpc
from scanner.model import Concern, Gap, JSONValue, Resource, Scope, Severity, Snapshot
from scanner.serde import from_json, to_json

ACCOUNT = "123456789012"


def res(kind: str, props: Any, name: str = "r-1", uid: str | None = None) -> Resource[Any]:
    return Resource(
        uid=uid or f"arn:aws:test:us-east-1:{ACCOUNT}:{kind}/{name}",
        provider="aws",
        kind=kind,
        native_type="AWS::Test::Thing",
        account=ACCOUNT,
        region="us-east-1",
        name=name,
        props=props,
    )


def judge(
    rule_id: str, resource: Resource[Any], params: dict[str, JSONValue] | None = None
) -> tuple[str, str, dict[str, Any]]:
    """(status, message, evidence) of one rule on one resource, through the real engine.

    A not-applicable verdict records no finding; it comes back as status ``"N/A"``.
    """
    snap = Snapshot(
        tool_version="test",
        scope=Scope("aws", (ACCOUNT,), ("us-east-1",)),
        started_at="",
        finished_at="",
        resources=(resource,),
        gaps=(),
    )
    chosen = [r for r in load_rules() if r.id == rule_id]
    assert len(chosen) == 1
    config = EvaluationConfig(params={rule_id: params} if params else {})
    findings = evaluate([snap], chosen, config).findings
    if not findings:
        return "N/A", "", {}
    (finding,) = findings
    first_sentence = finding.message.split(". ")[0]
    # The message names the resource first (the region for a regional singleton).
    assert resource.name in first_sentence or resource.region in first_sentence
    return finding.status.value, finding.message, dict(finding.evidence)


def volume(encrypted: bool | None) -> Resource[Volume]:
    return res(Volume.KIND, Volume("vol-1", "in-use", 8, encrypted, None, ("i-1",)), "vol-1")


@pytest.mark.parametrize(
    ("encrypted", "status"), [(True, "PASS"), (False, "FAIL"), (None, "UNKNOWN")]
)
def test_volume_encrypted(encrypted: bool | None, status: str) -> None:
    got, _, evidence = judge("EAR-VOLUME-01", volume(encrypted))
    assert (got, evidence["encrypted"]) == (status, encrypted)


@pytest.mark.parametrize(
    ("enabled", "status"), [(True, "PASS"), (False, "FAIL"), (None, "UNKNOWN")]
)
def test_ebs_default(enabled: bool | None, status: str) -> None:
    got, message, evidence = judge("EAR-VOLDEFAULT-01", res(EbsDefaults.KIND, EbsDefaults(enabled)))
    assert (got, evidence) == (status, {"encryption_by_default": enabled})
    assert "us-east-1" in message


def test_ebs_default_ignores_phi_scope() -> None:
    snap = Snapshot(
        tool_version="test",
        scope=Scope("aws", (ACCOUNT,), ("us-east-1",)),
        started_at="",
        finished_at="",
        resources=(res(EbsDefaults.KIND, EbsDefaults(False)), volume(False)),
        gaps=(),
    )
    chosen = [r for r in load_rules() if r.id in ("EAR-VOLDEFAULT-01", "EAR-VOLUME-01")]
    report = evaluate([snap], chosen, EvaluationConfig(phi_tags=(("phi", "yes"),)))
    assert [(f.rule_id, f.status.value) for f in report.findings] == [("EAR-VOLDEFAULT-01", "FAIL")]


def snapshot(
    encrypted: bool | None = True, public: bool | None = False, shared: tuple[str, ...] | None = ()
) -> Resource[VolumeSnapshot]:
    return res(
        VolumeSnapshot.KIND,
        VolumeSnapshot("snap-1", "vol-1", encrypted, None, public, shared),
        "snap-1",
    )


@pytest.mark.parametrize(
    ("encrypted", "status"), [(True, "PASS"), (False, "FAIL"), (None, "UNKNOWN")]
)
def test_snapshot_encrypted(encrypted: bool | None, status: str) -> None:
    assert judge("EAR-VOLSNAPSHOT-01", snapshot(encrypted=encrypted))[0] == status


@pytest.mark.parametrize(
    ("public", "shared", "status"),
    [
        (False, (), "PASS"),
        (False, ("111111111111",), "PASS"),
        (True, (), "FAIL"),
        (None, None, "UNKNOWN"),
    ],
)
def test_snapshot_not_public(
    public: bool | None, shared: tuple[str, ...] | None, status: str
) -> None:
    got, _, evidence = judge("PUB-VOLSNAPSHOT-01", snapshot(public=public, shared=shared))
    assert got == status
    assert evidence["public"] == public
    assert evidence["shared_with_accounts"] == (None if shared is None else list(shared))


def firewall(
    *ingress: InternetIngress | None, unresolved: tuple[InternetIngress, ...] = ()
) -> Resource[Firewall]:
    found = None if ingress == (None,) else tuple(i for i in ingress if i is not None)
    return res(Firewall.KIND, Firewall("sg-1", "web", "vpc-1", found, unresolved), "sg-1")


def tcp(low: int, high: int | None = None, source: str = "0.0.0.0/0") -> InternetIngress:
    return InternetIngress("tcp", low, low if high is None else high, (source,))


ALL = InternetIngress("all", None, None, ("::/0",))
LISTED = InternetIngress("tcp", 22, 22, ("pl-0123",))


@pytest.mark.parametrize(
    ("ingress", "statuses"),
    [
        ((), ("PASS", "PASS", "PASS")),
        ((tcp(443), tcp(443, source="::/0")), ("PASS", "PASS", "PASS")),
        ((InternetIngress("icmp", None, None, ("0.0.0.0/0",)),), ("PASS", "PASS", "PASS")),
        ((InternetIngress("50", None, None, ("0.0.0.0/0",)),), ("PASS", "PASS", "PASS")),
        ((tcp(22),), ("FAIL", "PASS", "PASS")),
        ((InternetIngress("udp", 3389, 3389, ("::/0",)),), ("FAIL", "PASS", "PASS")),
        # Item 3: remote administration beyond SSH and RDP, databases beyond the classics.
        ((tcp(23),), ("FAIL", "PASS", "PASS")),
        ((tcp(5900),), ("FAIL", "PASS", "PASS")),
        ((tcp(5985, 5986),), ("FAIL", "PASS", "PASS")),
        ((tcp(2375),), ("FAIL", "PASS", "PASS")),
        ((tcp(2483, 2484),), ("PASS", "FAIL", "PASS")),
        ((tcp(33060),), ("PASS", "FAIL", "PASS")),
        ((tcp(7000, 7001),), ("PASS", "FAIL", "PASS")),
        ((tcp(9160),), ("PASS", "FAIL", "PASS")),
        ((tcp(9092),), ("PASS", "FAIL", "PASS")),
        ((tcp(8086),), ("PASS", "FAIL", "PASS")),
        ((tcp(5601),), ("PASS", "FAIL", "PASS")),
        ((tcp(9300),), ("PASS", "FAIL", "PASS")),
        ((tcp(8443),), ("PASS", "PASS", "PASS")),  # near miss: an application port
        # Item 2: every usable port, written without port 0.
        ((tcp(1, 65535),), ("FAIL", "FAIL", "FAIL")),
        ((tcp(2, 65535),), ("FAIL", "FAIL", "PASS")),
        ((tcp(20, 23),), ("FAIL", "PASS", "PASS")),
        ((tcp(3306),), ("PASS", "FAIL", "PASS")),
        ((tcp(27000, 28000),), ("PASS", "FAIL", "PASS")),
        ((tcp(1024, 65535),), ("FAIL", "FAIL", "PASS")),  # 3389 and the database ports
        ((tcp(0, 65535),), ("FAIL", "FAIL", "FAIL")),
        ((ALL,), ("FAIL", "FAIL", "FAIL")),
        ((None,), ("UNKNOWN", "UNKNOWN", "UNKNOWN")),
    ],
)
def test_firewall_rules(
    ingress: tuple[InternetIngress | None, ...], statuses: tuple[str, str, str]
) -> None:
    resource = firewall(*ingress)
    got = tuple(
        judge(rule_id, resource)[0]
        for rule_id in ("PUB-FIREWALL-01", "PUB-FIREWALL-02", "PUB-FIREWALL-03")
    )
    assert got == statuses


@pytest.mark.parametrize(
    ("ingress", "statuses"),
    [
        ((), ("UNKNOWN", "PASS", "UNKNOWN")),  # a list that could not be read, on port 22
        ((tcp(22),), ("FAIL", "PASS", "UNKNOWN")),  # open anyway: FAIL stands
        ((ALL,), ("FAIL", "FAIL", "FAIL")),
    ],
)
def test_unresolved_source_lists_make_their_ports_unknown(
    ingress: tuple[InternetIngress, ...], statuses: tuple[str, str, str]
) -> None:
    resource = firewall(*ingress, unresolved=(LISTED,))
    got = tuple(
        judge(rule_id, resource)[0]
        for rule_id in ("PUB-FIREWALL-01", "PUB-FIREWALL-02", "PUB-FIREWALL-03")
    )
    assert got == statuses


def test_firewall_evidence_and_params() -> None:
    resource = firewall(tcp(22), tcp(443), tcp(5432, source="::/0"))
    status, message, evidence = judge("PUB-FIREWALL-02", resource)
    assert status == "FAIL"
    assert "5432" in message
    assert evidence == {
        "exposed_ports": [5432],
        "internet_ingress": [
            {"protocol": "tcp", "from_port": 5432, "to_port": 5432, "sources": ["::/0"]}
        ],
    }
    # A tuned port list replaces the default one.
    assert judge("PUB-FIREWALL-02", resource, {"ports": [443]})[2]["exposed_ports"] == [443]
    assert judge("PUB-FIREWALL-01", resource, {"ports": [2222]})[0] == "PASS"


def vpc(
    *logs: FlowLog,
    unread: bool = False,
    default: bool = False,
    subnets: dict[str, tuple[FlowLog, ...]] | None = None,
) -> Resource[Vpc]:
    props = Vpc(
        "vpc-1",
        default,
        ("10.0.0.0/16",),
        None if unread else logs,
        {} if subnets is None else subnets,
    )
    return res(Vpc.KIND, props, "vpc-1")


def flow(status: str = "ACTIVE", traffic: str = "ALL", delivery: str | None = "SUCCESS") -> FlowLog:
    return FlowLog("fl-1", status, traffic, delivery, "s3", "arn:aws:s3:::logs")


@pytest.mark.parametrize(
    ("resource", "status"),
    [
        (vpc(flow()), "PASS"),
        (vpc(flow(traffic="ACCEPT")), "PASS"),
        (vpc(flow(delivery=None)), "PASS"),
        (vpc(flow(traffic="REJECT"), flow()), "PASS"),
        (vpc(default=True), "FAIL"),  # default VPCs are not exempt
        (vpc(), "FAIL"),
        (vpc(flow(traffic="REJECT")), "FAIL"),
        (vpc(flow(delivery="FAILED")), "FAIL"),
        (vpc(flow(status="INACTIVE")), "FAIL"),
        (vpc(unread=True), "UNKNOWN"),
    ],
)
def test_vpc_flow_logs(resource: Resource[Vpc], status: str) -> None:
    assert judge("LOG-FLOWLOG-01", resource)[0] == status


def key(
    manager: str | None = "CUSTOMER",
    spec: str | None = "SYMMETRIC_DEFAULT",
    applicable: bool | None = True,
    rotation: bool | None = True,
    public: tuple[str, ...] | None = (),
) -> Resource[Key]:
    return res(
        Key.KIND,
        Key(
            "k-1",
            manager,
            spec,
            "ENCRYPT_DECRYPT",
            "Enabled",
            "AWS_KMS",
            applicable,
            rotation,
            public,
        ),
        "k-1",
    )


@pytest.mark.parametrize(
    ("resource", "status"),
    [
        (key(), "PASS"),
        (key(rotation=False), "FAIL"),
        (key(rotation=None), "UNKNOWN"),
        (key(manager=None, spec=None, applicable=None, rotation=None), "UNKNOWN"),
        (key(manager="AWS", applicable=False, rotation=None), "N/A"),
        (key(spec="RSA_2048", applicable=False, rotation=None), "N/A"),
    ],
)
def test_kms_rotation(resource: Resource[Key], status: str) -> None:
    got, _, evidence = judge("EAR-KEY-01", resource)
    assert got == status
    if status != "N/A":
        assert evidence["rotation_applicable"] == resource.props.rotation_applicable


@pytest.mark.parametrize(
    ("resource", "reason"),
    [
        (key(manager="AWS", applicable=False, rotation=None), "the cloud provider, which rotates"),
        (key(spec="HMAC_256", applicable=False, rotation=None), "cannot rotate it"),
    ],
)
def test_kms_rotation_not_applicable_reason(resource: Resource[Key], reason: str) -> None:
    verdict = next(r for r in load_rules() if r.id == "EAR-KEY-01").check(resource, None)  # type: ignore[arg-type]
    assert verdict.applicable is False
    assert reason in verdict.message


@pytest.mark.parametrize(
    ("public", "status"), [((), "PASS"), (("Everyone", "#2"), "FAIL"), (None, "UNKNOWN")]
)
def test_kms_policy_not_public(public: tuple[str, ...] | None, status: str) -> None:
    got, _, evidence = judge("PUB-KEY-01", key(public=public))
    assert got == status
    assert evidence["public_statements"] == (None if public is None else list(public))


def filesystem(
    encrypted: bool | None = True, tls: bool | None = True, backup: bool | None = True
) -> Resource[FileSystem]:
    return res(
        FileSystem.KIND, FileSystem("fs-1", "available", encrypted, None, tls, backup), "fs-1"
    )


@pytest.mark.parametrize(("value", "status"), [(True, "PASS"), (False, "FAIL"), (None, "UNKNOWN")])
def test_efs_rules(value: bool | None, status: str) -> None:
    assert judge("EAR-FILESYSTEM-01", filesystem(encrypted=value))[0] == status
    assert judge("EIT-FILESYSTEM-01", filesystem(tls=value))[0] == status
    assert judge("BAK-FILESYSTEM-01", filesystem(backup=value))[0] == status


def test_unknown_findings_carry_the_gap() -> None:
    resource = filesystem(backup=None)
    gap = Gap(
        "aws",
        ACCOUNT,
        "us-east-1",
        "efs",
        "DescribeBackupPolicy",
        "AccessDenied",
        "denied",
        resource.uid,
    )
    snap = Snapshot(
        tool_version="test",
        scope=Scope("aws", (ACCOUNT,), ("us-east-1",)),
        started_at="",
        finished_at="",
        resources=(resource,),
        gaps=(gap,),
    )
    chosen = [r for r in load_rules() if r.id == "BAK-FILESYSTEM-01"]
    (finding,) = evaluate([snap], chosen).findings
    assert finding.status.value == "UNKNOWN"
    assert finding.evidence["gaps"] == ["efs:DescribeBackupPolicy AccessDenied"]


PREFIX = {
    Concern.ENCRYPTION_AT_REST: "EAR",
    Concern.ENCRYPTION_IN_TRANSIT: "EIT",
    Concern.AUDIT_LOGGING: "LOG",
    Concern.PUBLIC_EXPOSURE: "PUB",
    Concern.BACKUP_RECOVERY: "BAK",
}
OUR_RULES = {
    "EAR-VOLUME-01": Severity.HIGH,
    "EAR-VOLDEFAULT-01": Severity.MEDIUM,
    "EAR-VOLSNAPSHOT-01": Severity.HIGH,
    "PUB-VOLSNAPSHOT-01": Severity.CRITICAL,
    "PUB-FIREWALL-01": Severity.HIGH,
    "PUB-FIREWALL-02": Severity.HIGH,
    "PUB-FIREWALL-03": Severity.CRITICAL,
    "LOG-FLOWLOG-01": Severity.MEDIUM,
    "EAR-KEY-01": Severity.MEDIUM,
    "PUB-KEY-01": Severity.HIGH,
    "EAR-FILESYSTEM-01": Severity.HIGH,
    "EIT-FILESYSTEM-01": Severity.MEDIUM,
    "BAK-FILESYSTEM-01": Severity.MEDIUM,
}


def test_rule_metadata() -> None:
    found = {r.id: r.meta for r in load_rules() if r.id in OUR_RULES}
    assert {i: m.severity for i, m in found.items()} == OUR_RULES
    for meta in found.values():
        assert meta.citations, meta.id
        assert meta.description, meta.id
        fix = meta.remediation["aws"]
        assert fix.console and fix.cli and fix.terraform, meta.id
        assert PREFIX[meta.concern] == meta.id.split("-")[0], meta.id
        account_level = {
            "EAR-VOLDEFAULT-01",
            "PUB-FIREWALL-01",
            "PUB-FIREWALL-02",
            "PUB-FIREWALL-03",
            "LOG-FLOWLOG-01",
        }
        assert meta.phi_scoped is (meta.id not in account_level), meta.id


@pytest.mark.parametrize(
    "resource",
    [
        volume(True),
        res(EbsDefaults.KIND, EbsDefaults(None)),
        snapshot(shared=None),
        firewall(tcp(22), ALL),
        firewall(tcp(22), unresolved=(LISTED,)),
        firewall(None),
        vpc(flow(delivery=None)),
        vpc(unread=True),
        key(),
        key(manager=None, applicable=None, rotation=None, public=None),
        filesystem(),
    ],
)
def test_facts_round_trip_through_the_serialiser(resource: Resource[Any]) -> None:
    props = resource.props
    assert from_json(type(props), to_json(props), "props") == props


@pytest.mark.parametrize(
    ("subnets", "expected"),
    [
        ({"subnet-a": (flow(),), "subnet-b": (flow(traffic="ACCEPT"),)}, "PASS"),  # item 19
        ({"subnet-a": (flow(),), "subnet-b": ()}, "FAIL"),  # near miss: one subnet unlogged
        ({"subnet-a": (flow(),), "subnet-b": (flow(traffic="REJECT"),)}, "FAIL"),
        ({}, "FAIL"),  # no subnet at all is not coverage
    ],
)
def test_flow_logs_on_every_subnet_cover_the_vpc(
    subnets: dict[str, tuple[FlowLog, ...]], expected: str
) -> None:
    assert judge("LOG-FLOWLOG-01", vpc(subnets=subnets))[0] == expected


def test_unread_subnets_without_a_vpc_log_are_unknown() -> None:
    props = Vpc("vpc-1", False, ("10.0.0.0/16",), (), None)
    assert judge("LOG-FLOWLOG-01", res(Vpc.KIND, props, "vpc-1"))[0] == "UNKNOWN"
    with_log = Vpc("vpc-1", False, ("10.0.0.0/16",), (flow(),), None)
    assert judge("LOG-FLOWLOG-01", res(Vpc.KIND, with_log, "vpc-1"))[0] == "PASS"
