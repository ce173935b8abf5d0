"""Storage accounts read through the fake ARM into `storage.bucket` facts."""

from __future__ import annotations

from providers.azure.demo_estate import (
    RG_A,
    RG_B,
    SUB_A,
    SUB_B,
    account_uid,
    blob_service,
    seed,
    seed_account,
    storage_account,
    sub_path,
)
from providers.azure.fake_arm import FakeArm
from scanner.engine import EvaluationConfig, evaluate
from scanner.kinds.storage import AccessLogging
from scanner.model import Snapshot, Status
from tests.providers.azure.conftest import by_uid, scan
from tests.rules.support import rule_by_id

RECORDS = account_uid(SUB_A, RG_A, "nwhrecords")
PUBLIC_WEB = account_uid(SUB_A, RG_A, "nwhpublicweb")
DECOY = account_uid(SUB_A, RG_A, "nwhdecoy")
BILLING = account_uid(SUB_B, RG_B, "nwhbilling")


def test_storage_accounts_become_buckets_with_their_facts(arm: FakeArm) -> None:
    seed(arm)
    snapshot = scan(arm, [SUB_A, SUB_B])
    assert snapshot.gaps == ()
    found = by_uid(snapshot)
    assert {u for u, r in found.items() if r.kind == "storage.bucket"} == {
        RECORDS,
        PUBLIC_WEB,
        DECOY,
        BILLING,
    }
    records = found[RECORDS]
    assert (records.name, records.account, records.region) == ("nwhrecords", SUB_A, "eastus")
    assert records.tags == {"phi": "true"}
    props = records.props
    assert props.tls_required is True
    assert props.encryption.customer_managed_key is True
    assert props.encryption.kms_key_id == "https://nwh-kv.vault.azure.net/keys/phi-key"
    assert props.versioning_enabled is True
    assert props.public is False and props.public_acl_grants == ()
    assert props.access_logging.enabled is True
    assert props.azure.minimum_tls_version == "TLS1_2"
    assert props.azure.geo_redundant is True
    assert (props.azure.blob_soft_delete_days, props.azure.container_soft_delete_days) == (30, 30)
    web = found[PUBLIC_WEB].props
    assert (web.tls_required, web.public, web.acl_public) == (False, True, True)
    assert web.public_acl_grants == ("site:Blob",)
    assert web.access_logging == AccessLogging(enabled=False)  # StorageWrite alone
    assert web.encryption.customer_managed_key is False
    # The account switch neutralises the public container, whose level is still reported.
    decoy = found[DECOY].props
    assert decoy.public_acl_grants == ("old-export:Container",)
    assert (decoy.public, decoy.acl_public) == (False, False)
    assert decoy.access_logging.enabled is True  # the "audit" category group
    billing = found[BILLING].props
    # Unset allowBlobPublicAccess allows public containers; none of its 5 (paged) is.
    assert billing.azure.allow_blob_public_access is True
    assert billing.public is False and billing.public_acl_grants == ()
    assert billing.versioning_enabled is False  # absent isVersioningEnabled means off
    assert billing.azure.public_network_access == "Enabled"


def test_paging_follows_next_link_and_api_versions_are_pinned(arm: FakeArm) -> None:
    seed(arm)
    arm.page_size = 1
    snapshot = scan(arm, [SUB_B])
    assert {r.uid for r in snapshot.resources if r.kind == "storage.bucket"} == {BILLING}
    containers = [s for s in arm.seen if s.path.endswith("/containers")]
    assert len(containers) == 5  # five containers, one per page
    versions = {(s.path.rsplit("/", 1)[-1].lower(), s.api_version) for s in arm.seen}
    assert ("storageaccounts", "2023-05-01") in versions
    assert ("diagnosticsettings", "2021-05-01-preview") in versions


def test_unreadable_container_list_is_unknown_unless_the_account_forbids_public(
    arm: FakeArm,
) -> None:
    seed(arm)
    for name, rg, sub in (("nwhpublicweb", RG_A, SUB_A), ("nwhdecoy", RG_A, SUB_A)):
        arm.fail(
            f"{account_uid(sub, rg, name)}/blobServices/default/containers",
            403,
            "AuthorizationFailed",
        )
    found = by_uid(scan(arm, [SUB_A]))
    assert found[PUBLIC_WEB].props.public is None
    assert found[PUBLIC_WEB].props.public_acl_grants is None
    # allowBlobPublicAccess=false decides alone: no container can be public.
    assert found[DECOY].props.public is False


def test_failed_reads_are_gaps_and_unknown_facts(arm: FakeArm) -> None:
    seed(arm)
    blob = f"{account_uid(SUB_A, RG_A, 'nwhrecords')}/blobServices/default"
    arm.fail(blob, 500, "InternalServerError")
    arm.fail(f"{blob}/providers/Microsoft.Insights/diagnosticSettings", 403, "AuthorizationFailed")
    snapshot = scan(arm, [SUB_A])
    props = by_uid(snapshot)[RECORDS].props
    assert props.versioning_enabled is None and props.azure.blob_soft_delete is None
    assert props.access_logging is None and props.azure.log_categories is None
    assert {(g.account, g.operation, g.error_code, g.resource_uid) for g in snapshot.gaps} == {
        (SUB_A, "Microsoft.Storage/storageAccounts/blobServices", "InternalServerError", RECORDS),
        (SUB_A, "Microsoft.Insights/diagnosticSettings", "AuthorizationFailed", RECORDS),
    }


# --- firewalls whose IP rules add up to the internet -------------------------------------
IP_RULES = {
    # Two halves of IPv4: the internet however the default action reads.
    "nwhhalves": [{"value": "0.0.0.0/1", "action": "Allow"}, {"value": "128.0.0.0/1"}],
    # The near miss: an office range and one address.
    "nwhoffice": [
        {"value": "203.0.113.0/24", "action": "Allow"},
        {"value": "198.51.100.7", "action": "Allow"},
    ],
    # A value that is no address: what the firewall admits is unknown.
    "nwhgarbled": [{"value": "0.0.0.0/1", "action": "Allow"}, {"value": "somewhere"}],
}


def _firewalled(arm: FakeArm) -> Snapshot:
    seed(arm)
    accounts = [
        storage_account(
            SUB_B,
            RG_B,
            name,
            supportsHttpsTrafficOnly=True,
            networkAcls={"defaultAction": "Deny", "bypass": "AzureServices", "ipRules": rules},
        )
        for name, rules in IP_RULES.items()
    ]
    arm.put_list(f"{sub_path(SUB_B)}/providers/Microsoft.Storage/storageAccounts", accounts)
    for item in accounts:
        seed_account(arm, item, blob_service(), [], [])
    return scan(arm, [SUB_B])


def test_deny_firewalls_whose_ip_rules_are_the_internet_fail(arm: FakeArm) -> None:
    snapshot = _firewalled(arm)
    ip_rules = {
        r.name: r.props.azure.network_ip_rules
        for r in snapshot.resources
        if r.kind == "storage.bucket"
    }
    assert ip_rules == {
        "nwhhalves": ("0.0.0.0/1", "128.0.0.0/1"),
        "nwhoffice": ("203.0.113.0/24", "198.51.100.7"),
        "nwhgarbled": None,
    }
    report = evaluate([snapshot], [rule_by_id("PUB-AZSTORAGE-02")], EvaluationConfig())
    assert {(f.rule_id, f.resource.uid, f.status) for f in report.findings} == {
        ("PUB-AZSTORAGE-02", account_uid(SUB_B, RG_B, "nwhhalves"), Status.FAIL),
        ("PUB-AZSTORAGE-02", account_uid(SUB_B, RG_B, "nwhoffice"), Status.PASS),
        ("PUB-AZSTORAGE-02", account_uid(SUB_B, RG_B, "nwhgarbled"), Status.UNKNOWN),
    }
    [failed] = [f for f in report.findings if f.status is Status.FAIL]
    assert failed.evidence["ip_rules"] == ["0.0.0.0/1", "128.0.0.0/1"]
