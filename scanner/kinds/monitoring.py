"""Monitoring facts: log groups, configuration recording and threat detection.

`logging.log_group` is one log group (CloudWatch Logs today). `monitoring.config_recorder`
and `monitoring.threat_detection` are region singletons: one resource per scanned region
saying whether configuration changes are recorded (AWS Config) and whether threat
detection runs (GuardDuty). A fact that could not be read is `None`; `False` or an empty
tuple means "read, and not configured".
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import ClassVar


@dataclass(frozen=True)
class LogGroup:
    """A log group: how its data is encrypted and how long it is kept.

    `never_expires` is True when no retention is set (events are kept forever); then
    `retention_days` is None. `kms_encrypted` is False when only the service's own
    always-on encryption applies (no KMS key associated).
    """

    KIND: ClassVar[str] = "logging.log_group"

    kms_encrypted: bool | None = None
    kms_key_id: str | None = None
    never_expires: bool | None = None
    retention_days: int | None = None


class RecordingStrategy(enum.StrEnum):
    """Which resource types a configuration recorder records (AWS Config's `useOnly`)."""

    ALL_SUPPORTED = "ALL_SUPPORTED_RESOURCE_TYPES"
    INCLUSION = "INCLUSION_BY_RESOURCE_TYPES"
    EXCLUSION = "EXCLUSION_BY_RESOURCE_TYPES"


@dataclass(frozen=True)
class ConfigurationRecorder:
    """One configuration recorder and its status.

    `recording` is None when the recorder status could not be read. `resource_types` is
    the inclusion list (strategy INCLUSION), `excluded_resource_types` the exclusion list
    (strategy EXCLUSION).
    """

    name: str
    recording: bool | None
    strategy: RecordingStrategy
    include_global_resource_types: bool = False
    resource_types: tuple[str, ...] = ()
    excluded_resource_types: tuple[str, ...] = ()
    last_status: str | None = None

    def records(self, resource_type: str) -> bool:
        """Whether this recorder's recording group covers `resource_type`."""
        if self.strategy is RecordingStrategy.ALL_SUPPORTED:
            return True
        if self.strategy is RecordingStrategy.EXCLUSION:
            return resource_type not in self.excluded_resource_types
        return resource_type in self.resource_types


@dataclass(frozen=True)
class ConfigRecording:
    """The configuration recorders of one region (None when they could not be listed)."""

    KIND: ClassVar[str] = "aws.config_recorder"

    recorders: tuple[ConfigurationRecorder, ...] | None = None


@dataclass(frozen=True)
class Detector:
    """One threat-detection detector; `status` is None when it could not be read."""

    detector_id: str
    status: str | None
    features: Mapping[str, str] = field(default_factory=dict)

    @property
    def enabled(self) -> bool | None:
        """True when the detector runs (None when its status is unknown)."""
        return None if self.status is None else self.status.upper() == "ENABLED"


@dataclass(frozen=True)
class ThreatDetection:
    """The threat-detection detectors of one region (None when they could not be listed)."""

    KIND: ClassVar[str] = "monitoring.threat_detection"

    detectors: tuple[Detector, ...] | None = None
