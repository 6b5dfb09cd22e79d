"""Where users reach an incident, and who the alerts say they come from: the one home of the
public base URL, the incident page's address and the CAP sender id.

`public_base_url` and `cap_sender` read the settings (and, without a configured URL, the machine's
host name) and are called once by the shell; `incident_page_url` is pure.
"""

from __future__ import annotations

import socket
from urllib.parse import quote, urlsplit

from services.common.settings import Settings

# The sender of deployments that configure neither a sender nor a public URL (and of every version
# logged before the sender could be derived), so references stay stable across upgrades.
DEFAULT_CAP_SENDER = "strikewatch"
# Addresses that mean "every interface": not somewhere a reader can be sent.
_WILDCARD_HOSTS = frozenset({"", "0.0.0.0", "::", "[::]"})


def public_base_url(settings: Settings) -> str:
    """`STRIKEWATCH_PUBLIC_URL` without a trailing slash, else `http://<host>:<port>` of the alerter
    (the host it listens on, or this machine's name when it listens on every interface)."""
    if settings.public_url:
        return settings.public_url.rstrip("/")
    host = settings.http_host
    if host in _WILDCARD_HOSTS:
        host = socket.gethostname() or "localhost"
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"  # an IPv6 literal in a URL (RFC 3986 section 3.2.2)
    return f"http://{host}:{settings.port_for('alerter')}"


def incident_page_url(base_url: str, alert_id: str) -> str:
    """The duty-desk page opened on one incident: `{base_url}/?alert={alert_id}` (CAP `<web>`, the
    link of chat messages, the desk page's own links)."""
    return f"{base_url.rstrip('/')}/?alert={quote(alert_id, safe='')}"


def cap_sender(settings: Settings) -> str:
    """`STRIKEWATCH_CAP_SENDER`, else the host of `STRIKEWATCH_PUBLIC_URL`, else `strikewatch`: a
    domain-style id (CAP 1.2 section 3.2.1 asks for one unique to the sender, "e.g. based on an
    Internet domain name"). Never the machine's name: every replica must name the same sender, or
    an Update's references would name a sender the earlier version did not have."""
    if settings.cap_sender:
        return settings.cap_sender
    if settings.public_url:
        host = urlsplit(settings.public_url).hostname
        if host:
            # CAP forbids spaces, commas and restricted characters in <sender>; keep IPv6 colons out.
            return host.replace(":", "-")
    return DEFAULT_CAP_SENDER
