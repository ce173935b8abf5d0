"""Public exposure of data warehouse clusters."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT
from rules.support import judge_publicly_accessible
from scanner.kinds.database import DatabaseWarehouse
from scanner.model import Concern, JSONValue, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="PUB-WAREHOUSE-01",
    title="Data warehouse is not publicly accessible",
    severity=Severity.HIGH,
    concern=Concern.PUBLIC_EXPOSURE,
    citations=(ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT),
    kinds=(DatabaseWarehouse.KIND,),
    providers=("aws",),
)
def warehouse_not_publicly_accessible(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A publicly accessible warehouse has an internet-facing endpoint.

    One permissive firewall rule then exposes its ePHI to the internet.
    """
    props: DatabaseWarehouse = resource.props
    evidence: dict[str, JSONValue] = {"publicly_accessible": props.publicly_accessible}
    return judge_publicly_accessible(
        props.publicly_accessible, subject=f"Data warehouse {resource.name}", evidence=evidence
    )
