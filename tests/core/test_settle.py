"""Which kinds a failed call left unlisted is decided per region the call was about."""

from __future__ import annotations

from collections.abc import Iterator

from providers.base import CallCounter, Fanout, GapRecorder, collector
from scanner.kinds.storage import Bucket, BucketEncryption
from scanner.model import Resource
from tests.core.toy_provider import REGION, ToyOptions, ToyTask


@collector(
    "widgets",
    fanout=Fanout.ACCOUNT,
    produces=(Bucket.KIND,),
    calls={"widgets.list": "widgets.list"},
)
def regional_widgets(task: ToyTask) -> Iterator[Resource[Bucket]]:
    """An account-wide collector calling each region's endpoint, as Access Analyzer does."""
    task.call("widgets.list")
    yield task.resource(
        uid=f"toy://{task.account}/widgets/east",
        kind=Bucket.KIND,
        native_type="toy.example/Widget",
        name="east",
        props=Bucket(encryption=BucketEncryption(enabled=True)),
        region="toy-east-1",
    )
    # Listing failed in the west (nothing came back there) and in the east (a widget did).
    task.gap("widgets.list", "AccessDenied", "denied in the west", region="toy-west-1")
    task.gap("widgets.list", "Throttling", "slow in the east", region="toy-east-1")


def test_a_region_whose_listing_failed_is_unlisted_though_another_region_answered() -> None:
    gaps = GapRecorder()
    task = ToyTask(ToyOptions("toy-account-1", 0, ()), regional_widgets, gaps, CallCounter())
    found = task.run()
    assert [r.region for r in found] == ["toy-east-1"]
    assert {(g.region, g.kinds) for g in gaps.all()} == {
        ("toy-west-1", (Bucket.KIND,)),
        ("toy-east-1", ()),
    }
    assert task.region == REGION  # the task's own region is neither of the two


@collector(
    "widgets",
    fanout=Fanout.ACCOUNT,
    produces=(Bucket.KIND,),
    calls={"widgets.list": "widgets.list"},
)
def global_widgets(task: ToyTask) -> Iterator[Resource[Bucket]]:
    """Account-wide widgets whose detail is read from one region's endpoint (CloudFront)."""
    task.call("widgets.list")
    yield task.resource(
        uid=f"toy://{task.account}/widgets/everywhere",
        kind=Bucket.KIND,
        native_type="toy.example/Widget",
        name="everywhere",
        props=Bucket(encryption=None),
    )
    task.gap("widgets.list", "AccessDenied", "detail denied", region="toy-east-1")


def test_a_detail_read_in_one_region_about_account_wide_resources_lists_nothing() -> None:
    gaps = GapRecorder()
    task = ToyTask(ToyOptions("toy-account-1", 0, ()), global_widgets, gaps, CallCounter())
    assert [r.region for r in task.run()] == [REGION]
    assert {(g.region, g.kinds) for g in gaps.all()} == {("toy-east-1", ())}
