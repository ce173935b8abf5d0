"""Benchmark: wall time and ARM calls of a real `hipaa-scan azure` run on the local fake.

Serves the test suite's HTTPS fake of Azure Resource Manager (tests/providers/azure) in
this process with a fixed delay added to every answer, seeds storage accounts spread over
several subscriptions, then times the installed CLI as a subprocess for each worker count.
Nothing leaves the machine.

    python bench/bench_azure.py --accounts 500 --subscriptions 5 --latency-ms 50
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from providers.azure.demo_estate import (  # noqa: E402
    blob_service,
    container,
    diagnostic,
    seed_account,
    storage_account,
    sub_path,
    subscription,
)
from providers.azure.fake_arm import TOKEN, FakeArm, running  # noqa: E402


def seed(fake: FakeArm, accounts: int, subscriptions: int) -> list[str]:
    """Spread `accounts` storage accounts over `subscriptions`; return the subscription ids."""
    subs = [f"{i:08x}-0000-4000-8000-{i:012x}" for i in range(1, subscriptions + 1)]
    for sub in subs:
        fake.put(sub_path(sub), subscription(sub, f"bench {sub[:8]}"))
    per_sub: dict[str, list[dict[str, object]]] = {s: [] for s in subs}
    for n in range(accounts):
        sub = subs[n % len(subs)]
        account = storage_account(
            sub,
            "rg-bench",
            f"acct{n:05d}",
            supportsHttpsTrafficOnly=True,
            minimumTlsVersion="TLS1_2",
            allowBlobPublicAccess=n % 7 == 0,
        )
        per_sub[sub].append(account)
        seed_account(
            fake,
            account,
            blob_service(n % 2 == 0, 7),
            [container("data"), container("web", "Blob" if n % 7 == 0 else "None")],
            [diagnostic(f"{account['id']}/blobServices/default", "audit", groups=("audit",))]
            if n % 3
            else [],
        )
    for sub, items in per_sub.items():
        fake.put_list(f"{sub_path(sub)}/providers/Microsoft.Storage/storageAccounts", items)
    return subs


def run(fake: FakeArm, subs: list[str], workers: int, out: Path) -> dict[str, float]:
    """One timed CLI scan of every subscription."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AZURE_")}
    env.update({"HIPAA_SCAN_AZURE_TOKEN": TOKEN, "AZURE_CONFIG_DIR": str(out / "azcfg")})
    (out / "azcfg").mkdir(exist_ok=True)
    script = Path(sys.executable).with_name("hipaa-scan")
    args = [
        str(script),
        "azure",
        "--arm-endpoint",
        fake.base_url,
        "--ca-bundle",
        fake.ca_path,
        "--no-progress",
        "--max-workers",
        str(workers),
        "--format",
        "json",
        "-o",
        str(out / "r.json"),
        "--snapshot-out",
        str(out / "s.json"),
    ]
    for sub in subs:
        args += ["--subscription", sub]
    before = len(fake.seen)
    started = time.monotonic()
    done = subprocess.run(args, capture_output=True, text=True, env=env, check=False)
    wall = time.monotonic() - started
    if done.returncode not in (0, 1):
        raise SystemExit(done.stderr)
    snapshot = json.loads((out / "s.json").read_text())
    buckets = sum(1 for r in snapshot["resources"] if r["kind"] == "storage.bucket")
    return {
        "workers": workers,
        "wall_s": round(wall, 2),
        "api_calls": snapshot["api_calls"],
        "requests_seen": len(fake.seen) - before,
        "storage_accounts": buckets,
        "gaps": len(snapshot["gaps"]),
    }


def main() -> None:
    """Seed the fake, then time one scan per worker count."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=500)
    parser.add_argument("--subscriptions", type=int, default=5)
    parser.add_argument("--latency-ms", type=float, default=50.0)
    parser.add_argument("--workers", default="4,16")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, running(Path(folder)) as fake:
        fake.page_size = 100
        subs = seed(fake, options.accounts, options.subscriptions)
        fake.latency = options.latency_ms / 1000
        for workers in (int(w) for w in options.workers.split(",")):
            print(json.dumps(run(fake, subs, workers, Path(folder))), flush=True)


if __name__ == "__main__":
    main()
