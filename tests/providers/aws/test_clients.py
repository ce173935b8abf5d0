"""Clients share one compact model loader; clients of finished accounts are let go.

The loader keeps, per service, only the operations some collector (or the provider core)
declares, every shape they reach and every error shape, and no documentation; credential
services stay whole. Every session of a scan loads a model once, through the same loader.
"""

from __future__ import annotations

import copy
import gzip
import os
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.loaders import JSONFileLoader, create_loader
from moto import mock_aws

from providers.aws.clients import (
    ClientFactory,
    FastJSONFileLoader,
    compact_model,
    declared_operations,
    parse_json,
)
from providers.aws.provider import permissions
from providers.aws.task import AwsTask
from providers.base import CallCounter, Collector, Fanout, GapRecorder, UndeclaredCallError
from tests.providers.aws.helpers import ACCOUNT, scan


def factory() -> ClientFactory:
    return ClientFactory(
        boto3.session.Session(),
        endpoint_url=None,
        max_attempts=1,
        pool_size=10,
        counter=CallCounter(),
    )


def methods(client: Any) -> set[str]:
    return set(client.meta.method_to_api_mapping.values())


def test_clients_know_exactly_the_declared_operations() -> None:
    made = factory()
    declared = declared_operations()
    for service in ("ec2", "s3", "kms"):
        client = made.client(service, "us-east-1")
        endpoint_ops = {
            name
            for name in client.meta.service_model.operation_names
            if client.meta.service_model.operation_model(name).is_endpoint_discovery_operation
        }
        assert methods(client) == set(declared[service]) | endpoint_ops
    assert {f"{s}.{op}" for s, ops in declared.items() for op in ops} == set(permissions()) | {
        "s3.HeadBucket",
        "s3.CreateSession",
    }


def test_credential_services_keep_every_operation() -> None:
    # Web identity (CI OIDC) and SSO profiles call STS operations no collector declares.
    sts = factory().client("sts", "us-east-1")
    assert {"AssumeRoleWithWebIdentity", "AssumeRole", "GetCallerIdentity"} <= methods(sts)


def test_every_session_shares_one_loaded_model() -> None:
    first, second = factory(), factory()
    a = first.client("ec2", "us-east-1").meta.service_model
    b = second.client("ec2", "eu-west-1").meta.service_model
    assert a._service_description is b._service_description


def test_compacting_keeps_reached_and_error_shapes_and_drops_documentation() -> None:
    full = create_loader().load_service_model("s3", "service-2")
    model = copy.deepcopy(full)
    compact_model(model, {"GetBucketPolicy"})
    assert set(model["operations"]) == {"GetBucketPolicy"}
    op = model["operations"]["GetBucketPolicy"]
    assert "documentation" not in op
    kept = set(model["shapes"])
    assert {op["input"]["shape"], op["output"]["shape"], "Policy", "NoSuchBucket"} <= kept
    assert {n for n, s in full["shapes"].items() if s.get("exception")} <= kept
    assert "PutObjectRequest" not in kept
    assert not any("documentation" in s for s in model["shapes"].values())
    # A member of a kept structure still names its shape (and keeps no documentation).
    member = model["shapes"]["GetBucketPolicyRequest"]["members"]["Bucket"]
    assert member["shape"] in kept
    assert "documentation" not in member


def test_compacting_without_a_keep_list_keeps_every_operation() -> None:
    full = create_loader().load_service_model("sts", "service-2")
    model = copy.deepcopy(full)
    compact_model(model, None)
    assert set(model["operations"]) == set(full["operations"])
    assert set(model["shapes"]) == set(full["shapes"])


def test_a_method_no_collector_declares_is_refused() -> None:
    made = factory()
    declares = Collector(
        name="probe",
        service="ec2",
        fanout=Fanout.REGION,
        produces=(),
        calls={"ec2.DescribeVolumes": "ec2:DescribeVolumes"},
        fn=lambda task: [],
    )
    task = AwsTask(
        collector=declares,
        account=ACCOUNT,
        region="us-east-1",
        api_region="us-east-1",
        scan_regions=("us-east-1",),
        clients=made,
        gaps=GapRecorder(),
        item_workers=1,
    )
    with pytest.raises(UndeclaredCallError, match=r"ec2\.terminate_instances"):
        task.call(task.client("ec2"), "terminate_instances", InstanceIds=["i-1"])


def test_the_clients_of_a_finished_account_are_released(monkeypatch: pytest.MonkeyPatch) -> None:
    released: list[int] = []
    original = ClientFactory.release

    def release(self: ClientFactory) -> None:
        released.append(id(self))
        original(self)

    monkeypatch.setattr(ClientFactory, "release", release)
    with mock_aws():
        boto3.client("sqs", region_name="eu-west-1").create_queue(QueueName="q")
        snapshot = scan(["sqs"], regions=("us-east-1", "eu-west-1"))
    # Released once, after the account's last task, and the scan read what was there.
    assert len(released) == 1
    assert {(r.kind, r.region, r.name) for r in snapshot.resources} == {
        ("messaging.queue", "eu-west-1", "q")
    }


def test_a_released_factory_builds_new_clients() -> None:
    made = factory()
    before = made.client("sqs", "us-east-1")
    made.release()
    after = made.client("sqs", "us-east-1")
    assert after is not before
    assert made.client("sqs", "us-east-1") is after


def _data_path(*parts: str) -> str:
    loader = create_loader()
    for root in loader.search_paths:
        path = os.path.join(root, *parts)
        if os.path.isfile(path + ".json") or os.path.isfile(path + ".json.gz"):
            return path
    raise AssertionError(f"no botocore data file {parts}")


@pytest.mark.parametrize(
    "parts",
    [
        ("ec2", create_loader().determine_latest_version("ec2", "service-2"), "service-2"),
        ("s3", create_loader().determine_latest_version("s3", "service-2"), "paginators-1"),
        ("s3", create_loader().determine_latest_version("s3", "service-2"), "endpoint-rule-set-1"),
        ("partitions",),
    ],
)
def test_the_fast_file_loader_reads_what_botocore_reads(parts: tuple[str, ...]) -> None:
    path = _data_path(*parts)
    assert FastJSONFileLoader().load_file(path) == JSONFileLoader().load_file(path)


def test_the_fast_file_loader_reads_plain_and_gzipped_files_and_big_integers(
    tmp_path: Path,
) -> None:
    # An integer past 64 bits stays exact (orjson alone would make it a float).
    (tmp_path / "big.json").write_text('{"max": 123456789012345678901234567890}')
    (tmp_path / "small.json.gz").write_bytes(gzip.compress(b'{"a": [1, 2]}'))
    loader = FastJSONFileLoader()
    assert loader.load_file(str(tmp_path / "big")) == {"max": 123456789012345678901234567890}
    assert loader.load_file(str(tmp_path / "small")) == {"a": [1, 2]}
    assert loader.load_file(str(tmp_path / "missing")) is None


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        (b'{"n": 18446744073709551616}', {"n": 18446744073709551616}),
        (b'{"n": -99999999999999999999, "s": "x"}', {"n": -99999999999999999999, "s": "x"}),
        (b'{"n": 1234567890123456789, "f": 1.5}', {"n": 1234567890123456789, "f": 1.5}),
        (b'{"doc": "id 01234567890123456789012"}', {"doc": "id 01234567890123456789012"}),
    ],
)
def test_json_is_parsed_exactly(text: bytes, parsed: dict[str, Any]) -> None:
    result = parse_json(text)
    assert result == parsed
    assert [type(v) for v in result.values()] == [type(v) for v in parsed.values()]
