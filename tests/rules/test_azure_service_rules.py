"""Unit tests for the Azure-only RBAC, subscription, SQL, Key Vault and App Service rules."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from scanner.engine import EvaluationConfig, evaluate
from scanner.kinds.azure import (
    AzureFlexibleServerDetail,
    AzureSqlDetail,
    AzureSubscription,
    DefenderPlan,
    RoleDefinition,
)
from scanner.kinds.database import DatabaseInstance
from scanner.kinds.iam import MemberType, RoleBinding
from scanner.kinds.kms import KeyVault
from scanner.kinds.web import WebApp
from scanner.model import Gap, Resource, Scope, Snapshot, Status
from tests.rules.support import rule_by_id

SUB = "1111aaaa-0000-4000-8000-00000000000a"


def res(props: Any, native_type: str, name: str = "x", uid: str | None = None) -> Resource[Any]:
    return Resource(
        uid=uid or f"/subscriptions/{SUB}/x/{name}",
        provider="azure",
        kind=props.KIND,
        native_type=native_type,
        account=SUB,
        region="eastus",
        name=name,
        props=props,
    )


def statuses(
    rule_id: str, resources: list[Resource[Any]], gaps: tuple[Gap, ...] = (), **params: Any
) -> dict[str, Status]:
    snapshot = Snapshot(
        tool_version="t",
        scope=Scope("azure", (SUB,), ("global",)),
        started_at="",
        finished_at="",
        resources=tuple(resources),
        gaps=gaps,
    )
    config = EvaluationConfig(params={rule_id: params})
    return {
        f.resource.uid: f.status
        for f in evaluate([snapshot], [rule_by_id(rule_id)], config).findings
    }


def status(rule_id: str, resource: Resource[Any], **params: Any) -> Status:
    return statuses(rule_id, [resource], **params)[resource.uid]


# --- SQL -----------------------------------------------------------------------------------
SQL_GOOD = AzureSqlDetail(
    public_network_access="Enabled",
    minimal_tls_version="1.2",
    auditing_enabled=True,
    audit_destinations=("azure-monitor",),
    firewall_rules=(),
    internet_rules=(),
    allows_azure_services=False,
    databases_without_tde=(),
)


def sql(detail: AzureSqlDetail) -> Resource[Any]:
    props = DatabaseInstance(
        engine="sqlserver",
        engine_version="12.0",
        encrypted_at_rest=True,
        kms_key_id=None,
        tls_enforced=True,
        tls_parameter=None,
        tls_parameter_value=None,
        tls_source=None,
        parameter_group=None,
        publicly_accessible=True,
        backup_retention_days=None,
        high_availability=None,
        deletion_protection=None,
        log_exports=None,
        audit_log_exports=None,
        azure=detail,
    )
    return res(props, "Microsoft.Sql/servers")


@pytest.mark.parametrize(
    ("rule_id", "bad", "unknown"),
    [
        ("EIT-AZSQL-01", {"minimal_tls_version": "1.0"}, {"minimal_tls_version": None}),
        ("PUB-AZSQL-01", {"internet_rules": ("all",)}, {"internet_rules": None}),
        ("PUB-AZSQL-02", {"allows_azure_services": True}, {"allows_azure_services": None}),
        ("EAR-AZSQL-01", {"databases_without_tde": ("db",)}, {"databases_without_tde": None}),
        ("LOG-AZSQL-01", {"auditing_enabled": False}, {"auditing_enabled": None}),
    ],
)
def test_sql_rules_pass_fail_unknown(
    rule_id: str, bad: dict[str, Any], unknown: dict[str, Any]
) -> None:
    assert status(rule_id, sql(SQL_GOOD)) is Status.PASS
    assert status(rule_id, sql(replace(SQL_GOOD, **bad))) is Status.FAIL
    assert status(rule_id, sql(replace(SQL_GOOD, **unknown))) is Status.UNKNOWN


def test_sql_no_minimum_tls_fails_and_private_servers_pass_firewall_rules() -> None:
    assert status("EIT-AZSQL-01", sql(replace(SQL_GOOD, minimal_tls_version="None"))) is Status.FAIL
    private = replace(
        SQL_GOOD,
        public_network_access="Disabled",
        internet_rules=("all",),
        allows_azure_services=True,
    )
    assert status("PUB-AZSQL-01", sql(private)) is Status.PASS
    assert status("PUB-AZSQL-02", sql(private)) is Status.PASS


# --- Key Vault -----------------------------------------------------------------------------
VAULT = KeyVault(
    soft_delete=True,
    purge_protection=True,
    public_network_access=False,
    keys_without_expiry=(),
    keys_without_rotation=(),
    log_categories=("audit",),
)


@pytest.mark.parametrize(
    ("rule_id", "bad", "unknown"),
    [
        ("BAK-AZKEYVAULT-01", {"purge_protection": False}, {"purge_protection": None}),
        ("PUB-AZKEYVAULT-01", {"public_network_access": True}, {"public_network_access": None}),
        ("EAR-AZKEYVAULT-01", {"keys_without_rotation": ("k",)}, {"keys_without_expiry": None}),
        (
            "LOG-AZKEYVAULT-01",
            {"log_categories": ("AzurePolicyEvaluationDetails",)},
            {"log_categories": None},
        ),
    ],
)
def test_key_vault_rules_pass_fail_unknown(
    rule_id: str, bad: dict[str, Any], unknown: dict[str, Any]
) -> None:
    native = "Microsoft.KeyVault/vaults"
    assert status(rule_id, res(VAULT, native)) is Status.PASS
    assert status(rule_id, res(replace(VAULT, **bad), native)) is Status.FAIL
    assert status(rule_id, res(replace(VAULT, **unknown), native)) is Status.UNKNOWN


# --- App Service ---------------------------------------------------------------------------
APP = WebApp(https_only=True, min_tls_version="1.2", ftp_state="ftps-only")


@pytest.mark.parametrize(
    ("rule_id", "bad", "unknown"),
    [
        ("EIT-AZWEBAPP-01", {"https_only": False}, {"https_only": None}),
        ("EIT-AZWEBAPP-02", {"min_tls_version": "1.1"}, {"min_tls_version": None}),
        ("EIT-AZWEBAPP-03", {"ftp_state": "all"}, {"ftp_state": None}),
    ],
)
def test_web_app_rules_pass_fail_unknown(
    rule_id: str, bad: dict[str, Any], unknown: dict[str, Any]
) -> None:
    native = "Microsoft.Web/sites"
    assert status(rule_id, res(APP, native)) is Status.PASS
    assert status(rule_id, res(replace(APP, **bad), native)) is Status.FAIL
    assert status(rule_id, res(replace(APP, **unknown), native)) is Status.UNKNOWN


# --- subscription --------------------------------------------------------------------------
SUBSCRIPTION = AzureSubscription(
    display_name="prod",
    state="Enabled",
    activity_log_categories=("Administrative", "Policy", "Security"),
    defender_plans=(
        DefenderPlan("SqlServers", "Standard"),
        DefenderPlan("StorageAccounts", "Standard"),
        DefenderPlan("VirtualMachines", "Standard"),
    ),
    co_administrators=(),
)


def subscription(props: AzureSubscription = SUBSCRIPTION) -> Resource[Any]:
    return res(props, "Microsoft.Resources/subscriptions", "prod", f"/subscriptions/{SUB}")


@pytest.mark.parametrize(
    ("rule_id", "bad", "unknown"),
    [
        (
            "LOG-AZACTIVITY-01",
            {"activity_log_categories": ("Administrative",)},
            {"activity_log_categories": None},
        ),
        (
            "LOG-AZDEFENDER-01",
            {"defender_plans": (DefenderPlan("SqlServers", "Free"),)},
            {"defender_plans": None},
        ),
        (
            "IAM-AZCLASSIC-01",
            {"co_administrators": ("a@example.com",)},
            {"co_administrators": None},
        ),
    ],
)
def test_subscription_rules_pass_fail_unknown(
    rule_id: str, bad: dict[str, Any], unknown: dict[str, Any]
) -> None:
    assert status(rule_id, subscription()) is Status.PASS
    assert status(rule_id, subscription(replace(SUBSCRIPTION, **bad))) is Status.FAIL
    assert status(rule_id, subscription(replace(SUBSCRIPTION, **unknown))) is Status.UNKNOWN


def test_activity_log_all_logs_group_passes() -> None:
    props = replace(SUBSCRIPTION, activity_log_categories=("allLogs",))
    assert status("LOG-AZACTIVITY-01", subscription(props)) is Status.PASS


# --- RBAC ----------------------------------------------------------------------------------
def binding(
    member: str, member_type: MemberType, *, admin: bool | None = True, level: str = "subscription"
) -> Resource[Any]:
    props = RoleBinding(
        member=member,
        member_type=member_type,
        role="Owner",
        scope=f"/subscriptions/{SUB}",
        scope_level=level,
        owner_equivalent=admin,
        basic_role=True,
        admin_equivalent=admin,
    )
    return res(
        props,
        "Microsoft.Authorization/roleAssignments",
        member,
        f"/subscriptions/{SUB}/ra/{member}",
    )


def owners(bindings: list[Resource[Any]], gaps: tuple[Gap, ...] = (), **params: Any) -> Status:
    sub = subscription()
    return statuses("IAM-AZOWNER-01", [sub, *bindings], gaps, **params)[sub.uid]


def test_subscription_owners() -> None:
    users = [binding(f"u{i}", MemberType.USER) for i in range(3)]
    assert owners(users) is Status.PASS
    assert owners(users, max_owners=2) is Status.FAIL
    assert owners([*users[:1], binding("sp", MemberType.SERVICE)]) is Status.FAIL
    # Below the subscription, or not admin: not counted.
    assert (
        owners(
            [
                *users,
                binding("rg", MemberType.SERVICE, level="resource-group"),
                binding("c", MemberType.SERVICE, admin=False),
            ]
        )
        is Status.PASS
    )
    # Inherited from a management group: counted.
    assert owners([*users, binding("mg", MemberType.USER, level="management-group")]) is Status.FAIL
    assert owners([*users[:1], binding("?", MemberType.USER, admin=None)]) is Status.UNKNOWN
    gap = Gap(
        provider="azure",
        account=SUB,
        region="global",
        service="authorization",
        operation="Microsoft.Authorization/roleAssignments",
        error_code="AuthorizationFailed",
        message="denied",
    )
    assert owners(users[:1], (gap,)) is Status.UNKNOWN


def test_custom_role_wildcards() -> None:
    def role(wildcards: tuple[str, ...]) -> Resource[Any]:
        props = RoleDefinition(
            role_name="r",
            custom=True,
            actions=("*",),
            not_actions=(),
            data_actions=(),
            assignable_scopes=(),
            wildcard_actions=wildcards,
        )
        return res(props, "Microsoft.Authorization/roleDefinitions")

    assert status("IAM-AZROLE-01", role(("*",))) is Status.FAIL
    assert status("IAM-AZROLE-01", role(())) is Status.PASS


# --- flexible servers ----------------------------------------------------------------------
FLEX = AzureFlexibleServerDetail(
    public_network_access="Enabled",
    require_secure_transport=True,
    minimum_tls_version="TLSv1.2",
    firewall_rules=(),
    internet_rules=(),
    allows_azure_services=False,
    backup_retention_days=14,
    geo_redundant_backup=True,
)


def flexible(detail: AzureFlexibleServerDetail) -> Resource[Any]:
    props = replace(sql(SQL_GOOD).props, engine="postgres", azure=None, azure_flexible=detail)
    return res(props, "Microsoft.DBforPostgreSQL/flexibleServers")


@pytest.mark.parametrize(
    ("rule_id", "bad", "unknown"),
    [
        (
            "EIT-AZFLEXDB-01",
            {"require_secure_transport": False},
            {"require_secure_transport": None},
        ),
        ("PUB-AZFLEXDB-01", {"internet_rules": ("all",)}, {"internet_rules": None}),
        ("BAK-AZFLEXDB-01", {"backup_retention_days": 3}, {"backup_retention_days": None}),
        ("BAK-AZFLEXDB-02", {"geo_redundant_backup": False}, {"geo_redundant_backup": None}),
    ],
)
def test_flexible_server_rules_pass_fail_unknown(
    rule_id: str, bad: dict[str, Any], unknown: dict[str, Any]
) -> None:
    assert status(rule_id, flexible(FLEX)) is Status.PASS
    assert status(rule_id, flexible(replace(FLEX, **bad))) is Status.FAIL
    assert status(rule_id, flexible(replace(FLEX, **unknown))) is Status.UNKNOWN


def test_flexible_tls_below_minimum_fails_and_sql_rules_skip_flexible_servers() -> None:
    assert (
        status("EIT-AZFLEXDB-01", flexible(replace(FLEX, minimum_tls_version="TLSv1.1")))
        is Status.FAIL
    )
    assert statuses("EAR-AZSQL-01", [flexible(FLEX)]) == {}
    assert statuses("EIT-AZFLEXDB-01", [sql(SQL_GOOD)]) == {}
