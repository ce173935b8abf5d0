"""Keep secrets out of everything hipaa-scan writes: snapshots, reports, debug logs."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from urllib.parse import urlsplit, urlunsplit

_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s\"'<>]+")


def redact_url(url: str | None) -> str | None:
    """`url` without user-info, query or fragment: those are where tokens hide."""
    if not url:
        return url
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:  # not a URL after all (a bad port, a stray bracket): show nothing
        return "(unparsable URL)"
    host = parts.hostname or ""
    if port is not None:
        host = f"{host}:{port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def redact_text(text: str) -> str:
    """`text` with every URL in it passed through `redact_url`.

    botocore quotes the endpoint URL in connection errors ("Could not connect to the
    endpoint URL: ..."), so an `--endpoint-url` with user-info or a token would otherwise
    reach gap messages and error lines.
    """
    return _URL.sub(_redact_match, text)


def _redact_match(match: re.Match[str]) -> str:
    # Punctuation that ends a sentence is not part of the URL before it.
    url = match.group(0)
    stripped = url.rstrip(".,;:)]}")
    return (redact_url(stripped) or "") + url[len(stripped) :]


REDACTED = "[REDACTED]"

# Where SDK wire logs (botocore, google-auth, azure-core, urllib3) put credentials:
# request headers (as a dict repr or a canonical-request line), query strings of signed
# URLs, XML and JSON bodies of identity answers, and botocore's bare "Signature:" line.
_SECRET_HEADERS = re.compile(
    r"(?i)(x-amz-security-token|authorization|proxy-authorization|"
    r"x-api-key|x-goog-api-key|x-goog-iam-authorization-token|cookie|set-cookie|"
    r"x-ms-client-secret|ocp-apim-subscription-key)"
    r"(['\"]?\s*[:=]\s*b?['\"]?)([^'\"\n]+)"
)
_SECRET_QUERY = re.compile(
    r"(?i)\b(x-amz-security-token|x-amz-signature|x-amz-credential|signature|awsaccesskeyid|"
    r"access_token|refresh_token|id_token|client_secret|assertion|sig|se|sv|skoid|sktid|"
    r"token|code|password|key)=([^&\s'\"<>]+)"
)
_SECRET_XML = re.compile(
    r"(?is)<(SessionToken|SecretAccessKey|AccessKeyId|Token|ClientSecret|Password)>"
    r"(.*?)</\1>"
)
_SECRET_KEYS = re.compile(
    r"(?i)(['\"]?(?:aws_)?(?:session_?token|secret_?access_?key|secret_?key|access_?token|"
    r"refresh_?token|id_?token|client_?secret|private_?key|password|sessiontoken|token)['\"]?)"
    r"(\s*[:=]\s*b?['\"])([^'\"]+)"
)
_SIGNATURE_LINE = re.compile(r"(?m)^(Signature:\s*\n?)([0-9a-f]{64})$")
_BEARER = re.compile(r"(?i)\b(bearer\s+)([A-Za-z0-9._~+/=-]+)")
_ACCESS_KEY_ID = re.compile(r"\b(?:AKIA|ASIA)[A-Z0-9]{16}\b")
# Credentials the process was given: whatever a pattern misses, their values never print.
_SECRET_ENV = (
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AZURE_CLIENT_SECRET",
    "GOOGLE_OAUTH_ACCESS_TOKEN",
)


def redact_secrets(text: str, literals: tuple[str, ...] = ()) -> str:
    """`text` with credentials, tokens and signatures replaced by ``[REDACTED]``."""
    for literal in literals:
        text = text.replace(literal, REDACTED)
    text = _SECRET_HEADERS.sub(lambda m: f"{m[1]}{m[2]}{REDACTED}", text)
    text = _SECRET_XML.sub(lambda m: f"<{m[1]}>{REDACTED}</{m[1]}>", text)
    text = _SECRET_KEYS.sub(lambda m: f"{m[1]}{m[2]}{REDACTED}", text)
    text = _SECRET_QUERY.sub(lambda m: f"{m[1]}={REDACTED}", text)
    text = _SIGNATURE_LINE.sub(lambda m: f"{m[1]}{REDACTED}", text)
    text = _BEARER.sub(lambda m: f"{m[1]}{REDACTED}", text)
    return _ACCESS_KEY_ID.sub(REDACTED, text)


class RedactingFilter(logging.Filter):
    """A handler filter that redacts every record (message, arguments and traceback).

    Installed on the handlers of the root logger, it sees what every SDK logger
    (boto3, botocore, urllib3, google, azure) propagates, so `--debug` shows the wire
    traffic without the credentials that travel in it.
    """

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        super().__init__()
        env = os.environ if environ is None else environ
        # Very short values would redact ordinary words; real secrets are long.
        self._literals = tuple(v for k in _SECRET_ENV if len(v := env.get(k, "")) >= 8)

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite `record` in place with its secrets redacted; never drops it."""
        try:
            message = record.getMessage()
        except Exception:  # a malformed log call: keep the template, drop the arguments
            message = str(record.msg)
        record.msg = redact_secrets(message, self._literals)
        record.args = None
        if record.exc_info:
            text = logging.Formatter().formatException(record.exc_info)
            record.exc_text = redact_secrets(text, self._literals)
            record.exc_info = None
        if record.stack_info:
            record.stack_info = redact_secrets(record.stack_info, self._literals)
        return True
