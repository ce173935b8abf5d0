"""Snapshot files: versioned JSON with a shipped schema, written atomically and privately.

A snapshot is never pickle: it is plain JSON described by
`scanner/schemas/snapshot.v2.schema.json` (generated from the kinds). On load the envelope
(scope, resource identity, gaps) is validated against that schema and each resource's
`props` is rebuilt into its kind's fact dataclass, which checks every field as strictly as
the schema does and names the place of any defect. Snapshots of an older version are
validated against their own schema, then migrated (`scanner.migrate`).
"""

from __future__ import annotations

import copy
import functools
import hashlib
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema

from scanner import TOOL_NAME
from scanner.errors import SnapshotError
from scanner.fileio import decode_text, read_bytes, write_private
from scanner.kinds import kind_registry
from scanner.migrate import migrate
from scanner.model import Gap, Resource, Scope, Snapshot
from scanner.report import SnapshotFile
from scanner.schemas import load_schema
from scanner.serde import from_json, to_json
from scanner.shards import shard_or_none

FORMAT = "hipaa-scan-snapshot"
SCHEMA_VERSION = 2
# The schema of each version this release reads; older ones are migrated after validation.
_SCHEMAS = {1: "snapshot.v1.schema.json", 2: "snapshot.v2.schema.json"}


def snapshot_to_dict(snapshot: Snapshot) -> dict[str, Any]:
    """The JSON document of a snapshot, with resources and gaps in a stable order."""
    return {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": TOOL_NAME, "version": snapshot.tool_version},
        "scope": to_json(snapshot.scope),
        "started_at": snapshot.started_at,
        "finished_at": snapshot.finished_at,
        "api_calls": snapshot.api_calls,
        "resources": [
            {
                "uid": r.uid,
                "provider": r.provider,
                "kind": r.kind,
                "native_type": r.native_type,
                "account": r.account,
                "region": r.region,
                "name": r.name,
                "tags": None if r.tags is None else dict(sorted(r.tags.items())),
                "props": to_json(r.props),
            }
            for r in sorted(snapshot.resources, key=lambda r: (r.kind, r.uid))
        ],
        "gaps": [_gap_to_json(g) for g in sorted(snapshot.gaps, key=Gap.sort_key)],
    }


def _gap_to_json(gap: Gap) -> Any:
    document = to_json(gap)
    # `kinds` appears only on failed listings, so other gaps read as they always did.
    if isinstance(document, dict) and not gap.kinds:
        document.pop("kinds", None)
    return document


def snapshot_from_dict(data: object, source: str) -> Snapshot:
    """Rebuild a snapshot from its JSON document; `source` names the file in errors."""
    version = SCHEMA_VERSION
    if isinstance(data, dict) and data.get("format") == FORMAT:
        version = _version(data.get("schema_version"), source)
    _validate(data, version, source)
    assert isinstance(data, dict)
    if version < SCHEMA_VERSION:
        data = migrate(data, version, SCHEMA_VERSION)
        _validate(data, SCHEMA_VERSION, source)
    registry = kind_registry()
    resources = []
    for index, raw in enumerate(data["resources"]):
        where = f"{source}: resources[{index}]"
        fact_cls = registry.get(raw["kind"])
        if fact_cls is None:
            raise SnapshotError(f"{where}: unknown kind {raw['kind']!r}")
        props = from_json(fact_cls, raw["props"], f"{where}.props")
        tags = raw["tags"]
        resources.append(
            Resource(
                uid=raw["uid"],
                provider=raw["provider"],
                kind=raw["kind"],
                native_type=raw["native_type"],
                account=raw["account"],
                region=raw["region"],
                name=raw["name"],
                props=props,
                tags=None if tags is None else dict(tags),
            )
        )
    scope = from_json(Scope, data["scope"], f"{source}: scope")
    if scope.shard is not None and shard_or_none(scope.shard) is None:
        raise SnapshotError(
            f"{source}: scope.shard {scope.shard!r} is not I/N with 1 <= I <= N; "
            "the file was edited or damaged: collect it again"
        )
    return Snapshot(
        tool_version=data["tool"]["version"],
        scope=scope,
        started_at=data["started_at"],
        finished_at=data["finished_at"],
        resources=tuple(resources),
        gaps=tuple(from_json(Gap, g, f"{source}: gaps[{i}]") for i, g in enumerate(data["gaps"])),
        api_calls=data.get("api_calls", 0),
    )


def _version(value: object, source: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value in _SCHEMAS:
        return value
    readable = ", ".join(str(v) for v in _SCHEMAS)
    if isinstance(value, str):
        raise SnapshotError(
            f"{source}: snapshot schema_version is the string {value[:20]!r}; it must be a "
            f"number without quotes (this hipaa-scan reads {readable})"
        )
    raise SnapshotError(
        f"{source}: snapshot schema_version {value!r} is not one this hipaa-scan reads "
        f"(it reads the numbers {readable}); re-collect the snapshot or use a matching "
        "hipaa-scan release"
    )


def _validate(data: object, version: int, source: str) -> None:
    envelope = data
    if isinstance(data, dict) and isinstance(data.get("resources"), list):
        # The resources are checked one by one below; the generic validator is shown an
        # empty list, since even "each item is an object" costs it seconds on 100,000.
        envelope = {**data, "resources": []}
    error = jsonschema.exceptions.best_match(_envelope_validator(version).iter_errors(envelope))
    if error is not None:
        where = "/".join(str(p)[:40] for p in error.absolute_path) or "(top level)"
        _invalid(source, where, _reason(error))
    assert isinstance(data, dict)
    check = _resource_checker(version)
    for index, raw in enumerate(data["resources"]):
        problem = check(raw)
        if problem is not None:
            field, message = problem
            _invalid(source, f"resources/{index}{field}", message)


def _invalid(source: str, where: str, message: str) -> None:
    message = " ".join(message.split())
    if len(message) > 200:
        message = message[:200] + "..."
    raise SnapshotError(
        f"{source}: not a valid hipaa-scan snapshot at {where}: {message}; "
        "snapshots are written by 'hipaa-scan <cloud> --snapshot-out FILE'"
    )


def _reason(error: jsonschema.ValidationError) -> str:
    # jsonschema's own messages start with a repr of the offending value, which can be
    # the whole document: say what was expected and what kind of value was found.
    found = _describe(error.instance)
    if error.validator == "type":
        expected = error.validator_value
        names = expected if isinstance(expected, list) else [expected]
        return f"expected {' or '.join(str(n) for n in names)}, found {found}"
    if error.validator in ("enum", "const"):
        return f"{found} is not an allowed value"
    if error.validator == "pattern":
        return f"{found} does not match {error.validator_value}"
    message = " ".join(error.message.split())
    return message if len(message) <= 160 else message[:160] + "..."


def _describe(value: object) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    if value is None:
        return "null"
    text = repr(value)
    return text if len(text) <= 40 else text[:40] + "..."


@functools.cache
def _envelope_validator(version: int) -> jsonschema.Draft7Validator:
    # Resources are checked by `_resource_checker` (their identity fields) and then field
    # by field as their props are rebuilt into their fact class, with the same strictness
    # as the schema's per-kind conditions: descending into every resource through the
    # generic validator would make loading a 100,000-resource snapshot take half a minute.
    schema = copy.deepcopy(load_schema(_SCHEMAS[version]))
    schema["properties"]["resources"]["items"] = {"type": "object"}
    return jsonschema.Draft7Validator(schema)


ResourceCheck = Callable[[object], tuple[str, str] | None]


@functools.cache
def _resource_checker(version: int) -> ResourceCheck:
    """A fast check of one resource's envelope against the schema's resource definition.

    It covers what that definition says (required and unknown keys, string fields, the
    uid, provider and kind patterns, tags as a string map or null, props as an object);
    it returns ``("/field", message)`` for the first problem, or None.
    """
    definition = load_schema(_SCHEMAS[version])["definitions"]["resource"]
    properties = definition["properties"]
    required = tuple(definition["required"])
    allowed = frozenset(properties)
    patterns = {
        name: re.compile(spec["pattern"]) for name, spec in properties.items() if "pattern" in spec
    }
    strings = tuple(
        name for name, spec in properties.items() if spec.get("type") == "string" or "enum" in spec
    )
    # The loader names an unknown kind itself; a v1 provider is an enum.
    enums = {
        name: frozenset(spec["enum"])
        for name, spec in properties.items()
        if "enum" in spec and name != "kind"
    }
    nullable_tags = "null" in properties["tags"].get("type", [])

    def check(raw: object) -> tuple[str, str] | None:
        if not isinstance(raw, dict):
            return "", f"expected object, found {_describe(raw)}"
        for name in required:
            if name not in raw:
                return "", f"{name!r} is a required property"
        if len(raw) != len(required) or not raw.keys() <= allowed:
            extra = sorted(set(raw) - allowed)
            if extra:
                return "", f"additional properties are not allowed ({extra[0]!r})"
        for name in strings:
            value = raw[name]
            if not isinstance(value, str):
                return f"/{name}", f"{_kind_of(value)} is not of type 'string'"
            pattern = patterns.get(name)
            if pattern is not None and not pattern.search(value):
                return f"/{name}", f"{value!r} does not match {pattern.pattern!r}"
            if name in enums and value not in enums[name]:
                return f"/{name}", f"{value!r} is not one of {sorted(enums[name])}"
        if not raw["uid"]:
            return "/uid", "'' should be non-empty"
        tags = raw["tags"]
        if tags is None and not nullable_tags:
            return "/tags", "None is not of type 'object'"
        if tags is not None and (
            not isinstance(tags, dict) or not all(isinstance(v, str) for v in tags.values())
        ):
            return "/tags", "tags must be an object of strings"
        if not isinstance(raw["props"], dict):
            return "/props", f"{_kind_of(raw['props'])} is not of type 'object'"
        return None

    return check


def _kind_of(value: object) -> str:
    return (
        repr(value)
        if isinstance(value, str | int | float | bool | None)
        else (type(value).__name__)
    )


def dumps_snapshot(snapshot: Snapshot) -> str:
    """The snapshot as indented, key-sorted JSON text."""
    return json.dumps(snapshot_to_dict(snapshot), indent=2, sort_keys=True) + "\n"


def write_snapshot(snapshot: Snapshot, path: Path) -> SnapshotFile:
    """Write a snapshot file atomically with owner-only permissions; its name and sha256."""
    text = dumps_snapshot(snapshot)
    write_private(path, text)
    # write_private writes the text as UTF-8 (POSIX newlines): these are the bytes on disk.
    return SnapshotFile(path.name, hashlib.sha256(text.encode("utf-8")).hexdigest())


def read_snapshot(path: Path) -> tuple[Snapshot, SnapshotFile]:
    """Read and validate a snapshot file; the snapshot, and the sha256 of the bytes read."""
    data = read_bytes(path, "snapshot")
    source = SnapshotFile(path.name, hashlib.sha256(data).hexdigest())
    return _parse(decode_text(data, path, "snapshot"), path), source


def load_snapshot(path: Path) -> Snapshot:
    """Read and validate a snapshot file; errors name the file and the place."""
    return read_snapshot(path)[0]


def _parse(text: str, path: Path) -> Snapshot:
    try:
        data = json.loads(text)
        return snapshot_from_dict(data, str(path))
    except json.JSONDecodeError as exc:
        raise SnapshotError(
            f"{path}: not JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); "
            "pass a file written by --snapshot-out"
        ) from None
    except RecursionError:
        # No snapshot nests more than a few levels: this is not one (and not our bug).
        raise SnapshotError(
            f"{path}: JSON nested too deeply to be a snapshot; pass a file "
            "written by --snapshot-out"
        ) from None
