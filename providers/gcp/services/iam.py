"""Project IAM: every binding (`iam.binding`), the audit-log configuration, service accounts.

The project's IAM policy is read once (version 3, so conditional bindings come back
whole); it yields one `iam.binding` per (role, member, condition) and the project's
`logging.audit_config` from its ``auditConfigs``. Service accounts are listed with their
user-managed keys (one keys call per account, concurrently); Google-managed keys rotate
on their own and are not listed.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

from providers.base import Fanout, collector
from providers.gcp.iam_facts import (
    ADMIN_ROLES,
    BASIC_ROLES,
    audit_configs,
    bindings,
    member_type,
)
from providers.gcp.task import GcpTask
from scanner.kinds.gcp import ServiceAccount, ServiceAccountKey
from scanner.kinds.iam import RoleBinding
from scanner.kinds.logging import AuditLogConfig
from scanner.model import Resource

BINDING_TYPE = "cloudresourcemanager.googleapis.com/IamBinding"
AUDIT_TYPE = "cloudresourcemanager.googleapis.com/AuditConfig"
SERVICE_ACCOUNT_TYPE = "iam.googleapis.com/ServiceAccount"

PROJECT_CALLS = {
    "cloudresourcemanager.projects.getIamPolicy": "resourcemanager.projects.getIamPolicy",
}
ACCOUNT_CALLS = {
    "iam.projects.serviceAccounts.list": "iam.serviceAccounts.list",
    "iam.projects.serviceAccounts.keys.list": "iam.serviceAccountKeys.list",
}


def project_uid(project: str) -> str:
    """The full resource name of a project."""
    return f"//cloudresourcemanager.googleapis.com/projects/{project}"


@collector(
    "cloudresourcemanager",
    fanout=Fanout.ACCOUNT,
    produces=(RoleBinding.KIND, AuditLogConfig.KIND),
    calls=PROJECT_CALLS,
)
def project_iam(task: GcpTask) -> Iterator[Resource[Any]]:
    """The project's IAM bindings and its audit-log configuration."""
    crm = task.service("cloudresourcemanager", "v1")
    scope = project_uid(task.project)
    fetched = task.execute(
        crm.projects().getIamPolicy(
            resource=task.project, body={"options": {"requestedPolicyVersion": 3}}
        ),
        resource_uid=scope,
    )
    policy = fetched.response
    yield task.resource(
        uid=f"{scope}/auditConfigs",
        kind=AuditLogConfig.KIND,
        native_type=AUDIT_TYPE,
        name=f"{task.project} audit logs",
        props=AuditLogConfig(services=None if policy is None else audit_configs(policy)),
    )
    if policy is None:
        return
    for role, member, condition in sorted(
        set(bindings(policy)), key=lambda b: (b[0], b[1], b[2] or "")
    ):
        suffix = f" if {condition}" if condition else ""
        yield task.resource(
            uid=f"{scope}/iamBindings/{role}/{member}{suffix}",
            kind=RoleBinding.KIND,
            native_type=BINDING_TYPE,
            name=f"{member} {role}{suffix}",
            props=RoleBinding(
                member=member,
                member_type=member_type(member),
                role=role,
                scope=scope,
                scope_level="project",
                owner_equivalent=role == "roles/owner",
                basic_role=role in BASIC_ROLES,
                admin_equivalent=role in ADMIN_ROLES,
                condition=condition,
            ),
        )


@collector("iam", fanout=Fanout.ACCOUNT, produces=(ServiceAccount.KIND,), calls=ACCOUNT_CALLS)
def service_accounts(task: GcpTask) -> Iterator[Resource[Any]]:
    """Every service account of the project and its user-managed keys."""
    iam = task.service("iam", "v1")
    accounts = task.pages(
        lambda token: (
            iam.projects().serviceAccounts().list(name=f"projects/{task.project}", pageToken=token)
        ),
        "accounts",
    )
    if accounts is None:
        return
    now = datetime.now(UTC)
    keys = task.map(lambda account: _keys(task, iam, account, now), accounts)
    for account, found in zip(accounts, keys, strict=True):
        email = str(account.get("email", ""))
        yield task.resource(
            uid=f"//iam.googleapis.com/projects/{task.project}/serviceAccounts/{email}",
            kind=ServiceAccount.KIND,
            native_type=SERVICE_ACCOUNT_TYPE,
            name=email,
            props=ServiceAccount(
                email=email, disabled=bool(account.get("disabled", False)), user_managed_keys=found
            ),
        )


def _keys(
    task: GcpTask, iam: Any, account: Mapping[str, Any], now: datetime
) -> tuple[ServiceAccountKey, ...] | None:
    email = str(account.get("email", ""))
    uid = f"//iam.googleapis.com/projects/{task.project}/serviceAccounts/{email}"
    fetched = task.execute(
        iam.projects()
        .serviceAccounts()
        .keys()
        .list(name=f"projects/{task.project}/serviceAccounts/{email}", keyTypes="USER_MANAGED"),
        resource_uid=uid,
    )
    if fetched.failed:
        return None
    found = [
        ServiceAccountKey(
            key_id=str(key.get("name", "")).rsplit("/", 1)[-1],
            age_days=age_days(key.get("validAfterTime"), now),
            disabled=bool(key.get("disabled", False)),
            expires=_expiry(key.get("validBeforeTime")),
        )
        for key in fetched.get("keys", [])
        if isinstance(key, Mapping) and key.get("keyType", "USER_MANAGED") == "USER_MANAGED"
    ]
    return tuple(sorted(found, key=lambda k: k.key_id))


def age_days(stamp: Any, now: datetime) -> int | None:
    """Whole days since an RFC 3339 time (None when missing or malformed)."""
    if not stamp:
        return None
    try:
        when = datetime.fromisoformat(str(stamp).replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0, (now - when).days)


def _expiry(stamp: Any) -> str | None:
    # Keys that never expire carry the year 9999.
    text = str(stamp or "")
    return None if not text or text.startswith("9999-") else text
