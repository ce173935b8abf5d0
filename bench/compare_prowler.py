"""Benchmark against Prowler: the same moto estate scanned by both tools, one region.

Needs Prowler installed in its own virtualenv (it is not a dependency of hipaa-scan):
``python -m venv /tmp/prowler && /tmp/prowler/bin/pip install prowler``, then
``python bench/compare_prowler.py --prowler /tmp/prowler/bin/prowler --count 1000``.
Both tools reach moto through ``AWS_ENDPOINT_URL``; wall time and peak RSS come from the
kernel for each subprocess. Prowler runs only its S3 checks; hipaa-scan runs every collector.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_scan import FAKE_ENV, clients, moto_server, seed_buckets

# A tiny launcher per command, so each tool's peak RSS is its own (RUSAGE_CHILDREN of
# this process would report the largest child so far).
_LAUNCHER = (
    "import json, resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[1:], capture_output=True).returncode\n"
    "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(json.dumps([code, usage.ru_maxrss, usage.ru_utime + usage.ru_stime]))\n"
)


def timed(args: list[str], env: dict[str, str]) -> dict[str, float | int]:
    """Run one command; its wall time, CPU time, peak RSS and exit code."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _LAUNCHER, *args],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    wall = time.perf_counter() - started
    code, max_rss_kib, cpu = json.loads(done.stdout)
    return {
        "wall_seconds": round(wall, 1),
        "cpu_seconds": round(cpu, 1),
        "peak_rss_mib": round(max_rss_kib / 1024, 1),
        "exit_code": code,
    }


def main() -> None:
    """Seed the buckets once, then time Prowler's S3 checks and a full hipaa-scan scan."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--prowler", required=True, help="path to the prowler executable")
    parser.add_argument("--count", type=int, default=1000)
    args = parser.parse_args()
    out = Path(tempfile.mkdtemp(prefix="hipaa-scan-vs-prowler-"))
    base = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    with moto_server() as endpoint:
        seed_buckets(clients(endpoint), args.count)
        env = {**base, **FAKE_ENV, "AWS_ENDPOINT_URL": endpoint}
        prowler = timed(
            [
                args.prowler,
                "aws",
                "--service",
                "s3",
                "-f",
                "us-east-1",
                "--no-banner",
                "-M",
                "json-ocsf",
                "-o",
                str(out / "prowler"),
            ],
            env,
        )
        hipaa = shutil.which("hipaa-scan") or str(Path(sys.executable).with_name("hipaa-scan"))
        ours = timed(
            [
                hipaa,
                "aws",
                "--region",
                "us-east-1",
                "--quiet",
                "--max-attempts",
                "1",
                "--format",
                "json",
                "-o",
                str(out / "hipaa.json"),
            ],
            env,
        )
    print(
        json.dumps(
            {"buckets": args.count, "prowler_s3_only": prowler, "hipaa_scan_all_services": ours}
        )
    )


if __name__ == "__main__":
    main()
