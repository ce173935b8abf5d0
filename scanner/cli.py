"""The `hipaa-scan` command line: parse flags, run a provider or load snapshots, evaluate, write.

This is the only module that knows both sides (providers and rules). It holds no business
logic: flags become options objects, the engine makes the report, formatters render it,
and `exit_code` turns it into the documented exit status.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import click

from rules import load_rules
from rules.attestations import attestations
from scanner import __version__
from scanner.engine import EvaluationConfig, evaluate
from scanner.errors import ScanError, UsageError
from scanner.fileio import write_private
from scanner.model import Concern, Severity, Snapshot
from scanner.output import FORMATTERS
from scanner.output.catalog import CATALOG_FORMATS, render_catalog
from scanner.redact import redact_text
from scanner.report import Report
from scanner.selection import RuleSelection
from scanner.snapshot import load_snapshot, write_snapshot

log = logging.getLogger("hipaa_scan")

EXIT_OK = 0
EXIT_FAILURES = 1
EXIT_USAGE = 2
EXIT_INCOMPLETE = 3

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class RunOptions:
    """The flags shared by every command that produces a report."""

    formats: tuple[str, ...]
    outputs: tuple[str, ...]
    selection: RuleSelection
    phi_tags: tuple[tuple[str, str], ...]
    fail_on: Severity
    quiet: bool
    progress: bool
    strict: bool
    snapshot_out: Path | None


def _split_csv(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(part.strip() for v in values for part in v.split(",") if part.strip())


def _parse_phi_tags(values: Sequence[str]) -> tuple[tuple[str, str], ...]:
    tags = []
    for value in values:
        key, sep, tag_value = value.partition("=")
        if not sep or not key:
            raise UsageError(f"--phi-tag {value!r} must be KEY=VALUE, e.g. --phi-tag data=phi")
        tags.append((key, tag_value))
    return tuple(tags)


def _parse_concerns(values: Sequence[str]) -> tuple[Concern, ...]:
    known = {c.value: c for c in Concern}
    chosen = []
    for value in _split_csv(values):
        if value not in known:
            raise UsageError(f"unknown concern {value!r}; choose from {', '.join(known)}")
        chosen.append(known[value])
    return tuple(chosen)


def _parse_severity(value: str, flag: str) -> Severity:
    try:
        return Severity.parse(value)
    except ValueError as exc:
        raise UsageError(f"{flag}: {exc}") from None


def report_options(func: F) -> F:
    """The output, selection and gating flags every report-producing command takes."""
    options = [
        click.option("--format", "-f", "formats", multiple=True,
                     help=f"Output format(s): {', '.join(FORMATTERS)}; repeat or "
                          "comma-separate. Default: text."),
        click.option("--output", "-o", "outputs", multiple=True,
                     help="Where to write each format, in the order of --format ('-' = stdout). "
                          "Default: stdout."),
        click.option("--rule", "rules", multiple=True, help="Run only these rule ids (repeat)."),
        click.option("--exclude-rule", "exclude_rules", multiple=True,
                     help="Skip these rule ids (repeat)."),
        click.option("--concern", "concerns", multiple=True,
                     help="Run only rules of these concerns: "
                          f"{', '.join(c.value for c in Concern)}."),
        click.option("--severity", "severities", multiple=True,
                     help="Run only rules of these severities "
                          "(critical, high, medium, low, info)."),
        click.option("--phi-tag", "phi_tags", multiple=True, metavar="KEY=VALUE",
                     help="Resources carrying any of these tags/labels hold ePHI; resource-level "
                          "rules judge only them. Default: every resource."),
        click.option("--fail-on", default="high", show_default=True,
                     help="Exit 1 when an unwaived FAIL at or above this severity exists."),
        click.option("--strict", is_flag=True,
                     help="Exit 3 when the scan was incomplete (gaps or rule errors)."),
        click.option("--quiet", "-q", is_flag=True, help="No progress or summary on stderr."),
        click.option("--no-progress", is_flag=True, help="No progress lines on stderr."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def snapshot_out_option(func: F) -> F:
    """`--snapshot-out`, for the commands that collect."""
    return click.option("--snapshot-out", type=click.Path(dir_okay=False, path_type=Path),
                        help="Also write the collected snapshot (JSON, mode 0600) here.")(func)


def _run_options(kwargs: dict[str, Any]) -> RunOptions:
    formats = _split_csv(kwargs.pop("formats")) or ("text",)
    outputs = tuple(kwargs.pop("outputs"))
    _check_formats(formats, outputs)
    selection = RuleSelection(
        include=_split_csv(kwargs.pop("rules")),
        exclude=_split_csv(kwargs.pop("exclude_rules")),
        concerns=_parse_concerns(kwargs.pop("concerns")),
        severities=tuple(_parse_severity(s, "--severity")
                         for s in _split_csv(kwargs.pop("severities"))),
    )
    quiet = kwargs.pop("quiet")
    return RunOptions(
        formats=formats,
        outputs=outputs,
        selection=selection,
        phi_tags=_parse_phi_tags(kwargs.pop("phi_tags")),
        fail_on=_parse_severity(kwargs.pop("fail_on"), "--fail-on"),
        quiet=quiet,
        progress=not quiet and not kwargs.pop("no_progress"),
        strict=kwargs.pop("strict"),
        snapshot_out=kwargs.pop("snapshot_out", None),
    )


def _check_formats(formats: tuple[str, ...], outputs: tuple[str, ...]) -> None:
    unknown = [f for f in formats if f not in FORMATTERS]
    if unknown:
        raise UsageError(f"unknown --format {', '.join(unknown)}; choose from "
                         f"{', '.join(FORMATTERS)}")
    if len(set(formats)) != len(formats):
        raise UsageError("each --format may be given once")
    if len(formats) > 1 and len(outputs) != len(formats):
        raise UsageError(
            f"{len(formats)} formats need {len(formats)} --output paths, one per format in "
            "the same order ('-' for stdout)"
        )
    if len(formats) == 1 and len(outputs) > 1:
        raise UsageError("one --format takes at most one --output")
    if sum(1 for o in outputs if o == "-") > 1:
        raise UsageError("only one format can go to stdout ('-')")


def _stderr(message: str) -> None:
    click.echo(message, err=True)


def run_report(snapshots: Sequence[Snapshot], opts: RunOptions) -> int:
    """Evaluate, write every requested output, print the summary; return the exit code."""
    providers = {s.scope.provider for s in snapshots}
    chosen = opts.selection.apply(load_rules())
    owed = [a for a in attestations() if a.providers & providers]
    report = evaluate(snapshots, chosen, EvaluationConfig(phi_tags=opts.phi_tags), owed)
    _write_outputs(report, opts)
    if not opts.quiet:
        _stderr(summary_line(report, opts))
    return exit_code(report, opts.fail_on, opts.strict)


def _write_outputs(report: Report, opts: RunOptions) -> None:
    targets = opts.outputs or ("-",)
    for fmt, target in zip(opts.formats, targets, strict=False):
        colour = fmt == "text" and target == "-" and sys.stdout.isatty()
        formatter = FORMATTERS[fmt](color=True) if colour else FORMATTERS[fmt]()
        text = formatter.render(report)
        if target == "-":
            click.echo(text, nl=not text.endswith("\n"))
        else:
            write_private(Path(target), text)
        if fmt == "sarif" and not report.complete and not opts.quiet:
            _stderr("hipaa-scan: warning: the scan is incomplete; the SARIF says so "
                    "(executionSuccessful=false). Uploading it can close alerts for what "
                    "was not read: gate uploads with --strict.")


def summary_line(report: Report, opts: RunOptions) -> str:
    """The one-line result printed on stderr after every report."""
    counts = report.status_counts()
    failing = report.open_failures(opts.fail_on)
    parts = [
        f"{len(report.findings)} findings",
        ", ".join(f"{n} {status}" for status, n in counts.items()),
        f"{len(failing)} unwaived FAIL at or above {opts.fail_on.label}",
        f"{len(report.gaps)} gap(s)" + ("" if report.complete else " - INCOMPLETE"),
    ]
    return "hipaa-scan: " + "; ".join(parts)


def exit_code(report: Report, fail_on: Severity, strict: bool) -> int:
    """0 clean, 1 unwaived failures at or above `fail_on`, 3 incomplete with `--strict`."""
    if strict and not report.complete:
        return EXIT_INCOMPLETE
    return EXIT_FAILURES if report.open_failures(fail_on) else EXIT_OK


def _progress(opts: RunOptions) -> Callable[[str], None] | None:
    if not opts.progress:
        return None
    return lambda line: _stderr(f"hipaa-scan: {line}")


def _finish_scan(snapshot: Snapshot, opts: RunOptions) -> int:
    if opts.snapshot_out:
        write_snapshot(snapshot, opts.snapshot_out)
    return run_report([snapshot], opts)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="hipaa-scan")
@click.option("--debug", is_flag=True, help="Log API faults and internals on stderr.")
def cli(debug: bool) -> None:
    """Check live cloud configuration against the HIPAA Security Rule."""
    logging.basicConfig(level=logging.DEBUG if debug else logging.WARNING,
                        format="hipaa-scan: %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    if not debug:
        # botocore logs credential lookups at INFO; keep stderr for our own lines.
        logging.getLogger("botocore").setLevel(logging.WARNING)


@cli.command("aws")
@click.option("--profile", help="AWS profile name (default: the standard credential chain).")
@click.option("--region", "regions", multiple=True,
              help="Region to scan (repeat). Default: every region enabled for the account.")
@click.option("--endpoint-url",
              help="Send every AWS call to this base URL (also AWS_ENDPOINT_URL).")
@click.option("--role-arn", help="Scan the account of this IAM role, assumed with sts:AssumeRole.")
@click.option("--external-id", help="ExternalId for --role-arn / --org-role.")
@click.option("--org", is_flag=True,
              help="Scan every active account of the AWS Organization (needs --org-role).")
@click.option("--org-role", help="Read-only role NAME present in every member account.")
@click.option("--account", "accounts", multiple=True, help="With --org: only these account ids.")
@click.option("--exclude-account", "exclude_accounts", multiple=True,
              help="With --org: skip these account ids.")
@click.option("--max-workers", default=16, show_default=True, type=click.IntRange(1, 256),
              help="Concurrent collector tasks (accounts x regions x services).")
@click.option("--max-attempts", default=5, show_default=True, type=click.IntRange(1, 20),
              help="Attempts per API call (adaptive retry with backoff on throttling and 5xx).")
@report_options
@snapshot_out_option
def aws_command(**kwargs: Any) -> None:
    """Scan AWS accounts (read-only) and report against HIPAA."""
    from providers.aws import AwsOptions, collect
    from providers.aws.accounts import OrgSelection, role_account, wanted_accounts

    aws_flags = {k: kwargs.pop(k) for k in (
        "profile", "regions", "endpoint_url", "role_arn", "external_id", "org", "org_role",
        "accounts", "exclude_accounts", "max_workers", "max_attempts")}
    opts = _run_options(kwargs)
    if (aws_flags["accounts"] or aws_flags["exclude_accounts"]) and not aws_flags["org"]:
        raise UsageError("--account and --exclude-account only apply with --org")
    org = None
    if aws_flags["org"]:
        if not aws_flags["org_role"]:
            raise UsageError("--org needs --org-role NAME: a read-only role present in every "
                             "member account (there is no default, so no write role is assumed)")
        org = OrgSelection(aws_flags["org_role"], wanted_accounts(aws_flags["accounts"]),
                           wanted_accounts(aws_flags["exclude_accounts"]))
    elif aws_flags["org_role"]:
        raise UsageError("--org-role only applies with --org")
    if aws_flags["role_arn"]:
        role_account(aws_flags["role_arn"])
    options = AwsOptions(
        profile=aws_flags["profile"],
        regions=tuple(aws_flags["regions"]),
        endpoint_url=aws_flags["endpoint_url"] or os.environ.get("AWS_ENDPOINT_URL") or None,
        max_workers=aws_flags["max_workers"],
        max_attempts=aws_flags["max_attempts"],
        role_arn=aws_flags["role_arn"],
        external_id=aws_flags["external_id"],
        org=org,
    )
    snapshot = collect(options, progress=_progress(opts))
    sys.exit(_finish_scan(snapshot, opts))


@cli.command("evaluate")
@click.argument("snapshots", nargs=-1, required=True,
                type=click.Path(dir_okay=False, path_type=Path))
@report_options
def evaluate_command(snapshots: tuple[Path, ...], **kwargs: Any) -> None:
    """Re-evaluate saved snapshots offline (several merge into one report)."""
    opts = _run_options(kwargs)
    loaded = [load_snapshot(path) for path in snapshots]
    sys.exit(run_report(loaded, opts))


@cli.command("rules")
@click.option("--format", "-f", "fmt", type=click.Choice(CATALOG_FORMATS),
              default="text", show_default=True)
def rules_command(fmt: str) -> None:
    """List every rule with its id, severity, concern and HIPAA citations."""
    text = render_catalog([r.meta for r in load_rules()], attestations(), fmt)
    click.echo(text, nl=not text.endswith("\n"))


@cli.command("permissions")
@click.argument("provider", type=click.Choice(["aws"]))
def permissions_command(provider: str) -> None:
    """Print the least-privilege read-only IAM policy the scanner needs."""
    from providers.aws import permissions

    document = {
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "HipaaScanReadOnly",
            "Effect": "Allow",
            "Action": sorted(set(permissions().values())),
            "Resource": "*",
        }],
    }
    click.echo(json.dumps(document, indent=2))


@cli.command("demo")
@click.option("--max-workers", default=8, show_default=True, type=click.IntRange(1, 64))
@report_options
@snapshot_out_option
def demo_command(max_workers: int, **kwargs: Any) -> None:
    """Scan a built-in fictional healthcare estate on a local AWS fake (no account needed)."""
    from providers.aws.demo import run_demo

    opts = _run_options(kwargs)
    snapshot = run_demo(progress=_progress(opts), max_workers=max_workers)
    sys.exit(_finish_scan(snapshot, opts))


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the `hipaa-scan` console script."""
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name="hipaa-scan",
                 standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        _stderr("hipaa-scan: aborted")
        sys.exit(EXIT_USAGE)
    except click.ClickException as exc:
        exc.show()
        sys.exit(EXIT_USAGE)
    except ScanError as exc:
        _stderr(f"hipaa-scan: error: {redact_text(str(exc))}")
        sys.exit(EXIT_USAGE)
    except KeyboardInterrupt:
        _stderr("hipaa-scan: interrupted")
        sys.exit(130)
    except Exception as exc:  # a bug of ours: one clear line unless the user asks for more
        if os.environ.get("HIPAA_SCAN_DEBUG"):
            raise
        _stderr(f"hipaa-scan: internal error: {type(exc).__name__}: {redact_text(str(exc))} "
                "(set HIPAA_SCAN_DEBUG=1 for the traceback, and please report it)")
        sys.exit(EXIT_USAGE)
    sys.exit(EXIT_OK)
