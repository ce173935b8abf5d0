"""The report side every report-producing command shares: flags, options, run, exit code.

`report_params` declares the output, selection and gating flags once; `run_options` turns
them (and the configuration file) into `RunOptions`; `run_report` evaluates, writes every
requested output and returns the documented exit code.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import gc
import io
import os
import shutil
import stat
import sys
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from concurrent import futures
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import click

from rules import load_rules
from rules.attestations import attestations
from scanner import TOOL_NAME
from scanner.baseline import Baseline, load_baseline
from scanner.cli.params import CommaList, KeyValue, SeverityType
from scanner.cli.sarif_parts import Leftover, part_number, remove_stale_parts, sarif_part_paths
from scanner.config import Config, check_params, find_config, load_config
from scanner.engine import EvaluationConfig, evaluate
from scanner.errors import OutputError, UsageError
from scanner.fileio import COPY_CHUNK, check_distinct, check_output, spool, write_private
from scanner.model import Concern, JSONValue, Severity, Snapshot
from scanner.output import FORMATTERS
from scanner.output.common import printable
from scanner.output.sarif import MAX_RUNS_PER_FILE, SarifFormatter
from scanner.output.text import DEFAULT_MAX_LISTED, DEFAULT_WIDTH, MIN_WIDTH, TextFormatter
from scanner.report import Report, SnapshotFile
from scanner.rule import Rule
from scanner.selection import RuleSelection, alias_table, check_rule_ids, resolve_rule_id
from scanner.snapshot import write_snapshot
from scanner.waivers import WaiverEntry, WaiverState, load_waivers

EXIT_OK = 0
EXIT_FAILURES = 1
EXIT_USAGE = 2
EXIT_INCOMPLETE = 3

DEFAULT_FAIL_ON = Severity.HIGH


@dataclass(frozen=True)
class RunOptions:
    """The flags (and configuration) shared by every command that produces a report."""

    formats: tuple[str, ...]
    outputs: tuple[str, ...]
    selection: RuleSelection
    phi_tags: tuple[tuple[str, str], ...]
    fail_on: Severity
    quiet: bool
    progress: bool
    strict: bool
    snapshot_out: Path | None = None
    params: Mapping[str, Mapping[str, JSONValue]] = field(default_factory=dict)
    config_source: str | None = None
    waivers: tuple[WaiverEntry, ...] = ()
    today: dt.date | None = None
    baseline: Baseline | None = None
    fail_on_new: bool = False
    sarif_category: str | None = None
    width: int | None = None
    max_listed: int = DEFAULT_MAX_LISTED


def report_params(*, collects: bool) -> list[click.Parameter]:
    """The output, selection and gating flags; `collects` adds `--snapshot-out`."""
    params: list[click.Parameter] = [
        click.Option(
            ["--format", "-f", "formats"],
            multiple=True,
            type=CommaList(),
            help=f"Output format(s): {', '.join(FORMATTERS)}; repeat or "
            "comma-separate. Default: text.",
        ),
        click.Option(
            ["--output", "-o", "outputs"],
            multiple=True,
            help="Where to write each format, in the order of --format ('-' = "
            "stdout). Default: stdout.",
        ),
        click.Option(
            ["--rule", "rules"],
            multiple=True,
            type=CommaList(),
            help="Run only these rule ids (repeat).",
        ),
        click.Option(
            ["--exclude-rule", "exclude_rules"],
            multiple=True,
            type=CommaList(),
            help="Skip these rule ids (repeat).",
        ),
        click.Option(
            ["--concern", "concerns"],
            multiple=True,
            type=CommaList(),
            help=f"Run only rules of these concerns: {', '.join(c.value for c in Concern)}.",
        ),
        click.Option(
            ["--severity", "severities"],
            multiple=True,
            type=CommaList(),
            help="Run only rules of these severities (critical, high, medium, low, info).",
        ),
        click.Option(
            ["--phi-tag", "phi_tags"],
            multiple=True,
            type=KeyValue(),
            help="Resources carrying any of these tags/labels hold ePHI (e.g. "
            "--phi-tag data-class=phi); "
            "resource-level rules judge only them. Default: every resource.",
        ),
        click.Option(
            ["--fail-on"],
            type=SeverityType(),
            default=None,
            help="Exit 1 when an unwaived FAIL at or above this severity exists (default: high).",
        ),
        click.Option(
            ["--strict"],
            is_flag=True,
            help="Exit 3 when the scan was incomplete (gaps or rule errors).",
        ),
        click.Option(
            ["--waivers", "waivers_path"],
            type=click.Path(dir_okay=False, path_type=Path),
            help="Waivers file (YAML or JSON): accepted risks with an owner, a reason "
            "and an expiry date.",
        ),
        click.Option(
            ["--as-of"],
            type=click.DateTime(formats=["%Y-%m-%d"]),
            help="Judge waiver expiry as of this date (YYYY-MM-DD; default: today, "
            "UTC), e.g. to reproduce an old report.",
        ),
        click.Option(
            ["--baseline", "baseline_path"],
            type=click.Path(dir_okay=False, path_type=Path),
            help="A previous JSON report: mark failures new or unchanged and list the fixed ones.",
        ),
        click.Option(
            ["--sarif-category"],
            default=None,
            help="Replace 'hipaa-scan' at the head of every SARIF run's category "
            "(e.g. for a filtered scan that must not close a full scan's alerts).",
        ),
        click.Option(
            ["--fail-on-new"],
            is_flag=True,
            help="With --baseline: exit 1 only for new unwaived failures at or above --fail-on.",
        ),
        click.Option(
            ["--config", "config_path"],
            type=click.Path(dir_okay=False, path_type=Path),
            help="Configuration file (default: ./hipaa-scan.toml if present).",
        ),
        click.Option(
            ["--width"],
            type=click.IntRange(MIN_WIDTH, 1000),
            default=None,
            help="Text report: fit lines to this many columns (default: the terminal's "
            f"width, else $COLUMNS, else {DEFAULT_WIDTH}).",
        ),
        click.Option(
            ["--max-listed"],
            type=click.IntRange(0),
            default=DEFAULT_MAX_LISTED,
            show_default=True,
            help="Text report: list at most this many resources per rule, reason or gap "
            "(0 = all; the JSON report always has every one).",
        ),
        click.Option(["--quiet", "-q"], is_flag=True, help="No progress or summary on stderr."),
        click.Option(["--no-progress"], is_flag=True, help="No progress lines on stderr."),
    ]
    if collects:
        params.append(
            click.Option(
                ["--snapshot-out"],
                type=click.Path(dir_okay=False, path_type=Path),
                help="Also write the collected snapshot (JSON, mode 0600) here.",
            )
        )
    return params


REPORT_KEYS = frozenset(p.name for p in report_params(collects=True) if p.name is not None)


def run_options(flags: Mapping[str, Any], inputs: Sequence[Path] = ()) -> RunOptions:
    """Flags plus the configuration file, validated; flags win over the file.

    Every output path is checked here, before any collection: it can be written, and it
    is neither another output nor one of `inputs` (nor the configuration file).
    """
    config = load_config(find_config(flags.get("config_path"), Path.cwd()))
    formats = _flat(flags.get("formats")) or ("text",)
    outputs = tuple(flags.get("outputs") or ())
    _check_formats(formats, outputs)
    _check_paths(
        outputs,
        flags.get("snapshot_out"),
        [*inputs, *([Path(config.source)] if config.source else [])],
    )
    _check_part_names(formats, outputs, flags.get("snapshot_out"))
    include, include_from = _given(flags, "rules", "--rule", config)
    exclude, exclude_from = _given(flags, "exclude_rules", "--exclude-rule", config)
    concerns, concerns_from = _given(flags, "concerns", "--concern", config)
    severities, severities_from = _given(flags, "severities", "--severity", config)
    check_rule_ids(include, load_rules(), include_from)
    check_rule_ids(exclude, load_rules(), exclude_from)
    selection = RuleSelection(
        include=include,
        exclude=exclude,
        concerns=_concerns(concerns, concerns_from),
        severities=tuple(_severity(s, severities_from) for s in severities),
    )
    if not selection.apply(load_rules()):
        raise UsageError(
            "the rule selection (--rule, --exclude-rule, --concern, --severity) "
            "matches no rule; run 'hipaa-scan rules' to list them"
        )
    phi_tags = tuple(flags.get("phi_tags") or ()) or _config_tags(config)
    fail_on = flags.get("fail_on") or (
        _severity(config.fail_on, f"{config.source}: scan.fail_on")
        if config.fail_on
        else DEFAULT_FAIL_ON
    )
    quiet = bool(flags.get("quiet"))
    rules = load_rules()
    known = {r.id for r in rules}
    aliases = alias_table(rules)

    def resolve(rule_id: str) -> str:
        return resolve_rule_id(rule_id, aliases)

    waivers_path = flags.get("waivers_path") or config.waivers
    as_of = flags.get("as_of")
    baseline_path = flags.get("baseline_path")
    if flags.get("fail_on_new") and baseline_path is None:
        raise UsageError(
            "--fail-on-new needs --baseline PREVIOUS.json (the report to compare with)"
        )
    return RunOptions(
        formats=formats,
        outputs=outputs,
        selection=selection,
        phi_tags=phi_tags,
        fail_on=fail_on,
        quiet=quiet,
        progress=not quiet and not flags.get("no_progress"),
        strict=bool(flags.get("strict")),
        snapshot_out=flags.get("snapshot_out"),
        params=check_params(config, [r.meta for r in rules], resolve),
        config_source=config.source,
        waivers=load_waivers(waivers_path, known, resolve) if waivers_path else (),
        today=as_of.date() if as_of else dt.datetime.now(dt.UTC).date(),
        baseline=load_baseline(baseline_path, resolve) if baseline_path else None,
        fail_on_new=bool(flags.get("fail_on_new")),
        sarif_category=_category(flags.get("sarif_category")),
        width=flags.get("width"),
        max_listed=DEFAULT_MAX_LISTED
        if flags.get("max_listed") is None
        else int(flags["max_listed"]),
    )


def _category(value: str | None) -> str | None:
    if value is None:
        return None
    if not value.strip() or value.startswith("/") or value.endswith("/") or " " in value:
        raise UsageError(
            f"--sarif-category {value!r} must be a non-empty name without "
            "spaces or leading/trailing '/', e.g. hipaa-scan-nightly"
        )
    return value


def _flat(values: Sequence[Sequence[str]] | None) -> tuple[str, ...]:
    return tuple(item for value in values or () for item in value)


def _given(
    flags: Mapping[str, Any], key: str, flag: str, config: Config
) -> tuple[tuple[str, ...], str]:
    """A filter's values from its flag, else from the configuration file; and their origin.

    The origin names what to fix in an error: the flag, or the file and its key.
    """
    given = _flat(flags.get(key))
    if given:
        return given, flag
    return tuple(getattr(config, key)), f"{config.source}: scan.{key}"


def _concerns(values: Sequence[str], origin: str) -> tuple[Concern, ...]:
    known = {c.value: c for c in Concern}
    unknown = [v for v in values if v not in known]
    if unknown:
        raise UsageError(
            f"{origin}: unknown concern {unknown[0]!r}; choose from {', '.join(known)}"
        )
    return tuple(known[v] for v in values)


def _severity(value: str, flag: str) -> Severity:
    try:
        return Severity.parse(value)
    except ValueError as exc:
        raise UsageError(f"{flag}: {exc}") from None


def _config_tags(config: Config) -> tuple[tuple[str, str], ...]:
    tags = []
    for value in config.phi_tags:
        key, sep, tag_value = value.partition("=")
        if not sep or not key:
            raise UsageError(
                f'{config.source}: scan.phi_tags entry {value!r} must be KEY=VALUE, e.g. "phi=true"'
            )
        tags.append((key, tag_value))
    return tuple(tags)


def _check_formats(formats: tuple[str, ...], outputs: tuple[str, ...]) -> None:
    unknown = [f for f in formats if f not in FORMATTERS]
    if unknown:
        raise UsageError(
            f"unknown --format {', '.join(unknown)}; choose from {', '.join(FORMATTERS)}"
        )
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


def _check_paths(outputs: Sequence[str], snapshot_out: Path | None, inputs: Sequence[Path]) -> None:
    files = [("--output", Path(o)) for o in outputs if o != "-"]
    if snapshot_out is not None:
        files.append(("--snapshot-out", snapshot_out))
    for flag, path in files:
        check_output(path, flag)
    check_distinct(files, inputs)


def _check_part_names(
    formats: Sequence[str], outputs: Sequence[str], snapshot_out: Path | None
) -> None:
    """A `UsageError` when another output is named like a part of the SARIF output.

    A second part would overwrite it, and a stale-part sweep would find it.
    """
    sarif = [Path(o) for f, o in zip(formats, outputs, strict=False) if f == "sarif" and o != "-"]
    others = [("--output", Path(o)) for o in outputs if o != "-"]
    if snapshot_out is not None:
        others.append(("--snapshot-out", snapshot_out))
    for target in sarif:
        for flag, path in others:
            if path.parent == target.parent and part_number(target, path.name) is not None:
                raise UsageError(
                    f"{flag} {path} is named like a part of the SARIF {target} (a large "
                    f"SARIF is split into {target.name}, "
                    f"{sarif_part_paths(target, 2)[-1].name}, ...): choose another name"
                )


def stderr(message: str) -> None:
    """One line on stderr (stdout carries only reports)."""
    click.echo(message, err=True)


def progress_printer(opts: RunOptions) -> Callable[[str], None] | None:
    """The progress callback for providers, or None when progress is off."""
    if not opts.progress:
        return None
    # Progress names accounts and regions as the cloud returned them: escape them.
    return lambda line: stderr(f"hipaa-scan: {printable(line)}")


def finish_scan(snapshot: Snapshot, opts: RunOptions) -> int:
    """Write the snapshot if asked, then report (naming the file written); the exit code."""
    written = (write_snapshot(snapshot, opts.snapshot_out),) if opts.snapshot_out else ()
    return run_report([snapshot], opts, written)


@contextlib.contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the block (reference counting goes on).

    Loading, evaluating and reporting build hundreds of thousands of objects that live to
    the end and form no cycles; every full collection walks all of them again, a fifth
    of the CPU of a large evaluation. Nested uses keep it paused until the outermost ends.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def run_report(
    snapshots: Sequence[Snapshot], opts: RunOptions, files: Sequence[SnapshotFile] = ()
) -> int:
    """Evaluate, write every requested output, print the summary; return the exit code.

    `files` are the snapshot files the snapshots were read from (or written to), with
    their digests; the report names them.
    """
    with cyclic_gc_paused():
        return _run_report(snapshots, opts, files)


def require_rules_for(selection: RuleSelection, providers: Collection[str]) -> list[Rule]:
    """The selected rules; a `UsageError` when a cloud to judge has none of them.

    `--rule BAK-AZFLEXDB-01` on an AWS scan would otherwise collect everything, judge
    nothing and report a complete, clean run.
    """
    chosen = selection.apply(load_rules())
    bare = sorted(p for p in providers if not any(p in r.meta.providers for r in chosen))
    if bare:
        clouds = sorted({p for r in chosen for p in r.meta.providers})
        raise UsageError(
            f"the rule selection (--rule, --exclude-rule, --concern, --severity) matches no "
            f"rule for {', '.join(bare)} (it selects rules for {', '.join(clouds)} only); "
            f"run 'hipaa-scan rules' to list them"
        )
    return chosen


def _run_report(
    snapshots: Sequence[Snapshot], opts: RunOptions, files: Sequence[SnapshotFile]
) -> int:
    providers = {s.scope.provider for s in snapshots}
    chosen = require_rules_for(opts.selection, providers)
    owed = [a for a in attestations() if a.providers & providers]
    config = EvaluationConfig(
        phi_tags=opts.phi_tags,
        params=opts.params,
        waivers=opts.waivers,
        today=opts.today,
        baseline=opts.baseline,
    )
    report = evaluate(snapshots, chosen, config, owed)
    if files:
        report = dataclasses.replace(report, snapshots=tuple(sorted(files)))
    _write_outputs(report, opts)
    if report.phi.tags and not report.phi.in_scope:
        total = report.phi.out_of_scope
        stderr(
            f"hipaa-scan: warning: 0 of {total} data resources carry "
            f"{' or '.join(printable(t) for t in report.phi.tags)}; resource-level rules "
            "judged nothing (check the --phi-tag key and value)"
        )
    if not opts.quiet:
        _warn_waivers(report)
        stderr(summary_line(report, opts))
    return exit_code(report, opts.fail_on, opts.strict, new_only=opts.fail_on_new)


def _warn_waivers(report: Report) -> None:
    for outcome in report.review.waivers_in(WaiverState.EXPIRED):
        stderr(
            f"hipaa-scan: warning: {outcome.entry.where} expired on "
            f"{outcome.entry.expires.isoformat()} and no longer applies "
            f"(owner {outcome.entry.owner})"
        )
    for outcome in report.review.waivers_in(WaiverState.STALE):
        stderr(
            f"hipaa-scan: warning: {outcome.entry.where} matched no failure (stale): "
            "remove it, or check its rules and resource globs"
        )


def _write_outputs(report: Report, opts: RunOptions) -> None:
    targets = opts.outputs or ("-",)
    for fmt, target in zip(opts.formats, targets, strict=False):
        if fmt == "sarif" and target != "-":
            _write_sarif_parts(report, opts, Path(target))
        else:
            formatter = _formatter(fmt, opts, to_stdout=target == "-")
            # The JSON report is streamed: a large estate's is never one string in memory.
            text = formatter.stream(report) if fmt == "json" else formatter.render(report)
            if target == "-":
                _to_stdout(text)
            else:
                write_private(Path(target), text)
        if fmt == "sarif" and not report.complete and not opts.quiet:
            stderr(
                "hipaa-scan: warning: the scan is incomplete; the SARIF says so "
                "(executionSuccessful=false). Uploading it can close alerts for what "
                "was not read: gate uploads with --strict."
            )


def _formatter(fmt: str, opts: RunOptions, *, to_stdout: bool) -> Any:
    if fmt == "sarif":
        return SarifFormatter(category=opts.sarif_category or TOOL_NAME)
    if fmt == "text":
        tty = to_stdout and sys.stdout.isatty()
        return TextFormatter(
            color=use_colour(to_stdout=to_stdout, tty=tty, env=os.environ),
            width=text_width(opts.width, to_stdout=to_stdout, tty=tty, env=os.environ),
            max_listed=opts.max_listed,
        )
    return FORMATTERS[fmt]()


def use_colour(*, to_stdout: bool, tty: bool, env: Mapping[str, str]) -> bool:
    """ANSI colour for the text report: only on stdout, and only a terminal's by default.

    Any non-empty NO_COLOR turns it off (https://no-color.org) and wins over a non-empty
    FORCE_COLOR, which turns it on for a pipe (a pager such as ``less -R``). A file
    written with ``-o`` never gets colour.
    """
    if not to_stdout or env.get("NO_COLOR"):
        return False
    return tty or bool(env.get("FORCE_COLOR"))


def text_width(explicit: int | None, *, to_stdout: bool, tty: bool, env: Mapping[str, str]) -> int:
    """The text report's width: ``--width``, else $COLUMNS, else the terminal's, else 100.

    COLUMNS and the terminal size describe stdout, so a file written with ``-o`` is laid
    out at ``--width`` or 100 whatever the terminal. A COLUMNS that is not a positive
    number is ignored; any width is raised to `MIN_WIDTH`.
    """
    if explicit is not None:
        return max(MIN_WIDTH, explicit)
    if not to_stdout:
        return DEFAULT_WIDTH
    columns = env.get("COLUMNS", "").strip()
    if columns.isdigit() and int(columns) > 0:
        return max(MIN_WIDTH, int(columns))
    if tty:
        # COLUMNS is handled above, so this asks the terminal itself.
        return max(MIN_WIDTH, shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns)
    return DEFAULT_WIDTH


def _write_sarif_parts(report: Report, opts: RunOptions, target: Path) -> None:
    formatter = SarifFormatter(category=opts.sarif_category or TOOL_NAME)
    paths: list[Path] = []
    written: list[Path] = []
    # Each part is written on a thread while the next one is made (a write lets go of the
    # interpreter lock); one write at a time, and a failed one ends the run at the next part.
    with ThreadPoolExecutor(max_workers=1) as writer:
        previous: Future[None] | None = None
        try:
            for number, text in enumerate(formatter.iter_parts(report), start=1):
                if previous is not None:
                    previous.result()
                    written.append(paths[-1])
                paths.append(sarif_part_paths(target, number)[-1])
                previous = writer.submit(write_private, paths[-1], text)
            if previous is not None:
                previous.result()
                written.append(paths[-1])
        except BaseException:
            if previous is not None:
                futures.wait([previous])
                if previous.exception() is None and paths[-1] not in written:
                    written.append(paths[-1])
            # Only the parts this run wrote: a write that failed never replaced its file.
            _remove_parts(written)
            raise
    if len(paths) > 1 and not opts.quiet:
        stderr(
            f"hipaa-scan: the SARIF is split into {len(paths)} files of at most "
            f"{MAX_RUNS_PER_FILE} runs (GitHub's limit per upload): "
            f"{', '.join(str(p) for p in paths)}; upload each one"
        )
    _refuse_leftovers(remove_stale_parts(target, paths), target)


def _refuse_leftovers(leftovers: Sequence[Leftover], target: Path) -> None:
    """Name each stale-looking part left in place, then fail: an upload would include it."""
    if not leftovers:
        return
    for leftover in leftovers:
        stderr(
            f"hipaa-scan: error: {printable(str(leftover.path))} is named like a part of "
            f"{printable(str(target))} from an earlier run but was left in place: "
            f"{leftover.reason}"
        )
    raise OutputError(
        f"the SARIF was written, but {len(leftovers)} file(s) named like its parts "
        "(listed above) are not from this run and could not be removed; an upload of "
        "every part would include them: move or remove them"
    )


def _remove_parts(paths: Sequence[Path]) -> None:
    """Remove the SARIF parts written before a refusal: no partial set is left behind.

    Only regular files are removed (a part written to a device or through a symlink is
    left alone: ``-o /dev/null`` must never unlink the device).
    """
    for path in paths:
        with contextlib.suppress(OSError):
            if stat.S_ISREG(os.lstat(path).st_mode):
                path.unlink()


def _to_stdout(text: str | Iterable[str]) -> None:
    """Write a report to stdout whole, or nothing at all.

    A streamed report is spooled to an unnamed temporary file and copied only once it is
    complete: a failure half-way must not leave half a document in a pipe that ``jq`` or
    an upload step is already reading.
    """
    try:
        if isinstance(text, str):
            click.echo(text, nl=not text.endswith("\n"))
        else:
            _spooled_to_stdout(text)
    except OSError as exc:
        # Nothing more can reach stdout; point it at /dev/null so the interpreter's final
        # flush does not fail a second time with a traceback.
        with contextlib.suppress(OSError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        reason = (
            "it was closed (broken pipe)"
            if isinstance(exc, BrokenPipeError)
            else exc.strerror or str(exc)
        )
        raise OutputError(
            f"cannot write the report to stdout: {reason}; write it to a file with --output"
        ) from None


def _spooled_to_stdout(pieces: Iterable[str]) -> None:
    stream = sys.stdout
    # Bytes go to stdout's own buffer, encoded as stdout would encode them; a text-only
    # stdout (an embedding caller's StringIO) gets the text back.
    binary: BinaryIO | None = getattr(stream, "buffer", None)
    encoding = (getattr(stream, "encoding", None) if binary is not None else None) or "utf-8"
    errors = getattr(stream, "errors", None) or "strict"
    with spool(pieces, encoding, errors, "stdout") as data:
        stream.flush()
        if binary is None:
            shutil.copyfileobj(io.TextIOWrapper(data, encoding=encoding), stream, COPY_CHUNK)
        else:
            shutil.copyfileobj(data, binary, COPY_CHUNK)
            binary.flush()


def summary_line(report: Report, opts: RunOptions) -> str:
    """The one-line result printed on stderr after every report."""
    counts = report.status_counts()
    failing = report.open_failures(opts.fail_on)
    parts = [
        f"{len(report.findings)} findings",
        ", ".join(f"{n} {status}" for status, n in counts.items()),
        f"{len(failing)} unwaived FAIL at or above {opts.fail_on.label}",
    ]
    if report.waived_failures():
        parts.append(f"{len(report.waived_failures())} waived")
    if report.review.baseline_source is not None:
        parts.append(
            f"{len(report.new_failures(opts.fail_on))} new, "
            f"{len(report.review.fixed)} fixed since the baseline"
        )
    parts.append(f"{len(report.gaps)} gap(s)" + ("" if report.complete else " - INCOMPLETE"))
    return "hipaa-scan: " + "; ".join(parts)


def exit_code(report: Report, fail_on: Severity, strict: bool, *, new_only: bool = False) -> int:
    """The exit code: 0 clean, 1 failures, 3 incomplete with `--strict`.

    Failures are unwaived FAILs at or above `fail_on`; with `new_only`, only those the
    baseline did not have.
    """
    if strict and not report.complete:
        return EXIT_INCOMPLETE
    failing = report.new_failures(fail_on) if new_only else report.open_failures(fail_on)
    return EXIT_FAILURES if failing else EXIT_OK
