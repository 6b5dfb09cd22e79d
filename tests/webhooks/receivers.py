"""Real HTTP receivers on 127.0.0.1 that record every request, for the webhook tests."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response


@dataclass(frozen=True)
class Seen:
    """One request as the receiver got it."""

    msg_id: str
    path: str  # with the query string
    timestamp: int
    signature: str
    body: str
    headers: dict[str, str]
    status: int
    at: float  # time.monotonic() on arrival


# Answers a request, given how many requests with its webhook-id came before (0 for the first).
Answer = Callable[[Request, int], Response]


def always(status: int, **headers: str) -> Answer:
    return lambda _request, _n: Response("", status=status, headers=headers)


@dataclass
class Recorder:
    loop: asyncio.AbstractEventLoop
    answer: Answer = field(default_factory=lambda: always(200))
    seen: list[Seen] = field(default_factory=list)
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def handle(self, request: Request) -> Response:
        msg_id = request.headers.get("webhook-id", "")
        with self._lock:
            earlier = sum(1 for s in self.seen if s.msg_id == msg_id)
            response = self.answer(request, earlier)
            self.seen.append(
                Seen(
                    msg_id=msg_id,
                    path=request.full_path,
                    timestamp=int(request.headers.get("webhook-timestamp", "0")),
                    signature=request.headers.get("webhook-signature", ""),
                    body=request.get_data(as_text=True),
                    headers={k.lower(): v for k, v in request.headers.items()},
                    status=response.status_code,
                    at=time.monotonic(),
                )
            )
        self.loop.call_soon_threadsafe(self.changed.set)
        return response

    def by_status(self, status: int) -> list[Seen]:
        with self._lock:
            return [s for s in self.seen if s.status == status]

    def accepted_ids(self) -> set[str]:
        return {s.msg_id for s in self.by_status(200)}

    async def wait(self, predicate: Callable[[Recorder], bool], *, timeout: float = 15.0) -> None:
        """Until `predicate` holds after some request (fails after `timeout`)."""
        async with asyncio.timeout(timeout):
            while not predicate(self):
                self.changed.clear()
                if predicate(self):
                    return
                await self.changed.wait()


@asynccontextmanager
async def recording_receiver(
    answer: Answer | None = None, *, port: int = 0, recorder: Recorder | None = None, path: str = "/hook"
) -> AsyncIterator[tuple[Recorder, str]]:
    """A receiver on 127.0.0.1:`port` (0: a free one). Pass `recorder` to keep recording into one
    that an earlier receiver on the same port filled."""
    rec = recorder or Recorder(asyncio.get_running_loop())
    if answer is not None:
        rec.answer = answer
    server = HTTPServer(host="127.0.0.1", port=port)
    server.expect_request(path, method="POST").respond_with_handler(rec.handle)
    server.start()
    try:
        yield rec, server.url_for(path)
    finally:
        server.clear()
        server.stop()
