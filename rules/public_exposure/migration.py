"""Public exposure of database migration (replication) instances."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT
from rules.support import judge_publicly_accessible
from scanner.kinds.streams_analytics import MigrationInstance
from scanner.model import Concern, JSONValue, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="PUB-MIGRATION-01",
    title="Database migration instance is not publicly accessible",
    severity=Severity.HIGH,
    concern=Concern.PUBLIC_EXPOSURE,
    citations=(ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT),
    kinds=(MigrationInstance.KIND,),
    providers=("aws",),
)
def migration_instance_not_public(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A replication instance reads whole databases of ePHI and holds them while it copies.

    A public address puts that copy one firewall rule away from the internet.
    """
    del ctx
    props: MigrationInstance = resource.props
    evidence: dict[str, JSONValue] = {
        "publicly_accessible": props.publicly_accessible,
        "kms_key_id": props.kms_key_id,
    }
    return judge_publicly_accessible(
        props.publicly_accessible,
        subject=f"Database migration instance {resource.name}",
        evidence=evidence,
    )
