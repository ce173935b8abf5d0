"""Shared file systems must be encrypted at rest."""

from __future__ import annotations

from rules.hipaa import ENCRYPTION_AND_DECRYPTION
from rules.support import judge_flag
from scanner.kinds.filesystem import FileSystem
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="EAR-FILESYSTEM-01",
    title="File system is encrypted at rest",
    severity=Severity.HIGH,
    concern=Concern.ENCRYPTION_AT_REST,
    citations=(ENCRYPTION_AND_DECRYPTION,),
    kinds=(FileSystem.KIND,),
    providers=("aws",),
)
def efs_encrypted_at_rest(resource: Resource[FileSystem], ctx: RuleContext) -> Verdict:
    """An unencrypted file system stores every file, ePHI included, readable on disk."""
    del ctx
    props = resource.props
    name = f"File system {resource.name}"
    evidence = {"encrypted": props.encrypted, "kms_key_id": props.kms_key_id}
    return judge_flag(
        props.encrypted,
        passed=f"{name} is encrypted at rest.",
        failed=f"{name} is not encrypted at rest.",
        unknown=f"{name}: its encryption setting could not be read.",
        evidence=evidence,
    )
