"""Facts about compute storage: EBS volumes, their snapshots and the regional EBS defaults."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True)
class Volume:
    """A block-storage volume attached (or attachable) to a virtual machine."""

    KIND: ClassVar[str] = "compute.volume"

    volume_id: str
    state: str
    size_gib: int | None
    encrypted: bool | None
    kms_key_id: str | None
    attached_instances: tuple[str, ...]


@dataclass(frozen=True)
class EbsDefaults:
    """A region's account-level EBS settings (a singleton per account and region).

    `encryption_by_default` is whether every new volume and snapshot copy in the region
    is encrypted even when its creator did not ask for it.
    """

    KIND: ClassVar[str] = "aws.ebs_defaults"

    encryption_by_default: bool | None


@dataclass(frozen=True)
class VolumeSnapshot:
    """A point-in-time copy of a volume owned by the scanned account.

    `public` is whether anyone may create a volume from it; `shared_with_accounts` lists
    the other accounts allowed to. Both are `None` when the sharing could not be read.
    """

    KIND: ClassVar[str] = "compute.snapshot"

    snapshot_id: str
    volume_id: str | None
    encrypted: bool | None
    kms_key_id: str | None
    public: bool | None
    shared_with_accounts: tuple[str, ...] | None
