"""GCP flag validation, the read-only predicate, and the pure IAM / network / log helpers."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from providers.base import Permission
from providers.gcp.iam_facts import audit_configs, member_type, public_grants
from providers.gcp.options import options_from_flags
from providers.gcp.plugin import PROVIDER
from providers.gcp.services.logging import exports_audit_logs, takes_audit_logs
from providers.gcp.services.sql import covers_internet
from providers.gcp.task import classify
from scanner.errors import UsageError
from scanner.kinds.iam import MemberType


def flags(**given: Any) -> dict[str, Any]:
    return {"max_workers": 16, "max_attempts": 5, **given}


def test_options_from_flags() -> None:
    options = options_from_flags(
        flags(
            projects=("nwh-clinical-prod", "nwh-clinical-prod"),
            api_endpoint="http://127.0.0.1:9/",
            anonymous=True,
        )
    )
    assert options.projects == ("nwh-clinical-prod",)
    assert options.api_endpoint == "http://127.0.0.1:9"
    assert options.storage_endpoint is None


def test_folder_ids_accept_the_resource_name_form() -> None:
    options = options_from_flags(
        flags(all_projects=True, folders=("folders/42", "42"), organizations=("1001",))
    )
    assert (options.folders, options.organizations) == (("42",), ("1001",))


def test_storage_emulator_host_is_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STORAGE_EMULATOR_HOST", "localhost:9023")
    options = options_from_flags(flags(projects=("nwh-clinical-prod",), anonymous=True))
    assert options.storage_endpoint == "http://localhost:9023"


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({}, "name what to scan"),
        ({"projects": ("nwh-clinical-prod",), "all_projects": True}, "exclude each other"),
        (
            {"projects": ("nwh-clinical-prod",), "exclude_projects": ("nwh-other-one",)},
            "only applies with --all-projects",
        ),
        ({"projects": ("Bad_Project",)}, "is not a project id"),
        ({"all_projects": True, "exclude_projects": ("x",)}, "is not a project id"),
        ({"projects": ("nwh-clinical-prod",), "api_endpoint": "ftp://x"}, "not an http"),
        (
            {
                "projects": ("nwh-clinical-prod",),
                "anonymous": True,
                "impersonate_service_account": "a@b.iam.gserviceaccount.com",
            },
            "exclude each other",
        ),
        (
            {"projects": ("nwh-clinical-prod",), "impersonate_service_account": "nobody"},
            "not a service-account email",
        ),
        (
            {"projects": ("nwh-clinical-prod",), "folders": ("42",)},
            "only apply with --all-projects",
        ),
        ({"all_projects": True, "organizations": ("acme",)}, "not a numeric id"),
    ],
)
def test_bad_flags_are_usage_errors(given: dict[str, Any], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        options_from_flags(flags(**given))


@pytest.mark.parametrize(
    ("operation", "grant", "expected"),
    [
        ("storage.buckets.list", "storage.buckets.list", True),
        (
            "cloudkms.projects.locations.keyRings.getIamPolicy",
            "cloudkms.keyRings.getIamPolicy",
            True,
        ),
        ("compute.subnetworks.aggregatedList", "compute.subnetworks.list", True),
        ("storage.buckets.setIamPolicy", "storage.buckets.setIamPolicy", False),
        ("storage.buckets.list", "storage.buckets.update", False),
        ("iam.projects.serviceAccounts.keys.create", "iam.serviceAccountKeys.create", False),
    ],
)
def test_read_only_predicate(operation: str, grant: str, expected: bool) -> None:
    assert PROVIDER.is_read_only(Permission(operation, grant)) is expected


def test_member_types() -> None:
    assert [
        member_type(m)
        for m in (
            "allUsers",
            "allAuthenticatedUsers",
            "user:a@b.c",
            "group:g@b.c",
            "serviceAccount:s@p.iam.gserviceaccount.com",
            "domain:b.c",
            "principalSet://iam.googleapis.com/locations/global/workforcePools/p/*",
            "deleted:serviceAccount:s@p.iam.gserviceaccount.com?uid=1",
            "projectOwner:p",
            "principal://iam.googleapis.com/locations/global/workforcePools/p/subject/s",
            "deleted:user:a@b.c?uid=2",
            "deleted:group:g@b.c?uid=3",
            "deleted:principal://iam.googleapis.com/locations/global/workforcePools/p/subject/s",
            "projectEditor:p",
            "projectViewer:p",
            "someNewKind:x",
            "deleted:",
            "",
        )
    ] == [
        MemberType.PUBLIC,
        MemberType.ALL_AUTHENTICATED,
        MemberType.USER,
        MemberType.GROUP,
        MemberType.SERVICE,
        MemberType.DOMAIN,
        MemberType.FEDERATED,
        MemberType.SERVICE,
        MemberType.GROUP,  # everyone holding Owner on project p (Cloud Storage)
        MemberType.FEDERATED,
        MemberType.USER,
        MemberType.GROUP,
        MemberType.FEDERATED,
        MemberType.GROUP,
        MemberType.GROUP,
        MemberType.OTHER,
        MemberType.OTHER,
        MemberType.OTHER,
    ]


def test_public_grants_across_policies() -> None:
    ring = {"bindings": [{"role": "roles/a", "members": ["allUsers", "user:x@y.z"]}]}
    key = {
        "bindings": [
            {"role": "roles/b", "members": ["allAuthenticatedUsers"]},
            {"role": "roles/a", "members": ["allUsers"]},
        ]
    }
    assert public_grants([ring, key, None]) == ("allAuthenticatedUsers:roles/b", "allUsers:roles/a")


def test_audit_configs_read_string_and_int_log_types() -> None:
    (entry,) = audit_configs(
        {
            "auditConfigs": [
                {
                    "service": "allServices",
                    "auditLogConfigs": [
                        {"logType": 3},
                        {"logType": "DATA_WRITE", "exemptedMembers": ["user:b@x.y"]},
                    ],
                }
            ]
        }
    )
    assert (entry.data_read, entry.data_write, entry.admin_read, entry.exempted_members) == (
        True,
        True,
        False,
        ("user:b@x.y",),
    )
    assert audit_configs({}) == ()


@pytest.mark.parametrize(
    ("blocks", "expected"),
    [
        (("0.0.0.0/0",), True),
        (("0.0.0.0/1", "128.0.0.0/1"), True),
        # Changed deliberately: the shared threshold of scanner.netcoverage, not "exactly
        # /0". Half the internet (or three quarters) is the internet.
        (("128.0.0.0/1",), True),
        (("0.0.0.0/1", "128.0.0.0/2"), True),
        (("8.0.0.0/7",), True),
        (("8.0.0.0/8",), False),
        (("203.0.113.0/24", "198.51.100.7/32"), False),
        (("10.0.0.0/8", "not-a-cidr"), False),
        (("10.0.0.0/9", "10.128.0.0/9", "192.168.0.0/16"), False),
        (("::/0",), True),  # the API takes IPv4 only; were it listed, it is everyone
        ((), False),
    ],
)
def test_covers_internet(blocks: tuple[str, ...], expected: bool) -> None:
    assert covers_internet(blocks) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", True),
        ("   ", True),
        ('logName:"cloudaudit.googleapis.com"', True),
        ("logName:cloudaudit.googleapis.com", True),
        ('LOG_ID("cloudaudit.googleapis.com/data_access")', True),
        ('log_id( "cloudaudit.googleapis.com/data_access" )', True),
        # Admin Activity (or System Event) alone: what _Required keeps anyway.
        ('LOG_ID("cloudaudit.googleapis.com/activity")', False),
        ('logName="projects/p/logs/cloudaudit.googleapis.com%2Fsystem_event"', False),
        ('logName=~"cloudaudit.googleapis.com%2F(activity|data_access)"', True),
        ('logName="projects/p/logs/cloudaudit.googleapis.com%2Fdata_access"', True),
        ('logName=~"cloudaudit.googleapis.com"', True),
        (
            'LOG_ID("cloudaudit.googleapis.com/activity") OR '
            '(LOG_ID("cloudaudit.googleapis.com/data_access"))',
            True,
        ),
        ('protoPayload.@type="type.googleapis.com/google.cloud.audit.AuditLog"', True),
        ('"cloudaudit.googleapis.com"', True),
        # Negations of the audit logs, wherever they stand.
        ('NOT LOG_ID("cloudaudit.googleapis.com/activity")', False),
        ('severity>=ERROR AND -logName:"cloudaudit.googleapis.com"', False),
        ('severity>=ERROR AND NOT logName:"cloudaudit.googleapis.com"', False),
        ('logName!="projects/p/logs/cloudaudit.googleapis.com%2Factivity"', False),
        ('logName!~"cloudaudit"', False),
        ('NOT (logName:"cloudaudit.googleapis.com")', False),
        ('protoPayload.@type!="type.googleapis.com/google.cloud.audit.AuditLog"', False),
        # A log term for another log, or any other restriction, narrows the export.
        ('logName:"cloudaudit.googleapis.com" AND logName:"syslog"', False),
        ('logName:"cloudaudit.googleapis.com" OR LOG_ID("syslog")', False),
        ('severity>=ERROR AND logName:"cloudaudit.googleapis.com"', False),
        ('logName:"cloudaudit.googleapis.com" AND resource.type="gcs_bucket"', False),
        ('resource.type="gce_instance"', False),
        ('logName:"projects/p/logs/syslog"', False),
        ("severity>=ERROR", False),
        # AND with one other audit log keeps only that log, however broad the other term.
        (
            'protoPayload.@type="type.googleapis.com/google.cloud.audit.AuditLog" AND '
            'logName:"cloudaudit.googleapis.com%2Factivity"',
            False,
        ),
        (
            'logName:"cloudaudit.googleapis.com" AND '
            'logName:"cloudaudit.googleapis.com%2Fsystem_event"',
            False,
        ),
        (
            'protoPayload.@type="type.googleapis.com/google.cloud.audit.AuditLog" AND '
            '(LOG_ID("cloudaudit.googleapis.com/data_access"))',
            True,
        ),
    ],
)
def test_sink_filters(text: str, expected: bool) -> None:
    assert takes_audit_logs(text) is expected


AUDIT_FILTER = 'logName:"cloudaudit.googleapis.com"'


def exclusion(text: str, *, disabled: bool = False) -> dict[str, Any]:
    return {"name": "x", "filter": text, "disabled": disabled}


@pytest.mark.parametrize(
    ("sink", "expected"),
    [
        ({"name": "a", "filter": AUDIT_FILTER}, True),
        ({"name": "a", "filter": AUDIT_FILTER, "disabled": True}, False),
        ({"name": "_Default", "filter": ""}, False),
        ({"name": "_Required", "filter": AUDIT_FILTER}, False),
        # Exclusions that could drop audit entries.
        ({"name": "a", "filter": "", "exclusions": [exclusion("")]}, False),
        ({"name": "a", "filter": "", "exclusions": [exclusion(AUDIT_FILTER)]}, False),
        ({"name": "a", "filter": "", "exclusions": [exclusion("severity<ERROR")]}, False),
        ({"name": "a", "filter": "", "exclusions": [exclusion('logName:"logs"')]}, False),
        ({"name": "a", "filter": "", "exclusions": [exclusion('NOT LOG_ID("syslog")')]}, False),
        ({"name": "a", "filter": "", "exclusions": ["not-a-mapping"]}, False),
        (
            {"name": "a", "filter": "", "exclusions": [exclusion('LOG_ID("s") AND severity<5')]},
            False,
        ),
        # Exclusions of other logs by exact name, or switched off, drop no audit entry.
        ({"name": "a", "filter": "", "exclusions": [exclusion(AUDIT_FILTER, disabled=True)]}, True),
        (
            {
                "name": "a",
                "filter": AUDIT_FILTER,
                "exclusions": [exclusion('LOG_ID("syslog") OR logName="projects/p/logs/stdout"')],
            },
            True,
        ),
    ],
)
def test_sinks_that_export_audit_logs(sink: dict[str, Any], expected: bool) -> None:
    assert exports_audit_logs(sink) is expected


def test_classify_non_http_faults() -> None:
    assert classify(TimeoutError("timed out")).code == "Timeout"
    assert classify(TimeoutError("timed out")).retryable
    assert not classify(ValueError("bad json")).retryable


DATA_ACCESS_TERMS = st.sampled_from(
    (
        'logName:"cloudaudit.googleapis.com"',
        'LOG_ID("cloudaudit.googleapis.com/data_access")',
        'logName="projects/p/logs/cloudaudit.googleapis.com%2Fdata_access"',
        'protoPayload.@type="type.googleapis.com/google.cloud.audit.AuditLog"',
    )
)
AUDIT_TERMS = st.one_of(
    DATA_ACCESS_TERMS,
    st.sampled_from(
        (
            'LOG_ID("cloudaudit.googleapis.com/activity")',
            'logName="projects/p/logs/cloudaudit.googleapis.com%2Fsystem_event"',
        )
    ),
)
NARROWING = st.sampled_from(
    (
        "severity>=ERROR",
        'resource.type="gcs_bucket"',
        'NOT logName:"cloudaudit.googleapis.com/data_access"',
        '-LOG_ID("cloudaudit.googleapis.com/data_access")',
        'logName!="projects/p/logs/cloudaudit.googleapis.com%2Fdata_access"',
        'LOG_ID("syslog")',
        'protoPayload.methodName!="storage.objects.get"',
    )
)


@settings(max_examples=200, deadline=None)
@given(
    terms=st.tuples(DATA_ACCESS_TERMS, st.lists(AUDIT_TERMS, max_size=3)).map(
        lambda t: [t[0], *t[1]]
    ),
    joiner=st.sampled_from((" OR ", " AND ", " or ")),
    narrowing=NARROWING,
    where=st.integers(0, 4),
)
def test_an_audit_filter_with_any_narrowing_term_is_not_counted(
    terms: list[str], joiner: str, narrowing: str, where: int
) -> None:
    if joiner.strip() == "AND":
        # ANDed with one other audit log (Admin Activity, System Event), a filter keeps
        # only that log: no Data Access entry. Only OR may join those.
        terms = [t for t in terms if "activity" not in t and "system_event" not in t]
    audit = joiner.join(terms)
    assert takes_audit_logs(audit)
    assert takes_audit_logs(f"({audit})")
    parts = [*terms]
    parts.insert(min(where, len(parts)), narrowing)
    assert not takes_audit_logs(" AND ".join(parts))
    assert not takes_audit_logs(f"NOT ({audit})")
