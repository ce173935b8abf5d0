"""Facts about compute workloads: machines, images, functions, registries, clusters.

Also the subnets and network ACLs that decide how those workloads are reached.

A fact that could not be read is `None`; `False` means "read, and off".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from scanner.kinds.network import InternetIngress


@dataclass(frozen=True)
class VirtualMachine:
    """A virtual machine instance.

    `metadata_tokens_required` is whether the instance metadata service refuses requests
    without a session token (IMDSv2 only), or is switched off altogether (then nothing can
    be asked of it); `metadata_http_tokens` and `metadata_endpoint` are the settings read.
    `public_ipv4` is the public IPv4 address the instance holds (``""``: none).
    `managed` is whether the cloud's configuration-management agent (AWS Systems Manager)
    reports the instance; `None` when that inventory could not be read.
    """

    KIND: ClassVar[str] = "compute.instance"

    instance_id: str
    state: str
    image_id: str | None
    metadata_tokens_required: bool | None
    metadata_http_tokens: str | None
    metadata_endpoint: str | None
    public_ipv4: str | None
    managed: bool | None


@dataclass(frozen=True)
class MachineImage:
    """A machine image owned by the scanned account; `public` is whether anyone may launch it."""

    KIND: ClassVar[str] = "compute.image"

    image_id: str
    state: str | None
    public: bool | None


@dataclass(frozen=True)
class Subnet:
    """A subnet of a virtual network.

    `auto_public_ipv4` is whether instances launched into it get a public IPv4 address
    unless their launch says otherwise.
    """

    KIND: ClassVar[str] = "network.subnet"

    subnet_id: str
    network_id: str | None
    is_default: bool
    auto_public_ipv4: bool | None


@dataclass(frozen=True)
class NetworkAcl:
    """A stateless subnet firewall (an AWS network ACL).

    `internet_ingress` is the inbound access from the internet its rules allow after the
    ACL's own evaluation order (the lowest-numbered matching rule decides, so an earlier
    DENY wins over a later ALLOW); `None` when the rules could not be read.
    """

    KIND: ClassVar[str] = "network.acl"

    acl_id: str
    network_id: str | None
    is_default: bool
    internet_ingress: tuple[InternetIngress, ...] | None


@dataclass(frozen=True)
class Function:
    """A serverless function.

    `has_environment` is whether it has environment variables (their values are never
    read into the snapshot); `environment_kms_key` the customer-managed key encrypting
    them (``None`` with `has_environment` set: the platform's own key).
    `public_policy_statements` names the statements of its resource policy open to any
    principal (empty: none; `None`: unreadable). `url_auth_types` lists the auth types of
    its function URLs (``NONE``, ``AWS_IAM``; empty: no URL; `None`: unreadable).
    """

    KIND: ClassVar[str] = "compute.function"

    function_name: str
    runtime: str | None
    has_environment: bool | None
    environment_kms_key: str | None
    has_policy: bool | None
    public_policy_statements: tuple[str, ...] | None
    url_auth_types: tuple[str, ...] | None


@dataclass(frozen=True)
class ContainerRegistry:
    """A container image repository.

    `scan_on_push` is whether every pushed image is scanned for vulnerabilities, by the
    repository's own setting or by a registry-wide scanning rule covering it
    (`scan_source` says which: ``repository``, ``registry-basic``, ``registry-enhanced``).
    `encryption_type` is ``KMS`` (a KMS key, `kms_key`) or ``AES256`` (the service's own).
    """

    KIND: ClassVar[str] = "container.registry"

    repository_name: str
    scan_on_push: bool | None
    scan_source: str | None
    encryption_type: str | None
    kms_key: str | None
    has_policy: bool | None
    public_policy_statements: tuple[str, ...] | None


@dataclass(frozen=True)
class ContainerCluster:
    """A managed Kubernetes control plane.

    `secrets_kms_key` is the KMS key that envelope-encrypts Kubernetes secrets (``""``:
    none). `public_endpoint` is whether the API server answers on a public endpoint and
    `public_access_cidrs` the blocks allowed to reach it; `public_endpoint_open` is whether
    those blocks together are the internet. `audit_logging` is whether the control plane's
    audit log is exported; `log_types` every exported log type.
    """

    KIND: ClassVar[str] = "container.cluster"

    cluster_name: str
    version: str | None
    secrets_encrypted: bool | None
    secrets_kms_key: str | None
    public_endpoint: bool | None
    public_access_cidrs: tuple[str, ...] | None
    public_endpoint_open: bool | None
    audit_logging: bool | None
    log_types: tuple[str, ...] | None
