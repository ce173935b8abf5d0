"""Output formats: each turns a `Report` into text, and sees nothing else.

A formatter is built with keyword options only (every option has a default, so
``FORMATTERS[name]()`` always works) and renders with ``render(report) -> str``. Output is
deterministic: the same report always gives the same text. The CLI decides where the text
goes; formatters never write files or read flags.
"""

from __future__ import annotations

from typing import Any, Protocol

from scanner.output.catalog import CATALOG_FORMATS, render_catalog
from scanner.output.compliance import HtmlFormatter, MarkdownFormatter
from scanner.output.json_report import JsonFormatter
from scanner.output.sarif import SarifFormatter
from scanner.output.text import TextFormatter
from scanner.report import Report


class Formatter(Protocol):
    """What every output format provides."""

    def __init__(self, **options: Any) -> None:
        """Keyword options only, each with a default."""

    def render(self, report: Report) -> str:
        """The whole output for `report`, ending in a newline."""


FORMATTERS: dict[str, type[Formatter]] = {
    "text": TextFormatter,
    "json": JsonFormatter,
    "sarif": SarifFormatter,
    "markdown": MarkdownFormatter,
    "html": HtmlFormatter,
}


def get_formatter(name: str, **options: Any) -> Formatter:
    """The formatter registered as `name`, built with `options`."""
    try:
        cls = FORMATTERS[name]
    except KeyError:
        raise ValueError(
            f"unknown output format {name!r}; choose one of {', '.join(FORMATTERS)}"
        ) from None
    return cls(**options)


__all__ = [
    "CATALOG_FORMATS",
    "FORMATTERS",
    "Formatter",
    "HtmlFormatter",
    "JsonFormatter",
    "MarkdownFormatter",
    "SarifFormatter",
    "TextFormatter",
    "get_formatter",
    "render_catalog",
]
