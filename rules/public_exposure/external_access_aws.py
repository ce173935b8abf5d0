"""Resources IAM Access Analyzer reports as reachable from outside the zone of trust."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ACCESS_AUTHORIZATION, ACCESS_CONTROL
from scanner.kinds.monitoring_edge import ExternalAccess
from scanner.model import Concern, JSONValue, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="PUB-EXTACCESS-01",
    title="No active IAM Access Analyzer finding reports external access to the resource",
    severity=Severity.HIGH,
    concern=Concern.PUBLIC_EXPOSURE,
    citations=(ACCESS_CONTROL, ACCESS_AUTHORIZATION),
    kinds=(ExternalAccess.KIND,),
    providers=("aws",),
    phi_scoped=False,
)
def no_active_external_access(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Every active external-access finding is a grant nobody has reviewed and archived.

    The analyzer proves, from the resource's policies, that another account or anyone can
    reach it. Archive intended grants (with an archive rule naming the partner) and remove
    the rest; an unreviewed grant to a bucket, key or secret can expose ePHI.
    `--phi-tag` applies to the resource the findings name when the snapshot holds it.
    """
    props: ExternalAccess = resource.props
    target = ctx.get(props.resource_uid)
    if target is not None and not ctx.in_phi_scope(target):
        return Verdict.not_applicable(f"{props.resource_uid} is outside the PHI scope.")
    public = any(g.is_public for g in props.grants)
    principals = sorted({p for g in props.grants for p in g.principals})
    grants: list[JSONValue] = [
        {
            "finding_id": g.finding_id,
            "analyzer": g.analyzer,
            "is_public": g.is_public,
            "principals": list(g.principals),
            "actions": list(g.actions),
            "condition_keys": list(g.condition_keys),
        }
        for g in props.grants
    ]
    who = "anyone (public)" if public else ", ".join(principals) or "another account"
    return Verdict.fail(
        f"{props.resource_type or 'Resource'} {props.resource_uid} is reachable by {who}: "
        f"{len(props.grants)} active IAM Access Analyzer finding(s).",
        resource=props.resource_uid,
        resource_type=props.resource_type,
        public=public,
        findings=grants,
    )
