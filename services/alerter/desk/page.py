"""The duty-desk page's HTML and headers, from settings: pure functions, no I/O.

The page gets what it needs to draw (tile URL, attribution, filter vocabularies, the open window) as
a JSON block inside the HTML; it never gets a secret. The read token, when one is set, comes from
the address the user opened (`?token=`) and stays in the browser.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlsplit

from schemas import ATTACK_TYPES, SEVERITIES
from schemas.regions import regions
from services.common.display import MAX_NAME_CHARS, UNSAFE_TEXT_PATTERN
from services.common.settings import Settings

CONFIG_MARK = "<!--desk-config-->"
# A Leaflet subdomain placeholder in a tile host (`{s}.tile.example.org`) becomes a CSP wildcard.
_SUBDOMAIN = re.compile(r"^\{s\}\.")


def page_config(settings: Settings) -> dict[str, Any]:
    """What the page's script reads at start: `tiles` ({url, attribution, attribution_url} or None
    when tiles are off), `severities` (lowest first, as the API's minimum filter takes them),
    `attack_types`, `regions` ([{slug, name}] sorted by name), `open_window_h` (hours: the map
    shows incidents sent this recently, as /alerts.geojson does), `unsafe_text` (the source of the
    regular expression of characters never shown, `UNSAFE_TEXT_PATTERN`), `name_chars` (the most
    characters of a report's title or outlet shown, `MAX_NAME_CHARS`)."""
    tiles = None
    if settings.desk_tiles_url:
        tiles = {
            "url": settings.desk_tiles_url,
            "attribution": settings.desk_tiles_attribution,
            "attribution_url": settings.desk_tiles_attribution_url or None,
        }
    return {
        "tiles": tiles,
        "severities": list(SEVERITIES),
        "attack_types": list(ATTACK_TYPES),
        "regions": sorted(({"slug": r.slug, "name": r.name} for r in regions()), key=lambda r: r["name"]),
        "open_window_h": settings.open_window_h,
        # What the page drops from every text it shows (services/common/display.py): one rule for
        # every output, applied in the browser after evidence is cut by its offsets.
        "unsafe_text": UNSAFE_TEXT_PATTERN,
        "name_chars": MAX_NAME_CHARS,
    }


def render_page(template: str, config: dict[str, Any]) -> str:
    """`template` with its CONFIG_MARK replaced by `config` as a JSON script block. `<`, `>` and `&`
    are escaped as JSON unicode escapes, so no value can close the block or open markup.
    Raises ValueError when the template has no CONFIG_MARK."""
    if CONFIG_MARK not in template:
        raise ValueError(f"the page template has no {CONFIG_MARK}")
    data = (
        json.dumps(config, ensure_ascii=False, separators=(",", ":"))
        .replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
    )
    block = f'<script type="application/json" id="desk-config">{data}</script>'
    return template.replace(CONFIG_MARK, block, 1)


def tile_source(tiles_url: str) -> str | None:
    """The CSP source that admits a tile URL template: `https://{s}.tile.example.org/{z}/{x}/{y}.png`
    -> `https://*.tile.example.org`; None for an empty template."""
    if not tiles_url:
        return None
    parts = urlsplit(tiles_url)
    host = _SUBDOMAIN.sub("*.", parts.netloc)
    return f"{parts.scheme}://{host}"


def security_headers(settings: Settings) -> dict[str, str]:
    """Headers of the page: a Content-Security-Policy that allows scripts, styles and connections to
    this origin only and images from here plus the tile host; no framing, no referrer to tile hosts
    (the page's address may carry `?token=`)."""
    images = " ".join(filter(None, ["'self'", "data:", tile_source(settings.desk_tiles_url)]))
    policy = "; ".join(
        [
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            f"img-src {images}",
            "connect-src 'self'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )
    return {
        "content-security-policy": policy,
        "referrer-policy": "no-referrer",
        "x-content-type-options": "nosniff",
        "cache-control": "no-store",
    }
