"""Shared file systems must refuse clients that do not use TLS."""

from __future__ import annotations

from rules.hipaa import TRANSMISSION_ENCRYPTION, TRANSMISSION_SECURITY
from rules.support import judge_flag
from scanner.kinds.filesystem import FileSystem
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="EIT-FILESYSTEM-01",
    title="File system policy requires TLS",
    severity=Severity.MEDIUM,
    concern=Concern.ENCRYPTION_IN_TRANSIT,
    citations=(TRANSMISSION_ENCRYPTION, TRANSMISSION_SECURITY),
    kinds=(FileSystem.KIND,),
    providers=("aws",),
)
def efs_tls_required(resource: Resource[FileSystem], ctx: RuleContext) -> Verdict:
    """Without a policy that denies non-TLS mounts, clients may read and write ePHI in clear NFS.

    Such traffic crosses the network unencrypted.
    """
    del ctx
    name = f"File system {resource.name}"
    required = resource.props.tls_required
    return judge_flag(
        required,
        passed=f"{name} requires TLS for every mount.",
        failed=f"{name} does not require TLS: its policy does not deny non-TLS mounts.",
        unknown=f"{name}: its file system policy could not be read or parsed.",
        evidence={"tls_required": required},
    )
