"""Cloud Logging: a project's sinks and log buckets (`gcp.log_exports`).

The built-in ``_Default`` and ``_Required`` sinks and buckets are listed like any other;
whether a sink is an export of audit logs is decided here (`exports_audit_logs`), so the
rule only compares facts. The judgement is deliberately narrow: a sink counts only when
it is enabled, its filter selects audit logs and nothing but audit-log selectors
(`takes_audit_logs`), and none of its enabled exclusions could drop audit entries. A sink
this code cannot place is not counted (a FAIL to look at, never a silent PASS).
"""

from __future__ import annotations

import re
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
_AUDIT = r"cloudaudit\.googleapis\.com"
_AUDIT_TYPE = r"type\.googleapis\.com/google\.cloud\.audit\.auditlog"
# One positive term that selects log entries by their log: ``logName:"..."`` (also ``=``
# and ``=~``) or ``LOG_ID("...")``. Group "log" is the value (quotes included).
_LOG_TERM = re.compile(
    r'(?:logname\s*(?:=~|=|:)\s*(?P<log>"[^"]*"|[^\s()"]+)'
    r'|log_id\s*\(\s*(?P<id>"[^"]*")\s*\))'
)
# An exact log selector, for exclusions: ``:`` and ``=~`` match parts of a name, so
# ``logName:"logs"`` would match the audit logs too.
_EXACT_LOG = re.compile(r'logname\s*=(?!~)\s*"[^"]*"|log_id\s*\(\s*"[^"]*"\s*\)')
_TYPE_TERM = re.compile(r'protopayload\.@type\s*(?:=|:)\s*"?' + _AUDIT_TYPE + r'"?')
_BARE_AUDIT = re.compile(r'"[^"]*' + _AUDIT + r'[^"]*"')
# An audit selector naming one audit log (``.../activity``, ``%2Fsystem_event``): only
# ``data_access`` holds the Data Access logs the rule is about (see `takes_audit_logs`).
_ONE_AUDIT_LOG = re.compile(_AUDIT + r"(?:/|%2f)(?P<log>[a-z_]+)")
_CONNECTIVES = frozenset({"and", "or", "(", ")", "\x00"})


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
        exports_audit_logs=exports_audit_logs(item),
        filter=text,
    )


def exports_audit_logs(item: Mapping[str, Any]) -> bool:
    """Whether one ``sinks.list`` item exports the project's audit logs.

    Not a built-in sink, not disabled, a filter that takes audit logs, and no enabled
    exclusion that could match an audit entry (only an exclusion that selects other logs
    by name, and nothing else, is harmless).
    """
    if str(item.get("name", "")) in BUILT_IN or bool(item.get("disabled", False)):
        return False
    if not takes_audit_logs(str(item.get("filter") or "")):
        return False
    for exclusion in item.get("exclusions") or []:
        if not isinstance(exclusion, Mapping):
            return False  # an exclusion that cannot be read may drop anything
        if not bool(exclusion.get("disabled", False)) and not _only_other_logs(
            str(exclusion.get("filter") or "")
        ):
            return False
    return True


def takes_audit_logs(text: str) -> bool:
    """Whether a sink filter lets (all) audit log entries through.

    An empty filter takes every entry. Otherwise the filter must be made of audit-log
    selectors only: ``logName`` or ``LOG_ID`` terms naming ``cloudaudit.googleapis.com``,
    ``protoPayload.@type`` naming the AuditLog type, or a quoted audit log name, joined
    by AND / OR and parentheses, and at least one of them must take the Data Access logs
    (name all audit logs, or ``data_access``): a sink of Admin Activity logs alone copies
    what the built-in ``_Required`` bucket already keeps. Anything else means "not an
    audit export": a negation anywhere (``NOT``, a leading ``-``, ``!=``, ``!~``), a log
    term naming another log, or a term on another field (``severity>=ERROR`` keeps few
    audit entries). This reads a safe subset of the filter language, not all of it.
    """
    lowered = " ".join(text.split()).lower()
    if not lowered:
        return True
    found = False
    other_audit_log = False

    def audit_term(match: re.Match[str]) -> str:
        nonlocal found, other_audit_log
        groups = match.groupdict()
        value = groups.get("log") or groups.get("id")
        if value is not None and not re.search(_AUDIT, value):
            return " \x01 "  # a log other than the audit logs: not a connective
        one = _ONE_AUDIT_LOG.search(match.group(0))
        takes_data_access = one is None or "data_access" in match.group(0)
        found = found or takes_data_access
        other_audit_log = other_audit_log or not takes_data_access
        return " \x00 "

    rest = _LOG_TERM.sub(audit_term, lowered)
    rest = _TYPE_TERM.sub(audit_term, rest)
    rest = _BARE_AUDIT.sub(audit_term, rest)
    # ANDed with a term naming one other audit log (Admin Activity, System Event), even
    # the broadest audit selector keeps only that log: no Data Access entry gets through.
    if other_audit_log and "and" in rest.replace("(", " ").replace(")", " ").split():
        return False
    return found and _connectives_only(rest)


def _only_other_logs(text: str) -> bool:
    """Whether an exclusion filter matches only entries of logs other than the audit logs.

    True only for exact ``logName="..."`` / ``LOG_ID("...")`` terms that name other logs,
    joined by OR (and parentheses). An empty filter matches everything.
    """
    lowered = " ".join(text.split()).lower()
    if not lowered or re.search(_AUDIT, lowered):
        return False
    found = False

    def other_log(match: re.Match[str]) -> str:
        nonlocal found
        found = True
        return " \x00 "

    rest = _EXACT_LOG.sub(other_log, lowered)
    return found and "and" not in rest.split() and _connectives_only(rest)


def _connectives_only(rest: str) -> bool:
    spaced = rest.replace("(", " ( ").replace(")", " ) ")
    return all(word in _CONNECTIVES for word in spaced.split())


def _bucket(item: Mapping[str, Any]) -> LogBucket:
    days = item.get("retentionDays")
    return LogBucket(
        name=str(item.get("name", "")),
        retention_days=int(days) if isinstance(days, int | str) and str(days).isdigit() else None,
        locked=bool(item.get("locked", False)),
    )
