"""Facts about managed web applications (Azure App Service today).

A fact that could not be read is `None`; `False` means "read, and off".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True)
class WebApp:
    """A managed web application and how clients and deployers reach it.

    `https_only` is whether plain-HTTP requests are redirected to HTTPS;
    `min_tls_version` is the lowest TLS version accepted (``1.2``); `ftp_state` is how
    deployment over FTP is allowed: ``disabled``, ``ftps-only`` or ``all`` (plain FTP).
    """

    KIND: ClassVar[str] = "compute.web_app"

    https_only: bool | None
    min_tls_version: str | None
    ftp_state: str | None
