"""The shipped CI recipes: valid YAML, and every hipaa-scan command line in them parses.

Each command line is split as a shell would split it (CI variables replaced by sample
values) and parsed by the CLI's own click parser without running, so a renamed or removed
flag breaks this test instead of a user's nightly job.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pytest
import yaml

from providers import provider_names
from scanner.cli import cli

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((REPO / "examples").rglob("*.y*ml"))
SAMPLE_VALUES = {
    r"\$\{\{\s*matrix\.shard\s*\}\}": "1",
    r"\$\{CI_NODE_INDEX\}": "1",
    r"\$\{CI_NODE_TOTAL\}": "3",
    r"\$\(\(JOB_COMPLETION_INDEX \+ 1\)\)": "1",
}


def parse(args: list[str]) -> None:
    """Parse `hipaa-scan ARGS` with the real command tree; raises on any bad flag."""
    assert args, "an empty command line"
    with click.Context(cli, info_name="hipaa-scan") as ctx:
        command = cli.get_command(ctx, args[0])
        assert command is not None, f"unknown command {args[0]}"
        command.make_context(args[0], list(args[1:]), parent=ctx).close()


def strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from strings(value)


def command_lines(text: str) -> Iterator[list[str]]:
    """Every `hipaa-scan ...` invocation in a script, as argument lists."""
    for pattern, value in SAMPLE_VALUES.items():
        text = re.sub(pattern, value, text)
    text = text.replace("\\\n", " ")
    for line in text.splitlines():
        for part in re.split(r"&&|\|\||;", line):
            words = shlex.split(part, comments=True)
            if len(words) > 1 and words[0] == "hipaa-scan":  # not a bare name value
                yield words[1:]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: str(p.relative_to(REPO)))
def test_every_example_is_valid_yaml_and_its_commands_parse(path: Path) -> None:
    documents = list(yaml.safe_load_all(path.read_text(encoding="utf-8")))
    assert documents and all(isinstance(d, dict) for d in documents)
    found = [args for doc in documents for text in strings(doc) for args in command_lines(text)]
    for doc in documents:
        found += [
            [step["with"]["cloud"], *shlex.split(step["with"].get("args", ""))]
            for step in _action_steps(doc)
        ]
    assert found, f"{path} runs no hipaa-scan command"
    for args in found:
        if args[0] in {"aws", "gcp", "azure"} and args[0] not in provider_names():
            pytest.fail(f"{path}: {args[0]} is not a registered provider yet")
        parse(args)


def _action_steps(document: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for job in (document.get("jobs") or {}).values():
        for step in job.get("steps", []):
            if str(step.get("uses", "")).endswith("/hipaa-scan@main"):
                yield step


def test_the_action_builds_command_lines_that_parse() -> None:
    action = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
    script = next(s["run"] for s in action["runs"]["steps"] if s.get("id") == "scan")
    base = shlex.split(re.search(r"flags=\((.*)\)", script).group(1))  # type: ignore[union-attr]
    additions = [shlex.split(m) for m in re.findall(r"flags\+=\((.*?)\)", script)]
    defaults = {key: value.get("default") for key, value in action["inputs"].items()}
    base = [defaults["fail-on"] if word == "$FAIL_ON" else word for word in base]
    every = [word for extra in additions for word in extra]
    every = [".hipaa-scan-baseline/hipaa.json" if "$" in w else w for w in every]
    parse(["aws", "--region", "us-east-1", *base, *every])


def test_a_bad_flag_would_be_caught() -> None:
    with pytest.raises(click.UsageError):
        parse(["aws", "--no-such-flag"])
