"""Backups of Azure PostgreSQL and MySQL flexible servers: retention and geo-redundancy."""

from __future__ import annotations

from typing import Any

from rules.hipaa import DATA_BACKUP_PLAN, DISASTER_RECOVERY_PLAN
from scanner.kinds.database import DatabaseInstance
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="BAK-AZFLEXDB-01",
    title="Flexible server keeps backups long enough",
    severity=Severity.MEDIUM,
    concern=Concern.BACKUP_RECOVERY,
    citations=[DATA_BACKUP_PLAN],
    kinds=[DatabaseInstance.KIND],
    providers=("azure",),
    params={"minimum_days": 7},
)
def flexible_server_backup_retention(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Point-in-time restore reaches back only as far as the backup retention period.

    Fails below the parameter `minimum_days`.
    """
    props: DatabaseInstance = resource.props
    detail = props.azure_flexible
    if detail is None:
        return Verdict.not_applicable("not an Azure flexible server")
    days, minimum = detail.backup_retention_days, int(ctx.param("minimum_days"))
    if days is None:
        return Verdict.unknown(f"Server {resource.name}: its backup retention could not be read.")
    if days < minimum:
        return Verdict.fail(
            f"Server {resource.name} keeps backups {days} days (fewer than {minimum}).",
            backup_retention_days=days,
        )
    return Verdict.passed(
        f"Server {resource.name} keeps backups {days} days.", backup_retention_days=days
    )


@rule(
    id="BAK-AZFLEXDB-02",
    title="Flexible server holding ePHI has geo-redundant backups",
    severity=Severity.MEDIUM,
    concern=Concern.BACKUP_RECOVERY,
    citations=[DISASTER_RECOVERY_PLAN, DATA_BACKUP_PLAN],
    kinds=[DatabaseInstance.KIND],
    providers=("azure",),
)
def flexible_server_geo_backup(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Backups kept in one region are lost with it; geo-redundant backups restore elsewhere.

    Geo-redundant backup can only be chosen when the server is created.
    """
    props: DatabaseInstance = resource.props
    detail = props.azure_flexible
    if detail is None:
        return Verdict.not_applicable("not an Azure flexible server")
    if detail.geo_redundant_backup is None:
        return Verdict.unknown(f"Server {resource.name}: its backup settings could not be read.")
    if detail.geo_redundant_backup:
        return Verdict.passed(
            f"Server {resource.name} has geo-redundant backups.", geo_redundant_backup=True
        )
    return Verdict.fail(
        f"Server {resource.name} keeps its backups in one region.", geo_redundant_backup=False
    )
