"""Choosing which rules run: `--rule`, `--exclude-rule`, `--concern`, `--severity`.

Rule ids are permanent, but a renamed or merged rule keeps its old ids as aliases
(`RuleMeta.aliases`, filled by `rules.load_rules` from `rules.aliases`), so a selection
written with an old id keeps selecting the same control.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from scanner.errors import UsageError
from scanner.model import Concern, Severity
from scanner.rule import Rule


def resolve_rule_id(rule_id: str, aliases: Mapping[str, str]) -> str:
    """The current id of `rule_id`: itself, or what the alias table renames it to.

    An alias table maps every old id straight to its current id (never to another alias),
    so one look-up is enough; an id that is in neither comes back unchanged, for the
    caller to reject.
    """
    return aliases.get(rule_id, rule_id)


def alias_table(rules: Sequence[Rule]) -> dict[str, str]:
    """Old id -> current id, from the aliases the loaded `rules` carry."""
    return {old: r.id for r in rules for old in r.meta.aliases}


def check_rule_ids(ids: Sequence[str], rules: Sequence[Rule], origin: str = "") -> None:
    """A `UsageError` naming the ids (neither a rule's id nor an alias) and `origin`."""
    aliases = alias_table(rules)
    known = {r.id for r in rules}
    unknown = sorted({i for i in ids if resolve_rule_id(i, aliases) not in known})
    if unknown:
        raise UsageError(
            f"{origin + ': ' if origin else ''}unknown rule id(s): {', '.join(unknown)}; "
            "run 'hipaa-scan rules' to list the rule ids"
        )


@dataclass(frozen=True)
class RuleSelection:
    """The rule filters given on the command line; empty means "no filter"."""

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    concerns: tuple[Concern, ...] = ()
    severities: tuple[Severity, ...] = ()

    def apply(self, rules: Sequence[Rule]) -> list[Rule]:
        """The rules that pass every filter; old ids select their current rule.

        An id that is neither a rule's id nor one of its aliases is a usage error.
        """
        check_rule_ids([*self.include, *self.exclude], rules)
        aliases = alias_table(rules)
        include = {resolve_rule_id(i, aliases) for i in self.include}
        exclude = {resolve_rule_id(i, aliases) for i in self.exclude}
        return [
            r
            for r in rules
            if (not include or r.id in include)
            and r.id not in exclude
            and (not self.concerns or r.meta.concern in self.concerns)
            and (not self.severities or r.meta.severity in self.severities)
        ]
