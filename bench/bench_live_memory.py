"""Benchmark: peak memory, CPU and wall time of a live scan that collects N resources.

Seeding 100,000 resources through moto's API takes hours (every create is a signed HTTP
call that moto parses), so the estate is written straight into moto's backend objects in
the moto server's own process (a child running this file with ``--serve``), which then
serves it with moto's `ThreadedMotoServer`. The kinds are ones a collector lists by page
with no call per resource, so the scan's calls stay few and the figure is the scanner's
memory for N resources rather than moto's speed: EBS volumes (two in three, half of them
encrypted) and security groups (one in three, every third open to the internet on 22),
spread evenly over 16 regions. Each region's listing comes back as one answer, as AWS
sends DescribeVolumes without MaxResults.

Two figures, each in a fresh subprocess (see `bench_cpu_per_call`): ``collect`` (the
provider's `collect` alone) and ``cli`` (``hipaa-scan aws ... --format json
--snapshot-out``, evaluation and reports included).

    python bench/bench_live_memory.py --count 100000
    python bench/bench_live_memory.py --count 10000 --runs collect
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from bench_cpu_per_call import print_row, run_collect
from bench_scan import FAKE_ENV, _empty_amis, free_port, run_scan

ACCOUNT = "123456789012"
# Enough regions that no one listing is past what moto renders within the scanner's 30 s
# read timeout (about 6,000 resources a region at 100,000; 25,000 a region timed out).
REGIONS = (
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "eu-central-1",
    "eu-north-1",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-south-1",
    "ca-central-1",
    "sa-east-1",
)


def seed(count: int, regions: Sequence[str]) -> int:
    """Write `count` volumes and security groups into moto's backends (this process)."""
    from moto.ec2.models import ec2_backends

    per_region = [count // len(regions) + (i < count % len(regions)) for i in range(len(regions))]
    made = 0
    for region, share in zip(regions, per_region, strict=True):
        backend = ec2_backends[ACCOUNT][region]
        groups = share // 3
        for i in range(share - groups):
            backend.create_volume(size=1 + i % 100, zone_name=f"{region}a", encrypted=bool(i % 2))
        for i in range(groups):
            # force=True skips moto's duplicate-name check, a scan of every group per create.
            group = backend.create_security_group(
                f"bench-{i}", "bench", tags={"data-class": "phi"}, force=True
            )
            if i % 3 == 0:
                group.add_ingress_rule(_open_ssh(backend, group.id))
        made += share
    return made


def _open_ssh(backend: Any, group_id: str) -> Any:
    from moto.ec2.models.security_groups import SecurityGroupRule

    return SecurityGroupRule(
        backend, "tcp", group_id, "22", "22", {"CidrIp": "0.0.0.0/0"}, is_egress=False
    )


def serve(count: int, regions: Sequence[str]) -> None:
    """Seed, start moto's server in this process, print its URL, wait for SIGTERM."""
    from moto.server import ThreadedMotoServer

    started = time.perf_counter()
    made = seed(count, regions)
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"http://127.0.0.1:{port} {made} {time.perf_counter() - started:.0f}", flush=True)
    while True:
        time.sleep(60)


@contextmanager
def seeded_server(count: int, regions: Sequence[str]) -> Iterator[str]:
    """A child process serving a moto estate of `count` resources; yields its URL."""
    # No default AMIs: moto would add their snapshots (one call each) to every region.
    env = {**os.environ, **FAKE_ENV, "MOTO_AMIS_PATH": _empty_amis()}
    args = [sys.executable, __file__, "--serve", "--count", str(count), "--regions", *regions]
    child = subprocess.Popen(
        args, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    try:
        assert child.stdout is not None
        line = child.stdout.readline().split()
        if not line or not line[0].startswith("http://"):
            raise SystemExit(f"moto server did not start ({child.poll()})")
        print(f"# seeded {line[1]} in {line[2]} s", file=sys.stderr)
        yield line[0]
    finally:
        child.terminate()
        child.wait(timeout=30)


def main() -> None:
    """Seed N resources in a moto server and print one JSON line per measured run."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--regions", nargs="+", default=list(REGIONS))
    parser.add_argument("--workers", type=int, default=16)
    parser.add_argument("--runs", default="collect,cli", help="collect, cli or both")
    parser.add_argument(
        "--read-timeout",
        type=int,
        default=600,
        help="the scanner's read timeout in `collect` runs (seconds; the CLI keeps its 30 s): "
        "moto takes minutes to render listings of thousands to 16 callers at once",
    )
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.count, args.regions)
        return
    os.environ.update(FAKE_ENV)
    with seeded_server(args.count, args.regions) as endpoint:
        for kind in args.runs.split(","):
            figures = (
                run_collect(endpoint, args.regions, args.workers, read_timeout=args.read_timeout)
                if kind == "collect"
                else run_scan(endpoint, args.regions, args.workers)
            )
            print_row(kind, args.count, args.workers, figures)


if __name__ == "__main__":
    main()
