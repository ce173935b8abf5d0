"""`hipaa-scan demo --cloud azure`: a real scan of a fictional estate on a local ARM fake.

It serves `providers.azure.fake_arm` over HTTPS on 127.0.0.1 (a free port, a throwaway CA)
inside this process, seeds the estate of `providers.azure.demo_estate`, and runs the real
Azure provider against it through `--arm-endpoint` and `--ca-bundle`, exactly as a scan of
Azure Stack or a private gateway would run. No account, no token, no network.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from providers.azure.arm import StaticToken
from providers.azure.demo_estate import SUB_A, SUB_B, seed_everything
from providers.azure.fake_arm import TOKEN, running
from providers.azure.options import options_from_flags
from providers.azure.provider import collect
from providers.base import ProgressFn
from scanner.model import Snapshot


def run_demo(*, progress: ProgressFn | None = None, max_workers: int = 8) -> Snapshot:
    """Scan the demo estate's two subscriptions on the local fake."""
    with (
        tempfile.TemporaryDirectory(prefix="hipaa-scan-azure-demo-") as folder,
        running(Path(folder)) as fake,
    ):
        seed_everything(fake)
        if progress:
            progress(f"demo: fake Azure Resource Manager on {fake.base_url}")
        options = options_from_flags(
            {
                "subscriptions": (SUB_A, SUB_B),
                "arm_endpoint": fake.base_url,
                "ca_bundle": fake.ca_path,
                "max_workers": max_workers,
                "max_attempts": 1,
            },
            environ={},
        )
        return collect(options, progress=progress, token=StaticToken(TOKEN))
