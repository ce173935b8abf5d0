"""Benchmark: wall time, peak memory and API calls of a real `hipaa-scan aws` run on moto.

Starts `moto_server` as a separate process on a free 127.0.0.1 port (so the fake's CPU is
not charged to the scanner's interpreter), seeds an estate, then times the installed CLI
as a subprocess and reads its peak RSS from the kernel. Nothing leaves the machine.

    python bench/bench_scan.py buckets --count 1000
    python bench/bench_scan.py --workers 4,16 mixed --per-region 1650
    python bench/bench_scan.py --latency-ms 50 --workers 1,16,32 buckets --count 1000
"""

from __future__ import annotations

import argparse
import http.client
import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config

FAKE_ENV = {
    "AWS_ACCESS_KEY_ID": "bench",
    "AWS_SECRET_ACCESS_KEY": "bench",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_EC2_METADATA_DISABLED": "true",
}


class _LatencyProxy(http.server.ThreadingHTTPServer):
    daemon_threads = True
    upstream: str = ""
    latency: float = 0.0


class _ProxyHandler(http.server.BaseHTTPRequestHandler):
    """Forwards one request to moto after sleeping, like a cloud endpoint 50 ms away."""

    protocol_version = "HTTP/1.1"
    # The status line and headers go out in one write and the body in another: with Nagle's
    # algorithm on, the body then waits for the client's delayed ACK (~40 ms), and every
    # call took about 50 ms more than the latency asked for.
    disable_nagle_algorithm = True

    def _forward(self) -> None:
        server = self.server
        assert isinstance(server, _LatencyProxy)
        time.sleep(server.latency)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        host, port = server.upstream.split(":")
        upstream = http.client.HTTPConnection(host, int(port), timeout=60)
        headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
        headers["Host"] = server.upstream
        upstream.request(self.command, self.path, body=body, headers=headers)
        answer = upstream.getresponse()
        payload = answer.read()
        self.send_response(answer.status)
        for key, value in answer.getheaders():
            if key.lower() not in ("transfer-encoding", "content-length", "connection"):
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)
        upstream.close()

    do_GET = do_POST = do_PUT = do_HEAD = do_DELETE = _forward

    def log_message(self, *_: Any) -> None:
        """Silence per-request logging."""


@contextmanager
def latency_proxy(endpoint: str, latency_ms: int) -> Iterator[str]:
    """A loopback proxy in front of `endpoint` adding `latency_ms` to every request."""
    if latency_ms <= 0:
        yield endpoint
        return
    proxy = _LatencyProxy(("127.0.0.1", 0), _ProxyHandler)
    proxy.upstream = endpoint.removeprefix("http://")
    proxy.latency = latency_ms / 1000
    thread = threading.Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{proxy.server_address[1]}"
    finally:
        proxy.shutdown()


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def moto_server() -> Iterator[str]:
    """`moto_server` in its own process on a free loopback port; yields its URL."""
    port = free_port()
    env = {**os.environ, **FAKE_ENV, "MOTO_AMIS_PATH": _empty_amis()}
    server = shutil.which("moto_server") or str(Path(sys.executable).with_name("moto_server"))
    proc = subprocess.Popen(
        [server, "-H", "127.0.0.1", "-p", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        yield endpoint
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _empty_amis() -> str:
    path = Path(tempfile.gettempdir()) / "hipaa-scan-bench-empty-amis.json"
    path.write_text("[]")
    return str(path)


def clients(endpoint: str) -> Callable[[str, str], Any]:
    """A cached maker of boto3 clients pointed at the fake."""
    session = boto3.session.Session(
        **{"aws_access_key_id": "bench", "aws_secret_access_key": "bench"}
    )
    config = Config(
        retries={"max_attempts": 2}, s3={"addressing_style": "path"}, max_pool_connections=32
    )
    cache: dict[tuple[str, str], Any] = {}

    def make(service: str, region: str = "us-east-1") -> Any:
        if (service, region) not in cache:
            cache[(service, region)] = session.client(
                service, region_name=region, endpoint_url=endpoint, config=config
            )
        return cache[(service, region)]

    return make


def parallel(fn: Callable[[int], None], count: int) -> None:
    """Run `fn(i)` for i in range(count) on 8 threads."""
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(fn, range(count)))


def seed_buckets(make: Callable[[str, str], Any], count: int, region: str = "us-east-1") -> int:
    """`count` buckets; every other one fully configured (5 settings)."""
    s3 = make("s3", region)

    def one(i: int) -> None:
        name = f"bench-{region}-{i:05d}"
        params: dict[str, Any] = {"Bucket": name}
        if region != "us-east-1":
            params["CreateBucketConfiguration"] = {"LocationConstraint": region}
        s3.create_bucket(**params)
        if i % 2:
            return
        s3.put_bucket_encryption(
            Bucket=name,
            ServerSideEncryptionConfiguration={
                "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
            },
        )
        s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
        s3.put_public_access_block(
            Bucket=name,
            PublicAccessBlockConfiguration={
                "BlockPublicAcls": True,
                "IgnorePublicAcls": True,
                "BlockPublicPolicy": True,
                "RestrictPublicBuckets": True,
            },
        )
        s3.put_bucket_policy(
            Bucket=name,
            Policy=json.dumps(
                {
                    "Statement": [
                        {
                            "Effect": "Deny",
                            "Principal": "*",
                            "Action": "s3:*",
                            "Resource": [f"arn:aws:s3:::{name}", f"arn:aws:s3:::{name}/*"],
                            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                        }
                    ]
                }
            ),
        )
        s3.put_bucket_tagging(
            Bucket=name, Tagging={"TagSet": [{"Key": "data-class", "Value": "phi"}]}
        )

    parallel(one, count)
    return count


def seed_region_mix(make: Callable[[str, str], Any], region: str, per_region: int) -> int:
    """About `per_region` resources in one region, spread over the regional services."""
    share = max(1, per_region // 9)
    ec2, logs, sqs, sns = (make(s, region) for s in ("ec2", "logs", "sqs", "sns"))
    dynamodb, kms = make("dynamodb", region), make("kms", region)
    zone = f"{region}a"

    def volume(i: int) -> None:
        ec2.create_volume(AvailabilityZone=zone, Size=1, Encrypted=bool(i % 2))

    def group(i: int) -> None:
        gid = ec2.create_security_group(GroupName=f"bench-{i}", Description="b")["GroupId"]
        ec2.authorize_security_group_ingress(
            GroupId=gid,
            IpPermissions=[
                {
                    "IpProtocol": "tcp",
                    "FromPort": 22 if i % 3 == 0 else 443,
                    "ToPort": 22 if i % 3 == 0 else 443,
                    "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
                }
            ],
        )

    def log_group(i: int) -> None:
        logs.create_log_group(logGroupName=f"/bench/{i}")

    def queue(i: int) -> None:
        sqs.create_queue(QueueName=f"bench-{i}")

    def topic(i: int) -> None:
        sns.create_topic(Name=f"bench-{i}")

    def table(i: int) -> None:
        dynamodb.create_table(
            TableName=f"bench-{i}",
            BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
        )

    def key(i: int) -> None:
        kms.create_key(Description=f"bench {i}")

    def snapshot(i: int) -> None:
        vol = ec2.create_volume(AvailabilityZone=zone, Size=1)["VolumeId"]
        ec2.create_snapshot(VolumeId=vol)

    made = 0
    for fn, count in (
        (volume, share),
        (group, share),
        (log_group, share),
        (queue, share),
        (topic, share),
        (table, share),
        (key, share),
        (snapshot, share // 2),
    ):
        parallel(fn, count)
        made += count * (2 if fn is snapshot else 1)
    made += seed_buckets(make, share, region)
    return made


_PROBE = (
    "import json, resource, subprocess, sys\n"
    "done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)\n"
    "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(json.dumps({'returncode': done.returncode, 'cpu_seconds': u.ru_utime + u.ru_stime,\n"
    "                  'maxrss_kib': u.ru_maxrss}))\n"
)


def run_scan(endpoint: str, regions: Sequence[str], workers: int) -> dict[str, Any]:
    """Time one `hipaa-scan aws` subprocess; return its figures."""
    out = Path(tempfile.mkdtemp(prefix="hipaa-scan-bench-"))
    script = shutil.which("hipaa-scan") or str(Path(sys.executable).with_name("hipaa-scan"))
    # moto lacks AWS Artifact and answers 500: with retries the figure would mostly time
    # botocore's backoff sleeps, so every call gets one attempt.
    args = [
        script,
        "aws",
        "--endpoint-url",
        endpoint,
        "--no-progress",
        "--quiet",
        "--max-attempts",
        "1",
        "--max-workers",
        str(workers),
        "--format",
        "json",
        "--output",
        str(out / "r.json"),
        "--snapshot-out",
        str(out / "s.json"),
    ]
    for region in regions:
        args += ["--region", region]
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("AWS_")}, **FAKE_ENV}
    started = time.perf_counter()
    # Through a probe process: RUSAGE_CHILDREN's peak is the largest of every child so far
    # (an earlier `collect` run, the seeding...), the probe's is this scan's alone.
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *args], env=env, capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - started
    figures = json.loads(done.stdout.strip().splitlines()[-1]) if done.stdout.strip() else {}
    if figures.get("returncode") not in (0, 1):
        raise SystemExit(f"scan failed ({figures.get('returncode')}): {done.stderr}")
    report = json.loads((out / "r.json").read_text())
    snapshot = json.loads((out / "s.json").read_text())
    return {
        "wall_seconds": round(wall, 2),
        "cpu_seconds": round(figures["cpu_seconds"], 2),
        "peak_rss_mib": round(figures["maxrss_kib"] / 1024, 1),
        "api_calls": snapshot.get("api_calls"),
        "resources": len(snapshot["resources"]),
        "findings": len(report["findings"]),
        "gaps": len(snapshot["gaps"]),
        "max_workers": workers,
    }


def main() -> None:
    """Seed the chosen estate and print one JSON line per worker count."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="estate", required=True)
    buckets = sub.add_parser("buckets", help="N S3 buckets, half of them configured")
    buckets.add_argument("--count", type=int, default=1000)
    mixed = sub.add_parser("mixed", help="a mixed estate over several regions")
    mixed.add_argument("--per-region", type=int, default=1650)
    mixed.add_argument("--regions", nargs="+", default=["us-east-1", "eu-west-1", "us-west-2"])
    parser.add_argument(
        "--workers", default="16", help="comma-separated --max-workers values to time, e.g. 4,16"
    )
    parser.add_argument(
        "--latency-ms",
        type=int,
        default=0,
        help="add this latency to every API call (a loopback proxy), to "
        "time the scan as against a real cloud endpoint",
    )
    args = parser.parse_args()
    os.environ.update(FAKE_ENV)
    with moto_server() as endpoint:
        make = clients(endpoint)
        started = time.perf_counter()
        if args.estate == "buckets":
            regions = ["us-east-1"]
            seeded = seed_buckets(make, args.count)
        else:
            regions = args.regions
            seeded = sum(seed_region_mix(make, region, args.per_region) for region in regions)
        seed_seconds = round(time.perf_counter() - started, 1)
        with latency_proxy(endpoint, args.latency_ms) as scanned:
            for workers in (int(w) for w in args.workers.split(",")):
                result = run_scan(scanned, regions, workers)
                print(
                    json.dumps(
                        {
                            "estate": args.estate,
                            "seeded": seeded,
                            "seed_seconds": seed_seconds,
                            "regions": regions,
                            "latency_ms": args.latency_ms,
                            **result,
                        }
                    ),
                    flush=True,
                )


if __name__ == "__main__":
    main()
