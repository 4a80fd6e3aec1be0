"""Who may reach a server: loopback addresses, page logins (`--auth`), bearer tokens."""

from __future__ import annotations

import hmac
import ipaddress
from pathlib import Path


def is_loopback(host: str) -> bool:
    """Whether binding `host` keeps a server private to this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def parse_auth(value: str | None) -> list[tuple[str, str]] | None:
    """`user:password`, or a file with one `user:password` per line."""
    if not value:
        return None
    path = Path(value)
    lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else [value]
    pairs = [line.strip().split(":", 1) for line in lines if ":" in line]
    pairs = [pair for pair in pairs if pair[0] and pair[1]]
    if not pairs:
        raise ValueError("--auth wants user:password or a file of such lines")
    return [(user, password) for user, password in pairs]


def bearer_matches(header: str, token: str | None) -> bool:
    """An `Authorization` header against the expected token, compared in constant time.
    No token configured: everyone matches."""
    if not token:
        return True
    return hmac.compare_digest(header.encode(), f"Bearer {token}".encode())
