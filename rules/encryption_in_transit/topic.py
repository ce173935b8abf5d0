"""Notification topics that carry ePHI must refuse publishing over plain HTTP."""

from __future__ import annotations

from typing import Any

from rules.hipaa import TRANSMISSION_ENCRYPTION, TRANSMISSION_SECURITY
from rules.support import judge_policy_tls
from scanner.kinds.messaging import Topic
from scanner.model import Concern, JSONValue, Resource, Severity
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


def _subscriptions_verdict(
    resource: Resource[Topic], protocols: frozenset[str], what: str, passed: str
) -> Verdict:
    subscriptions = resource.props.subscriptions
    name = f"Topic {resource.name}"
    if subscriptions is None:
        return Verdict.unknown(f"{name}: its subscriptions could not be read.")
    listed: list[JSONValue] = [
        {"protocol": s.protocol, "endpoint_host": s.endpoint_host} for s in subscriptions
    ]
    bad = sorted({s.protocol for s in subscriptions if s.protocol in protocols})
    if bad:
        return Verdict.fail(
            f"{name} delivers messages {what} ({', '.join(bad)}).", subscriptions=listed
        )
    return Verdict.passed(f"{name} {passed}.", subscriptions=listed)


@rule(
    id="EIT-TOPIC-02",
    title="Topic delivers no messages over plain HTTP",
    severity=Severity.HIGH,
    concern=Concern.ENCRYPTION_IN_TRANSIT,
    citations=(TRANSMISSION_SECURITY, TRANSMISSION_ENCRYPTION),
    kinds=(Topic.KIND,),
    providers=("aws",),
)
def topic_no_plain_http_delivery(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """An HTTP subscription sends every message body across the network in clear text.

    Message bodies of a topic carrying ePHI must reach web receivers over HTTPS.
    """
    del ctx
    return _subscriptions_verdict(
        resource, frozenset({"http"}), "over plain HTTP", "delivers no messages over plain HTTP"
    )


@rule(
    id="EIT-TOPIC-03",
    title="Topic does not deliver messages by email or SMS",
    severity=Severity.LOW,
    concern=Concern.ENCRYPTION_IN_TRANSIT,
    citations=(TRANSMISSION_SECURITY,),
    kinds=(Topic.KIND,),
    providers=("aws",),
)
def topic_no_email_or_sms_delivery(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Email and SMS leave the cloud for mailboxes and phones outside the entity's control.

    Neither guarantees encryption end to end; a PHI topic should not fan out to them.
    """
    del ctx
    return _subscriptions_verdict(
        resource,
        frozenset({"email", "email-json", "sms"}),
        "by email or SMS",
        "delivers no messages by email or SMS",
    )
