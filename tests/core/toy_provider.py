"""A provider that exists only in the tests: the proof that the provider seam is real.

It has one collector producing one (neutral) kind, its own flag, its own permission
format and read-only predicate, and a demo. Nothing outside the tests knows it: the tests
register it in `providers.REGISTRY` for their duration.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import click

from providers.base import (
    CallCounter,
    Collector,
    CollectTask,
    Fanout,
    GapRecorder,
    Permission,
    ProgressFn,
    collector,
    union_permissions,
)
from scanner.kinds.storage import Bucket, BucketEncryption
from scanner.model import Resource, Scope, Snapshot

REGION = "toyland-1"


@dataclass(frozen=True)
class ToyOptions:
    """How many widgets the toy cloud has, and which of them are unencrypted."""

    account: str
    widgets: int
    unencrypted: tuple[int, ...]


class ToyTask(CollectTask):
    """The toy cloud's task: its 'API' is the options object."""

    provider: ClassVar[str] = "toy"

    def __init__(
        self, options: ToyOptions, coll: Collector, gaps: GapRecorder, counter: CallCounter
    ) -> None:
        super().__init__(
            collector=coll, account=options.account, region=REGION, gaps=gaps, item_workers=2
        )
        self.options = options
        self.counter = counter

    def call(self, operation: str) -> None:
        self.declared(operation)
        self.counter.add(operation)


@collector(
    "widgets",
    fanout=Fanout.REGION,
    produces=(Bucket.KIND,),
    calls={"widgets.list": "widgets.list", "widgets.get": "widgets.get"},
)
def widgets(task: ToyTask) -> Iterator[Resource[Bucket]]:
    task.call("widgets.list")
    for index in range(task.options.widgets):
        task.call("widgets.get")
        encrypted = index not in task.options.unencrypted
        yield task.resource(
            uid=f"toy://{task.account}/widgets/w{index}",
            kind=Bucket.KIND,
            native_type="toy.example/Widget",
            name=f"w{index}",
            props=Bucket(encryption=BucketEncryption(enabled=encrypted)),
        )


class ToyProvider:
    name = "toy"
    title = "Toy cloud"

    def cli_params(self) -> Sequence[click.Parameter]:
        return [
            click.Option(["--widgets"], type=int, default=2),
            click.Option(["--unencrypted"], type=int, multiple=True),
        ]

    def options(self, flags: Mapping[str, Any]) -> ToyOptions:
        return ToyOptions(
            "toy-account-1", int(flags["widgets"]), tuple(flags.get("unencrypted") or ())
        )

    def collect(
        self,
        options: Any,
        *,
        progress: ProgressFn | None = None,
        counter: CallCounter | None = None,
    ) -> Snapshot:
        counter = counter or CallCounter()
        gaps = GapRecorder()
        task = ToyTask(options, widgets, gaps, counter)
        resources = list(widgets.fn(task))
        return Snapshot(
            tool_version="test",
            scope=Scope(provider="toy", accounts=(options.account,), regions=(REGION,)),
            started_at="2026-12-03T00:00:00Z",
            finished_at="2026-12-03T00:00:01Z",
            resources=tuple(resources),
            gaps=gaps.all(),
            api_calls=counter.total,
        )

    def collectors(self) -> Sequence[Collector]:
        return (widgets,)

    def permissions(self) -> Sequence[Permission]:
        return union_permissions([], self.collectors())

    def permission_document(self) -> str:
        return "\n".join(f"allow {p.grant}" for p in self.permissions())

    def is_read_only(self, permission: Permission) -> bool:
        return permission.operation.endswith((".list", ".get"))

    def demo(self, *, progress: ProgressFn | None = None, max_workers: int = 8) -> Snapshot:
        return self.collect(ToyOptions("toy-demo", 3, (1,)))


PROVIDER = ToyProvider()
