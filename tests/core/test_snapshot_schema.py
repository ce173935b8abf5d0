"""Snapshot schema v2: generated from the kinds, shipped current, and v1 snapshots migrate."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from scanner.errors import InputFileError, SnapshotError
from scanner.kinds import kind_registry
from scanner.migrate import KIND_RENAMES_V2, migrate
from scanner.model import Snapshot
from scanner.report import SnapshotFile
from scanner.schemas import SNAPSHOT_SCHEMA, load_schema
from scanner.schemas.generate import kinds_markdown, snapshot_schema
from scanner.snapshot import (
    dumps_snapshot,
    read_snapshot,
    snapshot_from_dict,
    snapshot_to_dict,
    write_snapshot,
)
from tests.providers.aws.helpers import demo_estate_mock, scan

REPO = Path(__file__).resolve().parents[2]


def test_shipped_schema_is_generated_from_the_kinds() -> None:
    assert load_schema(SNAPSHOT_SCHEMA) == snapshot_schema(), (
        "regenerate with: python -m scanner.schemas.generate"
    )


def test_kinds_reference_is_current() -> None:
    assert (REPO / "docs" / "kinds.md").read_text(encoding="utf-8") == kinds_markdown(), (
        "regenerate with: python -m scanner.schemas.generate"
    )


def test_every_kind_has_its_props_described() -> None:
    schema = snapshot_schema()
    described = {
        c["if"]["properties"]["kind"]["const"] for c in schema["definitions"]["resource"]["allOf"]
    }
    assert described == set(kind_registry())
    for cls in kind_registry().values():
        definition = schema["definitions"][cls.__name__]
        assert definition["additionalProperties"] is False
        assert definition["properties"], cls


@pytest.fixture(scope="module")
def demo_snapshot(tmp_path_factory: pytest.TempPathFactory) -> Snapshot:
    """A real scan of the demo estate (every collector, every kind it fills)."""
    with demo_estate_mock(tmp_path_factory.mktemp("amis")):
        return scan(
            [
                "artifact",
                "cloudfront",
                "cloudtrail",
                "config",
                "dynamodb",
                "ec2",
                "efs",
                "elb",
                "guardduty",
                "iam",
                "kms",
                "logs",
                "rds",
                "redshift",
                "s3",
                "sns",
                "sqs",
            ]
        )


def test_written_snapshots_validate_against_the_full_schema(demo_snapshot: Snapshot) -> None:
    document = json.loads(dumps_snapshot(demo_snapshot))
    assert len({r["kind"] for r in document["resources"]}) >= 20
    jsonschema.Draft7Validator(load_schema(SNAPSHOT_SCHEMA)).validate(document)


def test_a_wrong_fact_type_fails_the_full_schema_and_the_loader(demo_snapshot: Snapshot) -> None:
    document = snapshot_to_dict(demo_snapshot)
    bucket = next(r for r in document["resources"] if r["kind"] == "storage.bucket")
    bucket["props"]["tls_required"] = "yes"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, load_schema(SNAPSHOT_SCHEMA))
    with pytest.raises(SnapshotError, match=r"props\.tls_required: expected bool"):
        snapshot_from_dict(document, "s.json")


@pytest.mark.parametrize("shard", ["3/2", "0/2", "1/0"])  # the schema refuses other forms
def test_an_impossible_shard_is_the_snapshots_error_not_a_flags(
    shard: str, demo_snapshot: Snapshot
) -> None:
    document = snapshot_to_dict(demo_snapshot)
    document["scope"]["shard"] = shard
    with pytest.raises(SnapshotError) as raised:
        snapshot_from_dict(document, "s.json")
    assert str(raised.value) == (
        f"s.json: scope.shard {shard!r} is not I/N with 1 <= I <= N; the file was edited or "
        "damaged: collect it again"
    )


def _as_v1(document: dict[str, Any]) -> dict[str, Any]:
    old_names = {new: old for old, new in KIND_RENAMES_V2.items()}
    v1 = json.loads(json.dumps(document))
    v1["schema_version"] = 1
    for field in ("shard", "plan"):  # version 2 added them
        assert v1["scope"].pop(field) is None
    for resource in v1["resources"]:
        resource["kind"] = old_names.get(resource["kind"], resource["kind"])
    return v1


def test_v1_snapshots_are_migrated_on_load(demo_snapshot: Snapshot) -> None:
    current = snapshot_to_dict(demo_snapshot)
    v1 = _as_v1(current)
    assert {r["kind"] for r in v1["resources"]} & set(KIND_RENAMES_V2)
    jsonschema.validate(v1, load_schema("snapshot.v1.schema.json"))
    assert snapshot_from_dict(v1, "old.json") == snapshot_from_dict(current, "new.json")


def test_migration_renames_the_aws_only_kinds() -> None:
    v1 = {
        "schema_version": 1,
        "resources": [
            {"kind": "iam.account"},
            {"kind": "compute.ebs_defaults"},
            {"kind": "monitoring.config_recorder"},
            {"kind": "storage.account_public_access"},
            {"kind": "storage.bucket"},
        ],
    }
    upgraded = migrate(v1, 1, 2)
    assert [r["kind"] for r in upgraded["resources"]] == [
        "aws.iam_account",
        "aws.ebs_defaults",
        "aws.config_recorder",
        "aws.account_public_access",
        "storage.bucket",
    ]
    assert upgraded["schema_version"] == 2
    assert v1["resources"][0]["kind"] == "iam.account"  # the input is not modified


@pytest.mark.parametrize("version", ["1", 0, 3, True, None])
def test_unreadable_versions_are_one_clear_error(version: object, demo_snapshot: Snapshot) -> None:
    document = snapshot_to_dict(demo_snapshot)
    document["schema_version"] = version
    expected = (
        "must be a number" if isinstance(version, str) else "is not one this hipaa-scan reads"
    )
    with pytest.raises(SnapshotError, match=expected):
        snapshot_from_dict(document, "s.json")


@pytest.mark.parametrize(
    ("change", "where", "message"),
    [
        (lambda r: r.pop("uid"), "resources/0:", "'uid' is a required property"),
        (lambda r: r.update(colour="red"), "resources/0:", "additional properties are not allowed"),
        (lambda r: r.update(name=7), "resources/0/name:", "7 is not of type 'string'"),
        (lambda r: r.update(provider="AWS!"), "resources/0/provider:", "does not match"),
        (lambda r: r.update(uid=""), "resources/0/uid:", "should be non-empty"),
        (
            lambda r: r.update(tags={"a": 1}),
            "resources/0/tags:",
            "tags must be an object of strings",
        ),
        (lambda r: r.update(props=[]), "resources/0/props:", "list is not of type 'object'"),
    ],
)
def test_resource_envelope_errors_are_one_short_line(
    demo_snapshot: Snapshot, change: Any, where: str, message: str
) -> None:
    document = snapshot_to_dict(demo_snapshot)
    change(document["resources"][0])
    with pytest.raises(SnapshotError) as raised:
        snapshot_from_dict(document, "s.json")
    text = str(raised.value)
    assert text.startswith(f"s.json: not a valid hipaa-scan snapshot at {where}")
    assert message in text
    assert "\n" not in text and len(text) < 400


def test_migration_turns_a_firewall_source_into_sources() -> None:
    v1 = {
        "schema_version": 1,
        "resources": [
            {
                "kind": "network.firewall",
                "props": {
                    "internet_ingress": [
                        {"protocol": "tcp", "from_port": 22, "to_port": 22, "source": "0.0.0.0/0"}
                    ]
                },
            }
        ],
    }
    (firewall,) = migrate(v1, 1, 2)["resources"]
    assert firewall["props"]["internet_ingress"] == [
        {"protocol": "tcp", "from_port": 22, "to_port": 22, "sources": ["0.0.0.0/0"]}
    ]


def test_written_and_read_snapshots_give_the_sha256_of_the_file_bytes(
    demo_snapshot: Snapshot, tmp_path: Path
) -> None:
    path = tmp_path / "estate.json"
    written = write_snapshot(demo_snapshot, path)
    on_disk = hashlib.sha256(path.read_bytes()).hexdigest()
    assert written == SnapshotFile("estate.json", on_disk)
    loaded, read = read_snapshot(path)
    assert read == written
    assert loaded == demo_snapshot
    # One changed byte (an extra newline JSON ignores) is another file to the digest.
    path.write_bytes(path.read_bytes() + b"\n")
    assert read_snapshot(path)[1].sha256 == hashlib.sha256(path.read_bytes()).hexdigest() != on_disk


def test_a_snapshot_that_is_not_utf8_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes(b'{"name": "caf\xe9"}')
    with pytest.raises(InputFileError, match=r"latin1\.json: cannot read snapshot file \("):
        read_snapshot(path)
