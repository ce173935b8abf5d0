"""Benchmark: the CPU one bare botocore call costs on this machine, with no scanner around it.

The scan's CPU per call (`bench_cpu_per_call.py`) is mostly botocore's own: this measures
that floor. One client per service, made before timing; the same small read repeated;
the CPU of the calling process (`getrusage`, user and system) divided by the calls. Two
shapes: one thread calling `moto_server` directly, and 16 threads calling it through the
loopback proxy that adds 20 ms, as the scan benchmark does. The fake and the proxy each
run in a process of their own, so neither's CPU is counted.

    python bench/bench_botocore_floor.py
    python bench/bench_botocore_floor.py --calls 2000 --workers 16 --latency-ms 20
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

import boto3
from bench_scan import FAKE_ENV, latency_proxy, moto_server
from botocore.config import Config

REGION = "us-east-1"


def cpu_seconds() -> float:
    """User plus system CPU of this process so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def operations(endpoint: str) -> dict[str, Callable[[], Any]]:
    """One small read per protocol family (query, JSON, REST-XML, EC2), on seeded data."""
    session = boto3.session.Session()
    config = Config(retries={"mode": "adaptive", "total_max_attempts": 1}, max_pool_connections=32)

    def client(service: str) -> Any:
        return session.client(service, region_name=REGION, endpoint_url=endpoint, config=config)

    sqs, ec2, s3, kms = client("sqs"), client("ec2"), client("s3"), client("kms")
    sqs.create_queue(QueueName="floor")
    s3.create_bucket(Bucket="floor-bucket")
    kms.create_key()
    return {
        "sqs.ListQueues (query/JSON)": lambda: sqs.list_queues(MaxResults=5),
        "ec2.DescribeVpcs (ec2)": ec2.describe_vpcs,
        "s3.GetBucketVersioning (rest-xml)": lambda: s3.get_bucket_versioning(
            Bucket="floor-bucket"
        ),
        "kms.ListKeys (json)": lambda: kms.list_keys(Limit=2),
    }


def measure(call: Callable[[], Any], calls: int, workers: int) -> float:
    """CPU milliseconds per call of `calls` repetitions of `call` on `workers` threads."""
    call()  # the connection and the endpoint cache, outside the timing
    started = cpu_seconds()
    if workers == 1:
        for _ in range(calls):
            call()
    else:
        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(lambda _: call(), range(calls)))
    return round(1000 * (cpu_seconds() - started) / calls, 3)


def _serve_proxy(endpoint: str, latency_ms: int, pipe: Any) -> None:
    with latency_proxy(endpoint, latency_ms) as url:
        pipe.send(url)
        pipe.recv()  # until told to stop


@contextmanager
def proxy_process(endpoint: str, latency_ms: int) -> Iterator[str]:
    """`latency_proxy` in a child process (its CPU is not this process's); yields its URL."""
    ours, theirs = multiprocessing.Pipe()
    child = multiprocessing.Process(target=_serve_proxy, args=(endpoint, latency_ms, theirs))
    child.start()
    try:
        yield str(ours.recv())
    finally:
        ours.send("stop")
        child.join(10)


def main() -> None:
    """Print one JSON line per (operation, shape)."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=16)
    parser.add_argument("--latency-ms", type=int, default=20)
    args = parser.parse_args()
    os.environ.update(FAKE_ENV)
    with moto_server() as endpoint:
        direct = operations(endpoint)
        with proxy_process(endpoint, args.latency_ms) as slow:
            proxied = operations(slow)
            for name in direct:
                row = {
                    "operation": name,
                    "one_thread_direct_ms": measure(direct[name], args.calls, 1),
                    f"{args.workers}_threads_{args.latency_ms}ms_ms": measure(
                        proxied[name], args.calls, args.workers
                    ),
                }
                print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
