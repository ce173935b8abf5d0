"""Cloud adapters (the only code that calls cloud APIs) behind a lazy registry.

Each provider turns SDK responses into a `scanner.model.Snapshot`. The registry maps a
provider name to the dotted path of its `Provider` object; nothing is imported until a
command asks for that provider, so SDKs stay optional extras and importing this package
creates no client. Adding a cloud is one folder plus one registry line.
"""

from __future__ import annotations

import importlib
from collections.abc import MutableMapping

from providers.base import Provider

# name -> "module:attribute" of the provider object.
REGISTRY: MutableMapping[str, str] = {
    "aws": "providers.aws.plugin:PROVIDER",
    "gcp": "providers.gcp.plugin:PROVIDER",
    "azure": "providers.azure.plugin:PROVIDER",
}


def provider_names() -> tuple[str, ...]:
    """The registered provider names, sorted."""
    return tuple(sorted(REGISTRY))


def get_provider(name: str) -> Provider:
    """The provider registered as `name`; `KeyError` for an unknown name."""
    module_name, _, attribute = REGISTRY[name].partition(":")
    provider: Provider = getattr(importlib.import_module(module_name), attribute)
    return provider
