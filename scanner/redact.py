"""Keep secrets out of everything hipaa-scan writes: snapshots, reports, logs."""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s\"'<>]+")


def redact_url(url: str | None) -> str | None:
    """`url` without user-info, query or fragment: those are where tokens hide."""
    if not url:
        return url
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def redact_text(text: str) -> str:
    """`text` with every URL in it passed through `redact_url`.

    botocore quotes the endpoint URL in connection errors ("Could not connect to the
    endpoint URL: ..."), so an `--endpoint-url` with user-info or a token would otherwise
    reach gap messages and error lines.
    """
    return _URL.sub(lambda match: redact_url(match.group(0)) or "", text)
