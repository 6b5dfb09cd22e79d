"""What of a subscription may be shown: secrets and URLs with their credentials masked. Pure.

Receivers often authenticate senders with a token in the URL: as user:password, in the query
string, or as a path segment (chat tools' incoming-webhook URLs are such tokens). Whatever leaves
the process (API answers, logs, errors, dead letters) shows the URL through `mask_url`."""

from __future__ import annotations

import re
from urllib.parse import SplitResult, urlsplit

__all__ = ["MASK", "mask_secret", "mask_url"]

MASK = "***"
# A path segment that looks like a token: 16+ characters mixing letters and digits, or 20+
# letters and digits without the separators words are written with.
_TOKEN_SEGMENT = re.compile(r"^(?:(?=.*[A-Za-z])(?=.*[0-9])[A-Za-z0-9_\-.~%]{16,}|[A-Za-z0-9]{20,})$")


def mask_secret(secret: str) -> str:
    """Enough to tell two secrets apart, never enough to use one: `whsec_…LaSw`."""
    return f"whsec_…{secret[-4:]}" if len(secret) > 12 else "whsec_…"


def mask_url(url: str) -> str:
    """`https://user:pw@host/services/T0/B0/XyZ123…?token=abc` ->
    `https://***@host/services/T0/B0/***?token=***`: credentials, query values, the fragment and
    token-like path segments are masked; the scheme,
    host, port, parameter names and the rest of the path are kept so the URL stays recognisable."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return MASK
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = (f"{MASK}@" if parts.username or parts.password else "") + host
    if port is not None:
        netloc += f":{port}"
    path = "/".join(MASK if _TOKEN_SEGMENT.match(segment) else segment for segment in parts.path.split("/"))
    # `?name=value` keeps its name; a bare `?token` may be the credential itself.
    query = "&".join(
        f"{piece.partition('=')[0]}={MASK}" if "=" in piece else MASK
        for piece in parts.query.split("&")
        if piece
    )
    return SplitResult(parts.scheme, netloc, path, query, MASK if parts.fragment else "").geturl()
