"""GCP rules: PASS, FAIL and UNKNOWN (and not-applicable) on hand-made facts, via the engine."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from scanner.engine import EvaluationConfig, evaluate
from scanner.kinds.database import DatabaseInstance
from scanner.kinds.gcp import (
    BigQueryDataset,
    CloudSqlDetail,
    GcsDetail,
    KmsKeyDetail,
    LogBucket,
    LogExports,
    LogSink,
    ServiceAccount,
    ServiceAccountKey,
)
from scanner.kinds.iam import MemberType, RoleBinding
from scanner.kinds.kms import Key
from scanner.kinds.logging import AuditLogConfig, ServiceAuditLogging
from scanner.kinds.storage import Bucket, BucketEncryption
from scanner.model import JSONValue, Resource, Scope, Snapshot, Status
from tests.rules.support import rule_by_id

PROJECT = "nwh-clinical-prod"


def gcp(props: Any, name: str = "thing", tags: dict[str, str] | None = None) -> Resource[Any]:
    return Resource(
        uid=f"//test.googleapis.com/projects/{PROJECT}/{name}",
        provider="gcp",
        kind=props.KIND,
        native_type="test.googleapis.com/Thing",
        account=PROJECT,
        region="us-central1",
        name=name,
        props=props,
        tags=tags or {},
    )


def statuses(
    rule_id: str,
    resource: Resource[Any],
    params: dict[str, JSONValue] | None = None,
    phi_tags: tuple[tuple[str, str], ...] = (),
) -> list[Status]:
    snapshot = Snapshot(
        tool_version="test",
        scope=Scope("gcp", (PROJECT,), ("global",)),
        started_at="",
        finished_at="",
        resources=(resource,),
        gaps=(),
    )
    config = EvaluationConfig(phi_tags=phi_tags, params={rule_id: params or {}})
    report = evaluate([snapshot], [rule_by_id(rule_id)], config)
    return [f.status for f in report.findings]


GOOD_GCS = GcsDetail(
    uniform_bucket_level_access=True,
    public_access_prevention="enforced",
    soft_delete_retention_days=7,
    retention_period_days=30,
)
BUCKET = Bucket(
    encryption=BucketEncryption(enabled=True),
    versioning_enabled=False,
    acls_enabled=False,
    object_acl_exposure=False,
    gcp=GOOD_GCS,
)


def bucket(**detail: Any) -> Resource[Any]:
    return gcp(replace(BUCKET, gcp=replace(GOOD_GCS, **detail)))


SQL = CloudSqlDetail(
    replica=False,
    backup_enabled=True,
    point_in_time_recovery=True,
    database_flags=("cloudsql.enable_pgaudit=on",),
)
INSTANCE = DatabaseInstance(
    engine="postgres",
    engine_version="POSTGRES_15",
    encrypted_at_rest=True,
    kms_key_id="projects/p/locations/l/keyRings/r/cryptoKeys/k",
    tls_enforced=True,
    tls_parameter="sslMode",
    tls_parameter_value="ENCRYPTED_ONLY",
    tls_source="instance-setting",
    parameter_group=None,
    publicly_accessible=False,
    backup_retention_days=7,
    high_availability=True,
    deletion_protection=True,
    log_exports=None,
    audit_log_exports=("cloudsql.enable_pgaudit",),
    gcp=SQL,
)


def instance(detail: dict[str, Any] | None = None, **fields: Any) -> Resource[Any]:
    return gcp(replace(INSTANCE, gcp=replace(SQL, **(detail or {})), **fields))


KMS = KmsKeyDetail(rotation_set=True, rotation_period_days=90, destroy_scheduled_versions=())
KEY = Key(
    key_id="k",
    key_manager="CUSTOMER",
    key_spec="GOOGLE_SYMMETRIC_ENCRYPTION",
    key_usage="ENCRYPT_DECRYPT",
    key_state="ENABLED",
    origin="SOFTWARE",
    rotation_applicable=True,
    rotation_enabled=True,
    public_policy_statements=(),
    gcp=KMS,
)


def key(**detail: Any) -> Resource[Any]:
    return gcp(replace(KEY, gcp=replace(KMS, **detail)))


def binding(
    member: str, member_type: MemberType, role: str, *, basic: bool | None, admin: bool | None
) -> Resource[Any]:
    return gcp(
        RoleBinding(
            member=member,
            member_type=member_type,
            role=role,
            scope=f"//cloudresourcemanager.googleapis.com/projects/{PROJECT}",
            scope_level="project",
            owner_equivalent=role == "roles/owner",
            basic_role=basic,
            admin_equivalent=admin,
        )
    )


def account(*ages: int | None, disabled: bool = False) -> Resource[Any]:
    keys = tuple(
        ServiceAccountKey(key_id=f"k{i}", age_days=a, disabled=disabled) for i, a in enumerate(ages)
    )
    return gcp(
        ServiceAccount(email="ci@p.iam.gserviceaccount.com", disabled=False, user_managed_keys=keys)
    )


def audit(*entries: ServiceAuditLogging) -> Resource[Any]:
    return gcp(AuditLogConfig(services=entries))


def sink(name: str, exports: bool, disabled: bool = False) -> LogSink:
    return LogSink(
        name=name,
        destination="storage.googleapis.com/b",
        disabled=disabled,
        exports_audit_logs=exports,
    )


ALL = ServiceAuditLogging("allServices", data_read=True, data_write=True)
USER = MemberType.USER
SERVICE = MemberType.SERVICE

CASES: list[tuple[str, Resource[Any], list[Status]]] = [
    ("PUB-BUCKET-04", gcp(BUCKET), [Status.PASS]),
    ("PUB-BUCKET-04", gcp(replace(BUCKET, acls_enabled=True)), [Status.FAIL]),
    ("PUB-BUCKET-04", gcp(replace(BUCKET, acls_enabled=None)), [Status.UNKNOWN]),
    ("PUB-BUCKET-07", bucket(), [Status.PASS]),
    ("PUB-BUCKET-07", bucket(public_access_prevention="inherited"), [Status.FAIL]),
    ("PUB-BUCKET-07", bucket(public_access_prevention=None), [Status.UNKNOWN]),
    ("BAK-BUCKET-02", bucket(), [Status.PASS]),  # soft delete 7 days
    (
        "BAK-BUCKET-02",
        gcp(
            replace(
                BUCKET, versioning_enabled=True, gcp=replace(GOOD_GCS, soft_delete_retention_days=0)
            )
        ),
        [Status.PASS],
    ),
    ("BAK-BUCKET-02", bucket(soft_delete_retention_days=3), [Status.FAIL]),
    ("BAK-BUCKET-02", bucket(soft_delete_retention_days=None), [Status.UNKNOWN]),
    ("BAK-BUCKET-03", bucket(), [Status.PASS]),
    ("BAK-BUCKET-03", bucket(retention_period_days=0), [Status.FAIL]),
    ("BAK-BUCKET-03", bucket(retention_period_days=None), [Status.UNKNOWN]),
    ("LOG-AUDITCONFIG-01", audit(ALL), [Status.PASS]),
    (
        "LOG-AUDITCONFIG-01",
        audit(ServiceAuditLogging("storage.googleapis.com", True, False)),
        [Status.FAIL],
    ),
    ("LOG-AUDITCONFIG-01", gcp(AuditLogConfig(services=None)), [Status.UNKNOWN]),
    (
        "LOG-AUDITEXPORT-01",
        gcp(LogExports(sinks=(sink("audit", True),), buckets=())),
        [Status.PASS],
    ),
    (
        "LOG-AUDITEXPORT-01",
        gcp(LogExports(sinks=(sink("_Default", False),), buckets=(LogBucket("b/_Default", 400),))),
        [Status.PASS],
    ),
    (
        # _Required never holds Data Access logs: its 400 days are no audit retention.
        "LOG-AUDITEXPORT-01",
        gcp(
            LogExports(
                sinks=(sink("_Default", False),),
                buckets=(LogBucket("b/_Default", 30), LogBucket("b/_Required", 400, True)),
            )
        ),
        [Status.FAIL],
    ),
    (
        "LOG-AUDITEXPORT-01",
        gcp(
            LogExports(
                sinks=(sink("audit", True, disabled=True),), buckets=(LogBucket("b/_Default", 30),)
            )
        ),
        [Status.FAIL],
    ),
    (
        "LOG-AUDITEXPORT-01",
        gcp(LogExports(sinks=None, buckets=(LogBucket("b/_Default", 30),))),
        [Status.UNKNOWN],
    ),
    (
        "IAM-BINDING-01",
        binding("user:a@x.y", USER, "roles/owner", basic=True, admin=True),
        [Status.FAIL],
    ),
    (
        "IAM-BINDING-01",
        binding("user:a@x.y", USER, "roles/viewer", basic=True, admin=False),
        [Status.PASS],
    ),
    (
        "IAM-BINDING-01",
        binding("user:a@x.y", USER, "roles/x", basic=None, admin=None),
        [Status.UNKNOWN],
    ),
    (
        "IAM-BINDING-01",
        binding("group:g@x.y", MemberType.GROUP, "roles/owner", basic=True, admin=True),
        [Status.FAIL],
    ),
    (
        "IAM-BINDING-01",
        binding("domain:x.y", MemberType.DOMAIN, "roles/owner", basic=True, admin=True),
        [Status.FAIL],
    ),
    (
        "IAM-BINDING-01",
        binding(
            "principalSet://iam.googleapis.com/projects/1/locations/global/"
            "workloadIdentityPools/gh/*",
            MemberType.FEDERATED,
            "roles/editor",
            basic=True,
            admin=True,
        ),
        [Status.FAIL],
    ),
    (
        "IAM-BINDING-01",
        binding("domain:x.y", MemberType.DOMAIN, "roles/viewer", basic=True, admin=False),
        [Status.PASS],
    ),
    (
        "IAM-BINDING-01",
        binding("newKind:x", MemberType.OTHER, "roles/owner", basic=True, admin=True),
        [Status.UNKNOWN],
    ),
    (
        "IAM-BINDING-01",
        binding("allUsers", MemberType.PUBLIC, "roles/owner", basic=True, admin=True),
        [],
    ),
    (
        "IAM-BINDING-02",
        binding(
            "serviceAccount:s@p", SERVICE, "roles/iam.serviceAccountUser", basic=False, admin=True
        ),
        [Status.FAIL],
    ),
    (
        "IAM-BINDING-02",
        binding(
            "serviceAccount:s@p", SERVICE, "roles/storage.objectViewer", basic=False, admin=False
        ),
        [Status.PASS],
    ),
    (
        "IAM-BINDING-02",
        binding("serviceAccount:s@p", SERVICE, "roles/x", basic=None, admin=None),
        [Status.UNKNOWN],
    ),
    ("IAM-BINDING-02", binding("user:a@x.y", USER, "roles/owner", basic=True, admin=True), []),
    (
        "IAM-BINDING-02",
        binding("group:g@x.y", MemberType.GROUP, "roles/owner", basic=True, admin=True),
        [],
    ),
    (
        "IAM-BINDING-02",
        binding(
            "domain:x.y", MemberType.DOMAIN, "roles/iam.securityAdmin", basic=False, admin=True
        ),
        [Status.FAIL],
    ),
    (
        "IAM-BINDING-02",
        binding(
            "principal://iam.googleapis.com/projects/1/locations/global/"
            "workloadIdentityPools/gh/subject/repo:o/r",
            MemberType.FEDERATED,
            "roles/iam.serviceAccountTokenCreator",
            basic=False,
            admin=True,
        ),
        [Status.FAIL],
    ),
    (
        "IAM-BINDING-02",
        binding("newKind:x", MemberType.OTHER, "roles/viewer", basic=True, admin=False),
        [Status.UNKNOWN],
    ),
    (
        "PUB-BINDING-01",
        binding("newKind:x", MemberType.OTHER, "roles/viewer", basic=True, admin=False),
        [Status.UNKNOWN],
    ),
    (
        "PUB-BINDING-01",
        binding("allUsers", MemberType.PUBLIC, "roles/viewer", basic=True, admin=False),
        [Status.FAIL],
    ),
    (
        "PUB-BINDING-01",
        binding(
            "allAuthenticatedUsers",
            MemberType.ALL_AUTHENTICATED,
            "roles/viewer",
            basic=True,
            admin=False,
        ),
        [Status.FAIL],
    ),
    (
        "PUB-BINDING-01",
        binding("group:g@x.y", MemberType.GROUP, "roles/viewer", basic=True, admin=False),
        [Status.PASS],
    ),
    ("IAM-SERVICEKEY-01", account(10), [Status.PASS]),
    ("IAM-SERVICEKEY-01", account(), [Status.PASS]),
    ("IAM-SERVICEKEY-01", account(400), [Status.FAIL]),
    ("IAM-SERVICEKEY-01", account(400, disabled=True), [Status.PASS]),
    ("IAM-SERVICEKEY-01", account(None), [Status.UNKNOWN]),
    (
        "IAM-SERVICEKEY-01",
        gcp(ServiceAccount(email="e", disabled=None, user_managed_keys=None)),
        [Status.UNKNOWN],
    ),
    ("BAK-DB-04", instance(), [Status.PASS]),
    ("BAK-DB-04", instance({"point_in_time_recovery": False}), [Status.FAIL]),
    ("BAK-DB-04", instance({"point_in_time_recovery": None}), [Status.UNKNOWN]),
    ("BAK-DB-04", instance({"replica": True, "point_in_time_recovery": False}), []),
    ("BAK-DB-01", instance(), [Status.PASS]),
    ("BAK-DB-01", instance(backup_retention_days=0), [Status.FAIL]),
    ("BAK-DB-01", instance(backup_retention_days=None), [Status.UNKNOWN]),
    (
        "BAK-DB-01",
        instance(
            {"replica": True},
            backup_retention_days=None,
            replica_source="//sqladmin.googleapis.com/projects/p/instances/a",
        ),
        [],
    ),
    ("EAR-KEY-02", gcp(replace(KEY, usable=True)), [Status.PASS]),
    ("EAR-KEY-02", gcp(replace(KEY, usable=False, key_state="DISABLED")), [Status.FAIL]),
    ("EAR-KEY-02", gcp(replace(KEY, usable=None)), [Status.UNKNOWN]),
    ("EAR-DB-02", instance(), [Status.PASS]),
    ("EAR-DB-02", instance(kms_key_id=""), [Status.FAIL]),
    ("EAR-DB-02", instance(kms_key_id=None), [Status.UNKNOWN]),
    # Neutral rules GCP claims, on GCP-shaped facts.
    ("LOG-DB-01", instance(log_exports=("cloudsql.enable_pgaudit",)), [Status.PASS]),
    ("LOG-DB-01", instance(log_exports=(), audit_log_exports=()), [Status.FAIL]),
    ("LOG-DB-01", instance(log_exports=None, audit_log_exports=None), [Status.UNKNOWN]),
    ("EIT-DB-01", instance(), [Status.PASS]),
    (
        "EIT-DB-01",
        instance(tls_enforced=False, tls_parameter_value="ALLOW_UNENCRYPTED_AND_ENCRYPTED"),
        [Status.FAIL],
    ),
    ("EIT-DB-01", instance(tls_enforced=None), [Status.UNKNOWN]),
    ("PUB-DB-01", instance(), [Status.PASS]),
    ("PUB-DB-01", instance(publicly_accessible=True), [Status.FAIL]),
    ("PUB-DB-01", instance(publicly_accessible=None), [Status.UNKNOWN]),
    ("EAR-DB-01", instance(), [Status.PASS]),
    ("EAR-KEY-01", key(), [Status.PASS]),
    ("EAR-KEY-01", gcp(replace(KEY, rotation_enabled=False)), [Status.FAIL]),
    ("EAR-KEY-01", gcp(replace(KEY, rotation_enabled=None)), [Status.UNKNOWN]),
    ("PUB-KEY-01", key(), [Status.PASS]),
    (
        "PUB-KEY-01",
        gcp(replace(KEY, public_policy_statements=("allUsers:roles/x",))),
        [Status.FAIL],
    ),
    ("PUB-KEY-01", gcp(replace(KEY, public_policy_statements=None)), [Status.UNKNOWN]),
    (
        "EAR-BUCKET-02",
        gcp(
            replace(
                BUCKET,
                encryption=BucketEncryption(
                    enabled=True, algorithm="CMEK", kms_key_id="k", customer_managed_key=True
                ),
            )
        ),
        [Status.PASS],
    ),
    (
        "EAR-BUCKET-02",
        gcp(
            replace(
                BUCKET,
                encryption=BucketEncryption(
                    enabled=True,
                    algorithm="GOOGLE_MANAGED",
                    customer_managed_key=False,
                    platform_default=True,
                ),
            )
        ),
        [Status.FAIL],
    ),
    ("EAR-BUCKET-02", gcp(replace(BUCKET, encryption=None)), [Status.UNKNOWN]),
    ("PUB-BUCKET-02", gcp(replace(BUCKET, public_acl_grants=(), acl_public=False)), [Status.PASS]),
    (
        "PUB-BUCKET-02",
        gcp(replace(BUCKET, public_acl_grants=("bucket:allUsers:READER",), acl_public=True)),
        [Status.FAIL],
    ),
    (
        "PUB-BUCKET-02",
        gcp(replace(BUCKET, public_acl_grants=None, acl_public=None)),
        [Status.UNKNOWN],
    ),
    (
        "PUB-BUCKET-03",
        gcp(replace(BUCKET, public_policy_statements=("allUsers:roles/x",), policy_public=False)),
        [Status.PASS],
    ),
    (
        "PUB-BUCKET-03",
        gcp(replace(BUCKET, public_policy_statements=("allUsers:roles/x",), policy_public=True)),
        [Status.FAIL],
    ),
    (
        "PUB-BUCKET-03",
        gcp(replace(BUCKET, public_policy_statements=None, policy_public=None)),
        [Status.UNKNOWN],
    ),
    ("PUB-DATASET-01", gcp(BigQueryDataset(public_members=(), kms_key_name="")), [Status.PASS]),
    (
        "PUB-DATASET-01",
        gcp(BigQueryDataset(public_members=("allUsers:READER",), kms_key_name="")),
        [Status.FAIL],
    ),
    (
        "PUB-DATASET-01",
        gcp(BigQueryDataset(public_members=None, kms_key_name=None)),
        [Status.UNKNOWN],
    ),
    ("EAR-DATASET-01", gcp(BigQueryDataset(public_members=(), kms_key_name="k")), [Status.PASS]),
    ("EAR-DATASET-01", gcp(BigQueryDataset(public_members=(), kms_key_name="")), [Status.FAIL]),
    (
        "EAR-DATASET-01",
        gcp(BigQueryDataset(public_members=None, kms_key_name=None)),
        [Status.UNKNOWN],
    ),
    ("EAR-KEY-03", key(), [Status.PASS]),
    ("EAR-KEY-03", key(rotation_period_days=365), [Status.FAIL]),
    # No rotation at all is EAR-KEY-01's failure, not a second one here.
    ("EAR-KEY-03", key(rotation_set=False, rotation_period_days=None), []),
    ("EAR-KEY-03", key(rotation_set=None, rotation_period_days=None), [Status.UNKNOWN]),
    ("EAR-KEY-03", gcp(replace(KEY, rotation_applicable=False)), []),
    ("BAK-KEY-01", key(), [Status.PASS]),
    ("BAK-KEY-01", key(destroy_scheduled_versions=("3",)), [Status.FAIL]),
    ("BAK-KEY-01", key(destroy_scheduled_versions=None), [Status.UNKNOWN]),
]


@pytest.mark.parametrize(
    ("rule_id", "resource", "expected"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)]
)
def test_gcp_rule(rule_id: str, resource: Resource[Any], expected: list[Status]) -> None:
    assert statuses(rule_id, resource) == expected


def test_parameters_change_the_verdict() -> None:
    assert statuses("IAM-SERVICEKEY-01", account(100), {"max_key_age_days": 120}) == [Status.PASS]
    assert statuses("EAR-KEY-03", key(rotation_period_days=120), {"max_rotation_days": 180}) == [
        Status.PASS
    ]
    partial = audit(ServiceAuditLogging("storage.googleapis.com", True, True))
    assert statuses("LOG-AUDITCONFIG-01", partial) == [Status.FAIL]
    assert statuses("LOG-AUDITCONFIG-01", partial, {"services": ["storage.googleapis.com"]}) == [
        Status.PASS
    ]


def test_phi_scope_applies_to_resources_not_to_project_settings() -> None:
    phi = (("phi", "true"),)
    unlabelled = bucket(public_access_prevention="inherited")
    assert statuses("PUB-BUCKET-07", unlabelled, phi_tags=phi) == []
    labelled = gcp(unlabelled.props, tags={"phi": "true"})
    assert statuses("PUB-BUCKET-07", labelled, phi_tags=phi) == [Status.FAIL]
    assert statuses("LOG-AUDITCONFIG-01", audit(), phi_tags=phi) == [Status.FAIL]


def test_rules_ignore_other_clouds() -> None:
    aws = replace(bucket(public_access_prevention="inherited"), provider="aws")
    assert statuses("PUB-BUCKET-07", aws) == []
