"""Azure-only facts: detail attached to neutral kinds, and the kinds only Azure has.

`AzureStorageDetail` hangs off `storage.bucket` (``azure``) for a storage account's blob
service; `AzureSqlDetail` off `database.instance` for an Azure SQL logical server.
`azure.role_definition` is an RBAC role definition (custom roles matter: their actions).

Absent ARM properties that mean a definite state are read as that state (a missing
``isVersioningEnabled`` is off, a missing ``publicNetworkAccess`` is Enabled); `None` is
kept for "could not be read".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True)
class AzureStorageDetail:
    """A storage account's own settings, as ARM spells them.

    `minimum_tls_version` is ARM's value (``TLS1_0``, ``TLS1_1``, ``TLS1_2``, ``TLS1_3``).
    `allow_blob_public_access` is the account switch that lets containers be public at all
    (an unset switch allows it on accounts created before it existed);
    `public_containers` lists ``name:Blob`` / ``name:Container`` for containers whose own
    access level is public, whether or not the account switch lets it apply.
    `public_network_access` is ``Enabled``, ``Disabled`` or ``SecuredByPerimeter``;
    `network_default_action` is the firewall's ``Allow`` or ``Deny``; `network_ip_rules`
    the addresses and CIDR blocks its IP rules allow (None when they could not be read),
    which with a default action of Deny are what the internet reaches it from. `replication` is
    the SKU (``Standard_GRS``...). Soft-delete retention is in days (None when off).
    `log_categories` are the blob service's diagnostic log categories and groups sent
    somewhere (None when the diagnostic settings could not be read).
    """

    https_only: bool | None = None
    minimum_tls_version: str | None = None
    allow_blob_public_access: bool | None = None
    public_containers: tuple[str, ...] | None = None
    public_network_access: str | None = None
    network_default_action: str | None = None
    allow_shared_key_access: bool | None = None
    key_source: str | None = None
    infrastructure_encryption: bool | None = None
    replication: str | None = None
    geo_redundant: bool | None = None
    blob_soft_delete: bool | None = None
    blob_soft_delete_days: int | None = None
    container_soft_delete: bool | None = None
    container_soft_delete_days: int | None = None
    log_categories: tuple[str, ...] | None = None
    network_ip_rules: tuple[str, ...] | None = None


@dataclass(frozen=True)
class SqlFirewallRule:
    """One server-level firewall rule: a start-end IPv4 range."""

    name: str
    start_ip: str
    end_ip: str


@dataclass(frozen=True)
class AzureSqlDetail:
    """An Azure SQL logical server's own settings.

    `minimal_tls_version` is ARM's value (``1.2``, ``1.0``, ``None`` meaning no minimum).
    `auditing_enabled` is the server blob-auditing policy's state; `audit_destinations`
    where audit records go (``storage``, ``log-analytics``/``event-hub`` via Azure Monitor).
    `internet_rules` names the firewall rules that together are the internet (as
    `scanner.netcoverage` judges it);
    `allows_azure_services` is the 0.0.0.0-0.0.0.0 rule ("Allow Azure services"), which
    admits every Azure tenant's resources. `databases_without_tde` names the user databases
    whose transparent data encryption is off (None when some could not be read).
    """

    public_network_access: str | None = None
    minimal_tls_version: str | None = None
    auditing_enabled: bool | None = None
    audit_destinations: tuple[str, ...] | None = None
    firewall_rules: tuple[SqlFirewallRule, ...] | None = None
    internet_rules: tuple[str, ...] | None = None
    allows_azure_services: bool | None = None
    databases_without_tde: tuple[str, ...] | None = None


@dataclass(frozen=True)
class AzureFlexibleServerDetail:
    """An Azure Database for PostgreSQL or MySQL flexible server's own settings.

    `require_secure_transport` is the ``require_secure_transport`` server parameter;
    `minimum_tls_version` the lowest TLS version the server accepts, as the parameter spells
    it (PostgreSQL ``ssl_min_protocol_version``, MySQL the lowest of ``tls_version``).
    `internet_rules` / `allows_azure_services` read the firewall rules as on Azure SQL.
    """

    public_network_access: str | None = None
    require_secure_transport: bool | None = None
    minimum_tls_version: str | None = None
    firewall_rules: tuple[SqlFirewallRule, ...] | None = None
    internet_rules: tuple[str, ...] | None = None
    allows_azure_services: bool | None = None
    backup_retention_days: int | None = None
    geo_redundant_backup: bool | None = None


@dataclass(frozen=True)
class RoleDefinition:
    """An Azure RBAC role definition (built-in or custom) and what it allows.

    `wildcard_actions` are its control-plane actions that grant every operation (``*``) or
    every operation of a whole resource provider (``Microsoft.Storage/*``), after
    `not_actions`; `custom` is True for a customer-defined role.
    """

    KIND: ClassVar[str] = "azure.role_definition"

    role_name: str
    custom: bool
    actions: tuple[str, ...]
    not_actions: tuple[str, ...]
    data_actions: tuple[str, ...]
    assignable_scopes: tuple[str, ...]
    wildcard_actions: tuple[str, ...]


@dataclass(frozen=True)
class DefenderPlan:
    """One Microsoft Defender for Cloud plan of a subscription (``Standard`` is on)."""

    name: str
    tier: str


@dataclass(frozen=True)
class AzureSubscription:
    """A subscription singleton: its activity-log export and Defender for Cloud plans.

    `activity_log_categories` are the activity-log categories (and category groups) some
    subscription diagnostic setting sends somewhere: empty when none does, None when the
    settings could not be read. `defender_plans` is None when the pricings could not be read.
    `co_administrators` lists the classic co-administrators (Owner-equivalent outside
    RBAC); None when the classic API did not answer (it is retired in many tenants).
    """

    KIND: ClassVar[str] = "azure.subscription"

    display_name: str | None
    state: str | None
    activity_log_categories: tuple[str, ...] | None
    defender_plans: tuple[DefenderPlan, ...] | None
    co_administrators: tuple[str, ...] | None = None
