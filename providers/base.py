"""What every provider shares: the `Provider` protocol, collector declarations, `CollectTask`.

A provider is one object behind the lazy registry in `providers`: it names its cloud,
declares its collectors and the read-only permissions they need, renders those as a
permission document in its cloud's own format, and turns options into a `Snapshot`.

A collector is a function that reads one cloud service and yields resources. It declares
the operations it may call (with the permission each needs), how it fans out (once per
account/project/subscription, or once per region/location) and the kinds it produces; the
provider refuses any undeclared call or kind, and `hipaa-scan permissions` prints the union.
"""

from __future__ import annotations

import dataclasses
import enum
import importlib
import logging
import pkgutil
import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from types import MappingProxyType, ModuleType
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, TypeVar

from scanner.errors import CollectionError
from scanner.model import Gap, Resource, Snapshot
from scanner.redact import redact_text

if TYPE_CHECKING:
    import click

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")

ProgressFn = Callable[[str], None]


def progress_due(done: int, total: int, lines: int = 10) -> bool:
    """Whether the `done`-th of `total` finished tasks earns a progress line.

    One line each time another tenth of the tasks is done, the last task always included:
    `lines` lines at most, however many accounts x regions x services a scan has, so an
    organization scan does not flood a CI log.
    """
    return done * lines // total > (done - 1) * lines // total


# Gap and error messages are one readable line, never a response body.
MAX_MESSAGE = 300
# The default of `CollectTask.resource(tags=...)`: a resource kind that carries no tags.
# `None` means something else: the tags could not be read.
NO_TAGS: Mapping[str, str] = MappingProxyType({})


class UndeclaredCallError(RuntimeError):
    """A collector called an operation (or made a kind) it did not declare: a bug, not a fault."""


class Fanout(enum.StrEnum):
    """How often a collector runs per scanned account, as its provider interprets it.

    ``account``: once per account / project / subscription (IAM, S3's bucket listing).
    ``region``: once per scanned region or location of that account.
    """

    ACCOUNT = "account"
    REGION = "region"


@dataclass(frozen=True)
class Permission:
    """One operation a provider may perform and the permission that allows it.

    `operation` is what the code calls (``s3.GetBucketPolicy``,
    ``storage.buckets.getIamPolicy``, ``GET Microsoft.Storage/storageAccounts``); `grant` is
    what a policy or role must allow (``s3:GetBucketPolicy``,
    ``Microsoft.Storage/storageAccounts/read``).
    """

    operation: str
    grant: str


@dataclass(frozen=True)
class Collector:
    """A declared reader of one service: its fan-out, the kinds it makes and what it calls."""

    name: str
    service: str
    fanout: Fanout
    produces: tuple[str, ...]
    calls: Mapping[str, str]
    fn: Callable[[Any], Iterable[Resource[Any]]]

    @property
    def permissions(self) -> tuple[Permission, ...]:
        """The declared calls as `Permission` values, ordered by operation."""
        return tuple(Permission(op, grant) for op, grant in sorted(self.calls.items()))


def collector(
    service: str, *, fanout: Fanout, produces: Sequence[str], calls: Mapping[str, str]
) -> Callable[[Callable[[Any], Iterable[Resource[Any]]]], Collector]:
    """Declare a collector; `calls` maps each operation it may call to its permission."""

    def wrap(fn: Callable[[Any], Iterable[Resource[Any]]]) -> Collector:
        return Collector(
            name=fn.__name__,
            service=service,
            fanout=fanout,
            produces=tuple(produces),
            calls=dict(calls),
            fn=fn,
        )

    return wrap


def find_collectors(package: ModuleType) -> tuple[Collector, ...]:
    """Every `Collector` defined in the modules of `package`, ordered by service and name."""
    found: dict[str, Collector] = {}
    for info in pkgutil.iter_modules(package.__path__, prefix=f"{package.__name__}."):
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if isinstance(value, Collector):
                found[f"{value.service}.{value.name}"] = value
    return tuple(found[key] for key in sorted(found))


def union_permissions(
    core: Iterable[Permission], collectors: Iterable[Collector]
) -> tuple[Permission, ...]:
    """The provider's own calls and every collector's, without duplicates, ordered."""
    every = {*core, *(p for c in collectors for p in c.permissions)}
    return tuple(sorted(every, key=lambda p: (p.operation, p.grant)))


class Provider(Protocol):
    """One cloud behind the registry; the CLI and every generic command talk only to this."""

    name: str
    title: str

    def cli_params(self) -> Sequence[click.Parameter]:
        """The flags of ``hipaa-scan <name>`` that choose what to scan and how."""

    def options(self, flags: Mapping[str, Any]) -> object:
        """Validate the parsed flags into this provider's options (`UsageError` if bad)."""

    def collect(
        self,
        options: Any,
        *,
        progress: ProgressFn | None = None,
        counter: CallCounter | None = None,
    ) -> Snapshot:
        """Read the estate the options describe into a snapshot (cloud faults are gaps)."""

    def collectors(self) -> Sequence[Collector]:
        """Every collector of this provider."""

    def permissions(self) -> Sequence[Permission]:
        """Every operation the provider may perform: its own calls and every collector's."""

    def permission_document(self) -> str:
        """The least-privilege read-only grant in the cloud's own format, as text."""

    def is_read_only(self, permission: Permission) -> bool:
        """Whether `permission` only reads (the read-only test holds every call to it)."""

    def demo(self, *, progress: ProgressFn | None = None, max_workers: int = 8) -> Snapshot:
        """A scan of a built-in sample estate on a local fake (no account needed)."""


class ProviderBase:
    """What every provider object shares: its SDK-backed modules load on first use.

    A subclass names its cloud, the module holding `collect`, `all_collectors` and
    `CORE_CALLS` (`sdk_module`) and what to install when that import fails; importing the
    subclass's own module loads no SDK, so `--help` and flag checks never need one.
    """

    name: ClassVar[str]
    title: ClassVar[str]
    sdk_module: ClassVar[str]
    sdk_requirement: ClassVar[str]
    extra: ClassVar[str]

    def sdk(self, module: str | None = None) -> Any:
        """`module` (default `sdk_module`) imported, or one error naming the extra."""
        try:
            return importlib.import_module(module or self.sdk_module)
        except ImportError as exc:
            raise CollectionError(
                f"the {self.title} scanner needs {self.sdk_requirement} ({exc.name} is "
                f"missing): install with  pipx install 'hipaa-scan[{self.extra}]'  (or pip "
                f"install 'hipaa-scan[{self.extra}]')"
            ) from None

    def collect(
        self,
        options: Any,
        *,
        progress: ProgressFn | None = None,
        counter: CallCounter | None = None,
    ) -> Snapshot:
        """Scan what `options` name (see the provider module's `collect`)."""
        snapshot: Snapshot = self.sdk().collect(options, progress=progress, counter=counter)
        return snapshot

    def collectors(self) -> Sequence[Collector]:
        """Every collector of this provider."""
        return tuple(self.sdk().all_collectors())

    def permissions(self) -> Sequence[Permission]:
        """The provider's own calls plus every collector's."""
        core = [Permission(op, grant) for op, grant in self.sdk().CORE_CALLS.items()]
        return union_permissions(core, self.collectors())


class GapRecorder:
    """Collects gaps from many worker threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._gaps: list[Gap] = []

    def add(self, gap: Gap) -> None:
        """Record one gap."""
        with self._lock:
            self._gaps.append(gap)

    def replace(self, old: Gap, new: Gap) -> None:
        """Replace a recorded gap (a failed listing gains the kinds it left unlisted)."""
        with self._lock:
            self._gaps = [new if gap == old else gap for gap in self._gaps]

    def all(self) -> tuple[Gap, ...]:
        """Every gap recorded so far, sorted and without duplicates."""
        with self._lock:
            return tuple(sorted(set(self._gaps), key=Gap.sort_key))


class CallCounter:
    """Counts API calls by ``service.Operation`` across threads (for tests and benchmarks)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.counts: Counter[str] = Counter()

    def add(self, key: str) -> None:
        """Count one call."""
        with self._lock:
            self.counts[key] += 1

    @property
    def total(self) -> int:
        """All calls counted."""
        with self._lock:
            return sum(self.counts.values())


class CollectTask:
    """What one collector run shares on every cloud: gaps, resources, fan-out, declarations.

    A provider subclasses it with its own API access (`AwsTask`); everything here is
    cloud-neutral. `region` is the region/location the run covers, or the provider's
    marker for an account-wide run.
    """

    provider: ClassVar[str]

    def __init__(
        self,
        *,
        collector: Collector,
        account: str,
        region: str,
        gaps: GapRecorder,
        item_workers: int,
    ) -> None:
        self.collector = collector
        self.account = account
        self.region = region
        self._gaps = gaps
        self._item_workers = max(1, item_workers)
        # Gaps about no particular resource, until `settle` sees what was produced.
        self._unscoped: list[Gap] = []
        self._unscoped_lock = threading.Lock()

    def declared(self, operation: str) -> None:
        """Refuse an operation the collector did not declare (raises `UndeclaredCallError`)."""
        if operation not in self.collector.calls:
            raise UndeclaredCallError(
                f"collector {self.collector.name} calls {operation} without declaring it"
            )

    def gap(
        self,
        operation: str,
        error_code: str,
        message: str,
        resource_uid: str | None = None,
        region: str | None = None,
    ) -> None:
        """Record something that could not be read, and why (one line).

        A gap about no particular resource may be a failed listing: `settle` decides once
        the collector has finished.
        """
        gap = Gap(
            provider=self.provider,
            account=self.account,
            region=region or self.region,
            service=self.collector.service,
            operation=operation,
            error_code=error_code,
            message=" ".join(message.split())[:MAX_MESSAGE],
            resource_uid=resource_uid,
        )
        self._gaps.add(gap)
        if resource_uid is None:
            with self._unscoped_lock:
                self._unscoped.append(gap)

    def run(self) -> list[Resource[Any]]:
        """Run the collector on this task and `settle` its gaps (faults propagate)."""
        found = list(self.collector.fn(self))
        self.settle(found)
        return found

    def run_guarded(self) -> list[Resource[Any]]:
        """`run`, but a collector that raises becomes a gap, never a stopped scan.

        Whatever it yielded before stopping is dropped: every kind it declares is then
        unlisted in this scope, so rules over them say UNKNOWN rather than judge a part.
        """
        try:
            return self.run()
        except Exception as exc:  # one broken collector must not stop the others
            log.debug("collector %s failed", self.collector.name, exc_info=True)
            self.gap(
                "*",
                "CollectorError",
                f"collector {self.collector.name} stopped: {type(exc).__name__}: "
                f"{self.describe_fault(exc)}",
            )
            self.settle([])
            return []

    def describe_fault(self, exc: BaseException) -> str:
        """One readable line for a fault (providers refine it: no bodies, no secrets)."""
        return redact_text(" ".join(str(exc).split()))

    def settle(self, found: Sequence[Resource[Any]]) -> None:
        """Mark which kinds a failed call left unlisted, now that the collector is done.

        A call that failed about no particular resource, in a task that then produced no
        resource of a kind it declares, means that kind was not listed here (a denied
        listing, a collector that stopped): the gap carries those kinds and the engine
        reports every rule over them UNKNOWN for this scope. When resources of a kind did
        come back, the failure was a detail about them, and their own facts say so.

        A gap about another region than the task's (an account-wide collector calling
        each region's endpoint) is weighed against that region's resources and the
        task's own (account-wide ones, such as CloudFront's, whose details are read in one
        region): a kind found in another region says nothing of a region whose listing
        failed.
        """
        everywhere = {resource.kind for resource in found}
        by_region: dict[str, set[str]] = defaultdict(set)
        for resource in found:
            by_region[resource.region].add(resource.kind)
        with self._unscoped_lock:
            pending, self._unscoped = self._unscoped, []
        for gap in pending:
            present = (
                everywhere
                if gap.region == self.region
                else by_region[gap.region] | by_region[self.region]
            )
            missing = tuple(kind for kind in self.collector.produces if kind not in present)
            if missing:
                self._gaps.replace(gap, dataclasses.replace(gap, kinds=missing))

    def resource(
        self,
        *,
        uid: str,
        kind: str,
        native_type: str,
        name: str,
        props: T,
        tags: Mapping[str, str] | None = NO_TAGS,
        region: str | None = None,
    ) -> Resource[T]:
        """A resource of this task's account (and region, unless another is given).

        `tags` is `None` when the resource's tags could not be read (the resource then
        stays in every `--phi-tag` scope); leave it out for resources that carry none.
        """
        if kind not in self.collector.produces:
            raise UndeclaredCallError(
                f"collector {self.collector.name} makes a {kind} without declaring it"
            )
        return Resource(
            uid=uid,
            provider=self.provider,
            kind=kind,
            native_type=native_type,
            account=self.account,
            region=region or self.region,
            name=name,
            props=props,
            tags=None if tags is None else dict(tags),
        )

    def map(self, fn: Callable[[T], R], items: Sequence[T]) -> list[R]:
        """Apply `fn` to every item with a bounded pool of threads (order kept)."""
        if len(items) <= 1 or self._item_workers == 1:
            return [fn(item) for item in items]
        with ThreadPoolExecutor(max_workers=min(self._item_workers, len(items))) as pool:
            return list(pool.map(fn, items))
