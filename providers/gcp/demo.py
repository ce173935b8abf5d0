"""`hipaa-scan demo --cloud gcp`: a real GCP scan of the built-in estate on the local fake.

The fake of the Google REST APIs (`providers.gcp.fake`, the one the tests use) serves the
two projects of `providers.gcp.demo_estate` on a free 127.0.0.1 port inside this process;
the real GCP provider scans it through `--api-endpoint` with anonymous credentials, as a
scan of a private gateway would run. The Cloud SQL Admin API is "disabled" in the dev
project, so the report shows what a gap looks like. No account, no network.
"""

from __future__ import annotations

from providers.base import ProgressFn
from providers.gcp.options import GcpOptions
from providers.gcp.provider import collect
from scanner.errors import CollectionError
from scanner.model import Snapshot


def run_demo(*, progress: ProgressFn | None = None, max_workers: int = 8) -> Snapshot:
    """Serve the demo estate, scan it, stop the fake; the snapshot of the scan."""
    try:
        from providers.gcp.demo_estate import DEV, PROD, estate  # noqa: PLC0415
        from providers.gcp.fake import serve  # noqa: PLC0415
    except ImportError as exc:
        raise CollectionError(
            f"the GCP demo needs werkzeug ({exc.name} is missing): install "
            "with  pip install 'hipaa-scan[demo]'"
        ) from None
    running = serve()
    try:
        running.fake.projects.update(estate())
        running.fake.fail("sql.instances.list", 403, "SERVICE_DISABLED", match=DEV)
        if progress:
            progress(f"GCP demo: serving projects {PROD} and {DEV} on {running.endpoint}")
        options = GcpOptions(
            projects=(PROD, DEV),
            api_endpoint=running.endpoint,
            anonymous=True,
            max_workers=max_workers,
            max_attempts=2,
            backoff_seconds=0.1,
        )
        return collect(options, progress=progress)
    finally:
        running.stop()
