"""The read APIs over real HTTP: the SSE stream (resumable, filtered, bounded), GET /alerts, one
incident and its versions, GeoJSON against the GeoJSON schema, Atom through feedparser, and the
optional read token."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import feedparser
import httpx
import jsonschema
from lxml import etree
from redis.asyncio import Redis

from schemas import Alert
from services.alerter.stream import AlertLogHub, Dropped
from services.common.settings import Settings

from .factories import KHARKIV, KYIV, MAKIIVKA, report, seed_reports
from .harness import alerter_settings, feed, read_log, serving_alerter, wait_for

HERE = Path(__file__).parent
GEOJSON_SCHEMA = json.loads((HERE / "geojson" / "FeatureCollection.json").read_text())
CAP_XSD = HERE / "CAP-v1.2.xsd"
TOKEN = "read-t0ken"


async def log_ids(redis: Redis, s: Settings) -> list[str]:
    return [entry_id.decode() for entry_id, _ in await redis.xrange(s.names.alert_log)]


@asynccontextmanager
async def sse(
    client: httpx.AsyncClient, url: str, **kwargs: Any
) -> AsyncIterator[AsyncIterator[dict[str, str]]]:
    """A real streaming GET; yields the parsed events (`id`/`data`, or `comment` for a heartbeat)."""
    async with client.stream("GET", url, **kwargs) as response:
        assert response.status_code == 200, await response.aread()
        assert response.headers["content-type"].startswith("text/event-stream")

        async def parsed() -> AsyncIterator[dict[str, str]]:
            event: dict[str, str] = {}
            async for line in response.aiter_lines():
                if not line:
                    if event:
                        yield event
                    event = {}
                elif line.startswith(":"):
                    yield {"comment": line[1:].strip()}
                else:
                    name, _, value = line.partition(":")
                    event[name] = value[1:] if value.startswith(" ") else value

        yield parsed()


async def take(
    events: AsyncIterator[dict[str, str]], count: int, *, timeout: float = 10.0
) -> list[dict[str, str]]:
    """The next `count` data events (heartbeats skipped)."""
    out: list[dict[str, str]] = []
    async with asyncio.timeout(timeout):
        async for event in events:
            if "data" in event:
                out.append(event)
                if len(out) == count:
                    break
    return out


async def test_stream_resumes_with_last_event_id_without_gap_or_duplicate(
    settings: Settings, redis: Redis
) -> None:
    """A client reads `?since=0`, disconnects after two events; more alerts are logged; it comes
    back with Last-Event-ID and gets exactly the versions it missed, in log order, then live ones.
    Every `data:` is the alert-log entry, byte for byte, and every `id:` its entry id."""
    s = alerter_settings(settings)
    async with serving_alerter(s) as (_app, base), httpx.AsyncClient(base_url=base, timeout=10) as client:
        await feed(redis, s, *seed_reports())
        await read_log(redis, s, 5)
        async with sse(client, "/alerts/stream?since=0") as events:
            first_two = await take(events, 2)
        await feed(redis, s, report("later-1", locations=[KHARKIV], day=date(2024, 2, 1)))
        await feed(redis, s, report("later-2", locations=[KHARKIV], day=date(2024, 3, 1)))
        await read_log(redis, s, 7)
        async with sse(client, "/alerts/stream", headers={"last-event-id": first_two[-1]["id"]}) as events:
            missed = await take(events, 5)
            await feed(redis, s, report("live", locations=[KHARKIV], day=date(2024, 4, 1)))
            (live,) = await take(events, 1)
        entries = {
            entry_id.decode(): fields[b"__data__"].decode()
            for entry_id, fields in await redis.xrange(s.names.alert_log)
        }
    ids = list(entries)
    assert len(ids) == 8
    assert [e["id"] for e in [*first_two, *missed, live]] == ids
    assert all(e["data"] == entries[e["id"]] for e in [*first_two, *missed, live])
    assert Alert.model_validate_json(live["data"]).sources[-1].article_id == "live"


async def test_stream_filters_starts_live_and_beats(settings: Settings, redis: Redis) -> None:
    """Without a start the stream is live only; filters apply as in GET /alerts; heartbeat comments
    keep an idle connection alive."""
    s = alerter_settings(settings, sse_heartbeat_s=0.2)
    async with serving_alerter(s) as (_app, base), httpx.AsyncClient(base_url=base, timeout=10) as client:
        await feed(redis, s, report("before", locations=[MAKIIVKA], severity="Extreme", day=date(2023, 1, 1)))
        await read_log(redis, s, 1)
        async with sse(client, "/alerts/stream?severity=extreme&region=donetsk-oblast") as events:
            async with asyncio.timeout(10):
                beat = await anext(e async for e in events if "comment" in e)
            await feed(redis, s, report("severe-one", locations=[KHARKIV], day=date(2024, 1, 5)))
            await feed(
                redis,
                s,
                report(
                    "extreme-one", locations=[MAKIIVKA], severity="Extreme", killed=40, day=date(2024, 1, 5)
                ),
            )
            (only,) = await take(events, 1)
    assert beat["comment"].startswith("ping")
    alert = Alert.model_validate_json(only["data"])
    assert alert.severity == "Extreme" and alert.sources[-1].article_id == "extreme-one"


async def test_stream_refuses_clients_past_the_limit_and_bad_starts(settings: Settings, redis: Redis) -> None:
    s = alerter_settings(settings, sse_max_clients=1)
    async with serving_alerter(s) as (_app, base), httpx.AsyncClient(base_url=base, timeout=10) as client:
        async with sse(client, "/alerts/stream"):
            refused = await client.get("/alerts/stream")
            assert refused.status_code == 429 and refused.headers["retry-after"]
            assert "1 live-stream clients" in refused.json()["error"]
        # The client left: its slot is free again.
        await wait_for(lambda: stream_accepted(client), what="a new client is accepted")
        bad = await client.get("/alerts/stream", headers={"last-event-id": "yesterday"})
        assert bad.status_code == 400 and "Last-Event-ID 'yesterday'" in bad.json()["error"]
        bad = await client.get("/alerts/stream?since=abc")
        assert bad.status_code == 400 and "alert-log id" in bad.json()["error"]


async def stream_accepted(client: httpx.AsyncClient) -> bool:
    async with client.stream("GET", "/alerts/stream") as response:
        return response.status_code == 200


async def test_a_client_too_far_behind_is_dropped_and_its_memory_freed(
    settings: Settings, redis: Redis
) -> None:
    """The hub holds at most `sse_queue_size` events for a client that does not read; past that the
    client is dropped (it reconnects with Last-Event-ID) and forgotten."""
    s = alerter_settings(settings, sse_queue_size=2)
    hub = AlertLogHub(redis, s)
    try:
        listener, _position = await hub.listen()
        await feed_log(redis, s, 3)
        await wait_for(lambda: as_async(listener.dropped), what="the slow listener was dropped")
        assert hub.clients == 0
        try:
            await listener.next()
            raise AssertionError("a dropped listener yields no more events")
        except Dropped:
            pass
    finally:
        await hub.stop()


async def as_async(value: bool) -> bool:
    return value


async def feed_log(redis: Redis, s: Settings, count: int) -> None:
    alert = seed_alert()
    for version in range(1, count + 1):
        payload = alert.model_copy(update={"version": version}).model_dump_json()
        await redis.xadd(s.names.alert_log, {"__data__": payload})


def seed_alert(**changes: Any) -> Alert:
    from services.alerter.clustering import start
    from services.alerter.render import alert_from_state

    state = start(report("x", locations=[KYIV]), alert_id="sw-x", now=datetime.now(UTC))
    return alert_from_state(state).model_copy(update=changes)


async def test_list_gives_latest_versions_newest_first_with_filters_and_cursors(
    settings: Settings, redis: Redis
) -> None:
    s = alerter_settings(settings)
    async with serving_alerter(s) as (_app, base), httpx.AsyncClient(base_url=base, timeout=10) as client:
        await feed(redis, s, *seed_reports())
        log = await read_log(redis, s, 5)
        latest = {a.alert_id: a for a in log}
        await wait_for(lambda: listed(client, 3), what="the read model holds the three incidents")
        whole = (await client.get("/alerts")).json()
        assert whole["next"] is None
        assert whole["stream_since"] == (await log_ids(redis, s))[-1]
        got = [Alert.model_validate(a) for a in whole["alerts"]]
        assert {(a.alert_id, a.version) for a in got} == {(a.alert_id, a.version) for a in latest.values()}
        assert [a.sent for a in got] == sorted((a.sent for a in got), reverse=True)

        pages, cursor = [], None
        for _ in range(5):
            answer = (
                await client.get("/alerts", params={"limit": 1, **({"cursor": cursor} if cursor else {})})
            ).json()
            pages.extend(a["alert_id"] for a in answer["alerts"])
            cursor = answer["next"]
            if cursor is None:
                break
        assert pages == [a.alert_id for a in got]

        extreme = (await client.get("/alerts?severity=extreme")).json()["alerts"]
        assert [a["locations"][0]["name"] for a in extreme] == ["Makiivka"]
        assert (await client.get("/alerts?region=Donetsk Oblast")).json()["alerts"] == extreme
        assert (await client.get("/alerts?type=rocket")).json()["alerts"] == extreme
        future = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
        assert (await client.get("/alerts", params={"since": future})).json()["alerts"] == []

        for query, expected in [
            ("severity=bad", "expected one of extreme, severe, moderate, minor"),
            ("region=atlantis", "kyiv-city"),
            ("type=laser", "drone, missile"),
            ("limit=0", "expected 1 to 500"),
            ("limit=ten", "not a whole number"),
            ("since=last week", "RFC 3339"),
            ("cursor=!!!", "the `next` of a previous answer"),
            ("severty=extreme", "unknown query parameter 'severty'"),
        ]:
            answer = await client.get(f"/alerts?{query}")
            assert answer.status_code == 400, query
            assert expected in answer.json()["error"], (query, answer.json())


async def listed(client: httpx.AsyncClient, count: int) -> bool:
    return len((await client.get("/alerts")).json()["alerts"]) == count


async def test_one_incident_and_its_versions(settings: Settings, redis: Redis) -> None:
    s = alerter_settings(settings)
    async with serving_alerter(s) as (_app, base), httpx.AsyncClient(base_url=base, timeout=10) as client:
        await feed(redis, s, report("v1", injured=1), report("v2", injured=5), report("v3", killed=2))
        log = await read_log(redis, s, 3)
        alert_id = log[0].alert_id
        await wait_for(lambda: has_version(client, alert_id, 3), what="the read model holds version 3")
        latest = await client.get(f"/alerts/{alert_id}")
        versions = (await client.get(f"/alerts/{alert_id}/versions")).json()
        missing = await client.get("/alerts/sw-none")
    entries = [fields[b"__data__"].decode() for _, fields in await redis.xrange(s.names.alert_log)]
    assert latest.text == entries[-1]
    assert versions["alert_id"] == alert_id
    assert [json.dumps(v, separators=(",", ":")) for v in versions["versions"]] == [
        json.dumps(json.loads(e), separators=(",", ":")) for e in entries
    ]
    assert [v["version"] for v in versions["versions"]] == [1, 2, 3]
    assert missing.status_code == 404 and "read model" in missing.json()["error"]


async def has_version(client: httpx.AsyncClient, alert_id: str, version: int) -> bool:
    answer = await client.get(f"/alerts/{alert_id}")
    return answer.status_code == 200 and answer.json()["version"] == version


async def test_geojson_and_atom_show_open_incidents(settings: Settings, redis: Redis) -> None:
    """Open = latest version sent within STRIKEWATCH_OPEN_WINDOW_H (by sent time, not event date):
    an incident last sent four days ago is listed by GET /alerts but not in the feeds. GeoJSON
    validates against the GeoJSON FeatureCollection schema; the Atom feed parses with feedparser
    and links each incident's CAP XML, which validates against CAP 1.2."""
    s = alerter_settings(settings)
    stale = seed_alert(alert_id="sw-stale", sent=datetime.now(UTC) - timedelta(days=4))
    async with serving_alerter(s) as (_app, base), httpx.AsyncClient(base_url=base, timeout=10) as client:
        await redis.xadd(s.names.alert_log, {"__data__": stale.model_dump_json()})
        await feed(redis, s, *seed_reports())
        await read_log(redis, s, 6)
        await wait_for(lambda: listed(client, 4), what="the read model holds the four incidents")
        geo = await client.get("/alerts.geojson")
        atom = await client.get("/alerts.atom")
        extreme_geo = (await client.get("/alerts.geojson?severity=extreme")).json()
        parsed = feedparser.parse(atom.content)
        cap_links = [
            next(link["href"] for link in e.links if link["type"] == "application/cap+xml")
            for e in parsed.entries
        ]
        caps = [await client.get(link) for link in cap_links]
    assert geo.headers["content-type"] == "application/geo+json"
    collection = geo.json()
    jsonschema.validate(collection, GEOJSON_SCHEMA)
    ids = {f["properties"]["alert_id"] for f in collection["features"]}
    assert len(ids) == 3 and "sw-stale" not in ids
    by_place = {f["properties"]["place"]: f for f in collection["features"]}
    kyiv = by_place["Kyiv"]
    assert kyiv["geometry"]["coordinates"] == [30.5234, 50.4501]  # [longitude, latitude]
    assert kyiv["properties"]["iso_3166_2"] == "UA-30" and kyiv["properties"]["region"] == "Kyiv City"
    assert by_place["Makiivka"]["properties"]["iso_3166_2"] == "UA-14"
    assert by_place["Makiivka"]["properties"]["figures"]["killed_max"] == 400
    for feature in collection["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        assert {"alert_id", "version", "severity", "headline", "event_date", "figures"} <= set(
            feature["properties"]
        )
    assert {f["properties"]["place"] for f in extreme_geo["features"]} == {"Makiivka"}

    assert atom.headers["content-type"].startswith("application/atom+xml")
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.feed.title == "strikewatch: open incidents"
    assert len(parsed.entries) == 3
    assert all(link.startswith(f"{base}/alerts/cap?id=sw-") for link in cap_links)
    schema = etree.XMLSchema(etree.parse(str(CAP_XSD)))
    for answer in caps:
        assert answer.status_code == 200
        schema.assertValid(etree.fromstring(answer.content))


async def test_read_token_guards_every_read_endpoint(settings: Settings, redis: Redis) -> None:
    s = alerter_settings(settings, read_token=TOKEN, api_token="api-token")
    paths = [
        "/alerts",
        "/alerts.geojson",
        "/alerts.atom",
        "/alerts/sw-x",
        "/alerts/sw-x/versions",
        "/alerts/cap?id=sw-x",
    ]
    async with serving_alerter(s) as (_app, base), httpx.AsyncClient(base_url=base, timeout=10) as client:
        for path in paths:
            refused = await client.get(path)
            assert refused.status_code == 401, path
            assert refused.headers["www-authenticate"].startswith("Bearer")
            assert (await client.get(path, headers={"authorization": "Bearer api-token"})).status_code == 401
            allowed = await client.get(path, headers={"authorization": f"Bearer {TOKEN}"})
            assert allowed.status_code in (200, 404), path
            sep = "&" if "?" in path else "?"
            assert (await client.get(f"{path}{sep}token={TOKEN}")).status_code == allowed.status_code
        assert (await client.get("/alerts/stream")).status_code == 401
        async with sse(client, f"/alerts/stream?token={TOKEN}"):
            pass
        atom = await client.get(f"/alerts.atom?token={TOKEN}")
        assert TOKEN not in atom.text, "the token is never written into the feed's links"
