"""Cloud KMS only: keys protecting ePHI have no version scheduled for destruction."""

from __future__ import annotations

from typing import Any

from rules.hipaa import CONTINGENCY_PLAN, DATA_BACKUP_PLAN
from scanner.kinds.kms import Key
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="BAK-KEY-01",
    title="PHI key has no version scheduled for destruction",
    severity=Severity.HIGH,
    concern=Concern.BACKUP_RECOVERY,
    citations=(DATA_BACKUP_PLAN, CONTINGENCY_PLAN),
    kinds=(Key.KIND,),
    providers=("gcp",),
)
def cloud_kms_no_scheduled_destruction(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Destroying a key version makes every copy of ePHI encrypted with it unreadable.

    Backups included: a version scheduled for destruction on a PHI key is a data-loss
    event with a deadline, to confirm or cancel.
    """
    del ctx
    props: Key = resource.props
    if props.gcp is None:
        return Verdict.not_applicable("not a Cloud KMS key")
    versions = props.gcp.destroy_scheduled_versions
    name = f"Key {resource.name}"
    if versions is None:
        return Verdict.unknown(
            f"{name}: its versions could not be listed.", destroy_scheduled_versions=None
        )
    if versions:
        return Verdict.fail(
            f"{name} has version(s) {', '.join(versions)} scheduled for destruction.",
            destroy_scheduled_versions=list(versions),
        )
    return Verdict.passed(
        f"{name} has no version scheduled for destruction.", destroy_scheduled_versions=[]
    )
