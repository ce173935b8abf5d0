"""S3: buckets (`storage.bucket`) and the account-wide Block Public Access switch.

S3 is global: one task per account lists every bucket once, asks each bucket's region once,
and reads only the buckets in the scanned regions, with one call per bucket per fact,
sent to a client in the bucket's own region. KMS keys named by default encryption are
described once per distinct key, not once per bucket.

Interpretation (is the bucket public once Block Public Access is applied? does its policy
refuse plain HTTP?) is done here, in pure helpers, so rules only compare facts.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from providers.aws.policy import denies_insecure_transport, parsed_or_gap, public_statements
from providers.aws.services.kms import key_usable
from providers.aws.task import GLOBAL, AwsTask, Fetched, fetched_tags, tag_dict
from providers.base import Fanout, collector
from scanner.kinds.storage import (
    OFF,
    AccessLogging,
    AccountPublicAccess,
    Bucket,
    BucketEncryption,
    PublicAccessBlock,
)
from scanner.model import Resource

BUCKET_TYPE = "AWS::S3::Bucket"
ACCOUNT_BPA_TYPE = "AWS::S3::AccountPublicAccessBlock"
DEFAULT_LOCATION = "us-east-1"
# The AWS-managed S3 key; naming it needs no kms:DescribeKey.
AWS_MANAGED_ALIAS = "alias/aws/s3"
PUBLIC_GROUPS = {
    "http://acs.amazonaws.com/groups/global/AllUsers": "AllUsers",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers": "AuthenticatedUsers",
}
KMS_ALGORITHMS = ("aws:kms", "aws:kms:dsse")

CALLS = {
    "s3.ListBuckets": "s3:ListAllMyBuckets",
    "s3.GetBucketLocation": "s3:GetBucketLocation",
    "s3.GetBucketTagging": "s3:GetBucketTagging",
    "s3.GetBucketEncryption": "s3:GetEncryptionConfiguration",
    "s3.GetBucketPolicy": "s3:GetBucketPolicy",
    "s3.GetBucketAcl": "s3:GetBucketAcl",
    "s3.GetPublicAccessBlock": "s3:GetBucketPublicAccessBlock",
    "s3.GetBucketLogging": "s3:GetBucketLogging",
    "s3.GetBucketVersioning": "s3:GetBucketVersioning",
    "s3.GetBucketOwnershipControls": "s3:GetBucketOwnershipControls",
    "s3.GetObjectLockConfiguration": "s3:GetBucketObjectLockConfiguration",
    "s3control.GetPublicAccessBlock": "s3:GetAccountPublicAccessBlock",
    "kms.DescribeKey": "kms:DescribeKey",
}

KeyRef = tuple[str, str]  # (region, key id as the bucket names it)


@dataclass(frozen=True)
class PolicyFacts:
    """What one bucket policy says: present, TLS-only, and which statements are public."""

    has_policy: bool
    tls_required: bool
    public_statements: tuple[str, ...]


NO_POLICY = PolicyFacts(has_policy=False, tls_required=False, public_statements=())


@dataclass(frozen=True)
class _RawBucket:
    name: str
    arn: str
    region: str
    tags: Mapping[str, str] | None
    encryption: Fetched
    policy: Fetched
    acl: Fetched
    block: Fetched
    logging: Fetched
    versioning: Fetched
    ownership: Fetched
    key_ref: KeyRef | None = field(default=None)
    object_lock: Fetched | None = field(default=None)


@collector(
    "s3",
    fanout=Fanout.ACCOUNT,
    produces=(AccountPublicAccess.KIND, Bucket.KIND),
    calls=CALLS,
)
def s3_buckets(task: AwsTask) -> Iterator[Resource[Any]]:
    """The account's Block Public Access switch and every bucket in the scanned regions."""
    account_block = _account_block(task)
    yield task.resource(
        uid=f"arn:{task.partition}:s3::{task.account}:account-public-access-block",
        kind=AccountPublicAccess.KIND,
        native_type=ACCOUNT_BPA_TYPE,
        name="account-public-access-block",
        region=GLOBAL,
        props=AccountPublicAccess(public_access_block=account_block),
    )
    s3 = task.client("s3")
    listed = task.paginate(s3, "list_buckets", "Buckets")
    if not listed:
        return
    located = task.map(lambda item: _locate(task, s3, item), listed)
    chosen = [
        (name, region)
        for name, region in located
        if region is not None and region in task.scan_regions
    ]
    raws = task.map(lambda pair: _read_bucket(task, *pair), chosen)
    refs = sorted({raw.key_ref for raw in raws if raw.key_ref is not None})
    managers = dict(zip(refs, task.map(lambda ref: _describe_key(task, ref), refs), strict=True))
    for raw in raws:
        yield _bucket_resource(task, raw, account_block, managers)


def _account_block(task: AwsTask) -> PublicAccessBlock | None:
    control = task.client("s3control")
    fetched = task.call(
        control,
        "get_public_access_block",
        AccountId=task.account,
        resource_uid=f"arn:{task.partition}:s3::{task.account}:account-public-access-block",
        absent={"NoSuchPublicAccessBlockConfiguration"},
    )
    return block_from(fetched)


def _locate(task: AwsTask, s3: Any, item: Mapping[str, Any]) -> tuple[str, str | None]:
    name = str(item["Name"])
    # Newer ListBuckets answers carry BucketRegion; moto 5.2.5 and older endpoints do not,
    # so fall back to one GetBucketLocation per bucket.
    if item.get("BucketRegion"):
        return name, str(item["BucketRegion"])
    fetched = task.call(
        s3, "get_bucket_location", Bucket=name, resource_uid=_bucket_arn(task, name)
    )
    if not fetched.ok:
        return name, None  # the gap is recorded; without a region the bucket can't be scoped
    return name, location_region(fetched.get("LocationConstraint"))


def location_region(constraint: str | None) -> str:
    """The region a GetBucketLocation answer means (us-east-1 answers None; legacy "EU")."""
    if not constraint:
        return DEFAULT_LOCATION
    return "eu-west-1" if constraint == "EU" else constraint


def _read_bucket(task: AwsTask, name: str, region: str) -> _RawBucket:
    s3 = task.client("s3", region)
    arn = _bucket_arn(task, name)

    def get(method: str, *absent: str) -> Fetched:
        return task.call(s3, method, Bucket=name, resource_uid=arn, absent=set(absent))

    # An unreadable tag set is None: the bucket stays in every --phi-tag scope (fail closed).
    tagging = get("get_bucket_tagging", "NoSuchTagSet")
    # "Not found" means the platform default SSE-S3 applies (see `encryption_from`).
    encryption = get("get_bucket_encryption", "ServerSideEncryptionConfigurationNotFoundError")
    return _RawBucket(
        name=name,
        arn=arn,
        region=region,
        tags=fetched_tags(tagging, lambda f: tag_dict(f.get("TagSet"))),
        encryption=encryption,
        policy=get("get_bucket_policy", "NoSuchBucketPolicy"),
        acl=get("get_bucket_acl"),
        block=get("get_public_access_block", "NoSuchPublicAccessBlockConfiguration"),
        logging=get("get_bucket_logging"),
        versioning=get("get_bucket_versioning"),
        # No ownership controls at all: a bucket from before April 2023, ACLs enabled.
        ownership=get("get_bucket_ownership_controls", "OwnershipControlsNotFoundError"),
        key_ref=_key_ref(encryption, region),
        # Never configured: Object Lock is off (a definite answer, not a gap).
        object_lock=get("get_object_lock_configuration", "ObjectLockConfigurationNotFoundError"),
    )


def _object_lock(fetched: Fetched | None) -> dict[str, Any]:
    """`object_lock_enabled` and the default retention mode (both None when unread)."""
    if fetched is None or fetched.failed:
        return {"object_lock_enabled": None, "object_lock_default_mode": None}
    config = fetched.get("ObjectLockConfiguration", {})
    retention = (config.get("Rule") or {}).get("DefaultRetention") or {}
    return {
        "object_lock_enabled": config.get("ObjectLockEnabled") == "Enabled",
        "object_lock_default_mode": retention.get("Mode"),
    }


def _key_ref(encryption: Fetched, region: str) -> KeyRef | None:
    rule = _default_rule(encryption)
    key_id = rule.get("KMSMasterKeyID")
    if rule.get("SSEAlgorithm") not in KMS_ALGORITHMS or not key_id or _is_aws_managed(key_id):
        return None
    parts = str(key_id).split(":")
    if parts[0] == "arn" and len(parts) > 3:
        region = parts[3] or region
    return region, str(key_id)


def _describe_key(task: AwsTask, ref: KeyRef) -> tuple[bool | None, str | None]:
    """Whether the bucket's key is customer managed, and its state (None: unknown)."""
    region, key_id = ref
    fetched = task.call(
        task.client("kms", region),
        "describe_key",
        KeyId=key_id,
        resource_uid=_key_arn(task, region, key_id),
    )
    meta = fetched.get("KeyMetadata", {})
    manager = meta.get("KeyManager")
    return (None if manager is None else manager == "CUSTOMER"), meta.get("KeyState")


def _bucket_resource(
    task: AwsTask,
    raw: _RawBucket,
    account_block: PublicAccessBlock | None,
    managers: Mapping[KeyRef, tuple[bool | None, str | None]],
) -> Resource[Bucket]:
    policy = _policy_facts(task, raw)
    grants = public_acl_grants(raw.acl)
    bucket_block = block_from(raw.block)
    acl_public, policy_public, public = effective_exposure(
        grants, None if policy is None else policy.public_statements, bucket_block, account_block
    )
    versioning = raw.versioning.get("Status", "Disabled") if raw.versioning.ok else None
    acls = acls_enabled(raw.ownership)
    props = Bucket(
        encryption=encryption_from(raw.encryption, *managers.get(raw.key_ref, (None, None)))
        if raw.key_ref
        else encryption_from(raw.encryption, None),
        tls_required=None if policy is None else policy.tls_required,
        access_logging=logging_from(raw.logging),
        versioning_status=versioning,
        versioning_enabled=None if versioning is None else versioning == "Enabled",
        mfa_delete=(raw.versioning.get("MFADelete") == "Enabled") if raw.versioning.ok else None,
        public_access_block=bucket_block,
        account_public_access_block=account_block,
        has_policy=None if policy is None else policy.has_policy,
        public_acl_grants=grants,
        public_policy_statements=None if policy is None else policy.public_statements,
        acl_public=acl_public,
        policy_public=policy_public,
        public=public,
        acls_enabled=acls,
        object_acl_exposure=object_acl_exposure(acls, bucket_block, account_block),
        **_object_lock(raw.object_lock),
    )
    return task.resource(
        uid=raw.arn,
        kind=Bucket.KIND,
        native_type=BUCKET_TYPE,
        name=raw.name,
        props=props,
        tags=raw.tags,
        region=raw.region,
    )


def _policy_facts(task: AwsTask, raw: _RawBucket) -> PolicyFacts | None:
    if raw.policy.absent:
        return NO_POLICY
    if not raw.policy.ok:
        return None
    document = raw.policy.get("Policy", "")
    return parsed_or_gap(task, "GetBucketPolicy", raw.arn, lambda: policy_facts(document, raw.arn))


def policy_facts(document: str | Mapping[str, Any], bucket_arn: str) -> PolicyFacts:
    """Interpret a bucket policy; raises `PolicyParseError` for a malformed document."""
    public = tuple(stmt.sid or f"#{stmt.index}" for stmt in public_statements(document))
    tls = denies_insecure_transport(document, "s3", (bucket_arn, f"{bucket_arn}/*"))
    return PolicyFacts(has_policy=True, tls_required=tls, public_statements=public)


def public_acl_grants(acl: Fetched) -> tuple[str, ...] | None:
    """Grants to everyone or to any AWS account, as ``"AllUsers:READ"`` (None if unread)."""
    if not acl.ok:
        return None
    found = set()
    for grant in acl.get("Grants", []):
        group = PUBLIC_GROUPS.get(grant.get("Grantee", {}).get("URI", ""))
        if group:
            found.add(f"{group}:{grant.get('Permission', '')}")
    return tuple(sorted(found))


def block_from(fetched: Fetched) -> PublicAccessBlock | None:
    """The Block Public Access switches (all off when none are configured; None if unread)."""
    if fetched.absent:
        return OFF
    if not fetched.ok:
        return None
    config = fetched.get("PublicAccessBlockConfiguration", {})
    return PublicAccessBlock(
        block_public_acls=bool(config.get("BlockPublicAcls", False)),
        ignore_public_acls=bool(config.get("IgnorePublicAcls", False)),
        block_public_policy=bool(config.get("BlockPublicPolicy", False)),
        restrict_public_buckets=bool(config.get("RestrictPublicBuckets", False)),
    )


def acls_enabled(fetched: Fetched) -> bool | None:
    """Whether the bucket honours ACLs: False only under ``BucketOwnerEnforced``.

    A bucket without ownership controls (``OwnershipControlsNotFoundError``) predates the
    April 2023 default and keeps ACLs enabled (object writer owns its objects).
    """
    if fetched.absent:
        return True
    if not fetched.ok:
        return None
    rules = (fetched.get("OwnershipControls") or {}).get("Rules") or []
    settings = {str(r.get("ObjectOwnership")) for r in rules}
    if not settings:
        return None
    return "BucketOwnerEnforced" not in settings


def object_acl_exposure(
    acls: bool | None, bucket: PublicAccessBlock | None, account: PublicAccessBlock | None
) -> bool | None:
    """True when objects' own ACLs could make them public and nothing would ignore that.

    ACLs enabled and IgnorePublicAcls off at both bucket and account level: any object may
    carry an AllUsers grant that no bucket-level read can see.
    """
    ignored = _either(bucket, account, "ignore_public_acls")
    if acls is False or ignored is True:
        return False
    if acls is None or ignored is None:
        return None
    return True


def effective_exposure(
    grants: Sequence[str] | None,
    statements: Sequence[str] | None,
    bucket: PublicAccessBlock | None,
    account: PublicAccessBlock | None,
) -> tuple[bool | None, bool | None, bool | None]:
    """(public via ACL, public via policy, public at all) after Block Public Access.

    IgnorePublicAcls (bucket or account) neutralises public ACL grants; RestrictPublicBuckets
    limits a public policy to the owner's account and AWS services. BlockPublicAcls and
    BlockPublicPolicy only refuse *new* public settings, so they don't change what exists.
    Each answer is None when a fact it depends on could not be read.
    """
    acl = _exposed(grants, _either(bucket, account, "ignore_public_acls"))
    policy = _exposed(statements, _either(bucket, account, "restrict_public_buckets"))
    return acl, policy, _or3(acl, policy)


def _exposed(findings: Sequence[str] | None, neutralised: bool | None) -> bool | None:
    if findings is None:
        return None
    if not findings or neutralised is True:
        return False
    return None if neutralised is None else True


def _either(
    bucket: PublicAccessBlock | None, account: PublicAccessBlock | None, flag: str
) -> bool | None:
    return _or3(
        None if bucket is None else bool(getattr(bucket, flag)),
        None if account is None else bool(getattr(account, flag)),
    )


def _or3(a: bool | None, b: bool | None) -> bool | None:
    if a is True or b is True:
        return True
    if a is None or b is None:
        return None
    return False


def encryption_from(
    fetched: Fetched, customer_managed: bool | None, key_state: str | None = None
) -> BucketEncryption | None:
    """Default encryption; `customer_managed` and `key_state` are DescribeKey's answer.

    Since January 2023 S3 applies SSE-S3 to every bucket and GetBucketEncryption always
    answers. An older endpoint (or moto) answers ServerSideEncryptionConfigurationNotFoundError
    instead: that is read as "the platform default SSE-S3 applies", not as "unencrypted".
    """
    if fetched.absent:
        return BucketEncryption(
            enabled=True, algorithm="AES256", customer_managed_key=False, platform_default=True
        )
    if not fetched.ok:
        return None
    rule = _default_rule(fetched)
    algorithm = rule.get("SSEAlgorithm")
    if not algorithm:
        return BucketEncryption(enabled=False)
    key_id = rule.get("KMSMasterKeyID") or None
    if algorithm not in KMS_ALGORITHMS:
        cmk: bool | None = False
    elif key_id is None or _is_aws_managed(key_id):
        cmk = False  # SSE-KMS without a key id uses the AWS-managed aws/s3 key
    else:
        cmk = customer_managed
    state = key_state if cmk else None
    return BucketEncryption(
        enabled=True,
        algorithm=str(algorithm),
        kms_key_id=key_id,
        customer_managed_key=cmk,
        platform_default=False,
        bucket_key_enabled=_bucket_key(fetched),
        kms_key_state=state,
        kms_key_usable=key_usable(state),
    )


def _sse_rule(fetched: Fetched) -> Mapping[str, Any]:
    """The first encryption rule that sets a default (empty when none does)."""
    for rule in fetched.get("ServerSideEncryptionConfiguration", {}).get("Rules") or []:
        if rule.get("ApplyServerSideEncryptionByDefault"):
            return dict(rule)
    return {}


def _default_rule(fetched: Fetched) -> Mapping[str, Any]:
    return dict(_sse_rule(fetched).get("ApplyServerSideEncryptionByDefault", {}))


def _bucket_key(fetched: Fetched) -> bool | None:
    value = _sse_rule(fetched).get("BucketKeyEnabled")
    return None if value is None else bool(value)


def _is_aws_managed(key_id: str) -> bool:
    return key_id == AWS_MANAGED_ALIAS or key_id.endswith(f":{AWS_MANAGED_ALIAS}")


def logging_from(fetched: Fetched) -> AccessLogging | None:
    """Server access logging as read (off when the answer has no LoggingEnabled)."""
    if not fetched.ok:
        return None
    enabled = fetched.get("LoggingEnabled")
    if not enabled:
        return AccessLogging(enabled=False)
    return AccessLogging(
        enabled=True,
        target_bucket=enabled.get("TargetBucket"),
        target_prefix=enabled.get("TargetPrefix"),
    )


def _bucket_arn(task: AwsTask, name: str) -> str:
    return f"arn:{task.partition}:s3:::{name}"


def _key_arn(task: AwsTask, region: str, key_id: str) -> str:
    if key_id.startswith("arn:"):
        return key_id
    suffix = key_id if key_id.startswith("alias/") else f"key/{key_id}"
    return f"arn:{task.partition}:kms:{region}:{task.account}:{suffix}"
