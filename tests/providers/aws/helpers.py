"""Helpers for AWS collector and rule tests: run chosen collectors under moto and evaluate."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import pytest
from moto import mock_aws

from providers.aws.clients import ClientFactory
from providers.aws.demo_estate import seed
from providers.aws.options import AwsOptions
from providers.aws.provider import collect
from providers.base import CallCounter
from rules import load_rules
from scanner.engine import EvaluationConfig, evaluate
from scanner.model import Resource, Snapshot

ACCOUNT = "123456789012"  # moto's default account
REGIONS = ("us-east-1", "eu-west-1")


def scan(
    services: Sequence[str],
    regions: Sequence[str] = REGIONS,
    counter: CallCounter | None = None,
    max_workers: int = 4,
) -> Snapshot:
    """Run the named collectors (by service) against the active moto mock."""
    options = AwsOptions(
        regions=tuple(regions), collectors=tuple(services), max_workers=max_workers, max_attempts=1
    )
    return collect(options, counter=counter)


def by_uid(snapshot: Snapshot, kind: str) -> dict[str, Resource[Any]]:
    """The snapshot's resources of one kind, keyed by uid."""
    return {r.uid: r for r in snapshot.resources if r.kind == kind}


def outcomes(
    snapshot: Snapshot, rule_ids: Iterable[str], phi_tags: tuple[tuple[str, str], ...] = ()
) -> set[tuple[str, str, str]]:
    """The exact (rule id, resource uid, status) set the named rules give on a snapshot."""
    wanted = set(rule_ids)
    chosen = [r for r in load_rules() if r.id in wanted]
    assert {r.id for r in chosen} == wanted, f"unknown rule ids: {wanted - {r.id for r in chosen}}"
    report = evaluate([snapshot], chosen, EvaluationConfig(phi_tags=phi_tags))
    return {(f.rule_id, f.resource.uid, f.status.value) for f in report.findings}


class _FakeHttpResponse:
    def __init__(self, status_code: int) -> None:
        self.status_code = status_code
        self.headers: dict[str, str] = {}
        self.content = b""
        self.text = ""
        self.raw = None  # botocore's GetBucketLocation parser reads it


Answer = tuple[_FakeHttpResponse, dict[str, Any]]


def operation_name(model: Any) -> str:
    """``"s3.GetBucketPolicy"`` for a botocore operation model."""
    return f"{model.service_model.service_name}.{model.name}"


def fake_answer(parsed: dict[str, Any], status: int = 200) -> Answer:
    """What a ``before-call`` handler returns to answer a call with `parsed` (and `status`)."""
    return _FakeHttpResponse(status), {**parsed, "ResponseMetadata": {}}


@contextlib.contextmanager
def answering(handler: Callable[..., Answer | None]) -> Iterator[None]:
    """Register `handler` for botocore's ``before-call`` event in every client built.

    A handler that returns `fake_answer(...)` short-circuits the HTTP request, so the real
    client parses that answer (or raises the real `ClientError` for an error body); one
    that returns None lets the call through. It is registered after the factory's call
    counter, so an answered call is still counted.
    """
    original = ClientFactory.client

    def client(self: ClientFactory, service: str, region: str) -> Any:
        made = original(self, service, region)
        made.meta.events.unregister("before-call", handler)
        made.meta.events.register("before-call", handler)
        return made

    ClientFactory.client = client  # type: ignore[method-assign]
    try:
        yield
    finally:
        ClientFactory.client = original  # type: ignore[method-assign]


@contextlib.contextmanager
def canned(operation: str, response: dict[str, Any], status: int = 200) -> Iterator[None]:
    """Answer one operation (``"s3.GetBucketPolicy"``) with `response` in every client built.

    For what moto cannot store (a malformed policy document, a ListBuckets answer with
    BucketRegion): a ``before-call`` handler returns the parsed response instead.
    """

    def answer(model: Any, **_: Any) -> Answer | None:
        return fake_answer(response, status) if operation_name(model) == operation else None

    with answering(answer):
        yield


@contextlib.contextmanager
def failing(*operations: str, code: str = "AccessDenied", status: int = 403) -> Iterator[None]:
    """Make the named calls (``"s3.GetBucketPolicy"``) fail with `code` in every client built.

    Uses botocore's ``before-call`` event: a handler that returns a response short-circuits
    the HTTP request, so the real client raises the real `ClientError` for that code.
    """
    wanted = set(operations)

    def deny(model: Any, **_: Any) -> Answer | None:
        if operation_name(model) not in wanted:
            return None
        error = {"Code": code, "Message": f"injected {code} for {model.name}"}
        return fake_answer({"Error": error}, status)

    with answering(deny):
        yield


@contextlib.contextmanager
def demo_estate_mock(amis_dir: Any) -> Iterator[None]:
    """The demo estate seeded into moto's in-process mock, with its own sealed environment.

    For module-scoped fixtures: they run before the function-scoped `sealed_env`, so they
    set fake credentials and an empty AMI list themselves, and restore everything after.
    """
    amis = amis_dir / "none.json"
    amis.write_text("[]")
    with pytest.MonkeyPatch.context() as env:
        env.delenv("AWS_PROFILE", raising=False)
        for name, value in {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_EC2_METADATA_DISABLED": "true",
            "MOTO_AMIS_PATH": str(amis),
        }.items():
            env.setenv(name, value)
        with mock_aws(config={"iam": {"load_aws_managed_policies": True}}):
            seed(None)
            yield
