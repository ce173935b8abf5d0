"""Dependency direction: rules and providers import the core model, never each other or SDKs."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SDK_ROOTS = {"boto3", "botocore", "google", "googleapiclient", "azure", "moto"}


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def python_files(package: str) -> list[Path]:
    return sorted((REPO / package).rglob("*.py"))


@pytest.mark.parametrize("path", python_files("rules"), ids=str)
def test_rules_import_only_the_core_and_rules(path: Path) -> None:
    for name in imported_roots(path):
        root = name.split(".")[0]
        assert root not in SDK_ROOTS | {"providers"}, f"{path} imports {name}"


@pytest.mark.parametrize("path", python_files("providers"), ids=str)
def test_providers_never_import_rules(path: Path) -> None:
    for name in imported_roots(path):
        assert name.split(".")[0] != "rules", f"{path} imports {name}"


CLI_PACKAGE = REPO / "scanner" / "cli"


@pytest.mark.parametrize(
    "path", [p for p in python_files("scanner") if CLI_PACKAGE not in p.parents], ids=str
)
def test_core_imports_no_sdk_or_provider(path: Path) -> None:
    for name in imported_roots(path):
        root = name.split(".")[0]
        assert root not in SDK_ROOTS | {"providers", "rules"}, f"{path} imports {name}"


@pytest.mark.parametrize("path", python_files("scanner/cli"), ids=str)
def test_cli_imports_no_sdk(path: Path) -> None:
    # The composition root may import rules and providers, but SDKs only through a
    # provider, and only when its command runs.
    for name in imported_roots(path):
        assert name.split(".")[0] not in SDK_ROOTS, f"{path} imports {name}"


def test_importing_everything_creates_no_client(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib
    import pkgutil

    import boto3.session

    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("a boto3 client was created at import time")

    monkeypatch.setattr(boto3.session.Session, "client", refuse)
    for package_name in ("scanner", "rules", "providers"):
        package = importlib.import_module(package_name)
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{package_name}."):
            importlib.import_module(info.name)
