"""Benchmark: the live scan's own CPU per API call, and its peak memory, against moto.

`moto_server` runs in its own process and a loopback proxy (in this benchmark's process)
adds a fixed latency to every call, so neither the fake's CPU nor the cloud's latency is
what is measured. Two figures are taken, each in a fresh subprocess:

* ``collect``: the AWS provider's `collect` alone (no interpreter start-up, imports,
  evaluation or report), its CPU time from `resource.getrusage(RUSAGE_SELF)` divided by
  the calls its `CallCounter` counted;
* ``warm``: the same, but timing a second `collect` in the same process, as every account
  after the first of an organization scan runs: modules imported and service models parsed
  once per process, clients and sessions made anew;
* ``cli``: the whole ``hipaa-scan aws ... --format json --snapshot-out`` command, its CPU
  and peak RSS read from the kernel for that subprocess alone.

    python bench/bench_cpu_per_call.py --per-region 340            # ~1,000 resources
    python bench/bench_cpu_per_call.py --per-region 3400 --runs collect
    python bench/bench_cpu_per_call.py --latency-ms 0 --workers 4
    python bench/bench_cpu_per_call.py --runs collect,warm
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import resource
import signal
import subprocess
import sys
import threading
import time
from typing import Any

from bench_scan import FAKE_ENV, clients, latency_proxy, moto_server, run_scan, seed_region_mix


def inner(
    endpoint: str,
    regions: list[str],
    workers: int,
    profile: str | None,
    read_timeout: int | None = None,
    warm: bool = False,
) -> None:
    """Run `collect` in this process and print its CPU, calls and peak RSS as JSON.

    With `warm`, an untimed `collect` runs first.
    """
    from providers.aws import clients
    from providers.aws.options import AwsOptions
    from providers.aws.provider import collect
    from providers.base import CallCounter
    from scanner.cli.gctuning import fewer_cyclic_collections
    from scanner.cli.malloc import limit_malloc_arenas

    limit_malloc_arenas()  # as the CLI does before its workers start

    if read_timeout:
        # moto renders a listing of thousands far slower than AWS: without this, a large
        # estate's listings time out into gaps and the figure is of a scan that read little.
        clients.READ_TIMEOUT = read_timeout

    options = AwsOptions(
        regions=tuple(regions), endpoint_url=endpoint, max_workers=workers, max_attempts=1
    )
    if warm:
        with fewer_cyclic_collections():
            collect(options, counter=CallCounter())
    counter = CallCounter()
    before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    profilers = _profile_threads() if profile else []
    with fewer_cyclic_collections():  # as the CLI's scan commands collect
        snapshot = collect(options, counter=counter)
    if profile:
        threading.setprofile(None)  # type: ignore[arg-type]
        pstats.Stats(*profilers).dump_stats(profile)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    print(
        json.dumps(
            {
                "cpu_seconds": round(cpu, 2),
                "sys_seconds": round(after.ru_stime - before.ru_stime, 2),
                "wall_seconds": round(wall, 2),
                "api_calls": counter.total,
                "resources": len(snapshot.resources),
                "gaps": len(snapshot.gaps),
                "peak_rss_mib": round(after.ru_maxrss / 1024, 1),
            }
        )
    )


def _profile_threads() -> list[cProfile.Profile]:
    """Profile every thread started from now on (the scan runs on worker threads)."""
    profilers: list[cProfile.Profile] = []

    def start(*_: Any) -> None:
        # Enabling a profiler replaces this hook in the new thread.
        profiler = cProfile.Profile(time.thread_time)
        profilers.append(profiler)
        profiler.enable()

    threading.setprofile(start)
    return profilers


def run_collect(
    endpoint: str,
    regions: list[str],
    workers: int,
    profile: str | None = None,
    read_timeout: int | None = None,
    warm: bool = False,
) -> dict[str, Any]:
    """`inner` in a fresh interpreter (so nothing this process loaded is counted)."""
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("AWS_")}, **FAKE_ENV}
    args = [sys.executable, __file__, "--inner", endpoint, "--workers", str(workers)]
    args += ["--regions", *regions, *(["--profile", profile] if profile else [])]
    args += ["--read-timeout", str(read_timeout)] if read_timeout else []
    args += ["--warm"] if warm else []
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"collect failed ({done.returncode}): {done.stderr}")
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def per_call(figures: dict[str, Any]) -> float:
    """CPU milliseconds per counted API call."""
    return round(1000 * figures["cpu_seconds"] / max(1, figures["api_calls"]), 2)


def main() -> None:
    """Seed a mixed estate on moto, then print one JSON line per measured run."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--inner", metavar="ENDPOINT", help=argparse.SUPPRESS)
    parser.add_argument("--per-region", type=int, default=340)
    parser.add_argument("--regions", nargs="+", default=["us-east-1", "eu-west-1", "us-west-2"])
    parser.add_argument("--workers", type=int, default=16)
    parser.add_argument("--latency-ms", type=int, default=20)
    parser.add_argument(
        "--profile", metavar="FILE", help="write a cProfile of one `collect` run to FILE"
    )
    parser.add_argument(
        "--serve", action="store_true", help="seed, print the endpoint, and wait (for --endpoint)"
    )
    parser.add_argument("--endpoint", help="measure a server already seeded with --serve")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each kind (best CPU kept)")
    parser.add_argument(
        "--read-timeout",
        type=int,
        help="seconds to wait for an answer (moto lists thousands slowly)",
    )
    parser.add_argument("--warm", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--runs", default="collect,cli", help="which figures to take: collect, cli or both"
    )
    args = parser.parse_args()
    if args.inner:
        inner(args.inner, args.regions, args.workers, args.profile, args.read_timeout, args.warm)
        return
    os.environ.update(FAKE_ENV)
    if args.endpoint:
        measure(args, args.endpoint, seeded=None)
        return
    with moto_server() as endpoint:
        make = clients(endpoint)
        started = time.perf_counter()
        seeded = sum(seed_region_mix(make, region, args.per_region) for region in args.regions)
        print(f"# seeded {seeded} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        if args.serve:
            # SIGTERM leaves through the `with`, so the moto server stops too.
            signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
            print(endpoint, flush=True)
            while True:
                time.sleep(60)
        measure(args, endpoint, seeded)


def measure(args: argparse.Namespace, endpoint: str, seeded: int | None) -> None:
    """Take the chosen figures against `endpoint` (behind the latency proxy)."""
    with latency_proxy(endpoint, args.latency_ms) as scanned:
        if args.profile:
            run_collect(scanned, args.regions, args.workers, args.profile)
        for kind in args.runs.split(","):
            runs = [_run(kind, args, scanned) for _ in range(args.repeat)]
            best = min(runs, key=lambda r: r["cpu_seconds"])
            print_row(kind, seeded, args.workers, best, latency_ms=args.latency_ms)


def _run(kind: str, args: argparse.Namespace, endpoint: str) -> dict[str, Any]:
    if kind == "cli":
        return run_scan(endpoint, args.regions, args.workers)
    if kind not in ("collect", "warm"):
        raise SystemExit(f"unknown run {kind!r}: choose from collect, warm, cli")
    return run_collect(
        endpoint, args.regions, args.workers, read_timeout=args.read_timeout, warm=kind == "warm"
    )


def print_row(
    kind: str, seeded: int | None, workers: int, figures: dict[str, Any], **extra: Any
) -> None:
    """One JSON line: which run, on what, its figures and its CPU per call."""
    row = {
        "run": kind,
        "seeded": seeded,
        **extra,
        "workers": workers,
        "cpu_ms_per_call": per_call(figures),
        **{k: v for k, v in figures.items() if k != "max_workers"},
    }
    print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
