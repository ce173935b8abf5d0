"""A reusable checker for SARIF logs: the OASIS schema plus GitHub code scanning's profile.

The schema says what SARIF 2.1.0 allows; GitHub rejects more than the schema does (a
result without a location, an ARN as artifact URI, a non-numeric security-severity...).
`check_github` encodes the profile listed at the end of section 3 of
`notes/sarif-github.md`; `validate_schema` validates against the vendored OASIS schema
(`tests/data/sarif-2.1.0.json`, draft-04) with every format checked.
"""

from __future__ import annotations

import functools
import gzip
import json
import math
import re
from pathlib import Path
from typing import Any

import jsonschema
import rfc3986_validator

SCHEMA_PATH = Path(__file__).parent / "data" / "sarif-2.1.0.json"
MAX_RUNS = 20
MAX_RESULTS = 25_000
MAX_RULES = 25_000
MAX_TEXT = 1024
MAX_NAME = 255
MAX_TAGS = 10
MAX_GZIP_BYTES = 10 * 1024 * 1024
PRECISIONS = frozenset({"very-high", "high", "medium", "low"})

# rfc3986-validator's validate_rfc3986() only offers the rules "URI" and "URI_reference";
# its RELATIVE_REF_RE is the RFC 3986 relative-ref production, which is what GitHub needs:
# a URI-reference that has no scheme.
_RELATIVE_REF = re.compile(rf"^{rfc3986_validator.RELATIVE_REF_RE}$", re.VERBOSE)


@functools.cache
def _validator() -> jsonschema.Draft4Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())


def validate_schema(sarif: dict[str, Any]) -> list[str]:
    """Every violation of the SARIF 2.1.0 schema, as ``<path>: <message>``."""
    errors = sorted(_validator().iter_errors(sarif), key=lambda e: list(e.absolute_path))
    return [f"{_path(e.absolute_path)}: {e.message}" for e in errors]


def check_github(sarif: dict[str, Any], *, max_gzip_bytes: int = MAX_GZIP_BYTES) -> list[str]:
    """Every violation of GitHub code scanning's SARIF profile, as ``<path>: <problem>``.

    `max_gzip_bytes` is GitHub's upload limit; tests lower it to stay fast.
    """
    problems: list[str] = []
    schema_uri = sarif.get("$schema")
    if not isinstance(schema_uri, str) or not schema_uri.endswith("sarif-2.1.0.json"):
        problems.append(f"$schema: must end with sarif-2.1.0.json, got {schema_uri!r}")
    if sarif.get("version") != "2.1.0":
        problems.append(f"version: must be '2.1.0', got {sarif.get('version')!r}")
    runs = sarif.get("runs")
    if not isinstance(runs, list) or not runs:
        problems.append("runs: must be a non-empty array")
        return problems
    if len(runs) > MAX_RUNS:
        problems.append(f"runs: {len(runs)} runs, GitHub accepts at most {MAX_RUNS}")
    identities: dict[tuple[Any, Any], int] = {}
    for i, run in enumerate(runs):
        where = f"runs[{i}]"
        if not isinstance(run, dict):
            problems.append(f"{where}: must be an object")
            continue
        identity = (_get(run, "tool", "driver", "name"), _get(run, "automationDetails", "id"))
        if identity in identities:
            problems.append(
                f"{where}: same (tool.driver.name, automationDetails.id) as "
                f"runs[{identities[identity]}]: {identity!r}"
            )
        identities.setdefault(identity, i)
        problems += _check_run(run, where)
    size = len(gzip.compress(json.dumps(sarif).encode("utf-8")))
    if size > max_gzip_bytes:
        problems.append(f"(file): {size} bytes gzip-compressed, limit {max_gzip_bytes}")
    return problems


def _check_run(run: dict[str, Any], where: str) -> list[str]:
    problems: list[str] = []
    if not _nonempty_str(_get(run, "tool", "driver", "name")):
        problems.append(f"{where}.tool.driver.name: must be a non-empty string")
    category_id = _get(run, "automationDetails", "id")
    if not isinstance(category_id, str) or "/" not in category_id:
        problems.append(
            f"{where}.automationDetails.id: must contain '/' so the category is "
            f"non-empty, got {category_id!r}"
        )
    rules = _get(run, "tool", "driver", "rules")
    if rules is None:
        rules = []
    if not isinstance(rules, list):
        problems.append(f"{where}.tool.driver.rules: must be an array")
        rules = []
    if len(rules) > MAX_RULES:
        problems.append(f"{where}.tool.driver.rules: {len(rules)} rules, limit {MAX_RULES}")
    rule_ids: list[Any] = []
    for j, rule in enumerate(rules):
        rule_where = f"{where}.tool.driver.rules[{j}]"
        if not isinstance(rule, dict):
            problems.append(f"{rule_where}: must be an object")
            rule_ids.append(None)
            continue
        if rule.get("id") in rule_ids:
            problems.append(f"{rule_where}.id: duplicate rule id {rule.get('id')!r}")
        rule_ids.append(rule.get("id"))
        problems += _check_rule(rule, rule_where)
    results = run.get("results")
    if not isinstance(results, list):
        problems.append(f"{where}.results: must be present as an array (even empty)")
        return problems
    if len(results) > MAX_RESULTS:
        problems.append(f"{where}.results: {len(results)} results, limit {MAX_RESULTS}")
    seen: dict[tuple[Any, Any, Any], int] = {}
    for k, result in enumerate(results):
        result_where = f"{where}.results[{k}]"
        if not isinstance(result, dict):
            problems.append(f"{result_where}: must be an object")
            continue
        problems += _check_result(result, rule_ids, result_where)
        key = (
            result.get("ruleId"),
            _first_uri(result),
            _get(result, "partialFingerprints", "primaryLocationLineHash"),
        )
        if key in seen:
            problems.append(
                f"{result_where}: duplicate (ruleId, uri, primaryLocationLineHash) "
                f"of results[{seen[key]}]"
            )
        seen.setdefault(key, k)
    return problems


def _check_rule(rule: dict[str, Any], where: str) -> list[str]:
    problems: list[str] = []
    for field in ("id", "shortDescription.text", "fullDescription.text", "help.text"):
        value = _get(rule, *field.split("."))
        if not _nonempty_str(value):
            problems.append(f"{where}.{field}: required, must be a non-empty string")
        elif field != "help.text" and len(value) > MAX_TEXT:
            problems.append(f"{where}.{field}: {len(value)} characters, limit {MAX_TEXT}")
    name = rule.get("name")
    if name is not None and (not isinstance(name, str) or len(name) > MAX_NAME):
        problems.append(f"{where}.name: must be a string of at most {MAX_NAME} characters")
    properties = rule.get("properties") or {}
    tags = properties.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        problems.append(f"{where}.properties.tags: must be an array of strings")
        tags = []
    elif len(tags) > MAX_TAGS:
        problems.append(f"{where}.properties.tags: {len(tags)} tags, GitHub keeps {MAX_TAGS}")
    if "security-severity" in properties:
        problems += _check_security_severity(properties["security-severity"], tags, where)
    precision = properties.get("precision")
    if precision is not None and precision not in PRECISIONS:
        problems.append(
            f"{where}.properties.precision: {precision!r} not one of {sorted(PRECISIONS)}"
        )
    return problems


def _check_security_severity(value: Any, tags: list[str], where: str) -> list[str]:
    field = f"{where}.properties.security-severity"
    if not isinstance(value, str):
        return [f"{field}: must be a string holding a number, got {type(value).__name__}"]
    try:
        number = float(value)
    except ValueError:
        return [f"{field}: {value!r} is not a number"]
    problems = []
    if not math.isfinite(number) or not 0.0 < number <= 10.0:
        problems.append(f"{field}: {value!r} must be in (0, 10]")
    if "security" not in tags:
        problems.append(
            f"{where}.properties.tags: must contain 'security' when security-severity is set"
        )
    return problems


def _check_result(result: dict[str, Any], rule_ids: list[Any], where: str) -> list[str]:
    problems: list[str] = []
    rule_id = result.get("ruleId")
    if rule_id not in rule_ids or rule_id is None:
        problems.append(f"{where}.ruleId: {rule_id!r} does not resolve to a rule of the run")
    index = result.get("ruleIndex")
    if index is not None and (
        not isinstance(index, int) or not 0 <= index < len(rule_ids) or rule_ids[index] != rule_id
    ):
        problems.append(f"{where}.ruleIndex: {index!r} does not point at rule {rule_id!r}")
    if not _nonempty_str(_get(result, "message", "text")):
        problems.append(f"{where}.message.text: required, must be a non-empty string")
    locations = result.get("locations")
    if not isinstance(locations, list) or not locations:
        problems.append(f"{where}.locations: at least one location is required")
    else:
        problems += _check_location(locations[0], f"{where}.locations[0]")
    if not _nonempty_str(_get(result, "partialFingerprints", "primaryLocationLineHash")):
        problems.append(f"{where}.partialFingerprints.primaryLocationLineHash: required")
    return problems


def _check_location(location: Any, where: str) -> list[str]:
    uri = _get(location, "physicalLocation", "artifactLocation", "uri")
    problems = []
    if not _nonempty_str(uri):
        problems.append(f"{where}.physicalLocation.artifactLocation.uri: required")
    else:
        problems += [
            f"{where}.physicalLocation.artifactLocation.uri: {p}" for p in uri_problems(uri)
        ]
    start = _get(location, "physicalLocation", "region", "startLine")
    if not isinstance(start, int) or isinstance(start, bool) or start < 1:
        problems.append(
            f"{where}.physicalLocation.region.startLine: must be an integer >= 1, got {start!r}"
        )
    return problems


def uri_problems(uri: str) -> list[str]:
    """Why `uri` is not a repository-relative path GitHub accepts (empty when it is)."""
    problems = []
    if not _RELATIVE_REF.match(uri):
        problems.append(
            f"{uri!r} is not an RFC 3986 relative reference (a scheme such as "
            "arn: makes GitHub reject the upload)"
        )
    if uri.startswith("/"):
        problems.append(f"{uri!r} starts with '/'")
    if ".." in uri.split("/"):
        problems.append(f"{uri!r} contains a '..' segment")
    if any(c.isspace() for c in uri):
        problems.append(f"{uri!r} contains whitespace")
    return problems


def _first_uri(result: dict[str, Any]) -> Any:
    locations = result.get("locations")
    if not isinstance(locations, list) or not locations:
        return None
    return _get(locations[0], "physicalLocation", "artifactLocation", "uri")


def _get(value: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def _nonempty_str(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _path(parts: Any) -> str:
    text = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in parts)
    return text.lstrip(".") or "(root)"
