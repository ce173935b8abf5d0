"""CloudWatch Logs log groups: KMS encryption and retention, plus tags.

DescribeLogGroups, paginated once per region, gives every fact; one ListTagsForResource
per log group adds the tags that `--phi-tag` scoping needs.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from providers.aws.task import AwsTask, fetched_tags
from providers.base import Fanout, collector
from scanner.kinds.monitoring import LogGroup
from scanner.model import Resource

NATIVE_TYPE = "AWS::Logs::LogGroup"
_GONE = frozenset({"ResourceNotFoundException"})


@collector(
    "logs",
    fanout=Fanout.REGION,
    produces=(LogGroup.KIND,),
    calls={
        "logs.DescribeLogGroups": "logs:DescribeLogGroups",
        "logs.ListTagsForResource": "logs:ListTagsForResource",
    },
)
def log_groups(task: AwsTask) -> Iterator[Resource[LogGroup]]:
    """Every log group of the region with its encryption and retention facts."""
    client = task.client("logs")
    groups = task.paginate(client, "describe_log_groups", "logGroups")
    if groups is None:
        return
    yield from task.map(lambda group: _log_group(task, client, group), groups)


def log_group_arn(group: Mapping[str, Any]) -> str:
    """The log group's ARN without the ``:*`` suffix that the older `arn` field carries."""
    arn = group.get("logGroupArn")
    if arn:
        return str(arn)
    return str(group["arn"]).removesuffix(":*")


def log_group_facts(group: Mapping[str, Any]) -> LogGroup:
    """The facts of one log group from its DescribeLogGroups entry."""
    key = group.get("kmsKeyId") or None
    # No retentionInDays means the group never expires its events.
    retention = group.get("retentionInDays")
    return LogGroup(
        kms_encrypted=key is not None,
        kms_key_id=key,
        never_expires=retention is None,
        retention_days=None if retention is None else int(retention),
    )


def _log_group(task: AwsTask, client: Any, group: Mapping[str, Any]) -> Resource[LogGroup]:
    arn = log_group_arn(group)
    tags = task.call(
        client, "list_tags_for_resource", resource_uid=arn, absent=_GONE, resourceArn=arn
    )
    return task.resource(
        uid=arn,
        kind=LogGroup.KIND,
        native_type=NATIVE_TYPE,
        name=str(group["logGroupName"]),
        props=log_group_facts(group),
        tags=fetched_tags(tags, lambda f: f.get("tags", {})),
    )
