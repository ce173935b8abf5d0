"""EFS file systems must refuse clients that do not use TLS."""

from __future__ import annotations

from rules.hipaa import TRANSMISSION_ENCRYPTION, TRANSMISSION_SECURITY
from rules.support import judge_flag
from scanner.kinds.filesystem import FileSystem
from scanner.model import Concern, Resource, Severity
from scanner.rule import ProviderFix, RuleContext, Verdict, rule

_POLICY = (
    '{"Version": "2012-10-17", "Statement": [{"Sid": "DenyNonTls", "Effect": "Deny", '
    '"Principal": {"AWS": "*"}, "Action": "*", '
    '"Resource": "arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/fs-0123", '
    '"Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}'
)


@rule(
    id="EIT-EFS-01",
    title="EFS file system policy requires TLS",
    severity=Severity.MEDIUM,
    concern=Concern.ENCRYPTION_IN_TRANSIT,
    citations=(TRANSMISSION_ENCRYPTION, TRANSMISSION_SECURITY),
    kinds=(FileSystem.KIND,),
    remediation={
        "aws": ProviderFix(
            console=(
                "EFS console > select the file system > File system policy > Edit > tick "
                "'Enforce in-transit encryption for all clients' > Save. Mount clients with "
                "the EFS mount helper's tls option (mount -t efs -o tls)."
            ),
            cli=f"aws efs put-file-system-policy --file-system-id fs-0123 --policy '{_POLICY}'",
            terraform=(
                'resource "aws_efs_file_system_policy" "tls" {\n'
                "  file_system_id = aws_efs_file_system.phi.id\n"
                "  policy = jsonencode({\n"
                '    Version = "2012-10-17"\n'
                "    Statement = [{\n"
                '      Sid       = "DenyNonTls"\n'
                '      Effect    = "Deny"\n'
                '      Principal = { AWS = "*" }\n'
                '      Action    = "*"\n'
                "      Resource  = aws_efs_file_system.phi.arn\n"
                '      Condition = { Bool = { "aws:SecureTransport" = "false" } }\n'
                "    }]\n"
                "  })\n"
                "}"
            ),
            docs_url="https://docs.aws.amazon.com/efs/latest/ug/encryption-in-transit.html",
        )
    },
)
def efs_tls_required(resource: Resource[FileSystem], ctx: RuleContext) -> Verdict:
    """Without a policy that denies non-TLS mounts, clients may read and write ePHI in clear NFS.

    Such traffic crosses the network unencrypted.
    """
    del ctx
    name = f"EFS file system {resource.name}"
    required = resource.props.tls_required
    return judge_flag(
        required,
        passed=f"{name} requires TLS for every mount.",
        failed=f"{name} does not require TLS: its policy does not deny non-TLS mounts.",
        unknown=f"{name}: its file system policy could not be read or parsed.",
        evidence={"tls_required": required},
    )
