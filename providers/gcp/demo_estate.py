"""The GCP test estate: two projects of a fictional health network, as the REST APIs show them.

``nwh-clinical-prod`` holds the good and the bad side by side, plus the decoys that must
not be reported as the stronger violation: a public bucket labelled ``phi=false`` (out of
scope with ``--phi-tag phi=true``), a read replica without backups (replicas are not
judged for backups), authorized networks that only add up to the internet, and a
``_Default`` sink that is not an export. ``nwh-analytics-dev`` has the Cloud SQL Admin API
disabled and private buckets only.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

PROD = "nwh-clinical-prod"
DEV = "nwh-analytics-dev"
KMS_LOC = f"projects/{PROD}/locations/us-central1"
PHI_RING = f"{KMS_LOC}/keyRings/phi-ring"
OPEN_RING = f"{KMS_LOC}/keyRings/shared-ring"
RECORDS_KEY = f"{PHI_RING}/cryptoKeys/records-key"
DAY = 86400


def stamp(days_ago: int, now: datetime | None = None) -> str:
    """An RFC 3339 time `days_ago` days before now."""
    when = (now or datetime.now(UTC)) - timedelta(days=days_ago)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def bucket(
    name: str,
    *,
    labels: dict[str, str],
    cmek: str | None = None,
    versioning: bool = False,
    soft_delete_days: int = 7,
    ubla: bool = True,
    pap: str = "inherited",
    retention_days: int | None = None,
    acl: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    """A bucket as ``buckets.list?projection=full`` returns it."""
    body: dict[str, Any] = {
        "kind": "storage#bucket",
        "id": name,
        "name": name,
        "location": "US-CENTRAL1",
        "locationType": "region",
        "storageClass": "STANDARD",
        "labels": labels,
        "iamConfiguration": {
            "uniformBucketLevelAccess": {"enabled": ubla},
            "bucketPolicyOnly": {"enabled": ubla},
            "publicAccessPrevention": pap,
        },
        "versioning": {"enabled": versioning},
        "softDeletePolicy": {"retentionDurationSeconds": str(soft_delete_days * DAY)},
        "etag": "CAE=",
        "metageneration": "1",
    }
    if cmek:
        body["encryption"] = {"defaultKmsKeyName": cmek}
    if retention_days is not None:
        body["retentionPolicy"] = {"retentionPeriod": str(retention_days * DAY)}
    if not ubla:
        body["acl"] = acl or [{"entity": "project-owners-1001", "role": "OWNER"}]
        body["defaultObjectAcl"] = [{"entity": "project-owners-1001", "role": "OWNER"}]
    return body


def policy(
    *bindings: tuple[str, list[str]], audit: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """An IAM policy (version 3) with these (role, members) bindings and audit configs."""
    body: dict[str, Any] = {
        "version": 3,
        "etag": "BwXq1A==",
        "bindings": [{"role": r, "members": m} for r, m in bindings],
    }
    if audit is not None:
        body["auditConfigs"] = audit
    return body


def audit(service: str, *types: str, exempted: tuple[str, ...] = ()) -> dict[str, Any]:
    """One ``auditConfigs`` entry."""
    return {
        "service": service,
        "auditLogConfigs": [
            {"logType": t, **({"exemptedMembers": list(exempted)} if exempted else {})}
            for t in types
        ],
    }


def sql(
    name: str,
    *,
    version: str = "POSTGRES_15",
    ssl_mode: str | None = "ENCRYPTED_ONLY",
    require_ssl: bool = False,
    public_ip: bool = False,
    networks: tuple[str, ...] = (),
    backups: bool = True,
    pitr: bool = True,
    cmek: str | None = None,
    flags: dict[str, str] | None = None,
    replica_of: str | None = None,
    labels: dict[str, str] | None = None,
) -> dict[str, Any]:
    """A Cloud SQL instance as ``instances.list`` returns it."""
    ip: dict[str, Any] = {
        "ipv4Enabled": public_ip,
        "requireSsl": require_ssl,
        "authorizedNetworks": [{"value": n, "kind": "sql#aclEntry"} for n in networks],
    }
    if ssl_mode:
        ip["sslMode"] = ssl_mode
    body: dict[str, Any] = {
        "kind": "sql#instance",
        "name": name,
        "project": PROD,
        "region": "us-central1",
        "databaseVersion": version,
        "instanceType": "READ_REPLICA_INSTANCE" if replica_of else "CLOUD_SQL_INSTANCE",
        "settings": {
            "tier": "db-custom-2-7680",
            "availabilityType": "REGIONAL",
            "ipConfiguration": ip,
            "backupConfiguration": {
                "enabled": backups,
                "pointInTimeRecoveryEnabled": pitr,
                "backupRetentionSettings": {"retainedBackups": 14, "retentionUnit": "COUNT"},
            },
            "databaseFlags": [{"name": k, "value": v} for k, v in (flags or {}).items()],
            "userLabels": labels or {},
            "deletionProtectionEnabled": True,
        },
    }
    if replica_of:
        body["masterInstanceName"] = f"{PROD}:{replica_of}"
    if cmek:
        body["diskEncryptionConfiguration"] = {"kmsKeyName": cmek}
    return body


def key(
    name: str, ring: str, *, rotation_days: int | None, labels: dict[str, str]
) -> dict[str, Any]:
    """A Cloud KMS key as ``cryptoKeys.list`` returns it."""
    body: dict[str, Any] = {
        "name": f"{ring}/cryptoKeys/{name}",
        "purpose": "ENCRYPT_DECRYPT",
        "labels": labels,
        "primary": {
            "name": f"{ring}/cryptoKeys/{name}/cryptoKeyVersions/1",
            "state": "ENABLED",
            "algorithm": "GOOGLE_SYMMETRIC_ENCRYPTION",
        },
        "versionTemplate": {
            "algorithm": "GOOGLE_SYMMETRIC_ENCRYPTION",
            "protectionLevel": "SOFTWARE",
        },
    }
    if rotation_days is not None:
        body["rotationPeriod"] = f"{rotation_days * DAY}s"
    return body


def firewall(
    name: str,
    *,
    ports: tuple[str, ...] = (),
    protocol: str = "tcp",
    allow: bool = True,
    priority: int = 1000,
    sources: tuple[str, ...] = ("0.0.0.0/0",),
    tags: tuple[str, ...] = (),
    disabled: bool = False,
    network: str = "default",
) -> dict[str, Any]:
    """A VPC firewall rule as ``firewalls.list`` returns it (ingress)."""
    entry: dict[str, Any] = {"IPProtocol": protocol}
    if ports:
        entry["ports"] = list(ports)
    body: dict[str, Any] = {
        "kind": "compute#firewall",
        "name": name,
        "direction": "INGRESS",
        "network": f"https://www.googleapis.com/compute/v1/projects/{PROD}/global/networks/"
        f"{network}",
        "priority": priority,
        "disabled": disabled,
        "sourceRanges": list(sources),
        "allowed" if allow else "denied": [entry],
    }
    if tags:
        body["targetTags"] = list(tags)
    return body


def subnet(name: str, region: str, network: str, cidr: str, *, logs: bool) -> dict[str, Any]:
    """A subnet as ``subnetworks.aggregatedList`` returns it."""
    base = f"https://www.googleapis.com/compute/v1/projects/{PROD}"
    return {
        "kind": "compute#subnetwork",
        "name": name,
        "ipCidrRange": cidr,
        "region": f"{base}/regions/{region}",
        "network": f"{base}/global/networks/{network}",
        "logConfig": {"enable": logs},
    }


def estate(now: datetime | None = None) -> dict[str, dict[str, Any]]:
    """Both projects, keyed by project id."""
    phi = {"phi": "true"}
    sa = f"{PROD}.iam.gserviceaccount.com"
    prod: dict[str, Any] = {
        "buckets": [
            bucket(
                "nwh-patient-records",
                labels=phi,
                cmek=RECORDS_KEY,
                versioning=True,
                pap="enforced",
                retention_days=30,
            ),
            bucket(
                "nwh-imaging-public",
                labels=phi,
                soft_delete_days=0,
                ubla=False,
                acl=[
                    {"entity": "allUsers", "role": "READER"},
                    {"entity": "project-owners-1001", "role": "OWNER"},
                ],
            ),
            bucket("nwh-website-assets", labels={"phi": "false"}),
        ],
        "bucket_iam": {
            "nwh-patient-records": policy(
                ("roles/storage.objectViewer", ["group:clinicians@nwh.example"])
            ),
            "nwh-imaging-public": policy(("roles/storage.objectViewer", ["allUsers"])),
            "nwh-website-assets": policy(("roles/storage.objectViewer", ["allUsers"])),
        },
        "iam_policy": policy(
            ("roles/owner", ["user:alice@nwh.example"]),
            ("roles/editor", [f"serviceAccount:ci@{sa}", "group:ops@nwh.example"]),
            ("roles/viewer", ["allAuthenticatedUsers"]),
            ("roles/iam.serviceAccountTokenCreator", [f"serviceAccount:deployer@{sa}"]),
            ("roles/storage.objectViewer", ["group:clinicians@nwh.example"]),
            audit=[
                audit("storage.googleapis.com", "DATA_READ", "ADMIN_READ"),
                audit("allServices", "ADMIN_READ", exempted=("user:batch@nwh.example",)),
            ],
        ),
        "service_accounts": [
            {"email": f"ci@{sa}", "name": f"projects/{PROD}/serviceAccounts/ci@{sa}"},
            {"email": f"deployer@{sa}", "name": f"projects/{PROD}/serviceAccounts/deployer@{sa}"},
            {"email": f"app@{sa}", "name": f"projects/{PROD}/serviceAccounts/app@{sa}"},
        ],
        "sa_keys": {
            f"ci@{sa}": [
                {
                    "name": f"projects/{PROD}/serviceAccounts/ci@{sa}/keys/k-old",
                    "keyType": "USER_MANAGED",
                    "validAfterTime": stamp(400, now),
                    "validBeforeTime": "9999-12-31T23:59:59Z",
                }
            ],
            f"deployer@{sa}": [
                {
                    "name": f"projects/{PROD}/serviceAccounts/deployer@{sa}/keys/k-new",
                    "keyType": "USER_MANAGED",
                    "validAfterTime": stamp(10, now),
                    "validBeforeTime": "9999-12-31T23:59:59Z",
                }
            ],
        },
        "sql_instances": [
            sql(
                "ehr-primary",
                cmek=RECORDS_KEY,
                labels=phi,
                flags={"cloudsql.enable_pgaudit": "on", "log_connections": "on"},
            ),
            sql(
                "ehr-replica",
                backups=False,
                pitr=False,
                replica_of="ehr-primary",
                cmek=RECORDS_KEY,
                labels=phi,
                flags={"cloudsql.enable_pgaudit": "on"},
            ),
            sql(
                "billing-mysql",
                version="MYSQL_8_0",
                ssl_mode="ALLOW_UNENCRYPTED_AND_ENCRYPTED",
                public_ip=True,
                networks=("0.0.0.0/1", "128.0.0.0/1"),
                backups=False,
                pitr=False,
                labels=phi,
            ),
        ],
        "datasets": {
            "claims": {
                "datasetReference": {"projectId": PROD, "datasetId": "claims"},
                "labels": phi,
                "location": "US",
                "access": [{"role": "READER", "groupByEmail": "analysts@nwh.example"}],
                "defaultEncryptionConfiguration": {"kmsKeyName": RECORDS_KEY},
            },
            "reference_open": {
                "datasetReference": {"projectId": PROD, "datasetId": "reference_open"},
                "labels": phi,
                "location": "US",
                "access": [
                    {"role": "READER", "specialGroup": "allAuthenticatedUsers"},
                    {"role": "OWNER", "userByEmail": "alice@nwh.example"},
                ],
            },
        },
        "kms": {
            "locations": ["us-central1"],
            "keyRings": {KMS_LOC: [{"name": PHI_RING}, {"name": OPEN_RING}]},
            "cryptoKeys": {
                PHI_RING: [
                    key("records-key", PHI_RING, rotation_days=90, labels=phi),
                    key("legacy-key", PHI_RING, rotation_days=None, labels=phi),
                    key("retired-key", PHI_RING, rotation_days=30, labels=phi),
                ],
                OPEN_RING: [key("shared-key", OPEN_RING, rotation_days=365, labels=phi)],
            },
            "versions": {
                f"{PHI_RING}/cryptoKeys/retired-key": [
                    {
                        "name": f"{PHI_RING}/cryptoKeys/retired-key/cryptoKeyVersions/1",
                        "state": "DESTROY_SCHEDULED",
                    }
                ],
            },
            "iam": {
                OPEN_RING: policy(
                    ("roles/cloudkms.cryptoKeyEncrypterDecrypter", ["allAuthenticatedUsers"])
                )
            },
        },
        "sinks": [
            {
                "name": "_Required",
                "destination": f"logging.googleapis.com/projects/{PROD}/locations/global/buckets/_Required",  # noqa: E501
                "filter": 'LOG_ID("cloudaudit.googleapis.com/activity")',
            },
            {
                "name": "_Default",
                "destination": f"logging.googleapis.com/projects/{PROD}/locations/global/buckets/_Default",  # noqa: E501
                "filter": 'NOT LOG_ID("cloudaudit.googleapis.com/activity")',
            },
            {
                "name": "audit-archive",
                "destination": "storage.googleapis.com/nwh-audit-archive",
                "filter": 'logName:"cloudaudit.googleapis.com"',
            },
        ],
        "firewalls": [
            # Decoy: the internet reaches 443 only.
            firewall("allow-https-web", ports=("443",), tags=("web",)),
            # Decoy: SSH from anywhere, overridden by a deny of higher priority.
            firewall("allow-ssh-anywhere", ports=("22",), tags=("bastion",)),
            firewall("deny-ssh-internet", ports=("22",), allow=False, priority=900),
            # Decoy: RDP allowed and denied at equal priority: the deny wins.
            firewall("allow-rdp-win", ports=("3389",), tags=("win",), priority=500),
            firewall("deny-rdp-win", ports=("3389",), tags=("win",), allow=False, priority=500),
            # Two halves of IPv4 are the internet, for PostgreSQL and MySQL.
            firewall(
                "allow-db-halves",
                ports=("5432", "3306"),
                tags=("db",),
                sources=("0.0.0.0/1", "128.0.0.0/1"),
            ),
            # A deny for other targets does not protect the ops hosts.
            firewall(
                "allow-ssh-ops", ports=("22",), tags=("ops",), priority=800, network="phi-vpc"
            ),
            firewall(
                "deny-ssh-db",
                ports=("22",),
                tags=("db",),
                allow=False,
                priority=100,
                network="phi-vpc",
            ),
            # Every protocol and port from anywhere, for one vendor's hosts.
            firewall("allow-any-vendor", protocol="all", tags=("vendor",), network="phi-vpc"),
            # Disabled rules do not exist for the packet.
            firewall("allow-all-legacy", protocol="all", disabled=True),
            firewall("allow-internal", protocol="all", sources=("10.0.0.0/8",)),
        ],
        "subnetworks": [
            subnet("default", "us-central1", "default", "10.128.0.0/20", logs=True),
            subnet("default", "europe-west1", "default", "10.132.0.0/20", logs=False),
            subnet("phi-app", "us-central1", "phi-vpc", "10.20.0.0/24", logs=True),
            subnet("phi-db", "us-central1", "phi-vpc", "10.20.1.0/24", logs=True),
        ],
        "log_buckets": [
            {"name": f"projects/{PROD}/locations/global/buckets/_Default", "retentionDays": 30},
            {
                "name": f"projects/{PROD}/locations/global/buckets/_Required",
                "retentionDays": 400,
                "locked": True,
            },
        ],
    }
    dev: dict[str, Any] = {
        "buckets": [
            bucket("nwh-dev-scratch", labels={"env": "dev"}, pap="enforced", versioning=True)
        ],
        "iam_policy": policy(
            ("roles/viewer", ["group:analysts@nwh.example"]),
            audit=[audit("allServices", "DATA_READ", "DATA_WRITE")],
        ),
        "sinks": [
            {
                "name": "_Default",
                "destination": f"logging.googleapis.com/projects/{DEV}/locations/global/buckets/_Default",  # noqa: E501
                "filter": "",
            }
        ],
        "log_buckets": [
            {"name": f"projects/{DEV}/locations/global/buckets/_Default", "retentionDays": 30}
        ],
    }
    return {PROD: prod, DEV: dev}
