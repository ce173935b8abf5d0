"""The GCP provider: resolve projects, run every collector per project, build a snapshot.

Work is split into tasks of (project, collector) run on one bounded thread pool, so
projects and services are read concurrently; each task fans its per-resource calls out
on a small pool of its own. Every failed call is a gap (a disabled API, a denied
permission, throttling that outlasted the retries); only the absence of any usable
credential, or of any project to scan, stops the scan.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from datetime import UTC, datetime
from typing import Any

from providers.base import (
    CallCounter,
    Collector,
    Fanout,
    GapRecorder,
    ProgressFn,
    find_collectors,
    progress_due,
)
from providers.gcp import services
from providers.gcp.clients import Apis, credentials_for
from providers.gcp.options import GcpOptions
from providers.gcp.task import GLOBAL, GcpTask
from scanner import __version__
from scanner.errors import CollectionError
from scanner.model import Resource, Scope, Snapshot
from scanner.redact import redact_url
from scanner.shards import plan_digest, select

log = logging.getLogger(__name__)

# The calls the provider itself makes (project discovery), declared like a collector's
# so that `hipaa-scan permissions gcp` and the read-only test see them.
CORE_CALLS = {
    "cloudresourcemanager.projects.list": "resourcemanager.projects.get",
    "cloudresourcemanager.projects.getAncestry": "resourcemanager.projects.get",
}


def all_collectors() -> tuple[Collector, ...]:
    """Every GCP collector in `providers.gcp.services`."""
    return find_collectors(services)


def collect(
    options: GcpOptions, progress: ProgressFn | None = None, counter: CallCounter | None = None
) -> Snapshot:
    """Read the GCP estate the options describe into a snapshot."""
    counter = counter or CallCounter()
    if not log.isEnabledFor(logging.DEBUG):
        # The discovery client logs every 403 as a warning; those are gaps in the report.
        logging.getLogger("googleapiclient.http").setLevel(logging.ERROR)
    started = _now()
    gaps = GapRecorder()
    apis = Apis(options, credentials_for(options))
    projects = _projects(options, apis, gaps, counter)
    plan = None
    if options.shard is not None:
        # The plan is the whole list the shard was cut from: a merge can then tell whether
        # every part arrived and all were cut from the same list.
        plan = plan_digest(projects)
        projects = select(projects, options.shard)
    resources = _run(options, apis, projects, gaps, counter, progress)
    regions = sorted({r.region for r in resources} | {GLOBAL})
    return Snapshot(
        tool_version=__version__,
        scope=Scope(
            provider="gcp",
            accounts=tuple(projects),
            regions=tuple(regions),
            profile=options.impersonate_service_account,
            endpoint_url=redact_url(options.api_endpoint),
            shard=str(options.shard) if options.shard else None,
            plan=plan,
        ),
        started_at=started,
        finished_at=_now(),
        resources=tuple(sorted(resources, key=lambda r: (r.kind, r.uid))),
        gaps=gaps.all(),
        api_calls=counter.total,
    )


def _projects(
    options: GcpOptions, apis: Apis, gaps: GapRecorder, counter: CallCounter
) -> list[str]:
    if not options.all_projects:
        return sorted(options.projects)
    listing = Collector(
        name="project_discovery",
        service="cloudresourcemanager",
        fanout=Fanout.ACCOUNT,
        produces=(),
        calls=CORE_CALLS,
        fn=lambda task: (),
    )

    def task_for(project: str) -> GcpTask:
        return GcpTask(
            collector=listing,
            project=project,
            apis=apis,
            options=options,
            gaps=gaps,
            counter=counter,
            item_workers=max(1, options.max_workers),
        )

    task = task_for("-")
    crm = apis.service("cloudresourcemanager", "v1")
    found = task.pages(
        lambda token: crm.projects().list(filter="lifecycleState:ACTIVE", pageToken=token),
        "projects",
    )
    if found is None:
        failed = gaps.all()
        reason = f"{failed[-1].error_code}: {failed[-1].message}" if failed else "no answer"
        raise CollectionError(
            f"cannot list the projects for --all-projects ({reason}); "
            "check the credentials, or name projects with --project"
        )
    projects = sorted(
        {
            str(p.get("projectId"))
            for p in found
            if p.get("projectId")
            and p.get("lifecycleState", "ACTIVE") == "ACTIVE"
            and options.wants(str(p.get("projectId")))
        }
    )
    if options.folders or options.organizations:
        projects = _under(task_for, crm, projects, options)
    if not projects:
        raise CollectionError(
            "--all-projects found no ACTIVE project these credentials can "
            "read (after --exclude-project, --folder, --organization)"
        )
    return projects


def _under(
    task_for: Callable[[str], GcpTask], crm: Any, projects: list[str], options: GcpOptions
) -> list[str]:
    """The projects whose ancestry holds one of the wanted folders or organizations.

    A project whose ancestry cannot be read is left out with a gap naming it, so the report
    says the scope may be short rather than silently scanning or skipping it.
    """
    wanted = {("folder", f) for f in options.folders} | {
        ("organization", o) for o in options.organizations
    }

    def ancestry(project: str) -> set[tuple[str, str]] | None:
        fetched = task_for(project).execute(
            crm.projects().getAncestry(projectId=project, body={}),
            resource_uid=f"//cloudresourcemanager.googleapis.com/projects/{project}",
        )
        if fetched.failed:
            return None
        return {
            (
                str((a.get("resourceId") or {}).get("type")),
                str((a.get("resourceId") or {}).get("id")),
            )
            for a in fetched.get("ancestor", [])
            if isinstance(a, dict)
        }

    found = task_for("-").map(ancestry, projects)
    return [p for p, above in zip(projects, found, strict=True) if above and above & wanted]


def _run(
    options: GcpOptions,
    apis: Apis,
    projects: Sequence[str],
    gaps: GapRecorder,
    counter: CallCounter,
    progress: ProgressFn | None,
) -> list[Resource[Any]]:
    chosen = [
        c for c in all_collectors() if not options.collectors or c.service in options.collectors
    ]
    item_workers = max(1, options.max_workers // 2)
    tasks = [
        GcpTask(
            collector=coll,
            project=project,
            apis=apis,
            options=options,
            gaps=gaps,
            counter=counter,
            item_workers=item_workers,
        )
        for project in projects
        for coll in chosen
    ]
    resources: list[Resource[Any]] = []
    with ThreadPoolExecutor(max_workers=max(1, options.max_workers)) as pool:
        futures = {pool.submit(_run_task, task): task for task in tasks}
        for done, future in enumerate(as_completed(futures), start=1):
            task = futures[future]
            resources.extend(future.result())
            if progress and progress_due(done, len(tasks)):
                progress(
                    f"[{done}/{len(tasks)}] collected; last: {task.project} "
                    f"{task.collector.service}"
                )
    return resources


def _run_task(task: GcpTask) -> list[Resource[Any]]:
    return task.run_guarded()


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
