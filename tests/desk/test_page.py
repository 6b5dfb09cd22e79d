"""The page's HTML, headers and vendored files (pure functions and files), and `GET /` over real HTTP
with and without the read token."""

from __future__ import annotations

import hashlib
import json
import re

import httpx
import pytest

from services.alerter.desk.page import (
    CONFIG_MARK,
    page_config,
    render_page,
    security_headers,
    tile_source,
)
from services.alerter.desk.routes import STATIC
from services.alerter.desk.vendor import PINS
from services.common.settings import Settings, load_settings

from ..alerter.harness import alerter_settings, serving_alerter

TOKEN = "desk-read-t0ken"


def test_config_is_json_that_cannot_break_out_of_its_script_block() -> None:
    """No configured text can end the config block or start markup in the page."""
    hostile = {"tiles": {"attribution": "</script><script>alert(1)</script> & <!--"}}
    html = render_page(f"<head>{CONFIG_MARK}</head>", hostile)
    block = re.fullmatch(r'<head><script type="application/json" id="desk-config">(.*)</script></head>', html)
    assert block is not None, html
    assert "<" not in block.group(1) and ">" not in block.group(1) and "&" not in block.group(1)
    assert json.loads(block.group(1)) == hostile


def test_a_template_without_the_mark_is_refused() -> None:
    """A template that lost its config mark fails at start-up, not with a page that cannot start."""
    with pytest.raises(ValueError, match="desk-config"):
        render_page("<head></head>", {})


def test_tile_sources_for_the_csp() -> None:
    """The CSP admits exactly the tile host, subdomain placeholders as a wildcard."""
    assert tile_source("https://tile.openstreetmap.org/{z}/{x}/{y}.png") == "https://tile.openstreetmap.org"
    assert (
        tile_source("https://{s}.tiles.example.org:8443/{z}/{x}/{y}.png")
        == "https://*.tiles.example.org:8443"
    )
    assert tile_source("") is None


def test_page_config_and_headers_follow_settings() -> None:
    """Tiles on or off, vocabularies from the schemas, and never the read token in the config."""
    off = load_settings(desk_tiles_url="", read_token="s3cret-token")
    config = page_config(off)
    assert config["tiles"] is None
    assert config["severities"] == ["Minor", "Moderate", "Severe", "Extreme"]
    assert {"slug": "lviv-oblast", "name": "Lviv Oblast"} in config["regions"]
    assert "s3cret-token" not in json.dumps(config)
    csp = security_headers(off)["content-security-policy"]
    assert "img-src 'self' data:;" in csp and "script-src 'self';" in csp and "frame-ancestors 'none'" in csp
    osm = load_settings()
    assert page_config(osm)["tiles"]["url"] == "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    assert (
        "img-src 'self' data: https://tile.openstreetmap.org;"
        in security_headers(osm)["content-security-policy"]
    )


def test_vendored_files_match_their_manifest() -> None:
    """Every vendored file is listed with its sha256, each package carries its licence."""
    manifest = json.loads((STATIC / "vendor" / "manifest.json").read_text())
    assert [(p["name"], p["version"]) for p in manifest["packages"]] == [(p.name, p.version) for p in PINS]
    on_disk = {
        str(path.relative_to(STATIC / "vendor"))
        for path in (STATIC / "vendor").rglob("*")
        if path.is_file() and path.name != "manifest.json"
    }
    listed = {name for package in manifest["packages"] for name in package["files"]}
    assert on_disk == listed
    for package in manifest["packages"]:
        assert any("LICEN" in name for name in package["files"]), f"{package['name']} has no licence file"
        for name, digest in package["files"].items():
            assert hashlib.sha256((STATIC / "vendor" / name).read_bytes()).hexdigest() == digest, name
    outlines = json.loads((STATIC / "vendor" / "outlines" / "ukraine-regions.geojson").read_text())
    assert outlines["type"] == "FeatureCollection" and len(outlines["features"]) == 27


async def test_the_page_wants_the_read_token_and_never_shows_it(settings: Settings) -> None:
    """With a read token, GET / wants it (header or query) and the HTML never contains it."""
    s = alerter_settings(settings, read_token=TOKEN, desk_tiles_url="")
    async with serving_alerter(s) as (_app, base), httpx.AsyncClient(base_url=base, timeout=10) as client:
        refused = await client.get("/")
        assert refused.status_code == 401
        assert refused.headers["www-authenticate"].startswith("Bearer")
        wrong = await client.get("/", params={"token": "not-it"})
        assert wrong.status_code == 401
        by_query = await client.get("/", params={"token": TOKEN})
        by_header = await client.get("/", headers={"authorization": f"Bearer {TOKEN}"})
        for response in (by_query, by_header):
            assert response.status_code == 200
            assert response.headers["content-type"].startswith("text/html")
            assert "default-src 'none'" in response.headers["content-security-policy"]
            assert response.headers["referrer-policy"] == "no-referrer"
            assert TOKEN not in response.text
            assert 'id="desk-config"' in response.text
        # The page's own code is public (no alert data in it); the data needs the token.
        script = await client.get("/desk/static/desk.js")
        assert script.status_code == 200
        assert script.headers["content-type"].startswith(("text/javascript", "application/javascript"))
        assert (await client.get("/alerts")).status_code == 401
        assert (await client.get("/desk/static/../page.py")).status_code == 404
