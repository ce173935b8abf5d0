"""Backup and recovery for Azure storage accounts: soft delete and geo-redundancy."""

from __future__ import annotations

from typing import Any

from rules.hipaa import DATA_BACKUP_PLAN, DISASTER_RECOVERY_PLAN, INTEGRITY
from scanner.kinds.storage import Bucket
from scanner.model import Concern, JSONValue, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="BAK-AZSTORAGE-01",
    title="Storage account keeps deleted blobs and containers recoverable",
    severity=Severity.MEDIUM,
    concern=Concern.BACKUP_RECOVERY,
    citations=[DATA_BACKUP_PLAN, INTEGRITY],
    kinds=[Bucket.KIND],
    providers=("azure",),
    params={"minimum_days": 7},
)
def storage_soft_delete(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Deleted or overwritten ePHI must be recoverable for a while.

    Blob soft delete and container soft delete must both be on, each keeping deletions
    for at least the parameter `minimum_days`.
    """
    props: Bucket = resource.props
    detail = props.azure
    if detail is None:
        return Verdict.not_applicable("not an Azure storage account")
    minimum = int(ctx.param("minimum_days"))
    evidence: dict[str, JSONValue] = {
        "blob_soft_delete_days": detail.blob_soft_delete_days,
        "container_soft_delete_days": detail.container_soft_delete_days,
    }
    if detail.blob_soft_delete is None or detail.container_soft_delete is None:
        return Verdict.unknown(
            f"Storage account {resource.name}: its blob service properties could not be read.",
            **evidence,
        )
    short = [
        what
        for what, days in (
            ("blob", detail.blob_soft_delete_days),
            ("container", detail.container_soft_delete_days),
        )
        if days is None or days < minimum
    ]
    if short:
        return Verdict.fail(
            f"Storage account {resource.name} keeps deleted {' and '.join(short)}s for less "
            f"than {minimum} days (or not at all).",
            **evidence,
        )
    return Verdict.passed(
        f"Storage account {resource.name} keeps deleted blobs and containers for at least "
        f"{minimum} days.",
        **evidence,
    )


@rule(
    id="BAK-AZSTORAGE-02",
    title="Storage account holding ePHI is geo-redundant",
    severity=Severity.MEDIUM,
    concern=Concern.BACKUP_RECOVERY,
    citations=[DISASTER_RECOVERY_PLAN, DATA_BACKUP_PLAN],
    kinds=[Bucket.KIND],
    providers=("azure",),
)
def storage_geo_redundant(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """EPHI must survive the loss of a whole region (HIPAA's disaster recovery plan).

    Passes for GRS, RA-GRS, GZRS and RA-GZRS replication; LRS and ZRS keep every copy in
    one region.
    """
    props: Bucket = resource.props
    detail = props.azure
    if detail is None:
        return Verdict.not_applicable("not an Azure storage account")
    if detail.geo_redundant is None:
        return Verdict.unknown(
            f"Storage account {resource.name}: its replication could not be read."
        )
    if detail.geo_redundant:
        return Verdict.passed(
            f"Storage account {resource.name} replicates to a second region "
            f"({detail.replication}).",
            replication=detail.replication,
        )
    return Verdict.fail(
        f"Storage account {resource.name} keeps every copy in one region ({detail.replication}).",
        replication=detail.replication,
    )
