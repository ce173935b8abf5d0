"""SARIF 2.1.0 for GitHub code scanning (see `notes/sarif-github.md` sections 1, 3 and 4).

Choices, and why:

* One run per scanned (provider, account), even one without failures: an upload is a
  complete statement of the open alerts of its category, so an empty `results` closes
  fixed alerts. `automationDetails.id` is ``hipaa-scan/<provider>/<account>/<finished_at>``:
  GitHub's category is everything before the last ``/``, so it stays stable per account.
* Findings are not about files, so each result gets a synthetic, scheme-less, relative
  path ``hipaa-scan/<provider>/<account>/<region|global>/<service>/<type>/<name>`` (each
  segment percent-encoded, keeping only ``A-Za-z0-9-._~``; Azure paths lower-cased because
  Azure ids are case-insensitive). A raw ARN would be read as a URI with scheme ``arn`` and
  GitHub rejects the whole upload. The real id goes in `logicalLocations`.
* `partialFingerprints.primaryLocationLineHash` is the first 16 hex digits of the finding's
  fingerprint (sha256 of rule id NUL resource uid) plus ``:1``, so alerts keep their
  identity (and their dismissals) across scans; nothing volatile goes into it.
* Only unwaived FAIL findings are results: GitHub ignores SARIF suppressions and would
  show a waived finding as an open alert.
* Severity: critical 9.5, high 8.0, medium 5.5, low 2.0 (away from the CVSS boundaries).
  GitHub has no "info" security level (0.5 would show as Low), so an info rule carries no
  `security-severity` and no ``security`` tag: it is a non-security rule with
  ``problem.severity: recommendation`` and level ``note``.
* A run whose account had gaps or rule errors says so: `invocations[0].executionSuccessful`
  is false with one notification per gap or error, and `properties.complete` is false.
  Gaps recorded without an account (e.g. listing an organisation) apply to every run of
  their provider.
* No tag values, `--phi-tag` values or credentials are ever written: GitHub stores the file.
* GitHub's limits are enforced, never met by silent truncation: a log of more than 20 runs
  is split into parts of at most 20 runs (each part one upload; `iter_parts`), a part that
  gzips past 10 MB (at zlib's default level, as GitHub's upload actions compress) is halved
  until each half fits, and a run of more than 25,000 results (or one run alone past the
  size limit) is refused with a message saying how to narrow the scan.
"""

from __future__ import annotations

import functools
import re
import zlib
from collections import defaultdict, deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from scanner import INFORMATION_URI, TOOL_NAME
from scanner.errors import ScanError
from scanner.model import Finding, Gap, ResourceRef, Severity, Status
from scanner.output.common import citation_text, finding_order, params_text, sorted_findings
from scanner.output.jsonenc import dumps_indented, has_float
from scanner.report import Report
from scanner.rule import RuleMeta

SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
FINGERPRINT_KEY = "hipaaScan/v1"
DEFAULT_HELP_BASE = f"{INFORMATION_URI}/blob/main/docs/rules.md"

LEVELS = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}
SECURITY_SEVERITY = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "2.0",
}
MAX_TAGS = 10
MAX_TEXT = 1024
MAX_NAME = 255
# GitHub code scanning's upload limits (notes/sarif-github.md section 1.5).
MAX_RUNS_PER_FILE = 20
MAX_RESULTS_PER_RUN = 25_000
MAX_GZIP_BYTES = 10 * 1024 * 1024
_RUNS_KEY = '\n  "runs": []'
_CLOSE_RUN = "\n    }"
# A part whose level-1 gzip size is within this share of the limit fits at level 6 too.
_FAST_SHARE = 0.8
_SMALL_PIECE = 64
_GZIP_LEVEL = 6
_UNRESERVED = re.compile(r"[A-Za-z0-9._~-]+")
_COMPRESSORS = 2
_GCP_API_SUFFIX = ".googleapis.com"


class SarifLimitError(ScanError):
    """The SARIF would break a GitHub limit that splitting files cannot fix."""


class SarifFormatter:
    """Renders a `Report` as SARIF 2.1.0 logs that GitHub code scanning accepts."""

    def __init__(
        self,
        *,
        help_uri_base: str = DEFAULT_HELP_BASE,
        category: str = TOOL_NAME,
        max_runs: int = MAX_RUNS_PER_FILE,
        max_gzip_bytes: int = MAX_GZIP_BYTES,
        max_results: int = MAX_RESULTS_PER_RUN,
    ) -> None:
        """Options; every one has a default.

        `help_uri_base` is the rule documentation page (``#<rule id>`` is appended);
        `category` replaces ``hipaa-scan`` at the head of every run's category (so a
        filtered scan does not close the alerts of a full one); the limits are GitHub's.
        """
        self.help_uri_base = help_uri_base
        self.category = category
        self.max_runs = max_runs
        self.max_gzip_bytes = max_gzip_bytes
        self.max_results = max_results

    def render(self, report: Report) -> str:
        """The SARIF log as one text; a `SarifLimitError` when it needs several files."""
        parts = self.iter_parts(report)
        first = next(parts)
        if next(parts, None) is not None:
            raise SarifLimitError(
                f"the SARIF has more than {self.max_runs} runs (one per account) or is larger "
                "than GitHub accepts in one upload: write it to a file with -o, and it is "
                "split into parts of at most 20 runs each"
            )
        return first

    def render_parts(self, report: Report) -> list[str]:
        """The SARIF as one or more logs, each within GitHub's per-upload limits."""
        return list(self.iter_parts(report))

    def iter_parts(self, report: Report) -> Iterator[str]:
        """The SARIF's parts, each a log within GitHub's per-upload limits, as they are made.

        Runs are built and encoded a part (`max_runs` accounts) at a time, so the log is
        never in memory whole. A part's size is measured on a worker thread while the next
        part is encoded (zlib lets go of the interpreter lock). A part past the size limit
        is halved until each half fits; a single run past it is refused.
        """
        groups = _Groups(report)
        keys = run_keys(report)
        self._check_result_counts(groups, keys)
        head, tail = _frame(self._log_frame())
        encoder = _RunEncoder(
            report,
            groups,
            self.help_uri_base,
            self.category,
            exact=any(has_float(f.evidence) for f in report.open_failures()),
        )
        step = max(1, self.max_runs)
        with ThreadPoolExecutor(max_workers=_COMPRESSORS) as pool:
            pending: deque[tuple[list[_RunText], Future[bool]]] = deque()
            for start in range(0, len(keys), step) if keys else [0]:
                texts = [encoder.text(key) for key in keys[start : start + step]]
                pending.append((texts, pool.submit(self._fits, [head, *_pieces(texts), tail])))
                if len(pending) == _COMPRESSORS:
                    yield from self._settle(*pending.popleft(), head, tail)
            while pending:
                yield from self._settle(*pending.popleft(), head, tail)

    def _check_result_counts(self, groups: _Groups, keys: list[tuple[str, str]]) -> None:
        # Before any part is made: a refused run must not leave half the parts written.
        for provider, account in keys:
            count = len(groups.failures.get((provider, account), ()))
            if count > self.max_results:
                raise SarifLimitError(
                    f"{self.category}/{provider}/{_segment(account)} has {count} failing "
                    f"results; GitHub accepts at most {self.max_results} per run: narrow the "
                    "scan (--region, --concern, --severity) and give each narrowed scan its "
                    "own --sarif-category"
                )

    @staticmethod
    def _log_frame() -> dict[str, Any]:
        return {"$schema": SARIF_SCHEMA_URI, "version": SARIF_VERSION, "runs": []}

    def _settle(
        self, texts: list[_RunText], fits: Future[bool], head: str, tail: str
    ) -> Iterator[str]:
        """The part of `texts` if it fits, else its halves (recursively), in order."""
        if fits.result():
            yield "".join([head, *_pieces(texts), tail])
            return
        if len(texts) == 1:
            size = _deflated_size([head, *_pieces(texts), tail], _GZIP_LEVEL)
            raise SarifLimitError(
                f"one account's SARIF run is {size} bytes gzip-compressed; GitHub "
                f"accepts {self.max_gzip_bytes}: narrow the scan (--region, --concern, "
                "--severity) and give each narrowed scan its own --sarif-category"
            )
        middle = len(texts) // 2
        for half in (texts[:middle], texts[middle:]):
            done: Future[bool] = Future()
            done.set_result(self._fits([head, *_pieces(half), tail]))
            yield from self._settle(half, done, head, tail)

    def _fits(self, pieces: list[str]) -> bool:
        """Whether a part (given as pieces) gzips to at most `max_gzip_bytes`.

        GitHub's upload actions compress at level 6, zlib's default, and that exact size
        decides near the limit. Far from it, two cheaper measures decide first:

        * a part whose raw size fits under the limit needs no compressing: deflate adds at
          most 5 bytes per 16 KiB stored block, gzip 18 bytes of framing (`len` counts
          characters, a non-ASCII one is several bytes, hence the `isascii`);
        * each piece compressed on its own at level 1, the runs' shared `tool` text once:
          an overestimate (level 1 never compresses JSON better than level 6, and a piece
          compressed alone has no history to match against), accepted within 80 % of the
          limit. It costs about a third of compressing the whole part at level 6.
        """
        raw = sum(len(p) for p in pieces)
        stored = raw + 5 * (raw // 16_384 + 1) + 18
        if stored <= self.max_gzip_bytes and all(p.isascii() for p in pieces):
            return True
        if _estimated_size(pieces) <= self.max_gzip_bytes * _FAST_SHARE:
            return True
        return _deflated_size(pieces, _GZIP_LEVEL) <= self.max_gzip_bytes


# How much of a file's start and end `written_by_hipaa_scan` needs: the log's frame fits
# in the first, the last rule descriptor (its texts clipped to `MAX_TEXT` characters, each
# at most six bytes escaped) in the second.
SNIFF_HEAD_BYTES = 512
SNIFF_TAIL_BYTES = 16 * 1024


def written_by_hipaa_scan(head: bytes, tail: bytes) -> bool:
    """Whether a file starting with `head` and ending with `tail` is a SARIF part we wrote.

    Only a part with runs qualifies (a second or later part always has some): it starts
    with the log frame hipaa-scan writes, byte for byte, then a run; it ends with the
    frame's close; and its last rule descriptor's ``helpUri`` points into hipaa-scan's
    rule documentation (the driver's name sits in the middle of the file, too far to
    read cheaply). Another tool's SARIF, or a file merely named like a part, is not ours.
    """
    start, end = _frame(SarifFormatter._log_frame())
    return (
        head.startswith(f'{start}\n    {{\n      "automationDetails": '.encode())
        and tail.endswith(f"\n  ]{end}".encode())
        and f'"helpUri": "{DEFAULT_HELP_BASE}#'.encode() in tail
    )


def _deflated_size(pieces: list[str], level: int) -> int:
    """The gzip size of the pieces' UTF-8 text at `level`."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, 31)
    size = 0
    for piece in pieces:
        size += len(compressor.compress(piece.encode()))
    return size + len(compressor.flush())


class _Shared(str):
    """A piece of text repeated in many runs (their `tool`): its compressed size is kept."""

    __slots__ = ("fast_size",)

    fast_size: int


def _estimated_size(pieces: list[str]) -> int:
    """An overestimate of the pieces' gzip size: each piece compressed alone at level 1."""
    # Gzip's header and trailer, and the empty final block: 20 bytes for no text at all.
    total = 20
    for piece in pieces:
        if len(piece) < _SMALL_PIECE:
            # Separators: a literal costs at most 15 bits in a dynamic Huffman block.
            total += 2 * len(piece.encode())
        elif isinstance(piece, _Shared):
            if not hasattr(piece, "fast_size"):
                piece.fast_size = _deflated_size([piece], 1)
            total += piece.fast_size
        else:
            total += _deflated_size([piece], 1)
    return total


_RunText = tuple[str, _Shared]


def _pieces(chunk: list[_RunText]) -> list[str]:
    """A part's runs (each a body and its shared tool text) with the separators between."""
    if not chunk:
        return ["]"]
    pieces = ["\n"]
    for index, (body, tool) in enumerate(chunk):
        if index:
            pieces.append(",\n")
        pieces += [body, tool]
    pieces.append("\n  ]")
    return pieces


def _frame(log: dict[str, Any]) -> tuple[str, str]:
    """The log's text before and after its runs (what `_text` would write around them)."""
    text = _text({**log, "runs": []})
    head, found, tail = text.partition(_RUNS_KEY)
    if not found:
        raise AssertionError("the SARIF log has no runs key")
    return head + _RUNS_KEY[:-1], tail


def _nested(run_text: str) -> str:
    # A run sits two levels deep in the log: each of its lines is indented by four spaces.
    return "    " + run_text.replace("\n", "\n    ")


def _text(log: dict[str, Any]) -> str:
    return dumps_indented(log) + "\n"


def sarif_log(
    report: Report, *, help_uri_base: str = DEFAULT_HELP_BASE, category: str = TOOL_NAME
) -> dict[str, Any]:
    """The SARIF log object: one run per (provider, account) of the report."""
    groups = _Groups(report)
    return {
        "$schema": SARIF_SCHEMA_URI,
        "version": SARIF_VERSION,
        "runs": [
            _run(report, groups, provider, account, help_uri_base, category)
            for provider, account in run_keys(report)
        ],
    }


@dataclass
class _RunRules:
    """The rules of the runs that share them, their positions, and their `tool` once built."""

    metas: tuple[RuleMeta, ...]
    index: dict[str, int]
    tool: dict[str, Any] | None = None


class _Groups:
    """Failures, rule errors, gaps and regions per (provider, account), gathered once.

    An organisation scan has one run per account: filtering every finding again for each
    run would be O(accounts x findings).
    """

    def __init__(self, report: Report) -> None:
        self.rules = sorted(report.rules, key=lambda m: m.id)
        self.failures: dict[tuple[str, str], list[Finding]] = defaultdict(list)
        for f in report.open_failures():
            self.failures[(f.resource.provider, f.resource.account)].append(f)
        self.errors: dict[tuple[str, str], list[Finding]] = defaultdict(list)
        for f in report.findings:
            if f.status is Status.ERROR:
                self.errors[(f.resource.provider, f.resource.account)].append(f)
        self.gaps: dict[tuple[str, str], list[Gap]] = defaultdict(list)
        for g in report.gaps:
            self.gaps[(g.provider, g.account)].append(g)
        self.regions: dict[tuple[str, str], set[str]] = defaultdict(set)
        for scope in report.scopes:
            for account in scope.accounts:
                self.regions[(scope.provider, account)].update(scope.regions)
        self._descriptors: dict[tuple[str, str], dict[str, Any]] = {}
        self.providers_of = {meta.id: meta.providers for meta in self.rules}
        self._run_rules_cache: dict[tuple[str, tuple[str, ...]], _RunRules] = {}
        self._rules_of_run: dict[tuple[str, str], _RunRules] = {}

    def _run_rules(self, provider: str, account: str) -> _RunRules:
        """The run's rules (every rule of its provider, and any other one it refers to)."""
        # Asked twice per run (its rule index, its tool): worked out once.
        known = self._rules_of_run.get((provider, account))
        if known is not None:
            return known
        known = self._rules_of_run[(provider, account)] = self._shared_rules(provider, account)
        return known

    def _shared_rules(self, provider: str, account: str) -> _RunRules:
        referenced = {f.rule_id for f in self.failures.get((provider, account), [])}
        extras = tuple(
            sorted(r for r in referenced if provider not in self.providers_of.get(r, ()))
        )
        # Nearly every run of a provider has the same rules: their index and `tool` are
        # worked out once per (provider, extra rules), not once per account.
        found = self._run_rules_cache.get((provider, extras))
        if found is None:
            metas = tuple(
                meta for meta in self.rules if provider in meta.providers or meta.id in extras
            )
            found = self._run_rules_cache[(provider, extras)] = _RunRules(
                metas, {meta.id: i for i, meta in enumerate(metas)}
            )
        return found

    def rule_index(self, provider: str, account: str) -> dict[str, int]:
        """Each of the run's rules' position in its `tool.driver.rules`."""
        return self._run_rules(provider, account).index

    def tool(
        self, report: Report, provider: str, account: str, help_uri_base: str
    ) -> dict[str, Any]:
        """The run's `tool`, one object shared by every run with the same rules."""
        rules = self._run_rules(provider, account)
        found = rules.tool
        if found is None:
            found = rules.tool = {
                "driver": {
                    "name": TOOL_NAME,
                    "semanticVersion": report.tool_version,
                    "informationUri": INFORMATION_URI,
                    "rules": [
                        self.descriptor(meta, provider, help_uri_base) for meta in rules.metas
                    ],
                }
            }
        return found

    def descriptor(self, meta: RuleMeta, provider: str, help_uri_base: str) -> dict[str, Any]:
        """`rule_descriptor`, built once per (rule, provider) and shared by every run."""
        key = (meta.id, provider)
        found = self._descriptors.get(key)
        if found is None:
            found = self._descriptors[key] = rule_descriptor(meta, provider, help_uri_base)
        return found


def run_keys(report: Report) -> list[tuple[str, str]]:
    """Every (provider, account) scanned, failing or not, in sorted order.

    Accounts named only by a failure or a gap are included too, so nothing is dropped
    when a provider records an account outside its declared scope.
    """
    keys = {(scope.provider, account) for scope in report.scopes for account in scope.accounts}
    keys.update((f.resource.provider, f.resource.account) for f in report.open_failures())
    keys.update((g.provider, g.account) for g in report.gaps if g.account)
    return sorted(keys)


def automation_id(provider: str, account: str, finished_at: str, category: str = TOOL_NAME) -> str:
    """``hipaa-scan/<provider>/<account>/<finished_at>``: category, then run id."""
    return f"{category}/{provider}/{_segment(account)}/{finished_at}"


def _run(
    report: Report, groups: _Groups, provider: str, account: str, help_uri_base: str, category: str
) -> dict[str, Any]:
    run = _run_body(report, groups, provider, account, category)
    run["tool"] = groups.tool(report, provider, account, help_uri_base)
    return run


def _run_body(
    report: Report, groups: _Groups, provider: str, account: str, category: str
) -> dict[str, Any]:
    """A run without its `tool` (which many runs share; see `_RunEncoder`)."""
    key = (provider, account)
    failures = groups.failures.get(key, [])
    index = groups.rule_index(provider, account)
    # Gaps recorded without an account (listing an organisation) belong to every run.
    shared = groups.gaps.get((provider, ""), []) if account else []
    gaps = sorted([*groups.gaps.get(key, []), *shared], key=Gap.sort_key)
    errors = sorted_findings(groups.errors.get(key, []))
    complete = not gaps and not errors
    regions = sorted(groups.regions.get(key, ()))
    return {
        "automationDetails": {"id": automation_id(provider, account, report.finished_at, category)},
        "invocations": [
            {
                "executionSuccessful": complete,
                "toolExecutionNotifications": [
                    *(_gap_notification(g) for g in gaps),
                    *(_error_notification(f, index) for f in errors),
                ],
            }
        ],
        "results": _results(failures, index),
        "properties": {
            "provider": provider,
            "account": account,
            "regions": regions,
            "complete": complete,
            "gaps": len(gaps),
            "ruleErrors": len(errors),
            "startedAt": report.started_at,
            "finishedAt": report.finished_at,
        },
    }


class _RunEncoder:
    """Each run's text, as it sits in a part, with its `tool` encoded once.

    Every account of a provider has the same rules, so the runs share one `tool`: about
    70 % of a run's text for a large estate.
    """

    # `tool` sorts last among a run's keys, so its text goes just before the closing brace.
    _TOOL_KEY = ',\n      "tool": '

    def __init__(
        self, report: Report, groups: _Groups, help_uri_base: str, category: str, *, exact: bool
    ) -> None:
        self.report = report
        self.groups = groups
        self.help_uri_base = help_uri_base
        self.category = category
        self.exact = exact
        self._tools: dict[int, _Shared] = {}

    def text(self, key: tuple[str, str]) -> _RunText:
        """The run of (provider, account) as `_nested(dumps_indented(run))` would write it.

        Two pieces: its own text, then its `tool` and closing brace (one text shared by
        every run with the same rules).
        """
        provider, account = key
        body = _run_body(self.report, self.groups, provider, account, self.category)
        tool = self.groups.tool(self.report, provider, account, self.help_uri_base)
        tool_text = self._tools.get(id(tool))
        if tool_text is None:
            # Three levels deep: the log, its runs array, the run.
            nested = dumps_indented(tool).replace("\n", "\n      ")
            tool_text = self._tools[id(tool)] = _Shared(f"{self._TOOL_KEY}{nested}{_CLOSE_RUN}")
        body_text = _nested(dumps_indented(body, floats=self.exact))
        return body_text.removesuffix(_CLOSE_RUN), tool_text


def rule_descriptor(meta: RuleMeta, provider: str, help_uri_base: str) -> dict[str, Any]:
    """The `reportingDescriptor` of a rule, with help and remediation for `provider`."""
    properties: dict[str, Any] = {
        "tags": rule_tags(meta, provider),
        "precision": meta.precision,
        "hipaa": [c.cfr for c in meta.citations],
    }
    if meta.severity in SECURITY_SEVERITY:
        properties["security-severity"] = SECURITY_SEVERITY[meta.severity]
    else:
        properties["problem.severity"] = "recommendation"
    return {
        "id": meta.id,
        "name": _clip(meta.name, MAX_NAME),
        "shortDescription": {"text": _clip(meta.title, MAX_TEXT)},
        "fullDescription": {"text": _clip(meta.description, MAX_TEXT)},
        "help": {"text": help_text(meta, provider), "markdown": help_markdown(meta, provider)},
        "helpUri": f"{help_uri_base}#{meta.id.lower()}",
        "defaultConfiguration": {"level": LEVELS[meta.severity]},
        "properties": properties,
    }


def rule_tags(meta: RuleMeta, provider: str) -> list[str]:
    """At most 10 tags: security (unless info), hipaa, concern, provider, citations."""
    tags = ["security"] if meta.severity in SECURITY_SEVERITY else []
    tags += ["hipaa", meta.concern.value, provider]
    tags += [f"external/hipaa/{c.section}" for c in meta.citations]
    return list(dict.fromkeys(tags))[:MAX_TAGS]


def help_text(meta: RuleMeta, provider: str) -> str:
    """Plain-text help: description, HIPAA citations, remediation for `provider`."""
    lines = [meta.description, "", "HIPAA Security Rule:"]
    lines += [f"- {citation_text(c)}" for c in meta.citations]
    fix = meta.remediation.get(provider)
    lines += ["", f"Remediation ({provider}):"]
    if fix is None:
        lines.append(f"No {provider} remediation is recorded for this rule.")
    else:
        lines.append(f"Console: {fix.console}")
        if fix.cli:
            lines += ["CLI:", fix.cli]
        if fix.terraform:
            lines += ["Terraform:", fix.terraform]
        if fix.docs_url:
            lines.append(f"Documentation: {fix.docs_url}")
    if meta.params:
        lines += ["", f"Parameters: {params_text(meta.params)}"]
    return "\n".join(lines)


def help_markdown(meta: RuleMeta, provider: str) -> str:
    """Markdown help: description, HIPAA citations, remediation for `provider`."""
    lines = [f"**{meta.title}**", "", meta.description, "", "**HIPAA Security Rule**", ""]
    lines += [f"- {citation_text(c)}" for c in meta.citations]
    fix = meta.remediation.get(provider)
    lines += ["", f"**Remediation ({provider})**", ""]
    if fix is None:
        lines.append(f"No {provider} remediation is recorded for this rule.")
    else:
        lines += [f"Console: {fix.console}"]
        if fix.cli:
            lines += ["", "CLI:", "", "```sh", fix.cli, "```"]
        if fix.terraform:
            lines += ["", "Terraform:", "", "```hcl", fix.terraform, "```"]
        if fix.docs_url:
            lines += ["", f"Documentation: <{fix.docs_url}>"]
    if meta.params:
        lines += ["", f"Parameters: `{params_text(meta.params)}`"]
    return "\n".join(lines)


def artifact_uri(ref: ResourceRef) -> str:
    """The synthetic repository-relative path of a resource (see the module docstring)."""
    name = ref.name or ref.uid
    if ref.provider == "azure":
        name = name.lower()
    prefix = _uri_prefix(ref.provider, ref.account, ref.region, ref.native_type, ref.kind)
    return f"{prefix}/{_segment(name)}"


@functools.lru_cache(maxsize=65_536)
def _uri_prefix(provider: str, account: str, region: str, native_type: str, kind: str) -> str:
    # Everything but the name repeats across an account's resources: encoded once. (An
    # organization has tens of thousands of (account, region, type) triples.)
    service, type_ = service_and_type(native_type, kind)
    parts = [TOOL_NAME, provider, account, region or "global", service, type_]
    if provider == "azure":
        parts = [part.lower() for part in parts]
    return "/".join(_segment(part) for part in parts)


def service_and_type(native_type: str, kind: str) -> tuple[str, str]:
    """Lower-case (service, type) of a native type.

    ``AWS::S3::Bucket`` -> (s3, bucket); ``storage.googleapis.com/Bucket`` -> (storage,
    bucket); ``Microsoft.Storage/storageAccounts`` -> (microsoft.storage, storageaccounts).
    Anything else falls back to the normalised kind (``storage.bucket``).
    """
    if native_type.count("::") >= 2:
        _, service, type_ = native_type.split("::", 2)
        return service.lower(), type_.lower()
    if "/" in native_type:
        namespace, type_ = native_type.split("/", 1)
        return namespace.removesuffix(_GCP_API_SUFFIX).lower(), type_.lower()
    if "." in kind:
        service, type_ = kind.split(".", 1)
        return service, type_
    return "resource", (native_type or kind or "resource").lower()


def primary_location_line_hash(fingerprint: str) -> str:
    """GitHub's dedupe key, in the shape its upload action uses: ``<16 hex>:1``."""
    return f"{fingerprint[:16]}:1"


def _segment(text: str) -> str:
    # quote() with safe="" keeps exactly the RFC 3986 unreserved set A-Za-z0-9-._~; a
    # segment made only of those (most are) is its own encoding, and quote() is slow.
    encoded = text if _UNRESERVED.fullmatch(text) else quote(text, safe="")
    if not encoded:
        return "_"
    if set(encoded) == {"."}:
        # "." and ".." segments would be read as path navigation.
        return encoded.replace(".", "%2E")
    return encoded


def _results(failures: list[Finding], index: dict[str, int]) -> list[dict[str, Any]]:
    # A resource failing several rules has one path: worked out once per resource.
    uris: dict[str, str] = {}
    results = []
    for finding in sorted(failures, key=finding_order):
        uri = uris.get(finding.resource.uid)
        if uri is None:
            uri = uris[finding.resource.uid] = artifact_uri(finding.resource)
        results.append(_result(finding, index, uri))
    return results


def _result(finding: Finding, index: dict[str, int], uri: str) -> dict[str, Any]:
    ref = finding.resource
    result = {
        "ruleId": finding.rule_id,
        "ruleIndex": index[finding.rule_id],
        "level": LEVELS[finding.severity],
        "message": {"text": result_message(finding)},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": uri},
                    "region": {"startLine": 1},
                },
                "logicalLocations": [
                    {
                        "name": ref.name or ref.uid,
                        "fullyQualifiedName": ref.uid,
                        "kind": "resource",
                    }
                ],
            }
        ],
        "partialFingerprints": {
            "primaryLocationLineHash": primary_location_line_hash(finding.fingerprint),
            FINGERPRINT_KEY: finding.fingerprint,
        },
        "properties": {
            "resourceUid": ref.uid,
            "account": ref.account,
            "region": ref.region or "global",
            "hipaa": _cfr(finding.hipaa),
            "evidence": dict(finding.evidence),
        },
    }
    if finding.baseline_state:
        # SARIF's own vocabulary ("new", "unchanged"); present only under --baseline.
        result["baselineState"] = finding.baseline_state
    return result


@functools.lru_cache(maxsize=1024)
def _cfr_cached(sections: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(f"45 CFR {section}" for section in sections)


def _cfr(sections: tuple[str, ...]) -> list[str]:
    # A rule's citations are the same tuple on each of its findings: worded once per rule.
    return list(_cfr_cached(sections))


def result_message(finding: Finding) -> str:
    """The alert title: its first sentence names the resource and the account."""
    ref = finding.resource
    where = f"{ref.name or ref.uid} ({ref.native_type or ref.kind}) in account {ref.account}"
    return f"{where} ({ref.region or 'global'}): {finding.message}"


def _gap_notification(gap: Gap) -> dict[str, Any]:
    properties: dict[str, Any] = {"region": gap.region}
    if gap.resource_uid:
        properties["resourceUid"] = gap.resource_uid
    return {
        "level": "warning",
        "message": {"text": f"{gap.service}:{gap.operation} {gap.error_code}: {gap.message}"},
        "properties": properties,
    }


def _error_notification(finding: Finding, index: dict[str, int]) -> dict[str, Any]:
    notification: dict[str, Any] = {
        "level": "error",
        "message": {"text": f"{finding.rule_id} on {finding.resource.uid}: {finding.message}"},
        "associatedRule": {"id": finding.rule_id},
    }
    if finding.rule_id in index:
        notification["associatedRule"]["index"] = index[finding.rule_id]
    return notification


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."
