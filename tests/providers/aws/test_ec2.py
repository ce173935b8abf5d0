"""EC2 collectors (volumes, EBS defaults, snapshots, security groups, VPCs) under moto.

moto facts relied on here: every region has a default VPC (172.31.0.0/16) and every VPC a
default security group whose only inbound rule references itself; no snapshot is
preloaded because the autouse fixture points MOTO_AMIS_PATH at an empty list. moto does
not show other accounts' public snapshots at all, so the OwnerIds=["self"] filter is
proved by recording the request parameters instead.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from providers.aws.clients import ClientFactory
from providers.base import CallCounter
from scanner.model import Snapshot
from tests.providers.aws.helpers import ACCOUNT, by_uid, failing, outcomes, scan

US, EU = "us-east-1", "eu-west-1"
VOLUME_RULES = ("EAR-VOLUME-01",)
DEFAULT_RULES = ("EAR-VOLDEFAULT-01",)
SNAPSHOT_RULES = ("EAR-VOLSNAPSHOT-01", "PUB-VOLSNAPSHOT-01")
FIREWALL_RULES = ("PUB-FIREWALL-01", "PUB-FIREWALL-02", "PUB-FIREWALL-03")
FLOW_RULES = ("LOG-FLOWLOG-01",)
ALL_RULES = VOLUME_RULES + DEFAULT_RULES + SNAPSHOT_RULES + FIREWALL_RULES + FLOW_RULES
OTHER_ACCOUNT = "111111111111"


def arn(region: str, kind: str, rid: str) -> str:
    return f"arn:aws:ec2:{region}:{ACCOUNT}:{kind}/{rid}"


def snap_arn(region: str, sid: str) -> str:
    return f"arn:aws:ec2:{region}::snapshot/{sid}"


def defaults_uid(region: str) -> str:
    return f"arn:aws:ec2:{region}:{ACCOUNT}:ebs-encryption-by-default"


@contextlib.contextmanager
def sealed_moto(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """`mock_aws` with the same sealed environment as the autouse `sealed_env` fixture.

    A class-scoped fixture runs before the function-scoped autouse fixture, so it has to
    seal the environment itself (fake credentials, no metadata, no preloaded AMIs).
    """
    empty = tmp_path_factory.mktemp("amis") / "empty.json"
    empty.write_text(json.dumps([]))
    with pytest.MonkeyPatch.context() as mp:
        for name in (
            "AWS_PROFILE",
            "AWS_DEFAULT_PROFILE",
            "AWS_ENDPOINT_URL",
            "AWS_SESSION_TOKEN",
            "AWS_SECURITY_TOKEN",
        ):
            mp.delenv(name, raising=False)
        mp.setenv("AWS_ACCESS_KEY_ID", "testing")
        mp.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        mp.setenv("AWS_DEFAULT_REGION", US)
        mp.setenv("AWS_EC2_METADATA_DISABLED", "true")
        mp.setenv("MOTO_AMIS_PATH", str(empty))
        mp.setenv("AWS_CONFIG_FILE", str(empty.parent / "no-aws-config"))
        mp.setenv("AWS_SHARED_CREDENTIALS_FILE", str(empty.parent / "no-aws-credentials"))
        with mock_aws():
            yield


def _ingress(ec2: Any, group_id: str, *permissions: dict[str, Any]) -> None:
    ec2.authorize_security_group_ingress(GroupId=group_id, IpPermissions=list(permissions))


def _tcp(port: int, to: int | None = None, **sources: Any) -> dict[str, Any]:
    return {
        "IpProtocol": "tcp",
        "FromPort": port,
        "ToPort": to if to is not None else port,
        **sources,
    }


ANY4 = [{"CidrIp": "0.0.0.0/0"}]
ANY6 = [{"CidrIpv6": "::/0"}]


def seed() -> dict[str, str]:
    """A two-region estate with failures, passes and near misses; returns the ids."""
    ids: dict[str, str] = {}
    us, eu = boto3.client("ec2", US), boto3.client("ec2", EU)
    boto3.client("s3", US).create_bucket(Bucket="flow-logs")

    # Volumes and snapshots.
    ids["vol_plain"] = us.create_volume(
        Size=1,
        AvailabilityZone="us-east-1a",
        TagSpecifications=[{"ResourceType": "volume", "Tags": [{"Key": "phi", "Value": "yes"}]}],
    )["VolumeId"]
    ids["vol_enc"] = us.create_volume(Size=2, AvailabilityZone="us-east-1a", Encrypted=True)[
        "VolumeId"
    ]
    ids["vol_eu"] = eu.create_volume(Size=3, AvailabilityZone="eu-west-1a", Encrypted=True)[
        "VolumeId"
    ]
    ids["snap_public"] = us.create_snapshot(VolumeId=ids["vol_plain"])["SnapshotId"]
    us.modify_snapshot_attribute(
        SnapshotId=ids["snap_public"],
        Attribute="createVolumePermission",
        OperationType="add",
        GroupNames=["all"],
    )
    ids["snap_shared"] = us.create_snapshot(VolumeId=ids["vol_enc"])["SnapshotId"]
    us.modify_snapshot_attribute(
        SnapshotId=ids["snap_shared"],
        Attribute="createVolumePermission",
        OperationType="add",
        UserIds=[OTHER_ACCOUNT],
    )
    ids["snap_eu"] = eu.create_snapshot(VolumeId=ids["vol_eu"])["SnapshotId"]
    eu.enable_ebs_encryption_by_default()

    # Security groups in a custom VPC (10.0.0.0/16) in us-east-1.
    vpc = us.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    ids["vpc_custom"] = vpc
    ids["vpc_us_default"] = us.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])[
        "Vpcs"
    ][0]["VpcId"]
    ids["vpc_eu_default"] = eu.describe_vpcs()["Vpcs"][0]["VpcId"]

    def group(name: str) -> str:
        gid = us.create_security_group(GroupName=name, Description=name, VpcId=vpc)["GroupId"]
        ids[name] = gid
        return gid

    _ingress(us, group("sg_ssh"), _tcp(22, IpRanges=ANY4))
    _ingress(us, group("sg_rdp6"), _tcp(3389, IpRanges=[{"CidrIp": "10.0.0.0/8"}], Ipv6Ranges=ANY6))
    _ingress(us, group("sg_db_range"), _tcp(5400, 5500, IpRanges=ANY4))
    _ingress(us, group("sg_all"), {"IpProtocol": "-1", "IpRanges": ANY4})
    _ingress(us, group("sg_tcp_all"), _tcp(0, 65535, Ipv6Ranges=ANY6))
    prefix_list = us.create_managed_prefix_list(
        PrefixListName="office",
        AddressFamily="IPv4",
        MaxEntries=5,
        Entries=[{"Cidr": "203.0.113.0/24"}],
    )["PrefixList"]["PrefixListId"]
    near = group("sg_near_miss")
    _ingress(
        us,
        near,
        _tcp(22, IpRanges=[{"CidrIp": "10.0.0.0/16"}]),
        _tcp(3306, IpRanges=[{"CidrIp": "10.0.0.0/8"}]),
        _tcp(5432, PrefixListIds=[{"PrefixListId": prefix_list}]),
        _tcp(3389, UserIdGroupPairs=[{"GroupId": ids["sg_ssh"]}]),
        _tcp(443, IpRanges=ANY4, Ipv6Ranges=ANY6),
        {"IpProtocol": "icmp", "FromPort": 8, "ToPort": -1, "IpRanges": ANY4},
    )
    # Item 1: the internet written as halves, as quarters across permissions, or held in
    # a customer-managed prefix list; item 2: all ports as a union of ranges; item 3:
    # admin and database ports beyond 22/3389 and the classic database list.
    _ingress(
        us,
        group("sg_ssh_halves"),
        _tcp(22, IpRanges=[{"CidrIp": "0.0.0.0/1"}]),
        _tcp(22, IpRanges=[{"CidrIp": "128.0.0.0/1"}]),
    )
    # Two public /8s, each under the threshold, open only where they overlap (5432).
    _ingress(
        us,
        group("sg_pg_union"),
        _tcp(5432, IpRanges=[{"CidrIp": "8.0.0.0/8"}]),
        _tcp(5000, 6000, IpRanges=[{"CidrIp": "9.0.0.0/8"}]),
    )
    open_list = us.create_managed_prefix_list(
        PrefixListName="everyone",
        AddressFamily="IPv4",
        MaxEntries=5,
        Entries=[{"Cidr": "0.0.0.0/1"}, {"Cidr": "128.0.0.0/1"}],
    )["PrefixList"]["PrefixListId"]
    ids["pl_everyone"] = open_list
    _ingress(us, group("sg_prefix_open"), _tcp(3306, PrefixListIds=[{"PrefixListId": open_list}]))
    _ingress(
        us,
        group("sg_ports_split"),
        _tcp(1, 1024, Ipv6Ranges=ANY6),
        _tcp(1025, 65535, IpRanges=ANY4),
    )
    _ingress(us, group("sg_telnet"), _tcp(23, IpRanges=ANY4))
    _ingress(us, group("sg_winrm"), _tcp(5985, 5986, Ipv6Ranges=ANY6))
    _ingress(us, group("sg_kafka"), _tcp(9092, IpRanges=ANY4))
    # Near misses: a private /8 written as two /9s; one port short of every port.
    _ingress(
        us,
        group("sg_private_halves"),
        _tcp(22, IpRanges=[{"CidrIp": "10.0.0.0/9"}, {"CidrIp": "10.128.0.0/9"}]),
        _tcp(0, 65535, IpRanges=[{"CidrIp": "172.16.0.0/12"}]),
    )
    _ingress(
        us, group("sg_gap_at_1025"), _tcp(1, 1024, IpRanges=ANY4), _tcp(1026, 65535, IpRanges=ANY4)
    )
    for region, client in ((US, us), (EU, eu)):
        for sg in client.describe_security_groups(
            Filters=[{"Name": "group-name", "Values": ["default"]}]
        )["SecurityGroups"]:
            ids[f"default_sg_{region}_{sg['VpcId']}"] = sg["GroupId"]

    # Flow logs: the custom VPC logs everything to S3; the us default VPC logs rejects only.
    us.create_flow_logs(
        ResourceIds=[vpc],
        ResourceType="VPC",
        TrafficType="ALL",
        LogDestinationType="s3",
        LogDestination="arn:aws:s3:::flow-logs",
    )
    us.create_flow_logs(
        ResourceIds=[ids["vpc_us_default"]],
        ResourceType="VPC",
        TrafficType="REJECT",
        LogDestinationType="s3",
        LogDestination="arn:aws:s3:::flow-logs",
    )
    return ids


def expected(ids: dict[str, str]) -> set[tuple[str, str, str]]:
    """The exact outcomes of every EC2 rule on the seeded estate."""
    result = {
        ("EAR-VOLUME-01", arn(US, "volume", ids["vol_plain"]), "FAIL"),
        ("EAR-VOLUME-01", arn(US, "volume", ids["vol_enc"]), "PASS"),
        ("EAR-VOLUME-01", arn(EU, "volume", ids["vol_eu"]), "PASS"),
        ("EAR-VOLDEFAULT-01", defaults_uid(US), "FAIL"),
        ("EAR-VOLDEFAULT-01", defaults_uid(EU), "PASS"),
        ("EAR-VOLSNAPSHOT-01", snap_arn(US, ids["snap_public"]), "FAIL"),
        ("EAR-VOLSNAPSHOT-01", snap_arn(US, ids["snap_shared"]), "PASS"),
        ("EAR-VOLSNAPSHOT-01", snap_arn(EU, ids["snap_eu"]), "PASS"),
        ("PUB-VOLSNAPSHOT-01", snap_arn(US, ids["snap_public"]), "FAIL"),
        ("PUB-VOLSNAPSHOT-01", snap_arn(US, ids["snap_shared"]), "PASS"),
        ("PUB-VOLSNAPSHOT-01", snap_arn(EU, ids["snap_eu"]), "PASS"),
        ("LOG-FLOWLOG-01", arn(US, "vpc", ids["vpc_custom"]), "PASS"),
        ("LOG-FLOWLOG-01", arn(US, "vpc", ids["vpc_us_default"]), "FAIL"),
        ("LOG-FLOWLOG-01", arn(EU, "vpc", ids["vpc_eu_default"]), "FAIL"),
    }
    failing_rules = {
        "sg_ssh": {"PUB-FIREWALL-01"},
        "sg_rdp6": {"PUB-FIREWALL-01"},
        "sg_db_range": {"PUB-FIREWALL-02"},
        "sg_all": set(FIREWALL_RULES),
        "sg_tcp_all": set(FIREWALL_RULES),
        "sg_near_miss": set(),
        "sg_ssh_halves": {"PUB-FIREWALL-01"},
        "sg_pg_union": {"PUB-FIREWALL-02"},
        "sg_prefix_open": {"PUB-FIREWALL-02"},
        "sg_ports_split": set(FIREWALL_RULES),
        "sg_telnet": {"PUB-FIREWALL-01"},
        "sg_winrm": {"PUB-FIREWALL-01"},
        "sg_kafka": {"PUB-FIREWALL-02"},
        "sg_private_halves": set(),
        "sg_gap_at_1025": {"PUB-FIREWALL-01", "PUB-FIREWALL-02"},
    }
    groups = {k: (US, v) for k, v in ids.items() if k in failing_rules}
    groups |= {k: (k.split("_")[2], v) for k, v in ids.items() if k.startswith("default_sg_")}
    for name, (region, gid) in groups.items():
        for rule_id in FIREWALL_RULES:
            status = "FAIL" if rule_id in failing_rules.get(name, set()) else "PASS"
            result.add((rule_id, arn(region, "security-group", gid), status))
    return result


@pytest.fixture(scope="class")
def estate(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The seeded estate, built once per test class: every scan of it is read-only."""
    with sealed_moto(tmp_path_factory):
        yield seed()


@pytest.fixture(scope="class")
def clean(estate: dict[str, str]) -> Snapshot:
    """One scan of the seeded estate with every call answered."""
    return scan(["ec2"])


@pytest.fixture(scope="class")
def denied(estate: dict[str, str]) -> Snapshot:
    """One scan of the seeded estate with one call of each fact family denied."""
    with failing(
        "ec2.DescribeSnapshotAttribute", "ec2.GetEbsEncryptionByDefault", "ec2.DescribeFlowLogs"
    ):
        return scan(["ec2"])


class TestSeededEstate:
    """Scans of one seeded estate (shared by the class; scans never change it)."""

    def test_exact_outcomes_across_both_regions(
        self, estate: dict[str, str], clean: Snapshot
    ) -> None:
        assert clean.gaps == ()
        default_groups = [k for k in estate if k.startswith("default_sg_")]
        assert len(default_groups) == 3  # two default VPCs and the custom VPC
        assert outcomes(clean, ALL_RULES) == expected(estate)

    def test_volume_snapshot_and_default_facts(
        self, estate: dict[str, str], clean: Snapshot
    ) -> None:
        volumes = by_uid(clean, "compute.volume")
        plain = volumes[arn(US, "volume", estate["vol_plain"])]
        assert plain.props.encrypted is False
        assert plain.tags == {"phi": "yes"}
        assert plain.native_type == "AWS::EC2::Volume"
        assert volumes[arn(US, "volume", estate["vol_enc"])].props.encrypted is True

        snaps = by_uid(clean, "compute.snapshot")
        shared = snaps[snap_arn(US, estate["snap_shared"])]
        assert shared.props.shared_with_accounts == (OTHER_ACCOUNT,)
        assert shared.props.public is False
        assert shared.props.volume_id == estate["vol_enc"]
        public = snaps[snap_arn(US, estate["snap_public"])]
        assert public.props.public is True
        assert public.account == ACCOUNT
        assert public.native_type == "AWS::EC2::Snapshot"

        defaults = by_uid(clean, "aws.ebs_defaults")
        assert defaults[defaults_uid(EU)].props.encryption_by_default is True
        assert defaults[defaults_uid(US)].props.encryption_by_default is False
        assert defaults[defaults_uid(EU)].native_type == "AWS::EC2::EBSEncryptionByDefault"

    def test_network_facts(self, estate: dict[str, str], clean: Snapshot) -> None:
        groups = by_uid(clean, "network.firewall")
        near = groups[arn(US, "security-group", estate["sg_near_miss"])].props
        assert [(i.protocol, i.from_port, i.sources) for i in near.internet_ingress] == [
            ("icmp", None, ("0.0.0.0/0",)),
            ("tcp", 443, ("0.0.0.0/0", "::/0")),
        ]
        assert near.unresolved_ingress == ()
        assert near.network_id == estate["vpc_custom"]
        rdp = groups[arn(US, "security-group", estate["sg_rdp6"])].props
        assert [(i.from_port, i.sources) for i in rdp.internet_ingress] == [
            (3389, ("10.0.0.0/8", "::/0"))
        ]
        listed = groups[arn(US, "security-group", estate["sg_prefix_open"])].props
        pl = estate["pl_everyone"]
        assert [(i.from_port, i.to_port, i.sources) for i in listed.internet_ingress] == [
            (3306, 3306, (f"0.0.0.0/1 ({pl})", f"128.0.0.0/1 ({pl})"))
        ]
        union = groups[arn(US, "security-group", estate["sg_pg_union"])].props
        assert [(i.from_port, i.to_port, i.sources) for i in union.internet_ingress] == [
            (5432, 5432, ("8.0.0.0/8", "9.0.0.0/8"))
        ]
        split = groups[arn(US, "security-group", estate["sg_ports_split"])].props
        assert [(i.from_port, i.to_port) for i in split.internet_ingress] == [(1, 65535)]

        vpcs = by_uid(clean, "network.vpc")
        custom = vpcs[arn(US, "vpc", estate["vpc_custom"])].props
        assert custom.is_default is False
        assert custom.cidr_blocks == ("10.0.0.0/16",)
        assert [(f.status, f.traffic_type) for f in custom.flow_logs] == [("ACTIVE", "ALL")]
        us_default = vpcs[arn(US, "vpc", estate["vpc_us_default"])].props
        assert us_default.is_default is True
        assert [f.traffic_type for f in us_default.flow_logs] == ["REJECT"]
        assert vpcs[arn(EU, "vpc", estate["vpc_eu_default"])].props.flow_logs == ()

    def test_denied_calls_give_none_facts_and_gaps(self, denied: Snapshot) -> None:
        snaps = by_uid(denied, "compute.snapshot")
        defaults = by_uid(denied, "aws.ebs_defaults")
        vpcs = by_uid(denied, "network.vpc")
        assert (len(snaps), len(defaults), len(vpcs)) == (3, 2, 3)
        assert {s.props.public for s in snaps.values()} == {None}
        assert {s.props.shared_with_accounts for s in snaps.values()} == {None}
        assert {s.props.encrypted for s in snaps.values()} == {True, False}
        assert {d.props.encryption_by_default for d in defaults.values()} == {None}
        assert {v.props.flow_logs for v in vpcs.values()} == {None}
        assert {(g.region, g.operation, g.error_code, g.resource_uid) for g in denied.gaps} == {
            (s.region, "DescribeSnapshotAttribute", "AccessDenied", uid) for uid, s in snaps.items()
        } | {
            (region, "GetEbsEncryptionByDefault", "AccessDenied", defaults_uid(region))
            for region in (US, EU)
        } | {(region, "DescribeFlowLogs", "AccessDenied", None) for region in (US, EU)}

    def test_denied_calls_give_unknown_and_other_rules_still_judge(
        self, estate: dict[str, str], denied: Snapshot
    ) -> None:
        snaps = by_uid(denied, "compute.snapshot")
        unknown = {("PUB-VOLSNAPSHOT-01", uid, "UNKNOWN") for uid in snaps}
        unknown |= {("EAR-VOLDEFAULT-01", defaults_uid(r), "UNKNOWN") for r in (US, EU)}
        unknown |= {("LOG-FLOWLOG-01", uid, "UNKNOWN") for uid in by_uid(denied, "network.vpc")}
        unaffected = {
            o
            for o in expected(estate)
            if o[0] in VOLUME_RULES + FIREWALL_RULES + ("EAR-VOLSNAPSHOT-01",)
        }
        assert outcomes(denied, ALL_RULES) == unknown | unaffected


def test_denied_prefix_list_entries_make_only_their_ports_unknown(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    with sealed_moto(tmp_path_factory):
        us = boto3.client("ec2", US)
        vpc = us.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        listed = us.create_managed_prefix_list(
            PrefixListName="everyone",
            AddressFamily="IPv4",
            MaxEntries=5,
            Entries=[{"Cidr": "0.0.0.0/1"}, {"Cidr": "128.0.0.0/1"}],
        )["PrefixList"]["PrefixListId"]
        groups = {}
        for name, perms in (
            ("listed", [_tcp(22, PrefixListIds=[{"PrefixListId": listed}])]),
            (
                "listed_and_open",
                [_tcp(22, PrefixListIds=[{"PrefixListId": listed}]), _tcp(22, IpRanges=ANY4)],
            ),
        ):
            groups[name] = us.create_security_group(GroupName=name, Description=name, VpcId=vpc)[
                "GroupId"
            ]
            _ingress(us, groups[name], *perms)
        counter = CallCounter()
        with failing("ec2.GetManagedPrefixListEntries"):
            snapshot = scan(["ec2"], [US], counter=counter)
    # One read per prefix list and region, whatever the number of groups naming it.
    assert counter.counts["ec2.GetManagedPrefixListEntries"] == 1
    assert {(g.operation, g.resource_uid) for g in snapshot.gaps} == {
        ("GetManagedPrefixListEntries", arn(US, "prefix-list", listed))
    }
    found = {
        o
        for o in outcomes(snapshot, FIREWALL_RULES)
        if o[1] in {arn(US, "security-group", g) for g in groups.values()}
    }
    assert found == {
        ("PUB-FIREWALL-01", arn(US, "security-group", groups["listed"]), "UNKNOWN"),
        ("PUB-FIREWALL-02", arn(US, "security-group", groups["listed"]), "PASS"),
        ("PUB-FIREWALL-03", arn(US, "security-group", groups["listed"]), "UNKNOWN"),
        ("PUB-FIREWALL-01", arn(US, "security-group", groups["listed_and_open"]), "FAIL"),
        ("PUB-FIREWALL-02", arn(US, "security-group", groups["listed_and_open"]), "PASS"),
        ("PUB-FIREWALL-03", arn(US, "security-group", groups["listed_and_open"]), "UNKNOWN"),
    }


def test_call_counts_and_own_snapshots_only(monkeypatch: pytest.MonkeyPatch) -> None:
    # moto never shows another account's public snapshot, so the decoy below cannot fail
    # on its own: the DescribeSnapshots parameters are recorded to prove OwnerIds=["self"].
    seen: list[dict[str, Any]] = []
    original = ClientFactory.client

    def client(self: ClientFactory, service: str, region: str) -> Any:
        made = original(self, service, region)
        made.meta.events.register(
            "provide-client-params.ec2.DescribeSnapshots",
            lambda params, **_: seen.append(dict(params)),
            unique_id="record-describe-snapshots",
        )
        return made

    monkeypatch.setattr(ClientFactory, "client", client)
    with mock_aws():
        monkeypatch.setenv("MOTO_ACCOUNT_ID", OTHER_ACCOUNT)
        other = boto3.client("ec2", US)
        vol = other.create_volume(Size=1, AvailabilityZone="us-east-1a")["VolumeId"]
        decoy = other.create_snapshot(VolumeId=vol)["SnapshotId"]
        other.modify_snapshot_attribute(
            SnapshotId=decoy,
            Attribute="createVolumePermission",
            OperationType="add",
            GroupNames=["all"],
        )
        monkeypatch.delenv("MOTO_ACCOUNT_ID")
        for region, count in ((US, 3), (EU, 2)):
            ec2 = boto3.client("ec2", region)
            for _ in range(count):
                vol = ec2.create_volume(Size=1, AvailabilityZone=f"{region}a")["VolumeId"]
                ec2.create_snapshot(VolumeId=vol)
                ec2.create_snapshot(VolumeId=vol)
        counter = CallCounter()
        snapshot = scan(["ec2"], counter=counter)
    snaps = by_uid(snapshot, "compute.snapshot")
    assert len(snaps) == 10
    assert not any(decoy in uid for uid in snaps)
    assert len(by_uid(snapshot, "compute.volume")) == 5
    assert counter.counts["ec2.DescribeSnapshotAttribute"] == 10
    for op in (
        "DescribeVolumes",
        "DescribeSnapshots",
        "GetEbsEncryptionByDefault",
        "DescribeSecurityGroups",
        "DescribeVpcs",
        "DescribeFlowLogs",
    ):
        assert counter.counts[f"ec2.{op}"] == 2, op
    assert len(seen) == 2
    assert all(p.get("OwnerIds") == ["self"] for p in seen)


def test_flow_logs_on_every_subnet_count_for_the_vpc(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Item 19: a VPC logged subnet by subnet is logged; one unlogged subnet is not."""
    with sealed_moto(tmp_path_factory):
        us = boto3.client("ec2", US)
        boto3.client("s3", US).create_bucket(Bucket="flow-logs")
        vpcs = {}
        for name, cidr in (("all-subnets", "10.1.0.0/16"), ("one-missing", "10.2.0.0/16")):
            vpcs[name] = us.create_vpc(CidrBlock=cidr)["Vpc"]["VpcId"]
            subnets = [
                us.create_subnet(VpcId=vpcs[name], CidrBlock=cidr.replace(".0.0/16", f".{i}.0/24"))[
                    "Subnet"
                ]["SubnetId"]
                for i in range(2)
            ]
            logged = subnets if name == "all-subnets" else subnets[:1]
            us.create_flow_logs(
                ResourceIds=logged,
                ResourceType="Subnet",
                TrafficType="ALL",
                LogDestinationType="s3",
                LogDestination="arn:aws:s3:::flow-logs",
            )
        snapshot = scan(["ec2"], [US])
    found = {
        o
        for o in outcomes(snapshot, FLOW_RULES)
        if o[1] in {arn(US, "vpc", v) for v in vpcs.values()}
    }
    assert found == {
        ("LOG-FLOWLOG-01", arn(US, "vpc", vpcs["all-subnets"]), "PASS"),
        ("LOG-FLOWLOG-01", arn(US, "vpc", vpcs["one-missing"]), "FAIL"),
    }
