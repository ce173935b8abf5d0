"""Snapshot files: versioned JSON with a shipped schema, written atomically and privately.

A snapshot is never pickle: it is plain JSON validated against
`scanner/schemas/snapshot.v1.schema.json`, and each resource's `props` is rebuilt into
its kind's fact dataclass, so a malformed file fails with the place and the fix.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema

from scanner import TOOL_NAME
from scanner.errors import SnapshotError
from scanner.fileio import read_text, write_private
from scanner.kinds import kind_registry
from scanner.model import Gap, Resource, Scope, Snapshot
from scanner.schemas import SNAPSHOT_SCHEMA, load_schema
from scanner.serde import from_json, to_json

FORMAT = "hipaa-scan-snapshot"
SCHEMA_VERSION = 1


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
        "gaps": [to_json(g) for g in sorted(snapshot.gaps, key=Gap.sort_key)],
    }


def snapshot_from_dict(data: object, source: str) -> Snapshot:
    """Rebuild a snapshot from its JSON document; `source` names the file in errors."""
    if isinstance(data, dict) and data.get("format") == FORMAT:
        version = data.get("schema_version")
        if version != SCHEMA_VERSION:
            raise SnapshotError(
                f"{source}: snapshot schema_version {version!r} is not supported by this "
                f"hipaa-scan (it reads version {SCHEMA_VERSION}); re-collect the snapshot "
                "or use a matching hipaa-scan release"
            )
    validator = jsonschema.Draft7Validator(load_schema(SNAPSHOT_SCHEMA))
    error = jsonschema.exceptions.best_match(validator.iter_errors(data))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        raise SnapshotError(
            f"{source}: not a valid hipaa-scan snapshot at {where}: {error.message}; "
            "snapshots are written by 'hipaa-scan aws --snapshot-out FILE'"
        )
    assert isinstance(data, dict)
    registry = kind_registry()
    resources = []
    for index, raw in enumerate(data["resources"]):
        where = f"{source}: resources[{index}]"
        fact_cls = registry.get(raw["kind"])
        if fact_cls is None:
            raise SnapshotError(f"{where}: unknown kind {raw['kind']!r}")
        props = from_json(fact_cls, raw["props"], f"{where}.props")
        resources.append(Resource(
            uid=raw["uid"], provider=raw["provider"], kind=raw["kind"],
            native_type=raw["native_type"], account=raw["account"], region=raw["region"],
            name=raw["name"], props=props,
            tags=None if raw["tags"] is None else dict(raw["tags"]),
        ))
    return Snapshot(
        tool_version=data["tool"]["version"],
        scope=from_json(Scope, data["scope"], f"{source}: scope"),
        started_at=data["started_at"],
        finished_at=data["finished_at"],
        resources=tuple(resources),
        gaps=tuple(from_json(Gap, g, f"{source}: gaps[{i}]") for i, g in enumerate(data["gaps"])),
        api_calls=data.get("api_calls", 0),
    )


def dumps_snapshot(snapshot: Snapshot) -> str:
    """The snapshot as indented, key-sorted JSON text."""
    return json.dumps(snapshot_to_dict(snapshot), indent=2, sort_keys=True) + "\n"


def write_snapshot(snapshot: Snapshot, path: Path) -> None:
    """Write a snapshot file atomically with owner-only permissions."""
    write_private(path, dumps_snapshot(snapshot))


def load_snapshot(path: Path) -> Snapshot:
    """Read and validate a snapshot file; errors name the file and the place."""
    text = read_text(path, "snapshot")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SnapshotError(
            f"{path}: not JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); "
            "pass a file written by --snapshot-out"
        ) from None
    return snapshot_from_dict(data, str(path))
