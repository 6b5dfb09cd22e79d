"""Calling the alerter's subscription API in-process (the app's own ASGI interface)."""

from __future__ import annotations

import httpx

TOKEN = "t0ken-for-tests"


def api_client(app: object) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),  # type: ignore[arg-type]
        base_url="http://alerter",
        headers={"authorization": f"Bearer {TOKEN}"},
    )
