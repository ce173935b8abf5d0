"""Facts about managed secrets.

AWS Secrets Manager today; Azure Key Vault and GCP Secret Manager secrets fit the shape.

Ages are whole days counted at collection time, so re-evaluating a snapshot later gives
the same verdicts. Facts never hold a secret's value: only its settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True)
class Secret:
    """A managed secret: how it is encrypted, how it rotates, and who its policy lets in.

    `customer_managed_key` is False when the secret uses the service's default key (no key
    named, or the provider-managed alias). `rotation_interval_days` is the automatic
    rotation period when rotation is on (`None` when off or not expressed in days);
    `days_since_rotation` counts from the last rotation, or from creation when the secret
    was never rotated. `public_policy_statements` names the resource-policy statements open
    to anyone (empty without a policy); `None` when the policy could not be read or parsed.
    """

    KIND: ClassVar[str] = "secrets.secret"

    kms_key_id: str | None
    customer_managed_key: bool | None
    rotation_enabled: bool | None
    rotation_interval_days: int | None
    days_since_rotation: int | None
    ever_rotated: bool | None
    has_policy: bool | None
    public_policy_statements: tuple[str, ...] | None
