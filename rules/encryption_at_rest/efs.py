"""EFS file systems must be encrypted at rest."""

from __future__ import annotations

from rules.hipaa import ENCRYPTION_AND_DECRYPTION
from rules.support import judge_flag
from scanner.kinds.filesystem import FileSystem
from scanner.model import Concern, Resource, Severity
from scanner.rule import ProviderFix, RuleContext, Verdict, rule


@rule(
    id="EAR-EFS-01",
    title="EFS file system is encrypted at rest",
    severity=Severity.HIGH,
    concern=Concern.ENCRYPTION_AT_REST,
    citations=(ENCRYPTION_AND_DECRYPTION,),
    kinds=(FileSystem.KIND,),
    remediation={
        "aws": ProviderFix(
            console=(
                "Encryption at rest can only be chosen when a file system is created. Create a "
                "new file system with encryption enabled (EFS console > Create file system > "
                "Customize > Enable encryption of data at rest), copy the data across with AWS "
                "DataSync, move clients to it and delete the old one."
            ),
            cli=(
                "aws efs create-file-system --creation-token phi-data --encrypted "
                "--kms-key-id alias/efs-phi"
            ),
            terraform=(
                'resource "aws_efs_file_system" "phi" {\n'
                '  creation_token = "phi-data"\n'
                "  encrypted      = true\n"
                "  kms_key_id     = aws_kms_key.efs.arn\n"
                "}"
            ),
            docs_url="https://docs.aws.amazon.com/efs/latest/ug/encryption-at-rest.html",
        )
    },
)
def efs_encrypted_at_rest(resource: Resource[FileSystem], ctx: RuleContext) -> Verdict:
    """An unencrypted EFS file system stores every file, ePHI included, readable on disk."""
    del ctx
    props = resource.props
    name = f"EFS file system {resource.name}"
    evidence = {"encrypted": props.encrypted, "kms_key_id": props.kms_key_id}
    return judge_flag(
        props.encrypted,
        passed=f"{name} is encrypted at rest.",
        failed=f"{name} is not encrypted at rest.",
        unknown=f"{name}: its encryption setting could not be read.",
        evidence=evidence,
    )
