"""Object-storage facts: buckets and the account-wide public-access switch.

Buckets are S3 today; GCS buckets and Azure blob storage will reuse the same kinds.

The names are provider-neutral on purpose: a rule written against `storage.bucket` judges
every cloud's buckets. A fact that could not be read is `None`; `False` or an empty tuple
means "read, and not configured".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from scanner.kinds.azure import AzureStorageDetail
from scanner.kinds.gcp import GcsDetail


@dataclass(frozen=True)
class PublicAccessBlock:
    """The four Block Public Access switches (bucket-level or account-level)."""

    block_public_acls: bool
    ignore_public_acls: bool
    block_public_policy: bool
    restrict_public_buckets: bool

    @property
    def all_enabled(self) -> bool:
        """True when all four switches are on."""
        return (
            self.block_public_acls
            and self.ignore_public_acls
            and self.block_public_policy
            and self.restrict_public_buckets
        )

    @property
    def disabled_settings(self) -> tuple[str, ...]:
        """The names (as the API spells them) of the switches that are off."""
        flags = {
            "BlockPublicAcls": self.block_public_acls,
            "IgnorePublicAcls": self.ignore_public_acls,
            "BlockPublicPolicy": self.block_public_policy,
            "RestrictPublicBuckets": self.restrict_public_buckets,
        }
        return tuple(name for name, on in flags.items() if not on)


OFF = PublicAccessBlock(False, False, False, False)


@dataclass(frozen=True)
class BucketEncryption:
    """A bucket's default encryption at rest.

    `platform_default` is True when the bucket has no encryption configuration of its own
    and the cloud's always-on default applies (S3 encrypts every new object with SSE-S3
    since January 2023). `customer_managed_key` is None when the key could not be inspected.
    `kms_key_state`/`kms_key_usable` describe that key as `Key.key_state`/`Key.usable` do
    (`None` when it could not be inspected, or no key is used).
    """

    enabled: bool
    algorithm: str | None = None
    kms_key_id: str | None = None
    customer_managed_key: bool | None = None
    platform_default: bool = False
    bucket_key_enabled: bool | None = None
    kms_key_state: str | None = None
    kms_key_usable: bool | None = None


@dataclass(frozen=True)
class AccessLogging:
    """Server access logging: on or off, and where the logs go."""

    enabled: bool
    target_bucket: str | None = None
    target_prefix: str | None = None


@dataclass(frozen=True)
class Bucket:
    """An object-storage bucket and the facts HIPAA rules judge.

    `public` is the effective exposure: public ACL grants or public policy statements,
    after the bucket-level and account-level Block Public Access switches are applied.
    `acl_public` / `policy_public` are the same split by source; `public_acl_grants`
    (``"AllUsers:READ"``) and `public_policy_statements` (Sid, or ``#<index>``) are the
    raw findings before Block Public Access is applied. On Azure the container access
    levels are the ACL grants (``name:Blob``) and the account's ``allowBlobPublicAccess``
    plays Block Public Access; `azure` holds the storage account's own settings.
    """

    KIND: ClassVar[str] = "storage.bucket"

    encryption: BucketEncryption | None = None
    tls_required: bool | None = None
    access_logging: AccessLogging | None = None
    versioning_status: str | None = None
    versioning_enabled: bool | None = None
    mfa_delete: bool | None = None
    public_access_block: PublicAccessBlock | None = None
    account_public_access_block: PublicAccessBlock | None = None
    has_policy: bool | None = None
    public_acl_grants: tuple[str, ...] | None = None
    public_policy_statements: tuple[str, ...] | None = None
    acl_public: bool | None = None
    policy_public: bool | None = None
    public: bool | None = None
    # Whether the bucket honours ACLs at all (False: ACLs disabled, the owner owns every
    # object); and whether objects' own ACLs could expose them with nothing ignoring them.
    acls_enabled: bool | None = None
    object_acl_exposure: bool | None = None
    azure: AzureStorageDetail | None = None
    gcp: GcsDetail | None = None
    # Object Lock (write once, read many): whether it is on for the bucket, and the mode
    # of its default retention (None without one). `None` when unread.
    object_lock_enabled: bool | None = None
    object_lock_default_mode: str | None = None


@dataclass(frozen=True)
class AccountPublicAccess:
    """The account-wide Block Public Access switches for object storage."""

    KIND: ClassVar[str] = "aws.account_public_access"

    public_access_block: PublicAccessBlock | None = None
