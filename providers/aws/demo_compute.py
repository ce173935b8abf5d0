"""The demo estate's compute workloads (issue 11, group C): EC2, Lambda, ECR and EKS.

Each service gets a hardened resource and a violating one, with near misses: a network
ACL whose earlier DENY shuts out a later ALLOW of everything (not open), one whose ALLOW
is written as two ``/1`` halves (open), a repository policy for ``arn:aws:iam::*:root``
(open to every account) against one pinned by ``aws:PrincipalOrgID`` (not open), a
cluster endpoint allowed from two ``/1`` halves (the internet).

moto has no Systems Manager inventory (DescribeInstanceInformation) and no
ListFunctionUrlConfigs. `hipaa-scan demo` answers both itself (`with_compute_stubs`): the
inventory lists the instances tagged as running the agent, and a function's URLs are the
one moto keeps for it. A bare moto server (the end-to-end tests) reports both as gaps, so
instance management and function URLs are UNKNOWN there, as for a scanner denied them.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from providers.aws.demo_estate import ClientMaker

ACCOUNT = "123456789012"
# The estate's PHI tag (`demo_estate.PHI_TAG`; that module imports this one).
PHI_TAG = {"Key": "data-class", "Value": "phi"}
# The demo's stand-in for a Systems Manager agent that registered the instance.
SSM_AGENT_TAG = {"Key": "nwh:ssm-agent", "Value": "online"}

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
_FUNCTION_URLS = re.compile(r"/2021-10-31/functions/[^/]+/urls")
_SCOPE_REGION = re.compile(r"Credential=[^/]+/\d{8}/([a-z0-9-]+)/")


def with_compute_stubs(app: WsgiApp) -> WsgiApp:
    """`app` plus the two compute reads moto lacks, answered from the seeded estate."""

    def serve(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("HTTP_X_AMZ_TARGET") == "AmazonSSM.DescribeInstanceInformation":
            region = _SCOPE_REGION.search(environ.get("HTTP_AUTHORIZATION", ""))
            listed = _agent_instances(region.group(1) if region else "")
            return _answer(start_response, {"InstanceInformationList": listed})
        path = str(environ.get("PATH_INFO", ""))
        if environ.get("REQUEST_METHOD") == "GET" and _FUNCTION_URLS.fullmatch(path):
            return _function_urls(app, environ, start_response)
        return app(environ, start_response)

    return serve


def _answer(start_response: Callable[..., Any], payload: dict[str, Any]) -> list[bytes]:
    body = json.dumps(payload).encode()
    start_response(
        "200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
    )
    return [body]


def _agent_instances(region: str) -> list[dict[str, str]]:
    # The demo's server runs in this process: read moto's own EC2 state for the region.
    from moto.ec2.models import ec2_backends  # noqa: PLC0415

    if not region:
        return []
    wanted = {"key": SSM_AGENT_TAG["Key"], "value": SSM_AGENT_TAG["Value"]}
    return [
        {"InstanceId": i.id, "PingStatus": "Online", "ResourceType": "EC2Instance"}
        for i in ec2_backends[ACCOUNT][region].all_instances()
        if any({"key": t["key"], "value": t["value"]} == wanted for t in i.get_tags())
    ]


def _function_urls(
    app: WsgiApp, environ: dict[str, Any], start_response: Callable[..., Any]
) -> list[bytes]:
    # ListFunctionUrlConfigs answered through moto's GetFunctionUrlConfig (one URL each).
    path = str(environ["PATH_INFO"])[: -len("s")]
    # werkzeug also keeps the raw request line, which moto's router reads.
    single = {
        **environ,
        "PATH_INFO": path,
        "RAW_URI": path,
        "REQUEST_URI": path,
        "QUERY_STRING": "",
    }
    status: list[str] = []

    def capture(code: str, headers: Any, *_: Any) -> Callable[[bytes], None]:
        status.append(code)
        return lambda _data: None

    body = b"".join(app(single, capture))
    # moto answers a found URL with 201 (sic), a missing one with 404.
    configs = [json.loads(body)] if status and status[0].startswith("2") else []
    return _answer(start_response, {"FunctionUrlConfigs": configs})


IMAGE = "ami-0a1b2c3d4e5f60718"


def _policy(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def seed_compute(make: ClientMaker) -> dict[str, str]:
    """Create the compute workloads; returns the generated ids by role."""
    ids = _seed_instances(make)
    ids.update(_seed_acls(make))
    key = _phi_key_arn(make)
    _seed_functions(make, key)
    _seed_repositories(make)
    _seed_clusters(make, key)
    return ids


def _phi_key_arn(make: ClientMaker) -> str:
    # The estate's PHI key (made by seed_s3): reused, so the key inventory stays as it was.
    kms = make("kms", "us-east-1")
    for key in kms.list_keys()["Keys"]:
        meta = kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]
        if meta.get("Description") == "nwh PHI key":
            return str(meta["Arn"])
    raise LookupError("the demo estate's PHI key was not seeded")


def _nwh_network(ec2: Any) -> tuple[str, str]:
    vpc = ec2.describe_vpcs(Filters=[{"Name": "cidr", "Values": ["10.20.0.0/16"]}])["Vpcs"][0]
    subnets = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc["VpcId"]]}])
    return str(vpc["VpcId"]), str(sorted(s["SubnetId"] for s in subnets["Subnets"])[0])


def _root(encrypted: bool) -> list[dict[str, Any]]:
    return [{"DeviceName": "/dev/sda1", "Ebs": {"VolumeSize": 8, "Encrypted": encrypted}}]


def _seed_instances(make: ClientMaker) -> dict[str, str]:
    ec2 = make("ec2", "us-east-1")
    vpc_id, subnet_id = _nwh_network(ec2)
    tags = [{"ResourceType": "instance", "Tags": [PHI_TAG]}]
    # The EHR application server: private subnet, IMDSv2 only, encrypted root volume,
    # managed by Systems Manager.
    ehr = ec2.run_instances(
        ImageId=IMAGE,
        MinCount=1,
        MaxCount=1,
        SubnetId=subnet_id,
        MetadataOptions={"HttpTokens": "required", "HttpEndpoint": "enabled"},
        BlockDeviceMappings=_root(True),
        TagSpecifications=[{"ResourceType": "instance", "Tags": [PHI_TAG, SSM_AGENT_TAG]}],
    )["Instances"][0]["InstanceId"]
    # Trap: a legacy fax gateway in a default subnet (public address), IMDSv1 allowed.
    fax = ec2.run_instances(
        ImageId=IMAGE,
        MinCount=1,
        MaxCount=1,
        MetadataOptions={"HttpTokens": "optional"},
        BlockDeviceMappings=_root(False),
        TagSpecifications=tags,
    )["Instances"][0]["InstanceId"]
    # Trap: the fax gateway's image shared with everyone. Decoy: the EHR base image, private.
    public = ec2.register_image(Name="nwh-fax-gateway", RootDeviceName="/dev/sda1")["ImageId"]
    ec2.modify_image_attribute(ImageId=public, LaunchPermission={"Add": [{"Group": "all"}]})
    private = ec2.register_image(Name="nwh-ehr-base", RootDeviceName="/dev/sda1")["ImageId"]
    # The estate's own VPC keeps its default security group empty (CIS 5.4).
    default_sg = ec2.describe_security_groups(
        Filters=[
            {"Name": "vpc-id", "Values": [vpc_id]},
            {"Name": "group-name", "Values": ["default"]},
        ]
    )["SecurityGroups"][0]
    if default_sg.get("IpPermissions"):
        ec2.revoke_security_group_ingress(
            GroupId=default_sg["GroupId"], IpPermissions=default_sg["IpPermissions"]
        )
    if default_sg.get("IpPermissionsEgress"):
        ec2.revoke_security_group_egress(
            GroupId=default_sg["GroupId"], IpPermissions=default_sg["IpPermissionsEgress"]
        )
    volumes = {
        v["Attachments"][0]["InstanceId"]: v["VolumeId"]
        for v in ec2.describe_volumes()["Volumes"]
        if v.get("Attachments")
    }
    # Registering an image snapshots its root device: the estate's only EBS snapshots.
    snapshots = {
        image["ImageId"]: image["BlockDeviceMappings"][0]["Ebs"]["SnapshotId"]
        for image in ec2.describe_images(ImageIds=[public, private])["Images"]
    }
    return {
        "ehr_instance": ehr,
        "fax_instance": fax,
        "ehr_root_volume": volumes[ehr],
        "fax_root_volume": volumes[fax],
        "public_image": public,
        "private_image": private,
        "public_image_snapshot": snapshots[public],
        "private_image_snapshot": snapshots[private],
    }


def _acl_entry(ec2: Any, acl: str, number: int, action: str, cidr: str, **more: Any) -> None:
    ec2.create_network_acl_entry(
        NetworkAclId=acl,
        RuleNumber=number,
        Protocol=more.pop("Protocol", "-1"),
        RuleAction=action,
        Egress=False,
        CidrBlock=cidr,
        **more,
    )


def _seed_acls(make: ClientMaker) -> dict[str, str]:
    ec2 = make("ec2", "us-east-1")
    vpc_id, _ = _nwh_network(ec2)
    # Trap: SSH is denied first, but every other port is allowed from two /1 halves.
    dmz = ec2.create_network_acl(VpcId=vpc_id)["NetworkAcl"]["NetworkAclId"]
    _acl_entry(ec2, dmz, 90, "deny", "0.0.0.0/0", Protocol="6", PortRange={"From": 22, "To": 22})
    _acl_entry(ec2, dmz, 100, "allow", "0.0.0.0/1")
    _acl_entry(ec2, dmz, 110, "allow", "128.0.0.0/1")
    # Decoy: HTTPS from anywhere, then a DENY of everything numbered before an ALLOW of all.
    private = ec2.create_network_acl(VpcId=vpc_id)["NetworkAcl"]["NetworkAclId"]
    _acl_entry(
        ec2, private, 80, "allow", "0.0.0.0/0", Protocol="6", PortRange={"From": 443, "To": 443}
    )
    _acl_entry(ec2, private, 90, "deny", "0.0.0.0/0")
    _acl_entry(ec2, private, 100, "allow", "0.0.0.0/0")
    return {"dmz_acl": dmz, "private_acl": private}


def _code() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("handler.py", "def handle(event, context):\n    return None\n")
    return buffer.getvalue()


def _seed_functions(make: ClientMaker, key: str) -> None:
    lam = make("lambda", "us-east-1")
    role = f"arn:aws:iam::{ACCOUNT}:role/nwh-lambda-exec"
    common = {"Runtime": "python3.12", "Role": role, "Handler": "handler.handle"}
    # Fictional settings on a local fake; the scanner never reads these values.
    lam.create_function(
        FunctionName="nwh-lab-ingest",
        Code={"ZipFile": _code()},
        Environment={"Variables": {"RESULTS_TABLE": "nwh-lab-results"}},
        KMSKeyArn=key,
        Tags={PHI_TAG["Key"]: PHI_TAG["Value"]},
        **common,
    )
    # Decoy: S3 may invoke it, pinned to the estate's account (not open).
    lam.add_permission(
        FunctionName="nwh-lab-ingest",
        StatementId="s3-results-drop",
        Action="lambda:InvokeFunction",
        Principal="s3.amazonaws.com",
        SourceAccount=ACCOUNT,
        SourceArn="arn:aws:s3:::nwh-claims-staging",
    )
    lam.create_function(
        FunctionName="nwh-portal-webhook",
        Code={"ZipFile": _code()},
        Environment={"Variables": {"PORTAL_MODE": "demo"}},
        Tags={PHI_TAG["Key"]: PHI_TAG["Value"]},
        **common,
    )
    # Trap: a function URL without auth, and the statement that opens it to everyone.
    lam.create_function_url_config(FunctionName="nwh-portal-webhook", AuthType="NONE")
    lam.add_permission(
        FunctionName="nwh-portal-webhook",
        StatementId="FunctionURLAllowPublicAccess",
        Action="lambda:InvokeFunctionUrl",
        Principal="*",
        FunctionUrlAuthType="NONE",
    )


def _seed_repositories(make: ClientMaker) -> None:
    ecr = make("ecr", "us-east-1")
    ecr.create_repository(
        repositoryName="nwh-ehr-api",
        imageScanningConfiguration={"scanOnPush": True},
        encryptionConfiguration={"encryptionType": "KMS"},
        tags=[PHI_TAG],
    )
    pull = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    # Decoy: Principal * pinned to the organisation.
    ecr.set_repository_policy(
        repositoryName="nwh-ehr-api",
        policyText=_policy(
            {
                "Sid": "OrgPull",
                "Effect": "Allow",
                "Principal": "*",
                "Action": pull,
                "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-nwh0example"}},
            }
        ),
    )
    ecr.create_repository(repositoryName="nwh-imaging-tools")
    # Trap: "every account's root" is every account.
    ecr.set_repository_policy(
        repositoryName="nwh-imaging-tools",
        policyText=_policy(
            {
                "Sid": "VendorPull",
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::*:root"},
                "Action": pull,
            }
        ),
    )


def _seed_clusters(make: ClientMaker, key: str) -> None:
    role = f"arn:aws:iam::{ACCOUNT}:role/nwh-lambda-exec"
    # Trap: the public endpoint is allowed from two /1 halves, the whole internet.
    make("eks", "us-east-1").create_cluster(
        name="nwh-clinical",
        roleArn=role,
        resourcesVpcConfig={
            "subnetIds": ["subnet-0nwh0000000000001"],
            "endpointPublicAccess": True,
            "publicAccessCidrs": ["0.0.0.0/1", "128.0.0.0/1"],
        },
        encryptionConfig=[{"resources": ["secrets"], "provider": {"keyArn": key}}],
        logging={"clusterLogging": [{"types": ["api"], "enabled": True}]},
        tags={PHI_TAG["Key"]: PHI_TAG["Value"]},
    )
    make("eks", "eu-west-1").create_cluster(
        name="nwh-research",
        roleArn=role,
        resourcesVpcConfig={
            "subnetIds": ["subnet-0nwh0000000000002"],
            "endpointPublicAccess": False,
            "endpointPrivateAccess": True,
        },
        logging={"clusterLogging": [{"types": ["api", "audit"], "enabled": True}]},
        tags={PHI_TAG["Key"]: PHI_TAG["Value"]},
    )
