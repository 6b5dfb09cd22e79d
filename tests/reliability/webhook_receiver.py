"""A real HTTP webhook receiver on 127.0.0.1 for tests: verifies Standard Webhooks signatures,
de-duplicates on webhook-id as an integrator would, and signals when deliveries arrive."""

from __future__ import annotations

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from standardwebhooks import Webhook


class Receiver:
    def __init__(self, port: int, secret: str, *, delay_s: float = 0.0) -> None:
        self.port = port
        self.delay_s = delay_s  # how long each answer takes: a slow but working receiver
        self.verifier = Webhook(secret)
        self.lock = threading.Lock()
        self.arrived = threading.Condition(self.lock)
        self.by_id: dict[str, dict[str, Any]] = {}  # after de-duplication on webhook-id
        self.requests = 0
        self.bad_signatures = 0
        self.server: ThreadingHTTPServer | None = None
        self.thread: threading.Thread | None = None

    def start(self, reserved: socket.socket | None = None) -> Receiver:
        """Serve on `self.port`, or on `reserved`, a socket bound earlier (see `reserve_port`)."""
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", "0")))
                time.sleep(receiver.delay_s)
                headers = {k.lower(): v for k, v in self.headers.items()}
                try:
                    receiver.verifier.verify(body, headers)
                except Exception:
                    with receiver.lock:
                        receiver.bad_signatures += 1
                    self.send_response(400)
                    self.end_headers()
                    return
                with receiver.arrived:
                    receiver.requests += 1
                    receiver.by_id.setdefault(headers["webhook-id"], json.loads(body))
                    receiver.arrived.notify_all()
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        if reserved is None:
            self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        else:
            self.server = ThreadingHTTPServer(reserved.getsockname(), Handler, bind_and_activate=False)
            self.server.socket.close()
            self.server.socket = reserved
            self.server.server_activate()
        self.port = self.server.server_address[1]  # port 0 asks for a free one
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def versions(self) -> set[tuple[str, int]]:
        with self.lock:
            return {(a["alert_id"], a["version"]) for a in self.by_id.values()}

    def wait_for(self, expected: set[tuple[str, int]], timeout: float) -> bool:
        """Block until every expected (alert_id, version) has arrived, or the timeout passes."""
        with self.arrived:
            return self.arrived.wait_for(
                lambda: expected <= {(a["alert_id"], a["version"]) for a in self.by_id.values()},
                timeout=timeout,
            )

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


def reserve_port() -> socket.socket:
    """A loopback port held for a receiver that starts later: bound but not listening, so a
    delivery is refused meanwhile, and no other process (another test run) can take the port."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    return sock


class HangingReceiver:
    """A webhook endpoint that accepts every connection and never answers: the worst receiver a
    sender meets (a stuck proxy, a dead backend behind a live load balancer)."""

    def __init__(self, port: int = 0) -> None:
        self.port = port  # 0: a free port, chosen when it starts
        self.lock = threading.Lock()
        self.accepted = 0
        self._connections: list[socket.socket] = []
        self._listener: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def start(self) -> HangingReceiver:
        listener = socket.create_server(("127.0.0.1", self.port), backlog=128)
        # accept() wakes up now and then to notice stop(): closing a socket from another thread
        # does not interrupt a blocked accept() on Linux.
        listener.settimeout(0.2)
        self._listener = listener
        self.port = listener.getsockname()[1]

        def accept() -> None:
            while not self._stopping.is_set():
                try:
                    conn, _ = listener.accept()
                except TimeoutError:
                    continue
                except OSError:
                    return
                with self.lock:
                    self.accepted += 1
                    self._connections.append(conn)

        self._thread = threading.Thread(target=accept, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self._listener is not None:
            self._listener.close()
        with self.lock:
            for conn in self._connections:
                conn.close()
            self._connections.clear()
