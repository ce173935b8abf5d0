"""Benchmark: memory held by the clients of N accounts (no network, no fake needed).

Builds one `ClientFactory` per simulated account, each on its own boto3 session (as an
organization scan does after `sts:AssumeRole`), asks it for a client of every collector's
service in three regions, and prints the RSS added and the peak. Creating a client makes
no call, so nothing leaves the machine.

    python bench/bench_account_clients.py --accounts 5
"""

from __future__ import annotations

import argparse
import os
import resource

import boto3

from providers.aws.clients import ClientFactory
from providers.aws.plugin import all_collectors
from providers.base import CallCounter

REGIONS = ("us-east-1", "eu-west-1", "us-west-2")


def rss_mib() -> float:
    """The current resident set size, in MiB."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def main() -> None:
    """Hold the clients of `--accounts` accounts and print the memory they take."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--accounts", type=int, default=5)
    args = parser.parse_args()
    os.environ.update({"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench"})
    os.environ["AWS_EC2_METADATA_DISABLED"] = "true"
    services = sorted({call.split(".")[0] for c in all_collectors() for call in c.calls})
    start = rss_mib()
    held = []
    for _ in range(args.accounts):
        factory = ClientFactory(
            boto3.session.Session(),
            endpoint_url=None,
            max_attempts=1,
            pool_size=16,
            counter=CallCounter(),
        )
        held += [factory.client(s, r) for s in services for r in REGIONS]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{args.accounts} accounts x {len(services)} services x {len(REGIONS)} regions: "
        f"+{rss_mib() - start:.0f} MiB held, peak {peak:.0f} MiB"
    )


if __name__ == "__main__":
    main()
