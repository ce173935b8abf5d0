"""Fixture estates for the fake ARM: wire-format JSON (ARM's property names and casing).

`seed` builds the estate the collector and end-to-end tests share: two subscriptions,
storage accounts that pass, fail and tempt a false positive (TLS1_2 spelled as ARM spells
it; a public container in an account that disallows public access).
"""

from __future__ import annotations

from typing import Any

from providers.azure.fake_arm import FakeArm

SUB_A = "1111aaaa-0000-4000-8000-00000000000a"
SUB_B = "2222bbbb-0000-4000-8000-00000000000b"
RG_A = "RG-Records"  # mixed case, as ARM returns resource-group names
RG_B = "rg-billing"
STORAGE_API = "2023-05-01"
WORKSPACE = (
    f"/subscriptions/{SUB_A}/resourceGroups/RG-Ops/providers/"
    "Microsoft.OperationalInsights/workspaces/nwh-logs"
)


def sub_path(sub: str) -> str:
    """The ARM path of a subscription."""
    return f"/subscriptions/{sub}"


def account_id(sub: str, rg: str, name: str) -> str:
    """The ARM id of a storage account (display case)."""
    return (
        f"/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Storage/"
        f"storageAccounts/{name}"
    )


def account_uid(sub: str, rg: str, name: str) -> str:
    """The snapshot uid of a storage account (lower case)."""
    return account_id(sub, rg, name).lower()


def subscription(sub: str, name: str, state: str = "Enabled") -> dict[str, Any]:
    """A subscription as ARM lists it."""
    return {"id": sub_path(sub), "subscriptionId": sub, "displayName": name, "state": state}


def storage_account(
    sub: str,
    rg: str,
    name: str,
    *,
    location: str = "eastus",
    sku: str = "Standard_LRS",
    tags: dict[str, str] | None = None,
    **props: Any,
) -> dict[str, Any]:
    """A storage account as ARM lists it; `props` are its wire-format properties."""
    return {
        "id": account_id(sub, rg, name),
        "name": name,
        "location": location,
        "type": "Microsoft.Storage/storageAccounts",
        "kind": "StorageV2",
        "sku": {"name": sku, "tier": "Standard"},
        "tags": tags or {},
        "properties": props,
    }


def blob_service(
    versioning: bool | None = None,
    soft_delete_days: int | None = None,
    container_soft_delete_days: int | None = None,
) -> dict[str, Any]:
    """A blob service's properties (versioning, soft delete)."""
    props: dict[str, Any] = {}
    if versioning is not None:
        props["isVersioningEnabled"] = versioning
    if soft_delete_days is not None:
        props["deleteRetentionPolicy"] = {"enabled": True, "days": soft_delete_days}
    else:
        props["deleteRetentionPolicy"] = {"enabled": False}
    if container_soft_delete_days is not None:
        props["containerDeleteRetentionPolicy"] = {
            "enabled": True,
            "days": container_soft_delete_days,
        }
    return {
        "name": "default",
        "type": "Microsoft.Storage/storageAccounts/blobServices",
        "properties": props,
    }


def container(name: str, access: str = "None") -> dict[str, Any]:
    """A blob container with its public access level."""
    return {
        "name": name,
        "type": "Microsoft.Storage/storageAccounts/blobServices/containers",
        "properties": {"publicAccess": access},
    }


def diagnostic(
    target: str,
    name: str,
    *,
    categories: tuple[str, ...] = (),
    groups: tuple[str, ...] = (),
    workspace: str | None = WORKSPACE,
) -> dict[str, Any]:
    """A diagnostic setting sending `categories` / `groups` to a workspace (or nowhere)."""
    logs = [{"category": c, "categoryGroup": None, "enabled": True} for c in categories]
    logs += [{"category": None, "categoryGroup": g, "enabled": True} for g in groups]
    props: dict[str, Any] = {"logs": logs, "metrics": []}
    if workspace:
        props["workspaceId"] = workspace
    # ARM lower-cases diagnostic-setting ids up to /microsoft.insights/.
    return {
        "id": f"{target.lower()}/providers/microsoft.insights/diagnosticSettings/{name}",
        "name": name,
        "properties": props,
    }


def seed_account(
    fake: FakeArm,
    account: dict[str, Any],
    blob: dict[str, Any] | None,
    containers: list[dict[str, Any]],
    settings: list[dict[str, Any]],
) -> None:
    """Serve one storage account's blob service, containers and diagnostic settings."""
    blob_id = f"{account['id']}/blobServices/default"
    if blob is not None:
        fake.put(blob_id, blob)
    fake.put_list(f"{blob_id}/containers", containers)
    fake.put_list(f"{blob_id}/providers/Microsoft.Insights/diagnosticSettings", settings)


def seed_storage(fake: FakeArm) -> None:
    """Four storage accounts across two subscriptions (see the module docstring)."""
    records = storage_account(
        SUB_A,
        RG_A,
        "nwhrecords",
        sku="Standard_RAGRS",
        tags={"phi": "true"},
        supportsHttpsTrafficOnly=True,
        minimumTlsVersion="TLS1_2",
        allowBlobPublicAccess=False,
        allowSharedKeyAccess=False,
        publicNetworkAccess="Disabled",
        networkAcls={"defaultAction": "Deny", "bypass": "AzureServices"},
        encryption={
            "keySource": "Microsoft.Keyvault",
            "requireInfrastructureEncryption": True,
            "keyvaultproperties": {
                "keyvaulturi": "https://nwh-kv.vault.azure.net/",
                "keyname": "phi-key",
            },
        },
    )
    public_web = storage_account(
        SUB_A,
        RG_A,
        "nwhpublicweb",
        supportsHttpsTrafficOnly=False,
        minimumTlsVersion="TLS1_0",
        allowBlobPublicAccess=True,
        networkAcls={"defaultAction": "Allow"},
        encryption={"keySource": "Microsoft.Storage"},
    )
    # Decoy: a Container-level public container, but the account disallows public access.
    decoy = storage_account(
        SUB_A,
        RG_A,
        "nwhdecoy",
        supportsHttpsTrafficOnly=True,
        minimumTlsVersion="TLS1_2",
        allowBlobPublicAccess=False,
        encryption={"keySource": "Microsoft.Storage"},
    )
    # Older account: allowBlobPublicAccess unset (allowed), no public container, TLS 1.1.
    billing = storage_account(
        SUB_B,
        RG_B,
        "nwhbilling",
        location="westeurope",
        supportsHttpsTrafficOnly=True,
        minimumTlsVersion="TLS1_1",
    )
    # ARM may answer an id in any case: the collector must still match its declarations.
    billing["id"] = billing["id"].lower()
    fake.put_list(
        f"{sub_path(SUB_A)}/providers/Microsoft.Storage/storageAccounts",
        [records, public_web, decoy],
    )
    fake.put_list(f"{sub_path(SUB_B)}/providers/Microsoft.Storage/storageAccounts", [billing])
    seed_account(
        fake,
        records,
        blob_service(True, 30, 30),
        [container("scans")],
        [
            diagnostic(
                f"{records['id']}/blobServices/default",
                "to-workspace",
                categories=("StorageRead", "StorageWrite", "StorageDelete"),
            )
        ],
    )
    seed_account(
        fake,
        public_web,
        blob_service(),
        [container("site", "Blob"), container("private")],
        [
            diagnostic(
                f"{public_web['id']}/blobServices/default",
                "writes-only",
                categories=("StorageWrite",),
            )
        ],
    )
    seed_account(
        fake,
        decoy,
        blob_service(False, 7),
        [container("old-export", "Container"), container("inbox")],
        [diagnostic(f"{decoy['id']}/blobServices/default", "audit-group", groups=("audit",))],
    )
    seed_account(fake, billing, blob_service(), [container(f"c{i}") for i in range(5)], [])


def seed(fake: FakeArm) -> None:
    """The whole shared estate."""
    fake.put_list(
        "/subscriptions",
        [
            subscription(SUB_A, "NWH Production"),
            subscription(SUB_B, "NWH Billing"),
            subscription("3333cccc-0000-4000-8000-00000000000c", "Old", state="Disabled"),
        ],
    )
    fake.put(sub_path(SUB_A), subscription(SUB_A, "NWH Production"))
    fake.put(sub_path(SUB_B), subscription(SUB_B, "NWH Billing"))
    seed_storage(fake)


# --- RBAC ---------------------------------------------------------------------------
OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c"
UAA = "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9"
CUSTOM_ALL = "c0ffee00-0000-4000-8000-000000000001"
CUSTOM_STORAGE = "c0ffee00-0000-4000-8000-000000000002"
CUSTOM_NARROW = "c0ffee00-0000-4000-8000-000000000003"
AUTH = "providers/Microsoft.Authorization"


def role_definition(
    sub: str,
    guid: str,
    name: str,
    actions: list[str],
    *,
    custom: bool = True,
    not_actions: list[str] | None = None,
) -> dict[str, Any]:
    """An RBAC role definition (custom unless told)."""
    return {
        "id": f"/subscriptions/{sub}/{AUTH}/roleDefinitions/{guid}",
        "name": guid,
        "type": "Microsoft.Authorization/roleDefinitions",
        "properties": {
            "roleName": name,
            "type": "CustomRole" if custom else "BuiltInRole",
            "assignableScopes": [f"/subscriptions/{sub}"],
            "permissions": [
                {
                    "actions": actions,
                    "notActions": not_actions or [],
                    "dataActions": [],
                    "notDataActions": [],
                }
            ],
        },
    }


def assignment(
    sub: str, guid: str, role: str, principal: str, principal_type: str, scope: str
) -> dict[str, Any]:
    """A role assignment of `role` to `principal` at `scope`."""
    return {
        "id": f"{scope.rstrip('/')}/{AUTH}/roleAssignments/{guid}",
        "name": guid,
        "properties": {
            "roleDefinitionId": f"/subscriptions/{sub}/{AUTH}/roleDefinitions/{role}",
            "principalId": principal,
            "principalType": principal_type,
            "scope": scope,
        },
    }


def assignment_uid(scope: str, guid: str) -> str:
    """The snapshot uid of a role assignment."""
    return f"{scope.rstrip('/')}/{AUTH}/roleAssignments/{guid}".lower()


def definition_uid(sub: str, guid: str) -> str:
    """The snapshot uid of a subscription-scoped role definition."""
    return f"/subscriptions/{sub}/{AUTH}/roleDefinitions/{guid}".lower()


def seed_rbac(fake: FakeArm) -> None:
    """RBAC of both subscriptions.

    Subscription A: a `*` custom role, a `Microsoft.Storage/*` one, a narrow one;
    Owner to a user and a service principal, Contributor on a resource group, and an
    Owner inherited from a management group.
    """
    root = sub_path(SUB_A)
    fake.put_list(
        f"{root}/{AUTH}/roleDefinitions",
        [
            role_definition(SUB_A, OWNER, "Owner", ["*"], custom=False),
            role_definition(
                SUB_A,
                CONTRIBUTOR,
                "Contributor",
                ["*"],
                custom=False,
                not_actions=["Microsoft.Authorization/*/Write"],
            ),
            role_definition(SUB_A, CUSTOM_ALL, "nwh-break-glass", ["*"]),
            role_definition(SUB_A, CUSTOM_STORAGE, "nwh-storage-admin", ["Microsoft.Storage/*"]),
            role_definition(
                SUB_A, CUSTOM_NARROW, "nwh-blob-reader", ["Microsoft.Storage/storageAccounts/read"]
            ),
        ],
    )
    mg = "/providers/Microsoft.Management/managementGroups/nwh-root"
    fake.put_list(
        f"{root}/{AUTH}/roleAssignments",
        [
            assignment(
                SUB_A, "a0000000-0000-4000-8000-000000000001", OWNER, "user-1", "User", root
            ),
            assignment(
                SUB_A,
                "a0000000-0000-4000-8000-000000000002",
                OWNER,
                "sp-1",
                "ServicePrincipal",
                root,
            ),
            assignment(
                SUB_A,
                "a0000000-0000-4000-8000-000000000003",
                CONTRIBUTOR,
                "group-1",
                "Group",
                f"{root}/resourceGroups/{RG_A}",
            ),
            assignment(SUB_A, "a0000000-0000-4000-8000-000000000004", OWNER, "user-2", "User", mg),
        ],
    )
    fake.put_list(
        f"{sub_path(SUB_B)}/{AUTH}/roleAssignments",
        [
            assignment(
                SUB_B,
                "b0000000-0000-4000-8000-000000000001",
                UAA,
                "user-3",
                "User",
                sub_path(SUB_B),
            ),
        ],
    )


# --- subscription: activity log and Defender -------------------------------------------
def seed_subscription(fake: FakeArm) -> None:
    """Activity-log export and Defender plans of both subscriptions."""
    fake.put_list(
        f"{sub_path(SUB_A)}/providers/Microsoft.Insights/diagnosticSettings",
        [
            diagnostic(
                sub_path(SUB_A),
                "activity-to-workspace",
                categories=("Administrative", "Security", "Policy", "Alert"),
            )
        ],
    )
    fake.put_list(
        f"{sub_path(SUB_B)}/providers/Microsoft.Insights/diagnosticSettings",
        [diagnostic(sub_path(SUB_B), "nowhere", categories=("Administrative",), workspace=None)],
    )
    classic = f"{AUTH}/classicAdministrators"
    fake.put_list(
        f"{sub_path(SUB_A)}/{classic}",
        [
            {
                "name": "admin",
                "properties": {
                    "emailAddress": "owner@nwh.example",
                    "role": "ServiceAdministrator;AccountAdministrator",
                },
            }
        ],
    )
    fake.put_list(
        f"{sub_path(SUB_B)}/{classic}",
        [
            {
                "name": "co",
                "properties": {"emailAddress": "legacy@nwh.example", "role": "CoAdministrator"},
            }
        ],
    )
    plans = ("StorageAccounts", "SqlServers", "VirtualMachines")

    def pricing(name: str, tier: str) -> dict[str, Any]:
        return {"name": name, "properties": {"pricingTier": tier}}

    fake.put_list(
        f"{sub_path(SUB_A)}/providers/Microsoft.Security/pricings",
        [pricing(p, "Standard") for p in plans],
    )
    fake.put_list(
        f"{sub_path(SUB_B)}/providers/Microsoft.Security/pricings",
        [
            pricing("StorageAccounts", "Standard"),
            pricing("SqlServers", "Free"),
            pricing("VirtualMachines", "Free"),
        ],
    )


# --- SQL --------------------------------------------------------------------------------
def sql_server_id(sub: str, rg: str, name: str) -> str:
    """The ARM id of an Azure SQL server."""
    return f"/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Sql/servers/{name}"


def seed_sql(fake: FakeArm) -> None:
    """Three Azure SQL servers.

    Compliant; internet-open through two half ranges with TLS 1.0 and
    auditing off; Allow-Azure-services only with a database without TDE.
    """

    def server(name: str, **props: Any) -> dict[str, Any]:
        return {
            "id": sql_server_id(SUB_A, RG_A, name),
            "name": name,
            "location": "eastus",
            "properties": {"version": "12.0", **props},
        }

    def rule(name: str, start: str, end: str) -> dict[str, Any]:
        return {"name": name, "properties": {"startIpAddress": start, "endIpAddress": end}}

    servers = [
        server("nwh-sql-good", minimalTlsVersion="1.2", publicNetworkAccess="Disabled"),
        server("nwh-sql-open", minimalTlsVersion="1.0", publicNetworkAccess="Enabled"),
        server("nwh-sql-azure", minimalTlsVersion="1.2", publicNetworkAccess="Enabled"),
    ]
    fake.put_list(f"{sub_path(SUB_A)}/providers/Microsoft.Sql/servers", servers)
    details = {
        "nwh-sql-good": (
            [("records", "Enabled")],
            "Enabled",
            [rule("office", "203.0.113.0", "203.0.113.255")],
        ),
        "nwh-sql-open": (
            [("claims", "Enabled")],
            "Disabled",
            [
                rule("low-half", "0.0.0.0", "127.255.255.255"),  # noqa: S104
                rule("high-half", "128.0.0.0", "255.255.255.255"),
            ],
        ),
        "nwh-sql-azure": (
            [("billing", "Disabled"), ("archive", "Enabled")],
            "Enabled",
            [rule("AllowAllWindowsAzureIps", "0.0.0.0", "0.0.0.0")],  # noqa: S104
        ),
    }
    for name, (databases, audit, rules) in details.items():
        server_id = sql_server_id(SUB_A, RG_A, name)
        fake.put_list(
            f"{server_id}/databases",
            [{"id": f"{server_id}/databases/master", "name": "master"}]
            + [{"id": f"{server_id}/databases/{db}", "name": db} for db, _ in databases],
        )
        for db, state in databases:
            fake.put(
                f"{server_id}/databases/{db}/transparentDataEncryption/current",
                {"name": "current", "properties": {"state": state}},
            )
        fake.put(
            f"{server_id}/auditingSettings/default",
            {
                "name": "default",
                "properties": {"state": audit, "isAzureMonitorTargetEnabled": audit == "Enabled"},
            },
        )
        fake.put_list(f"{server_id}/firewallRules", rules)


# --- Key Vault and App Service -------------------------------------------------------------
def vault_id(sub: str, rg: str, name: str) -> str:
    """The ARM id of a Key Vault."""
    return f"/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.KeyVault/vaults/{name}"


def site_id(sub: str, rg: str, name: str) -> str:
    """The ARM id of an App Service app."""
    return f"/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Web/sites/{name}"


def seed_keyvault_and_web(fake: FakeArm) -> None:
    """Two Key Vaults and two App Service apps, one good and one weak each."""
    good = vault_id(SUB_A, RG_A, "nwh-kv")
    weak = vault_id(SUB_A, RG_A, "nwh-kv-legacy")
    fake.put_list(
        f"{sub_path(SUB_A)}/providers/Microsoft.KeyVault/vaults",
        [
            {
                "id": good,
                "name": "nwh-kv",
                "location": "eastus",
                "properties": {
                    "enableSoftDelete": True,
                    "enablePurgeProtection": True,
                    "softDeleteRetentionInDays": 90,
                    "publicNetworkAccess": "Disabled",
                },
            },
            # enablePurgeProtection absent means off; publicNetworkAccess absent means Enabled.
            {
                "id": weak,
                "name": "nwh-kv-legacy",
                "location": "eastus",
                "properties": {"enableSoftDelete": True},
            },
        ],
    )
    fake.put_list(
        f"{good}/keys",
        [
            {
                "name": "phi-key",
                "properties": {
                    "attributes": {"enabled": True, "exp": 1900000000},
                    "rotationPolicy": {"lifetimeActions": [{"action": {"type": "rotate"}}]},
                },
            }
        ],
    )
    fake.put_list(
        f"{weak}/keys", [{"name": "old-key", "properties": {"attributes": {"enabled": True}}}]
    )
    fake.put_list(
        f"{good}/providers/Microsoft.Insights/diagnosticSettings",
        [diagnostic(good, "kv-audit", categories=("AuditEvent",))],
    )
    good_site = site_id(SUB_A, RG_A, "nwh-portal")
    weak_site = site_id(SUB_A, RG_A, "nwh-legacy-app")
    fake.put_list(
        f"{sub_path(SUB_A)}/providers/Microsoft.Web/sites",
        [
            {
                "id": good_site,
                "name": "nwh-portal",
                "location": "eastus",
                "properties": {"httpsOnly": True},
            },
            {
                "id": weak_site,
                "name": "nwh-legacy-app",
                "location": "eastus",
                "properties": {"httpsOnly": False},
            },
        ],
    )
    fake.put(
        f"{good_site}/config/web", {"properties": {"minTlsVersion": "1.2", "ftpsState": "Disabled"}}
    )
    fake.put(
        f"{weak_site}/config/web",
        {"properties": {"minTlsVersion": "1.0", "ftpsState": "AllAllowed"}},
    )


# --- PostgreSQL and MySQL flexible servers ------------------------------------------------
def flexible_id(namespace: str, name: str) -> str:
    """The ARM id of a flexible server in subscription A."""
    return (
        f"/subscriptions/{SUB_A}/resourceGroups/{RG_A}/providers/{namespace}/flexibleServers/{name}"
    )


PG = "Microsoft.DBforPostgreSQL"
MYSQL = "Microsoft.DBforMySQL"


def seed_flexible(fake: FakeArm) -> None:
    """Flexible servers.

    A private compliant PostgreSQL server, an internet-open one without TLS, and a MySQL
    server with a short retention (ON spelled as MySQL spells it).
    """

    def server(namespace: str, name: str, public: str, days: int, geo: str) -> dict[str, Any]:
        return {
            "id": flexible_id(namespace, name),
            "name": name,
            "location": "eastus",
            "properties": {
                "version": "16",
                "network": {"publicNetworkAccess": public},
                "backup": {"backupRetentionDays": days, "geoRedundantBackup": geo},
                "highAvailability": {"mode": "ZoneRedundant"},
            },
        }

    fake.put_list(
        f"{sub_path(SUB_A)}/providers/{PG}/flexibleServers",
        [
            server(PG, "nwh-pg-good", "Disabled", 35, "Enabled"),
            server(PG, "nwh-pg-open", "Enabled", 7, "Disabled"),
        ],
    )
    fake.put_list(
        f"{sub_path(SUB_A)}/providers/{MYSQL}/flexibleServers",
        [server(MYSQL, "nwh-mysql", "Enabled", 3, "Disabled")],
    )

    def parameter(server_id: str, name: str, value: str) -> None:
        fake.put(
            f"{server_id}/configurations/{name}", {"name": name, "properties": {"value": value}}
        )

    def rule(name: str, start: str, end: str) -> dict[str, Any]:
        return {"name": name, "properties": {"startIpAddress": start, "endIpAddress": end}}

    good, opened = flexible_id(PG, "nwh-pg-good"), flexible_id(PG, "nwh-pg-open")
    mysql = flexible_id(MYSQL, "nwh-mysql")
    parameter(good, "require_secure_transport", "on")
    parameter(good, "ssl_min_protocol_version", "TLSv1.2")
    parameter(opened, "require_secure_transport", "off")
    parameter(opened, "ssl_min_protocol_version", "TLSv1.2")
    parameter(mysql, "require_secure_transport", "ON")
    parameter(mysql, "tls_version", "TLSv1.2,TLSv1.3")
    fake.put_list(f"{opened}/firewallRules", [rule("everyone", "0.0.0.0", "255.255.255.255")])  # noqa: S104
    fake.put_list(f"{mysql}/firewallRules", [rule("office", "203.0.113.0", "203.0.113.255")])


# --- network security groups -------------------------------------------------------------
DEFAULT_RULES = [
    ("AllowVnetInBound", 65000, "Allow", "VirtualNetwork"),
    ("AllowAzureLoadBalancerInBound", 65001, "Allow", "AzureLoadBalancer"),
    ("DenyAllInBound", 65500, "Deny", "*"),
]


def nsg_id(name: str) -> str:
    """The ARM id of a network security group in subscription A."""
    return (
        f"/subscriptions/{SUB_A}/resourceGroups/{RG_A}/providers/Microsoft.Network/"
        f"networkSecurityGroups/{name}"
    )


def nsg_rule(
    name: str, priority: int, access: str, port: str, source: str = "*", protocol: str = "Tcp"
) -> dict[str, Any]:
    """One inbound security rule."""
    return {
        "name": name,
        "properties": {
            "priority": priority,
            "direction": "Inbound",
            "access": access,
            "protocol": protocol,
            "sourceAddressPrefix": source,
            "sourcePortRange": "*",
            "destinationAddressPrefix": "*",
            "destinationPortRange": port,
        },
    }


def seed_network(fake: FakeArm) -> None:
    """Three network security groups.

    Web (443 open; an Allow on 22 overridden by a higher-priority Deny),
    admin (RDP open to 0.0.0.0/0, PostgreSQL open through two halves of the internet) and
    private (SSH from 10.0.0.0/8 only); legacy admits everything.
    """

    def group(name: str, rules: list[dict[str, Any]]) -> dict[str, Any]:
        defaults = [nsg_rule(n, p, a, "*", s, "*") for n, p, a, s in DEFAULT_RULES]
        return {
            "id": nsg_id(name),
            "name": name,
            "location": "eastus",
            "properties": {"securityRules": rules, "defaultSecurityRules": defaults},
        }

    fake.put_list(
        f"{sub_path(SUB_A)}/providers/Microsoft.Network/networkSecurityGroups",
        [
            group(
                "nwh-web-nsg",
                [
                    nsg_rule("https", 100, "Allow", "443", "Internet"),
                    nsg_rule("deny-ssh", 200, "Deny", "22"),
                    nsg_rule("ssh", 300, "Allow", "22"),
                ],
            ),
            group(
                "nwh-admin-nsg",
                [
                    nsg_rule("rdp", 100, "Allow", "3389", "0.0.0.0/0"),
                    nsg_rule("pg-low", 110, "Allow", "5432", "0.0.0.0/1"),
                    nsg_rule("pg-high", 120, "Allow", "5432", "128.0.0.0/1"),
                ],
            ),
            group("nwh-private-nsg", [nsg_rule("ssh-vnet", 100, "Allow", "22", "10.0.0.0/8")]),
            group("nwh-legacy-nsg", [nsg_rule("anything", 4000, "Allow", "*", "*", "*")]),
        ],
    )


def seed_everything(fake: FakeArm) -> None:
    """The shared estate plus every other service."""
    seed(fake)
    seed_network(fake)
    seed_flexible(fake)
    seed_rbac(fake)
    seed_subscription(fake)
    seed_sql(fake)
    seed_keyvault_and_web(fake)
