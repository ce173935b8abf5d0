"""hipaa-scan: checks live cloud configuration against the HIPAA Security Rule.

The small public API: `collect` a snapshot with a provider, `evaluate` snapshots into a
`Report`, and read or write snapshots with `load_snapshot` / `write_snapshot`.
"""

from __future__ import annotations

__version__ = "0.1.0"

TOOL_NAME = "hipaa-scan"
INFORMATION_URI = "https://github.com/hipaa-scan/hipaa-scan"
