"""Internet-facing API stages should sit behind a web application firewall."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ACCESS_CONTROL, MALICIOUS_SOFTWARE
from rules.support import unlisted_stages
from scanner.kinds.data_api import ApiStage
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="PUB-APISTAGE-01",
    title="Public API stage is protected by a web application firewall",
    severity=Severity.MEDIUM,
    concern=Concern.PUBLIC_EXPOSURE,
    citations=(ACCESS_CONTROL, MALICIOUS_SOFTWARE),
    kinds=(ApiStage.KIND,),
    providers=("aws",),
)
def api_stage_behind_waf(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A web ACL filters injection, credential stuffing and floods before they reach ePHI.

    Only stages reachable from the internet are judged: a private API (reachable only
    through private network endpoints) is not. HTTP and WebSocket API stages cannot take
    a web ACL, so they are not judged either (not failed for what their protocol cannot
    do): a CDN with a web ACL in front of them is the way to shield them.
    """
    del ctx
    props: ApiStage = resource.props
    subject = f"API stage {resource.name}"
    if not props.waf_supported:
        return Verdict.not_applicable(
            f"{subject}: a web ACL cannot be attached to {props.protocol} API stages."
        )
    if props.private:
        return Verdict.not_applicable(f"{subject} is private: not reachable from the internet.")
    if (unlisted := unlisted_stages(props)) is not None:
        return unlisted
    if props.private is None or props.waf_acl is None:
        return Verdict.unknown(
            f"{subject}: its endpoint type or web ACL could not be read.",
            private=props.private,
            waf_acl=props.waf_acl,
        )
    if props.waf_acl:
        return Verdict.passed(
            f"{subject} is protected by web ACL {props.waf_acl}.", waf_acl=props.waf_acl
        )
    return Verdict.fail(
        f"{subject} is reachable from the internet with no web ACL attached.",
        waf_acl=None,
        private=False,
    )
