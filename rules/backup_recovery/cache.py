"""In-memory databases that keep data must take automatic snapshots."""

from __future__ import annotations

from typing import Any

from rules.hipaa import DATA_BACKUP_PLAN, DISASTER_RECOVERY_PLAN
from scanner.kinds.data_api import CacheCluster
from scanner.model import Concern, JSONValue, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="BAK-CACHE-01",
    title="Cache cluster takes automatic backups",
    severity=Severity.MEDIUM,
    concern=Concern.BACKUP_RECOVERY,
    citations=(DATA_BACKUP_PLAN, DISASTER_RECOVERY_PLAN),
    kinds=(CacheCluster.KIND,),
    providers=("aws",),
)
def cache_backups(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Redis, Valkey and MemoryDB often hold the only copy of sessions, queues or events.

    A retention of 0 days means no automatic snapshot exists to restore from. Memcached
    keeps nothing that can be snapshotted, so it is not judged.
    """
    del ctx
    props: CacheCluster = resource.props
    subject = f"Cache cluster {resource.name}"
    if not props.persistent:
        return Verdict.not_applicable(f"{subject}: its engine ({props.engine}) keeps no backups.")
    days = props.backup_retention_days
    evidence: dict[str, JSONValue] = {"backup_retention_days": days}
    if days is None:
        return Verdict.unknown(f"{subject}: its snapshot retention could not be read.", **evidence)
    if days > 0:
        return Verdict.passed(f"{subject} keeps automatic snapshots for {days} day(s).", **evidence)
    return Verdict.fail(f"{subject} takes no automatic snapshots.", **evidence)
