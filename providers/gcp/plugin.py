"""The GCP provider object the registry hands out (`providers.gcp.plugin:PROVIDER`).

Importing this module loads no SDK: the Google client libraries are imported only when a
scan, the collector list or the demo is asked for, so `hipaa-scan --help` and flag
validation work without them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import click

from providers.base import Permission, ProgressFn, ProviderBase
from providers.gcp.options import GcpOptions, cli_params, options_from_flags
from scanner.model import Snapshot

# The last segment of a read-only GCP permission or API method: IAM's read verbs.
# getAncestry reads a project's parents (it needs only resourcemanager.projects.get).
READ_VERBS = frozenset({"get", "list", "getIamPolicy", "aggregatedList", "search", "getAncestry"})
ROLE_ID = "hipaaScanReader"
# Predefined roles that together hold every permission of the custom role (a suggestion
# for those who prefer them; the custom role is the least privilege).
COVERING_ROLES = (
    "roles/iam.securityReviewer",
    "roles/cloudsql.viewer",
    "roles/bigquery.metadataViewer",
    "roles/cloudkms.viewer",
    "roles/logging.viewer",
    "roles/compute.networkViewer",
)


class GcpProvider(ProviderBase):
    """Google Cloud through its REST APIs: projects, Storage, IAM, SQL, BigQuery, KMS."""

    name = "gcp"
    title = "Google Cloud"
    sdk_module = "providers.gcp.provider"
    sdk_requirement = "the Google client libraries"
    extra = "gcp"

    def cli_params(self) -> Sequence[click.Parameter]:
        """The `hipaa-scan gcp` flags."""
        return cli_params()

    def options(self, flags: Mapping[str, Any]) -> GcpOptions:
        """Validated `GcpOptions` from the parsed flags."""
        return options_from_flags(flags)

    def permission_document(self) -> str:
        """A custom-role definition (gcloud YAML) with exactly the needed permissions."""
        lines = [
            "# hipaa-scan: least-privilege read-only custom role for Google Cloud.",
            "# Create it and grant it on each project (or the organization):",
            f"#   gcloud iam roles create {ROLE_ID} --project PROJECT_ID --file role.yaml",
            f"#   gcloud projects add-iam-policy-binding PROJECT_ID --member MEMBER "
            f"--role projects/PROJECT_ID/roles/{ROLE_ID}",
            "# Predefined roles that together cover the same permissions (broader):",
            *(f"#   {role}" for role in COVERING_ROLES),
            "# --impersonate-service-account also needs roles/iam.serviceAccountTokenCreator",
            "# on that service account for the identity running the scan.",
            "title: hipaa-scan reader",
            "description: Read-only access hipaa-scan needs to check HIPAA safeguards "
            "(configuration and IAM policies only, never data).",
            "stage: GA",
            "includedPermissions:",
            *(f"- {grant}" for grant in sorted({p.grant for p in self.permissions()})),
        ]
        return "\n".join(lines)

    def is_read_only(self, permission: Permission) -> bool:
        """True when both the API method and the permission end in a read verb."""
        method = permission.operation.rsplit(".", 1)[-1]
        grant = permission.grant.rsplit(".", 1)[-1]
        return method in READ_VERBS and grant in READ_VERBS

    def demo(self, *, progress: ProgressFn | None = None, max_workers: int = 8) -> Snapshot:
        """The two-project sample estate, served by the local fake inside this process."""
        demo: Any = self.sdk("providers.gcp.demo")
        snapshot: Snapshot = demo.run_demo(progress=progress, max_workers=max_workers)
        return snapshot


PROVIDER = GcpProvider()
