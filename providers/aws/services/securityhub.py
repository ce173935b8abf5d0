"""Security Hub: whether the security posture service is enabled in each scanned region.

One ``DescribeHub`` per region. Security Hub answers ``InvalidAccessException`` ("Account is
not subscribed to AWS Security Hub") when it is off: that is a definite "not enabled". An
IAM denial is ``AccessDeniedException`` and, like any other fault, leaves the fact unknown.
"""

from __future__ import annotations

from collections.abc import Iterator

from providers.aws.task import AwsTask
from providers.base import Fanout, collector
from scanner.kinds.monitoring_edge import SecurityCenter
from scanner.model import Resource

NATIVE_TYPE = "AWS::SecurityHub::Hub"
_NOT_SUBSCRIBED = frozenset({"InvalidAccessException"})


@collector(
    "securityhub",
    fanout=Fanout.REGION,
    produces=(SecurityCenter.KIND,),
    calls={"securityhub.DescribeHub": "securityhub:DescribeHub"},
)
def security_hub(task: AwsTask) -> Iterator[Resource[SecurityCenter]]:
    """The region's Security Hub subscription."""
    client = task.client("securityhub")
    uid = f"arn:{task.partition}:securityhub:{task.region}:{task.account}:hub/default"
    fetched = task.call(client, "describe_hub", resource_uid=uid, absent=_NOT_SUBSCRIBED)
    if fetched.failed:
        props = SecurityCenter(enabled=None)
    elif fetched.absent:
        props = SecurityCenter(enabled=False)
    else:
        subscribed = fetched.get("SubscribedAt")
        props = SecurityCenter(enabled=True, subscribed_at=str(subscribed) if subscribed else None)
    yield task.resource(
        uid=uid, kind=SecurityCenter.KIND, native_type=NATIVE_TYPE, name="security-hub", props=props
    )
