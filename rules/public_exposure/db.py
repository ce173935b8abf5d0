"""Public exposure of managed database instances."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT
from rules.support import judge_publicly_accessible
from scanner.kinds.database import DatabaseInstance
from scanner.model import Concern, JSONValue, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="PUB-DB-01",
    title="Database instance is not publicly accessible",
    severity=Severity.HIGH,
    concern=Concern.PUBLIC_EXPOSURE,
    citations=(ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT),
    kinds=(DatabaseInstance.KIND,),
    providers=("aws", "gcp"),
)
def db_instance_not_publicly_accessible(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A database of ePHI must not be reachable from the internet.

    A publicly accessible database gets an internet-resolvable address, so a single
    security-group mistake exposes it to password guessing from anywhere.
    """
    props: DatabaseInstance = resource.props
    evidence: dict[str, JSONValue] = {"publicly_accessible": props.publicly_accessible}
    return judge_publicly_accessible(
        props.publicly_accessible, subject=f"Database instance {resource.name}", evidence=evidence
    )
