"""The `hipaa-scan` command line: the composition root of the tool.

It is the only core package that imports `rules` and `providers`. It holds no business
logic: flags become options objects (each provider validates its own), the engine makes
the report, formatters render it, and every command returns the documented exit code to
`main`, which alone ends the process.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from collections.abc import Sequence

import click

from providers import provider_names
from scanner import __version__
from scanner.cli.commands import STATIC_COMMANDS, scan_command
from scanner.cli.malloc import limit_malloc_arenas
from scanner.cli.report import EXIT_OK, EXIT_USAGE, stderr
from scanner.cli.signals import Interrupted, exit_now, handling_signals
from scanner.errors import ScanError
from scanner.output.common import printable
from scanner.redact import RedactingFilter, redact_text

EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143


class _Commands(click.Group):
    """The fixed commands plus one scan command per registered provider, built on use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [*provider_names(), *sorted(STATIC_COMMANDS)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in STATIC_COMMANDS:
            return STATIC_COMMANDS[cmd_name]
        if cmd_name in provider_names():
            return scan_command(cmd_name)
        return None


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="hipaa-scan")
@click.option("--debug", is_flag=True, help="Log API faults and internals on stderr.")
def cli(debug: bool) -> None:
    """Check live cloud configuration against the HIPAA Security Rule."""
    logging.basicConfig(
        level=logging.DEBUG if debug else logging.WARNING,
        format="hipaa-scan: %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    # Every SDK logger propagates to the root handlers: one filter there redacts tokens,
    # signatures and keys from botocore's wire log and any other cloud SDK's.
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())
    if not debug:
        # botocore logs credential lookups at INFO; keep stderr for our own lines.
        logging.getLogger("botocore").setLevel(logging.WARNING)


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the `hipaa-scan` console script."""
    _tolerant_stdio()
    limit_malloc_arenas()
    with handling_signals():
        code = _run(argv)
    sys.exit(code)


def _tolerant_stdio() -> None:
    # A terminal or pipe that cannot encode a character (LANG=C, a latin-1 console) gets
    # a replacement character, never a lost report.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="replace")


def _run(argv: Sequence[str] | None) -> int:
    try:
        result = cli.main(
            args=list(argv) if argv is not None else None,
            prog_name="hipaa-scan",
            standalone_mode=False,
        )
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.exceptions.Abort:
        stderr("hipaa-scan: aborted")
        return EXIT_INTERRUPTED
    except click.ClickException as exc:
        exc.show()
        return EXIT_USAGE
    except ScanError as exc:
        stderr(f"hipaa-scan: error: {printable(redact_text(str(exc)))}")
        return EXIT_USAGE
    except Interrupted as exc:
        exit_now(exc.code, f"hipaa-scan: interrupted ({exc}); nothing more was written")
    except KeyboardInterrupt:
        exit_now(EXIT_INTERRUPTED, "hipaa-scan: interrupted; nothing more was written")
    except RecursionError:
        stderr("hipaa-scan: error: an input is nested too deeply to read")
        return EXIT_USAGE
    except Exception as exc:  # a bug of ours: one clear line unless the user asks for more
        if os.environ.get("HIPAA_SCAN_DEBUG"):
            raise
        detail = printable(redact_text(str(exc)))
        stderr(
            f"hipaa-scan: internal error: {type(exc).__name__}: {detail} "
            "(set HIPAA_SCAN_DEBUG=1 for the traceback, and please report it)"
        )
        return EXIT_USAGE
    return result if isinstance(result, int) else EXIT_OK
