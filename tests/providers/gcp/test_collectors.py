"""GCP collectors against the local fake: facts, paging, faults as gaps, declared calls."""

from __future__ import annotations

from typing import Any

import pytest

from providers import get_provider
from providers.base import CallCounter
from providers.gcp import provider
from providers.gcp.demo_estate import DEV, OPEN_RING, PHI_RING, PROD
from providers.gcp.fake import FakeGoogle, Running
from providers.gcp.options import GcpOptions
from scanner.engine import merge_snapshots
from scanner.errors import CollectionError
from scanner.kinds.iam import MemberType
from scanner.model import Snapshot
from scanner.shards import parse_shard
from tests.providers.gcp.conftest import Scan

GCS = "//storage.googleapis.com/projects/_/buckets/"
SQL = f"//sqladmin.googleapis.com/projects/{PROD}/instances/"
BQ = f"//bigquery.googleapis.com/projects/{PROD}/datasets/"


def of_kind(snapshot: Snapshot, kind: str) -> dict[str, Any]:
    return {r.uid: r for r in snapshot.resources if r.kind == kind}


def gap_set(snapshot: Snapshot) -> set[tuple[str, str, str, str | None]]:
    return {(g.account, g.operation, g.error_code, g.resource_uid) for g in snapshot.gaps}


def test_buckets_facts(scan: Scan) -> None:
    buckets = of_kind(scan(PROD, collectors=("storage",)), "storage.bucket")
    facts = {
        uid.removeprefix(GCS): (
            b.props.public,
            b.props.gcp.public_access_prevention,
            b.props.gcp.uniform_bucket_level_access,
            b.props.encryption.customer_managed_key,
            b.props.versioning_enabled,
            b.props.gcp.soft_delete_retention_days,
            b.props.gcp.retention_period_days,
            dict(b.tags),
        )
        for uid, b in buckets.items()
    }
    assert facts == {
        "nwh-patient-records": (False, "enforced", True, True, True, 7, 30, {"phi": "true"}),
        "nwh-imaging-public": (True, "inherited", False, False, False, 0, 0, {"phi": "true"}),
        "nwh-website-assets": (True, "inherited", True, False, False, 7, 0, {"phi": "false"}),
    }
    public = buckets[f"{GCS}nwh-imaging-public"].props
    assert public.public_acl_grants == ("bucket:allUsers:READER",)
    assert public.public_policy_statements == ("allUsers:roles/storage.objectViewer",)


def test_public_access_prevention_overrides_public_grants(scan: Scan, fake: FakeGoogle) -> None:
    records = fake.projects[PROD]["bucket_iam"]
    records["nwh-patient-records"]["bindings"].append(
        {"role": "roles/storage.objectViewer", "members": ["allUsers"]}
    )
    bucket = of_kind(scan(PROD, collectors=("storage",)), "storage.bucket")[
        f"{GCS}nwh-patient-records"
    ].props
    assert bucket.gcp.public_iam_members == ("allUsers:roles/storage.objectViewer",)
    assert (bucket.public, bucket.policy_public) == (False, False)


def test_lists_are_paged_to_the_last_page(scan: Scan, fake: FakeGoogle) -> None:
    fake.page_size = 1
    counter = CallCounter()
    snapshot = scan(PROD, collectors=("storage", "iam", "sqladmin"), counter=counter)
    assert len(of_kind(snapshot, "storage.bucket")) == 3
    assert len(of_kind(snapshot, "database.instance")) == 3
    assert len(of_kind(snapshot, "gcp.service_account")) == 3
    # One page per item: three list calls each.
    assert counter.counts["storage.buckets.list"] == 3
    assert counter.counts["sql.instances.list"] == 3
    assert counter.counts["iam.projects.serviceAccounts.list"] == 3
    assert snapshot.gaps == ()


def test_disabled_api_is_a_gap_for_that_project_only(scan: Scan, fake: FakeGoogle) -> None:
    fake.fail("sql.instances.list", 403, "SERVICE_DISABLED", match=DEV)
    snapshot = scan(PROD, DEV, collectors=("sqladmin",))
    assert {r.account for r in of_kind(snapshot, "database.instance").values()} == {PROD}
    assert gap_set(snapshot) == {(DEV, "sql.instances.list", "SERVICE_DISABLED", None)}


def test_denied_bucket_policy_is_unknown_not_private(scan: Scan, fake: FakeGoogle) -> None:
    fake.fail("storage.buckets.getIamPolicy", 403, match="nwh-patient-records")
    snapshot = scan(PROD, collectors=("storage",))
    records = of_kind(snapshot, "storage.bucket")[f"{GCS}nwh-patient-records"].props
    # Public access prevention is enforced: that alone proves "not public".
    assert (records.public, records.gcp.public_iam_members) == (False, None)
    assert gap_set(snapshot) == {
        (PROD, "storage.buckets.getIamPolicy", "PERMISSION_DENIED", f"{GCS}nwh-patient-records")
    }
    fake.fail("storage.buckets.getIamPolicy", 403, match="nwh-website-assets")
    website = of_kind(scan(PROD, collectors=("storage",)), "storage.bucket")[
        f"{GCS}nwh-website-assets"
    ].props
    assert (website.public, website.policy_public) == (None, None)


def test_throttling_is_retried_then_succeeds(scan: Scan, fake: FakeGoogle) -> None:
    fake.fail("cloudresourcemanager.projects.getIamPolicy", 429, times=1)
    snapshot = scan(PROD, collectors=("cloudresourcemanager",))
    assert snapshot.gaps == ()
    assert len(of_kind(snapshot, "iam.binding")) == 6
    statuses = [
        h.status for h in fake.hits if h.method_id == "cloudresourcemanager.projects.getIamPolicy"
    ]
    assert statuses == [429, 200]


@pytest.mark.parametrize(("status", "code"), [(429, "RESOURCE_EXHAUSTED"), (503, "UNAVAILABLE")])
def test_lasting_throttling_or_outage_is_a_gap(
    scan: Scan, fake: FakeGoogle, status: int, code: str
) -> None:
    fake.fail("cloudresourcemanager.projects.getIamPolicy", status)
    snapshot = scan(PROD, collectors=("cloudresourcemanager",), max_attempts=2)
    assert gap_set(snapshot) == {
        (
            PROD,
            "cloudresourcemanager.projects.getIamPolicy",
            code,
            f"//cloudresourcemanager.googleapis.com/projects/{PROD}",
        )
    }
    # No binding is invented and the audit configuration is unknown, not empty.
    assert of_kind(snapshot, "iam.binding") == {}
    (config,) = of_kind(snapshot, "logging.audit_config").values()
    assert config.props.services is None
    assert len([h for h in fake.hits if h.status == status]) == 2


def test_missing_dataset_is_a_gap_and_unknown(scan: Scan, fake: FakeGoogle) -> None:
    fake.fail("bigquery.datasets.get", 404, match="reference_open")
    snapshot = scan(PROD, collectors=("bigquery",))
    datasets = of_kind(snapshot, "gcp.bigquery_dataset")
    assert datasets[f"{BQ}reference_open"].props.public_members is None
    assert datasets[f"{BQ}claims"].props.public_members == ()
    assert gap_set(snapshot) == {
        (PROD, "bigquery.datasets.get", "NOT_FOUND", f"{BQ}reference_open")
    }


def test_project_bindings(scan: Scan) -> None:
    bindings = of_kind(scan(PROD, collectors=("cloudresourcemanager",)), "iam.binding")
    facts = {
        (
            b.props.role,
            b.props.member,
            b.props.member_type,
            b.props.basic_role,
            b.props.admin_equivalent,
        )
        for b in bindings.values()
    }
    sa = f"{PROD}.iam.gserviceaccount.com"
    assert facts == {
        ("roles/owner", "user:alice@nwh.example", MemberType.USER, True, True),
        ("roles/editor", f"serviceAccount:ci@{sa}", MemberType.SERVICE, True, True),
        ("roles/editor", "group:ops@nwh.example", MemberType.GROUP, True, True),
        ("roles/viewer", "allAuthenticatedUsers", MemberType.ALL_AUTHENTICATED, True, False),
        (
            "roles/iam.serviceAccountTokenCreator",
            f"serviceAccount:deployer@{sa}",
            MemberType.SERVICE,
            False,
            True,
        ),
        (
            "roles/storage.objectViewer",
            "group:clinicians@nwh.example",
            MemberType.GROUP,
            False,
            False,
        ),
    }
    owners = {b.props.member for b in bindings.values() if b.props.owner_equivalent}
    assert owners == {"user:alice@nwh.example"}


def test_audit_config(scan: Scan) -> None:
    configs = of_kind(scan(PROD, DEV, collectors=("cloudresourcemanager",)), "logging.audit_config")
    prod = configs[f"//cloudresourcemanager.googleapis.com/projects/{PROD}/auditConfigs"].props
    dev = configs[f"//cloudresourcemanager.googleapis.com/projects/{DEV}/auditConfigs"].props
    from scanner.kinds.logging import Access

    assert (
        prod.records("storage.googleapis.com", Access.READ),
        prod.records("storage.googleapis.com", Access.WRITE),
    ) == (True, False)
    assert prod.records("bigquery.googleapis.com", Access.READ) is False
    assert prod.exempted("storage.googleapis.com") == ("user:batch@nwh.example",)
    assert (
        dev.records("sqladmin.googleapis.com", Access.READ),
        dev.records("sqladmin.googleapis.com", Access.WRITE),
    ) == (True, True)


def test_service_account_keys(scan: Scan) -> None:
    accounts = of_kind(scan(PROD, collectors=("iam",)), "gcp.service_account")
    ages = {
        a.props.email.split("@")[0]: tuple(
            (k.key_id, k.age_days) for k in a.props.user_managed_keys
        )
        for a in accounts.values()
    }
    assert ages == {"ci": (("k-old", 400),), "deployer": (("k-new", 10),), "app": ()}


def test_cloud_sql_facts(scan: Scan) -> None:
    instances = of_kind(scan(PROD, collectors=("sqladmin",)), "database.instance")
    facts = {
        uid.removeprefix(SQL): (
            i.props.tls_enforced,
            i.props.publicly_accessible,
            i.props.gcp.replica,
            i.props.gcp.backup_enabled,
            i.props.gcp.point_in_time_recovery,
            bool(i.props.kms_key_id),
            i.props.audit_log_exports,
        )
        for uid, i in instances.items()
    }
    assert facts == {
        "ehr-primary": (
            True,
            False,
            False,
            True,
            True,
            True,
            ("cloudsql.enable_pgaudit", "log_connections"),
        ),
        "ehr-replica": (True, False, True, False, False, True, ("cloudsql.enable_pgaudit",)),
        # Two /1 blocks add up to the whole internet.
        "billing-mysql": (False, True, False, False, False, False, ()),
    }


def test_kms_keys(scan: Scan) -> None:
    keys = of_kind(scan(PROD, collectors=("cloudkms",)), "kms.key")
    facts = {
        uid.rsplit("/", 1)[-1]: (
            k.props.gcp.rotation_period_days,
            k.props.public_policy_statements,
            k.props.gcp.destroy_scheduled_versions,
        )
        for uid, k in keys.items()
    }
    assert facts == {
        "records-key": (90, (), ()),
        "legacy-key": (None, (), ()),
        "retired-key": (30, (), ("1",)),
        # The ring's public grant applies to every key in it.
        "shared-key": (
            365,
            ("allAuthenticatedUsers:roles/cloudkms.cryptoKeyEncrypterDecrypter",),
            (),
        ),
    }
    assert {uid.split("/keyRings/")[1].split("/")[0] for uid in keys} == {
        PHI_RING.rsplit("/", 1)[-1],
        OPEN_RING.rsplit("/", 1)[-1],
    }


def test_log_exports(scan: Scan) -> None:
    exports = of_kind(scan(PROD, DEV, collectors=("logging",)), "gcp.log_exports")
    found = {
        r.account: (
            {s.name for s in r.props.sinks if s.exports_audit_logs},
            max(b.retention_days or 0 for b in r.props.buckets),
        )
        for r in exports.values()
    }
    assert found == {PROD: ({"audit-archive"}, 400), DEV: (set(), 30)}


def test_all_projects_lists_active_projects_minus_excluded(
    google: Running, fake: FakeGoogle
) -> None:
    fake.projects["nwh-retired-old"] = {"state": "DELETE_REQUESTED"}
    options = GcpOptions(
        all_projects=True,
        exclude_projects=(DEV,),
        api_endpoint=google.endpoint,
        anonymous=True,
        backoff_seconds=0.01,
        collectors=("storage",),
    )
    snapshot = provider.collect(options)
    assert snapshot.scope.accounts == (PROD,)
    fake.fail("cloudresourcemanager.projects.list", 403)
    with pytest.raises(CollectionError, match="cannot list the projects"):
        provider.collect(options)


def test_every_call_made_is_declared_in_the_role_and_read_only(
    scan: Scan, fake: FakeGoogle
) -> None:
    """The fake names the Google method of every request it saw: all must be declared."""
    scan(PROD, DEV)
    gcp = get_provider("gcp")
    declared = {p.operation: p for p in gcp.permissions()}
    made = fake.method_ids()
    assert "UNROUTED" not in made
    assert made <= set(declared), made - set(declared)
    document = gcp.permission_document()
    for operation in made:
        assert gcp.is_read_only(declared[operation])
        assert f"- {declared[operation].grant}\n" in f"{document}\n"
    # Every collector was exercised: nothing declared is dead weight.
    every = {op for c in gcp.collectors() for op in c.calls}
    assert every <= made


def test_folder_and_organization_narrow_all_projects(google: Running, fake: FakeGoogle) -> None:
    fake.projects[DEV]["ancestry"] = [
        {"resourceId": {"type": "folder", "id": "42"}},
        {"resourceId": {"type": "organization", "id": "1001"}},
    ]

    def scope(**narrow: Any) -> Snapshot:
        return provider.collect(
            GcpOptions(
                all_projects=True,
                api_endpoint=google.endpoint,
                anonymous=True,
                backoff_seconds=0.01,
                max_attempts=1,
                collectors=("storage",),
                **narrow,
            )
        )

    assert scope(folders=("42",)).scope.accounts == (DEV,)
    assert scope(organizations=("1001",)).scope.accounts == (DEV, PROD)
    fake.fail("cloudresourcemanager.projects.getAncestry", 403, match=PROD)
    narrowed = scope(organizations=("1001",))
    # An unreadable ancestry leaves the project out, and the report says so.
    assert narrowed.scope.accounts == (DEV,)
    assert gap_set(narrowed) == {
        (
            PROD,
            "cloudresourcemanager.projects.getAncestry",
            "PERMISSION_DENIED",
            f"//cloudresourcemanager.googleapis.com/projects/{PROD}",
        )
    }


def test_concurrency_does_not_change_the_snapshot(scan: Scan) -> None:
    serial = scan(PROD, DEV, max_workers=1)
    parallel = scan(PROD, DEV, max_workers=16)
    assert serial.resources == parallel.resources
    assert serial.gaps == parallel.gaps == ()
    assert serial.api_calls == parallel.api_calls


def test_connections_leave_only_for_loopback() -> None:
    """The guard of this package's tests is real: a non-loopback connect fails."""
    import socket

    with socket.socket() as probe, pytest.raises(AssertionError, match="tried to connect"):
        probe.connect(("169.254.169.254", 80))


def test_shards_of_all_projects_partition_them_and_merge_whole(
    google: Running, fake: FakeGoogle
) -> None:
    def collect(shard: str | None) -> Snapshot:
        return provider.collect(
            GcpOptions(
                all_projects=True,
                api_endpoint=google.endpoint,
                anonymous=True,
                backoff_seconds=0.01,
                collectors=("storage",),
                shard=parse_shard(shard) if shard else None,
            )
        )

    whole = collect(None)
    parts = [collect(f"{i}/2") for i in (1, 2)]
    accounts = [set(p.scope.accounts) for p in parts]
    assert accounts[0].isdisjoint(accounts[1])
    assert accounts[0] | accounts[1] == set(whole.scope.accounts) == {PROD, DEV}
    assert parts[0].scope.plan == parts[1].scope.plan is not None
    merged, gaps = merge_snapshots(parts)
    assert {r.uid for r in merged} == {r.uid for r in whole.resources}
    assert gaps == list(whole.gaps)
    _, missing = merge_snapshots(parts[1:])
    assert [g.error_code for g in missing] == ["MissingShard"]
