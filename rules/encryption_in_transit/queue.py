"""Message queues that hold ePHI must refuse sending and receiving over plain HTTP."""

from __future__ import annotations

from typing import Any

from rules.hipaa import TRANSMISSION_ENCRYPTION, TRANSMISSION_SECURITY
from rules.support import judge_policy_tls
from scanner.kinds.messaging import Queue
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="EIT-QUEUE-01",
    title="Queue policy denies access without TLS",
    severity=Severity.MEDIUM,
    concern=Concern.ENCRYPTION_IN_TRANSIT,
    citations=(TRANSMISSION_ENCRYPTION, TRANSMISSION_SECURITY),
    kinds=(Queue.KIND,),
    providers=("aws",),
)
def queue_tls_required(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A queue may accept requests over plain HTTP unless its access policy refuses them.

    A misconfigured producer or consumer can then move ePHI unencrypted across the network.
    A policy that denies sending and receiving to every principal without TLS guarantees
    that message bodies only travel over TLS.
    """
    props: Queue = resource.props
    return judge_policy_tls(
        props.tls_required,
        props.has_policy,
        subject=f"Queue {resource.name}",
        passed="denies sending and receiving over connections without TLS",
        failed="accepts messages over plain HTTP",
        missing_deny="a Deny on sending and receiving",
    )
