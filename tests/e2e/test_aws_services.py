"""End to end over the database, compute, network, key, queue, edge and monitoring services.

One `hipaa-scan aws` run of the demo estate across us-east-1 and eu-west-1, asserting the
exact (rule, resource, status) set for every rule of those services, decoys included: a
custom PostgreSQL parameter group with `rds.force_ssl=1`, 443 open to the world, 5432
open to 10.0.0.0/8 written as two /9 halves, an encrypted volume, a rotated key, a
retained log group...
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from providers.aws.demo_estate import client_maker
from tests.e2e.conftest import Seeded, load_json, run_cli, scan_args, triples
from tests.e2e.data_api_expected import DATA_API_RULES, data_api_expected

ACCOUNT = "123456789012"
USE1, EUW1 = "us-east-1", "eu-west-1"
RDS = f"arn:aws:rds:{USE1}:{ACCOUNT}"
EHR, REPORTING = f"{RDS}:db:nwh-ehr-db", f"{RDS}:db:nwh-reporting-db"
REPLICA = f"{RDS}:db:nwh-ehr-db-replica"
EXPORT = f"{RDS}:snapshot:nwh-reporting-db-export"
WAREHOUSE = f"arn:aws:redshift:{EUW1}:{ACCOUNT}:cluster:nwh-analytics"
TABLES = f"arn:aws:dynamodb:{USE1}:{ACCOUNT}:table"
TOPICS, QUEUE = f"arn:aws:sns:{USE1}:{ACCOUNT}", f"arn:aws:sqs:{USE1}:{ACCOUNT}:nwh-claims-intake"
LOGS = f"arn:aws:logs:{USE1}:{ACCOUNT}:log-group"
GRAPH = f"{RDS}:cluster:nwh-care-graph"
STREAMS = f"arn:aws:kinesis:{USE1}:{ACCOUNT}:stream"
FIREHOSE = f"arn:aws:firehose:{USE1}:{ACCOUNT}:deliverystream"
EMR_BPA = "arn:aws:elasticmapreduce:{}:" + ACCOUNT + ":block-public-access"
SERVICE_RULES = (
    "BAK-BACKUPPLAN",
    "BAK-BACKUPVAULT",
    "EAR-BACKUPVAULT",
    "BAK-VOLUME",
    "IAM-SECRET",
    "EAR-SECRET",
    "PUB-SECRET",
    "BAK-DB",
    "BAK-TABLE",
    "BAK-LB",
    "BAK-WAREHOUSE",
    "BAK-FILESYSTEM",
    "EAR-DB",
    "EAR-TABLE",
    "EAR-VOLDEFAULT",
    "EAR-VOLSNAPSHOT",
    "EAR-KEY",
    "EAR-LOGGROUP",
    "EAR-QUEUE",
    "EAR-TOPIC",
    "EAR-VOLUME",
    "EAR-WAREHOUSE",
    "EAR-FILESYSTEM",
    "EIT-CDN",
    "EIT-DB",
    "EIT-LB",
    "EIT-QUEUE",
    "EIT-TOPIC",
    "EIT-WAREHOUSE",
    "EIT-FILESYSTEM",
    "LOG-CDN",
    "LOG-CONFIG",
    "LOG-DB",
    "LOG-FLOWLOG",
    "LOG-THREATDETECT",
    "LOG-LB",
    "LOG-LOGGROUP",
    "LOG-WAREHOUSE",
    "PUB-DB",
    "PUB-VOLSNAPSHOT",
    "PUB-FIREWALL",
    "PUB-KEY",
    "PUB-QUEUE",
    "PUB-TOPIC",
    "PUB-WAREHOUSE",
    *DATA_API_RULES,
    # Group E (streams and analytics).
    "EAR-STREAM",
    "EAR-DELIVERYSTREAM",
    "EAR-ANALYTICS",
    "EIT-ANALYTICS",
    "PUB-ANALYTICS",
    "PUB-MIGRATION",
)


def rule_over(rule_id: str, results: dict[str, str]) -> set[tuple[str, str, str]]:
    return {(rule_id, uid, status) for uid, status in results.items()}


def moto_defaults(endpoint: str) -> dict[str, str]:
    """The default VPCs and security groups moto creates, and its EBS default key."""
    make = client_maker(endpoint)
    found = {}
    for region in (USE1, EUW1):
        ec2 = make("ec2", region)
        vpc = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]
        found[f"default_vpc_{region}"] = vpc["VpcId"]
        for group in ec2.describe_security_groups(
            Filters=[{"Name": "group-name", "Values": ["default"]}]
        )["SecurityGroups"]:
            owner = "default" if group["VpcId"] == vpc["VpcId"] else "nwh"
            found[f"{owner}_sg_{region}"] = group["GroupId"]
    aliases = make("kms").list_aliases()["Aliases"]
    found["ebs_key"] = next(a["TargetKeyId"] for a in aliases if a["AliasName"] == "alias/aws/ebs")
    return found


def expected(ids: dict[str, str], defaults: dict[str, str]) -> set[tuple[str, str, str]]:
    sg = {
        name: f"arn:aws:ec2:{region}:{ACCOUNT}:security-group/{ids.get(key) or defaults[key]}"
        for name, region, key in (
            ("bastion", USE1, "bastion_sg"),
            ("web", USE1, "web_sg"),
            ("internal", USE1, "internal_sg"),
            ("nwh_default", USE1, f"nwh_sg_{USE1}"),
            ("partner_db", USE1, "partner_db_sg"),
            ("legacy", USE1, "legacy_sg"),
            ("use1_default", USE1, f"default_sg_{USE1}"),
            ("rdp", EUW1, "eu_rdp_sg"),
            ("euw1_default", EUW1, f"default_sg_{EUW1}"),
        )
    }
    keys = {
        name: f"arn:aws:kms:{USE1}:{ACCOUNT}:key/{key_id}"
        for name, key_id in (
            ("phi", ids["phi_key"]),
            ("tables", ids["tables_key"]),
            ("legacy", ids["legacy_key"]),
            ("ebs", defaults["ebs_key"]),
        )
    }
    vpcs = {
        f"arn:aws:ec2:{USE1}:{ACCOUNT}:vpc/{ids['vpc']}": "PASS",
        f"arn:aws:ec2:{USE1}:{ACCOUNT}:vpc/{defaults[f'default_vpc_{USE1}']}": "FAIL",
        # Logged subnet by subnet: that covers the VPC (issue 8 item 19).
        f"arn:aws:ec2:{EUW1}:{ACCOUNT}:vpc/{defaults[f'default_vpc_{EUW1}']}": "PASS",
    }
    volume = f"arn:aws:ec2:{USE1}:{ACCOUNT}:volume"
    lb = ids["load_balancer"]
    cdn = f"arn:aws:cloudfront::{ACCOUNT}:distribution/{ids['distribution']}"
    docs = f"arn:aws:cloudfront::{ACCOUNT}:distribution/{ids['docs_distribution']}"
    appointments, sessions = f"{TABLES}/nwh-appointments", f"{TABLES}/nwh-sessions"
    lab, reminders = f"{TOPICS}:nwh-lab-results", f"{TOPICS}:nwh-appointment-reminders"
    audit, access = f"{LOGS}:/nwh/ehr/audit", f"{LOGS}:/nwh/portal/access"
    hardened_db = {EHR: "PASS", REPORTING: "FAIL"}
    return {
        # RDS: the hardened PostgreSQL (custom group with rds.force_ssl=1) against a public,
        # unencrypted MySQL on the default parameter group with a public, plain snapshot.
        *(
            t
            for r in (
                "EAR-DB-01",
                "EIT-DB-01",
                "PUB-DB-01",
                "BAK-DB-01",
                "BAK-DB-02",
                "BAK-DB-03",
                "LOG-DB-01",
            )
            for t in rule_over(r, hardened_db)
        ),
        # The EHR read replica is hardened too; it keeps no backups of its own and is not
        # judged on them (BAK-DB-01 makes no finding for it).
        *(
            (r, REPLICA, "PASS")
            for r in ("EAR-DB-01", "EIT-DB-01", "PUB-DB-01", "BAK-DB-02", "BAK-DB-03", "LOG-DB-01")
        ),
        ("EAR-DBSNAPSHOT-01", EXPORT, "FAIL"),
        ("PUB-DBSNAPSHOT-01", EXPORT, "FAIL"),
        *(
            t
            for r in (
                "EAR-WAREHOUSE-01",
                "EIT-WAREHOUSE-01",
                "PUB-WAREHOUSE-01",
                "LOG-WAREHOUSE-01",
                "BAK-WAREHOUSE-01",
            )
            for t in rule_over(r, {WAREHOUSE: "FAIL"})
        ),
        # EC2: one encrypted and one plain volume; EBS default encryption in us-east-1 only.
        # The two instances' root volumes: the EHR server's encrypted, the fax gateway's not.
        *rule_over(
            "EAR-VOLUME-01",
            {
                f"{volume}/{ids['encrypted_volume']}": "PASS",
                f"{volume}/{ids['plain_volume']}": "FAIL",
                f"{volume}/{ids['ehr_root_volume']}": "PASS",
                f"{volume}/{ids['fax_root_volume']}": "FAIL",
            },
        ),
        # The two registered images' root snapshots: unencrypted, not shared (only the
        # public image itself is shared).
        *(
            (rule_id, f"arn:aws:ec2:{USE1}::snapshot/{ids[key]}", result)
            for key in ("public_image_snapshot", "private_image_snapshot")
            for rule_id, result in (("EAR-VOLSNAPSHOT-01", "FAIL"), ("PUB-VOLSNAPSHOT-01", "PASS"))
        ),
        *rule_over(
            "EAR-VOLDEFAULT-01",
            {
                f"arn:aws:ec2:{USE1}:{ACCOUNT}:ebs-encryption-by-default": "PASS",
                f"arn:aws:ec2:{EUW1}:{ACCOUNT}:ebs-encryption-by-default": "FAIL",
            },
        ),
        # 22, 3389 (IPv6) and WinRM (two /1 halves) open to the world fail; 5432 through a
        # prefix list holding the whole internet fails; tcp 1-65535 is every port. 443 to
        # the world and 5432 to 10/8 (as two /9s) pass.
        *rule_over(
            "PUB-FIREWALL-01",
            {
                uid: "FAIL" if name in ("bastion", "rdp", "legacy") else "PASS"
                for name, uid in sg.items()
            },
        ),
        *rule_over(
            "PUB-FIREWALL-02",
            {
                uid: "FAIL" if name in ("partner_db", "legacy") else "PASS"
                for name, uid in sg.items()
            },
        ),
        *rule_over(
            "PUB-FIREWALL-03",
            {uid: "FAIL" if name == "legacy" else "PASS" for name, uid in sg.items()},
        ),
        # The estate's own VPC logs itself; eu-west-1's default VPC logs every subnet; the
        # us-east-1 default VPC logs nothing.
        *rule_over("LOG-FLOWLOG-01", vpcs),
        # Rotation only on the tables key. moto reports its aws/ebs key as customer-managed.
        # The legacy key is pending deletion: rotation no longer applies; the state fails.
        *rule_over(
            "EAR-KEY-01",
            {
                uid: "PASS" if name == "tables" else "FAIL"
                for name, uid in keys.items()
                if name != "legacy"
            },
        ),
        *rule_over(
            "EAR-KEY-02",
            {uid: "FAIL" if name == "legacy" else "PASS" for name, uid in keys.items()},
        ),
        *rule_over("PUB-KEY-01", dict.fromkeys(keys.values(), "PASS")),
        # DynamoDB: PITR and a customer key on appointments; the AWS-owned key on sessions.
        *rule_over("EAR-TABLE-01", {appointments: "PASS", sessions: "FAIL"}),
        # Sessions has no point-in-time recovery, but the (stubbed) backup service lists it
        # as protected by a backup plan: it passes, and says so.
        *rule_over("BAK-TABLE-01", {appointments: "PASS", sessions: "PASS"}),
        *rule_over("BAK-TABLE-02", {appointments: "FAIL", sessions: "FAIL"}),
        # The portal ALB forwards plain HTTP by default, the scheduling ALB through a rule
        # behind its HTTPS redirect; the kiosk's rules only redirect. With no TLS listener,
        # EIT-LB-02 has nothing to judge.
        ("EIT-LB-01", lb, "FAIL"),
        ("EIT-LB-01", ids["scheduling_lb"], "FAIL"),
        ("EIT-LB-01", ids["kiosk_lb"], "PASS"),
        *(
            (r, uid, "FAIL")
            for r in ("LOG-LB-01", "BAK-LB-01")
            for uid in (lb, ids["scheduling_lb"], ids["kiosk_lb"])
        ),
        *((r, cdn, "FAIL") for r in ("EIT-CDN-01", "EIT-CDN-02", "EIT-CDN-03", "LOG-CDN-01")),
        # Its only origin is http-only: no origin TLS to judge, so EIT-CDN-04 passes.
        ("EIT-CDN-04", cdn, "PASS"),
        # The documents distribution logs through standard logging v2 and reaches a TLS 1.2
        # origin over HTTPS; on the default certificate viewers may still use TLSv1.
        *((r, docs, "PASS") for r in ("EIT-CDN-01", "EIT-CDN-03", "EIT-CDN-04", "LOG-CDN-01")),
        ("EIT-CDN-02", docs, "FAIL"),
        # SNS/SQS: KMS on lab results only; no policy denies plain HTTP; nothing is public.
        *rule_over("EAR-TOPIC-01", {lab: "PASS", reminders: "FAIL"}),
        *rule_over("EIT-TOPIC-01", {lab: "FAIL", reminders: "FAIL"}),
        *rule_over("PUB-TOPIC-01", {lab: "PASS", reminders: "PASS"}),
        # Reminders go to a plain-HTTP webhook and a mailbox; lab results to HTTPS only.
        *rule_over("EIT-TOPIC-02", {lab: "PASS", reminders: "FAIL"}),
        *rule_over("EIT-TOPIC-03", {lab: "PASS", reminders: "FAIL"}),
        ("EAR-QUEUE-01", QUEUE, "FAIL"),
        ("EIT-QUEUE-01", QUEUE, "FAIL"),
        ("PUB-QUEUE-01", QUEUE, "PASS"),
        # Six-year retention on the audit log group only; neither uses a KMS key.
        *rule_over("LOG-LOGGROUP-01", {audit: "PASS", access: "FAIL"}),
        *rule_over("EAR-LOGGROUP-01", {audit: "FAIL", access: "FAIL"}),
        # The encrypted EFS share has neither a TLS-only policy nor automatic backups.
        ("EAR-FILESYSTEM-01", ids["file_system"], "PASS"),
        ("EIT-FILESYSTEM-01", ids["file_system"], "FAIL"),
        ("BAK-FILESYSTEM-01", ids["file_system"], "FAIL"),
        # Issue 11 group A. Backup: a daily plan keeping 35 days against a weekly one keeping
        # 14; a compliance-mode lock past its grace time against a governance-mode lock
        # (administrators can remove it; both vaults empty, so no unencrypted point);
        # no volume is in a plan.
        *rule_over(
            "BAK-BACKUPPLAN-01",
            {ids["backup_plan_daily"]: "PASS", ids["backup_plan_weekly"]: "FAIL"},
        ),
        *rule_over(
            "BAK-BACKUPVAULT-01",
            {ids["backup_vault_locked"]: "PASS", ids["backup_vault_governance"]: "FAIL"},
        ),
        *rule_over(
            "EAR-BACKUPVAULT-01",
            {ids["backup_vault_locked"]: "PASS", ids["backup_vault_governance"]: "PASS"},
        ),
        # Nor are the instances' or the EMR primary node's root volumes.
        *rule_over(
            "BAK-VOLUME-01",
            {
                f"{volume}/{ids[key]}": "FAIL"
                for key in (
                    "encrypted_volume",
                    "plain_volume",
                    "ehr_root_volume",
                    "fax_root_volume",
                    "emr_primary_volume",
                )
            },
        ),
        # Secrets: the EHR credentials under the PHI key with an organisation-only policy;
        # the vendor's under the default key, open to every account's root. Neither rotates
        # (moto cannot run a rotation function); both are new.
        *rule_over("IAM-SECRET-01", {ids["secret_ehr"]: "FAIL", ids["secret_vendor"]: "FAIL"}),
        *rule_over("IAM-SECRET-02", {ids["secret_ehr"]: "PASS", ids["secret_vendor"]: "PASS"}),
        *rule_over("EAR-SECRET-01", {ids["secret_ehr"]: "PASS", ids["secret_vendor"]: "FAIL"}),
        *rule_over("PUB-SECRET-01", {ids["secret_ehr"]: "PASS", ids["secret_vendor"]: "FAIL"}),
        # Config and GuardDuty run in us-east-1 only.
        *rule_over(
            "LOG-CONFIG-01",
            {
                f"arn:aws:config:{USE1}:{ACCOUNT}:recorder-status": "PASS",
                f"arn:aws:config:{EUW1}:{ACCOUNT}:recorder-status": "FAIL",
            },
        ),
        *rule_over(
            "LOG-THREATDETECT-01",
            {
                f"arn:aws:guardduty:{USE1}:{ACCOUNT}:threat-detection": "PASS",
                f"arn:aws:guardduty:{EUW1}:{ACCOUNT}:threat-detection": "FAIL",
            },
        ),
        *group_e(ids),
    }


def group_e(ids: dict[str, str]) -> set[tuple[str, str, str]]:
    """Streams and analytics (issue 11, group E); Redshift Serverless is a gap on moto."""
    emr = ids["emr_cluster"]
    return {
        # Neptune through the RDS API: encrypted, TLS by engine default (1.3), but on the
        # default group neptune_enable_audit_log is off, so its exported audit log is empty.
        *((r, GRAPH, "PASS") for r in ("EAR-DB-01", "EIT-DB-01", "BAK-DB-01", "BAK-DB-03")),
        *((r, GRAPH, "FAIL") for r in ("BAK-DB-02", "LOG-DB-01")),
        *rule_over(
            "EAR-STREAM-01",
            {f"{STREAMS}/nwh-hl7-feed": "PASS", f"{STREAMS}/nwh-device-telemetry": "FAIL"},
        ),
        # Decoy: the Firehose fed by the encrypted stream has no encryption of its own and
        # needs none; the direct-put one buffers claims in clear.
        *rule_over(
            "EAR-DELIVERYSTREAM-01",
            {f"{FIREHOSE}/nwh-hl7-to-lake": "PASS", f"{FIREHOSE}/nwh-claims-export": "FAIL"},
        ),
        ("EAR-ANALYTICS-01", emr, "PASS"),
        # Its primary node's root volume is plain: the security configuration does not ask
        # for EBS encryption.
        (
            "EAR-VOLUME-01",
            f"arn:aws:ec2:{USE1}:{ACCOUNT}:volume/{ids['emr_primary_volume']}",
            "FAIL",
        ),
        ("EIT-ANALYTICS-01", emr, "FAIL"),
        ("PUB-ANALYTICS-01", emr, "FAIL"),
        # moto cannot store block public access "off" (see demo_streams_analytics).
        *rule_over(
            "PUB-ANALYTICSDEFAULT-01", {EMR_BPA.format(USE1): "PASS", EMR_BPA.format(EUW1): "PASS"}
        ),
        *rule_over("PUB-MIGRATION-01", {ids["dms_private"]: "PASS", ids["dms_public"]: "FAIL"}),
        # moto has no Redshift Serverless: its failed listing leaves every warehouse rule
        # UNKNOWN for the warehouses it may have hidden, per region.
        *(
            (r, f"aws/{ACCOUNT}/{region}/database.warehouse", "UNKNOWN")
            for r in (
                "EAR-WAREHOUSE-01",
                "EIT-WAREHOUSE-01",
                "PUB-WAREHOUSE-01",
                "LOG-WAREHOUSE-01",
                "BAK-WAREHOUSE-01",
            )
            for region in (USE1, EUW1)
        ),
    }


# Judged in test_aws_compute.py with the other compute rules.
ELSEWHERE = ("PUB-FIREWALL-04",)


def service_slice(report: dict[str, Any]) -> set[tuple[str, str, str]]:
    return {t for t in triples(report) if t[0].startswith(SERVICE_RULES) and t[0] not in ELSEWHERE}


def test_services_report_exact_findings_with_decoys(seeded: Seeded, tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    result = run_cli(scan_args(seeded.endpoint, "--format", "json", "-o", str(out)), tmp_path)
    assert result.code == 1
    assert "Traceback" not in result.stderr
    report = load_json(out)
    want = expected(seeded.ids, moto_defaults(seeded.endpoint)) | data_api_expected(seeded.ids)
    assert service_slice(report) == want
