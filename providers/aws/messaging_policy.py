"""Reading SNS topic and SQS queue policies into facts (for the `sns` and `sqs` collectors).

`providers.aws.policy.denies_insecure_transport` asks for a Deny that covers ``<service>:*``.
That is too strict here: AWS's own guidance for SNS ("Enforce encryption of data in
transit") denies only ``SNS:Publish`` over plain HTTP, and publishing (for SQS: sending and
receiving) is what carries message bodies. So `denies_insecure_access` asks instead that
each data-bearing action be refused to everyone over plain HTTP by some Deny statement.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from providers.aws.policy import (
    PolicyParseError,
    Statement,
    action_covers,
    only_insecure_transport_condition,
    parsed_or_gap,
    public_statements,
    resource_covers,
    statements,
)
from providers.aws.task import AwsTask

# The actions that move message bodies. Batch calls are authorised as these actions
# (SendMessageBatch needs sqs:SendMessage; PublishBatch needs sns:Publish).
SNS_DATA_ACTIONS = ("sns:Publish",)
SQS_DATA_ACTIONS = ("sqs:SendMessage", "sqs:ReceiveMessage")


@dataclass(frozen=True)
class PolicyFacts:
    """What a topic or queue policy says; every field is None when it could not be read."""

    has_policy: bool | None
    tls_required: bool | None
    public_policy_statements: tuple[str, ...] | None


UNREADABLE = PolicyFacts(None, None, None)
NO_POLICY = PolicyFacts(has_policy=False, tls_required=False, public_policy_statements=())


def policy_facts(
    task: AwsTask,
    operation: str,
    document: str | None,
    resource_arn: str,
    data_actions: Sequence[str],
) -> PolicyFacts:
    """Interpret a policy attribute; a malformed document is a gap and unreadable facts."""
    if document is None or not document.strip():
        return NO_POLICY
    try:
        tls = denies_insecure_access(document, data_actions, resource_arn)
        public = tuple(statement_label(s) for s in public_statements(document))
    except PolicyParseError as exc:
        task.gap(operation, "MalformedPolicy", str(exc), resource_arn)
        return UNREADABLE
    return PolicyFacts(has_policy=True, tls_required=tls, public_policy_statements=public)


def denies_insecure_access(
    document: str | Mapping[str, Any], actions: Sequence[str], resource_arn: str
) -> bool:
    """True when every one of `actions` on `resource_arn` is denied to everyone without TLS."""
    denies = [s for s in statements(document) if _tls_deny_on(s, resource_arn)]
    return all(any(_covers_action(s, action) for s in denies) for action in actions)


def public_policy(
    task: AwsTask, operation: str, uid: str, document: str
) -> tuple[bool | None, tuple[str, ...] | None]:
    """(True, the labels of its statements open to anyone) for a resource policy held.

    (None, None) when the document cannot be parsed: a gap is recorded, and whether the
    resource is public stays unknown rather than "no public statement".
    """
    found = parsed_or_gap(
        task, operation, uid, lambda: tuple(statement_label(s) for s in public_statements(document))
    )
    return (None, None) if found is None else (True, found)


def statement_label(stmt: Statement) -> str:
    """How evidence names a statement: its Sid, or ``#<index>`` when it has none."""
    return stmt.sid or f"#{stmt.index}"


def _tls_deny_on(stmt: Statement, resource_arn: str) -> bool:
    if stmt.effect != "Deny" or stmt.not_principals:
        return False
    if not any(value == "*" for kind, value in stmt.principals if kind in ("*", "AWS")):
        return False
    if stmt.not_resources:
        if resource_covers(stmt.not_resources, resource_arn):
            return False
    elif not resource_covers(stmt.resources, resource_arn):
        return False
    return only_insecure_transport_condition(stmt)


def _covers_action(stmt: Statement, action: str) -> bool:
    if stmt.not_actions:
        return not action_covers(stmt.not_actions, action)
    return action_covers(stmt.actions, action)
