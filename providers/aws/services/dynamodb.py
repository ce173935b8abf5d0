"""DynamoDB: every table of the region, its encryption key, point-in-time recovery and tags.

Per region: ``ListTables`` (paged); per table one ``DescribeTable`` (encryption, deletion
protection), one ``DescribeContinuousBackups`` (point-in-time recovery) and one
``ListTagsOfResource``. To tell the AWS-managed key ``aws/dynamodb`` from a customer-managed
key, ``kms:ListAliases`` is called once per region, and only when some table uses a KMS key:
the ``alias/aws/dynamodb`` alias names the AWS-managed key (the ``aws/`` alias prefix is
reserved for AWS), so one listing classifies every table's key. That is fewer calls than
``DescribeKey`` per distinct key, and it is also right under emulators whose AWS-managed keys
report ``KeyManager: CUSTOMER``.

Interpretation choices (pure helper `key_type`, unit-tested):
* No ``SSEDescription`` (or SSE disabled): the table is encrypted with an AWS-owned key.
* ``SSEType: KMS`` with the key ``alias/aws/dynamodb`` points at: AWS-managed; with any
  other key (including another account's): customer-managed.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from providers.aws.task import AwsTask, Fetched, tag_dict
from providers.base import Fanout, collector
from scanner.kinds.nosql import Table, TableKeyType
from scanner.model import Resource

CALLS = {
    "dynamodb.ListTables": "dynamodb:ListTables",
    "dynamodb.DescribeTable": "dynamodb:DescribeTable",
    "dynamodb.DescribeContinuousBackups": "dynamodb:DescribeContinuousBackups",
    "dynamodb.ListTagsOfResource": "dynamodb:ListTagsOfResource",
    "kms.ListAliases": "kms:ListAliases",
}

AWS_MANAGED_ALIAS = "alias/aws/dynamodb"
_NOT_FOUND = ("ResourceNotFoundException", "TableNotFoundException")
_SSE_OFF = ("DISABLED", "DISABLING")


@dataclass(frozen=True)
class _Read:
    arn: str
    name: str
    table: Mapping[str, Any] | None
    backups: Fetched
    tags: dict[str, str] | None


@collector("dynamodb", fanout=Fanout.REGION, produces=(Table.KIND,), calls=CALLS)
def tables(task: AwsTask) -> Iterator[Resource[Table]]:
    """Every DynamoDB table in the task's region."""
    client = task.client("dynamodb")
    names = task.paginate(client, "list_tables", "TableNames")
    if not names:
        return
    reads = [r for r in task.map(lambda name: _read(task, client, str(name)), names) if r]
    managed = _aws_managed_keys(task, reads)
    for read in reads:
        table = read.table
        sse = None if table is None else table.get("SSEDescription")
        kind = None if table is None else key_type(sse, managed)
        backups = read.backups.get("ContinuousBackupsDescription")
        pitr = (backups.get("PointInTimeRecoveryDescription") if backups else None) or {}
        props = Table(
            key_type=kind,
            kms_key_arn=(str(sse.get("KMSMasterKeyArn") or "") or None) if sse else None,
            point_in_time_recovery=(
                pitr.get("PointInTimeRecoveryStatus") == "ENABLED" if backups else None
            ),
            recovery_period_days=_int(pitr.get("RecoveryPeriodInDays")),
            deletion_protection=(
                None if table is None else bool(table.get("DeletionProtectionEnabled"))
            ),
        )
        yield task.resource(
            uid=read.arn,
            kind=Table.KIND,
            native_type="AWS::DynamoDB::Table",
            name=read.name,
            props=props,
            tags=read.tags,
        )


def _read(task: AwsTask, client: Any, name: str) -> _Read | None:
    arn = f"arn:{task.partition}:dynamodb:{task.region}:{task.account}:table/{name}"
    described = task.call(
        client, "describe_table", resource_uid=arn, absent=_NOT_FOUND, TableName=name
    )
    if described.absent:
        return None  # deleted between the listing and the description
    table = described.get("Table") if described.ok else None
    arn = str((table or {}).get("TableArn") or arn)
    backups = task.call(client, "describe_continuous_backups", resource_uid=arn, TableName=name)
    if backups.ok and not backups.get("ContinuousBackupsDescription"):
        # An answer without the description says nothing about PITR: unknown, not "off".
        task.gap(
            "DescribeContinuousBackups",
            "MalformedResponse",
            "no ContinuousBackupsDescription in the answer",
            arn,
        )
    tags = task.paginate(client, "list_tags_of_resource", "Tags", resource_uid=arn, ResourceArn=arn)
    return _Read(
        arn=arn,
        name=name,
        table=table,
        backups=backups,
        tags=None if tags is None else tag_dict(tags),
    )


def _aws_managed_keys(task: AwsTask, reads: list[_Read]) -> frozenset[str] | None:
    """Ids of the region's AWS-managed DynamoDB key; one listing, only if a table uses KMS."""
    if not any(_uses_kms((r.table or {}).get("SSEDescription")) for r in reads):
        return frozenset()
    aliases = task.paginate(task.client("kms"), "list_aliases", "Aliases")
    if aliases is None:
        return None
    return frozenset(
        str(a["TargetKeyId"])
        for a in aliases
        if a.get("AliasName") == AWS_MANAGED_ALIAS and a.get("TargetKeyId")
    )


def _uses_kms(sse: Mapping[str, Any] | None) -> bool:
    if not sse:
        return False
    return sse.get("SSEType") == "KMS" and str(sse.get("Status")) not in _SSE_OFF


def key_type(
    sse: Mapping[str, Any] | None, aws_managed: frozenset[str] | None
) -> TableKeyType | None:
    """Who manages a table's key, from its ``SSEDescription`` and the AWS-managed key ids.

    `aws_managed` is None when the alias listing failed: a KMS key is then unclassified.
    """
    if sse is None or not _uses_kms(sse):
        return TableKeyType.AWS_OWNED
    key_id = str(sse.get("KMSMasterKeyArn") or "").rsplit("/", 1)[-1]
    if aws_managed is None:
        return None
    return TableKeyType.AWS_MANAGED if key_id in aws_managed else TableKeyType.CUSTOMER_MANAGED


def _int(value: Any) -> int | None:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
