"""The commands: one scan command per registered provider, and the generic ones.

`evaluate`, `rules`, `permissions <provider>` and `demo` know providers only through the
registry in `providers`; a scan command (`hipaa-scan aws`) is built from the provider's
own flags plus the shared report flags. Every command returns its exit code.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from providers import get_provider, provider_names
from rules import load_rules
from rules.attestations import attestations
from scanner.cli.gctuning import fewer_cyclic_collections
from scanner.cli.report import (
    REPORT_KEYS,
    cyclic_gc_paused,
    finish_scan,
    progress_printer,
    report_params,
    require_rules_for,
    run_options,
    run_report,
)
from scanner.output.catalog import CATALOG_FORMATS, render_catalog
from scanner.snapshot import read_snapshot


class ProviderName(click.ParamType[str]):
    """The name of a registered provider (checked against the registry when used)."""

    name = "provider"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        """`value` when it names a provider, else a usage error listing them."""
        if str(value) not in provider_names():
            self.fail(
                f"unknown provider {value!r}; choose from {', '.join(provider_names())}", param, ctx
            )
        return str(value)


def scan_command(name: str) -> click.Command:
    """``hipaa-scan <name>``: the provider's flags, then the shared report flags."""
    provider = get_provider(name)

    def scan(**flags: Any) -> int:
        opts = run_options({k: v for k, v in flags.items() if k in REPORT_KEYS})
        require_rules_for(opts.selection, (name,))  # before collecting anything
        options = provider.options({k: v for k, v in flags.items() if k not in REPORT_KEYS})
        with fewer_cyclic_collections():
            snapshot = provider.collect(options, progress=progress_printer(opts))
        return finish_scan(snapshot, opts)

    return click.Command(
        name,
        callback=scan,
        params=[*provider.cli_params(), *report_params(collects=True)],
        help=f"Scan {provider.title} (read-only) and report against HIPAA.",
    )


@click.command("evaluate")
@click.argument(
    "snapshots", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path)
)
def _evaluate(snapshots: tuple[Path, ...], **flags: Any) -> int:
    """Re-evaluate saved snapshots offline (several merge into one report)."""
    opts = run_options(flags, inputs=snapshots)
    with cyclic_gc_paused():
        loaded = [read_snapshot(path) for path in snapshots]
        return run_report([snap for snap, _ in loaded], opts, [file for _, file in loaded])


_evaluate.params.extend(report_params(collects=False))
evaluate_command = _evaluate


@click.command("rules")
@click.option(
    "--format", "-f", "fmt", type=click.Choice(CATALOG_FORMATS), default="text", show_default=True
)
def rules_command(fmt: str) -> int:
    """List every rule with its id, severity, concern and HIPAA citations."""
    text = render_catalog([r.meta for r in load_rules()], attestations(), fmt)
    click.echo(text, nl=not text.endswith("\n"))
    return 0


@click.command("permissions")
@click.argument("provider", type=ProviderName())
def permissions_command(provider: str) -> int:
    """Print the least-privilege read-only grant the scanner needs, in the cloud's format."""
    click.echo(get_provider(provider).permission_document())
    return 0


@click.command("demo")
@click.option(
    "--cloud",
    type=ProviderName(),
    default="aws",
    show_default=True,
    help="Which cloud's sample estate to scan.",
)
@click.option("--max-workers", default=8, show_default=True, type=click.IntRange(1, 64))
def _demo(cloud: str, max_workers: int, **flags: Any) -> int:
    """Scan a built-in fictional healthcare estate on a local fake (no account needed)."""
    opts = run_options(flags)
    snapshot = get_provider(cloud).demo(progress=progress_printer(opts), max_workers=max_workers)
    return finish_scan(snapshot, opts)


_demo.params.extend(report_params(collects=True))
demo_command = _demo

STATIC_COMMANDS: dict[str, click.Command] = {
    "evaluate": evaluate_command,
    "rules": rules_command,
    "permissions": permissions_command,
    "demo": demo_command,
}
