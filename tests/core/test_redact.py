"""Secrets in an endpoint URL never reach a snapshot or report."""

from __future__ import annotations

import pytest

from scanner.redact import redact_url


@pytest.mark.parametrize(("given", "kept"), [
    ("https://user:s3cret@gw.example:8443/aws?token=abc#frag", "https://gw.example:8443/aws"),
    ("http://127.0.0.1:5000", "http://127.0.0.1:5000"),
    (None, None),
    ("", ""),
])
def test_redact_url(given: str | None, kept: str | None) -> None:
    assert redact_url(given) == kept
