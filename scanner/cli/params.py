"""Typed click parameter types: what a flag's text means is decided once, here."""

from __future__ import annotations

from typing import Any

import click

from scanner.model import Severity


class CommaList(click.ParamType[tuple[str, ...]]):
    """A repeatable flag whose values may also be comma-separated (`-f json,sarif`)."""

    name = "list"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> tuple[str, ...]:
        """The non-empty parts of `value`, stripped."""
        if isinstance(value, tuple):
            return value
        return tuple(part.strip() for part in str(value).split(",") if part.strip())


class KeyValue(click.ParamType[tuple[str, str]]):
    """``KEY=VALUE`` (a tag or label); the value may be empty, the key may not."""

    name = "KEY=VALUE"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> tuple[str, str]:
        """`(key, value)`, or a usage error naming the flag and the expected form."""
        if isinstance(value, tuple):
            return value
        key, sep, tag_value = str(value).partition("=")
        if not sep or not key:
            flag = param.opts[0] if param is not None and param.opts else "value"
            self.fail(f"{flag} {value!r} must be KEY=VALUE, e.g. {flag} data-class=phi", param, ctx)
        return key, tag_value


class SeverityType(click.ParamType[Severity]):
    """A severity label (`critical` ... `info`), case-insensitive."""

    name = "severity"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> Severity:
        """The `Severity`, or a usage error listing the choices."""
        if isinstance(value, Severity):
            return value
        try:
            return Severity.parse(str(value))
        except ValueError as exc:
            flag = param.opts[0] if param is not None and param.opts else "severity"
            self.fail(f"{flag}: {exc}", param, ctx)
