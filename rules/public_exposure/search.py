"""Search domains must not be reachable by anyone on the internet."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT
from rules.support import judge_open_statements
from scanner.kinds.data_api import SearchDomain
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="PUB-SEARCH-01",
    title="Search domain is in a private network or its access policy is not open to everyone",
    severity=Severity.CRITICAL,
    concern=Concern.PUBLIC_EXPOSURE,
    citations=(ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT),
    kinds=(SearchDomain.KIND,),
    providers=("aws",),
)
def search_domain_not_public(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A domain with a public endpoint and a policy open to any principal answers anyone.

    Anyone who finds the endpoint can then search and read every indexed document. A
    domain placed in a private network has no internet endpoint, whatever its policy says. A policy
    statement for Principal "*" pinned by a condition to known networks, network endpoints,
    accounts or an organisation is not public.
    """
    del ctx
    props: SearchDomain = resource.props
    subject = f"Search domain {resource.name}"
    if props.in_vpc:
        return Verdict.passed(
            f"{subject} is reachable only inside its private network (no internet endpoint).",
            in_vpc=True,
        )
    if props.in_vpc is None:
        return Verdict.unknown(f"{subject}: its network placement could not be read.", in_vpc=None)
    verdict = judge_open_statements(
        props.public_policy_statements, subject=subject, has_policy=props.has_access_policy
    )
    return Verdict(verdict.status, verdict.message, {**verdict.evidence, "in_vpc": False})
