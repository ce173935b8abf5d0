"""Which kinds a failed call left unlisted is decided per region the call was about."""

from __future__ import annotations

from collections.abc import Iterator

from providers.base import CallCounter, Collector, Fanout, GapRecorder, collector
from scanner.kinds.storage import Bucket, BucketEncryption
from scanner.model import Gap, Resource
from tests.core.toy_provider import REGION, ToyOptions, ToyTask

# (widget name, its region or None for the task's own) and (gap region, message) pairs.
Widgets = tuple[tuple[str, str | None], ...]
Failures = tuple[tuple[str, str], ...]


def widgets_collector(widgets: Widgets, failures: Failures) -> Collector:
    """An account-wide collector yielding `widgets`, then failing to list in some regions."""

    def fn(task: ToyTask) -> Iterator[Resource[Bucket]]:
        task.call("widgets.list")
        for name, region in widgets:
            yield task.resource(
                uid=f"toy://{task.account}/widgets/{name}",
                kind=Bucket.KIND,
                native_type="toy.example/Widget",
                name=name,
                props=Bucket(encryption=BucketEncryption(enabled=True)),
                region=region,
            )
        for region, message in failures:
            task.gap("widgets.list", "AccessDenied", message, region=region)

    return collector(
        "widgets",
        fanout=Fanout.ACCOUNT,
        produces=(Bucket.KIND,),
        calls={"widgets.list": "widgets.list"},
    )(fn)


def run(widgets: Widgets, failures: Failures) -> tuple[list[Resource[Bucket]], tuple[Gap, ...]]:
    gaps = GapRecorder()
    coll = widgets_collector(widgets, failures)
    task = ToyTask(ToyOptions("toy-account-1", 0, ()), coll, gaps, CallCounter())
    return task.run(), gaps.all()


def test_a_region_whose_listing_failed_is_unlisted_though_another_region_answered() -> None:
    # As Access Analyzer: an account-wide collector calling each region's endpoint. The
    # listing failed in the west (nothing came back there) and in the east (a widget did).
    found, gaps = run(
        (("east", "toy-east-1"),),
        (("toy-west-1", "denied in the west"), ("toy-east-1", "slow in the east")),
    )
    assert [r.region for r in found] == ["toy-east-1"]
    assert {(g.region, g.kinds) for g in gaps} == {
        ("toy-west-1", (Bucket.KIND,)),
        ("toy-east-1", ()),
    }
    assert REGION not in {"toy-east-1", "toy-west-1"}  # the task's own region is neither


def test_a_detail_read_in_one_region_about_account_wide_resources_lists_nothing() -> None:
    # As CloudFront: account-wide resources whose detail is read from one region's endpoint.
    found, gaps = run((("everywhere", None),), (("toy-east-1", "detail denied"),))
    assert [r.region for r in found] == [REGION]
    assert {(g.region, g.kinds) for g in gaps} == {("toy-east-1", ())}
