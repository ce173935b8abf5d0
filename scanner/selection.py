"""Choosing which rules run: `--rule`, `--exclude-rule`, `--concern`, `--severity`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from scanner.errors import UsageError
from scanner.model import Concern, Severity
from scanner.rule import Rule


@dataclass(frozen=True)
class RuleSelection:
    """The rule filters given on the command line; empty means "no filter"."""

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    concerns: tuple[Concern, ...] = ()
    severities: tuple[Severity, ...] = ()

    def apply(self, rules: Sequence[Rule]) -> list[Rule]:
        """The rules that pass every filter; an unknown rule id is a usage error."""
        known = {r.id for r in rules}
        unknown = sorted({*self.include, *self.exclude} - known)
        if unknown:
            raise UsageError(
                f"unknown rule id(s): {', '.join(unknown)}; "
                "run 'hipaa-scan rules' to list the rule ids"
            )
        return [
            r for r in rules
            if (not self.include or r.id in self.include)
            and r.id not in self.exclude
            and (not self.concerns or r.meta.concern in self.concerns)
            and (not self.severities or r.meta.severity in self.severities)
        ]
