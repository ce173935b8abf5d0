"""The scanner is read-only: every call it declares and every call it makes is a read."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from moto import mock_aws

from providers.aws import all_collectors, permissions
from providers.aws.demo_estate import seed
from providers.aws.provider import CORE_CALLS
from providers.base import READ_ONLY_PREFIXES, CallCounter
from tests.aws.helpers import REGIONS, scan

# sts:AssumeRole mutates nothing in the scanned account; it only mints the read-only
# session that --role-arn and --org need.
NON_READ_ALLOWED = {"sts.AssumeRole"}


def test_every_declared_call_is_read_only() -> None:
    declared = permissions()
    assert declared, "no collector declares any call"
    for call, permission in declared.items():
        service, operation = call.split(".")
        iam_service, action = permission.split(":")
        assert call in NON_READ_ALLOWED or operation.startswith(READ_ONLY_PREFIXES), call
        assert call in NON_READ_ALLOWED or action.startswith(READ_ONLY_PREFIXES), permission
        assert iam_service and service


def test_collectors_have_unique_names_and_declare_calls() -> None:
    collectors = all_collectors()
    names = [(c.service, c.name) for c in collectors]
    assert len(names) == len(set(names))
    assert all(c.calls for c in collectors)
    assert set(CORE_CALLS) <= set(permissions())


@pytest.fixture
def seeded_demo() -> Iterator[None]:
    with mock_aws(config={"iam": {"load_aws_managed_policies": True}}):
        seed(None)
        yield


def test_a_full_scan_makes_only_declared_calls(seeded_demo: None) -> None:
    counter = CallCounter()
    snapshot = scan([c.service for c in all_collectors()], REGIONS, counter=counter)
    made = set(counter.counts)
    assert made, "the scan made no call"
    undeclared = made - set(permissions())
    assert undeclared == set()
    # Only APIs moto lacks may fail on a full scan of the demo estate.
    assert {(g.service, g.operation) for g in snapshot.gaps} <= {
        ("artifact", "ListCustomerAgreements")}
