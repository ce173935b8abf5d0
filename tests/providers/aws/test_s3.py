"""Collector tests for S3 (`providers.aws.services.s3`) under moto, plus its pure helpers."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from providers.aws.policy import PolicyParseError
from providers.aws.services.s3 import (
    effective_exposure,
    encryption_from,
    location_region,
    policy_facts,
)
from providers.aws.task import ABSENT, FAILED, Fetched
from providers.base import CallCounter
from scanner.kinds.storage import OFF, AccountPublicAccess, Bucket, PublicAccessBlock
from scanner.model import Resource, Snapshot
from scanner.snapshot import dumps_snapshot, snapshot_from_dict
from tests.providers.aws.helpers import ACCOUNT, by_uid, canned, failing, outcomes, scan

ALL_ON = PublicAccessBlock(True, True, True, True)
ACCOUNT_UID = f"arn:aws:s3::{ACCOUNT}:account-public-access-block"
BUCKET_RULES = (
    "EAR-BUCKET-01",
    "EAR-BUCKET-02",
    "EIT-BUCKET-01",
    "LOG-BUCKET-01",
    "PUB-BUCKET-01",
    "PUB-BUCKET-02",
    "PUB-BUCKET-03",
    "PUB-BUCKET-04",
    "BAK-BUCKET-01",
)
ALL_RULES = (*BUCKET_RULES, "PUB-BUCKETDEFAULT-01")
PER_BUCKET_OPS = (
    "GetBucketTagging",
    "GetBucketEncryption",
    "GetBucketPolicy",
    "GetBucketAcl",
    "GetPublicAccessBlock",
    "GetBucketLogging",
    "GetBucketVersioning",
    "GetBucketOwnershipControls",
    "GetObjectLockConfiguration",
)
BPA_ON = {
    "BlockPublicAcls": True,
    "IgnorePublicAcls": True,
    "BlockPublicPolicy": True,
    "RestrictPublicBuckets": True,
}


def arn(name: str) -> str:
    return f"arn:aws:s3:::{name}"


def s3(region: str = "us-east-1") -> Any:
    return boto3.client("s3", region_name=region)


def make(name: str, region: str = "us-east-1", **kwargs: Any) -> str:
    """A bucket as S3 makes it since April 2023 (ACLs disabled), unless it sets an ACL."""
    kwargs.setdefault(
        "ObjectOwnership", "ObjectWriter" if "ACL" in kwargs else "BucketOwnerEnforced"
    )
    if kwargs["ObjectOwnership"] is None:
        del kwargs["ObjectOwnership"]  # a pre-2023 bucket: no ownership controls at all
    if region != "us-east-1":
        kwargs["CreateBucketConfiguration"] = {"LocationConstraint": region}
    s3(region).create_bucket(Bucket=name, **kwargs)
    return name


def put_policy(name: str, *statements: dict[str, Any]) -> None:
    policy = {"Version": "2012-10-17", "Statement": list(statements)}
    s3().put_bucket_policy(Bucket=name, Policy=json.dumps(policy))


def tls_deny(name: str) -> dict[str, Any]:
    return {
        "Sid": "DenyHttp",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [arn(name), f"{arn(name)}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


def public_read(
    name: str,
    principal: Any = "*",
    sid: str = "PublicRead",
    condition: dict[str, Any] | None = None,
) -> dict[str, Any]:
    stmt: dict[str, Any] = {
        "Sid": sid,
        "Effect": "Allow",
        "Principal": principal,
        "Action": "s3:GetObject",
        "Resource": f"{arn(name)}/*",
    }
    if condition:
        stmt["Condition"] = condition
    return stmt


def kms_encrypt(name: str, key_id: str | None) -> None:
    default: dict[str, Any] = {"SSEAlgorithm": "aws:kms"}
    if key_id:
        default["KMSMasterKeyID"] = key_id
    s3().put_bucket_encryption(
        Bucket=name,
        ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": default, "BucketKeyEnabled": True}]
        },
    )


def props(snapshot: Snapshot, name: str) -> Bucket:
    found: Resource[Bucket] = by_uid(snapshot, Bucket.KIND)[arn(name)]
    return found.props


def expected(statuses: dict[str, dict[str, str]]) -> set[tuple[str, str, str]]:
    """{bucket name: {rule id: status}} as the (rule, uid, status) set `outcomes` returns."""
    return {
        (rule_id, arn(name), status)
        for name, by_rule in statuses.items()
        for rule_id, status in by_rule.items()
    }


# --- the mixed estate ----------------------------------------------------------------------


def seed_estate() -> dict[str, str]:
    """A mixed estate in two scanned regions and one unscanned; returns {role: key id}."""
    key = boto3.client("kms", region_name="us-east-1").create_key()["KeyMetadata"]["KeyId"]

    # The model PHI bucket: CMK, TLS-only, logged, versioned, BPA on, tagged.
    make("logs-target", ACL="log-delivery-write")  # moto needs the ACL on a log target
    s3().put_bucket_versioning(
        Bucket="logs-target", VersioningConfiguration={"Status": "Suspended"}
    )
    make("good-phi")
    kms_encrypt("good-phi", key)
    put_policy("good-phi", tls_deny("good-phi"))
    s3().put_bucket_logging(
        Bucket="good-phi",
        BucketLoggingStatus={
            "LoggingEnabled": {"TargetBucket": "logs-target", "TargetPrefix": "good-phi/"}
        },
    )
    s3().put_bucket_versioning(Bucket="good-phi", VersioningConfiguration={"Status": "Enabled"})
    s3().put_public_access_block(Bucket="good-phi", PublicAccessBlockConfiguration=BPA_ON)
    s3().put_bucket_tagging(Bucket="good-phi", Tagging={"TagSet": [{"Key": "phi", "Value": "yes"}]})

    # Truly public buckets.
    make("public-acl", ACL="public-read")
    make("auth-users-acl", ACL="authenticated-read")
    make("public-policy", "eu-west-1")
    put_policy("public-policy", public_read("public-policy"))
    make("not-principal")
    put_policy(
        "not-principal",
        {
            "Sid": "AllButOne",
            "Effect": "Allow",
            "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:root"},
            "Action": ["s3:GetObject"],
            "Resource": f"{arn('not-principal')}/*",
        },
    )

    # Near misses: must not be reported public.
    make("vpce-only")
    put_policy(
        "vpce-only",
        public_read("vpce-only", condition={"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}),
    )
    make("org-only", "eu-west-1")
    put_policy(
        "org-only",
        public_read(
            "org-only",
            {"AWS": "*"},
            condition={"StringEquals": {"aws:PrincipalOrgID": "o-abc123def4"}},
        ),
    )
    make("deny-only")
    put_policy("deny-only", tls_deny("deny-only"))
    make("ignored-acl", ACL="public-read")
    s3().put_public_access_block(
        Bucket="ignored-acl",
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": False,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": False,
            "RestrictPublicBuckets": False,
        },
    )
    make("partner-grant")
    put_policy(
        "partner-grant",
        public_read("partner-grant", {"AWS": "arn:aws:iam::111122223333:root"}, sid="Partner"),
    )

    # Encryption with the AWS-managed key, by omission and by alias.
    make("kms-default-key")
    kms_encrypt("kms-default-key", None)
    make("kms-alias-aws", "eu-west-1")
    kms_encrypt("kms-alias-aws", "alias/aws/s3")

    # Outside the scanned regions: never read.
    make("far-away", "ap-south-1", ACL="public-read")
    return {"cmk": key}


OPEN = {
    "PUB-BUCKET-01": "FAIL",
    "EAR-BUCKET-01": "PASS",
    "EAR-BUCKET-02": "FAIL",
    "EIT-BUCKET-01": "FAIL",
    "LOG-BUCKET-01": "FAIL",
    "BAK-BUCKET-01": "FAIL",
    "PUB-BUCKET-02": "PASS",
    "PUB-BUCKET-03": "PASS",
    "PUB-BUCKET-04": "PASS",
}
"""The verdicts of a freshly created, unconfigured bucket."""
ACLS_ON = {"PUB-BUCKET-04": "FAIL"}
"""A bucket created with an ACL keeps ACLs enabled."""


@pytest.fixture(scope="module")
def estate() -> Iterator[tuple[Snapshot, dict[str, str]]]:
    """One scan of the mixed estate, shared by the tests that only read it."""
    # Module scope runs before the function-scoped `sealed_env`: seal the environment here too.
    with pytest.MonkeyPatch.context() as mp:
        for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL", "AWS_SESSION_TOKEN"):
            mp.delenv(name, raising=False)
        for name, value in {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_CONFIG_FILE": "/nonexistent/aws-config",
            "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/aws-credentials",
        }.items():
            mp.setenv(name, value)
        with mock_aws():
            keys = seed_estate()
            snapshot = scan(["s3"])
        yield snapshot, keys


def test_estate_facts(estate: tuple[Snapshot, dict[str, str]]) -> None:
    snapshot, keys = estate
    buckets = by_uid(snapshot, Bucket.KIND)
    assert set(buckets) == {
        arn(n)
        for n in (
            "logs-target",
            "good-phi",
            "public-acl",
            "auth-users-acl",
            "public-policy",
            "not-principal",
            "vpce-only",
            "org-only",
            "deny-only",
            "ignored-acl",
            "partner-grant",
            "kms-default-key",
            "kms-alias-aws",
        )
    }
    assert snapshot.gaps == ()

    good = buckets[arn("good-phi")]
    assert (good.region, good.name, good.native_type, good.tags) == (
        "us-east-1",
        "good-phi",
        "AWS::S3::Bucket",
        {"phi": "yes"},
    )
    g = good.props
    assert g.encryption is not None
    assert (
        g.encryption.enabled,
        g.encryption.algorithm,
        g.encryption.kms_key_id,
        g.encryption.customer_managed_key,
        g.encryption.platform_default,
    ) == (True, "aws:kms", keys["cmk"], True, False)
    assert g.tls_required is True and g.has_policy is True
    assert g.access_logging is not None
    assert (
        g.access_logging.enabled,
        g.access_logging.target_bucket,
        g.access_logging.target_prefix,
    ) == (True, "logs-target", "good-phi/")
    assert (g.versioning_status, g.versioning_enabled) == ("Enabled", True)
    assert g.public_access_block == ALL_ON and g.account_public_access_block == OFF
    assert (g.public_acl_grants, g.public_policy_statements, g.public) == ((), (), False)

    logs = props(snapshot, "logs-target")
    assert (logs.versioning_status, logs.versioning_enabled) == ("Suspended", False)
    assert logs.public_acl_grants == () and logs.public is False  # LogDelivery is not public
    assert logs.encryption is not None and logs.encryption.platform_default is True
    assert logs.encryption.customer_managed_key is False
    assert logs.encryption.algorithm == "AES256"
    assert logs.tls_required is False and logs.has_policy is False

    assert props(snapshot, "public-acl").public_acl_grants == ("AllUsers:READ",)
    assert props(snapshot, "auth-users-acl").public_acl_grants == ("AuthenticatedUsers:READ",)
    assert props(snapshot, "public-policy").public_policy_statements == ("PublicRead",)
    assert buckets[arn("public-policy")].region == "eu-west-1"
    assert props(snapshot, "not-principal").public_policy_statements == ("AllButOne",)
    for name in ("public-acl", "auth-users-acl", "public-policy", "not-principal"):
        assert props(snapshot, name).public is True, name
    for name in ("vpce-only", "org-only", "deny-only", "partner-grant"):
        p = props(snapshot, name)
        assert (p.public_policy_statements, p.policy_public, p.public) == ((), False, False)
    ignored = props(snapshot, "ignored-acl")
    assert ignored.public_acl_grants == ("AllUsers:READ",)
    assert (ignored.acl_public, ignored.public) == (False, False)
    assert props(snapshot, "deny-only").tls_required is True

    for name in ("kms-default-key", "kms-alias-aws"):
        enc = props(snapshot, name).encryption
        assert enc is not None
        assert (enc.algorithm, enc.customer_managed_key, enc.platform_default) == (
            "aws:kms",
            False,
            False,
        )

    (account,) = by_uid(snapshot, AccountPublicAccess.KIND).values()
    assert (account.uid, account.region, account.native_type) == (
        ACCOUNT_UID,
        "global",
        "AWS::S3::AccountPublicAccessBlock",
    )
    assert account.props.public_access_block == OFF


def test_estate_outcomes(estate: tuple[Snapshot, dict[str, str]]) -> None:
    snapshot, _ = estate
    want = expected(
        {
            "good-phi": {r: "PASS" for r in BUCKET_RULES},
            # ACLs on, nothing ignoring public ones: objects may be public (item 8).
            "logs-target": {**OPEN, **ACLS_ON, "PUB-BUCKET-02": "UNKNOWN"},
            "public-acl": {**OPEN, **ACLS_ON, "PUB-BUCKET-02": "FAIL"},
            "auth-users-acl": {**OPEN, **ACLS_ON, "PUB-BUCKET-02": "FAIL"},
            "public-policy": {**OPEN, "PUB-BUCKET-03": "FAIL"},
            "not-principal": {**OPEN, "PUB-BUCKET-03": "FAIL"},
            "vpce-only": OPEN,
            "org-only": OPEN,
            "deny-only": {**OPEN, "EIT-BUCKET-01": "PASS"},
            "ignored-acl": {**OPEN, **ACLS_ON},
            "partner-grant": OPEN,
            "kms-default-key": OPEN,
            "kms-alias-aws": OPEN,
        }
    ) | {("PUB-BUCKETDEFAULT-01", ACCOUNT_UID, "FAIL")}
    assert outcomes(snapshot, ALL_RULES) == want

    # --phi-tag keeps bucket rules to the tagged bucket; the account rule always applies.
    tagged = outcomes(snapshot, ALL_RULES, phi_tags=(("phi", "yes"),))
    assert tagged == expected({"good-phi": {r: "PASS" for r in BUCKET_RULES}}) | {
        ("PUB-BUCKETDEFAULT-01", ACCOUNT_UID, "FAIL")
    }


def test_account_block_public_access_neutralises_public_acl_and_policy() -> None:
    with mock_aws():
        make("public-acl", ACL="public-read")
        make("public-policy")
        put_policy("public-policy", public_read("public-policy"))
        boto3.client("s3control", region_name="us-east-1").put_public_access_block(
            AccountId=ACCOUNT, PublicAccessBlockConfiguration=BPA_ON
        )
        snapshot = scan(["s3"])

    acl, policy = props(snapshot, "public-acl"), props(snapshot, "public-policy")
    assert acl.account_public_access_block == ALL_ON
    assert (acl.public_acl_grants, acl.acl_public, acl.public) == (("AllUsers:READ",), False, False)
    assert (policy.public_policy_statements, policy.policy_public, policy.public) == (
        ("PublicRead",),
        False,
        False,
    )
    rules = ("PUB-BUCKETDEFAULT-01", "PUB-BUCKET-02", "PUB-BUCKET-03")
    assert outcomes(snapshot, rules) == {
        ("PUB-BUCKETDEFAULT-01", ACCOUNT_UID, "PASS"),
        ("PUB-BUCKET-02", arn("public-acl"), "PASS"),
        ("PUB-BUCKET-03", arn("public-acl"), "PASS"),
        ("PUB-BUCKET-02", arn("public-policy"), "PASS"),
        ("PUB-BUCKET-03", arn("public-policy"), "PASS"),
    }


def test_partial_account_block_public_access_fails_and_is_applied_flag_by_flag() -> None:
    with mock_aws():
        make("public-acl", ACL="public-read")
        make("public-policy")
        put_policy("public-policy", public_read("public-policy"))
        boto3.client("s3control", region_name="us-east-1").put_public_access_block(
            AccountId=ACCOUNT,
            PublicAccessBlockConfiguration={**BPA_ON, "RestrictPublicBuckets": False},
        )
        snapshot = scan(["s3"])

    assert props(snapshot, "public-acl").public is False
    assert props(snapshot, "public-policy").public is True
    assert outcomes(snapshot, ("PUB-BUCKETDEFAULT-01", "PUB-BUCKET-03")) == {
        ("PUB-BUCKETDEFAULT-01", ACCOUNT_UID, "FAIL"),
        ("PUB-BUCKET-03", arn("public-acl"), "PASS"),
        ("PUB-BUCKET-03", arn("public-policy"), "FAIL"),
    }


# --- call counts ---------------------------------------------------------------------------


def test_one_call_per_bucket_per_fact() -> None:
    n = 4
    with mock_aws():
        kms = boto3.client("kms", region_name="us-east-1")
        shared = kms.create_key()["KeyMetadata"]["KeyId"]
        kms.create_alias(AliasName="alias/phi", TargetKeyId=shared)
        make("count-a")
        kms_encrypt("count-a", shared)
        make("count-b")
        kms_encrypt("count-b", shared)  # the same key: described once
        make("count-c")
        kms_encrypt("count-c", "alias/phi")  # another spelling: one more DescribeKey
        make("count-d", "eu-west-1")
        kms_encrypt("count-d", "alias/aws/s3")  # AWS-managed by name: no DescribeKey
        make("count-far", "ap-south-1")  # located, then skipped
        counter = CallCounter()
        snapshot = scan(["s3"], counter=counter)

    assert len(by_uid(snapshot, Bucket.KIND)) == n
    assert props(snapshot, "count-c").encryption is not None
    assert props(snapshot, "count-c").encryption.customer_managed_key is True  # type: ignore[union-attr]
    counts = counter.counts
    assert counts["s3.ListBuckets"] == 1
    assert counts["s3.GetBucketLocation"] == n + 1
    for op in PER_BUCKET_OPS:
        assert counts[f"s3.{op}"] == n, op
    assert counts["s3control.GetPublicAccessBlock"] == 1
    assert counts["kms.DescribeKey"] == 2
    assert set(counts) == {
        "sts.GetCallerIdentity",
        "s3.ListBuckets",
        "s3.GetBucketLocation",
        "s3control.GetPublicAccessBlock",
        "kms.DescribeKey",
        *(f"s3.{op}" for op in PER_BUCKET_OPS),
    }


def test_bucket_region_from_list_buckets_skips_get_bucket_location() -> None:
    # moto 5.2.5's ListBuckets has no BucketRegion; real S3 now returns it. Fake that answer.
    with mock_aws():
        make("listed-west", "eu-west-1")
        make("listed-far", "ap-south-1")
        counter = CallCounter()
        listing = {
            "Buckets": [
                {"Name": "listed-west", "BucketRegion": "eu-west-1"},
                {"Name": "listed-far", "BucketRegion": "ap-south-1"},
            ]
        }
        with canned("s3.ListBuckets", listing):
            snapshot = scan(["s3"], counter=counter)

    assert {r.uid: r.region for r in by_uid(snapshot, Bucket.KIND).values()} == {
        arn("listed-west"): "eu-west-1"
    }
    assert counter.counts["s3.GetBucketLocation"] == 0
    assert counter.counts["s3.GetBucketAcl"] == 1


# --- gaps ----------------------------------------------------------------------------------


def test_access_denied_on_bucket_policy() -> None:
    with mock_aws():
        make("denied-open", ACL="public-read")
        make("denied-private")
        put_policy("denied-private", tls_deny("denied-private"))
        s3().put_bucket_versioning(
            Bucket="denied-private", VersioningConfiguration={"Status": "Enabled"}
        )
        with failing("s3.GetBucketPolicy"):
            snapshot = scan(["s3"])

    private = props(snapshot, "denied-private")
    assert (
        private.tls_required,
        private.has_policy,
        private.public_policy_statements,
        private.policy_public,
        private.public,
    ) == (None, None, None, None, None)
    assert private.acl_public is False and private.versioning_enabled is True
    # A public ACL is enough to know the bucket is public, policy or not.
    assert props(snapshot, "denied-open").public is True
    assert {(g.operation, g.error_code, g.resource_uid) for g in snapshot.gaps} == {
        ("GetBucketPolicy", "AccessDenied", arn("denied-open")),
        ("GetBucketPolicy", "AccessDenied", arn("denied-private")),
    }
    assert outcomes(snapshot, BUCKET_RULES) == expected(
        {
            "denied-open": {
                **OPEN,
                **ACLS_ON,
                "EIT-BUCKET-01": "UNKNOWN",
                "PUB-BUCKET-03": "UNKNOWN",
                "PUB-BUCKET-02": "FAIL",
            },
            "denied-private": {
                **OPEN,
                "EIT-BUCKET-01": "UNKNOWN",
                "PUB-BUCKET-03": "UNKNOWN",
                "BAK-BUCKET-01": "PASS",
            },
        }
    )


def test_malformed_policy_document_is_a_gap() -> None:
    with mock_aws():
        make("garbled")
        with canned("s3.GetBucketPolicy", {"Policy": '{"Statement": [oops'}):
            snapshot = scan(["s3"])

    garbled = props(snapshot, "garbled")
    assert (garbled.tls_required, garbled.public_policy_statements, garbled.policy_public) == (
        None,
        None,
        None,
    )
    assert garbled.public is None  # the ACL is private, but the policy is unknown
    assert [(g.operation, g.error_code, g.resource_uid) for g in snapshot.gaps] == [
        ("GetBucketPolicy", "MalformedPolicy", arn("garbled"))
    ]
    assert outcomes(snapshot, ("EIT-BUCKET-01", "PUB-BUCKET-03", "PUB-BUCKET-02")) == {
        ("EIT-BUCKET-01", arn("garbled"), "UNKNOWN"),
        ("PUB-BUCKET-03", arn("garbled"), "UNKNOWN"),
        ("PUB-BUCKET-02", arn("garbled"), "PASS"),
    }


def test_account_block_public_access_denied() -> None:
    with mock_aws():
        make("open-acl", ACL="public-read")
        make("shielded-acl", ACL="public-read")
        s3().put_public_access_block(Bucket="shielded-acl", PublicAccessBlockConfiguration=BPA_ON)
        make("plain")
        with failing("s3control.GetPublicAccessBlock"):
            snapshot = scan(["s3"])

    (account,) = by_uid(snapshot, AccountPublicAccess.KIND).values()
    assert account.props.public_access_block is None
    # Whether the account ignores public ACLs is unknown: only the bucket's own flag decides.
    assert props(snapshot, "open-acl").acl_public is None
    assert props(snapshot, "shielded-acl").acl_public is False
    assert props(snapshot, "plain").public is False
    assert [(g.service, g.operation, g.resource_uid) for g in snapshot.gaps] == [
        ("s3", "GetPublicAccessBlock", ACCOUNT_UID)
    ]
    assert outcomes(snapshot, ("PUB-BUCKETDEFAULT-01", "PUB-BUCKET-02", "PUB-BUCKET-01")) == {
        ("PUB-BUCKETDEFAULT-01", ACCOUNT_UID, "UNKNOWN"),
        ("PUB-BUCKET-02", arn("open-acl"), "UNKNOWN"),
        ("PUB-BUCKET-02", arn("shielded-acl"), "PASS"),
        ("PUB-BUCKET-02", arn("plain"), "PASS"),
        ("PUB-BUCKET-01", arn("open-acl"), "FAIL"),
        ("PUB-BUCKET-01", arn("shielded-acl"), "PASS"),
        ("PUB-BUCKET-01", arn("plain"), "FAIL"),
    }


def test_describe_key_denied_leaves_key_manager_unknown() -> None:
    with mock_aws():
        key = boto3.client("kms", region_name="us-east-1").create_key()["KeyMetadata"]["KeyId"]
        make("cmk-bucket")
        kms_encrypt("cmk-bucket", key)
        with failing("kms.DescribeKey"):
            snapshot = scan(["s3"])

    enc = props(snapshot, "cmk-bucket").encryption
    assert enc is not None and (enc.enabled, enc.customer_managed_key) == (True, None)
    assert [(g.operation, g.resource_uid) for g in snapshot.gaps] == [
        ("DescribeKey", f"arn:aws:kms:us-east-1:{ACCOUNT}:key/{key}")
    ]
    assert outcomes(snapshot, ("EAR-BUCKET-01", "EAR-BUCKET-02")) == {
        ("EAR-BUCKET-01", arn("cmk-bucket"), "PASS"),
        ("EAR-BUCKET-02", arn("cmk-bucket"), "UNKNOWN"),
    }


@pytest.mark.parametrize(
    "operation",
    [
        "GetBucketEncryption",
        "GetBucketAcl",
        "GetPublicAccessBlock",
        "GetBucketLogging",
        "GetBucketVersioning",
        "GetBucketOwnershipControls",
        "GetObjectLockConfiguration",
    ],
)
def test_each_denied_fact_is_none_and_only_its_rules_are_unknown(operation: str) -> None:
    with mock_aws():
        make("one-bucket")
        with failing(f"s3.{operation}"):
            snapshot = scan(["s3"])

    p = props(snapshot, "one-bucket")
    unknown = {
        "GetBucketEncryption": ({"EAR-BUCKET-01", "EAR-BUCKET-02"}, p.encryption),
        "GetBucketAcl": ({"PUB-BUCKET-02"}, p.public_acl_grants),
        "GetPublicAccessBlock": (
            {"PUB-BUCKET-01", "PUB-BUCKET-02", "PUB-BUCKET-03"},
            p.public_access_block,
        ),
        "GetBucketLogging": ({"LOG-BUCKET-01"}, p.access_logging),
        "GetBucketVersioning": ({"BAK-BUCKET-01"}, p.versioning_enabled),
        "GetBucketOwnershipControls": ({"PUB-BUCKET-02", "PUB-BUCKET-04"}, p.acls_enabled),
        # BAK-BUCKET-04 (Object Lock) is not among BUCKET_RULES: test_s3_object_lock.py.
        "GetObjectLockConfiguration": (set(), p.object_lock_enabled),
    }[operation]
    rules, fact = unknown
    assert fact is None
    assert [(g.operation, g.resource_uid) for g in snapshot.gaps] == [
        (operation, arn("one-bucket"))
    ]
    if operation == "GetPublicAccessBlock":
        # Nothing public to neutralise: the exposure is still known to be none; ACLs are
        # disabled, so no object ACL can expose anything either.
        rules = {"PUB-BUCKET-01"}
        assert p.public is False
    assert outcomes(snapshot, BUCKET_RULES) == expected(
        {"one-bucket": {**OPEN, **{r: "UNKNOWN" for r in rules}}}
    )


def test_get_bucket_location_denied_skips_the_bucket_with_a_gap() -> None:
    with mock_aws():
        make("nowhere")
        denied = {"Error": {"Code": "AccessDenied", "Message": "injected"}}
        with canned("s3.GetBucketLocation", denied, status=403):
            counter = CallCounter()
            snapshot = scan(["s3"], counter=counter)

    assert by_uid(snapshot, Bucket.KIND) == {}
    assert [(g.operation, g.resource_uid) for g in snapshot.gaps] == [
        ("GetBucketLocation", arn("nowhere"))
    ]
    assert counter.counts["s3.GetBucketAcl"] == 0


def test_list_buckets_denied_still_reports_the_account_switch() -> None:
    with mock_aws():
        make("hidden")
        with failing("s3.ListBuckets"):
            snapshot = scan(["s3"])

    assert [r.uid for r in snapshot.resources] == [ACCOUNT_UID]
    assert [g.operation for g in snapshot.gaps] == ["ListBuckets"]


# --- pure helpers --------------------------------------------------------------------------


def test_location_region() -> None:
    assert location_region(None) == "us-east-1"
    assert location_region("") == "us-east-1"
    assert location_region("EU") == "eu-west-1"
    assert location_region("ap-south-1") == "ap-south-1"


def test_policy_facts_malformed_raises() -> None:
    with pytest.raises(PolicyParseError):
        policy_facts("{not json", arn("b"))
    with pytest.raises(PolicyParseError):
        policy_facts({"Statement": [{"Effect": "Allow", "Principal": ["*"]}]}, arn("b"))


def test_policy_facts_names_statements_by_sid_or_index() -> None:
    doc = {"Statement": [public_read("b"), {**public_read("b"), "Sid": ""}, tls_deny("b")]}
    facts = policy_facts(doc, arn("b"))
    assert (facts.has_policy, facts.tls_required, facts.public_statements) == (
        True,
        True,
        ("PublicRead", "#1"),
    )


def test_encryption_from_answers() -> None:
    default = encryption_from(ABSENT, None)
    assert default is not None
    assert (
        default.enabled,
        default.algorithm,
        default.platform_default,
        default.customer_managed_key,
    ) == (True, "AES256", True, False)
    assert encryption_from(FAILED, None) is None
    sse_s3 = Fetched(
        {
            "ServerSideEncryptionConfiguration": {
                "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
            }
        }
    )
    got = encryption_from(sse_s3, True)  # a stray verdict is ignored for SSE-S3
    assert got is not None and (got.platform_default, got.customer_managed_key) == (False, False)
    dsse = Fetched(
        {
            "ServerSideEncryptionConfiguration": {
                "Rules": [
                    {
                        "ApplyServerSideEncryptionByDefault": {
                            "SSEAlgorithm": "aws:kms:dsse",
                            "KMSMasterKeyID": "arn:aws:kms:us-east-1:1:key/k",
                        },
                        "BucketKeyEnabled": True,
                    }
                ]
            }
        }
    )
    got = encryption_from(dsse, True)
    assert got is not None and (got.customer_managed_key, got.bucket_key_enabled) == (True, True)
    assert encryption_from(dsse, None).customer_managed_key is None  # type: ignore[union-attr]
    managed = Fetched(
        {
            "ServerSideEncryptionConfiguration": {
                "Rules": [
                    {
                        "ApplyServerSideEncryptionByDefault": {
                            "SSEAlgorithm": "aws:kms",
                            "KMSMasterKeyID": "arn:aws:kms:us-east-1:1:alias/aws/s3",
                        }
                    }
                ]
            }
        }
    )
    assert encryption_from(managed, None).customer_managed_key is False  # type: ignore[union-attr]
    empty = Fetched({"ServerSideEncryptionConfiguration": {"Rules": []}})
    assert encryption_from(empty, None) == encryption_from(empty, True)
    assert encryption_from(empty, None).enabled is False  # type: ignore[union-attr]


ACLS_IGNORED = PublicAccessBlock(False, True, False, False)
RESTRICTED = PublicAccessBlock(False, False, False, True)


@pytest.mark.parametrize(
    ("grants", "stmts", "bucket", "account", "want"),
    [
        ((), (), OFF, OFF, (False, False, False)),
        (("AllUsers:READ",), (), OFF, OFF, (True, False, True)),
        (("AllUsers:READ",), (), ACLS_IGNORED, OFF, (False, False, False)),
        (("AllUsers:READ",), (), OFF, ACLS_IGNORED, (False, False, False)),
        (("AllUsers:READ",), (), RESTRICTED, OFF, (True, False, True)),
        ((), ("S1",), OFF, OFF, (False, True, True)),
        ((), ("S1",), RESTRICTED, OFF, (False, False, False)),
        ((), ("S1",), OFF, RESTRICTED, (False, False, False)),
        ((), ("S1",), ACLS_IGNORED, OFF, (False, True, True)),
        (None, (), OFF, OFF, (None, False, None)),
        (None, ("S1",), OFF, OFF, (None, True, True)),
        ((), None, OFF, OFF, (False, None, None)),
        (("AllUsers:READ",), (), None, OFF, (None, False, None)),
        (("AllUsers:READ",), (), None, ACLS_IGNORED, (False, False, False)),
        (("AllUsers:READ",), (), OFF, None, (None, False, None)),
        (("AllUsers:READ",), (), ACLS_IGNORED, None, (False, False, False)),
        ((), (), None, None, (False, False, False)),
    ],
)
def test_effective_exposure(
    grants: tuple[str, ...] | None,
    stmts: tuple[str, ...] | None,
    bucket: PublicAccessBlock | None,
    account: PublicAccessBlock | None,
    want: tuple[bool | None, ...],
) -> None:
    assert effective_exposure(grants, stmts, bucket, account) == want


def test_estate_snapshot_round_trips_through_json(
    estate: tuple[Snapshot, dict[str, str]],
) -> None:
    snapshot, _ = estate
    text = dumps_snapshot(snapshot)
    again = snapshot_from_dict(json.loads(text), "estate")
    assert again.resources == snapshot.resources
    assert isinstance(props(again, "good-phi").public_access_block, PublicAccessBlock)


def test_customer_key_that_is_disabled_or_pending_deletion_fails() -> None:
    """Item 12: "encrypted with a customer-managed key" needs a key that still works."""
    with mock_aws():
        kms = boto3.client("kms", region_name="us-east-1")
        keys = {
            name: kms.create_key()["KeyMetadata"]["Arn"]
            for name in ("enabled", "disabled", "pending")
        }
        # moto's disable/schedule take the key id only (AWS accepts the ARN too).
        kms.disable_key(KeyId=keys["disabled"].rsplit("/", 1)[1])
        kms.schedule_key_deletion(KeyId=keys["pending"].rsplit("/", 1)[1], PendingWindowInDays=7)
        kms.create_alias(AliasName="alias/pending", TargetKeyId=keys["pending"])
        for bucket, key_id in (
            ("on-enabled", keys["enabled"]),
            ("on-disabled", keys["disabled"]),
            ("on-pending", keys["pending"]),
            ("on-pending-alias", "alias/pending"),
        ):
            make(bucket)
            kms_encrypt(bucket, key_id)
        snapshot = scan(["s3"])
    assert outcomes(snapshot, ["EAR-BUCKET-02"]) == {
        ("EAR-BUCKET-02", arn("on-enabled"), "PASS"),
        ("EAR-BUCKET-02", arn("on-disabled"), "FAIL"),
        ("EAR-BUCKET-02", arn("on-pending"), "FAIL"),
        ("EAR-BUCKET-02", arn("on-pending-alias"), "FAIL"),
    }
    enc = props(snapshot, "on-pending").encryption
    assert enc is not None
    assert (enc.kms_key_state, enc.kms_key_usable) == ("PendingDeletion", False)


@pytest.mark.parametrize(
    ("ownership", "block", "account_block", "acl_verdict", "acls_verdict"),
    [
        # The reported case: a legacy bucket (no ownership controls), private bucket ACL,
        # IgnorePublicAcls off at both levels: objects may be public.
        (None, None, None, "UNKNOWN", "FAIL"),
        ("ObjectWriter", None, None, "UNKNOWN", "FAIL"),
        ("BucketOwnerPreferred", {**BPA_ON, "IgnorePublicAcls": False}, None, "UNKNOWN", "FAIL"),
        # Near misses: ACLs disabled, or public ACLs ignored at either level.
        ("BucketOwnerEnforced", None, None, "PASS", "PASS"),
        ("ObjectWriter", BPA_ON, None, "PASS", "FAIL"),
        ("ObjectWriter", None, BPA_ON, "PASS", "FAIL"),
    ],
)
def test_object_acls_and_ownership_controls(
    ownership: str | None,
    block: dict[str, bool] | None,
    account_block: dict[str, bool] | None,
    acl_verdict: str,
    acls_verdict: str,
) -> None:
    """Item 8: object ACLs can expose objects the bucket ACL does not show."""
    with mock_aws():
        make("objects", ObjectOwnership=ownership)
        if block:
            s3().put_public_access_block(Bucket="objects", PublicAccessBlockConfiguration=block)
        if account_block:
            boto3.client("s3control", region_name="us-east-1").put_public_access_block(
                AccountId=ACCOUNT, PublicAccessBlockConfiguration=account_block
            )
        snapshot = scan(["s3"])
    assert outcomes(snapshot, ("PUB-BUCKET-02", "PUB-BUCKET-04")) == {
        ("PUB-BUCKET-02", arn("objects"), acl_verdict),
        ("PUB-BUCKET-04", arn("objects"), acls_verdict),
    }
    assert props(snapshot, "objects").acls_enabled is (ownership != "BucketOwnerEnforced")
