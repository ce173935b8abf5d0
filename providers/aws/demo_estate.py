"""A small fictional healthcare estate ("Northwind Health") seeded into a local AWS fake.

Used by `hipaa-scan demo` and by the end-to-end tests. It mixes compliant resources,
violations and near misses (policies that look public but are restricted, `s3:*` that is
not `*:*`...) across two regions. Seeding uses write APIs, so it is only ever pointed at
a local moto server, never at a real account.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import boto3
from botocore.config import Config

DEMO_REGIONS = ("us-east-1", "eu-west-1")
PHI_TAG = {"Key": "data-class", "Value": "phi"}

ClientMaker = Callable[[str, str], Any]


def client_maker(endpoint_url: str) -> ClientMaker:
    """A function making write-capable clients for the fake at `endpoint_url`."""
    session = boto3.session.Session(aws_access_key_id="demo", aws_secret_access_key="demo",
                                    region_name=DEMO_REGIONS[0])
    config = Config(retries={"max_attempts": 1}, s3={"addressing_style": "path"})

    def make(service: str, region: str = DEMO_REGIONS[0]) -> Any:
        return session.client(service, region_name=region, endpoint_url=endpoint_url,
                               config=config)

    return make


def seed(endpoint_url: str) -> None:
    """Create the whole demo estate on the fake at `endpoint_url`."""
    make = client_maker(endpoint_url)
    seed_s3(make)
    seed_iam(make)
    seed_cloudtrail(make)


def _policy(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def _tls_only(bucket: str) -> dict[str, Any]:
    return {
        "Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
        "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


def _bucket(s3: Any, name: str, region: str, tags: list[dict[str, str]] | None = None) -> None:
    params: dict[str, Any] = {"Bucket": name}
    if region != "us-east-1":
        params["CreateBucketConfiguration"] = {"LocationConstraint": region}
    s3.create_bucket(**params)
    if tags:
        s3.put_bucket_tagging(Bucket=name, Tagging={"TagSet": tags})


def _block_all(s3: Any, name: str) -> None:
    s3.put_public_access_block(Bucket=name, PublicAccessBlockConfiguration={
        "BlockPublicAcls": True, "IgnorePublicAcls": True,
        "BlockPublicPolicy": True, "RestrictPublicBuckets": True,
    })


def seed_s3(make: ClientMaker) -> None:
    """Buckets: a well-run PHI bucket, violations, and policies that only look public."""
    s3 = make("s3", "us-east-1")
    kms = make("kms", "us-east-1")
    key_arn = kms.create_key(Description="nwh PHI key", Tags=[{"TagKey": "data-class",
                                                             "TagValue": "phi"}])["KeyMetadata"]["Arn"]

    _bucket(s3, "nwh-access-logs", "us-east-1")
    s3.put_bucket_acl(Bucket="nwh-access-logs", ACL="log-delivery-write")
    _block_all(s3, "nwh-access-logs")

    good = "nwh-patient-records"
    _bucket(s3, good, "us-east-1", [PHI_TAG])
    s3.put_bucket_encryption(Bucket=good, ServerSideEncryptionConfiguration={"Rules": [{
        "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms",
                                               "KMSMasterKeyID": key_arn},
        "BucketKeyEnabled": True}]})
    s3.put_bucket_policy(Bucket=good, Policy=_policy(_tls_only(good)))
    s3.put_bucket_logging(Bucket=good, BucketLoggingStatus={"LoggingEnabled": {
        "TargetBucket": "nwh-access-logs", "TargetPrefix": f"{good}/"}})
    s3.put_bucket_versioning(Bucket=good, VersioningConfiguration={"Status": "Enabled"})
    _block_all(s3, good)

    # Never configured: platform-default SSE-S3, no TLS policy, public-read ACL.
    _bucket(s3, "nwh-imaging-archive", "us-east-1", [PHI_TAG])
    s3.put_bucket_acl(Bucket="nwh-imaging-archive", ACL="public-read")
    s3.put_bucket_versioning(Bucket="nwh-imaging-archive",
                             VersioningConfiguration={"Status": "Suspended"})

    # Principal * but pinned to a VPC endpoint: not public.
    vpce = "nwh-partner-exchange"
    _bucket(s3, vpce, "us-east-1")
    s3.put_bucket_policy(Bucket=vpce, Policy=_policy({
        "Sid": "VpceOnly", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{vpce}/*",
        "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-0a1b2c3d4e5f67890"}}}))

    # Principal {"AWS": "*"} pinned to the organisation, plus a Deny: not public.
    org = "nwh-claims-staging"
    _bucket(s3, org, "eu-west-1")
    s3.put_bucket_policy(Bucket=org, Policy=_policy(
        {"Sid": "OrgOnly", "Effect": "Allow", "Principal": {"AWS": ["*"]},
         "Action": ["s3:GetObject", "s3:PutObject"], "Resource": [f"arn:aws:s3:::{org}/*"],
         "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-nwh1234567"}}},
        _tls_only(org)))
    s3.put_bucket_versioning(Bucket=org, VersioningConfiguration={"Status": "Enabled"})

    # A Deny-only policy is not public.
    deny = "nwh-billing-exports"
    _bucket(s3, deny, "eu-west-1")
    s3.put_bucket_policy(Bucket=deny, Policy=_policy({
        "Sid": "DenyDeletes", "Effect": "Deny", "Principal": "*", "Action": "s3:DeleteObject",
        "Resource": f"arn:aws:s3:::{deny}/*"}))

    # Truly public through its policy.
    public = "nwh-eu-research"
    _bucket(s3, public, "eu-west-1", [PHI_TAG])
    s3.put_bucket_policy(Bucket=public, Policy=_policy({
        "Sid": "PublicRead", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{public}/*"}))


def seed_iam(make: ClientMaker) -> None:
    """Users, policies and roles, including `s3:*` on `*` and `*` on one ARN (not admin)."""
    iam = make("iam")
    iam.update_account_password_policy(MinimumPasswordLength=8, MaxPasswordAge=365)

    admin_doc = _policy({"Effect": "Allow", "Action": "*", "Resource": "*"})
    iam.create_policy(PolicyName="nwh-break-glass", PolicyDocument=admin_doc)
    iam.create_policy(PolicyName="nwh-s3-operations", PolicyDocument=_policy(
        {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}))
    iam.create_policy(PolicyName="nwh-records-bucket-full", PolicyDocument=_policy(
        {"Effect": "Allow", "Action": ["*"],
         "Resource": ["arn:aws:s3:::nwh-patient-records"]}))
    iam.create_policy(PolicyName="nwh-ehr-read", PolicyDocument=_policy(
        {"Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:Query"],
         "Resource": "arn:aws:dynamodb:us-east-1:*:table/nwh-appointments"}))

    iam.create_user(UserName="alice.admin")
    iam.create_login_profile(UserName="alice.admin", Password="Demo-only-Passw0rd!")
    iam.attach_user_policy(UserName="alice.admin",
                           PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
    iam.create_access_key(UserName="alice.admin")

    iam.create_user(UserName="bob.clinician")
    iam.create_login_profile(UserName="bob.clinician", Password="Demo-only-Passw0rd!")
    serial = iam.create_virtual_mfa_device(
        VirtualMFADeviceName="bob.clinician")["VirtualMFADevice"]["SerialNumber"]
    iam.enable_mfa_device(UserName="bob.clinician", SerialNumber=serial,
                          AuthenticationCode1="123456", AuthenticationCode2="654321")

    iam.create_group(GroupName="nwh-ops")
    iam.put_group_policy(GroupName="nwh-ops", PolicyName="ops-everything",
                         PolicyDocument=_policy({"Effect": "Allow", "Action": ["*"],
                                                 "Resource": ["*"]}))

    iam.create_role(RoleName="nwh-vendor-access", AssumeRolePolicyDocument=_policy({
        "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}))
    iam.create_role(RoleName="nwh-partner-audit", AssumeRolePolicyDocument=_policy({
        "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole",
        "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-nwh1234567"}}}))
    iam.create_role(RoleName="nwh-lambda-exec", AssumeRolePolicyDocument=_policy({
        "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
        "Action": "sts:AssumeRole"}))


def seed_cloudtrail(make: ClientMaker) -> None:
    """One multi-region trail with validation, data events on the records bucket only."""
    s3 = make("s3", "us-east-1")
    bucket = "nwh-cloudtrail-logs"
    _bucket(s3, bucket, "us-east-1")
    _block_all(s3, bucket)
    trail = make("cloudtrail", "us-east-1")
    trail.create_trail(Name="nwh-org-trail", S3BucketName=bucket, IsMultiRegionTrail=True,
                       EnableLogFileValidation=True)
    trail.put_event_selectors(TrailName="nwh-org-trail", EventSelectors=[{
        "ReadWriteType": "All", "IncludeManagementEvents": True,
        "DataResources": [{"Type": "AWS::S3::Object",
                           "Values": ["arn:aws:s3:::nwh-patient-records/"]}]}])
    trail.start_logging(Name="nwh-org-trail")
