"""Listings that answer only in part: looping or endless paging, unreachable regions."""

from __future__ import annotations

import pytest

from providers.gcp import task as task_module
from providers.gcp.demo_estate import PROD
from providers.gcp.fake import FakeGoogle
from providers.gcp.services.compute import unread_scopes
from scanner.engine import EvaluationConfig, evaluate
from scanner.model import Snapshot
from tests.providers.gcp.conftest import Scan
from tests.providers.gcp.test_collectors import gap_set, of_kind
from tests.rules.support import rule_by_id

SUBNET = f"//compute.googleapis.com/projects/{PROD}/regions/"
LOGS = f"//logging.googleapis.com/projects/{PROD}/exports"


def verdicts(snapshot: Snapshot, rule_id: str) -> set[tuple[str, str, str]]:
    findings = evaluate([snapshot], [rule_by_id(rule_id)], EvaluationConfig()).findings
    return {(f.rule_id, f.resource.uid, str(f.status)) for f in findings}


def test_a_repeated_page_token_is_an_unread_listing(scan: Scan, fake: FakeGoogle) -> None:
    fake.broken_paging["/global/firewalls"] = "loop"
    snapshot = scan(PROD, collectors=("compute",))
    assert of_kind(snapshot, "network.firewall") == {}
    assert gap_set(snapshot) == {(PROD, "compute.firewalls.list", "PagingLoop", None)}
    assert verdicts(snapshot, "PUB-FIREWALL-01") == {
        ("PUB-FIREWALL-01", f"gcp/{PROD}/global/network.firewall", "UNKNOWN"),
    }


def test_an_endless_listing_is_unread(
    scan: Scan, fake: FakeGoogle, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(task_module, "MAX_PAGES", 5)
    fake.broken_paging["/sinks"] = "endless"
    snapshot = scan(PROD, collectors=("logging",))
    assert gap_set(snapshot) == {(PROD, "logging.projects.sinks.list", "TooManyPages", None)}
    # The sinks are unread (the export could be there); the buckets alone do not pass.
    assert verdicts(snapshot, "LOG-AUDITEXPORT-01") == {
        ("LOG-AUDITEXPORT-01", LOGS, "UNKNOWN"),
    }
    # MAX_PAGES pages are read, and no more.
    assert [h.method_id for h in fake.hits].count("logging.projects.sinks.list") == 5


def test_unreachable_regions_are_unknown_not_empty(scan: Scan, fake: FakeGoogle) -> None:
    fake.projects[PROD]["subnet_unreachables"] = ["regions/asia-east1"]
    fake.projects[PROD]["subnet_warnings"] = {
        "regions/europe-west2": {"code": "UNREACHABLE", "message": "europe-west2 is down"},
        "regions/us-west1": {"code": "NO_RESULTS_ON_PAGE", "message": "nothing here"},
    }
    snapshot = scan(PROD, collectors=("compute",))
    assert gap_set(snapshot) == {
        (PROD, "compute.subnetworks.aggregatedList", "Unreachable", None),
        (PROD, "compute.subnetworks.aggregatedList", "UNREACHABLE", None),
    }
    assert verdicts(snapshot, "LOG-FLOWLOG-01") == {
        ("LOG-FLOWLOG-01", f"{SUBNET}us-central1/subnetworks/default", "PASS"),
        ("LOG-FLOWLOG-01", f"{SUBNET}europe-west1/subnetworks/default", "FAIL"),
        ("LOG-FLOWLOG-01", f"{SUBNET}us-central1/subnetworks/phi-app", "PASS"),
        ("LOG-FLOWLOG-01", f"{SUBNET}us-central1/subnetworks/phi-db", "PASS"),
        ("LOG-FLOWLOG-01", f"gcp/{PROD}/asia-east1/network.vpc", "UNKNOWN"),
        ("LOG-FLOWLOG-01", f"gcp/{PROD}/europe-west2/network.vpc", "UNKNOWN"),
    }


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ({"items": {"regions/a": {"subnetworks": []}}}, set()),
        ({"items": {"regions/a": {"warning": {"code": "NO_RESULTS_ON_PAGE"}}}}, set()),
        (
            {"unreachables": ["https://compute.googleapis.com/compute/v1/projects/p/regions/b"]},
            {("b", "Unreachable")},
        ),
        ({"unreachables": ["global"]}, {("global", "Unreachable")}),
        (
            {"items": {"regions/c": {"warning": {"code": "PARTIAL_SUCCESS"}}}},
            {("c", "PARTIAL_SUCCESS")},
        ),
        ({"items": {"zones/c-1": {"warning": {}}}}, {("c-1", "UNKNOWN_WARNING")}),
        (
            {"warning": {"code": "LIST_OVERHEAD_QUOTA_EXCEED"}},
            {("global", "LIST_OVERHEAD_QUOTA_EXCEED")},
        ),
        ({"warning": {"code": "DEPRECATED_RESOURCE_USED"}}, set()),
    ],
)
def test_unread_scopes(page: dict[str, object], expected: set[tuple[str, str]]) -> None:
    assert {(region, code) for region, code, _ in unread_scopes(page)} == expected


SQL = f"//sqladmin.googleapis.com/projects/{PROD}/instances/"
BQ = f"//bigquery.googleapis.com/projects/{PROD}/datasets/"


def test_cloud_sql_regions_the_listing_could_not_reach(scan: Scan, fake: FakeGoogle) -> None:
    fake.projects[PROD]["sql_warnings"] = [
        {"code": "REGION_UNREACHABLE", "message": "down", "region": "europe-west4"},
        {"code": "COMPROMISED_CREDENTIALS", "message": "rotate them"},
    ]
    snapshot = scan(PROD, collectors=("sqladmin",))
    assert gap_set(snapshot) == {(PROD, "sql.instances.list", "REGION_UNREACHABLE", None)}
    assert verdicts(snapshot, "PUB-DB-01") == {
        ("PUB-DB-01", f"{SQL}ehr-primary", "PASS"),
        ("PUB-DB-01", f"{SQL}ehr-replica", "PASS"),
        ("PUB-DB-01", f"{SQL}billing-mysql", "FAIL"),
        ("PUB-DB-01", f"gcp/{PROD}/europe-west4/database.instance", "UNKNOWN"),
    }


def test_bigquery_locations_the_listing_could_not_reach(scan: Scan, fake: FakeGoogle) -> None:
    fake.projects[PROD]["dataset_unreachable"] = ["EU"]
    snapshot = scan(PROD, collectors=("bigquery",))
    assert gap_set(snapshot) == {(PROD, "bigquery.datasets.list", "Unreachable", None)}
    assert verdicts(snapshot, "PUB-DATASET-01") == {
        ("PUB-DATASET-01", f"{BQ}claims", "PASS"),
        ("PUB-DATASET-01", f"{BQ}reference_open", "FAIL"),
        ("PUB-DATASET-01", f"gcp/{PROD}/eu/gcp.bigquery_dataset", "UNKNOWN"),
    }
