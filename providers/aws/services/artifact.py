"""AWS Artifact: the customer agreements the account has accepted (is the HIPAA BAA one?).

``ListCustomerAgreements`` lists the agreements that apply to the caller, including those an
organization's management account accepted for every member. The agreement `type`
(DEFAULT/CUSTOM/MODIFIED) does not say what the agreement is, so the Business Associate
Addendum is recognised by its name or description. When the API cannot answer
(AccessDenied, an endpoint that does not exist, an emulator without Artifact) the fact is
None and the rule asks a human to confirm the BAA in the Artifact console.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from providers.aws.task import GLOBAL, AwsTask
from providers.base import Fanout, collector
from scanner.kinds.agreements import AccountAgreements, CustomerAgreement
from scanner.model import Resource

# "AWS Business Associate Addendum", "AWS Organizations Business Associate Addendum".
_BAA = re.compile(r"business\s+associate\s+(addendum|agreement)|\bbaa\b", re.IGNORECASE)
# Agreements are account-wide, so one endpoint answers for every region: the commercial
# partition asks us-east-1 (where the Artifact API launched) whatever regions are scanned;
# other partitions ask the scan's first region.
_COMMERCIAL_REGION = "us-east-1"


@collector(
    "artifact",
    fanout=Fanout.ACCOUNT,
    produces=(AccountAgreements.KIND,),
    calls={"artifact.ListCustomerAgreements": "artifact:ListCustomerAgreements"},
)
def customer_agreements(task: AwsTask) -> Iterator[Resource[AccountAgreements]]:
    """The account's agreements singleton."""
    uid = f"arn:{task.partition}:artifact::{task.account}:customer-agreements"
    region = _COMMERCIAL_REGION if task.partition == "aws" else task.api_region
    client = task.client("artifact", region)
    items = task.paginate(
        client, "list_customer_agreements", "customerAgreements", resource_uid=uid
    )
    yield task.resource(
        uid=uid,
        kind=AccountAgreements.KIND,
        native_type="AWS::Artifact::CustomerAgreements",
        name="customer-agreements",
        props=interpret_agreements(items),
        region=GLOBAL,
    )


def interpret_agreements(items: Iterable[Mapping[str, Any]] | None) -> AccountAgreements:
    """The agreements fact from ``customerAgreements`` items (None: the API did not answer)."""
    if items is None:
        return AccountAgreements(baa_active=None, agreements=None)
    agreements = tuple(
        sorted((_agreement(item) for item in items), key=lambda a: (a.name, a.state))
    )
    return AccountAgreements(
        baa_active=any(a.is_baa and a.state == "ACTIVE" for a in agreements),
        agreements=agreements,
    )


def _agreement(item: Mapping[str, Any]) -> CustomerAgreement:
    name = str(item.get("name") or "")
    description = str(item.get("description") or "")
    return CustomerAgreement(
        name=name,
        state=str(item.get("state") or ""),
        agreement_type=str(item.get("type") or ""),
        organization_wide=bool(item.get("organizationArn")),
        is_baa=is_baa(name, description),
    )


def is_baa(name: str, description: str = "") -> bool:
    """True when an agreement's name (or, failing that, description) is the BAA."""
    return bool(_BAA.search(name) or (not name and _BAA.search(description)))
