"""Pure helpers that read GCP IAM policies: who a member is, what a role can do.

No SDK here: the helpers take the JSON shapes the REST APIs return (``bindings`` of
``role`` + ``members`` + optional ``condition``; ``auditConfigs``), so they are tested
with plain dictionaries.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from scanner.kinds.iam import MemberType
from scanner.kinds.logging import ServiceAuditLogging

PUBLIC_MEMBERS = {
    "allUsers": MemberType.PUBLIC,
    "allAuthenticatedUsers": MemberType.ALL_AUTHENTICATED,
}
# Every member prefix Google documents for IAM policies. ``principal://`` and
# ``principalSet://`` are workforce or workload identity pools (one external identity, or a
# set of them, possibly every identity of a provider); ``projectOwner:`` / ``projectEditor:``
# / ``projectViewer:`` (Cloud Storage) are everyone holding that basic role on a project.
_PREFIXES = {
    "user": MemberType.USER,
    "group": MemberType.GROUP,
    "serviceAccount": MemberType.SERVICE,
    "domain": MemberType.DOMAIN,
    "principal": MemberType.FEDERATED,
    "principalSet": MemberType.FEDERATED,
    "projectOwner": MemberType.GROUP,
    "projectEditor": MemberType.GROUP,
    "projectViewer": MemberType.GROUP,
}
BASIC_ROLES = frozenset({"roles/owner", "roles/editor", "roles/viewer"})
# Roles that can change who has access to the project (set IAM policy, mint keys or
# tokens for service accounts, or act as any of them): a holder can grant itself anything.
ADMIN_ROLES = frozenset(
    {
        "roles/owner",
        "roles/editor",  # can act as, and create keys for, every service account
        "roles/resourcemanager.projectIamAdmin",
        "roles/resourcemanager.organizationAdmin",
        "roles/resourcemanager.folderAdmin",
        "roles/iam.securityAdmin",
        "roles/iam.serviceAccountAdmin",
        "roles/iam.serviceAccountKeyAdmin",
        "roles/iam.serviceAccountTokenCreator",
        "roles/iam.serviceAccountUser",
        "roles/iam.workloadIdentityUser",
        "roles/iam.roleAdmin",
    }
)


def member_type(member: str) -> MemberType:
    """The neutral type of an IAM member string (``user:a@b``, ``allUsers``...).

    A prefix Google does not document is `MemberType.OTHER`, which the rules judge as
    unknown (never as "not a person"): it may be a kind of member added after this code.
    """
    if member in PUBLIC_MEMBERS:
        return PUBLIC_MEMBERS[member]
    prefix = member.split(":", 1)[0]
    # Deleted identities keep their type: "deleted:user:x?uid=1".
    if prefix == "deleted":
        prefix = member.split(":", 2)[1] if member.count(":") >= 2 else prefix
    return _PREFIXES.get(prefix, MemberType.OTHER)


def is_public(member: str) -> bool:
    """True for ``allUsers`` and ``allAuthenticatedUsers``."""
    return member in PUBLIC_MEMBERS


def bindings(policy: Mapping[str, Any] | None) -> Iterator[tuple[str, str, str | None]]:
    """Every (role, member, condition title or expression) of an IAM policy."""
    for binding in (policy or {}).get("bindings") or []:
        if not isinstance(binding, Mapping):
            continue
        role = str(binding.get("role", ""))
        condition = binding.get("condition") or None
        label = None
        if isinstance(condition, Mapping):
            label = str(condition.get("title") or condition.get("expression") or "") or None
        for member in binding.get("members") or []:
            yield role, str(member), label


def public_grants(policies: Iterable[Mapping[str, Any] | None]) -> tuple[str, ...]:
    """``member:role`` for every public member of the policies, sorted, without repeats."""
    return tuple(
        sorted(
            {
                f"{member}:{role}"
                for policy in policies
                for role, member, _ in bindings(policy)
                if is_public(member)
            }
        )
    )


def audit_configs(policy: Mapping[str, Any] | None) -> tuple[ServiceAuditLogging, ...]:
    """The policy's ``auditConfigs`` as neutral per-service audit-logging facts.

    ``logType`` is a string in the discovery REST shape (``DATA_READ``) and an int enum
    in the GAPIC REST shape (1 ADMIN_READ, 2 DATA_WRITE, 3 DATA_READ); both are read.
    """
    found: list[ServiceAuditLogging] = []
    for config in (policy or {}).get("auditConfigs") or []:
        if not isinstance(config, Mapping):
            continue
        types: set[str] = set()
        exempted: set[str] = set()
        for entry in config.get("auditLogConfigs") or []:
            if not isinstance(entry, Mapping):
                continue
            kind = _LOG_TYPES.get(entry.get("logType"), str(entry.get("logType", "")))
            types.add(kind)
            exempted.update(str(m) for m in entry.get("exemptedMembers") or [])
        found.append(
            ServiceAuditLogging(
                service=str(config.get("service", "")),
                data_read="DATA_READ" in types,
                data_write="DATA_WRITE" in types,
                admin_read="ADMIN_READ" in types,
                exempted_members=tuple(sorted(exempted)),
            )
        )
    return tuple(sorted(found, key=lambda s: s.service))


_LOG_TYPES: dict[Any, str] = {1: "ADMIN_READ", 2: "DATA_WRITE", 3: "DATA_READ"}
