"""Encryption in transit for managed database clusters (cluster parameter groups)."""

from __future__ import annotations

from typing import Any

from rules.hipaa import TRANSMISSION_ENCRYPTION, TRANSMISSION_SECURITY
from rules.support import database_tls_evidence, judge_database_tls
from scanner.kinds.database import DatabaseCluster
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="EIT-DBCLUSTER-01",
    title="Database cluster requires TLS for every connection",
    severity=Severity.HIGH,
    concern=Concern.ENCRYPTION_IN_TRANSIT,
    citations=(TRANSMISSION_SECURITY, TRANSMISSION_ENCRYPTION),
    kinds=(DatabaseCluster.KIND,),
    providers=("aws",),
    precision="high",
)
def dbcluster_tls_enforced(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """The database cluster must refuse connections that are not encrypted.

    Unless the cluster requires TLS, clients may send credentials and ePHI to any of its
    instances in clear text; the cluster parameter group decides this for all of them.
    """
    props: DatabaseCluster = resource.props
    return judge_database_tls(
        props,
        subject=f"Database cluster {resource.name}",
        group="cluster parameter group",
        evidence=database_tls_evidence(props),
    )
