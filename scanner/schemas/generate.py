"""Generate the snapshot schema and the kinds reference from the fact dataclasses.

The kinds are the snapshot contract, so their schema is derived from the code, never
written by hand: `snapshot_schema()` describes every kind's props (types, nullability,
required fields, enums, nested facts), and `kinds_markdown()` renders the same model as
`docs/kinds.md`. A test checks that the shipped files equal what this module generates;
regenerate them with ``python -m scanner.schemas.generate``.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import sys
import types
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from scanner.kinds import kind_registry

SNAPSHOT_V2 = "snapshot.v2.schema.json"
_NAME_PATTERN = "^[a-z][a-z0-9-]*$"
_KIND_PATTERN = "^[a-z0-9]+(\\.[a-z0-9_]+)+$"


def snapshot_schema() -> dict[str, Any]:
    """The JSON Schema (draft 7) of a version-2 snapshot, with every kind's props."""
    definitions: dict[str, Any] = {}
    kinds = kind_registry()
    conditions = []
    for kind in sorted(kinds):
        ref = _dataclass_ref(kinds[kind], definitions)
        conditions.append(
            {
                "if": {"properties": {"kind": {"const": kind}}, "required": ["kind"]},
                "then": {"properties": {"props": ref}},
            }
        )
    definitions["resource"] = _resource_schema(sorted(kinds), conditions)
    definitions["gap"] = _gap_schema()
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": f"https://hipaa-scan.invalid/schemas/{SNAPSHOT_V2}",
        "title": "hipaa-scan snapshot, version 2",
        "description": (
            "Everything one collection read from a cloud: resources with normalised facts, "
            "and the gaps (what could not be read, and why). Never holds credentials or "
            "object contents. Generated from scanner/kinds by scanner/schemas/generate.py."
        ),
        "type": "object",
        "required": [
            "format",
            "schema_version",
            "tool",
            "scope",
            "started_at",
            "finished_at",
            "resources",
            "gaps",
        ],
        "additionalProperties": False,
        "properties": {
            "format": {"const": "hipaa-scan-snapshot"},
            "schema_version": {"const": 2},
            "tool": {
                "type": "object",
                "required": ["name", "version"],
                "additionalProperties": False,
                "properties": {"name": {"const": "hipaa-scan"}, "version": {"type": "string"}},
            },
            "scope": _scope_schema(),
            "started_at": {"type": "string"},
            "finished_at": {"type": "string"},
            "api_calls": {"type": "integer", "minimum": 0},
            "resources": {"type": "array", "items": {"$ref": "#/definitions/resource"}},
            "gaps": {"type": "array", "items": {"$ref": "#/definitions/gap"}},
        },
        "definitions": dict(sorted(definitions.items())),
    }


def _scope_schema() -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["provider", "accounts", "regions"],
        "additionalProperties": False,
        "properties": {
            "provider": {"type": "string", "pattern": _NAME_PATTERN},
            "accounts": {"type": "array", "items": {"type": "string"}},
            "regions": {"type": "array", "items": {"type": "string"}},
            "profile": {
                "type": ["string", "null"],
                "description": "The profile name only, never a credential.",
            },
            "endpoint_url": {"type": ["string", "null"]},
            "shard": {
                "type": ["string", "null"],
                "pattern": "^[0-9]+/[0-9]+$",
                "description": "I/N when this snapshot is one shard of a plan.",
            },
            "plan": {
                "type": ["string", "null"],
                "description": "Digest of the full account list the shard was cut from.",
            },
        },
    }


def _resource_schema(kinds: list[str], conditions: list[Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "required": [
            "uid",
            "provider",
            "kind",
            "native_type",
            "account",
            "region",
            "name",
            "tags",
            "props",
        ],
        "additionalProperties": False,
        "properties": {
            "uid": {"type": "string", "minLength": 1},
            "provider": {"type": "string", "pattern": _NAME_PATTERN},
            "kind": {"type": "string", "pattern": _KIND_PATTERN, "enum": kinds},
            "native_type": {"type": "string"},
            "account": {"type": "string"},
            "region": {"type": "string"},
            "name": {"type": "string"},
            "tags": {
                "type": ["object", "null"],
                "additionalProperties": {"type": "string"},
                "description": "Tags or labels; null when they could not be read.",
            },
            "props": {
                "type": "object",
                "description": "The facts of this kind; null means could not be read.",
            },
        },
        "allOf": conditions,
    }


def _gap_schema() -> dict[str, Any]:
    text = {"type": "string"}
    return {
        "type": "object",
        "required": [
            "provider",
            "account",
            "region",
            "service",
            "operation",
            "error_code",
            "message",
            "resource_uid",
        ],
        "additionalProperties": False,
        "properties": {
            "provider": {"type": "string", "pattern": _NAME_PATTERN},
            "account": text,
            "region": text,
            "service": text,
            "operation": text,
            "error_code": text,
            "message": text,
            "resource_uid": {"type": ["string", "null"]},
            "kinds": {
                "type": "array",
                "items": {"type": "string"},
                "description": "Set when a listing failed: the kinds it would have "
                "listed; rules over them are UNKNOWN for the scope.",
            },
        },
    }


def _dataclass_ref(cls: type, definitions: dict[str, Any]) -> dict[str, Any]:
    name = cls.__name__
    if name in definitions:
        if definitions[name].get("x-python") != _qualified(cls):
            raise RuntimeError(f"two fact classes are named {name}: rename one")
        return {"$ref": f"#/definitions/{name}"}
    definitions[name] = {}  # reserve the name: nested facts may refer back to it
    hints = typing.get_type_hints(cls)
    properties = {}
    required = []
    for item in dataclasses.fields(cls):
        properties[item.name] = _type_schema(hints[item.name], definitions)
        if item.default is dataclasses.MISSING and item.default_factory is dataclasses.MISSING:
            required.append(item.name)
    doc = " ".join((cls.__doc__ or "").split())
    definitions[name] = {
        "x-python": _qualified(cls),
        "description": doc,
        "type": "object",
        "additionalProperties": False,
        "required": required,
        "properties": properties,
    }
    return {"$ref": f"#/definitions/{name}"}


def _qualified(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def _type_schema(tp: Any, definitions: dict[str, Any]) -> dict[str, Any]:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = [o for o in typing.get_args(tp) if o is not type(None)]
        if len(options) != 1:
            raise TypeError(f"unsupported union {tp}")
        return {"anyOf": [_type_schema(options[0], definitions), {"type": "null"}]}
    if origin is tuple:
        return {"type": "array", "items": _type_schema(typing.get_args(tp)[0], definitions)}
    if origin in (dict, Mapping, typing.Mapping):
        return {
            "type": "object",
            "additionalProperties": _type_schema(typing.get_args(tp)[1], definitions),
        }
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return _dataclass_ref(tp, definitions)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return {"enum": [member.value for member in tp]}
    simple = {str: "string", int: "integer", float: "number", bool: "boolean"}
    if tp in simple:
        return {"type": simple[tp]}
    if tp is Any or tp is object:
        return {}
    raise TypeError(f"unsupported fact type {tp}")


def kinds_markdown() -> str:
    """`docs/kinds.md`: every kind, its fact class, and each field's type and meaning."""
    schema = snapshot_schema()
    definitions = schema["definitions"]
    lines = [
        "# Kinds: the snapshot contract",
        "",
        "Generated from `scanner/kinds` by `python -m scanner.schemas.generate`; do not edit.",
        "Every fact that could not be read is `null`; `false` or an empty list means "
        '"read, and off". The JSON Schema is '
        f"[`scanner/schemas/{SNAPSHOT_V2}`](../scanner/schemas/{SNAPSHOT_V2}).",
        "",
    ]
    kinds = kind_registry()
    for kind in sorted(kinds):
        cls = kinds[kind]
        lines += [f"## `{kind}`", "", f"Fact class `{_qualified(cls)}`.", ""]
        lines += _fields_table(definitions[cls.__name__])
    nested = sorted(
        name
        for name in definitions
        if name not in {"resource", "gap"} and name not in {c.__name__ for c in kinds.values()}
    )
    lines += ["## Nested facts", ""]
    for name in nested:
        lines += [f"### `{name}`", ""]
        lines += _fields_table(definitions[name])
    return "\n".join(lines).rstrip() + "\n"


def _fields_table(definition: Mapping[str, Any]) -> list[str]:
    lines = [definition["description"], "", "| field | type | required |", "| --- | --- | --- |"]
    required = set(definition["required"])
    for field_name, field_schema in definition["properties"].items():
        mark = "yes" if field_name in required else "no"
        lines.append(f"| `{field_name}` | {_describe(field_schema)} | {mark} |")
    lines.append("")
    return lines


def _describe(schema: Mapping[str, Any]) -> str:
    if "anyOf" in schema:
        return f"{_describe(schema['anyOf'][0])} or null"
    if "$ref" in schema:
        name = str(schema["$ref"]).rsplit("/", 1)[-1]
        return f"`{name}`"
    if "enum" in schema:
        return " \\| ".join(f"`{v}`" for v in schema["enum"])
    kind = schema.get("type")
    if kind == "array":
        return f"list of {_describe(schema['items'])}"
    if kind == "object":
        return f"map of string to {_describe(schema.get('additionalProperties', {}))}"
    return str(kind or "any")


def main(argv: list[str] | None = None) -> int:
    """Write the snapshot schema and `docs/kinds.md` under the repository root given."""
    args = sys.argv[1:] if argv is None else argv
    root = Path(args[0]) if args else Path(__file__).resolve().parents[2]
    schema_path = root / "scanner" / "schemas" / SNAPSHOT_V2
    schema_path.write_text(json.dumps(snapshot_schema(), indent=2) + "\n", encoding="utf-8")
    (root / "docs" / "kinds.md").write_text(kinds_markdown(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
