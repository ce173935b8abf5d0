"""Benchmark: load + evaluate + render a synthetic snapshot of N resources, per format.

The snapshot is the AWS demo's real snapshot (tests/data/snapshots/demo-aws.json: every kind
the AWS provider fills, with the facts a real scan reads), copied into as many accounts as it
takes to hold N resources (`bench/estate.py`: each copy's account ids and bucket names are
rewritten, so cross-resource references stay inside the account). Each step
runs the installed CLI in a subprocess (`hipaa-scan evaluate SNAP --format F -o OUT`), and
wall time and peak RSS are read from the kernel for that subprocess alone.

    python bench/bench_eval.py --resources 10000,100000
    python bench/bench_eval.py --resources 100000 --formats text,json --workdir /tmp/bench
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from estate import replicate

FORMATS = ("text", "json", "sarif", "markdown", "html")


def demo_snapshot(path: Path) -> dict[str, Any]:
    """The demo's snapshot (collected once with `hipaa-scan demo --snapshot-out`)."""
    if not path.exists():
        subprocess.run(
            [_cli(), "demo", "--quiet", "--snapshot-out", str(path), "-o", os.devnull], check=False
        )
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return document


def measure(args: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system) and peak RSS (MiB) of one CLI run.

    CPU time is reported beside wall time because the machine may be shared: other load
    stretches wall time but not the run's own CPU seconds.
    """
    # A child of a child: RUSAGE_CHILDREN keeps the maximum over all children so far, so
    # each measurement runs in its own intermediate process.
    probe = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL,\n"
        "                      stderr=subprocess.PIPE, text=True)\n"
        "w = time.perf_counter() - t\n"
        "if done.returncode not in (0, 1):\n"
        "    sys.exit('hipaa-scan failed: ' + done.stderr.strip())\n"
        "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(w, u.ru_utime + u.ru_stime, u.ru_maxrss)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, *args], capture_output=True, text=True, check=True
    )
    wall, cpu, rss_kib = done.stdout.split()
    return float(wall), float(cpu), int(rss_kib) / 1024


def _cli() -> str:
    found = Path(sys.executable).with_name("hipaa-scan")
    return str(found) if found.exists() else (shutil.which("hipaa-scan") or "hipaa-scan")


def pass_finding_bytes(report: Path) -> float:
    """Average bytes of one PASS finding as written in a JSON report (0 when none).

    Each finding's own text is measured where it stands in the file (from its opening to
    its closing brace), so the figure follows whatever layout the report uses.
    """
    text = report.read_text(encoding="utf-8")
    decoder = json.JSONDecoder()
    index = text.index("[", text.index('"findings"')) + 1
    sizes = []
    while True:
        while text[index] in " \n,":
            index += 1
        if text[index] == "]":
            break
        finding, end = decoder.raw_decode(text, index)
        if finding["status"] == "PASS":
            sizes.append(end - index)
        index = end
    return sum(sizes) / len(sizes) if sizes else 0.0


def main() -> int:
    """Run the benchmark and print one table row per (size, step)."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--resources", default="10000,100000")
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument(
        "--snapshot",
        type=Path,
        default=Path(__file__).resolve().parent.parent / "tests/data/snapshots/demo-aws.json",
        help="The snapshot to copy (collected with `hipaa-scan demo` if the file is missing).",
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        default=None,
        help="Keep (and reuse) the synthetic snapshots here instead of a temporary directory.",
    )
    options = parser.parse_args()
    base = demo_snapshot(options.snapshot)
    print(f"demo snapshot: {len(base['resources'])} resources", flush=True)
    print("| resources | step | wall s | CPU s | peak RSS MiB | output MiB (all files) |")
    print("| --- | --- | --- | --- | --- | --- |")
    notes = []
    with tempfile.TemporaryDirectory() as scratch:
        work = options.workdir or Path(scratch)
        work.mkdir(parents=True, exist_ok=True)
        for count in (int(n) for n in options.resources.split(",")):
            snapshot = work / f"snap-{count}.json"
            if not snapshot.exists():
                snapshot.write_text(json.dumps(replicate(base, count)), encoding="utf-8")
            for fmt in options.formats.split(","):
                out = Path(scratch) / f"out.{fmt}"
                wall, cpu, rss = measure(
                    [_cli(), "evaluate", str(snapshot), "--quiet", "--format", fmt, "-o", str(out)]
                )
                # A SARIF of more than 20 accounts is split into out.sarif, out.2.sarif...
                written = [out, *Path(scratch).glob(f"out.*.{fmt}")]
                size = sum(p.stat().st_size for p in written if p.exists()) / 2**20
                print(
                    f"| {count:,} | evaluate + {fmt} | {wall:.1f} | {cpu:.1f} | {rss:.0f} "
                    f"| {size:.1f} |",
                    flush=True,
                )
                if fmt == "json" and count <= 20_000:
                    # Parsing a 100k report would cost the bench gigabytes; the average
                    # does not depend on the estate's size.
                    notes.append(
                        f"{count:,} resources: {pass_finding_bytes(out):.0f} bytes per PASS "
                        "finding in the JSON report"
                    )
                for path in written:
                    path.unlink(missing_ok=True)
    for note in notes:
        print(note)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
