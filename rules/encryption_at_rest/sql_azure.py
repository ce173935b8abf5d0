"""Encryption at rest for Azure SQL: transparent data encryption on every user database."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ENCRYPTION_AND_DECRYPTION
from scanner.kinds.database import DatabaseInstance
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="EAR-AZSQL-01",
    title="Every Azure SQL user database uses transparent data encryption",
    severity=Severity.HIGH,
    concern=Concern.ENCRYPTION_AT_REST,
    citations=[ENCRYPTION_AND_DECRYPTION],
    kinds=[DatabaseInstance.KIND],
    providers=("azure",),
)
def sql_tde_enabled(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A database whose TDE is off stores ePHI, its backups and its logs unencrypted."""
    props: DatabaseInstance = resource.props
    detail = props.azure
    if detail is None:
        return Verdict.not_applicable("not an Azure SQL server")
    off = detail.databases_without_tde
    if off is None:
        return Verdict.unknown(
            f"SQL server {resource.name}: the TDE state of its databases could not be read."
        )
    if off:
        return Verdict.fail(
            f"SQL server {resource.name} has databases without TDE: {', '.join(off)}.",
            databases_without_tde=list(off),
        )
    return Verdict.passed(
        f"SQL server {resource.name}: every user database uses TDE.", databases_without_tde=[]
    )
