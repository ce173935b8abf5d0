"""JSON Schemas shipped with the package: the snapshot and report file formats."""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

SNAPSHOT_SCHEMA = "snapshot.v2.schema.json"
REPORT_SCHEMA = "report.v2.schema.json"


@functools.cache
def load_schema(name: str) -> dict[str, Any]:
    """One of the shipped schemas, parsed."""
    text = resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema
