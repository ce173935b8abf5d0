"""Secrets in an endpoint URL never reach a snapshot or report."""

from __future__ import annotations

import pytest

from scanner.redact import redact_text, redact_url


@pytest.mark.parametrize(("given", "kept"), [
    ("https://user:s3cret@gw.example:8443/aws?token=abc#frag", "https://gw.example:8443/aws"),
    ("http://127.0.0.1:5000", "http://127.0.0.1:5000"),
    (None, None),
    ("", ""),
])
def test_redact_url(given: str | None, kept: str | None) -> None:
    assert redact_url(given) == kept


def test_redact_text_cleans_every_url_in_a_message() -> None:
    text = ('Could not connect to the endpoint URL: "https://u:p@gw.example/x?sig=1" '
            "(also http://127.0.0.1:5000/ok)")
    assert redact_text(text) == ('Could not connect to the endpoint URL: "https://gw.example/x" '
                                 "(also http://127.0.0.1:5000/ok)")
