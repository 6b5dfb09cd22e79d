"""Mounts the duty-desk page on the alerter: `GET /` (the page; wants the read token when one is
set, like every read endpoint) and `/desk/static/...` (its scripts, styles and vendored libraries:
public code and map outlines, no alert data, so no token)."""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from services.alerter.desk.page import page_config, render_page, security_headers
from services.alerter.read_api import require_read_token
from services.common.settings import Settings

STATIC = Path(__file__).resolve().parent / "static"
STATIC_PATH = "/desk/static"


def desk_routes(settings: Settings) -> list[BaseRoute]:
    """`GET /` and the static mount. The HTML is rendered once, here (settings are read once)."""
    html = render_page((STATIC / "index.html").read_text("utf-8"), page_config(settings))
    headers = security_headers(settings)
    token = settings.read_token.get_secret_value() if settings.read_token else None

    async def page(request: Request) -> Response:
        require_read_token(request, token)
        return HTMLResponse(html, headers=headers)

    return [
        Route("/", page, methods=["GET"]),
        Mount(STATIC_PATH, app=StaticFiles(directory=STATIC), name="desk-static"),
    ]
