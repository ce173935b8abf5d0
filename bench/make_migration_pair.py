"""Write the v1/v2 snapshot pair the migration test compares (tests/data/snapshots/).

One moto server is seeded with the demo estate; the release that wrote snapshot version 1
(git revision `OLD`, default the 0.1.0 tree) scans it, then this checkout scans the same
server. `tests/core/test_migration_pair.py` evaluates both files with today's engine and
expects identical verdicts: the proof that a v1 snapshot re-evaluated after migration says
what a v2 scan of the same estate says. Re-run it when a kind changes shape:

    python bench/make_migration_pair.py [--old d6fa1d3]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "tests" / "data" / "snapshots"
SCAN = (
    "import sys\n"
    "from providers.aws.demo_estate import DEMO_REGIONS\n"
    "try:\n"
    "    from providers.aws.options import AwsOptions\n"
    "    from providers.aws.provider import collect\n"
    "except ImportError:\n"
    "    from providers.aws import AwsOptions, collect\n"
    "from scanner.snapshot import write_snapshot\n"
    "from pathlib import Path\n"
    "snapshot = collect(AwsOptions(regions=DEMO_REGIONS, endpoint_url=sys.argv[1],\n"
    "                              max_attempts=1, max_workers=4))\n"
    "write_snapshot(snapshot, Path(sys.argv[2]))\n"
)


def main() -> int:
    """Seed one server, scan it with the old release and with this checkout."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--old", default="d6fa1d3", help="the git revision of the v1 writer")
    options = parser.parse_args()
    sys.path.insert(0, str(REPO))
    from providers.aws.demo import demo_environment, local_aws
    from providers.aws.demo_estate import seed

    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as old_tree, demo_environment(), local_aws() as endpoint:
        archive = subprocess.run(
            ["git", "-C", str(REPO), "archive", options.old], capture_output=True, check=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", old_tree], input=archive, check=True)
        seed(endpoint)
        for tree, name in ((old_tree, "demo.v1.json"), (str(REPO), "demo.v2.json")):
            env = {**os.environ, "PYTHONPATH": tree}
            subprocess.run(
                [sys.executable, "-c", SCAN, endpoint, str(OUT / name)],
                env=env,
                cwd=tempfile.gettempdir(),
                check=True,
            )
            print(f"wrote {OUT / name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
