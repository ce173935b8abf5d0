"""Cloud Logging: a project's sinks and log buckets (`gcp.log_exports`).

The built-in ``_Default`` and ``_Required`` sinks and buckets are listed like any other;
whether a sink is an export (and takes audit logs) is decided here, so the rule only
compares facts.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from providers.base import Fanout, collector
from providers.gcp.task import GcpTask
from scanner.kinds.gcp import LogBucket, LogExports, LogSink
from scanner.model import Resource

EXPORTS_TYPE = "logging.googleapis.com/LogExports"
CALLS = {
    "logging.projects.sinks.list": "logging.sinks.list",
    "logging.projects.locations.buckets.list": "logging.buckets.list",
}
BUILT_IN = frozenset({"_Default", "_Required"})


@collector("logging", fanout=Fanout.ACCOUNT, produces=(LogExports.KIND,), calls=CALLS)
def log_exports(task: GcpTask) -> Iterator[Resource[Any]]:
    """The project's sinks and log buckets, as one resource."""
    logging_api = task.service("logging", "v2")
    parent = f"projects/{task.project}"
    sinks = task.pages(
        lambda token: logging_api.projects().sinks().list(parent=parent, pageToken=token), "sinks"
    )
    buckets = task.pages(
        lambda token: (
            logging_api.projects()
            .locations()
            .buckets()
            .list(parent=f"{parent}/locations/-", pageToken=token)
        ),
        "buckets",
    )
    yield task.resource(
        uid=f"//logging.googleapis.com/projects/{task.project}/exports",
        kind=LogExports.KIND,
        native_type=EXPORTS_TYPE,
        name=f"{task.project} log exports",
        props=LogExports(
            sinks=None
            if sinks is None
            else tuple(_sink(s) for s in sinks if isinstance(s, Mapping)),
            buckets=None
            if buckets is None
            else tuple(_bucket(b) for b in buckets if isinstance(b, Mapping)),
        ),
    )


def _sink(item: Mapping[str, Any]) -> LogSink:
    name = str(item.get("name", ""))
    text = str(item.get("filter") or "")
    return LogSink(
        name=name,
        destination=str(item.get("destination", "")),
        disabled=bool(item.get("disabled", False)),
        exports_audit_logs=name not in BUILT_IN and takes_audit_logs(text),
        filter=text,
    )


def takes_audit_logs(text: str) -> bool:
    """Whether a sink filter lets audit log entries through.

    An empty filter takes every entry; otherwise the filter must name the audit logs
    (``cloudaudit.googleapis.com``, ``logName:...activity`` / ``data_access``) and must not
    be a plain exclusion of them. This reads the common spellings, not the whole filter
    language: a filter it cannot place is not counted as an export.
    """
    cleaned = " ".join(text.split())
    if not cleaned:
        return True
    lowered = cleaned.lower()
    if "cloudaudit.googleapis.com" not in lowered and "protopayload.@type" not in lowered:
        return False
    return not lowered.startswith(("not ", "-")) and "not logname" not in lowered


def _bucket(item: Mapping[str, Any]) -> LogBucket:
    days = item.get("retentionDays")
    return LogBucket(
        name=str(item.get("name", "")),
        retention_days=int(days) if isinstance(days, int | str) and str(days).isdigit() else None,
        locked=bool(item.get("locked", False)),
    )
