"""Benchmark: wall time and API calls of `hipaa-scan gcp` on the local fake with added latency.

Serves N projects x M buckets (plus the rest of each project empty) from the fake of the
Google REST APIs in a separate process on 127.0.0.1, every answer delayed by --latency-ms,
then times the installed CLI as a subprocess for each --workers value and reads the call
count from the snapshot. Nothing leaves the machine.

    python bench/bench_gcp.py --projects 10 --buckets 50 --latency-ms 50 --workers 1,16
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

REPO = Path(__file__).resolve().parent.parent

SERVER = """
import json, sys, time
from providers.gcp.fake import FakeGoogle, serve
from providers.gcp.demo_estate import bucket, policy
projects, buckets, delay = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
fake = FakeGoogle(page_size=1000, delay=delay)
for p in range(projects):
    name = f"bench-project-{p:02d}"
    fake.projects[name] = {
        "buckets": [bucket(f"{name}-b{b:03d}", labels={"phi": str(b % 2 == 0).lower()},
                           ubla=b % 3 != 0) for b in range(buckets)],
        "iam_policy": policy(("roles/viewer", ["group:g@x.example"])),
    }
running = serve(fake)
print(running.endpoint, flush=True)
time.sleep(3600)
"""


def main() -> None:
    """Serve the estate, time the scans, print one line per worker count."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=10)
    parser.add_argument("--buckets", type=int, default=50, help="buckets per project")
    parser.add_argument("--latency-ms", type=float, default=50.0)
    parser.add_argument("--workers", default="1,16")
    args = parser.parse_args()
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "NO_GCE_CHECK": "true",
        "GCE_METADATA_HOST": "127.0.0.1:1",
        "GCE_METADATA_IP": "127.0.0.1:1",
    }
    env.pop("STORAGE_EMULATOR_HOST", None)
    server = subprocess.Popen(
        [
            sys.executable,
            "-c",
            SERVER,
            str(args.projects),
            str(args.buckets),
            str(args.latency_ms / 1000),
        ],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert server.stdout is not None
        endpoint = server.stdout.readline().strip()
        script = Path(sys.executable).with_name("hipaa-scan")
        command = str(script) if script.exists() else shutil.which("hipaa-scan")
        assert command, "install the project first: pip install -e '.[test]'"
        projects = [
            arg for p in range(args.projects) for arg in ("--project", f"bench-project-{p:02d}")
        ]
        print(
            f"{args.projects} projects x {args.buckets} buckets, {args.latency_ms:.0f} ms "
            f"per answer, fake at {endpoint}"
        )
        for workers in (int(w) for w in args.workers.split(",")):
            with tempfile.TemporaryDirectory() as tmp:
                snapshot = Path(tmp) / "s.json"
                started = time.perf_counter()
                done = subprocess.run(
                    [
                        command,
                        "gcp",
                        "--api-endpoint",
                        endpoint,
                        "--anonymous",
                        *projects,
                        "--max-workers",
                        str(workers),
                        "--no-progress",
                        "--snapshot-out",
                        str(snapshot),
                        "--format",
                        "json",
                        "-o",
                        str(Path(tmp) / "r.json"),
                    ],
                    env=env,
                    capture_output=True,
                    text=True,
                    check=False,
                )
                wall = time.perf_counter() - started
                if done.returncode not in (0, 1):
                    raise SystemExit(done.stderr)
                data = json.loads(snapshot.read_text())
                buckets = sum(1 for r in data["resources"] if r["kind"] == "storage.bucket")
                print(
                    f"workers={workers:3d}  wall={wall:6.2f}s  api_calls={data['api_calls']}  "
                    f"buckets={buckets}  gaps={len(data['gaps'])}"
                )
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
