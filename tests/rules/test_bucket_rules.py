"""Unit tests for the storage-bucket rules and the account-level S3 rule, on hand-built facts."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, cast

import pytest

from rules.audit_logging.bucket import bucket_access_logging_enabled
from rules.backup_recovery.bucket import bucket_versioning_enabled
from rules.encryption_at_rest.bucket import (
    bucket_default_encryption_enabled,
    bucket_encrypted_with_customer_managed_key,
)
from rules.encryption_in_transit.bucket import bucket_tls_required
from rules.public_exposure.bucket import (
    bucket_acls_disabled,
    bucket_not_public_via_acl,
    bucket_not_public_via_policy,
)
from rules.public_exposure.bucket_aws import (
    bucket_block_public_access_enabled,
    s3account_block_public_access_enabled,
)
from scanner.kinds.storage import (
    OFF,
    AccessLogging,
    AccountPublicAccess,
    Bucket,
    BucketEncryption,
    PublicAccessBlock,
)
from scanner.model import Concern, Gap, Resource, Severity, Status
from scanner.rule import Rule, Verdict
from tests.rules.support import rule_by_id

ON = PublicAccessBlock(True, True, True, True)
SSE_S3_DEFAULT = BucketEncryption(
    enabled=True, algorithm="AES256", customer_managed_key=False, platform_default=True
)
CMK = BucketEncryption(
    enabled=True,
    algorithm="aws:kms",
    kms_key_id="arn:aws:kms:us-east-1:1:key/k",
    customer_managed_key=True,
)


class Ctx:
    """A minimal `RuleContext` for one rule: its parameters and nothing else in the snapshot."""

    def __init__(self, rule: Rule, **overrides: Any) -> None:
        self._params = {**rule.meta.params, **overrides}

    def get(self, uid: str) -> Resource[Any] | None:
        return None

    def of_kind(self, kind: str, account: str | None = None) -> Sequence[Resource[Any]]:
        return ()

    def gaps(self, account: str, service: str, region: str | None = None) -> Sequence[Gap]:
        return ()

    def param(self, name: str) -> Any:
        return self._params[name]

    def in_phi_scope(self, resource: Resource[Any]) -> bool:
        return True


def bucket(**facts: Any) -> Resource[Bucket]:
    return Resource(
        uid="arn:aws:s3:::phi-data",
        provider="aws",
        kind=Bucket.KIND,
        native_type="AWS::S3::Bucket",
        account="123456789012",
        region="us-east-1",
        name="phi-data",
        props=Bucket(**facts),
    )


def judge(rule: Rule, resource: Resource[Any], **params: Any) -> Verdict:
    verdict = rule.check(resource, Ctx(rule, **params))
    json.dumps(dict(verdict.evidence))  # evidence must be plain JSON
    assert verdict.message.startswith(("Bucket phi-data", "Account 123456789012")), verdict
    return verdict


def check(
    rule: Rule,
    resource: Resource[Any],
    status: Status,
    evidence: Mapping[str, Any] | None = None,
    **params: Any,
) -> Verdict:
    verdict = judge(rule, resource, **params)
    assert verdict.status is status, verdict
    for key, value in (evidence or {}).items():
        assert verdict.evidence[key] == value, key
    return verdict


# --- metadata ------------------------------------------------------------------------------

RULES = {
    "EAR-BUCKET-01": (bucket_default_encryption_enabled, Severity.HIGH, Concern.ENCRYPTION_AT_REST),
    "EAR-BUCKET-02": (
        bucket_encrypted_with_customer_managed_key,
        Severity.MEDIUM,
        Concern.ENCRYPTION_AT_REST,
    ),
    "EIT-BUCKET-01": (bucket_tls_required, Severity.HIGH, Concern.ENCRYPTION_IN_TRANSIT),
    "LOG-BUCKET-01": (bucket_access_logging_enabled, Severity.MEDIUM, Concern.AUDIT_LOGGING),
    "PUB-BUCKET-01": (bucket_block_public_access_enabled, Severity.MEDIUM, Concern.PUBLIC_EXPOSURE),
    "PUB-BUCKET-02": (bucket_not_public_via_acl, Severity.CRITICAL, Concern.PUBLIC_EXPOSURE),
    "PUB-BUCKET-03": (bucket_not_public_via_policy, Severity.CRITICAL, Concern.PUBLIC_EXPOSURE),
    "BAK-BUCKET-01": (bucket_versioning_enabled, Severity.MEDIUM, Concern.BACKUP_RECOVERY),
    "PUB-BUCKETDEFAULT-01": (
        s3account_block_public_access_enabled,
        Severity.HIGH,
        Concern.PUBLIC_EXPOSURE,
    ),
}


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_rule_metadata(rule_id: str) -> None:
    rule, severity, concern = RULES[rule_id]
    meta = rule.meta
    assert (meta.id, meta.severity, meta.concern) == (rule_id, severity, concern)
    assert meta.citations and "aws" in meta.providers
    fix = rule_by_id(rule_id).meta.remediation["aws"]
    assert fix.console and fix.cli.startswith(("aws ", "#")) and 'resource "aws_' in fix.terraform
    assert meta.phi_scoped is (rule_id != "PUB-BUCKETDEFAULT-01")
    expected_kind = (
        "aws.account_public_access" if rule_id == "PUB-BUCKETDEFAULT-01" else "storage.bucket"
    )
    assert meta.kinds == (expected_kind,)
    assert meta.name.startswith(("bucket_", "s3account_"))
    assert len(meta.description) > 20


def test_rules_are_loaded_by_the_catalog() -> None:
    from rules import load_rules

    loaded = {r.id: r for r in load_rules()}
    for rule_id, (rule, _, _) in RULES.items():
        assert loaded[rule_id].check is rule.check
        assert loaded[rule_id].meta.remediation


# --- encryption at rest ------------------------------------------------------------------------


def encryption_evidence(verdict: Verdict) -> dict[str, Any]:
    value = verdict.evidence["encryption"]
    assert isinstance(value, dict)
    return value


def test_default_encryption() -> None:
    rule = bucket_default_encryption_enabled
    v = check(rule, bucket(encryption=SSE_S3_DEFAULT), Status.PASS)
    assert encryption_evidence(v)["platform_default"] is True
    assert "platform default" in v.message
    v = check(rule, bucket(encryption=CMK), Status.PASS)
    assert encryption_evidence(v)["algorithm"] == "aws:kms"
    check(rule, bucket(encryption=BucketEncryption(enabled=False)), Status.FAIL)
    check(rule, bucket(encryption=None), Status.UNKNOWN)


@pytest.mark.parametrize(
    ("encryption", "status", "words"),
    [
        (CMK, Status.PASS, "customer-managed KMS key arn:aws:kms"),
        (SSE_S3_DEFAULT, Status.FAIL, "SSE-S3"),
        (
            BucketEncryption(enabled=True, algorithm="AES256", customer_managed_key=False),
            Status.FAIL,
            "SSE-S3",
        ),
        (
            BucketEncryption(enabled=True, algorithm="aws:kms", customer_managed_key=False),
            Status.FAIL,
            "aws/s3",
        ),
        (
            BucketEncryption(
                enabled=True,
                algorithm="aws:kms",
                kms_key_id="alias/aws/s3",
                customer_managed_key=False,
            ),
            Status.FAIL,
            "aws/s3",
        ),
        (
            BucketEncryption(
                enabled=True, algorithm="aws:kms:dsse", kms_key_id="k", customer_managed_key=True
            ),
            Status.PASS,
            "customer-managed",
        ),
        (BucketEncryption(enabled=False), Status.FAIL, "no default encryption"),
        (
            BucketEncryption(
                enabled=True, algorithm="aws:kms", kms_key_id="k", customer_managed_key=None
            ),
            Status.UNKNOWN,
            "could not be described",
        ),
        (None, Status.UNKNOWN, "could not be read"),
    ],
)
def test_customer_managed_key(
    encryption: BucketEncryption | None, status: Status, words: str
) -> None:
    v = check(bucket_encrypted_with_customer_managed_key, bucket(encryption=encryption), status)
    assert words in v.message


# --- encryption in transit -----------------------------------------------------------------------


def test_tls_required() -> None:
    rule = bucket_tls_required
    check(rule, bucket(tls_required=True, has_policy=True), Status.PASS, {"tls_required": True})
    v = check(
        rule,
        bucket(tls_required=False, has_policy=False),
        Status.FAIL,
        {"tls_required": False, "has_policy": False},
    )
    assert "no bucket policy" in v.message
    v = check(rule, bucket(tls_required=False, has_policy=True), Status.FAIL)
    assert "aws:SecureTransport" in v.message
    check(rule, bucket(tls_required=None), Status.UNKNOWN)


# --- audit logging ---------------------------------------------------------------------------


def test_access_logging() -> None:
    rule = bucket_access_logging_enabled
    logs = AccessLogging(enabled=True, target_bucket="logs", target_prefix="phi/")
    check(
        rule,
        bucket(access_logging=logs),
        Status.PASS,
        {"access_logging": {"enabled": True, "target_bucket": "logs", "target_prefix": "phi/"}},
    )
    check(rule, bucket(access_logging=AccessLogging(enabled=False)), Status.FAIL)
    check(rule, bucket(access_logging=None), Status.UNKNOWN)


# --- backup / recovery -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status_text", "enabled", "verdict", "words"),
    [
        ("Enabled", True, Status.PASS, "enabled"),
        ("Suspended", False, Status.FAIL, "suspended"),
        ("Disabled", False, Status.FAIL, "never enabled"),
        (None, None, Status.UNKNOWN, "could not be read"),
    ],
)
def test_versioning(
    status_text: str | None, enabled: bool | None, verdict: Status, words: str
) -> None:
    v = check(
        bucket_versioning_enabled,
        bucket(
            versioning_status=status_text,
            versioning_enabled=enabled,
            mfa_delete=None if enabled is None else False,
        ),
        verdict,
    )
    assert words in v.message
    if verdict is not Status.UNKNOWN:
        assert v.evidence["versioning_status"] == status_text


# --- public exposure: Block Public Access ------------------------------------------------------


def account(block: PublicAccessBlock | None) -> Resource[AccountPublicAccess]:
    return Resource(
        uid="arn:aws:s3::123456789012:account-public-access-block",
        provider="aws",
        kind=AccountPublicAccess.KIND,
        native_type="AWS::S3::AccountPublicAccessBlock",
        account="123456789012",
        region="global",
        name="account-public-access-block",
        props=AccountPublicAccess(public_access_block=block),
    )


def test_account_block_public_access() -> None:
    rule = s3account_block_public_access_enabled
    check(rule, account(ON), Status.PASS)
    v = check(
        rule,
        account(PublicAccessBlock(True, True, True, False)),
        Status.FAIL,
        {"disabled": ["RestrictPublicBuckets"]},
    )
    assert "RestrictPublicBuckets" in v.message
    check(
        rule,
        account(OFF),
        Status.FAIL,
        {
            "disabled": [
                "BlockPublicAcls",
                "IgnorePublicAcls",
                "BlockPublicPolicy",
                "RestrictPublicBuckets",
            ]
        },
    )
    check(rule, account(None), Status.UNKNOWN)


def test_bucket_block_public_access() -> None:
    rule = bucket_block_public_access_enabled
    check(rule, bucket(public_access_block=ON, account_public_access_block=OFF), Status.PASS)
    v = check(
        rule,
        bucket(
            public_access_block=PublicAccessBlock(True, False, True, True),
            account_public_access_block=ON,
        ),
        Status.FAIL,
        {"disabled": ["IgnorePublicAcls"]},
    )
    assert v.evidence["account_public_access_block"] == {
        "block_public_acls": True,
        "ignore_public_acls": True,
        "block_public_policy": True,
        "restrict_public_buckets": True,
    }
    check(rule, bucket(public_access_block=None, account_public_access_block=OFF), Status.UNKNOWN)
    # The tunable: an account-wide switch that is fully on may stand in for the bucket's.
    check(
        rule,
        bucket(public_access_block=OFF, account_public_access_block=ON),
        Status.PASS,
        accept_account_level=True,
    )
    check(
        rule,
        bucket(public_access_block=None, account_public_access_block=ON),
        Status.PASS,
        accept_account_level=True,
    )
    check(
        rule,
        bucket(public_access_block=OFF, account_public_access_block=None),
        Status.FAIL,
        accept_account_level=True,
    )


# --- public exposure: ACL and policy -----------------------------------------------------------


@pytest.mark.parametrize(
    ("facts", "status", "words"),
    [
        (
            {"public_acl_grants": (), "acl_public": False, "object_acl_exposure": False},
            Status.PASS,
            "no public ACL grants",
        ),
        # Item 8: a private bucket ACL, but objects' own ACLs are honoured and not ignored.
        (
            {
                "public_acl_grants": (),
                "acl_public": False,
                "object_acl_exposure": True,
                "acls_enabled": True,
            },
            Status.UNKNOWN,
            "objects may be public through their own",
        ),
        (
            {"public_acl_grants": (), "acl_public": False, "object_acl_exposure": None},
            Status.UNKNOWN,
            "could not be read",
        ),
        (
            {"public_acl_grants": ("AllUsers:READ",), "acl_public": True},
            Status.FAIL,
            "public through its ACL: AllUsers:READ",
        ),
        (
            {"public_acl_grants": ("AuthenticatedUsers:WRITE",), "acl_public": True},
            Status.FAIL,
            "AuthenticatedUsers:WRITE",
        ),
        (
            {
                "public_acl_grants": ("AllUsers:READ",),
                "acl_public": False,
                "object_acl_exposure": False,
                "public_access_block": PublicAccessBlock(False, True, False, False),
            },
            Status.PASS,
            "public-access block makes the platform ignore",
        ),
        ({"public_acl_grants": None, "acl_public": None}, Status.UNKNOWN, "its ACL could not"),
        (
            {
                "public_acl_grants": ("AllUsers:READ",),
                "acl_public": None,
                "public_access_block": None,
            },
            Status.UNKNOWN,
            "Block Public Access",
        ),
    ],
)
def test_not_public_via_acl(facts: dict[str, Any], status: Status, words: str) -> None:
    v = check(bucket_not_public_via_acl, bucket(**facts), status)
    assert words in v.message
    grants = facts["public_acl_grants"]
    assert v.evidence["public_acl_grants"] == (None if grants is None else list(grants))


@pytest.mark.parametrize(
    ("acls", "status"), [(True, Status.FAIL), (False, Status.PASS), (None, Status.UNKNOWN)]
)
def test_acls_disabled(acls: bool | None, status: Status) -> None:
    v = check(bucket_acls_disabled, bucket(acls_enabled=acls), status)
    assert v.evidence == {"acls_enabled": acls}


@pytest.mark.parametrize(
    ("facts", "status", "words"),
    [
        (
            {"public_policy_statements": (), "policy_public": False},
            Status.PASS,
            "no public bucket-policy statements",
        ),
        (
            {"public_policy_statements": ("PublicRead", "#2"), "policy_public": True},
            Status.FAIL,
            "statements PublicRead, #2",
        ),
        (
            {
                "public_policy_statements": ("PublicRead",),
                "policy_public": False,
                "account_public_access_block": PublicAccessBlock(False, False, False, True),
            },
            Status.PASS,
            "public-access block makes the platform ignore",
        ),
        (
            {"public_policy_statements": None, "policy_public": None},
            Status.UNKNOWN,
            "could not be read or parsed",
        ),
        (
            {
                "public_policy_statements": ("PublicRead",),
                "policy_public": None,
                "account_public_access_block": None,
            },
            Status.UNKNOWN,
            "Block Public Access",
        ),
    ],
)
def test_not_public_via_policy(facts: dict[str, Any], status: Status, words: str) -> None:
    v = check(bucket_not_public_via_policy, bucket(**facts), status)
    assert words in v.message
    stmts = facts["public_policy_statements"]
    assert v.evidence["public_policy_statements"] == (None if stmts is None else list(stmts))


def test_engine_adds_gaps_to_unknown_evidence() -> None:
    from scanner.engine import evaluate
    from scanner.model import Scope, Snapshot

    resource = cast(Resource[object], bucket(tls_required=None))
    gap = Gap(
        provider="aws",
        account="123456789012",
        region="global",
        service="s3",
        operation="GetBucketPolicy",
        error_code="AccessDenied",
        message="denied",
        resource_uid=resource.uid,
    )
    snapshot = Snapshot(
        tool_version="0",
        scope=Scope("aws", ("123456789012",), ("us-east-1",)),
        started_at="t0",
        finished_at="t1",
        resources=(resource,),
        gaps=(gap,),
    )
    (finding,) = evaluate([snapshot], [bucket_tls_required]).findings
    assert finding.status is Status.UNKNOWN
    assert finding.evidence["gaps"] == ["s3:GetBucketPolicy AccessDenied"]
