"""RBAC, subscription, SQL, Key Vault and App Service read through the fake ARM."""

from __future__ import annotations

import fnmatch
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from providers.azure.demo_estate import (
    AUTH,
    CUSTOM_ALL,
    CUSTOM_NARROW,
    CUSTOM_STORAGE,
    MYSQL,
    PG,
    RG_A,
    SUB_A,
    SUB_B,
    assignment,
    assignment_uid,
    blob_service,
    definition_uid,
    flexible_id,
    role_definition,
    seed_account,
    seed_everything,
    site_id,
    sql_server_id,
    storage_account,
    sub_path,
    vault_id,
)
from providers.azure.fake_arm import FakeArm
from providers.azure.services.authorization import action_matches, grants, wildcard_actions
from providers.azure.services.sql import internet_rules
from scanner.engine import EvaluationConfig, evaluate
from scanner.kinds.azure import DefenderPlan, SqlFirewallRule
from scanner.kinds.iam import MemberType
from scanner.model import Snapshot, Status
from tests.providers.azure.conftest import by_uid, scan
from tests.rules.support import rule_by_id

MG = "/providers/Microsoft.Management/managementGroups/nwh-root"


def test_role_assignments_and_custom_roles(arm: FakeArm) -> None:
    seed_everything(arm)
    snapshot = scan(arm, [SUB_A, SUB_B])
    assert snapshot.gaps == ()
    found = by_uid(snapshot)
    definitions = {u: r.props for u, r in found.items() if r.kind == "azure.role_definition"}
    assert {u: d.wildcard_actions for u, d in definitions.items()} == {
        definition_uid(SUB_A, CUSTOM_ALL): ("*",),
        definition_uid(SUB_A, CUSTOM_STORAGE): ("Microsoft.Storage/*",),
        definition_uid(SUB_A, CUSTOM_NARROW): (),
    }
    bindings = {u: r.props for u, r in found.items() if r.kind == "iam.binding"}
    root = sub_path(SUB_A)
    owner_sp = bindings[assignment_uid(root, "a0000000-0000-4000-8000-000000000002")]
    assert (owner_sp.role, owner_sp.member, owner_sp.member_type) == (
        "Owner",
        "sp-1",
        MemberType.SERVICE,
    )
    assert (owner_sp.scope_level, owner_sp.owner_equivalent, owner_sp.admin_equivalent) == (
        "subscription",
        True,
        True,
    )
    contributor = bindings[
        assignment_uid(f"{root}/resourceGroups/{RG_A}", "a0000000-0000-4000-8000-000000000003")
    ]
    assert (
        contributor.scope_level,
        contributor.owner_equivalent,
        contributor.basic_role,
        contributor.admin_equivalent,
    ) == ("resource-group", False, True, False)
    inherited = bindings[assignment_uid(MG, "a0000000-0000-4000-8000-000000000004")]
    assert inherited.scope_level == "management-group"
    uaa = bindings[assignment_uid(sub_path(SUB_B), "b0000000-0000-4000-8000-000000000001")]
    # Subscription B's definitions are not seeded (an empty list): the built-in table names it.
    assert (uaa.role, uaa.admin_equivalent, uaa.owner_equivalent) == (
        "User Access Administrator",
        True,
        False,
    )


def test_unreadable_role_definitions_leave_custom_roles_unknown(arm: FakeArm) -> None:
    seed_everything(arm)
    arm.put_list(
        f"{sub_path(SUB_A)}/{AUTH}/roleAssignments",
        [
            {
                "id": f"{sub_path(SUB_A)}/{AUTH}/roleAssignments/x",
                "name": "x",
                "properties": {
                    "roleDefinitionId": f"/subscriptions/{SUB_A}/{AUTH}/roleDefinitions/"
                    f"{CUSTOM_ALL}",
                    "principalId": "u",
                    "principalType": "User",
                    "scope": sub_path(SUB_A),
                },
            }
        ],
    )
    arm.fail(f"{sub_path(SUB_A)}/{AUTH}/roleDefinitions", 403, "AuthorizationFailed")
    snapshot = scan(arm, [SUB_A])
    [binding] = [r.props for r in snapshot.resources if r.kind == "iam.binding"]
    assert (binding.owner_equivalent, binding.admin_equivalent) == (None, None)
    assert {(g.operation, g.error_code) for g in snapshot.gaps} == {
        ("Microsoft.Authorization/roleDefinitions", "AuthorizationFailed")
    }


def test_wildcards_survive_not_actions_only_for_star() -> None:
    assert wildcard_actions(["*"], ["Microsoft.Authorization/*"]) == ("*",)
    assert wildcard_actions(["Microsoft.Sql/*"], ["Microsoft.Sql/*"]) == ()
    assert wildcard_actions(["Microsoft.Sql/servers/*"], []) == ()


def test_subscription_activity_log_and_defender(arm: FakeArm) -> None:
    seed_everything(arm)
    found = by_uid(scan(arm, [SUB_A, SUB_B]))
    a = found[sub_path(SUB_A).lower()].props
    assert a.display_name == "NWH Production"
    assert a.activity_log_categories == ("Administrative", "Alert", "Policy", "Security")
    b = found[sub_path(SUB_B).lower()].props
    assert b.activity_log_categories == ()  # a setting that sends nowhere exports nothing
    assert DefenderPlan("SqlServers", "Free") in b.defender_plans
    # The service administrator is not a co-administrator.
    assert (a.co_administrators, b.co_administrators) == ((), ("legacy@nwh.example",))


def test_sql_servers(arm: FakeArm) -> None:
    seed_everything(arm)
    found = by_uid(scan(arm, [SUB_A]))
    good = found[sql_server_id(SUB_A, RG_A, "nwh-sql-good").lower()].props
    assert (good.encrypted_at_rest, good.publicly_accessible) == (True, False)
    assert (good.azure.auditing_enabled, good.azure.internet_rules) == (True, ())
    opened = found[sql_server_id(SUB_A, RG_A, "nwh-sql-open").lower()].props
    # Two half ranges add up to the internet.
    assert opened.azure.internet_rules == ("high-half", "low-half")
    assert (opened.azure.minimal_tls_version, opened.azure.auditing_enabled) == ("1.0", False)
    assert opened.audit_log_exports == ()
    azure = found[sql_server_id(SUB_A, RG_A, "nwh-sql-azure").lower()].props
    assert (azure.azure.allows_azure_services, azure.azure.internet_rules) == (True, ())
    assert azure.azure.databases_without_tde == ("billing",)
    assert azure.encrypted_at_rest is False


def test_sql_unreadable_tde_is_unknown(arm: FakeArm) -> None:
    seed_everything(arm)
    server = sql_server_id(SUB_A, RG_A, "nwh-sql-good")
    arm.fail(
        f"{server}/databases/records/transparentDataEncryption/current", 403, "AuthorizationFailed"
    )
    props = by_uid(scan(arm, [SUB_A]))[server.lower()].props
    assert (props.encrypted_at_rest, props.azure.databases_without_tde) == (None, None)


def test_internet_rules_use_the_netcoverage_threshold() -> None:
    def rule(name: str, start: str, end: str) -> SqlFirewallRule:
        return SqlFirewallRule(name, start, end)

    assert internet_rules([rule("all", "0.0.0.0", "255.255.255.255")]) == ("all",)
    assert internet_rules(
        [rule("a", "1.0.0.0", "100.0.0.0"), rule("b", "100.0.0.1", "223.255.255.255")]
    ) == ("a", "b")
    # Deliberately changed: this used to pin the old threshold (all of 1.0.0.0-223.255.255.255
    # or nothing), under which a set missing one address (100.0.0.1) passed.
    assert internet_rules(
        [rule("a", "1.0.0.0", "100.0.0.0"), rule("b", "100.0.0.2", "223.255.255.255")]
    ) == ("a", "b")
    assert internet_rules([rule("most", "1.0.0.0", "223.255.255.254")]) == ("most",)
    # Rules that are not part of a block wide enough to be the internet are not named.
    assert internet_rules(
        [rule("wide", "0.0.0.0", "127.255.255.255"), rule("office", "203.0.113.0", "203.0.113.255")]
    ) == ("wide",)
    # The near miss: public ranges no wider than a /8 are not the internet.
    assert internet_rules([rule("one-8", "11.0.0.0", "11.255.255.255")]) == ()
    assert internet_rules([rule("private", "10.0.0.0", "10.255.255.255")]) == ()
    # 0.0.0.0-0.0.0.0 is "Allow Azure services" (PUB-AZSQL-02), not an address range.
    assert internet_rules([rule("azure", "0.0.0.0", "0.0.0.0")]) == ()
    assert internet_rules([rule("backwards", "9.0.0.0", "1.0.0.0")]) == ()


def test_key_vaults_and_web_apps(arm: FakeArm) -> None:
    seed_everything(arm)
    found = by_uid(scan(arm, [SUB_A]))
    good = found[vault_id(SUB_A, RG_A, "nwh-kv").lower()].props
    assert (good.soft_delete, good.purge_protection, good.public_network_access) == (
        True,
        True,
        False,
    )
    assert (good.keys_without_expiry, good.keys_without_rotation) == ((), ())
    assert good.log_categories == ("AuditEvent",)
    legacy = found[vault_id(SUB_A, RG_A, "nwh-kv-legacy").lower()].props
    assert (legacy.purge_protection, legacy.public_network_access) == (False, True)
    assert (legacy.keys_without_expiry, legacy.keys_without_rotation) == (
        ("old-key",),
        ("old-key",),
    )
    assert legacy.log_categories == ()
    portal = found[site_id(SUB_A, RG_A, "nwh-portal").lower()].props
    assert (portal.https_only, portal.min_tls_version, portal.ftp_state) == (
        True,
        "1.2",
        "disabled",
    )
    legacy_app = found[site_id(SUB_A, RG_A, "nwh-legacy-app").lower()].props
    assert (legacy_app.https_only, legacy_app.min_tls_version, legacy_app.ftp_state) == (
        False,
        "1.0",
        "all",
    )


def test_flexible_servers(arm: FakeArm) -> None:
    from providers.azure.demo_estate import MYSQL, PG, flexible_id
    from providers.azure.services.flexible import lowest_tls

    seed_everything(arm)
    found = by_uid(scan(arm, [SUB_A]))
    good = found[flexible_id(PG, "nwh-pg-good").lower()].props
    assert (good.engine, good.tls_enforced, good.publicly_accessible) == ("postgres", True, False)
    assert good.azure_flexible.minimum_tls_version == "TLSv1.2"
    assert (
        good.azure_flexible.backup_retention_days,
        good.azure_flexible.geo_redundant_backup,
    ) == (35, True)
    assert good.azure is None  # not an Azure SQL server: the SQL rules leave it alone
    opened = found[flexible_id(PG, "nwh-pg-open").lower()].props
    assert opened.tls_enforced is False
    assert opened.azure_flexible.internet_rules == ("everyone",)
    mysql = found[flexible_id(MYSQL, "nwh-mysql").lower()].props
    assert (mysql.engine, mysql.tls_enforced) == ("mysql", True)  # "ON" as MySQL spells it
    assert mysql.azure_flexible.minimum_tls_version == "TLSv1.2"
    assert lowest_tls("TLSv1.3, TLSv1.1") == "TLSv1.1"


def test_unreadable_tls_parameter_is_unknown(arm: FakeArm) -> None:
    from providers.azure.demo_estate import PG, flexible_id

    seed_everything(arm)
    good = flexible_id(PG, "nwh-pg-good")
    arm.fail(f"{good}/configurations/require_secure_transport", 403, "AuthorizationFailed")
    snapshot = scan(arm, [SUB_A])
    assert by_uid(snapshot)[good.lower()].props.tls_enforced is None
    assert {(g.operation, g.resource_uid) for g in snapshot.gaps} == {
        ("Microsoft.DBforPostgreSQL/flexibleServers/configurations", good.lower())
    }


def test_network_security_groups_are_judged_as_azure_applies_them(arm: FakeArm) -> None:
    from providers.azure.demo_estate import nsg_id
    from scanner.kinds.network import InternetIngress

    seed_everything(arm)
    found = by_uid(scan(arm, [SUB_A]))

    def ingress(name: str) -> set[tuple[str, int | None, int | None]]:
        props = found[nsg_id(name).lower()].props
        return {(i.protocol, i.from_port, i.to_port) for i in props.internet_ingress}

    # The Allow on 22 comes after a Deny on 22: only 443 is open.
    assert ingress("nwh-web-nsg") == {("tcp", 443, 443)}
    assert ingress("nwh-admin-nsg") == {("tcp", 3389, 3389), ("tcp", 5432, 5432)}
    assert ingress("nwh-private-nsg") == set()
    web = found[nsg_id("nwh-web-nsg").lower()].props
    assert web.internet_ingress[0] == InternetIngress("tcp", 443, 443, ("Internet",))
    assert web.internet_ingress[0].covers_port(443) and not web.internet_ingress[0].covers_port(22)


# --- custom roles judged by what their action patterns match --------------------------------
WRITER = "c0ffee00-0000-4000-8000-0000000000a1"
STAR_WRITE = "c0ffee00-0000-4000-8000-0000000000a2"
CONTRIBUTOR_COPY = "c0ffee00-0000-4000-8000-0000000000a3"


def _custom_role_estate(arm: FakeArm, roles: dict[str, str]) -> Snapshot:
    """Subscription A where each principal of `roles` holds that custom role at the subscription."""
    seed_everything(arm)
    root = sub_path(SUB_A)
    arm.put_list(
        f"{root}/{AUTH}/roleDefinitions",
        [
            role_definition(SUB_A, WRITER, "auth-writer", ["Microsoft.Authorization/*/write"]),
            role_definition(SUB_A, STAR_WRITE, "all-writes", ["*/write"]),
            role_definition(
                SUB_A,
                CONTRIBUTOR_COPY,
                "contributor-copy",
                ["*"],
                not_actions=[
                    "Microsoft.Authorization/*/Delete",
                    "Microsoft.Authorization/*/Write",
                    "Microsoft.Authorization/elevateAccess/Action",
                ],
            ),
        ],
    )
    arm.put_list(
        f"{root}/{AUTH}/roleAssignments",
        [
            assignment(SUB_A, f"d0000000-0000-4000-8000-00000000000{i}", role, who, kind, root)
            for i, (who, role) in enumerate(sorted(roles.items()))
            for kind in ["ServicePrincipal" if who.startswith("sp-") else "User"]
        ],
    )
    return scan(arm, [SUB_A])


def _owner_findings(snapshot: Snapshot) -> set[tuple[str, str, Status]]:
    report = evaluate([snapshot], [rule_by_id("IAM-AZOWNER-01")], EvaluationConfig())
    return {(f.rule_id, f.resource.uid, f.status) for f in report.findings}


def test_custom_roles_that_can_write_role_assignments_are_admins(arm: FakeArm) -> None:
    snapshot = _custom_role_estate(
        arm, {"sp-writer": WRITER, "user-writes": STAR_WRITE, "sp-contrib": CONTRIBUTOR_COPY}
    )
    admin = {
        r.props.member: r.props.admin_equivalent
        for r in snapshot.resources
        if r.kind == "iam.binding"
    }
    assert admin == {"sp-writer": True, "user-writes": True, "sp-contrib": False}
    assert _owner_findings(snapshot) == {("IAM-AZOWNER-01", sub_path(SUB_A), Status.FAIL)}


def test_a_contributor_copy_held_by_a_service_principal_is_not_an_owner(arm: FakeArm) -> None:
    # The near miss of the test above: `*` less Microsoft.Authorization/*/Write cannot grant.
    snapshot = _custom_role_estate(arm, {"sp-contrib": CONTRIBUTOR_COPY})
    assert _owner_findings(snapshot) == {("IAM-AZOWNER-01", sub_path(SUB_A), Status.PASS)}


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet="ab/*.Aw", max_size=8),
    st.text(alphabet="ab/.Aw", max_size=8),
)
def test_action_patterns_match_as_azure_wildcards(pattern: str, action: str) -> None:
    # Reference: fnmatch's `*` also crosses `/`; the alphabet has none of its other specials.
    assert action_matches(pattern, action) == fnmatch.fnmatchcase(action.lower(), pattern.lower())


PATTERNS = (
    "*",
    "*/write",
    "*/read",
    "Microsoft.Authorization/*",
    "microsoft.authorization/*/write",
    "Microsoft.Authorization/*/Delete",
    "Microsoft.Authorization/roleAssignments/*",
    "Microsoft.Authorization/roleAssignments/write",
    "Microsoft.Authorization/roleAssignments/read",
    "Microsoft.Storage/*",
    "*/roleAssignments/*",
)


@given(
    st.lists(st.sampled_from(PATTERNS), max_size=3),
    st.lists(st.sampled_from(PATTERNS), max_size=3),
)
def test_grants_is_some_action_and_no_not_action(
    actions: list[str], not_actions: list[str]
) -> None:
    target = "microsoft.authorization/roleassignments/write"

    def hit(p: str) -> bool:
        return fnmatch.fnmatchcase(target, p.lower())

    expected = any(hit(a) for a in actions) and not any(hit(n) for n in not_actions)
    assert grants(actions, not_actions, "Microsoft.Authorization/roleAssignments/write") == expected


def test_key_vault_ip_rules_that_are_the_internet_make_it_public(arm: FakeArm) -> None:
    seed_everything(arm)
    vaults = {
        "kv-halves": [{"value": "0.0.0.0/1"}, {"value": "128.0.0.0/1"}],
        "kv-office": [{"value": "203.0.113.0/24"}],  # the near miss
        "kv-garbled": [{"value": "anywhere"}],
    }
    listed = [
        {
            "id": vault_id(SUB_A, RG_A, name),
            "name": name,
            "location": "eastus",
            "properties": {
                "enableSoftDelete": True,
                "networkAcls": {"defaultAction": "Deny", "bypass": "None", "ipRules": rules},
            },
        }
        for name, rules in vaults.items()
    ]
    arm.put_list(f"{sub_path(SUB_A)}/providers/Microsoft.KeyVault/vaults", listed)
    for item in listed:
        arm.put_list(f"{item['id']}/keys", [])
    snapshot = scan(arm, [SUB_A])
    report = evaluate([snapshot], [rule_by_id("PUB-AZKEYVAULT-01")], EvaluationConfig())
    assert {(f.rule_id, f.resource.uid, f.status) for f in report.findings} == {
        ("PUB-AZKEYVAULT-01", vault_id(SUB_A, RG_A, "kv-halves").lower(), Status.FAIL),
        ("PUB-AZKEYVAULT-01", vault_id(SUB_A, RG_A, "kv-office").lower(), Status.PASS),
        ("PUB-AZKEYVAULT-01", vault_id(SUB_A, RG_A, "kv-garbled").lower(), Status.UNKNOWN),
    }
    [failed] = [f for f in report.findings if f.status is Status.FAIL]
    assert failed.evidence["ip_rules"] == ["0.0.0.0/1", "128.0.0.0/1"]


def _firewall_rule(name: str, start: str, end: str) -> dict[str, Any]:
    return {"name": name, "properties": {"startIpAddress": start, "endIpAddress": end}}


def test_firewalls_missing_one_address_still_admit_the_internet(arm: FakeArm) -> None:
    seed_everything(arm)
    # One address (100.0.0.1) short of 1.0.0.0-223.255.255.255: still the internet.
    almost = [
        _firewall_rule("a", "1.0.0.0", "100.0.0.0"),
        _firewall_rule("b", "100.0.0.2", "223.255.255.255"),
    ]
    sql_open = sql_server_id(SUB_A, RG_A, "nwh-sql-open")
    sql_azure = sql_server_id(SUB_A, RG_A, "nwh-sql-azure")
    arm.put_list(f"{sql_open}/firewallRules", almost)
    # The near miss: Allow Azure services and one public /8 are not the internet.
    arm.put_list(
        f"{sql_azure}/firewallRules",
        [
            _firewall_rule("AllowAllWindowsAzureIps", "0.0.0.0", "0.0.0.0"),
            _firewall_rule("partner", "11.0.0.0", "11.255.255.255"),
        ],
    )
    pg_open, mysql = flexible_id(PG, "nwh-pg-open"), flexible_id(MYSQL, "nwh-mysql")
    arm.put_list(f"{pg_open}/firewallRules", almost)
    snapshot = scan(arm, [SUB_A])
    rules = [rule_by_id("PUB-AZSQL-01"), rule_by_id("PUB-AZSQL-02"), rule_by_id("PUB-AZFLEXDB-01")]
    report = evaluate([snapshot], rules, EvaluationConfig())
    found = {(f.rule_id, f.resource.uid, f.status) for f in report.findings}
    sql_good = sql_server_id(SUB_A, RG_A, "nwh-sql-good").lower()
    pg_good = flexible_id(PG, "nwh-pg-good").lower()
    assert found == {
        ("PUB-AZSQL-01", sql_good, Status.PASS),
        ("PUB-AZSQL-01", sql_open.lower(), Status.FAIL),
        ("PUB-AZSQL-01", sql_azure.lower(), Status.PASS),
        ("PUB-AZSQL-02", sql_good, Status.PASS),
        ("PUB-AZSQL-02", sql_open.lower(), Status.PASS),
        ("PUB-AZSQL-02", sql_azure.lower(), Status.FAIL),
        ("PUB-AZFLEXDB-01", pg_good, Status.PASS),
        ("PUB-AZFLEXDB-01", pg_open.lower(), Status.FAIL),
        ("PUB-AZFLEXDB-01", mysql.lower(), Status.PASS),
    }
    [sql_fail] = [
        f for f in report.findings if f.rule_id == "PUB-AZSQL-01" and f.status is Status.FAIL
    ]
    assert sql_fail.evidence["internet_rules"] == ["a", "b"]


def test_absent_https_only_and_min_tls_read_as_the_documented_platform_defaults(
    arm: FakeArm,
) -> None:
    # ARM omitting a property means the platform default of the API version read; both are
    # documented as the safe value (see the collectors). An explicit weak value is kept.
    seed_everything(arm)
    quiet = storage_account(SUB_B, "rg", "nwhquiet")  # no supportsHttpsTrafficOnly at all
    weak = storage_account(SUB_B, "rg", "nwhweak", supportsHttpsTrafficOnly=False)
    arm.put_list(f"{sub_path(SUB_B)}/providers/Microsoft.Storage/storageAccounts", [quiet, weak])
    for item in (quiet, weak):
        seed_account(arm, item, blob_service(), [], [])
    site = site_id(SUB_A, RG_A, "nwh-portal")
    arm.put(f"{site}/config/web", {"properties": {"ftpsState": "Disabled"}})
    found = by_uid(scan(arm, [SUB_A, SUB_B]))
    assert {r.name: r.props.tls_required for r in found.values() if r.kind == "storage.bucket"} == {
        "nwhquiet": True,
        "nwhweak": False,
        "nwhrecords": True,
        "nwhpublicweb": False,
        "nwhdecoy": True,
    }
    assert {
        r.name: r.props.min_tls_version for r in found.values() if r.kind == "compute.web_app"
    } == {
        "nwh-portal": "1.2",
        "nwh-legacy-app": "1.0",
    }
