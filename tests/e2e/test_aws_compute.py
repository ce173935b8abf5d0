"""End to end over the compute workloads of the demo estate (issue 11, group C).

One `hipaa-scan aws` run of the demo estate across us-east-1 and eu-west-1, asserting the
exact (rule, resource, status) set of every compute rule, traps and decoys included: a
network ACL whose earlier DENY shuts out a later ALLOW of everything (not open) against one
that opens every port but SSH through two /1 halves (open), a repository policy for
``arn:aws:iam::*:root`` (open) against ``Principal *`` pinned to an organisation (not
open), a cluster endpoint allowed from two /1 halves (the internet). moto has no Systems
Manager inventory and no ListFunctionUrlConfigs, so those two rules are UNKNOWN here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from providers.aws.demo_estate import client_maker
from tests.e2e.conftest import Seeded, load_json, run_cli, scan_args, triples

ACCOUNT = "123456789012"
USE1, EUW1 = "us-east-1", "eu-west-1"
COMPUTE_RULES = {
    "IAM-INSTANCE-01",
    "IAM-INSTANCE-02",
    "PUB-INSTANCE-01",
    "PUB-IMAGE-01",
    "PUB-FIREWALL-04",
    "PUB-NETACL-01",
    "PUB-SUBNET-01",
    "PUB-FUNCTION-01",
    "PUB-FUNCTION-02",
    "EAR-FUNCTION-01",
    "PUB-REGISTRY-01",
    "EAR-REGISTRY-01",
    "LOG-REGISTRY-01",
    "EAR-KUBERNETES-01",
    "PUB-KUBERNETES-01",
    "LOG-KUBERNETES-01",
}


def ec2(region: str, kind: str, item_id: str) -> str:
    return f"arn:aws:ec2:{region}:{ACCOUNT}:{kind}/{item_id}"


def network(endpoint: str) -> dict[str, Any]:
    """What moto generated: subnets (with their setting), default groups and ACLs by VPC."""
    make = client_maker(endpoint)
    found: dict[str, Any] = {"subnets": {}, "groups": {}, "acls": {}}
    for region in (USE1, EUW1):
        client = make("ec2", region)
        for subnet in client.describe_subnets()["Subnets"]:
            uid = ec2(region, "subnet", subnet["SubnetId"])
            found["subnets"][uid] = bool(subnet["MapPublicIpOnLaunch"])
        for group in client.describe_security_groups(
            Filters=[{"Name": "group-name", "Values": ["default"]}]
        )["SecurityGroups"]:
            found["groups"][group["VpcId"]] = ec2(region, "security-group", group["GroupId"])
        for acl in client.describe_network_acls(Filters=[{"Name": "default", "Values": ["true"]}])[
            "NetworkAcls"
        ]:
            found["acls"][acl["VpcId"]] = ec2(region, "network-acl", acl["NetworkAclId"])
    return found


def expected(ids: dict[str, str], net: dict[str, Any]) -> set[tuple[str, str, str]]:
    ehr, fax, emr = (
        ec2(USE1, "instance", ids["ehr_instance"]),
        ec2(USE1, "instance", ids["fax_instance"]),
        ec2(USE1, "instance", ids["emr_primary_instance"]),
    )
    functions = f"arn:aws:lambda:{USE1}:{ACCOUNT}:function"
    lab, webhook = f"{functions}:nwh-lab-ingest", f"{functions}:nwh-portal-webhook"
    repositories = f"arn:aws:ecr:{USE1}:{ACCOUNT}:repository"
    ehr_api, imaging = f"{repositories}/nwh-ehr-api", f"{repositories}/nwh-imaging-tools"
    clinical = f"arn:aws:eks:{USE1}:{ACCOUNT}:cluster/nwh-clinical"
    research = f"arn:aws:eks:{EUW1}:{ACCOUNT}:cluster/nwh-research"
    return {
        # The EHR server: private subnet, IMDSv2 only. The fax gateway: public, IMDSv1.
        ("IAM-INSTANCE-01", ehr, "PASS"),
        ("IAM-INSTANCE-01", fax, "FAIL"),
        ("PUB-INSTANCE-01", ehr, "PASS"),
        ("PUB-INSTANCE-01", fax, "FAIL"),
        ("IAM-INSTANCE-02", ehr, "UNKNOWN"),
        ("IAM-INSTANCE-02", fax, "UNKNOWN"),
        # The analytics cluster's primary node (group E's): IMDSv1 allowed, a public address.
        ("IAM-INSTANCE-01", emr, "FAIL"),
        ("PUB-INSTANCE-01", emr, "FAIL"),
        ("IAM-INSTANCE-02", emr, "UNKNOWN"),
        ("PUB-IMAGE-01", f"arn:aws:ec2:{USE1}::image/{ids['public_image']}", "FAIL"),
        ("PUB-IMAGE-01", f"arn:aws:ec2:{USE1}::image/{ids['private_image']}", "PASS"),
        # Only the estate's own VPC keeps its default group empty.
        *(
            ("PUB-FIREWALL-04", uid, "PASS" if vpc == ids["vpc"] else "FAIL")
            for vpc, uid in net["groups"].items()
        ),
        # Every default ACL admits everything; the DMZ ACL all but SSH; the private ACL's
        # DENY of everything comes before its ALLOW of everything.
        *(("PUB-NETACL-01", uid, "FAIL") for uid in net["acls"].values()),
        ("PUB-NETACL-01", ec2(USE1, "network-acl", ids["dmz_acl"]), "FAIL"),
        ("PUB-NETACL-01", ec2(USE1, "network-acl", ids["private_acl"]), "PASS"),
        # Default subnets hand out public addresses; the estate's own two do not.
        *(
            ("PUB-SUBNET-01", uid, "FAIL" if auto else "PASS")
            for uid, auto in net["subnets"].items()
        ),
        ("PUB-FUNCTION-01", lab, "PASS"),
        ("PUB-FUNCTION-01", webhook, "FAIL"),
        ("PUB-FUNCTION-02", lab, "UNKNOWN"),
        ("PUB-FUNCTION-02", webhook, "UNKNOWN"),
        ("EAR-FUNCTION-01", lab, "PASS"),
        ("EAR-FUNCTION-01", webhook, "FAIL"),
        *((r, ehr_api, "PASS") for r in ("PUB-REGISTRY-01", "EAR-REGISTRY-01", "LOG-REGISTRY-01")),
        *((r, imaging, "FAIL") for r in ("PUB-REGISTRY-01", "EAR-REGISTRY-01", "LOG-REGISTRY-01")),
        ("EAR-KUBERNETES-01", clinical, "PASS"),
        ("PUB-KUBERNETES-01", clinical, "FAIL"),
        ("LOG-KUBERNETES-01", clinical, "FAIL"),
        ("EAR-KUBERNETES-01", research, "FAIL"),
        ("PUB-KUBERNETES-01", research, "PASS"),
        ("LOG-KUBERNETES-01", research, "PASS"),
    }


def test_compute_rules_report_exact_findings_with_decoys(seeded: Seeded, tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    args = ["--format", "json", "-o", str(out)]
    for rule_id in sorted(COMPUTE_RULES):
        args += ["--rule", rule_id]
    result = run_cli(scan_args(seeded.endpoint, *args), tmp_path)
    assert result.code == 1
    assert "Traceback" not in result.stderr
    report = load_json(out)
    net = network(seeded.endpoint)
    assert len(net["subnets"]) == 11 and len(net["acls"]) == len(net["groups"]) == 3
    assert triples(report) == expected(seeded.ids, net)
    assert {(g["service"], g["operation"]) for g in report["gaps"]} >= {
        ("ec2", "DescribeInstanceInformation"),
        ("lambda", "ListFunctionUrlConfigs"),
    }
