"""NoSQL database facts: key-value / document tables (AWS DynamoDB today).

A fact that could not be read is `None`; `False` means "read, and off".
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import ClassVar


class TableKeyType(enum.StrEnum):
    """Who manages the key that encrypts a table at rest.

    ``aws-owned``: a key the cloud owns and the customer can neither see nor audit;
    ``aws-managed``: a cloud-managed key in the customer's account (``aws/dynamodb``);
    ``customer-managed``: a key the customer controls (policy, rotation, revocation).
    """

    AWS_OWNED = "aws-owned"
    AWS_MANAGED = "aws-managed"
    CUSTOMER_MANAGED = "customer-managed"


@dataclass(frozen=True)
class Table:
    """A NoSQL table and the facts HIPAA rules judge.

    `key_type` is None when the key could not be classified (the table description, or the
    owner of its KMS key, could not be read). `point_in_time_recovery` and
    `deletion_protection` are None when the corresponding call failed.
    """

    KIND: ClassVar[str] = "database.table"

    key_type: TableKeyType | None
    kms_key_arn: str | None
    point_in_time_recovery: bool | None
    recovery_period_days: int | None
    deletion_protection: bool | None
