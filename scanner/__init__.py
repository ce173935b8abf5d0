"""hipaa-scan: checks live cloud configuration against the HIPAA Security Rule.

The small public API lives in three places: `providers.aws.collect` reads an estate into a
`scanner.model.Snapshot`; `scanner.engine.evaluate` turns snapshots into a
`scanner.report.Report`; `scanner.snapshot.load_snapshot` / `write_snapshot` read and write
snapshot files. This module itself only names the tool and its version.
"""

from __future__ import annotations

__version__ = "0.1.0"

TOOL_NAME = "hipaa-scan"
INFORMATION_URI = "https://github.com/hipaa-scan/hipaa-scan"
