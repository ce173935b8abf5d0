"""Demo estate, issue 11 group A: AWS Backup plans and vaults, Secrets Manager secrets.

Each service gets a compliant resource and a violation: a daily plan keeping 35 days next
to a weekly one keeping 14; a PHI-tagged vault under a compliance-mode lock (immutable)
next to one under a governance-mode lock (administrators can remove it); an EHR database
secret under the PHI key with an organisation-only policy next to a vendor secret under
the default key whose policy opens it to every account's root user.
(The IAM extras judge the estate's existing users, policies and password policy.)
"""

from __future__ import annotations

import json
from typing import Any

from providers.aws.demo_estate import PHI_TAG, ClientMaker

REGION = "us-east-1"
PHI_KEY_DESCRIPTION = "nwh PHI key"  # created by `seed_s3`


def seed_backup_secrets_iam(make: ClientMaker) -> dict[str, str]:
    """Seed the group's resources; returns their ARNs by role."""
    return {**_seed_backup(make), **_seed_secrets(make)}


def _seed_backup(make: ClientMaker) -> dict[str, str]:
    backup = make("backup", REGION)
    ids: dict[str, str] = {}
    for role, name, schedule, keep_days in (
        ("backup_plan_daily", "nwh-daily-35d", "cron(0 5 ? * * *)", 35),
        ("backup_plan_weekly", "nwh-weekly-14d", "cron(0 5 ? * SUN *)", 14),
    ):
        rule = {
            "RuleName": f"{name}-rule",
            "TargetBackupVaultName": "nwh-phi-vault",
            "ScheduleExpression": schedule,
            "Lifecycle": {"DeleteAfterDays": keep_days},
        }
        created = backup.create_backup_plan(BackupPlan={"BackupPlanName": name, "Rules": [rule]})
        ids[role] = created["BackupPlanArn"]
    phi_tags = {PHI_TAG["Key"]: PHI_TAG["Value"]}
    ids["backup_vault_locked"] = backup.create_backup_vault(
        BackupVaultName="nwh-phi-vault", BackupVaultTags=phi_tags
    )["BackupVaultArn"]
    # Compliance mode: immutable once its grace time ends (the demo's server reports it
    # ended; see providers.aws.demo.with_backup_stub).
    backup.put_backup_vault_lock_configuration(
        BackupVaultName="nwh-phi-vault", MinRetentionDays=35, ChangeableForDays=3
    )
    ids["backup_vault_governance"] = backup.create_backup_vault(
        BackupVaultName="nwh-imaging-vault", BackupVaultTags=phi_tags
    )["BackupVaultArn"]
    # Governance mode (no grace time, no lock date): administrators can remove it.
    backup.put_backup_vault_lock_configuration(
        BackupVaultName="nwh-imaging-vault", MinRetentionDays=35
    )
    return ids


def _policy(principal: Any, **condition: Any) -> str:
    statement: dict[str, Any] = {
        "Sid": "ReadCredentials",
        "Effect": "Allow",
        "Principal": principal,
        "Action": "secretsmanager:GetSecretValue",
        "Resource": "*",
    }
    if condition:
        statement["Condition"] = condition
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def _phi_key(make: ClientMaker) -> str:
    kms = make("kms", REGION)
    for key in kms.list_keys()["Keys"]:
        meta = kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]
        if meta.get("Description") == PHI_KEY_DESCRIPTION:
            return str(meta["Arn"])
    raise LookupError("the demo's PHI key is seeded by seed_s3, which must run first")


def _seed_secrets(make: ClientMaker) -> dict[str, str]:
    secrets = make("secretsmanager", REGION)
    ehr = secrets.create_secret(
        Name="nwh/ehr-db-credentials",
        SecretString="demo-only",
        KmsKeyId=_phi_key(make),
        Tags=[PHI_TAG],
    )["ARN"]
    # Open to the whole organisation only: narrowed by aws:PrincipalOrgID, not public.
    secrets.put_resource_policy(
        SecretId=ehr, ResourcePolicy=_policy("*", StringEquals={"aws:PrincipalOrgID": "o-nwh"})
    )
    vendor = secrets.create_secret(
        Name="nwh/vendor-sftp-password",
        SecretString="demo-only",
        Tags=[PHI_TAG],
    )["ARN"]
    # Trap: every account's root user, written as an ARN pattern, is anyone.
    secrets.put_resource_policy(
        SecretId=vendor, ResourcePolicy=_policy({"AWS": "arn:aws:iam::*:root"})
    )
    return {"secret_ehr": ehr, "secret_vendor": vendor}
