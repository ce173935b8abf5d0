"""Messaging facts: notification topics (SNS today) and message queues (SQS today).

Both carry ePHI in their message bodies, so the same three questions are asked of each:
is the data encrypted at rest, does the resource policy refuse plain-HTTP requests, and
does the policy open the resource to anyone. A fact that could not be read is `None`;
`False` or an empty tuple means "read, and not configured".
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import ClassVar


class MessageEncryption(enum.StrEnum):
    """How the service encrypts stored messages."""

    KMS = "kms"  # a KMS key (AWS managed `alias/aws/sns|sqs` or customer managed)
    SERVICE_MANAGED = "service-managed"  # keys owned and managed by the service (SSE-SQS)
    NONE = "none"


@dataclass(frozen=True)
class MessagingFacts:
    """The encryption and resource-policy facts topics and queues share (not a kind itself)."""

    encryption: MessageEncryption | None = None
    kms_key_id: str | None = None
    has_policy: bool | None = None
    tls_required: bool | None = None
    public_policy_statements: tuple[str, ...] | None = None

    @property
    def policy_public(self) -> bool | None:
        """True when some policy statement is open to anyone (None when unreadable)."""
        if self.public_policy_statements is None:
            return None
        return bool(self.public_policy_statements)


@dataclass(frozen=True)
class TopicSubscription:
    """One confirmed delivery of a topic's messages.

    `protocol` as the service names it (``http``, ``https``, ``email``, ``sms``, ``sqs``,
    ``lambda``...); `endpoint_host` only for web endpoints (never the full URL, which may
    carry a token; never an address or phone number).
    """

    protocol: str
    endpoint_host: str | None


@dataclass(frozen=True)
class Topic(MessagingFacts):
    """A publish/subscribe topic.

    `tls_required` is True when the resource policy denies publishing to everyone over a
    connection without TLS. `public_policy_statements` names (Sid, or ``#<index>``) the
    Allow statements open to any principal without a condition that pins the caller.
    `subscriptions` are the confirmed deliveries (`None`: they could not be read).
    """

    KIND: ClassVar[str] = "messaging.topic"

    subscriptions: tuple[TopicSubscription, ...] | None = None


@dataclass(frozen=True)
class Queue(MessagingFacts):
    """A message queue.

    `tls_required` is True when the resource policy denies sending and receiving messages
    to everyone over a connection without TLS. `public_policy_statements` names (Sid, or
    ``#<index>``) the Allow statements open to any principal without a condition that
    pins the caller.
    """

    KIND: ClassVar[str] = "messaging.queue"
