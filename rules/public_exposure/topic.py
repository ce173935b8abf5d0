"""Notification topics must not be open to any principal through their access policy."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT
from rules.support import judge_open_statements
from scanner.kinds.messaging import Topic
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="PUB-TOPIC-01",
    title="Topic policy is not open to everyone",
    severity=Severity.HIGH,
    concern=Concern.PUBLIC_EXPOSURE,
    citations=(ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT),
    kinds=(Topic.KIND,),
    providers=("aws",),
)
def topic_not_public(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A topic policy open to any principal lets anyone on the internet use the topic.

    An Allow for Principal "*" with no condition that pins the caller's account,
    organisation, source or network lets outsiders subscribe an endpoint and receive every
    future message carrying ePHI, or publish forged ones.
    """
    props: Topic = resource.props
    return judge_open_statements(
        props.public_policy_statements,
        subject=f"Topic {resource.name}",
        has_policy=props.has_policy,
    )
