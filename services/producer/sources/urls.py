"""One spelling per web page: canonical URLs, so the same item reached through two feeds, or with
different tracking parameters, is recognised as one."""

from __future__ import annotations

import hashlib
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

__all__ = ["canonical_url", "url_key"]

# Query parameters that only say how a reader arrived (campaign and click identifiers of analytics
# and ad platforms), never which page it is.
TRACKING_PREFIXES = ("utm_", "at_", "pk_", "mtm_", "hsa_", "_hs")
TRACKING_PARAMETERS = frozenset(
    {
        "fbclid",
        "gclid",
        "gclsrc",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "twclid",
        "ttclid",
        "li_fat_id",
        "igshid",
        "mc_cid",
        "mc_eid",
        "mkt_tok",
        "_ga",
        "_gl",
        "oly_anon_id",
        "oly_enc_id",
        "vero_id",
        "rb_clickid",
        "s_cid",
        "ocid",
        "cmpid",
        "ito",
        "ns_mchannel",
        "ns_source",
        "ns_campaign",
        "ns_linkname",
        "ns_fee",
    }
)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def _tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMETERS or lowered.startswith(TRACKING_PREFIXES)


def canonical_url(url: str) -> str:
    """`HTTPS://News.Example.org:443/a?b=2&utm_source=x&a=1#top` -> `https://news.example.org/a?a=1&b=2`.

    Lower-cased scheme and host, no default port, no credentials, no fragment, no tracking
    parameters, the remaining query parameters sorted (by name, then value; blank values kept),
    `/` for an empty path. The path keeps its case: servers may tell `/A` from `/a`. A string
    that is not an absolute URL comes back stripped, unchanged otherwise."""
    text = url.strip()
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    if not scheme or not parts.netloc:
        return text
    host = (parts.hostname or "").rstrip(".")
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port is None or _DEFAULT_PORTS.get(scheme) == port else f"{host}:{port}"
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _tracking(k))
    return urlunsplit((scheme, netloc, parts.path or "/", urlencode(query), ""))


def url_key(url: str) -> str:
    """The seen-marker key of a page: `u:` and a hash of its canonical URL (fixed length, whatever
    the URL's)."""
    return "u:" + hashlib.sha256(canonical_url(url).encode("utf-8")).hexdigest()[:32]
