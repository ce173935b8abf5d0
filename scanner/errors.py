"""The one error hierarchy of hipaa-scan.

Every error here is *expected*: the CLI turns it into a one-line message and exit code 2.
Cloud faults during collection are not errors at all: providers record them as gaps.
"""

from __future__ import annotations


class ScanError(Exception):
    """Base of every error the CLI reports as a clear message with exit code 2."""


class UsageError(ScanError):
    """An invalid flag value or flag combination."""


class InputFileError(ScanError):
    """A file given on the command line is missing, unreadable or malformed."""


class SnapshotError(InputFileError):
    """A snapshot file does not match the snapshot schema or version."""


class CollectionError(ScanError):
    """A fatal collection problem, e.g. no usable credentials; partial faults are gaps."""


class OutputError(ScanError):
    """A report could not be written (stdout closed, disk full)."""
