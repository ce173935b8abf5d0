"""End to end: the installed `hipaa-scan azure` against the local HTTPS fake of ARM.

The CLI runs as a subprocess with HIPAA_SCAN_AZURE_TOKEN, `--arm-endpoint` and
`--ca-bundle`, and an empty AZURE_CONFIG_DIR; it never reaches Azure, IMDS or the Azure
CLI. The estate (tests/providers/azure/estate.py) holds the decoys: TLS1_2 as ARM spells
it, and a public container in an account that disallows public access.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from providers import get_provider
from providers.azure.arm import grant_of, operation_of
from providers.azure.demo_estate import (
    CUSTOM_ALL,
    CUSTOM_NARROW,
    CUSTOM_STORAGE,
    MYSQL,
    PG,
    RG_A,
    RG_B,
    SUB_A,
    SUB_B,
    account_uid,
    definition_uid,
    flexible_id,
    nsg_id,
    seed_everything,
    site_id,
    sql_server_id,
    sub_path,
    subscription,
    vault_id,
)
from providers.azure.fake_arm import TOKEN, FakeArm, running
from scanner.schemas import REPORT_SCHEMA, load_schema
from tests.e2e.conftest import hipaa_scan_command, load_json, triples
from tests.sarif_github import check_github, validate_schema

RECORDS = account_uid(SUB_A, RG_A, "nwhrecords")
PUBLIC_WEB = account_uid(SUB_A, RG_A, "nwhpublicweb")
DECOY = account_uid(SUB_A, RG_A, "nwhdecoy")
BILLING = account_uid(SUB_B, RG_B, "nwhbilling")
ACCOUNTS = (RECORDS, PUBLIC_WEB, DECOY, BILLING)


SUBS = (sub_path(SUB_A).lower(), sub_path(SUB_B).lower())
ROLES = tuple(definition_uid(SUB_A, g) for g in (CUSTOM_ALL, CUSTOM_STORAGE, CUSTOM_NARROW))
SQL_GOOD, SQL_OPEN, SQL_AZURE = (
    sql_server_id(SUB_A, RG_A, n).lower() for n in ("nwh-sql-good", "nwh-sql-open", "nwh-sql-azure")
)
VAULTS = (vault_id(SUB_A, RG_A, "nwh-kv").lower(), vault_id(SUB_A, RG_A, "nwh-kv-legacy").lower())
APPS = (site_id(SUB_A, RG_A, "nwh-portal").lower(), site_id(SUB_A, RG_A, "nwh-legacy-app").lower())

FLEX = (
    flexible_id(PG, "nwh-pg-good").lower(),
    flexible_id(PG, "nwh-pg-open").lower(),
    flexible_id(MYSQL, "nwh-mysql").lower(),
)

NSGS = tuple(
    nsg_id(n).lower() for n in ("nwh-web-nsg", "nwh-admin-nsg", "nwh-private-nsg", "nwh-legacy-nsg")
)


def each(
    rule_id: str, failing: set[str] = frozenset(), over: tuple[str, ...] = ACCOUNTS
) -> set[tuple[str, str, str]]:
    return {(rule_id, a, "FAIL" if a in failing else "PASS") for a in over}


EXPECTED = {
    # TLS1_2 in ARM's spelling passes; TLS1_0 and TLS1_1 fail.
    *each("EIT-AZSTORAGE-01", failing={PUBLIC_WEB, BILLING}),
    # The decoy's Container-level container is neutralised by allowBlobPublicAccess=false.
    *each("PUB-AZSTORAGE-01", failing={PUBLIC_WEB}),
    *each("PUB-AZSTORAGE-02", failing={PUBLIC_WEB, DECOY, BILLING}),
    *each("IAM-AZSTORAGE-01", failing={PUBLIC_WEB, DECOY, BILLING}),
    *each("EAR-AZSTORAGE-01", failing={PUBLIC_WEB, DECOY, BILLING}),
    *each("EAR-AZSTORAGE-02", failing={PUBLIC_WEB, DECOY, BILLING}),
    *each("BAK-AZSTORAGE-01", failing={PUBLIC_WEB, DECOY, BILLING}),
    *each("BAK-AZSTORAGE-02", failing={PUBLIC_WEB, DECOY, BILLING}),
    # Neutral bucket rules: secure transfer, blob diagnostics (the decoy's "audit" group
    # counts; StorageWrite alone does not), versioning.
    *each("EIT-BUCKET-01", failing={PUBLIC_WEB}),
    *each("LOG-BUCKET-01", failing={PUBLIC_WEB, BILLING}),
    *each("BAK-BUCKET-01", failing={PUBLIC_WEB, DECOY, BILLING}),
    # Subscription B's only diagnostic setting sends nowhere; its SQL/VM plans are Free.
    *each("LOG-AZACTIVITY-01", failing={SUBS[1]}, over=SUBS),
    *each("LOG-AZDEFENDER-01", failing={SUBS[1]}, over=SUBS),
    # A: Owner to a service principal (plus one inherited from a management group).
    *each("IAM-AZOWNER-01", failing={SUBS[0]}, over=SUBS),
    *each("IAM-AZROLE-01", failing=set(ROLES[:2]), over=ROLES),
    *each("IAM-AZCLASSIC-01", failing={SUBS[1]}, over=SUBS),
    *each("EIT-AZSQL-01", failing={SQL_OPEN}, over=(SQL_GOOD, SQL_OPEN, SQL_AZURE)),
    # Two half ranges add up to the internet; the 0.0.0.0 rule is the lower finding only.
    *each("PUB-AZSQL-01", failing={SQL_OPEN}, over=(SQL_GOOD, SQL_OPEN, SQL_AZURE)),
    *each("PUB-AZSQL-02", failing={SQL_AZURE}, over=(SQL_GOOD, SQL_OPEN, SQL_AZURE)),
    *each("EAR-AZSQL-01", failing={SQL_AZURE}, over=(SQL_GOOD, SQL_OPEN, SQL_AZURE)),
    *each("LOG-AZSQL-01", failing={SQL_OPEN}, over=(SQL_GOOD, SQL_OPEN, SQL_AZURE)),
    *each("BAK-AZKEYVAULT-01", failing={VAULTS[1]}, over=VAULTS),
    *each("PUB-AZKEYVAULT-01", failing={VAULTS[1]}, over=VAULTS),
    *each("EAR-AZKEYVAULT-01", failing={VAULTS[1]}, over=VAULTS),
    *each("LOG-AZKEYVAULT-01", failing={VAULTS[1]}, over=VAULTS),
    *each("EIT-AZFLEXDB-01", failing={FLEX[1]}, over=FLEX),
    *each("PUB-AZFLEXDB-01", failing={FLEX[1]}, over=FLEX),
    *each("BAK-AZFLEXDB-01", failing={FLEX[2]}, over=FLEX),
    *each("BAK-AZFLEXDB-02", failing={FLEX[1], FLEX[2]}, over=FLEX),
    # NSGs as Azure applies them: web's Allow on 22 is overridden by a higher-priority Deny.
    *each("PUB-FIREWALL-01", failing={NSGS[1], NSGS[3]}, over=NSGS),
    *each("PUB-FIREWALL-02", failing={NSGS[1], NSGS[3]}, over=NSGS),
    *each("PUB-FIREWALL-03", failing={NSGS[3]}, over=NSGS),
    *each("EIT-AZWEBAPP-01", failing={APPS[1]}, over=APPS),
    *each("EIT-AZWEBAPP-02", failing={APPS[1]}, over=APPS),
    *each("EIT-AZWEBAPP-03", failing={APPS[1]}, over=APPS),
}


@pytest.fixture(scope="module")
def fake(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FakeArm]:
    with running(tmp_path_factory.mktemp("arm")) as server:
        yield server


@pytest.fixture
def estate(fake: FakeArm) -> FakeArm:
    fake.reset()
    seed_everything(fake)
    return fake


def run_azure(fake: FakeArm, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    config = tmp_path / "azure-config"
    config.mkdir(exist_ok=True)
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("AZURE_", "MSI_", "IDENTITY_")) and k != "REQUESTS_CA_BUNDLE"
    }
    env.update({"HIPAA_SCAN_AZURE_TOKEN": TOKEN, "AZURE_CONFIG_DIR": str(config)})
    command = [*hipaa_scan_command(), *args]
    return subprocess.run(
        command, capture_output=True, text=True, env=env, timeout=300, check=False
    )


def scan(fake: FakeArm, tmp_path: Path, *extra: str) -> tuple[Any, Any, int]:
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    done = run_azure(
        fake,
        tmp_path,
        "azure",
        "--arm-endpoint",
        fake.base_url,
        "--ca-bundle",
        fake.ca_path,
        "--subscription",
        SUB_A,
        "--subscription",
        SUB_B.upper(),
        "--no-progress",
        "--max-attempts",
        "1",
        "--format",
        "json,sarif",
        "-o",
        str(out / "r.json"),
        "-o",
        str(out / "r.sarif"),
        *extra,
    )
    assert "Traceback" not in done.stderr, done.stderr
    return load_json(out / "r.json"), load_json(out / "r.sarif"), done.returncode


def test_scan_reports_the_exact_findings_and_valid_sarif(estate: FakeArm, tmp_path: Path) -> None:
    report, sarif, code = scan(estate, tmp_path)
    assert code == 1  # a critical failure (anonymous blob access)
    assert triples(report) == EXPECTED
    jsonschema.validate(report, load_schema(REPORT_SCHEMA))
    assert report["gaps"] == []
    assert validate_schema(sarif) == []
    assert check_github(sarif) == []
    # One run per subscription, ids lower-cased in every URI.
    runs = {run["automationDetails"]["id"].split("/")[2]: run for run in sarif["runs"]}
    assert set(runs) == {SUB_A, SUB_B}
    uris = [
        loc["physicalLocation"]["artifactLocation"]["uri"]
        for run in sarif["runs"]
        for r in run["results"]
        for loc in r["locations"]
    ]
    assert uris and all(uri == uri.lower() for uri in uris)
    failing = {
        (f["rule_id"], f["resource"]["uid"]) for f in report["findings"] if f["status"] == "FAIL"
    }
    assert {
        (r["ruleId"], r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"])
        for run in sarif["runs"]
        for r in run["results"]
    } == failing


def test_every_call_made_is_declared_granted_and_read_only(estate: FakeArm, tmp_path: Path) -> None:
    scan(estate, tmp_path)
    provider = get_provider("azure")
    declared = {p.operation.lower(): p for p in provider.permissions()}
    role = json.loads(provider.permission_document())
    made = {(s.method, operation_of(s.path)) for s in estate.seen}
    assert {method for method, _ in made} == {"GET"}
    undeclared = sorted(op for _, op in made if op.lower() not in declared)
    assert undeclared == []
    for _, operation in made:
        permission = declared[operation.lower()]
        assert permission.grant == grant_of(permission.operation)
        assert permission.grant in role["Actions"]
        assert provider.is_read_only(permission)
    # No secret-returning POST is even declared.
    assert not any("list" in p.grant.lower().rsplit("/", 1)[-1] for p in declared.values())


def test_a_denied_subscription_is_a_gap_and_strict_exits_3(estate: FakeArm, tmp_path: Path) -> None:
    estate.fail(f"/subscriptions/{SUB_B}", 403, "AuthorizationFailed")
    report, _, code = scan(estate, tmp_path, "--strict")
    assert code == 3
    assert {(g["account"], g["error_code"]) for g in report["gaps"]} == {
        (SUB_B, "AuthorizationFailed")
    }
    assert {t for t in triples(report) if BILLING in t[1]} == set()


def test_a_named_disabled_subscription_is_a_gap_and_strict_exits_3(
    estate: FakeArm, tmp_path: Path
) -> None:
    estate.put(sub_path(SUB_B), subscription(SUB_B, "NWH Billing", state="Disabled"))
    report, _, code = scan(estate, tmp_path, "--strict")
    assert code == 3
    assert {(g["account"], g["error_code"]) for g in report["gaps"]} == {
        (SUB_B, "SubscriptionNotActive")
    }
    assert {t for t in triples(report) if BILLING in t[1]} == set()
    # A Warned (billing-warning) subscription still runs its resources: scanned, complete.
    estate.put(sub_path(SUB_B), subscription(SUB_B, "NWH Billing", state="Warned"))
    report, _, code = scan(estate, tmp_path, "--strict")
    assert (report["gaps"], code) == ([], 1)
    assert triples(report) == EXPECTED


def test_permissions_prints_the_custom_role(tmp_path: Path, fake: FakeArm) -> None:
    done = run_azure(fake, tmp_path, "permissions", "azure")
    assert done.returncode == 0, done.stderr
    assert "Microsoft.Storage/storageAccounts/read" in done.stdout
    assert "listKeys" not in done.stdout


def test_demo_cloud_azure_scans_the_same_estate_with_no_account(
    tmp_path: Path, fake: FakeArm
) -> None:
    out = tmp_path / "demo.json"
    done = run_azure(
        fake,
        tmp_path,
        "demo",
        "--cloud",
        "azure",
        "--no-progress",
        "--format",
        "json",
        "-o",
        str(out),
    )
    assert done.returncode == 1, done.stderr
    report = load_json(out)
    assert triples(report) == EXPECTED
    assert report["gaps"] == []


def test_phi_tag_narrows_resource_rules_to_tagged_accounts(estate: FakeArm, tmp_path: Path) -> None:
    report, _, _ = scan(
        estate,
        tmp_path,
        "--phi-tag",
        "phi=true",
        "--rule",
        "EIT-AZSTORAGE-01",
        "--rule",
        "LOG-AZACTIVITY-01",
    )
    # Only nwhrecords carries phi=true; the subscription-level rule is not PHI-scoped.
    assert triples(report) == {
        ("EIT-AZSTORAGE-01", RECORDS, "PASS"),
        *each("LOG-AZACTIVITY-01", failing={SUBS[1]}, over=SUBS),
    }


def test_the_snapshot_re_evaluates_offline_to_the_same_findings(
    estate: FakeArm, tmp_path: Path
) -> None:
    snapshot = tmp_path / "s.json"
    report, sarif, _ = scan(estate, tmp_path, "--snapshot-out", str(snapshot))
    out = tmp_path / "again"
    out.mkdir()
    done = run_azure(
        estate,
        tmp_path,
        "evaluate",
        str(snapshot),
        "--format",
        "json,sarif",
        "-o",
        str(out / "r.json"),
        "-o",
        str(out / "r.sarif"),
    )
    assert done.returncode == 1, done.stderr
    again = load_json(out / "r.json")
    assert triples(again) == triples(report) == EXPECTED
    assert [r["results"] for r in load_json(out / "r.sarif")["runs"]] == [
        r["results"] for r in sarif["runs"]
    ]
