"""A real HTTP webhook receiver on 127.0.0.1 for tests: verifies Standard Webhooks signatures,
de-duplicates on webhook-id as an integrator would, and signals when deliveries arrive."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from standardwebhooks import Webhook


class Receiver:
    def __init__(self, port: int, secret: str) -> None:
        self.port = port
        self.verifier = Webhook(secret)
        self.lock = threading.Lock()
        self.arrived = threading.Condition(self.lock)
        self.by_id: dict[str, dict[str, Any]] = {}  # after de-duplication on webhook-id
        self.requests = 0
        self.bad_signatures = 0
        self.server: ThreadingHTTPServer | None = None
        self.thread: threading.Thread | None = None

    def start(self) -> Receiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", "0")))
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

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
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
