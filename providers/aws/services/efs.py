"""EFS collector: file systems with encryption at rest, TLS enforcement and automatic backups.

One DescribeFileSystems per region, then per file system DescribeFileSystemPolicy and
DescribeBackupPolicy. Both answer ``PolicyNotFound`` when nothing was ever set: for the
file-system policy that means no client is required to use TLS, and for the backup policy
that automatic backups are off. Both are definite answers (False), not gaps.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from providers.aws.policy import (
    Statement,
    action_covers,
    only_insecure_transport_condition,
    parsed_or_gap,
    resource_covers,
    statements,
)
from providers.aws.task import AwsTask, Fetched, tag_dict
from providers.base import Fanout, collector
from scanner.kinds.filesystem import FileSystem
from scanner.model import Resource

NOT_FOUND = frozenset({"PolicyNotFound"})
BACKUP_ON = frozenset({"ENABLED", "ENABLING"})
# Every NFS data access starts with a mount: refusing ClientMount without TLS refuses all.
MOUNT_ACTION = "elasticfilesystem:ClientMount"


def policy_requires_tls(document: str | Mapping[str, Any], fs_arn: str) -> bool:
    """True when the file-system policy refuses every non-TLS mount of `fs_arn`.

    `providers.aws.policy.denies_insecure_transport` does not fit EFS: it wants
    ``elasticfilesystem:*`` denied and an explicit Resource, while a valid EFS policy may
    deny only the client actions and usually omits Resource (it then means the file
    system itself). Here a Deny statement counts when it applies to every principal (no
    NotPrincipal), covers ClientMount, covers `fs_arn` (or names no resource), and has
    ``aws:SecureTransport`` = false as its only condition (another condition would narrow
    the Deny to some clients).
    """
    return any(_refuses_plain_mounts(s, fs_arn) for s in statements(document))


def _refuses_plain_mounts(stmt: Statement, fs_arn: str) -> bool:
    if stmt.effect != "Deny" or stmt.not_principals:
        return False
    if not any(v == "*" for kind, v in stmt.principals if kind in ("*", "AWS")):
        return False
    if stmt.not_actions:
        covered = not action_covers(stmt.not_actions, MOUNT_ACTION)
    else:
        covered = action_covers(stmt.actions, MOUNT_ACTION)
    if not covered:
        return False
    if stmt.resources and not resource_covers(stmt.resources, fs_arn):
        return False
    if stmt.not_resources and resource_covers(stmt.not_resources, fs_arn):
        return False
    return only_insecure_transport_condition(stmt)


@collector(
    "efs",
    fanout=Fanout.REGION,
    produces=(FileSystem.KIND,),
    calls={
        "efs.DescribeFileSystems": "elasticfilesystem:DescribeFileSystems",
        "efs.DescribeFileSystemPolicy": "elasticfilesystem:DescribeFileSystemPolicy",
        "efs.DescribeBackupPolicy": "elasticfilesystem:DescribeBackupPolicy",
    },
)
def efs_file_systems(task: AwsTask) -> list[Resource[FileSystem]]:
    """Every EFS file system of the region."""
    efs = task.client("efs")
    listed = task.paginate(efs, "describe_file_systems", "FileSystems") or []

    def build(item: Mapping[str, Any]) -> Resource[FileSystem]:
        fs_id = item["FileSystemId"]
        uid = item.get("FileSystemArn") or (
            f"arn:{task.partition}:elasticfilesystem:{task.region}:{task.account}"
            f":file-system/{fs_id}"
        )
        return task.resource(
            uid=uid,
            kind=FileSystem.KIND,
            native_type="AWS::EFS::FileSystem",
            name=fs_id,
            tags=tag_dict(item.get("Tags")),
            props=FileSystem(
                file_system_id=fs_id,
                lifecycle_state=item.get("LifeCycleState"),
                encrypted=item.get("Encrypted"),
                kms_key_id=item.get("KmsKeyId"),
                tls_required=_tls_required(task, efs, uid, fs_id),
                backup_enabled=_backup_enabled(task, efs, uid, fs_id),
            ),
        )

    return task.map(build, listed)


def _tls_required(task: AwsTask, efs: Any, uid: str, fs_id: str) -> bool | None:
    fetched = _policy_call(task, efs, "describe_file_system_policy", uid, fs_id)
    if not fetched.ok:
        return False if fetched.absent else None
    document = str(fetched.get("Policy", ""))
    return parsed_or_gap(
        task, "DescribeFileSystemPolicy", uid, lambda: policy_requires_tls(document, uid)
    )


def _backup_enabled(task: AwsTask, efs: Any, uid: str, fs_id: str) -> bool | None:
    fetched = _policy_call(task, efs, "describe_backup_policy", uid, fs_id)
    if not fetched.ok:
        return False if fetched.absent else None
    status = (fetched.get("BackupPolicy") or {}).get("Status")
    return None if status is None else status in BACKUP_ON


def _policy_call(task: AwsTask, efs: Any, method: str, uid: str, fs_id: str) -> Fetched:
    # PolicyNotFound is a definite "never set" (the callers' False); a failure is unknown.
    return task.call(efs, method, resource_uid=uid, absent=NOT_FOUND, FileSystemId=fs_id)
