"""Notification topics that carry ePHI must refuse publishing over plain HTTP."""

from __future__ import annotations

from typing import Any

from rules.hipaa import TRANSMISSION_ENCRYPTION, TRANSMISSION_SECURITY
from rules.support import judge_policy_tls
from scanner.kinds.messaging import Topic
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="EIT-TOPIC-01",
    title="Topic policy denies publishing without TLS",
    severity=Severity.MEDIUM,
    concern=Concern.ENCRYPTION_IN_TRANSIT,
    citations=(TRANSMISSION_ENCRYPTION, TRANSMISSION_SECURITY),
    kinds=(Topic.KIND,),
    providers=("aws",),
)
def topic_tls_required(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A topic may accept requests over plain HTTP unless its access policy refuses them.

    A misconfigured publisher can then send ePHI unencrypted across the network. A policy
    that denies publishing to every principal without TLS guarantees that message bodies
    only reach the topic over TLS.
    """
    props: Topic = resource.props
    return judge_policy_tls(
        props.tls_required,
        props.has_policy,
        subject=f"Topic {resource.name}",
        passed="denies publishing over connections without TLS",
        failed="accepts publishing over plain HTTP",
        missing_deny="a Deny on publishing",
    )
