"""CloudWatch: the metric filters on log groups and the alarms on metrics, per region.

One paginated ``DescribeMetricFilters`` (every log group of the region at once) and one
paginated ``DescribeAlarms`` per region feed the `monitoring.log_alerting` singleton. Each
filter's pattern is interpreted here (`providers.aws.metric_filters`) into the security
events it matches, so rules judge what a filter catches, never how it is spelled.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from providers.aws.metric_filters import events_matched
from providers.aws.task import AwsTask
from providers.base import Fanout, collector
from scanner.kinds.monitoring_edge import LogAlerting, MetricAlarm, MetricFilter
from scanner.model import Resource

NATIVE_TYPE = "AWS::CloudWatch::Alarms"


@collector(
    "cloudwatch",
    fanout=Fanout.REGION,
    produces=(LogAlerting.KIND,),
    calls={
        "logs.DescribeMetricFilters": "logs:DescribeMetricFilters",
        "cloudwatch.DescribeAlarms": "cloudwatch:DescribeAlarms",
    },
)
def log_alerting(task: AwsTask) -> Iterator[Resource[LogAlerting]]:
    """The region's metric filters (interpreted) and metric alarms."""
    uid = f"arn:{task.partition}:cloudwatch:{task.region}:{task.account}:log-alerting"
    prefix = f"arn:{task.partition}:logs:{task.region}:{task.account}:log-group:"
    filters = task.paginate(
        task.client("logs"), "describe_metric_filters", "metricFilters", resource_uid=uid
    )
    alarms = task.paginate(
        task.client("cloudwatch"),
        "describe_alarms",
        "MetricAlarms",
        resource_uid=uid,
        AlarmTypes=["MetricAlarm"],
    )
    props = LogAlerting(
        log_group_prefix=prefix,
        filters=None if filters is None else tuple(filter_facts(f, prefix) for f in filters),
        alarms=None if alarms is None else tuple(alarm_facts(a) for a in alarms),
    )
    yield task.resource(
        uid=uid, kind=LogAlerting.KIND, native_type=NATIVE_TYPE, name="log-alerting", props=props
    )


def filter_facts(entry: Mapping[str, Any], log_group_prefix: str) -> MetricFilter:
    """One DescribeMetricFilters entry, its pattern interpreted."""
    pattern = str(entry.get("filterPattern") or "")
    matched = events_matched(pattern)
    metrics = tuple(
        sorted(
            f"{t.get('metricNamespace', '')}/{t.get('metricName', '')}"
            for t in entry.get("metricTransformations") or ()
        )
    )
    return MetricFilter(
        name=str(entry.get("filterName", "")),
        log_group_uid=f"{log_group_prefix}{entry.get('logGroupName', '')}",
        pattern=pattern,
        metrics=metrics,
        matches=matched or (),
        parsed=matched is not None,
    )


def alarm_facts(entry: Mapping[str, Any]) -> MetricAlarm:
    """One DescribeAlarms metric alarm: the metrics it watches and whether it notifies."""
    watched = set()
    if entry.get("MetricName"):
        watched.add(f"{entry.get('Namespace', '')}/{entry['MetricName']}")
    for query in entry.get("Metrics") or ():
        metric = (query.get("MetricStat") or {}).get("Metric") or {}
        if metric.get("MetricName"):
            watched.add(f"{metric.get('Namespace', '')}/{metric['MetricName']}")
    return MetricAlarm(
        name=str(entry.get("AlarmName", "")),
        metrics=tuple(sorted(watched)),
        # An alarm notifies only when it says its actions are enabled (never assumed).
        notifies=entry.get("ActionsEnabled") is True and bool(entry.get("AlarmActions")),
    )
