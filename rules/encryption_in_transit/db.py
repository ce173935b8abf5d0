"""Encryption in transit for managed database instances and clusters: refuse plain text."""

from __future__ import annotations

from typing import Any

from rules.hipaa import TRANSMISSION_ENCRYPTION, TRANSMISSION_SECURITY
from rules.support import database_tls_evidence, judge_database_tls
from scanner.kinds.database import DatabaseCluster, DatabaseInstance
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="EIT-DB-01",
    title="Database requires TLS for every connection",
    severity=Severity.HIGH,
    concern=Concern.ENCRYPTION_IN_TRANSIT,
    citations=(TRANSMISSION_SECURITY, TRANSMISSION_ENCRYPTION),
    kinds=(DatabaseInstance.KIND, DatabaseCluster.KIND),
    providers=("aws", "gcp"),
    precision="high",
)
def db_instance_tls_enforced(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """The database server must refuse connections that are not encrypted.

    Unless the server requires TLS, a misconfigured or old client can send credentials and
    ePHI in clear text; requiring it on the server closes that path for every client. A
    cluster's parameter group decides this for all of its instances.
    """
    if isinstance(resource.props, DatabaseCluster):
        cluster: DatabaseCluster = resource.props
        return judge_database_tls(
            cluster,
            subject=f"Database cluster {resource.name}",
            group="cluster parameter group",
            evidence=database_tls_evidence(cluster),
        )
    props: DatabaseInstance = resource.props
    evidence = {**database_tls_evidence(props), "cluster_uid": props.cluster_uid}
    return judge_database_tls(
        props,
        subject=f"Database instance {resource.name}",
        group="parameter group",
        evidence=evidence,
    )
