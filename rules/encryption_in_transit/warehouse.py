"""Encryption in transit for data warehouse clusters."""

from __future__ import annotations

from typing import Any

from rules.hipaa import TRANSMISSION_ENCRYPTION, TRANSMISSION_SECURITY
from rules.support import judge_flag
from scanner.kinds.database import DatabaseWarehouse
from scanner.model import Concern, JSONValue, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="EIT-WAREHOUSE-01",
    title="Data warehouse requires TLS for every connection",
    severity=Severity.HIGH,
    concern=Concern.ENCRYPTION_IN_TRANSIT,
    citations=(TRANSMISSION_SECURITY, TRANSMISSION_ENCRYPTION),
    kinds=(DatabaseWarehouse.KIND,),
    providers=("aws",),
)
def warehouse_tls_enforced(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Without require_ssl, SQL clients and BI tools may query ePHI over unencrypted connections.

    The warehouse must refuse them.
    """
    props: DatabaseWarehouse = resource.props
    evidence: dict[str, JSONValue] = {
        "tls_enforced": props.tls_enforced,
        "parameter_group": props.parameter_group,
        "require_ssl": props.tls_parameter_value,
    }
    subject, group = f"Data warehouse {resource.name}", props.parameter_group
    return judge_flag(
        props.tls_enforced,
        passed=f"{subject} requires TLS (require_ssl=true in {group}).",
        failed=f"{subject} accepts unencrypted connections "
        f"(require_ssl={props.tls_parameter_value} in {group}).",
        unknown=f"{subject}: require_ssl in parameter group {group} could not be read.",
        evidence=evidence,
    )
