"""AWS Artifact collector: is an active Business Associate Addendum accepted?

moto has no Artifact backend (in-process it raises ClientError 404 "Not yet implemented"),
so answers are served by a botocore `Stubber` on a real artifact client that replaces the
factory's; the plain-moto test checks the scan records a gap and the rule says UNKNOWN.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws

from providers.aws.clients import ClientFactory
from providers.aws.services.artifact import interpret_agreements, is_baa
from scanner.kinds.agreements import AccountAgreements, CustomerAgreement
from tests.providers.aws.helpers import ACCOUNT, by_uid, failing, outcomes, scan

UID = f"arn:aws:artifact::{ACCOUNT}:customer-agreements"
WHEN = datetime.datetime(2024, 1, 2, tzinfo=datetime.UTC)


def agreement(name: str, state: str = "ACTIVE", **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "arn": f"arn:aws:artifact::{ACCOUNT}:customer-agreement/x",
        "id": "customer-agreement-abcdefgh12345678",
        "awsAccountId": ACCOUNT,
        "state": state,
        "type": "DEFAULT",
        "effectiveStart": WHEN,
        **extra,
    }


BAA = agreement("AWS Business Associate Addendum")
ORG_BAA = agreement(
    "AWS Organizations Business Associate Addendum",
    organizationArn="arn:aws:organizations::111111111111:organization/o-abc",
)
NDA = agreement("AWS Nondisclosure Agreement")


@pytest.fixture
def stubbed() -> Iterator[Stubber]:
    """The factory hands out one stubbed artifact client; other services stay on moto."""
    original = ClientFactory.client
    artifact = boto3.client("artifact", region_name="us-east-1")
    stubber = Stubber(artifact)

    def client(self: ClientFactory, service: str, region: str) -> Any:
        if service == "artifact":
            assert region == "us-east-1"
            return artifact
        return original(self, service, region)

    ClientFactory.client = client  # type: ignore[method-assign]
    try:
        with mock_aws(), stubber:
            yield stubber
    finally:
        ClientFactory.client = original  # type: ignore[method-assign]


def test_active_baa_passes(stubbed: Stubber) -> None:
    stubbed.add_response("list_customer_agreements", {"customerAgreements": [NDA, BAA]}, {})
    snapshot = scan(["artifact"])
    stubbed.assert_no_pending_responses()  # exactly one call
    props: AccountAgreements = by_uid(snapshot, AccountAgreements.KIND)[UID].props
    assert props.baa_active is True
    assert props.agreements == (
        CustomerAgreement("AWS Business Associate Addendum", "ACTIVE", "DEFAULT", False, True),
        CustomerAgreement("AWS Nondisclosure Agreement", "ACTIVE", "DEFAULT", False, False),
    )
    assert snapshot.gaps == ()
    assert outcomes(snapshot, ["AGR-BAA-01"]) == {("AGR-BAA-01", UID, "PASS")}


def test_organization_baa_on_a_later_page_passes(stubbed: Stubber) -> None:
    stubbed.add_response(
        "list_customer_agreements", {"customerAgreements": [NDA], "nextToken": "page-2"}, {}
    )
    stubbed.add_response(
        "list_customer_agreements", {"customerAgreements": [ORG_BAA]}, {"nextToken": "page-2"}
    )
    snapshot = scan(["artifact"])
    stubbed.assert_no_pending_responses()
    props: AccountAgreements = by_uid(snapshot, AccountAgreements.KIND)[UID].props
    assert props.baa_active is True
    assert props.agreements is not None
    assert [a.organization_wide for a in props.agreements] == [False, True]  # NDA, org BAA
    assert outcomes(snapshot, ["AGR-BAA-01"]) == {("AGR-BAA-01", UID, "PASS")}


def test_terminated_baa_fails(stubbed: Stubber) -> None:
    terminated = agreement(
        "AWS Business Associate Addendum", state="CUSTOMER_TERMINATED", effectiveEnd=WHEN
    )
    stubbed.add_response("list_customer_agreements", {"customerAgreements": [NDA, terminated]}, {})
    snapshot = scan(["artifact"])
    props: AccountAgreements = by_uid(snapshot, AccountAgreements.KIND)[UID].props
    assert props.baa_active is False
    assert outcomes(snapshot, ["AGR-BAA-01"]) == {("AGR-BAA-01", UID, "FAIL")}


def test_no_agreements_at_all_fails(stubbed: Stubber) -> None:
    stubbed.add_response("list_customer_agreements", {"customerAgreements": []}, {})
    snapshot = scan(["artifact"])
    assert by_uid(snapshot, AccountAgreements.KIND)[UID].props == AccountAgreements(False, ())
    assert outcomes(snapshot, ["AGR-BAA-01"]) == {("AGR-BAA-01", UID, "FAIL")}


def test_access_denied_is_a_gap_and_unknown(stubbed: Stubber) -> None:
    stubbed.add_client_error(
        "list_customer_agreements",
        service_error_code="AccessDeniedException",
        service_message="not authorized",
        http_status_code=403,
    )
    snapshot = scan(["artifact"])
    assert by_uid(snapshot, AccountAgreements.KIND)[UID].props == AccountAgreements(None, None)
    assert {(g.operation, g.error_code, g.resource_uid) for g in snapshot.gaps} == {
        ("ListCustomerAgreements", "AccessDeniedException", UID)
    }
    assert outcomes(snapshot, ["AGR-BAA-01"]) == {("AGR-BAA-01", UID, "UNKNOWN")}


def test_plain_moto_has_no_artifact_backend_so_the_rule_is_unknown() -> None:
    with mock_aws():
        snapshot = scan(["artifact"])
    assert by_uid(snapshot, AccountAgreements.KIND)[UID].props.baa_active is None
    assert [(g.service, g.operation, g.resource_uid) for g in snapshot.gaps] == [
        ("artifact", "ListCustomerAgreements", UID)
    ]
    assert outcomes(snapshot, ["AGR-BAA-01"]) == {("AGR-BAA-01", UID, "UNKNOWN")}


def test_injected_access_denied_under_moto() -> None:
    with mock_aws(), failing("artifact.ListCustomerAgreements"):
        snapshot = scan(["artifact"])
    assert [g.error_code for g in snapshot.gaps] == ["AccessDenied"]
    assert outcomes(snapshot, ["AGR-BAA-01"]) == {("AGR-BAA-01", UID, "UNKNOWN")}


def test_interpret_agreements() -> None:
    assert interpret_agreements(None) == AccountAgreements(None, None)
    assert interpret_agreements([NDA]).baa_active is False
    assert interpret_agreements([BAA]).baa_active is True
    assert (
        interpret_agreements(
            [agreement("AWS Business Associate Addendum", state="AWS_TERMINATED")]
        ).baa_active
        is False
    )


@pytest.mark.parametrize(
    ("name", "description", "expected"),
    [
        ("AWS Business Associate Addendum", "", True),
        ("AWS Organizations Business Associate Addendum", "", True),
        ("aws business associate agreement", "", True),
        ("HIPAA BAA", "", True),
        ("AWS Nondisclosure Agreement", "", False),
        ("AWS Customer Agreement", "", False),
        ("BAAS Service Terms", "", False),  # "BAA" must be a word of its own
        ("AWS Nondisclosure Agreement", "Unlike the Business Associate Addendum...", False),
        ("", "AWS Business Associate Addendum", True),
    ],
)
def test_is_baa(name: str, description: str, expected: bool) -> None:
    assert is_baa(name, description) is expected
