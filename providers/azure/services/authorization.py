"""Azure RBAC: role assignments as `iam.binding`, custom role definitions as their own kind.

Assignments are listed at each subscription (ARM includes those inherited from management
groups and those on resource groups and resources below). Principal types come from ARM
(``User``, ``Group``, ``ServicePrincipal``...); whether a user is a guest needs Microsoft
Graph, which this scanner does not call, so `guest` stays None.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from typing import Any

from providers.azure.task import AzureTask, uid
from providers.base import Fanout, collector
from scanner.kinds.azure import RoleDefinition
from scanner.kinds.iam import MemberType, RoleBinding
from scanner.model import Resource

API_VERSION = "2022-04-01"
ASSIGNMENT_TYPE = "Microsoft.Authorization/roleAssignments"
DEFINITION_TYPE = "Microsoft.Authorization/roleDefinitions"

# Built-in role definition GUIDs (the same in every tenant).
OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c"
READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7"
USER_ACCESS_ADMINISTRATOR = "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9"
RBAC_ADMINISTRATOR = "f58310d9-a9f6-439a-9e8d-f62e7b41a168"
BUILT_IN_NAMES = {
    OWNER: "Owner",
    CONTRIBUTOR: "Contributor",
    READER: "Reader",
    USER_ACCESS_ADMINISTRATOR: "User Access Administrator",
    RBAC_ADMINISTRATOR: "Role Based Access Control Administrator",
}
BASIC = {OWNER, CONTRIBUTOR, READER}
ACCESS_ADMINS = {OWNER, USER_ACCESS_ADMINISTRATOR, RBAC_ADMINISTRATOR}
MEMBER_TYPES = {
    "user": MemberType.USER,
    "group": MemberType.GROUP,
    "serviceprincipal": MemberType.SERVICE,
    "foreigngroup": MemberType.GROUP,
}
# The action that lets a principal change who has access (grant itself any role).
ACCESS_WRITE = "Microsoft.Authorization/roleAssignments/write"

CALLS = {
    "GET Microsoft.Authorization/roleAssignments": "Microsoft.Authorization/roleAssignments/read",
    "GET Microsoft.Authorization/roleDefinitions": "Microsoft.Authorization/roleDefinitions/read",
}


@collector(
    "authorization",
    fanout=Fanout.ACCOUNT,
    produces=(RoleBinding.KIND, RoleDefinition.KIND),
    calls=CALLS,
)
def role_assignments(task: AzureTask) -> Iterator[Resource[Any]]:
    """Every role assignment visible at the subscription, and its custom role definitions."""
    base = f"{task.sub_path}/providers/Microsoft.Authorization"
    definitions = task.list(f"{base}/roleDefinitions", API_VERSION)
    by_guid = {_guid(str(d.get("id") or d.get("name") or "")): d for d in definitions or []}
    for item in definitions or []:
        props = item.get("properties") or {}
        if str(props.get("type") or "").lower() == "customrole":
            yield _definition(task, item)
    for item in task.list(f"{base}/roleAssignments", API_VERSION) or []:
        yield _binding(task, item, by_guid)


def _guid(resource_id: str) -> str:
    return resource_id.rstrip("/").rsplit("/", 1)[-1].lower()


def _permissions(definition: Mapping[str, Any]) -> tuple[list[str], list[str], list[str]]:
    actions: list[str] = []
    not_actions: list[str] = []
    data: list[str] = []
    for block in (definition.get("properties") or {}).get("permissions") or []:
        actions += [str(a) for a in block.get("actions") or []]
        not_actions += [str(a) for a in block.get("notActions") or []]
        data += [str(a) for a in block.get("dataActions") or []]
    return actions, not_actions, data


@lru_cache(maxsize=1024)
def _pattern(action: str) -> re.Pattern[str]:
    # Azure's wildcard: `*` is any run of characters, `/` included; case does not matter.
    return re.compile(".*".join(re.escape(part) for part in action.split("*")), re.IGNORECASE)


def action_matches(pattern: str, action: str) -> bool:
    """True when the action pattern `pattern` (``Microsoft.Authorization/*/write``) names `action`.

    Azure matches actions and NotActions case-insensitively, with ``*`` standing for any
    characters including ``/``.
    """
    return _pattern(pattern.strip()).fullmatch(action) is not None


def grants(actions: Iterable[str], not_actions: Iterable[str], action: str) -> bool:
    """True when a permission block allowing `actions` less `not_actions` allows `action`."""
    return any(action_matches(a, action) for a in actions) and not any(
        action_matches(n, action) for n in not_actions
    )


def wildcard_actions(actions: list[str], not_actions: list[str]) -> tuple[str, ...]:
    """Actions granting everything (``*``) or a whole provider (``Microsoft.Storage/*``).

    A ``*`` whose NotActions carve out anything still grants nearly everything: it stays.
    """
    found = [a for a in actions if a == "*" or (a.endswith("/*") and a.count("/") == 1)]
    excluded = {n.lower() for n in not_actions}
    return tuple(sorted(a for a in found if a == "*" or a.lower() not in excluded))


def _definition(task: AzureTask, item: Mapping[str, Any]) -> Resource[RoleDefinition]:
    props = item.get("properties") or {}
    actions, not_actions, data = _permissions(item)
    return task.resource(
        uid=uid(str(item["id"])),
        kind=RoleDefinition.KIND,
        native_type=DEFINITION_TYPE,
        name=str(props.get("roleName") or item.get("name")),
        props=RoleDefinition(
            role_name=str(props.get("roleName") or ""),
            custom=True,
            actions=tuple(actions),
            not_actions=tuple(not_actions),
            data_actions=tuple(data),
            assignable_scopes=tuple(uid(str(s)) for s in props.get("assignableScopes") or []),
            wildcard_actions=wildcard_actions(actions, not_actions),
        ),
    )


def scope_level(scope: str) -> str:
    """What an assignment's scope is: root, management-group, subscription, group, resource."""
    parts = [p.lower() for p in scope.strip("/").split("/") if p]
    if not parts:
        return "root"
    if parts[:3] == ["providers", "microsoft.management", "managementgroups"]:
        return "management-group"
    if parts[0] == "subscriptions" and len(parts) == 2:
        return "subscription"
    if parts[0] == "subscriptions" and len(parts) == 4 and parts[2] == "resourcegroups":
        return "resource-group"
    return "resource"


def _binding(
    task: AzureTask, item: Mapping[str, Any], definitions: Mapping[str, Any]
) -> Resource[RoleBinding]:
    props = item.get("properties") or {}
    guid = _guid(str(props.get("roleDefinitionId") or ""))
    definition = definitions.get(guid)
    role_name = (
        str(((definition or {}).get("properties") or {}).get("roleName") or "")
        or BUILT_IN_NAMES.get(guid)
        or guid
    )
    admin: bool | None
    owner: bool | None
    if guid in BUILT_IN_NAMES:
        owner, admin = guid == OWNER, guid in ACCESS_ADMINS
    elif definition is not None:
        actions, not_actions, _ = _permissions(definition)
        owner = "*" in actions and not not_actions
        # Each permission block grants on its own: another block's NotActions do not narrow it.
        admin = any(
            grants(
                [str(a) for a in block.get("actions") or []],
                [str(n) for n in block.get("notActions") or []],
                ACCESS_WRITE,
            )
            for block in (definition.get("properties") or {}).get("permissions") or []
        )
    else:
        # The definition could not be read, or lives where the subscription's list does
        # not show it: what the role allows is unknown.
        owner = admin = None
    principal_type = str(props.get("principalType") or "")
    scope = str(props.get("scope") or "")
    return task.resource(
        uid=uid(str(item["id"])),
        kind=RoleBinding.KIND,
        native_type=ASSIGNMENT_TYPE,
        name=f"{role_name} for {principal_type or 'principal'} {props.get('principalId')}",
        props=RoleBinding(
            member=str(props.get("principalId") or ""),
            member_type=MEMBER_TYPES.get(principal_type.lower(), MemberType.OTHER),
            role=role_name,
            scope=uid(scope) if scope != "/" else "/",
            scope_level=scope_level(scope),
            owner_equivalent=owner,
            basic_role=guid in BASIC,
            admin_equivalent=admin,
            condition=str(props["condition"]) if props.get("condition") else None,
            guest=None,
        ),
    )
