"""Agreement facts: the contracts a cloud account has accepted (AWS Artifact today).

`agreements.account` is the account singleton. `baa_active` is None when the agreements
API did not answer (it is then for a human to confirm the BAA), `False` when it answered
and no Business Associate Addendum is active.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True)
class CustomerAgreement:
    """One agreement the account (or its organization) has accepted."""

    name: str
    state: str  # ACTIVE, CUSTOMER_TERMINATED, AWS_TERMINATED
    agreement_type: str  # DEFAULT, CUSTOM, MODIFIED
    organization_wide: bool
    is_baa: bool


@dataclass(frozen=True)
class AccountAgreements:
    """The agreements applicable to one account, and whether an active BAA is among them."""

    KIND: ClassVar[str] = "agreements.account"

    baa_active: bool | None = None
    agreements: tuple[CustomerAgreement, ...] | None = None
