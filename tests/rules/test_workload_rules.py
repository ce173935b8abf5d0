"""Rule tests with hand-built resources for the compute workloads (issue 11, group C).

Instances, images, subnets, network ACLs, default security groups, functions, container
repositories and Kubernetes clusters: PASS, FAIL and UNKNOWN for every rule, including
facts moto cannot produce (a Systems Manager inventory, IMDS switched off, KMS_DSSE).
The new fact types also round-trip through the snapshot serialiser.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from scanner.engine import evaluate
from scanner.kinds.kms import Key
from scanner.kinds.network import Firewall, InternetIngress
from scanner.kinds.workloads import (
    ContainerCluster,
    ContainerRegistry,
    Function,
    MachineImage,
    NetworkAcl,
    Subnet,
    VirtualMachine,
)
from scanner.model import Status
from scanner.serde import from_json, to_json
from tests.rules.support import (
    ACCOUNT,
    aws_resource,
    findings_of,
    judge_one,
    rule_by_id,
    snapshot_of,
)

PHI = {"data-class": "phi"}

VM = VirtualMachine(
    instance_id="i-1",
    state="running",
    image_id="ami-1",
    metadata_tokens_required=True,
    metadata_http_tokens="required",
    metadata_endpoint="enabled",
    public_ipv4="",
    managed=True,
)
IMAGE = MachineImage(image_id="ami-1", state="available", public=False)
SUBNET = Subnet(subnet_id="subnet-1", network_id="vpc-1", is_default=False, auto_public_ipv4=False)
ACL = NetworkAcl(acl_id="acl-1", network_id="vpc-1", is_default=False, internet_ingress=())
GROUP = Firewall(
    group_id="sg-1",
    group_name="default",
    network_id="vpc-1",
    internet_ingress=(),
    is_default=True,
    ingress_rules=0,
    egress_rules=0,
)
FUNCTION = Function(
    function_name="fn",
    runtime="python3.12",
    has_environment=True,
    environment_kms_key="arn:aws:kms:us-east-1:123456789012:key/k",
    has_policy=True,
    public_policy_statements=(),
    url_auth_types=(),
)
REPOSITORY = ContainerRegistry(
    repository_name="repo",
    scan_on_push=True,
    scan_source="repository",
    encryption_type="KMS",
    kms_key="arn:aws:kms:us-east-1:123456789012:key/k",
    has_policy=False,
    public_policy_statements=(),
)
CLUSTER = ContainerCluster(
    cluster_name="k8s",
    version="1.31",
    secrets_encrypted=True,
    secrets_kms_key="arn:aws:kms:us-east-1:123456789012:key/k",
    public_endpoint=False,
    public_access_cidrs=("0.0.0.0/0",),
    public_endpoint_open=False,
    audit_logging=True,
    log_types=("audit",),
)
BASE: dict[str, Any] = {
    VirtualMachine.KIND: VM,
    MachineImage.KIND: IMAGE,
    Subnet.KIND: SUBNET,
    NetworkAcl.KIND: ACL,
    Firewall.KIND: GROUP,
    Function.KIND: FUNCTION,
    ContainerRegistry.KIND: REPOSITORY,
    ContainerCluster.KIND: CLUSTER,
}


def resource(props: Any, tags: dict[str, str] | None = None) -> Any:
    kind = props.KIND
    name = kind.split(".")[-1]
    return aws_resource(
        f"arn:aws:test:us-east-1:{ACCOUNT}:{name}/x", f"AWS::Test::{name}", name, props, tags=tags
    )


def status(rule_id: str, props: Any, **params: Any) -> str:
    return judge_one(rule_id, resource(props), params or None).status.value


def ssh(protocol: str = "tcp", low: int | None = 22, high: int | None = 22) -> InternetIngress:
    return InternetIngress(protocol, low, high, ("0.0.0.0/0",))


CASES = [
    # rule id, kind, changes, status
    ("IAM-INSTANCE-01", VirtualMachine.KIND, {}, "PASS"),
    ("IAM-INSTANCE-01", VirtualMachine.KIND, {"metadata_tokens_required": False}, "FAIL"),
    ("IAM-INSTANCE-01", VirtualMachine.KIND, {"metadata_tokens_required": None}, "UNKNOWN"),
    ("IAM-INSTANCE-02", VirtualMachine.KIND, {}, "PASS"),
    ("IAM-INSTANCE-02", VirtualMachine.KIND, {"managed": False}, "FAIL"),
    ("IAM-INSTANCE-02", VirtualMachine.KIND, {"managed": None}, "UNKNOWN"),
    ("PUB-INSTANCE-01", VirtualMachine.KIND, {}, "PASS"),
    ("PUB-INSTANCE-01", VirtualMachine.KIND, {"public_ipv4": "54.1.2.3"}, "FAIL"),
    ("PUB-INSTANCE-01", VirtualMachine.KIND, {"public_ipv4": None}, "UNKNOWN"),
    ("PUB-IMAGE-01", MachineImage.KIND, {}, "PASS"),
    ("PUB-IMAGE-01", MachineImage.KIND, {"public": True}, "FAIL"),
    ("PUB-IMAGE-01", MachineImage.KIND, {"public": None}, "UNKNOWN"),
    ("PUB-SUBNET-01", Subnet.KIND, {}, "PASS"),
    ("PUB-SUBNET-01", Subnet.KIND, {"auto_public_ipv4": True}, "FAIL"),
    ("PUB-SUBNET-01", Subnet.KIND, {"auto_public_ipv4": None}, "UNKNOWN"),
    ("PUB-FIREWALL-04", Firewall.KIND, {}, "PASS"),
    ("PUB-FIREWALL-04", Firewall.KIND, {"egress_rules": 1}, "FAIL"),
    ("PUB-FIREWALL-04", Firewall.KIND, {"ingress_rules": 1}, "FAIL"),
    ("PUB-FIREWALL-04", Firewall.KIND, {"ingress_rules": None}, "UNKNOWN"),
    ("PUB-NETACL-01", NetworkAcl.KIND, {}, "PASS"),
    ("PUB-NETACL-01", NetworkAcl.KIND, {"internet_ingress": (ssh(),)}, "FAIL"),
    ("PUB-NETACL-01", NetworkAcl.KIND, {"internet_ingress": (ssh("all", None, None),)}, "FAIL"),
    ("PUB-NETACL-01", NetworkAcl.KIND, {"internet_ingress": (ssh("tcp", 1, 65535),)}, "FAIL"),
    # HTTPS from anywhere is neither every port nor an administrative one.
    ("PUB-NETACL-01", NetworkAcl.KIND, {"internet_ingress": (ssh("tcp", 443, 443),)}, "PASS"),
    ("PUB-NETACL-01", NetworkAcl.KIND, {"internet_ingress": None}, "UNKNOWN"),
    ("PUB-FUNCTION-01", Function.KIND, {}, "PASS"),
    ("PUB-FUNCTION-01", Function.KIND, {"public_policy_statements": ("open",)}, "FAIL"),
    ("PUB-FUNCTION-01", Function.KIND, {"public_policy_statements": None}, "UNKNOWN"),
    ("PUB-FUNCTION-02", Function.KIND, {}, "PASS"),
    ("PUB-FUNCTION-02", Function.KIND, {"url_auth_types": ("AWS_IAM",)}, "PASS"),
    ("PUB-FUNCTION-02", Function.KIND, {"url_auth_types": ("AWS_IAM", "NONE")}, "FAIL"),
    ("PUB-FUNCTION-02", Function.KIND, {"url_auth_types": None}, "UNKNOWN"),
    ("EAR-FUNCTION-01", Function.KIND, {}, "PASS"),
    ("EAR-FUNCTION-01", Function.KIND, {"environment_kms_key": None}, "FAIL"),
    # No environment variables: nothing to encrypt.
    (
        "EAR-FUNCTION-01",
        Function.KIND,
        {"has_environment": False, "environment_kms_key": None},
        "PASS",
    ),
    ("EAR-FUNCTION-01", Function.KIND, {"has_environment": None}, "UNKNOWN"),
    ("PUB-REGISTRY-01", ContainerRegistry.KIND, {}, "PASS"),
    ("PUB-REGISTRY-01", ContainerRegistry.KIND, {"public_policy_statements": ("#0",)}, "FAIL"),
    ("PUB-REGISTRY-01", ContainerRegistry.KIND, {"public_policy_statements": None}, "UNKNOWN"),
    ("EAR-REGISTRY-01", ContainerRegistry.KIND, {}, "PASS"),
    ("EAR-REGISTRY-01", ContainerRegistry.KIND, {"encryption_type": "KMS_DSSE"}, "PASS"),
    ("EAR-REGISTRY-01", ContainerRegistry.KIND, {"encryption_type": "AES256"}, "FAIL"),
    ("EAR-REGISTRY-01", ContainerRegistry.KIND, {"encryption_type": None}, "UNKNOWN"),
    ("LOG-REGISTRY-01", ContainerRegistry.KIND, {}, "PASS"),
    ("LOG-REGISTRY-01", ContainerRegistry.KIND, {"scan_on_push": False}, "FAIL"),
    ("LOG-REGISTRY-01", ContainerRegistry.KIND, {"scan_on_push": None}, "UNKNOWN"),
    ("EAR-KUBERNETES-01", ContainerCluster.KIND, {}, "PASS"),
    ("EAR-KUBERNETES-01", ContainerCluster.KIND, {"secrets_encrypted": False}, "FAIL"),
    ("EAR-KUBERNETES-01", ContainerCluster.KIND, {"secrets_encrypted": None}, "UNKNOWN"),
    ("PUB-KUBERNETES-01", ContainerCluster.KIND, {}, "PASS"),
    ("PUB-KUBERNETES-01", ContainerCluster.KIND, {"public_endpoint": True}, "PASS"),
    (
        "PUB-KUBERNETES-01",
        ContainerCluster.KIND,
        {"public_endpoint": True, "public_endpoint_open": True},
        "FAIL",
    ),
    ("PUB-KUBERNETES-01", ContainerCluster.KIND, {"public_endpoint_open": None}, "UNKNOWN"),
    ("LOG-KUBERNETES-01", ContainerCluster.KIND, {}, "PASS"),
    ("LOG-KUBERNETES-01", ContainerCluster.KIND, {"audit_logging": False}, "FAIL"),
    ("LOG-KUBERNETES-01", ContainerCluster.KIND, {"audit_logging": None}, "UNKNOWN"),
]


@pytest.mark.parametrize(("rule_id", "kind", "changes", "expected"), CASES)
def test_each_rule_passes_fails_and_is_unknown(
    rule_id: str, kind: str, changes: dict[str, Any], expected: str
) -> None:
    assert status(rule_id, dataclasses.replace(BASE[kind], **changes)) == expected


def test_every_new_rule_has_pass_fail_and_unknown_cases() -> None:
    seen: dict[str, set[str]] = {}
    for rule_id, _, _, expected in CASES:
        seen.setdefault(rule_id, set()).add(expected)
    assert len(seen) == 16
    assert all(statuses == {"PASS", "FAIL", "UNKNOWN"} for statuses in seen.values())


def test_netacl_ports_are_a_parameter() -> None:
    web = dataclasses.replace(ACL, internet_ingress=(ssh("tcp", 443, 443),))
    assert status("PUB-NETACL-01", web, ports=[443]) == "FAIL"
    finding = judge_one("PUB-NETACL-01", resource(web), {"ports": [443]})
    assert finding.evidence["exposed_ports"] == [443]


def test_only_default_groups_are_judged_for_emptiness() -> None:
    named = dataclasses.replace(GROUP, group_name="web", is_default=False, egress_rules=1)
    other_cloud = dataclasses.replace(GROUP, is_default=None)
    snapshot = snapshot_of([resource(named), resource(other_cloud)])
    assert findings_of("PUB-FIREWALL-04", snapshot) == []


def test_phi_scoped_rules_judge_only_tagged_functions_and_instances() -> None:
    phi = (("data-class", "phi"),)
    tagged = resource(dataclasses.replace(FUNCTION, environment_kms_key=None), tags=PHI)
    untagged = aws_resource(
        f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:other",
        "AWS::Lambda::Function",
        "other",
        dataclasses.replace(FUNCTION, environment_kms_key=None),
    )
    found = findings_of("EAR-FUNCTION-01", snapshot_of([tagged, untagged]), phi_tags=phi)
    assert {(f.resource.uid, f.status.value) for f in found} == {(tagged.uid, "FAIL")}
    exposed = resource(dataclasses.replace(VM, public_ipv4="54.1.2.3"))
    assert findings_of("PUB-INSTANCE-01", snapshot_of([exposed]), phi_tags=phi) == []
    # Network-level rules apply whatever the PHI tags say.
    open_subnet = resource(dataclasses.replace(SUBNET, auto_public_ipv4=True))
    (finding,) = findings_of("PUB-SUBNET-01", snapshot_of([open_subnet]), phi_tags=phi)
    assert finding.status.value == "FAIL"


def test_evidence_names_the_deciding_facts_and_never_a_value() -> None:
    fn = resource(dataclasses.replace(FUNCTION, url_auth_types=("NONE",)))
    assert judge_one("PUB-FUNCTION-02", fn).evidence == {"url_auth_types": ["NONE"]}
    cluster = dataclasses.replace(
        CLUSTER,
        public_endpoint=True,
        public_endpoint_open=True,
        public_access_cidrs=("0.0.0.0/1", "128.0.0.0/1"),
    )
    assert judge_one("PUB-KUBERNETES-01", resource(cluster)).evidence == {
        "public_endpoint": True,
        "public_access_cidrs": ["0.0.0.0/1", "128.0.0.0/1"],
    }


@pytest.mark.parametrize("props", list(BASE.values()), ids=lambda p: p.KIND)
def test_new_facts_round_trip_through_the_serialiser(props: Any) -> None:
    assert from_json(type(props), to_json(props), "props") == props


def test_a_function_key_scheduled_for_deletion_fails() -> None:
    # Near miss: a customer key is named, but the key cannot decrypt any more.
    key_uid = str(FUNCTION.environment_kms_key)
    for state, usable, expected in (
        ("PendingDeletion", False, Status.FAIL),
        ("Enabled", True, Status.PASS),
    ):
        key = aws_resource(
            key_uid,
            "AWS::KMS::Key",
            "k",
            Key(
                "k",
                "CUSTOMER",
                "SYMMETRIC_DEFAULT",
                "ENCRYPT_DECRYPT",
                state,
                "AWS_KMS",
                True,
                True,
                (),
                usable=usable,
            ),
        )
        (finding,) = evaluate(
            [snapshot_of((resource(FUNCTION), key))], [rule_by_id("EAR-FUNCTION-01")]
        ).findings
        assert finding.status is expected, state
