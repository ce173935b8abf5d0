"""Facts about managed network file systems (AWS EFS)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True)
class FileSystem:
    """A managed network file system.

    `tls_required` is whether its resource policy refuses clients that do not use TLS
    (false when it has no policy). `backup_enabled` is whether automatic backups are on
    (false when no backup policy was ever set).
    """

    KIND: ClassVar[str] = "storage.filesystem"

    file_system_id: str
    lifecycle_state: str | None
    encrypted: bool | None
    kms_key_id: str | None
    tls_required: bool | None
    backup_enabled: bool | None
