"""EC2 instances, images, subnets, network ACLs and default groups; Lambda; ECR; EKS.

Collectors run under moto; exact (rule, uid, status) sets with near misses. moto lacks
two APIs, answered here through canned answers (`tests.providers.aws.helpers.answering`):
Systems Manager's DescribeInstanceInformation and Lambda's ListFunctionUrlConfigs. moto
also always answers GetRegistryScanningConfiguration with basic scanning and no rules, so
enhanced scanning is a canned answer too.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from providers.base import CallCounter
from tests.providers.aws.helpers import (
    ACCOUNT,
    Answer,
    answering,
    by_uid,
    canned,
    failing,
    fake_answer,
    operation_name,
    outcomes,
    scan,
)

US, EU = "us-east-1", "eu-west-1"
PHI = {"Key": "data-class", "Value": "phi"}
EC2_RULES = (
    "IAM-INSTANCE-01",
    "IAM-INSTANCE-02",
    "PUB-INSTANCE-01",
    "PUB-IMAGE-01",
    "PUB-FIREWALL-04",
    "PUB-NETACL-01",
    "PUB-SUBNET-01",
)
FUNCTION_RULES = ("PUB-FUNCTION-01", "PUB-FUNCTION-02", "EAR-FUNCTION-01")
REGISTRY_RULES = ("PUB-REGISTRY-01", "EAR-REGISTRY-01", "LOG-REGISTRY-01")
CLUSTER_RULES = ("EAR-KUBERNETES-01", "PUB-KUBERNETES-01", "LOG-KUBERNETES-01")


def ec2_uid(region: str, kind: str, item_id: str) -> str:
    return f"arn:aws:ec2:{region}:{ACCOUNT}:{kind}/{item_id}"


def policy(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


# --- EC2 ---------------------------------------------------------------------------------


def seed_ec2() -> dict[str, str]:
    ec2 = boto3.client("ec2", US)
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    private = ec2.create_subnet(VpcId=vpc, CidrBlock="10.9.1.0/24")["Subnet"]["SubnetId"]
    public = ec2.create_subnet(VpcId=vpc, CidrBlock="10.9.2.0/24")["Subnet"]["SubnetId"]
    ec2.modify_subnet_attribute(SubnetId=public, MapPublicIpOnLaunch={"Value": True})
    tags = [{"ResourceType": "instance", "Tags": [PHI]}]
    run = {"ImageId": "ami-12345678", "MinCount": 1, "MaxCount": 1, "TagSpecifications": tags}
    v2 = ec2.run_instances(SubnetId=private, MetadataOptions={"HttpTokens": "required"}, **run)
    v1 = ec2.run_instances(SubnetId=public, MetadataOptions={"HttpTokens": "optional"}, **run)
    # Near miss: tokens optional, but the metadata endpoint is off altogether.
    off = ec2.run_instances(
        SubnetId=private,
        MetadataOptions={"HttpTokens": "optional", "HttpEndpoint": "disabled"},
        **run,
    )
    gone = ec2.run_instances(SubnetId=private, **run)["Instances"][0]["InstanceId"]
    ec2.terminate_instances(InstanceIds=[gone])
    shared = ec2.register_image(Name="shared-image", RootDeviceName="/dev/sda1")["ImageId"]
    ec2.modify_image_attribute(ImageId=shared, LaunchPermission={"Add": [{"Group": "all"}]})
    # Near miss: shared with one named account only.
    named = ec2.register_image(Name="named-image", RootDeviceName="/dev/sda1")["ImageId"]
    ec2.modify_image_attribute(
        ImageId=named, LaunchPermission={"Add": [{"UserId": "111122223333"}]}
    )
    default_sg = ec2.describe_security_groups(
        Filters=[{"Name": "vpc-id", "Values": [vpc]}, {"Name": "group-name", "Values": ["default"]}]
    )["SecurityGroups"][0]
    ec2.revoke_security_group_egress(
        GroupId=default_sg["GroupId"], IpPermissions=default_sg["IpPermissionsEgress"]
    )
    acl = ec2.create_network_acl(VpcId=vpc)["NetworkAcl"]["NetworkAclId"]

    def entry(number: int, action: str, cidr: str, **more: Any) -> None:
        ec2.create_network_acl_entry(
            NetworkAclId=acl,
            RuleNumber=number,
            Protocol=more.pop("Protocol", "-1"),
            RuleAction=action,
            Egress=False,
            CidrBlock=cidr,
            **more,
        )

    # Near miss: an earlier DENY of everything wins over the later ALLOW of everything.
    entry(50, "deny", "0.0.0.0/0")
    entry(60, "allow", "0.0.0.0/0")
    rdp = ec2.create_network_acl(VpcId=vpc)["NetworkAcl"]["NetworkAclId"]
    ec2.create_network_acl_entry(
        NetworkAclId=rdp,
        RuleNumber=10,
        Protocol="6",
        RuleAction="allow",
        Egress=False,
        CidrBlock="12.0.0.0/8",
        PortRange={"From": 3389, "To": 3389},
    )
    ec2.create_network_acl_entry(
        NetworkAclId=rdp,
        RuleNumber=20,
        Protocol="6",
        RuleAction="allow",
        Egress=False,
        CidrBlock="13.0.0.0/8",
        PortRange={"From": 3000, "To": 4000},
    )
    default_vpc = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])
    default_vpc_id = default_vpc["Vpcs"][0]["VpcId"]
    acls = {
        a["VpcId"] if a["IsDefault"] else a["NetworkAclId"]: a["NetworkAclId"]
        for a in ec2.describe_network_acls()["NetworkAcls"]
    }
    groups = ec2.describe_security_groups(Filters=[{"Name": "group-name", "Values": ["default"]}])
    return {
        "vpc": vpc,
        "private": private,
        "public": public,
        "v2": v2["Instances"][0]["InstanceId"],
        "v1": v1["Instances"][0]["InstanceId"],
        "off": off["Instances"][0]["InstanceId"],
        "shared": shared,
        "named": named,
        "closed_sg": default_sg["GroupId"],
        "open_sg": next(g["GroupId"] for g in groups["SecurityGroups"] if g["VpcId"] != vpc),
        "shut_acl": acl,
        "rdp_acl": rdp,
        "vpc_acl": acls[vpc],
        "default_acl": acls[default_vpc_id],
    }


@pytest.fixture
def ec2_estate() -> Iterator[dict[str, str]]:
    with mock_aws():
        yield seed_ec2()


def managed(*instance_ids: str) -> Any:
    """A canned DescribeInstanceInformation listing `instance_ids` (moto lacks the API)."""

    def answer(model: Any, **_: Any) -> Answer | None:
        if operation_name(model) != "ssm.DescribeInstanceInformation":
            return None
        return fake_answer({"InstanceInformationList": [{"InstanceId": i} for i in instance_ids]})

    return answering(answer)


def test_ec2_exact_outcomes_and_one_inventory_call_per_region(ec2_estate: dict[str, str]) -> None:
    ids = ec2_estate
    counter = CallCounter()
    with managed(ids["v2"], "i-0ffffffffffffffff"):
        snapshot = scan(["ec2"], regions=(US,), counter=counter)
    assert snapshot.gaps == ()
    found = outcomes(snapshot, EC2_RULES)
    instance = {k: ec2_uid(US, "instance", ids[k]) for k in ("v2", "v1", "off")}
    image = {k: f"arn:aws:ec2:{US}::image/{ids[k]}" for k in ("shared", "named")}
    subnets = by_uid(snapshot, "network.subnet")
    acl = {k: ec2_uid(US, "network-acl", ids[k]) for k in ("shut_acl", "rdp_acl", "vpc_acl")}
    assert {o for o in found if o[0].startswith(("IAM-INSTANCE", "PUB-INSTANCE"))} == {
        ("IAM-INSTANCE-01", instance["v2"], "PASS"),
        ("IAM-INSTANCE-01", instance["v1"], "FAIL"),
        ("IAM-INSTANCE-01", instance["off"], "PASS"),
        ("IAM-INSTANCE-02", instance["v2"], "PASS"),
        ("IAM-INSTANCE-02", instance["v1"], "FAIL"),
        ("IAM-INSTANCE-02", instance["off"], "FAIL"),
        ("PUB-INSTANCE-01", instance["v2"], "PASS"),
        ("PUB-INSTANCE-01", instance["v1"], "FAIL"),
        ("PUB-INSTANCE-01", instance["off"], "PASS"),
    }
    assert {o for o in found if o[0] == "PUB-IMAGE-01"} == {
        ("PUB-IMAGE-01", image["shared"], "FAIL"),
        ("PUB-IMAGE-01", image["named"], "PASS"),
    }
    assert {o for o in found if o[0] == "PUB-FIREWALL-04"} == {
        ("PUB-FIREWALL-04", ec2_uid(US, "security-group", ids["closed_sg"]), "PASS"),
        ("PUB-FIREWALL-04", ec2_uid(US, "security-group", ids["open_sg"]), "FAIL"),
    }
    assert {o for o in found if o[0] == "PUB-NETACL-01"} == {
        ("PUB-NETACL-01", acl["shut_acl"], "PASS"),
        # 3389 from 12.0.0.0/8 and 13.0.0.0/8 (a public /7) on entries with different ports.
        ("PUB-NETACL-01", acl["rdp_acl"], "FAIL"),
        ("PUB-NETACL-01", acl["vpc_acl"], "FAIL"),
        ("PUB-NETACL-01", ec2_uid(US, "network-acl", ids["default_acl"]), "FAIL"),
    }
    subnet_outcomes = {o for o in found if o[0] == "PUB-SUBNET-01"}
    assert subnet_outcomes == {
        ("PUB-SUBNET-01", uid, "FAIL" if r.props.auto_public_ipv4 else "PASS")
        for uid, r in subnets.items()
    }
    assert ("PUB-SUBNET-01", ec2_uid(US, "subnet", ids["private"]), "PASS") in subnet_outcomes
    assert ("PUB-SUBNET-01", ec2_uid(US, "subnet", ids["public"]), "FAIL") in subnet_outcomes
    rdp = by_uid(snapshot, "network.acl")[acl["rdp_acl"]].props.internet_ingress
    assert [(i.protocol, i.from_port, i.to_port) for i in rdp] == [("tcp", 3389, 3389)]
    # The terminated instance is not reported; one listing and one inventory per region.
    assert set(by_uid(snapshot, "compute.instance")) == set(instance.values())
    assert counter.counts["ec2.DescribeInstances"] == 1
    assert counter.counts["ssm.DescribeInstanceInformation"] == 1
    assert counter.counts["ec2.DescribeImages"] == 1
    assert counter.counts["ec2.DescribeNetworkAcls"] == 1
    assert counter.counts["ec2.DescribeSubnets"] == 1


def test_a_failed_inventory_is_unknown_never_unmanaged(ec2_estate: dict[str, str]) -> None:
    with failing("ssm.DescribeInstanceInformation"):
        snapshot = scan(["ec2"], regions=(US,))
    assert {(g.operation, g.error_code) for g in snapshot.gaps} == {
        ("DescribeInstanceInformation", "AccessDenied")
    }
    assert {o[2] for o in outcomes(snapshot, ["IAM-INSTANCE-02"])} == {"UNKNOWN"}
    assert {r.props.managed for r in by_uid(snapshot, "compute.instance").values()} == {None}


def test_failed_listings_are_unknown_or_absent_never_pass(ec2_estate: dict[str, str]) -> None:
    with failing("ec2.DescribeNetworkAcls", "ec2.DescribeImages", "ec2.DescribeInstances"):
        snapshot = scan(["ec2"], regions=(US,))
    assert {g.operation for g in snapshot.gaps} == {
        "DescribeNetworkAcls",
        "DescribeImages",
        "DescribeInstances",
    }
    # Without a listing there is no resource; each rule says UNKNOWN for the whole kind.
    kinds = {r.kind for r in snapshot.resources}
    assert not kinds & {"network.acl", "compute.image", "compute.instance"}
    where = f"aws/{ACCOUNT}/{US}"
    assert outcomes(snapshot, ["PUB-NETACL-01", "PUB-IMAGE-01", "IAM-INSTANCE-01"]) == {
        ("PUB-NETACL-01", f"{where}/network.acl", "UNKNOWN"),
        ("PUB-IMAGE-01", f"{where}/compute.image", "UNKNOWN"),
        ("IAM-INSTANCE-01", f"{where}/compute.instance", "UNKNOWN"),
    }


def test_an_unreadable_acl_entry_is_a_gap_and_unknown_never_skipped() -> None:
    # Canned: EC2 never returns such an entry, and moto cannot store one. Skipping it would
    # judge the ACL on what is left: here the ALLOW of the internet would vanish (a PASS).
    acl = {
        "NetworkAclId": "acl-0bad",
        "VpcId": "vpc-0bad",
        "IsDefault": False,
        "Entries": [
            {
                "RuleNumber": 100,
                "Protocol": "-1",
                "RuleAction": "allow",
                "Egress": False,
                "CidrBlock": "0.0.0.0/33",
            },
        ],
    }
    with mock_aws(), canned("ec2.DescribeNetworkAcls", {"NetworkAcls": [acl]}):
        snapshot = scan(["ec2"], regions=(US,))
    uid = ec2_uid(US, "network-acl", "acl-0bad")
    assert {(g.operation, g.error_code, g.resource_uid) for g in snapshot.gaps} == {
        ("DescribeNetworkAcls", "MalformedAnswer", uid)
    }
    assert by_uid(snapshot, "network.acl")[uid].props.internet_ingress is None
    assert outcomes(snapshot, ["PUB-NETACL-01"]) == {("PUB-NETACL-01", uid, "UNKNOWN")}


# --- Lambda ------------------------------------------------------------------------------


def code() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("h.py", "def h(e, c):\n    return None\n")
    return buffer.getvalue()


def seed_functions() -> dict[str, str]:
    role = boto3.client("iam").create_role(RoleName="fn", AssumeRolePolicyDocument="{}")
    lam = boto3.client("lambda", US)
    common = {
        "Runtime": "python3.12",
        "Role": role["Role"]["Arn"],
        "Handler": "h.h",
        "Code": {"ZipFile": code()},
        "Tags": {"data-class": "phi"},
    }
    key = f"arn:aws:kms:{US}:{ACCOUNT}:key/1234abcd-0000-0000-0000-000000000001"
    arns = {}
    for name, extra in (
        ("sealed", {"Environment": {"Variables": {"A": "1"}}, "KMSKeyArn": key}),
        ("plain_env", {"Environment": {"Variables": {"A": "1"}}}),
        ("no_env", {}),
        ("any_root", {}),
        ("org_only", {}),
    ):
        arns[name] = lam.create_function(FunctionName=name, **common, **extra)["FunctionArn"]
    lam.add_permission(
        FunctionName="plain_env",
        StatementId="open-url",
        Action="lambda:InvokeFunctionUrl",
        Principal="*",
        FunctionUrlAuthType="NONE",
    )
    lam.add_permission(
        FunctionName="sealed",
        StatementId="s3",
        Action="lambda:InvokeFunction",
        Principal="s3.amazonaws.com",
        SourceAccount=ACCOUNT,
    )
    lam.add_permission(
        FunctionName="any_root",
        StatementId="every-account",
        Action="lambda:InvokeFunction",
        Principal="arn:aws:iam::*:root",
    )
    lam.add_permission(
        FunctionName="org_only",
        StatementId="org",
        Action="lambda:InvokeFunction",
        Principal="*",
        PrincipalOrgID="o-example1234",
    )
    return arns


URLS = {
    "plain_env": [{"AuthType": "NONE"}],
    "sealed": [{"AuthType": "AWS_IAM"}, {"AuthType": "AWS_IAM"}],
}


def function_urls(model: Any, params: Any = None, **_: Any) -> Answer | None:
    """Canned ListFunctionUrlConfigs answers (moto lacks the API), by function name."""
    if operation_name(model) != "lambda.ListFunctionUrlConfigs":
        return None
    name = str((params or {}).get("url_path", "")).split("/functions/")[-1].split("/")[0]
    configs = [
        {
            "FunctionUrl": f"https://{name}.lambda-url.{US}.on.aws/",
            "FunctionArn": name,
            "AuthType": c["AuthType"],
            "CreationTime": "2026-01-01T00:00:00Z",
            "LastModifiedTime": "2026-01-01T00:00:00Z",
        }
        for c in URLS.get(name, [])
    ]
    return fake_answer({"FunctionUrlConfigs": configs})


def test_function_exact_outcomes_with_near_misses() -> None:
    counter = CallCounter()
    with mock_aws():
        arns = seed_functions()
        with answering(function_urls):
            snapshot = scan(["lambda"], regions=(US,), counter=counter)
    assert snapshot.gaps == ()
    status = {
        "PUB-FUNCTION-01": {"plain_env": "FAIL", "any_root": "FAIL"},
        "PUB-FUNCTION-02": {"plain_env": "FAIL"},
        "EAR-FUNCTION-01": {"plain_env": "FAIL"},
    }
    assert outcomes(snapshot, FUNCTION_RULES) == {
        (rule_id, uid, status[rule_id].get(name, "PASS"))
        for rule_id in FUNCTION_RULES
        for name, uid in arns.items()
    }
    found = by_uid(snapshot, "compute.function")
    assert found[arns["plain_env"]].props.public_policy_statements == ("open-url",)
    assert found[arns["sealed"]].props.url_auth_types == ("AWS_IAM",)
    assert found[arns["no_env"]].props.has_policy is False
    assert found[arns["sealed"]].tags == {"data-class": "phi"}
    assert dict(counter.counts) == {
        "sts.GetCallerIdentity": 1,
        "lambda.ListFunctions": 1,
        **{f"lambda.{op}": 5 for op in ("GetPolicy", "ListFunctionUrlConfigs", "ListTags")},
    }


def test_function_reads_that_fail_are_unknown_and_tags_fail_closed() -> None:
    with mock_aws():
        arns = seed_functions()
        with failing("lambda.GetPolicy", "lambda.ListTags", "lambda.ListFunctionUrlConfigs"):
            snapshot = scan(["lambda"], regions=(US,))
    assert {(g.operation, g.resource_uid) for g in snapshot.gaps} == {
        (op, uid)
        for op in ("GetPolicy", "ListTags", "ListFunctionUrlConfigs")
        for uid in arns.values()
    }
    found = outcomes(snapshot, FUNCTION_RULES, phi_tags=(("data-class", "phi"),))
    # Unreadable tags put every function in scope (fail closed); the environment is still
    # judged from the listing.
    assert found == {
        *(
            (r, uid, "UNKNOWN")
            for r in ("PUB-FUNCTION-01", "PUB-FUNCTION-02")
            for uid in arns.values()
        ),
        *(
            ("EAR-FUNCTION-01", uid, "FAIL" if name == "plain_env" else "PASS")
            for name, uid in arns.items()
        ),
    }


# --- ECR ---------------------------------------------------------------------------------


def seed_repositories() -> dict[str, str]:
    ecr = boto3.client("ecr", US)
    pull = ["ecr:BatchGetImage"]
    repos = {
        "scanned-kms": ({"scanOnPush": True}, {"encryptionType": "KMS"}, None),
        "plain": ({"scanOnPush": False}, None, None),
        "every-account": (
            {"scanOnPush": True},
            None,
            {"Sid": "Roots", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::*:root"}},
        ),
        "org-only": (
            {"scanOnPush": True},
            None,
            {
                "Sid": "Org",
                "Effect": "Allow",
                "Principal": "*",
                "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-example1234"}},
            },
        ),
        "prod-billing": ({"scanOnPush": False}, None, None),
    }
    arns = {}
    for name, (scanning, encryption, statement) in repos.items():
        params: dict[str, Any] = {"repositoryName": name, "imageScanningConfiguration": scanning}
        if encryption:
            params["encryptionConfiguration"] = encryption
        arns[name] = ecr.create_repository(**params)["repository"]["repositoryArn"]
        if statement:
            ecr.set_repository_policy(
                repositoryName=name, policyText=policy({**statement, "Action": pull})
            )
    return arns


def test_repository_exact_outcomes_with_near_misses() -> None:
    counter = CallCounter()
    with mock_aws():
        arns = seed_repositories()
        snapshot = scan(["ecr"], regions=(US,), counter=counter)
    assert snapshot.gaps == ()
    failing_on = {
        "PUB-REGISTRY-01": {"every-account"},
        "EAR-REGISTRY-01": {"plain", "every-account", "org-only", "prod-billing"},
        "LOG-REGISTRY-01": {"plain", "prod-billing"},
    }
    assert outcomes(snapshot, REGISTRY_RULES) == {
        (rule_id, uid, "FAIL" if name in failing_on[rule_id] else "PASS")
        for rule_id in REGISTRY_RULES
        for name, uid in arns.items()
    }
    assert dict(counter.counts) == {
        "sts.GetCallerIdentity": 1,
        "ecr.DescribeRepositories": 1,
        "ecr.GetRegistryScanningConfiguration": 1,
        "ecr.GetRepositoryPolicy": 5,
        "ecr.ListTagsForResource": 5,
    }


def test_enhanced_registry_scanning_replaces_the_repository_setting() -> None:
    enhanced = {
        "registryId": ACCOUNT,
        "scanningConfiguration": {
            "scanType": "ENHANCED",
            "rules": [
                {
                    "scanFrequency": "CONTINUOUS_SCAN",
                    "repositoryFilters": [{"filter": "prod-*", "filterType": "WILDCARD"}],
                }
            ],
        },
    }
    with mock_aws():
        arns = seed_repositories()
        # moto always answers basic scanning without rules: enhanced is a canned answer.
        with canned("ecr.GetRegistryScanningConfiguration", enhanced):
            snapshot = scan(["ecr"], regions=(US,))
    # Under enhanced scanning only the registry's filter counts: prod-billing (repository
    # setting off) is scanned; scanned-kms (repository setting on) is not.
    assert {o for o in outcomes(snapshot, ["LOG-REGISTRY-01"])} == {
        ("LOG-REGISTRY-01", uid, "PASS" if name == "prod-billing" else "FAIL")
        for name, uid in arns.items()
    }


def test_unreadable_registry_scanning_is_unknown() -> None:
    with mock_aws():
        arns = seed_repositories()
        with failing("ecr.GetRegistryScanningConfiguration"):
            snapshot = scan(["ecr"], regions=(US,))
    assert outcomes(snapshot, ["LOG-REGISTRY-01"]) == {
        ("LOG-REGISTRY-01", uid, "UNKNOWN") for uid in arns.values()
    }


# --- EKS ---------------------------------------------------------------------------------


def seed_clusters() -> dict[str, str]:
    key = f"arn:aws:kms:{US}:{ACCOUNT}:key/1234abcd-0000-0000-0000-000000000002"
    shapes: dict[str, dict[str, Any]] = {
        "halves": {
            "resourcesVpcConfig": {
                "endpointPublicAccess": True,
                "publicAccessCidrs": ["0.0.0.0/1", "128.0.0.0/1"],
            },
            "encryptionConfig": [{"resources": ["secrets"], "provider": {"keyArn": key}}],
            "logging": {"clusterLogging": [{"types": ["audit"], "enabled": True}]},
        },
        "office": {
            "resourcesVpcConfig": {
                "endpointPublicAccess": True,
                "publicAccessCidrs": ["203.0.113.0/24"],
            },
            "logging": {
                "clusterLogging": [
                    {"types": ["api"], "enabled": True},
                    {"types": ["audit"], "enabled": False},
                ]
            },
        },
        "private": {
            "resourcesVpcConfig": {"endpointPublicAccess": False, "endpointPrivateAccess": True},
        },
    }
    eks = boto3.client("eks", US)
    arns = {}
    for name, shape in shapes.items():
        vpc = {"subnetIds": ["subnet-1"], **shape.pop("resourcesVpcConfig")}
        created = eks.create_cluster(
            name=name, roleArn=f"arn:aws:iam::{ACCOUNT}:role/eks", resourcesVpcConfig=vpc, **shape
        )
        arns[name] = created["cluster"]["arn"]
    return arns


def test_cluster_exact_outcomes_with_near_misses() -> None:
    counter = CallCounter()
    with mock_aws():
        arns = seed_clusters()
        snapshot = scan(["eks"], regions=(US,), counter=counter)
    assert snapshot.gaps == ()
    passing_on = {
        "EAR-KUBERNETES-01": {"halves"},
        # Two /1 halves are the internet; one /24 is somebody's office.
        "PUB-KUBERNETES-01": {"office", "private"},
        "LOG-KUBERNETES-01": {"halves"},
    }
    assert outcomes(snapshot, CLUSTER_RULES) == {
        (rule_id, uid, "PASS" if name in passing_on[rule_id] else "FAIL")
        for rule_id in CLUSTER_RULES
        for name, uid in arns.items()
    }
    assert counter.counts["eks.ListClusters"] == 1
    assert counter.counts["eks.DescribeCluster"] == 3


def test_an_undescribed_cluster_is_kept_with_unknown_facts() -> None:
    with mock_aws():
        arns = seed_clusters()
        with failing("eks.DescribeCluster"):
            snapshot = scan(["eks"], regions=(US,))
    assert {g.resource_uid for g in snapshot.gaps} == set(arns.values())
    assert outcomes(snapshot, CLUSTER_RULES) == {
        (rule_id, uid, "UNKNOWN") for rule_id in CLUSTER_RULES for uid in arns.values()
    }
    found = by_uid(snapshot, "container.cluster")
    assert {r.tags for r in found.values()} == {None}


def test_a_failed_subnet_listing_is_unknown_for_the_kind(ec2_estate: dict[str, str]) -> None:
    with managed(), failing("ec2.DescribeSubnets"):
        snapshot = scan(["ec2"], regions=(US,))
    assert [(g.operation, g.kinds) for g in snapshot.gaps] == [
        ("DescribeSubnets", ("network.subnet",))
    ]
    assert outcomes(snapshot, ["PUB-SUBNET-01"]) == {
        ("PUB-SUBNET-01", f"aws/{ACCOUNT}/{US}/network.subnet", "UNKNOWN")
    }
