"""Internet-facing application load balancers must sit behind a web application firewall."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ACCESS_CONTROL, MALICIOUS_SOFTWARE
from scanner.kinds.delivery import LoadBalancer
from scanner.kinds.monitoring_edge import WebAcl, WebAclCoverage
from scanner.model import Concern, JSONValue, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="PUB-LB-01",
    title="Internet-facing application load balancers are protected by a WAF web ACL",
    severity=Severity.MEDIUM,
    concern=Concern.PUBLIC_EXPOSURE,
    citations=(ACCESS_CONTROL, MALICIOUS_SOFTWARE),
    kinds=(LoadBalancer.KIND,),
    providers=("aws",),
    where={"lb_type": "application", "scheme": "internet-facing"},
)
def internet_alb_has_waf(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A web application firewall filters injection, scanning and credential attacks.

    An application load balancer open to the internet in front of a patient portal or an
    API that serves ePHI should have a web ACL associated, so known attack patterns are
    blocked before they reach the application.
    """
    subject = f"Load balancer {resource.name}"
    coverage = [
        c for c in ctx.of_kind(WebAclCoverage.KIND, resource.account) if c.region == resource.region
    ]
    if not coverage:
        return Verdict.unknown(
            f"{subject}: the WAF web ACLs of {resource.region} were not scanned.", web_acls=None
        )
    # The region's coverage already holds every protected load balancer: the web ACLs are
    # looked through only to name the ones protecting this one.
    protecting = (
        sorted(
            acl.name
            for acl in ctx.of_kind(WebAcl.KIND, resource.account)
            if acl.region == resource.region and resource.uid in (acl.props.protected or ())
        )
        if any(resource.uid in c.props.protected for c in coverage)
        else []
    )
    if protecting:
        return Verdict.passed(
            f"{subject} is protected by web ACL {', '.join(protecting)}.",
            web_acls=list[JSONValue](protecting),
        )
    if not all(c.props.complete for c in coverage):
        return Verdict.unknown(
            f"{subject}: the web ACLs of {resource.region} or their associations could not "
            "all be read.",
            web_acls=None,
        )
    return Verdict.fail(f"{subject} is internet-facing with no WAF web ACL.", web_acls=[])
