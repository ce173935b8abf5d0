"""Public exposure of manual database snapshots."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT
from rules.support import judge_flag, tuple_evidence
from scanner.kinds.database import DatabaseSnapshot
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="PUB-DBSNAPSHOT-01",
    title="Database snapshot is not public",
    severity=Severity.CRITICAL,
    concern=Concern.PUBLIC_EXPOSURE,
    citations=(ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT),
    kinds=(DatabaseSnapshot.KIND,),
    providers=("aws",),
)
def dbsnapshot_not_public(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Any cloud account can restore a public snapshot and read every record in it, ePHI too.

    Snapshots must be private or shared only with named accounts.
    """
    props: DatabaseSnapshot = resource.props
    subject = f"Database snapshot {resource.name}"
    return judge_flag(
        props.public,
        good=False,
        passed=f"{subject} is not public.",
        failed=f"{subject} is public: any cloud account can restore it.",
        unknown=f"{subject}: who may restore it could not be read.",
        evidence={"public": props.public, "shared_with": tuple_evidence(props.shared_with)},
    )
