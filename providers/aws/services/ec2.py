"""EC2 collectors: volumes, snapshots, EBS defaults, security groups, VPCs, instances...

Also subnets (from the VPC collector's answer), network ACLs and the account's own images.

Every collector here is regional. Volumes, snapshots, security groups, VPCs, subnets,
network ACLs, instances and images come from one paginated Describe per region; the only
per-resource call is DescribeSnapshotAttribute (who may create volumes from a snapshot),
because DescribeSnapshots does not say whether a snapshot is public and its
``RestorableByUserIds`` filter cannot be trusted to answer that (moto ignores it).
Instances are matched to Systems Manager's inventory, read once per region.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, ClassVar, Protocol, TypeVar

from providers.aws.nacl_analysis import MalformedAclEntry, acl_internet_ingress
from providers.aws.network_analysis import internet_ingress, prefix_list_ids
from providers.aws.task import AwsTask, tag_dict
from providers.base import Fanout, collector
from scanner.kinds.compute import EbsDefaults, Volume, VolumeSnapshot
from scanner.kinds.network import Firewall, FlowLog, InternetIngress, Vpc
from scanner.kinds.workloads import MachineImage, NetworkAcl, Subnet, VirtualMachine
from scanner.model import Resource

EBS_DEFAULTS_NAME = "ebs-encryption-by-default"


class _Fact(Protocol):
    KIND: ClassVar[str]


F = TypeVar("F", bound=_Fact)


def ec2_arn(task: AwsTask, resource_type: str, resource_id: str) -> str:
    """The ARN of an EC2 resource of this task's account and region."""
    return f"arn:{task.partition}:ec2:{task.region}:{task.account}:{resource_type}/{resource_id}"


def snapshot_arn(task: AwsTask, snapshot_id: str) -> str:
    """The ARN of an EBS snapshot.

    The account field is empty: that is the documented ARN format for snapshots (the
    IAM ``snapshot`` resource type), since snapshot ids are unique across accounts.
    """
    return f"arn:{task.partition}:ec2:{task.region}::snapshot/{snapshot_id}"


def _tagged(
    task: AwsTask, item: Mapping[str, Any], uid: str, native_type: str, name: str, props: F
) -> Resource[F]:
    # Every EC2 Describe answer carries the item's tags inline, as a Key/Value list.
    return task.resource(
        uid=uid,
        kind=props.KIND,
        native_type=native_type,
        name=name,
        tags=tag_dict(item.get("Tags")),
        props=props,
    )


@collector(
    "ec2",
    fanout=Fanout.REGION,
    produces=(Volume.KIND,),
    calls={"ec2.DescribeVolumes": "ec2:DescribeVolumes"},
)
def ebs_volumes(task: AwsTask) -> Iterator[Resource[Volume]]:
    """Every EBS volume of the region, with its encryption."""
    ec2 = task.client("ec2")
    for item in task.paginate(ec2, "describe_volumes", "Volumes") or []:
        volume_id = item["VolumeId"]
        props = Volume(
            volume_id=volume_id,
            state=str(item.get("State", "")),
            size_gib=item.get("Size"),
            encrypted=item.get("Encrypted"),
            kms_key_id=item.get("KmsKeyId"),
            attached_instances=tuple(
                sorted(a["InstanceId"] for a in item.get("Attachments") or [] if "InstanceId" in a)
            ),
        )
        uid = ec2_arn(task, "volume", volume_id)
        yield _tagged(task, item, uid, "AWS::EC2::Volume", volume_id, props)


@collector(
    "ec2",
    fanout=Fanout.REGION,
    produces=(EbsDefaults.KIND,),
    calls={"ec2.GetEbsEncryptionByDefault": "ec2:GetEbsEncryptionByDefault"},
)
def ebs_encryption_defaults(task: AwsTask) -> Iterator[Resource[EbsDefaults]]:
    """The region's EBS encryption-by-default setting, as one singleton resource."""
    uid = f"arn:{task.partition}:ec2:{task.region}:{task.account}:{EBS_DEFAULTS_NAME}"
    fetched = task.call(task.client("ec2"), "get_ebs_encryption_by_default", resource_uid=uid)
    enabled = fetched.get("EbsEncryptionByDefault") if fetched.ok else None
    yield task.resource(
        uid=uid,
        kind=EbsDefaults.KIND,
        native_type="AWS::EC2::EBSEncryptionByDefault",
        name=EBS_DEFAULTS_NAME,
        props=EbsDefaults(encryption_by_default=None if enabled is None else bool(enabled)),
    )


@collector(
    "ec2",
    fanout=Fanout.REGION,
    produces=(VolumeSnapshot.KIND,),
    calls={
        "ec2.DescribeSnapshots": "ec2:DescribeSnapshots",
        "ec2.DescribeSnapshotAttribute": "ec2:DescribeSnapshotAttribute",
    },
)
def ebs_snapshots(task: AwsTask) -> list[Resource[VolumeSnapshot]]:
    """The account's own EBS snapshots in the region, with encryption and sharing."""
    ec2 = task.client("ec2")
    # OwnerIds=["self"]: without it the call also lists every public snapshot in the region.
    items = task.paginate(ec2, "describe_snapshots", "Snapshots", OwnerIds=["self"]) or []

    def build(item: Mapping[str, Any]) -> Resource[VolumeSnapshot]:
        snapshot_id = item["SnapshotId"]
        uid = snapshot_arn(task, snapshot_id)
        fetched = task.call(
            ec2,
            "describe_snapshot_attribute",
            resource_uid=uid,
            SnapshotId=snapshot_id,
            Attribute="createVolumePermission",
        )
        public: bool | None = None
        shared: tuple[str, ...] | None = None
        if fetched.ok:
            permissions = fetched.get("CreateVolumePermissions", [])
            public = any(p.get("Group") == "all" for p in permissions)
            shared = tuple(sorted(p["UserId"] for p in permissions if "UserId" in p))
        props = VolumeSnapshot(
            snapshot_id=snapshot_id,
            volume_id=item.get("VolumeId"),
            encrypted=item.get("Encrypted"),
            kms_key_id=item.get("KmsKeyId"),
            public=public,
            shared_with_accounts=shared,
        )
        return _tagged(task, item, uid, "AWS::EC2::Snapshot", snapshot_id, props)

    return task.map(build, items)


@collector(
    "ec2",
    fanout=Fanout.REGION,
    produces=(Firewall.KIND,),
    calls={
        "ec2.DescribeSecurityGroups": "ec2:DescribeSecurityGroups",
        "ec2.GetManagedPrefixListEntries": "ec2:GetManagedPrefixListEntries",
    },
)
def security_groups(task: AwsTask) -> Iterator[Resource[Firewall]]:
    """Every security group of the region, with its effective inbound access from the internet.

    Managed prefix lists named as sources are resolved (once per list and region) so that
    a list holding ``0.0.0.0/1`` and ``128.0.0.0/1`` reads as the internet it admits.
    """
    ec2 = task.client("ec2")
    items = task.paginate(ec2, "describe_security_groups", "SecurityGroups") or []
    permissions = [p for item in items for p in item.get("IpPermissions") or []]
    entries = {
        list_id: _prefix_list_entries(task, ec2, list_id)
        for list_id in sorted(prefix_list_ids(permissions))
    }
    for item in items:
        group_id = item["GroupId"]
        found, unresolved = internet_ingress(item.get("IpPermissions") or [], entries)
        props = Firewall(
            group_id=group_id,
            group_name=str(item.get("GroupName", "")),
            network_id=item.get("VpcId"),
            internet_ingress=found,
            unresolved_ingress=unresolved,
            is_default=item.get("GroupName") == "default",
            ingress_rules=len(item.get("IpPermissions") or []),
            egress_rules=len(item.get("IpPermissionsEgress") or []),
        )
        uid = ec2_arn(task, "security-group", group_id)
        yield _tagged(task, item, uid, "AWS::EC2::SecurityGroup", group_id, props)


def _prefix_list_entries(task: AwsTask, ec2: Any, list_id: str) -> tuple[str, ...] | None:
    """The CIDR entries of a managed prefix list; `None` (and a gap) when unreadable."""
    found = task.paginate(
        ec2,
        "get_managed_prefix_list_entries",
        "Entries",
        resource_uid=ec2_arn(task, "prefix-list", list_id),
        PrefixListId=list_id,
    )
    if found is None:
        return None
    return tuple(sorted(str(e["Cidr"]) for e in found if e.get("Cidr")))


@collector(
    "ec2",
    fanout=Fanout.REGION,
    produces=(Vpc.KIND, Subnet.KIND),
    calls={
        "ec2.DescribeVpcs": "ec2:DescribeVpcs",
        "ec2.DescribeFlowLogs": "ec2:DescribeFlowLogs",
        "ec2.DescribeSubnets": "ec2:DescribeSubnets",
    },
)
def vpcs(task: AwsTask) -> Iterator[Resource[Vpc] | Resource[Subnet]]:
    """Every VPC of the region (the default VPC included), with the flow logs attached to it.

    The subnets come from the same DescribeSubnets answer, each as its own resource.
    """
    ec2 = task.client("ec2")
    items = task.paginate(ec2, "describe_vpcs", "Vpcs")
    if not items:
        return
    # One DescribeFlowLogs per region, matched to VPCs by ResourceId, and one DescribeSubnets
    # so that logs attached to every subnet of a VPC count for it. Logs on network
    # interfaces alone are not counted: interfaces come and go.
    logs = task.paginate(ec2, "describe_flow_logs", "FlowLogs")
    by_vpc = None if logs is None else flow_logs_by_resource(logs)
    subnets = task.paginate(ec2, "describe_subnets", "Subnets")
    for item in items:
        vpc_id = item["VpcId"]
        props = Vpc(
            vpc_id=vpc_id,
            is_default=bool(item.get("IsDefault", False)),
            cidr_blocks=_cidrs(item),
            flow_logs=None if by_vpc is None else tuple(by_vpc.get(vpc_id, ())),
            subnet_flow_logs=_subnet_logs(vpc_id, subnets, by_vpc),
        )
        yield _tagged(task, item, ec2_arn(task, "vpc", vpc_id), "AWS::EC2::VPC", vpc_id, props)
    for subnet in subnets or []:
        yield _subnet(task, subnet)


def _subnet(task: AwsTask, item: Mapping[str, Any]) -> Resource[Subnet]:
    subnet_id = str(item["SubnetId"])
    auto = item.get("MapPublicIpOnLaunch")
    props = Subnet(
        subnet_id=subnet_id,
        network_id=item.get("VpcId"),
        is_default=bool(item.get("DefaultForAz", False)),
        auto_public_ipv4=auto if isinstance(auto, bool) else None,
    )
    uid = str(item.get("SubnetArn") or ec2_arn(task, "subnet", subnet_id))
    return _tagged(task, item, uid, "AWS::EC2::Subnet", subnet_id, props)


def flow_logs_by_resource(items: Sequence[Mapping[str, Any]]) -> dict[str, list[FlowLog]]:
    """DescribeFlowLogs entries as `FlowLog` facts, grouped by the resource they watch."""
    grouped: dict[str, list[FlowLog]] = defaultdict(list)
    for item in items:
        grouped[str(item.get("ResourceId", ""))].append(
            FlowLog(
                flow_log_id=str(item.get("FlowLogId", "")),
                status=str(item.get("FlowLogStatus", "")),
                traffic_type=str(item.get("TrafficType", "")),
                delivery_status=item.get("DeliverLogsStatus"),
                destination_type=item.get("LogDestinationType"),
                destination=item.get("LogDestination") or item.get("LogGroupName"),
            )
        )
    for logs in grouped.values():
        logs.sort(key=lambda log: log.flow_log_id)
    return grouped


def _subnet_logs(
    vpc_id: str,
    subnets: Sequence[Mapping[str, Any]] | None,
    by_resource: Mapping[str, list[FlowLog]] | None,
) -> dict[str, tuple[FlowLog, ...]] | None:
    if subnets is None or by_resource is None:
        return None
    return {
        str(s["SubnetId"]): tuple(by_resource.get(str(s["SubnetId"]), ()))
        for s in subnets
        if s.get("VpcId") == vpc_id and s.get("SubnetId")
    }


def _cidrs(item: Mapping[str, Any]) -> tuple[str, ...]:
    blocks = {a["CidrBlock"] for a in item.get("CidrBlockAssociationSet", []) if "CidrBlock" in a}
    blocks |= {
        a["Ipv6CidrBlock"]
        for a in item.get("Ipv6CidrBlockAssociationSet", [])
        if "Ipv6CidrBlock" in a
    }
    if item.get("CidrBlock"):
        blocks.add(item["CidrBlock"])
    return tuple(sorted(blocks))


@collector(
    "ec2",
    fanout=Fanout.REGION,
    produces=(NetworkAcl.KIND,),
    calls={"ec2.DescribeNetworkAcls": "ec2:DescribeNetworkAcls"},
)
def network_acls(task: AwsTask) -> Iterator[Resource[NetworkAcl]]:
    """Every network ACL of the region, with the inbound internet access its entries allow."""
    for item in task.paginate(task.client("ec2"), "describe_network_acls", "NetworkAcls") or []:
        acl_id = str(item["NetworkAclId"])
        uid = ec2_arn(task, "network-acl", acl_id)
        props = NetworkAcl(
            acl_id=acl_id,
            network_id=item.get("VpcId"),
            is_default=bool(item.get("IsDefault", False)),
            internet_ingress=_acl_ingress(task, uid, item.get("Entries") or []),
        )
        yield _tagged(task, item, uid, "AWS::EC2::NetworkAcl", acl_id, props)


def _acl_ingress(
    task: AwsTask, uid: str, entries: Sequence[Mapping[str, Any]]
) -> tuple[InternetIngress, ...] | None:
    try:
        return acl_internet_ingress(entries)
    except MalformedAclEntry as exc:
        task.gap("DescribeNetworkAcls", "MalformedAnswer", str(exc), uid)
        return None


# Instances in these states are gone or going: nothing runs on them, nothing to judge.
_GONE = frozenset({"terminated", "shutting-down"})


@collector(
    "ec2",
    fanout=Fanout.REGION,
    produces=(VirtualMachine.KIND,),
    calls={
        "ec2.DescribeInstances": "ec2:DescribeInstances",
        "ssm.DescribeInstanceInformation": "ssm:DescribeInstanceInformation",
    },
)
def instances(task: AwsTask) -> Iterator[Resource[VirtualMachine]]:
    """Every instance of the region (none terminated), with its metadata and public IPv4.

    Whether Systems Manager manages it comes from one DescribeInstanceInformation.
    """
    reservations = task.paginate(task.client("ec2"), "describe_instances", "Reservations") or []
    items = [
        i
        for r in reservations
        for i in r.get("Instances") or []
        if (i.get("State") or {}).get("Name") not in _GONE
    ]
    if not items:
        return
    managed = _managed_instances(task)
    for item in items:
        instance_id = str(item["InstanceId"])
        options = item.get("MetadataOptions") or {}
        tokens, endpoint = options.get("HttpTokens"), options.get("HttpEndpoint")
        props = VirtualMachine(
            instance_id=instance_id,
            state=str((item.get("State") or {}).get("Name", "")),
            image_id=item.get("ImageId"),
            metadata_tokens_required=_tokens_required(tokens, endpoint),
            metadata_http_tokens=tokens,
            metadata_endpoint=endpoint,
            public_ipv4=str(item.get("PublicIpAddress") or ""),
            managed=None if managed is None else instance_id in managed,
        )
        uid = ec2_arn(task, "instance", instance_id)
        yield _tagged(task, item, uid, "AWS::EC2::Instance", instance_id, props)


def _tokens_required(tokens: str | None, endpoint: str | None) -> bool | None:
    # A disabled endpoint answers nobody, which protects as well as requiring tokens.
    if endpoint == "disabled":
        return True
    return None if tokens is None else tokens == "required"


def _managed_instances(task: AwsTask) -> set[str] | None:
    """The ids of the instances Systems Manager reports in this region; `None` if unread.

    An instance absent from a successful listing is not managed; a failed listing says
    nothing about any instance.
    """
    listed = task.paginate(
        task.client("ssm"), "describe_instance_information", "InstanceInformationList"
    )
    if listed is None:
        return None
    return {str(i["InstanceId"]) for i in listed if i.get("InstanceId")}


@collector(
    "ec2",
    fanout=Fanout.REGION,
    produces=(MachineImage.KIND,),
    calls={"ec2.DescribeImages": "ec2:DescribeImages"},
)
def images(task: AwsTask) -> Iterator[Resource[MachineImage]]:
    """The machine images the account owns in the region, with whether they are public."""
    ec2 = task.client("ec2")
    # Owners=["self"]: without it the call lists every public image in the region.
    for item in task.paginate(ec2, "describe_images", "Images", Owners=["self"]) or []:
        image_id = str(item["ImageId"])
        public = item.get("Public")
        props = MachineImage(
            image_id=image_id,
            state=item.get("State"),
            public=public if isinstance(public, bool) else None,
        )
        name = str(item.get("Name") or image_id)
        uid = f"arn:{task.partition}:ec2:{task.region}::image/{image_id}"
        yield _tagged(task, item, uid, "AWS::EC2::Image", name, props)
