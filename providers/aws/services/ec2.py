"""EC2 collectors: EBS volumes, snapshots and encryption defaults; security groups; VPCs.

Every collector here is regional. Volumes, snapshots, security groups and VPCs come from
one paginated Describe per region; the only per-resource call is
DescribeSnapshotAttribute (who may create volumes from a snapshot), because
DescribeSnapshots does not say whether a snapshot is public and its
``RestorableByUserIds`` filter cannot be trusted to answer that (moto ignores it).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, ClassVar, Protocol, TypeVar

from providers.aws.network_analysis import internet_ingress, prefix_list_ids
from providers.aws.task import AwsTask, tag_dict
from providers.base import Fanout, collector
from scanner.kinds.compute import EbsDefaults, Volume, VolumeSnapshot
from scanner.kinds.network import Firewall, FlowLog, Vpc
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
    produces=(Vpc.KIND,),
    calls={
        "ec2.DescribeVpcs": "ec2:DescribeVpcs",
        "ec2.DescribeFlowLogs": "ec2:DescribeFlowLogs",
        "ec2.DescribeSubnets": "ec2:DescribeSubnets",
    },
)
def vpcs(task: AwsTask) -> Iterator[Resource[Vpc]]:
    """Every VPC of the region (the default VPC included), with the flow logs attached to it."""
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
