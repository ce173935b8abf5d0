"""A small fictional healthcare estate ("Northwind Health") seeded into a local AWS fake.

Used by `hipaa-scan demo` and by the end-to-end tests. It mixes compliant resources,
violations and near misses (policies that look public but are restricted, `s3:*` that is
not `*:*`...) across two regions. Seeding uses write APIs, so it is only ever pointed at
a local moto server, never at a real account.
"""

from __future__ import annotations

import json
from typing import Any, Protocol

import boto3
from botocore.config import Config

from providers.aws.demo_compute import seed_compute
from providers.aws.demo_monitoring_edge import seed_monitoring_edge
from providers.aws.demo_streams_analytics import seed_streams_analytics

DEMO_REGIONS = ("us-east-1", "eu-west-1")
PHI_TAG = {"Key": "data-class", "Value": "phi"}

# Fictional estate on a local fake: no real secret anywhere.
DEMO_PASSWORD = "Demo-only-Passw0rd!"


class ClientMaker(Protocol):
    """Makes a boto3 client for a service, in the first demo region unless told."""

    def __call__(self, service: str, region: str = DEMO_REGIONS[0]) -> Any:
        """A client for `service` in `region`."""


def client_maker(endpoint_url: str | None) -> ClientMaker:
    """A function making write-capable clients for the fake at `endpoint_url`.

    `None` means no endpoint override: for moto's in-process mock, which patches botocore.
    """
    session = boto3.session.Session(
        aws_access_key_id="demo",
        aws_secret_access_key="demo",  # noqa: S106 - a fake's key
        region_name=DEMO_REGIONS[0],
    )
    config = Config(retries={"max_attempts": 1}, s3={"addressing_style": "path"})

    def make(service: str, region: str = DEMO_REGIONS[0]) -> Any:
        return session.client(service, region_name=region, endpoint_url=endpoint_url, config=config)

    return make


def seed(endpoint_url: str | None) -> dict[str, str]:
    """Create the whole demo estate on the fake at `endpoint_url` (`None`: in-process moto).

    Returns the ids the fake generated (volumes, security groups, keys...), by role, so
    tests can name the resources they expect findings on.
    """
    make = client_maker(endpoint_url)
    ids = {"phi_key": seed_s3(make)}
    seed_iam(make)
    seed_cloudtrail(make)
    seed_databases(make)
    network = seed_network(make)
    ids.update(network)
    ids.update(seed_keys_and_tables(make))
    ids.update(seed_edge(make, network))
    seed_messaging_and_monitoring(make)
    ids.update(seed_file_systems(make))
    ids.update(_group_a(make))
    ids.update(seed_monitoring_edge(make, ids["load_balancer"]))
    ids.update(seed_compute(make))
    from providers.aws.demo_data_api import seed_data_api  # noqa: PLC0415 - imports this module

    ids.update(seed_data_api(make))
    ids.update(seed_streams_analytics(make))
    return ids


def _policy(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def _tls_only(bucket: str) -> dict[str, Any]:
    return {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


def _bucket(
    s3: Any,
    name: str,
    region: str,
    tags: list[dict[str, str]] | None = None,
    ownership: str | None = "BucketOwnerEnforced",
) -> None:
    # S3's default since April 2023 is ACLs disabled; None makes a pre-2023 bucket
    # (no ownership controls at all, ACLs honoured).
    params: dict[str, Any] = {"Bucket": name}
    if ownership:
        params["ObjectOwnership"] = ownership
    if region != "us-east-1":
        params["CreateBucketConfiguration"] = {"LocationConstraint": region}
    s3.create_bucket(**params)
    if tags:
        s3.put_bucket_tagging(Bucket=name, Tagging={"TagSet": tags})


def _block_all(s3: Any, name: str) -> None:
    s3.put_public_access_block(
        Bucket=name,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
    )


def seed_s3(make: ClientMaker) -> str:
    """Buckets: a well-run PHI bucket, violations, and policies that only look public."""
    s3 = make("s3", "us-east-1")
    kms = make("kms", "us-east-1")
    key = kms.create_key(
        Description="nwh PHI key", Tags=[{"TagKey": "data-class", "TagValue": "phi"}]
    )
    key_arn = key["KeyMetadata"]["Arn"]

    _bucket(s3, "nwh-access-logs", "us-east-1", ownership="ObjectWriter")
    s3.put_bucket_acl(Bucket="nwh-access-logs", ACL="log-delivery-write")
    _block_all(s3, "nwh-access-logs")

    good = "nwh-patient-records"
    _bucket(s3, good, "us-east-1", [PHI_TAG])
    s3.put_bucket_encryption(
        Bucket=good,
        ServerSideEncryptionConfiguration={
            "Rules": [
                {
                    "ApplyServerSideEncryptionByDefault": {
                        "SSEAlgorithm": "aws:kms",
                        "KMSMasterKeyID": key_arn,
                    },
                    "BucketKeyEnabled": True,
                }
            ]
        },
    )
    s3.put_bucket_policy(Bucket=good, Policy=_policy(_tls_only(good)))
    s3.put_bucket_logging(
        Bucket=good,
        BucketLoggingStatus={
            "LoggingEnabled": {"TargetBucket": "nwh-access-logs", "TargetPrefix": f"{good}/"}
        },
    )
    s3.put_bucket_versioning(Bucket=good, VersioningConfiguration={"Status": "Enabled"})
    _block_all(s3, good)

    # Never configured: platform-default SSE-S3, no TLS policy, public-read ACL.
    _bucket(s3, "nwh-imaging-archive", "us-east-1", [PHI_TAG], ownership="ObjectWriter")
    s3.put_bucket_acl(Bucket="nwh-imaging-archive", ACL="public-read")
    s3.put_bucket_versioning(
        Bucket="nwh-imaging-archive", VersioningConfiguration={"Status": "Suspended"}
    )

    # Principal * but pinned to a VPC endpoint: not public. Trap: a pre-2023 bucket with
    # ACLs honoured and nothing ignoring public ones: its objects may be public.
    vpce = "nwh-partner-exchange"
    _bucket(s3, vpce, "us-east-1", ownership=None)
    s3.put_bucket_policy(
        Bucket=vpce,
        Policy=_policy(
            {
                "Sid": "VpceOnly",
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{vpce}/*",
                "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-0a1b2c3d4e5f67890"}},
            }
        ),
    )

    # Principal {"AWS": "*"} pinned to the organisation, plus a Deny: not public.
    org = "nwh-claims-staging"
    _bucket(s3, org, "eu-west-1")
    s3.put_bucket_policy(
        Bucket=org,
        Policy=_policy(
            {
                "Sid": "OrgOnly",
                "Effect": "Allow",
                "Principal": {"AWS": ["*"]},
                "Action": ["s3:GetObject", "s3:PutObject"],
                "Resource": [f"arn:aws:s3:::{org}/*"],
                "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-nwh1234567"}},
            },
            _tls_only(org),
        ),
    )
    s3.put_bucket_versioning(Bucket=org, VersioningConfiguration={"Status": "Enabled"})

    # A Deny-only policy is not public.
    deny = "nwh-billing-exports"
    _bucket(s3, deny, "eu-west-1")
    s3.put_bucket_policy(
        Bucket=deny,
        Policy=_policy(
            {
                "Sid": "DenyDeletes",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:DeleteObject",
                "Resource": f"arn:aws:s3:::{deny}/*",
            }
        ),
    )

    # Truly public through its policy.
    public = "nwh-eu-research"
    _bucket(s3, public, "eu-west-1", [PHI_TAG])
    s3.put_bucket_policy(
        Bucket=public,
        Policy=_policy(
            {
                "Sid": "PublicRead",
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{public}/*",
            }
        ),
    )
    return str(key["KeyMetadata"]["KeyId"])


def seed_iam(make: ClientMaker) -> None:
    """Users, policies and roles, including `s3:*` on `*` and `*` on one ARN (not admin)."""
    iam = make("iam")
    iam.update_account_password_policy(MinimumPasswordLength=8, MaxPasswordAge=365)

    admin_doc = _policy({"Effect": "Allow", "Action": "*", "Resource": "*"})
    iam.create_policy(PolicyName="nwh-break-glass", PolicyDocument=admin_doc)
    iam.create_policy(
        PolicyName="nwh-s3-operations",
        PolicyDocument=_policy({"Effect": "Allow", "Action": "s3:*", "Resource": "*"}),
    )
    iam.create_policy(
        PolicyName="nwh-records-bucket-full",
        PolicyDocument=_policy(
            {"Effect": "Allow", "Action": ["*"], "Resource": ["arn:aws:s3:::nwh-patient-records"]}
        ),
    )
    # Traps: every resource, and every key, written as ARN patterns. Decoy: one prefix.
    iam.create_policy(
        PolicyName="nwh-analytics-all",
        PolicyDocument=_policy({"Effect": "Allow", "Action": "*", "Resource": "arn:aws:*:*:*:*"}),
    )
    iam.create_policy(
        PolicyName="nwh-key-operators",
        PolicyDocument=_policy(
            {"Effect": "Allow", "Action": "kms:*", "Resource": "arn:aws:kms:*:*:key/*"}
        ),
    )
    iam.create_policy(
        PolicyName="nwh-phi-buckets",
        PolicyDocument=_policy(
            {
                "Effect": "Allow",
                "Action": "s3:*",
                "Resource": ["arn:aws:s3:::nwh-phi-*", "arn:aws:s3:::nwh-phi-*/*"],
            }
        ),
    )
    iam.create_policy(
        PolicyName="nwh-ehr-read",
        PolicyDocument=_policy(
            {
                "Effect": "Allow",
                "Action": ["dynamodb:GetItem", "dynamodb:Query"],
                "Resource": "arn:aws:dynamodb:us-east-1:*:table/nwh-appointments",
            }
        ),
    )

    iam.create_user(UserName="alice.admin")
    iam.create_login_profile(UserName="alice.admin", Password=DEMO_PASSWORD)
    iam.attach_user_policy(
        UserName="alice.admin", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess"
    )
    iam.create_access_key(UserName="alice.admin")

    iam.create_user(UserName="bob.clinician")
    iam.create_login_profile(UserName="bob.clinician", Password=DEMO_PASSWORD)
    serial = iam.create_virtual_mfa_device(VirtualMFADeviceName="bob.clinician")[
        "VirtualMFADevice"
    ]["SerialNumber"]
    iam.enable_mfa_device(
        UserName="bob.clinician",
        SerialNumber=serial,
        AuthenticationCode1="123456",
        AuthenticationCode2="654321",
    )

    iam.create_group(GroupName="nwh-ops")
    iam.put_group_policy(
        GroupName="nwh-ops",
        PolicyName="ops-everything",
        PolicyDocument=_policy({"Effect": "Allow", "Action": ["*"], "Resource": ["*"]}),
    )
    # Trap: bob has no admin policy of his own (IAM-USER-02 passes) but is admin through
    # the ops group.
    iam.add_user_to_group(GroupName="nwh-ops", UserName="bob.clinician")
    # Traps: a break-glass role holding AdministratorAccess; a vendor's account trusted
    # without an external id (confused deputy). Decoy: the same vendor with one.
    iam.create_role(
        RoleName="nwh-break-glass-role",
        AssumeRolePolicyDocument=_policy(
            {
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
                "Action": "sts:AssumeRole",
                "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}},
            }
        ),
    )
    iam.attach_role_policy(
        RoleName="nwh-break-glass-role", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess"
    )
    vendor = "arn:aws:iam::999988887777:root"
    iam.create_role(
        RoleName="nwh-billing-vendor",
        AssumeRolePolicyDocument=_policy(
            {"Effect": "Allow", "Principal": {"AWS": vendor}, "Action": "sts:AssumeRole"}
        ),
    )
    iam.create_role(
        RoleName="nwh-backup-vendor",
        AssumeRolePolicyDocument=_policy(
            {
                "Effect": "Allow",
                "Principal": {"AWS": vendor},
                "Action": "sts:AssumeRole",
                "Condition": {"StringEquals": {"sts:ExternalId": "nwh-backup-7f3a"}},
            }
        ),
    )

    iam.create_role(
        RoleName="nwh-vendor-access",
        AssumeRolePolicyDocument=_policy(
            {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}
        ),
    )
    iam.create_role(
        RoleName="nwh-partner-audit",
        AssumeRolePolicyDocument=_policy(
            {
                "Effect": "Allow",
                "Principal": {"AWS": "*"},
                "Action": "sts:AssumeRole",
                "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-nwh1234567"}},
            }
        ),
    )
    # Trap: GitHub Actions trusted with only the audience checked (any repository on
    # GitHub could deploy). Decoy: the same provider pinned to one repository.
    github = "token.actions.githubusercontent.com"
    provider = iam.create_open_id_connect_provider(
        Url=f"https://{github}",
        ClientIDList=["sts.amazonaws.com"],
        ThumbprintList=["6938fd4d98bab03faadb97b34396831e3780aea1"],
    )["OpenIDConnectProviderArn"]
    iam.create_role(
        RoleName="nwh-ci-deploy",
        AssumeRolePolicyDocument=_policy(
            {
                "Effect": "Allow",
                "Principal": {"Federated": provider},
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": {"StringEquals": {f"{github}:aud": "sts.amazonaws.com"}},
            }
        ),
    )
    iam.create_role(
        RoleName="nwh-ci-infra",
        AssumeRolePolicyDocument=_policy(
            {
                "Effect": "Allow",
                "Principal": {"Federated": provider},
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": {
                    "StringEquals": {
                        f"{github}:aud": "sts.amazonaws.com",
                        f"{github}:sub": "repo:nwh-health/infra:ref:refs/heads/main",
                    }
                },
            }
        ),
    )
    iam.create_role(
        RoleName="nwh-lambda-exec",
        AssumeRolePolicyDocument=_policy(
            {
                "Effect": "Allow",
                "Principal": {"Service": "lambda.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ),
    )


def seed_cloudtrail(make: ClientMaker) -> None:
    """One multi-region trail with validation, data events on the records bucket only."""
    s3 = make("s3", "us-east-1")
    bucket = "nwh-cloudtrail-logs"
    _bucket(s3, bucket, "us-east-1")
    _block_all(s3, bucket)
    trail = make("cloudtrail", "us-east-1")
    trail.create_trail(
        Name="nwh-org-trail",
        S3BucketName=bucket,
        IsMultiRegionTrail=True,
        EnableLogFileValidation=True,
    )
    trail.put_event_selectors(
        TrailName="nwh-org-trail",
        EventSelectors=[
            {
                "ReadWriteType": "All",
                "IncludeManagementEvents": True,
                "DataResources": [
                    {"Type": "AWS::S3::Object", "Values": ["arn:aws:s3:::nwh-patient-records/"]}
                ],
            }
        ],
    )
    trail.start_logging(Name="nwh-org-trail")


def seed_databases(make: ClientMaker) -> None:
    """RDS: a hardened PostgreSQL, an exposed MySQL, snapshots; a Redshift warehouse."""
    rds = make("rds", "us-east-1")
    rds.create_db_parameter_group(
        DBParameterGroupName="nwh-postgres-tls",
        DBParameterGroupFamily="postgres14",
        Description="force TLS",
    )
    rds.modify_db_parameter_group(
        DBParameterGroupName="nwh-postgres-tls",
        Parameters=[
            {
                "ParameterName": "rds.force_ssl",
                "ParameterValue": "1",
                "ApplyMethod": "pending-reboot",
            }
        ],
    )
    rds.create_db_instance(
        DBInstanceIdentifier="nwh-ehr-db",
        Engine="postgres",
        EngineVersion="14.10",
        DBInstanceClass="db.m6g.large",
        AllocatedStorage=100,
        MasterUsername="ehradmin",
        MasterUserPassword=DEMO_PASSWORD,
        StorageEncrypted=True,
        MultiAZ=True,
        BackupRetentionPeriod=14,
        DeletionProtection=True,
        PubliclyAccessible=False,
        DBParameterGroupName="nwh-postgres-tls",
        EnableCloudwatchLogsExports=["postgresql"],
        Tags=[PHI_TAG],
    )
    # Decoy: a read replica keeps no automated backups of its own, and needs none.
    rds.create_db_instance_read_replica(
        DBInstanceIdentifier="nwh-ehr-db-replica",
        SourceDBInstanceIdentifier="nwh-ehr-db",
        DBInstanceClass="db.m6g.large",
        MultiAZ=True,
        PubliclyAccessible=False,
        DBParameterGroupName="nwh-postgres-tls",
        DeletionProtection=True,
        EnableCloudwatchLogsExports=["postgresql"],
        Tags=[PHI_TAG],
    )
    rds.create_db_instance(
        DBInstanceIdentifier="nwh-reporting-db",
        Engine="mysql",
        EngineVersion="8.0.35",
        DBInstanceClass="db.t3.medium",
        AllocatedStorage=20,
        MasterUsername="report",
        MasterUserPassword=DEMO_PASSWORD,
        StorageEncrypted=False,
        MultiAZ=False,
        BackupRetentionPeriod=1,
        PubliclyAccessible=True,
        Tags=[PHI_TAG],
    )
    rds.create_db_snapshot(
        DBSnapshotIdentifier="nwh-reporting-db-export", DBInstanceIdentifier="nwh-reporting-db"
    )
    rds.modify_db_snapshot_attribute(
        DBSnapshotIdentifier="nwh-reporting-db-export", AttributeName="restore", ValuesToAdd=["all"]
    )
    redshift = make("redshift", "eu-west-1")
    redshift.create_cluster(
        ClusterIdentifier="nwh-analytics",
        NodeType="ra3.xlplus",
        MasterUsername="analytics",
        MasterUserPassword="Demo0nlyPassw0rd",
        ClusterType="single-node",
        Encrypted=False,
        PubliclyAccessible=True,
        AutomatedSnapshotRetentionPeriod=1,
    )


def seed_network(make: ClientMaker) -> dict[str, str]:
    """EC2: volumes, security groups with open and near-miss rules; EBS default encryption."""
    ec2 = make("ec2", "us-east-1")
    vpc_id = ec2.create_vpc(CidrBlock="10.20.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(
            VpcId=vpc_id, CidrBlock=f"10.20.{i}.0/24", AvailabilityZone=f"us-east-1{zone}"
        )["Subnet"]["SubnetId"]
        for i, zone in enumerate("ab")
    ]
    # moto reports CloudWatch Logs flow-log delivery as FAILED; an S3 destination delivers.
    ec2.create_flow_logs(
        ResourceIds=[vpc_id],
        ResourceType="VPC",
        TrafficType="ALL",
        LogDestinationType="s3",
        LogDestination="arn:aws:s3:::nwh-access-logs",
    )
    bastion = ec2.create_security_group(GroupName="nwh-bastion", Description="ssh", VpcId=vpc_id)[
        "GroupId"
    ]
    ec2.authorize_security_group_ingress(
        GroupId=bastion,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 22,
                "ToPort": 22,
                "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
            }
        ],
    )
    web = ec2.create_security_group(GroupName="nwh-web", Description="https", VpcId=vpc_id)[
        "GroupId"
    ]
    ec2.authorize_security_group_ingress(
        GroupId=web,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 443,
                "ToPort": 443,
                "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
                "Ipv6Ranges": [{"CidrIpv6": "::/0"}],
            }
        ],
    )
    internal = ec2.create_security_group(
        GroupName="nwh-db-internal", Description="pg", VpcId=vpc_id
    )["GroupId"]
    # Decoy: 10.0.0.0/8 written as two /9 halves is still private, not the internet.
    ec2.authorize_security_group_ingress(
        GroupId=internal,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 5432,
                "ToPort": 5432,
                "IpRanges": [{"CidrIp": "10.0.0.0/9"}, {"CidrIp": "10.128.0.0/9"}],
            }
        ],
    )
    # Trap: a "partner" prefix list whose two /1 entries are the whole IPv4 internet.
    partners = ec2.create_managed_prefix_list(
        PrefixListName="nwh-partner-ranges",
        AddressFamily="IPv4",
        MaxEntries=5,
        Entries=[{"Cidr": "0.0.0.0/1"}, {"Cidr": "128.0.0.0/1"}],
    )["PrefixList"]["PrefixListId"]
    partner_db = ec2.create_security_group(
        GroupName="nwh-partner-db", Description="partner pg", VpcId=vpc_id
    )["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=partner_db,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 5432,
                "ToPort": 5432,
                "PrefixListIds": [{"PrefixListId": partners}],
            }
        ],
    )
    # Trap: WinRM (not 22 or 3389) open to the world; every tcp port, written 1-65535.
    legacy = ec2.create_security_group(
        GroupName="nwh-legacy-app", Description="legacy", VpcId=vpc_id
    )["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=legacy,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 5985,
                "ToPort": 5986,
                "IpRanges": [{"CidrIp": "0.0.0.0/1"}, {"CidrIp": "128.0.0.0/1"}],
            },
            {
                "IpProtocol": "tcp",
                "FromPort": 1,
                "ToPort": 65535,
                "Ipv6Ranges": [{"CidrIpv6": "::/0"}],
            },
        ],
    )
    volumes = [
        ec2.create_volume(
            AvailabilityZone=f"us-east-1{zone}",
            Size=size,
            Encrypted=encrypted,
            TagSpecifications=[{"ResourceType": "volume", "Tags": [PHI_TAG]}],
        )["VolumeId"]
        for zone, size, encrypted in (("a", 50, True), ("b", 20, False))
    ]
    ec2.enable_ebs_encryption_by_default()
    eu = make("ec2", "eu-west-1")
    # Decoy: the eu-west-1 default VPC is logged subnet by subnet, which covers it too.
    eu_subnets = [s["SubnetId"] for s in eu.describe_subnets()["Subnets"]]
    eu.create_flow_logs(
        ResourceIds=eu_subnets,
        ResourceType="Subnet",
        TrafficType="ALL",
        LogDestinationType="s3",
        LogDestination="arn:aws:s3:::nwh-access-logs",
    )
    eu_sg = eu.create_security_group(GroupName="nwh-eu-rdp", Description="rdp")["GroupId"]
    eu.authorize_security_group_ingress(
        GroupId=eu_sg,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 3389,
                "ToPort": 3389,
                "Ipv6Ranges": [{"CidrIpv6": "::/0"}],
            }
        ],
    )
    return {
        "vpc": vpc_id,
        "subnet_a": subnets[0],
        "subnet_b": subnets[1],
        "web_sg": web,
        "bastion_sg": bastion,
        "internal_sg": internal,
        "eu_rdp_sg": eu_sg,
        "partner_db_sg": partner_db,
        "legacy_sg": legacy,
        "encrypted_volume": volumes[0],
        "plain_volume": volumes[1],
    }


def seed_keys_and_tables(make: ClientMaker) -> dict[str, str]:
    """KMS keys with and without rotation; DynamoDB tables with and without PITR and CMK."""
    kms = make("kms", "us-east-1")
    rotated = kms.create_key(Description="nwh tables key")["KeyMetadata"]["KeyId"]
    kms.enable_key_rotation(KeyId=rotated)
    legacy = kms.create_key(Description="nwh legacy key")["KeyMetadata"]["KeyId"]
    # Trap: a customer key scheduled for deletion (whatever it encrypts will be lost).
    kms.schedule_key_deletion(KeyId=legacy, PendingWindowInDays=30)
    dynamodb = make("dynamodb", "us-east-1")
    dynamodb.create_table(
        TableName="nwh-appointments",
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        SSESpecification={"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": rotated},
        Tags=[PHI_TAG],
    )
    dynamodb.update_continuous_backups(
        TableName="nwh-appointments",
        PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True},
    )
    dynamodb.create_table(
        TableName="nwh-sessions",
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        Tags=[PHI_TAG],
    )
    return {"tables_key": rotated, "legacy_key": legacy}


def seed_edge(make: ClientMaker, network: dict[str, str]) -> dict[str, str]:
    """A load balancer with a plain-HTTP forwarding listener; a CloudFront distribution."""
    elb = make("elbv2", "us-east-1")
    lb_arn = elb.create_load_balancer(
        Name="nwh-portal",
        Subnets=[network["subnet_a"], network["subnet_b"]],
        SecurityGroups=[network["web_sg"]],
        Scheme="internet-facing",
        Type="application",
    )["LoadBalancers"][0]["LoadBalancerArn"]
    target = elb.create_target_group(
        Name="nwh-portal-app", Protocol="HTTP", Port=8080, VpcId=network["vpc"]
    )["TargetGroups"][0]["TargetGroupArn"]
    elb.create_listener(
        LoadBalancerArn=lb_arn,
        Protocol="HTTP",
        Port=80,
        DefaultActions=[{"Type": "forward", "TargetGroupArn": target}],
    )
    # Trap: HTTP that redirects to HTTPS by default, but a rule forwards /api/* in clear.
    # Decoy: a fixed-response default whose only rule redirects to HTTPS.
    redirect = [
        {
            "Type": "redirect",
            "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"},
        }
    ]
    ruled = {}
    for name, default in (
        ("nwh-scheduling", redirect),
        ("nwh-kiosk", [{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "404"}}]),
    ):
        ruled[name] = elb.create_load_balancer(
            Name=name,
            Subnets=[network["subnet_a"], network["subnet_b"]],
            SecurityGroups=[network["web_sg"]],
            Scheme="internet-facing",
            Type="application",
        )["LoadBalancers"][0]["LoadBalancerArn"]
        listener = elb.create_listener(
            LoadBalancerArn=ruled[name], Protocol="HTTP", Port=80, DefaultActions=default
        )["Listeners"][0]["ListenerArn"]
        forward = name == "nwh-scheduling"
        elb.create_rule(
            ListenerArn=listener,
            Priority=10,
            Conditions=[{"Field": "path-pattern", "Values": ["/api/*" if forward else "/old/*"]}],
            Actions=[{"Type": "forward", "TargetGroupArn": target}] if forward else redirect,
        )
    cloudfront = make("cloudfront", "us-east-1")
    distribution = cloudfront.create_distribution(
        DistributionConfig={
            "CallerReference": "nwh-patient-portal",
            "Comment": "patient portal",
            "Enabled": True,
            "Origins": {
                "Quantity": 1,
                "Items": [
                    {
                        "Id": "portal",
                        "DomainName": "portal.nwh.example",
                        "CustomOriginConfig": {
                            "HTTPPort": 80,
                            "HTTPSPort": 443,
                            "OriginProtocolPolicy": "http-only",
                        },
                    }
                ],
            },
            "DefaultCacheBehavior": {
                "TargetOriginId": "portal",
                "ViewerProtocolPolicy": "allow-all",
                "MinTTL": 0,
            },
        }
    )
    # Decoy: a distribution whose access logs go through standard logging v2 (a CloudWatch
    # Logs delivery), with legacy logging off; an HTTPS-only, TLS 1.2 origin.
    docs = cloudfront.create_distribution(
        DistributionConfig={
            "CallerReference": "nwh-docs",
            "Comment": "patient documents",
            "Enabled": True,
            "Origins": {
                "Quantity": 1,
                "Items": [
                    {
                        "Id": "docs",
                        "DomainName": "docs.nwh.example",
                        "CustomOriginConfig": {
                            "HTTPPort": 80,
                            "HTTPSPort": 443,
                            "OriginProtocolPolicy": "https-only",
                            "OriginSslProtocols": {"Quantity": 1, "Items": ["TLSv1.2"]},
                        },
                    }
                ],
            },
            "DefaultCacheBehavior": {
                "TargetOriginId": "docs",
                "ViewerProtocolPolicy": "redirect-to-https",
                "MinTTL": 0,
            },
        }
    )["Distribution"]
    logs = make("logs", "us-east-1")
    logs.put_delivery_source(name="nwh-docs-access", resourceArn=docs["ARN"], logType="ACCESS_LOGS")
    destination = logs.put_delivery_destination(
        name="nwh-access-logs",
        deliveryDestinationConfiguration={"destinationResourceArn": "arn:aws:s3:::nwh-access-logs"},
    )["deliveryDestination"]
    logs.create_delivery(
        deliverySourceName="nwh-docs-access", deliveryDestinationArn=destination["arn"]
    )
    return {
        "load_balancer": lb_arn,
        "distribution": distribution["Distribution"]["Id"],
        "docs_distribution": docs["Id"],
        "scheduling_lb": ruled["nwh-scheduling"],
        "kiosk_lb": ruled["nwh-kiosk"],
    }


def seed_messaging_and_monitoring(make: ClientMaker) -> None:
    """SNS/SQS with and without encryption; log groups; Config and GuardDuty in one region."""
    sns = make("sns", "us-east-1")
    lab = sns.create_topic(Name="nwh-lab-results", Attributes={"KmsMasterKeyId": "alias/aws/sns"})[
        "TopicArn"
    ]
    reminders = sns.create_topic(Name="nwh-appointment-reminders")["TopicArn"]
    # Trap: reminders pushed to a partner webhook over plain HTTP, and to a clinic mailbox.
    # Decoy: lab results delivered to an HTTPS webhook only.
    sns.subscribe(
        TopicArn=reminders, Protocol="http", Endpoint="http://reminders.partner.example/hook"
    )
    sns.subscribe(TopicArn=reminders, Protocol="email", Endpoint="frontdesk@nwh.example")
    sns.subscribe(TopicArn=lab, Protocol="https", Endpoint="https://lis.nwh.example/sns")
    sqs = make("sqs", "us-east-1")
    sqs.create_queue(QueueName="nwh-claims-intake", Attributes={"SqsManagedSseEnabled": "false"})
    logs = make("logs", "us-east-1")
    logs.create_log_group(logGroupName="/nwh/ehr/audit")
    logs.put_retention_policy(logGroupName="/nwh/ehr/audit", retentionInDays=2192)
    logs.create_log_group(logGroupName="/nwh/portal/access")
    logs.put_retention_policy(logGroupName="/nwh/portal/access", retentionInDays=30)
    config = make("config", "us-east-1")
    config.put_configuration_recorder(
        ConfigurationRecorder={
            "name": "default",
            "roleARN": "arn:aws:iam::123456789012:role/config",
            "recordingGroup": {"allSupported": True, "includeGlobalResourceTypes": True},
        }
    )
    config.put_delivery_channel(
        DeliveryChannel={"name": "default", "s3BucketName": "nwh-cloudtrail-logs"}
    )
    config.start_configuration_recorder(ConfigurationRecorderName="default")
    make("guardduty", "us-east-1").create_detector(Enable=True)


def seed_file_systems(make: ClientMaker) -> dict[str, str]:
    """EFS: an encrypted file share for scanned records, with no TLS policy or backups."""
    efs = make("efs", "us-east-1")
    created = efs.create_file_system(
        CreationToken="nwh-scanned-records",
        Encrypted=True,
        Tags=[PHI_TAG, {"Key": "Name", "Value": "nwh-scans"}],
    )
    return {"file_system": created["FileSystemArn"]}


def _group_a(make: ClientMaker) -> dict[str, str]:
    """Issue 11 group A (backup, secrets): seeded from its own module, which imports this one."""
    from providers.aws.demo_backup_secrets_iam import seed_backup_secrets_iam  # noqa: PLC0415

    return seed_backup_secrets_iam(make)
