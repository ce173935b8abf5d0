"""Secrets Manager collector: encryption key, automatic rotation and resource policy.

One paginated ListSecrets per region answers the key, the rotation settings and the dates
(and the tags); the resource policy takes one GetResourcePolicy per secret. A secret
without a policy answers with no ``ResourcePolicy``: a definite "no policy", not a gap.
Never a GetSecretValue: the scanner reads settings, not secrets.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from providers.aws.iam_analysis import whole_days
from providers.aws.messaging_policy import public_policy
from providers.aws.task import AwsTask, tag_dict
from providers.base import Fanout, collector
from scanner.kinds.secrets import Secret
from scanner.model import Resource

NATIVE_TYPE = "AWS::SecretsManager::Secret"
# The service's own key: named by no KmsKeyId at all, or by its alias.
DEFAULT_KEY_ALIAS = "alias/aws/secretsmanager"
_RATE_DAYS = re.compile(r"^rate\(\s*(\d+)\s+days?\s*\)$", re.IGNORECASE)


def _now() -> datetime:
    """The collection clock (a function so tests can move it)."""
    return datetime.now(UTC)


@collector(
    "secretsmanager",
    fanout=Fanout.REGION,
    produces=(Secret.KIND,),
    calls={
        "secretsmanager.ListSecrets": "secretsmanager:ListSecrets",
        "secretsmanager.GetResourcePolicy": "secretsmanager:GetResourcePolicy",
    },
)
def secrets(task: AwsTask) -> list[Resource[Secret]]:
    """Every Secrets Manager secret of the region."""
    client = task.client("secretsmanager")
    listed = task.paginate(client, "list_secrets", "SecretList") or []
    now = _now()

    def build(item: Mapping[str, Any]) -> Resource[Secret]:
        arn = str(item["ARN"])
        key = key_arn(item.get("KmsKeyId") or None, task.partition, task.region, task.account)
        rotation = bool(item.get("RotationEnabled", False))
        last = item.get("LastRotatedDate")
        since = last or item.get("CreatedDate")
        has_policy, public = _policy(task, client, arn)
        return task.resource(
            uid=arn,
            kind=Secret.KIND,
            native_type=NATIVE_TYPE,
            name=str(item.get("Name") or arn.rsplit(":", 1)[-1]),
            tags=tag_dict(item.get("Tags")),
            props=Secret(
                kms_key_id=key,
                customer_managed_key=customer_managed(key),
                rotation_enabled=rotation,
                rotation_interval_days=rotation_days(item.get("RotationRules"))
                if rotation
                else None,
                days_since_rotation=whole_days(since, now) if since else None,
                ever_rotated=last is not None,
                has_policy=has_policy,
                public_policy_statements=public,
            ),
        )

    return task.map(build, listed)


def key_arn(key: str | None, partition: str, region: str, account: str) -> str | None:
    """A key named by its bare id as its ARN (the key's uid); aliases and ARNs as given.

    Secrets created in the console name their key by id: as an ARN the rule can find the
    key in the snapshot and see whether AWS manages it.
    """
    if not key or key.startswith(("arn:", "alias/")):
        return key
    return f"arn:{partition}:kms:{region}:{account}:key/{key}"


def customer_managed(key: str | None) -> bool:
    """False for the service's default key (no key named, or its alias), else True."""
    if not key:
        return False
    return not key.endswith(DEFAULT_KEY_ALIAS)


def rotation_days(rules: Mapping[str, Any] | None) -> int | None:
    """The rotation period in days: AutomaticallyAfterDays, or a ``rate(N days)`` schedule.

    A cron schedule has no single period in days: `None` (the rule then says so).
    """
    if not rules:
        return None
    days = rules.get("AutomaticallyAfterDays")
    if days is not None:
        return int(days)
    match = _RATE_DAYS.match(str(rules.get("ScheduleExpression", "")).strip())
    return int(match.group(1)) if match else None


def _policy(task: AwsTask, client: Any, arn: str) -> tuple[bool | None, tuple[str, ...] | None]:
    fetched = task.call(client, "get_resource_policy", resource_uid=arn, SecretId=arn)
    if not fetched.ok:
        return None, None
    document = str(fetched.get("ResourcePolicy", "")).strip()
    if not document:
        return False, ()
    return public_policy(task, "GetResourcePolicy", arn, document)
