"""AWS Config: whether each scanned region records configuration changes.

DescribeConfigurationRecorders and DescribeConfigurationRecorderStatus, once per region,
give one `monitoring.config_recorder` resource per region. A region whose recorders could
not be listed still gets its resource, with `recorders=None`, so the rule says UNKNOWN.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from providers.aws.task import AwsTask
from providers.base import Fanout, collector
from scanner.kinds.monitoring import ConfigRecording, ConfigurationRecorder, RecordingStrategy
from scanner.model import Resource

NATIVE_TYPE = "AWS::Config::ConfigurationRecorder"


@collector(
    "config",
    fanout=Fanout.REGION,
    produces=(ConfigRecording.KIND,),
    calls={
        "config.DescribeConfigurationRecorders": "config:DescribeConfigurationRecorders",
        "config.DescribeConfigurationRecorderStatus": "config:DescribeConfigurationRecorderStatus",
    },
)
def config_recorders(task: AwsTask) -> Iterator[Resource[ConfigRecording]]:
    """The region's configuration recorders and whether they are recording."""
    client = task.client("config")
    uid = f"arn:{task.partition}:config:{task.region}:{task.account}:recorder-status"
    listed = task.call(client, "describe_configuration_recorders", resource_uid=uid)
    status = task.call(client, "describe_configuration_recorder_status", resource_uid=uid)
    recorders = None
    if listed.ok:
        statuses = (
            None
            if status.failed
            else {str(s.get("name")): s for s in status.get("ConfigurationRecordersStatus", [])}
        )
        recorders = tuple(
            recorder_facts(r, statuses) for r in listed.get("ConfigurationRecorders", [])
        )
    yield task.resource(
        uid=uid,
        kind=ConfigRecording.KIND,
        native_type=NATIVE_TYPE,
        name="configuration-recorder",
        props=ConfigRecording(recorders=recorders),
    )


def recorder_facts(
    recorder: Mapping[str, Any], statuses: Mapping[str, Mapping[str, Any]] | None
) -> ConfigurationRecorder:
    """One recorder's recording group, joined with its status (None: status unreadable)."""
    name = str(recorder.get("name", ""))
    group = recorder.get("recordingGroup") or {}
    state = None if statuses is None else statuses.get(name)
    recording = None if statuses is None else bool(state and state.get("recording"))
    return ConfigurationRecorder(
        name=name,
        recording=recording,
        strategy=_strategy(group),
        include_global_resource_types=bool(group.get("includeGlobalResourceTypes", False)),
        resource_types=tuple(sorted(group.get("resourceTypes") or ())),
        excluded_resource_types=tuple(
            sorted((group.get("exclusionByResourceTypes") or {}).get("resourceTypes") or ())
        ),
        last_status=str(state["lastStatus"]) if state and state.get("lastStatus") else None,
    )


def _strategy(group: Mapping[str, Any]) -> RecordingStrategy:
    # recordingStrategy arrived in 2023; older recorders only have allSupported and
    # resourceTypes. allSupported=true always means every supported type.
    if group.get("allSupported", False):
        return RecordingStrategy.ALL_SUPPORTED
    use_only = (group.get("recordingStrategy") or {}).get("useOnly")
    if use_only == RecordingStrategy.EXCLUSION.value:
        return RecordingStrategy.EXCLUSION
    if use_only == RecordingStrategy.ALL_SUPPORTED.value:
        return RecordingStrategy.ALL_SUPPORTED
    return RecordingStrategy.INCLUSION
