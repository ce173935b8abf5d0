"""Facts about identity and access management: policies, principals and account settings.

`iam.policy` is one customer-managed or inline policy document, already analysed for
statements that grant everything; `iam.principal` is a user or role with its sign-in
methods, long-term keys and trust policy; `iam.account` is the account singleton (root
user and password policy). Ages are whole days counted at collection time, so an offline
re-evaluation of a snapshot gives the same verdicts as the live scan.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import ClassVar


class PolicyType(enum.StrEnum):
    """Where a policy document lives."""

    MANAGED = "managed"  # a customer-managed policy (its default version)
    INLINE = "inline"  # embedded in one user, group or role


class PrincipalType(enum.StrEnum):
    """What kind of identity an `iam.principal` is."""

    USER = "user"
    ROLE = "role"


@dataclass(frozen=True)
class IamPolicy:
    """One identity policy document and what its Allow statements grant.

    `admin_statements` describes every statement that grants all actions on all resources
    (see `providers.aws.iam_analysis` for what counts); `service_wildcards` lists the
    ``service:*`` action patterns an Allow statement grants on every resource;
    `all_action_grants` describes the statements granting every action on named resources.
    Each is `None` when the document could not be read or parsed (and `all_action_grants`
    in snapshots written before it existed).
    """

    KIND: ClassVar[str] = "iam.policy"

    policy_type: PolicyType
    owner_arn: str | None  # the user/group/role an inline policy is embedded in
    owner_type: str | None  # "user", "group" or "role" for inline policies
    attachment_count: int | None  # managed policies only
    default_version: str | None  # managed policies only
    admin_statements: tuple[str, ...] | None
    service_wildcards: tuple[str, ...] | None
    all_action_grants: tuple[str, ...] | None = None
    # Allow statements letting the holder decrypt (or re-encrypt from) every key-management
    # key: ``kms:Decrypt``/``kms:ReEncryptFrom`` covered on every key; `None` if unreadable.
    kms_decrypt_all_keys: tuple[str, ...] | None = None


@dataclass(frozen=True)
class AccessKey:
    """One long-term access key of a user (never the secret: only its id and dates)."""

    key_id: str
    active: bool
    age_days: int | None  # whole days between creation and collection
    ever_used: bool | None  # None when the last-used record could not be read
    days_since_last_use: int | None  # None when never used or unreadable


@dataclass(frozen=True)
class IamPrincipal:
    """A user or role: how it signs in, what is attached to it, and who may assume it.

    Facts that cannot exist for a principal type are definite, not unknown: a role has
    no console password, MFA device or access key, and a user has no trust policy.
    """

    KIND: ClassVar[str] = "iam.principal"

    principal_type: PrincipalType
    path: str
    groups: tuple[str, ...]
    attached_policies: tuple[str, ...]  # managed policy ARNs attached directly
    inline_policies: tuple[str, ...]  # uids of the `iam.policy` resources embedded in it
    console_access: bool | None
    mfa_devices: int | None
    access_keys: tuple[AccessKey, ...] | None
    trust_open_statements: tuple[str, ...] | None  # roles: statements open to anyone
    trusted_principals: tuple[str, ...]  # roles: "AWS:arn...", "Service:ec2.amazonaws.com"
    # Every way the principal holds full (or admin-equivalent) access: its own attached
    # and inline policies and those of its groups, AWS-managed ones included; `None` when
    # a contributing policy could not be read and none of the readable ones grants it.
    admin_via: tuple[str, ...] | None = None
    # Roles: trust statements naming another account without an external id or an
    # organization condition (the confused-deputy guard); `None` when unreadable.
    trust_cross_account_unguarded: tuple[str, ...] | None = None
    # Users: the console password's use. `password_ever_used` is False when the password
    # was never used to sign in; `password_days_since_use` counts whole days since the last
    # sign-in and `password_age_days` since the password was created. Each is `None` when
    # unreadable or meaningless (no password; never used), and for roles.
    password_ever_used: bool | None = None
    password_days_since_use: int | None = None
    password_age_days: int | None = None


@dataclass(frozen=True)
class IamAccount:
    """The account-wide IAM settings: root user credentials and the password policy.

    `password_policy_exists` is False when the account has no password policy (AWS then
    applies only its weak default); the three password values are then `None`. When a
    policy exists, a reuse prevention or maximum age of 0 means "not enforced".
    """

    KIND: ClassVar[str] = "aws.iam_account"

    root_access_keys_present: bool | None
    root_mfa_enabled: bool | None
    password_policy_exists: bool | None
    password_min_length: int | None
    password_reuse_prevention: int | None
    password_max_age_days: int | None
    # From the credential report's root row: False when the root user has no password
    # (removed, e.g. by centralized root access); None when no report could be read.
    root_password_enabled: bool | None = None
    # The password policy's character classes; `None` when no policy or unreadable.
    password_require_uppercase: bool | None = None
    password_require_lowercase: bool | None = None
    password_require_numbers: bool | None = None
    password_require_symbols: bool | None = None
    # Whether a virtual (software) MFA device is assigned to the root user; with
    # `root_mfa_enabled` True and this False, root's MFA is a hardware device. `None` when
    # the virtual MFA devices could not be listed.
    root_virtual_mfa: bool | None = None


class MemberType(enum.StrEnum):
    """Who a role binding grants to, in every cloud's terms.

    ``public`` is anyone at all (GCP ``allUsers``); ``all-authenticated`` is anyone signed
    in to the cloud's identity service (GCP ``allAuthenticatedUsers``); ``service`` is a
    workload identity (GCP service account, Azure service principal or managed identity).
    """

    USER = "user"
    GROUP = "group"
    SERVICE = "service"
    DOMAIN = "domain"
    PUBLIC = "public"
    ALL_AUTHENTICATED = "all-authenticated"
    FEDERATED = "federated"
    OTHER = "other"


@dataclass(frozen=True)
class RoleBinding:
    """One grant of a role to one member at one scope.

    A GCP IAM binding member or an Azure role assignment: the shape every cloud that grants
    roles by binding fills.

    `scope` is the uid of the resource the grant is made on (a project, a subscription, a
    bucket...); `scope_level` says what it is (``organization``, ``folder``, ``project``,
    ``subscription``, ``resource-group``, ``resource``). `owner_equivalent` is whether the
    role can do everything on the scope, IAM included (GCP ``roles/owner``, Azure Owner);
    `basic_role` whether it is one of the broad legacy roles (GCP owner/editor/viewer,
    Azure Owner/Contributor/Reader); `admin_equivalent` whether it can change who has access
    (owner, IAM admin, User Access Administrator). `condition` is the binding's condition
    (title or expression), when one narrows it. `guest` is True for an external (guest)
    account, None where the cloud does not say.
    """

    KIND: ClassVar[str] = "iam.binding"

    member: str
    member_type: MemberType
    role: str
    scope: str
    scope_level: str
    owner_equivalent: bool | None
    basic_role: bool | None
    admin_equivalent: bool | None
    condition: str | None = None
    guest: bool | None = None
