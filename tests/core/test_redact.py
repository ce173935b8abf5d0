"""Secrets in an endpoint URL never reach a snapshot or report."""

from __future__ import annotations

import logging

import pytest

from scanner.redact import REDACTED, RedactingFilter, redact_text, redact_url


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("https://user:s3cret@gw.example:8443/aws?token=abc#frag", "https://gw.example:8443/aws"),
        ("http://127.0.0.1:5000", "http://127.0.0.1:5000"),
        (None, None),
        ("", ""),
    ],
)
def test_redact_url(given: str | None, kept: str | None) -> None:
    assert redact_url(given) == kept


def test_redact_text_cleans_every_url_in_a_message() -> None:
    text = (
        'Could not connect to the endpoint URL: "https://u:p@gw.example/x?sig=1" '
        "(also http://127.0.0.1:5000/ok)"
    )
    assert redact_text(text) == (
        'Could not connect to the endpoint URL: "https://gw.example/x" '
        "(also http://127.0.0.1:5000/ok)"
    )


TOKEN = "IQoJb3JpZ2luX2VjEFAKESESSIONTOKEN0123456789abcdef"
SIGNATURE = "a" * 64


@pytest.mark.parametrize(
    "line",
    [
        f"headers={{'X-Amz-Security-Token': b'{TOKEN}', 'Authorization': b'AWS4-HMAC-SHA256 "
        f"Credential=ASIAABCDEFGHIJKLMNOP/20261203/us-east-1/sts/aws4_request, "
        f"SignedHeaders=host, Signature={SIGNATURE}'}}",
        f"CanonicalRequest:\nPOST\n/\n\nhost:sts.amazonaws.com\nx-amz-security-token:{TOKEN}\n",
        f"Signature:\n{SIGNATURE}",
        f"https://bucket.s3.amazonaws.com/k?X-Amz-Security-Token={TOKEN}&X-Amz-Signature={SIGNATURE}",
        f"Response body: b'<Credentials><SessionToken>{TOKEN}</SessionToken>"
        f"<SecretAccessKey>{SIGNATURE}</SecretAccessKey></Credentials>'",
        f'{{"access_token": "{TOKEN}", "client_secret": "{SIGNATURE}"}}',
        f"Authorization: Bearer {TOKEN}",
    ],
)
def test_debug_records_lose_tokens_and_signatures(line: str) -> None:
    record = logging.LogRecord("botocore.endpoint", logging.DEBUG, __file__, 1, "%s", (line,), None)
    assert RedactingFilter(environ={}).filter(record)
    assert TOKEN not in record.getMessage()
    assert SIGNATURE not in record.getMessage()
    assert "ASIAABCDEFGHIJKLMNOP" not in record.getMessage()
    assert REDACTED in record.getMessage()


def test_credentials_the_process_was_given_never_print() -> None:
    secret = "plain-secret-value-without-a-known-shape"
    record = logging.LogRecord("any.sdk", logging.DEBUG, __file__, 1, "got %s", (secret,), None)
    RedactingFilter(environ={"AWS_SECRET_ACCESS_KEY": secret}).filter(record)
    assert record.getMessage() == f"got {REDACTED}"
