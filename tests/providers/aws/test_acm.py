"""ACM collector: expiry counted at collection, and who serves a certificate in use.

Certificates are imported into moto with chosen validity. moto marks a certificate in use
only behind a classic ELB HTTPS listener, so that is how the in-use one is made.
"""

from __future__ import annotations

import datetime
from typing import Any

import boto3
import pytest
from moto import mock_aws

from providers.aws.demo_monitoring_edge import _self_signed
from providers.aws.services import acm as acm_collector
from providers.base import CallCounter
from scanner.kinds.monitoring_edge import TlsCertificate
from tests.providers.aws.helpers import ACCOUNT, by_uid, canned, failing, outcomes, scan

US = "us-east-1"
RULE = "EIT-CERT-01"


def imported(domain: str, days: int) -> str:
    certificate, key = _self_signed(domain, days)
    return str(
        boto3.client("acm", US).import_certificate(Certificate=certificate, PrivateKey=key)[
            "CertificateArn"
        ]
    )


def serve_on_classic_elb(certificate: str) -> str:
    boto3.client("elb", US).create_load_balancer(
        LoadBalancerName="legacy",
        Listeners=[
            {
                "Protocol": "HTTPS",
                "LoadBalancerPort": 443,
                "InstancePort": 80,
                "SSLCertificateId": certificate,
            }
        ],
        AvailabilityZones=["us-east-1a"],
    )
    return "legacy"


@pytest.fixture
def estate() -> Any:
    with mock_aws():
        arns = {
            "served": imported("portal.example.org", 20),  # expiring, in use
            "spare": imported("spare.example.org", 29),  # expiring, not in use
            "fine": imported("api.example.org", 31),  # near miss: 31 > 30
        }
        serve_on_classic_elb(arns["served"])
        yield arns


def test_expiry_and_users(estate: dict[str, str]) -> None:
    counter = CallCounter()
    snapshot = scan(["acm"], regions=(US,), counter=counter)
    # The list answer says which are in use: DescribeCertificate only for that one.
    assert counter.counts["acm.ListCertificates"] == 1
    assert counter.counts["acm.DescribeCertificate"] == 1
    certificates = by_uid(snapshot, TlsCertificate.KIND)
    served: TlsCertificate = certificates[estate["served"]].props
    assert served.days_to_expiry == 20 and served.in_use_by and len(served.in_use_by) == 1
    assert certificates[estate["spare"]].props.in_use_by == ()
    assert outcomes(snapshot, [RULE]) == {
        (RULE, estate["served"], "FAIL"),
        (RULE, estate["spare"], "FAIL"),
        (RULE, estate["fine"], "PASS"),
    }


def test_expired_at_collection_time(
    estate: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=40)
    monkeypatch.setattr(acm_collector, "_now", lambda: later)
    snapshot = scan(["acm"], regions=(US,))
    props = by_uid(snapshot, TlsCertificate.KIND)[estate["fine"]].props
    assert props.days_to_expiry is not None and props.days_to_expiry < 0
    assert outcomes(snapshot, [RULE]) == {(RULE, uid, "FAIL") for uid in estate.values()}


def test_unreadable_users_keep_the_expiry(estate: dict[str, str]) -> None:
    with failing("acm.DescribeCertificate"):
        snapshot = scan(["acm"], regions=(US,))
    assert {(g.operation, g.resource_uid) for g in snapshot.gaps} == {
        ("DescribeCertificate", estate["served"])
    }
    assert by_uid(snapshot, TlsCertificate.KIND)[estate["served"]].props.in_use_by is None
    # Expiry comes from the list: still judged.
    assert (RULE, estate["served"], "FAIL") in outcomes(snapshot, [RULE])


def test_denied_listing_yields_no_certificate(estate: dict[str, str]) -> None:
    with failing("acm.ListCertificates"):
        snapshot = scan(["acm"], regions=(US,))
    assert by_uid(snapshot, TlsCertificate.KIND) == {}
    assert {g.operation for g in snapshot.gaps} == {"ListCertificates"}


def test_a_certificate_without_an_arn_is_a_gap_never_an_empty_region() -> None:
    # Canned: ACM never lists a certificate without its ARN; had the only one been dropped
    # silently, the region would look like it holds no certificate at all.
    with (
        mock_aws(),
        canned("acm.ListCertificates", {"CertificateSummaryList": [{"DomainName": "x"}]}),
    ):
        snapshot = scan(["acm"], regions=(US,))
    assert {(g.operation, g.error_code) for g in snapshot.gaps} == {
        ("ListCertificates", "MalformedAnswer")
    }
    assert outcomes(snapshot, ["EIT-CERT-01"]) == {
        ("EIT-CERT-01", f"aws/{ACCOUNT}/{US}/{TlsCertificate.KIND}", "UNKNOWN")
    }
