"""Message queues must not be open to any principal through their access policy."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT
from rules.support import judge_open_statements
from scanner.kinds.messaging import Queue
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="PUB-QUEUE-01",
    title="Queue policy is not open to everyone",
    severity=Severity.CRITICAL,
    concern=Concern.PUBLIC_EXPOSURE,
    citations=(ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT),
    kinds=(Queue.KIND,),
    providers=("aws",),
)
def queue_not_public(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A queue policy open to any principal lets anyone on the internet act on the queue.

    An Allow for Principal "*" with no condition that pins the caller's account,
    organisation, source or network is public; when it allows receiving messages, the
    ePHI already waiting in the queue (kept up to 14 days) can be read right away.
    """
    props: Queue = resource.props
    return judge_open_statements(
        props.public_policy_statements,
        subject=f"Queue {resource.name}",
        has_policy=props.has_policy,
    )
