"""Recovery of Azure Key Vaults: soft delete with purge protection."""

from __future__ import annotations

from typing import Any

from rules.hipaa import DATA_BACKUP_PLAN, INTEGRITY
from scanner.kinds.kms import KeyVault
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="BAK-AZKEYVAULT-01",
    title="Key Vault has soft delete and purge protection",
    severity=Severity.HIGH,
    concern=Concern.BACKUP_RECOVERY,
    citations=[DATA_BACKUP_PLAN, INTEGRITY],
    kinds=[KeyVault.KIND],
    providers=("azure",),
)
def key_vault_recoverable(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A purged key makes every ePHI store encrypted with it unreadable for good.

    Soft delete keeps deleted vaults and keys recoverable; purge protection stops anyone
    purging them before the retention period ends.
    """
    props: KeyVault = resource.props
    if props.soft_delete is None or props.purge_protection is None:
        return Verdict.unknown(
            f"Key Vault {resource.name}: its recovery settings could not be read."
        )
    missing = [
        name
        for name, on in (
            ("soft delete", props.soft_delete),
            ("purge protection", props.purge_protection),
        )
        if not on
    ]
    if missing:
        return Verdict.fail(
            f"Key Vault {resource.name} lacks {' and '.join(missing)}.",
            soft_delete=props.soft_delete,
            purge_protection=props.purge_protection,
        )
    return Verdict.passed(
        f"Key Vault {resource.name} has soft delete and purge protection.",
        soft_delete=True,
        purge_protection=True,
    )
