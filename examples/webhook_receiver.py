"""A minimal strikewatch webhook receiver to copy: verifies Standard Webhooks signatures, drops
redeliveries by `webhook-id`, and prints each alert.

Subscribe it first (the alerter refuses loopback addresses unless STRIKEWATCH_WEBHOOK_ALLOWLIST
lists them, e.g. `127.0.0.1/32`); without a "secret" the answer carries a generated one, shown once:

    curl -X POST http://localhost:9103/subscriptions -H "Authorization: Bearer $STRIKEWATCH_API_TOKEN" \
         -d '{"id": "me", "url": "http://127.0.0.1:8080/"}'

Then run the receiver with that secret:

    pip install standardwebhooks
    WEBHOOK_SECRET=whsec_... python examples/webhook_receiver.py --port 8080

Answer 2xx quickly and do slow work elsewhere: strikewatch retries on timeouts, 429 and 5xx for
about 27 hours, sending the same `webhook-id` every time (with a fresh timestamp and signature),
so de-duplicating on it makes processing exactly-once. Answer 410 Gone to unsubscribe.

Rotating the secret (`POST /subscriptions/me/rotate-secret`): for the overlap window (24 h by
default) every delivery is signed with both the old and the new secret, so this receiver may switch
whenever convenient. Listing both, `WEBHOOK_SECRET=whsec_new,whsec_old`, also works.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

MAX_BODY_BYTES = 1_000_000
REMEMBERED_IDS = 10_000


class SeenIds:
    """The last N webhook-ids, so a redelivered message is acknowledged but not processed again.
    (A production receiver would keep these in its database, in the same transaction as its work.)"""

    def __init__(self, size: int = REMEMBERED_IDS) -> None:
        self._ids: OrderedDict[str, None] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def first_time(self, msg_id: str) -> bool:
        with self._lock:
            if msg_id in self._ids:
                return False
            self._ids[msg_id] = None
            if len(self._ids) > self._size:
                self._ids.popitem(last=False)
            return True


def verify(webhooks: Sequence[Webhook], body: bytes, headers: dict[str, str]) -> Any:
    """The payload, if any of the secrets verifies the request; WebhookVerificationError otherwise."""
    error = WebhookVerificationError("no secret configured")
    for webhook in webhooks:
        try:
            return webhook.verify(body, headers)
        except WebhookVerificationError as exc:
            error = exc
    raise error


def make_server(
    secret: str | Sequence[str], host: str, port: int, on_alert: Callable[[dict[str, Any]], None]
) -> ThreadingHTTPServer:
    webhooks = [Webhook(s) for s in ([secret] if isinstance(secret, str) else secret)]
    seen = SeenIds()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            if length > MAX_BODY_BYTES:
                self._answer(413, "too large")
                return
            body = self.rfile.read(length)
            try:
                alert = verify(webhooks, body, {k.lower(): v for k, v in self.headers.items()})
            except WebhookVerificationError as exc:
                self._answer(400, f"signature check failed: {exc}")
                return
            if seen.first_time(self.headers["webhook-id"]):
                on_alert(alert)
            self._answer(204, "")

        def _answer(self, status: int, text: str) -> None:
            data = text.encode()
            self.send_response(status)
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:  # quiet: alerts are the output
            pass

    return ThreadingHTTPServer((host, port), Handler)


def print_alert(alert: dict[str, Any]) -> None:
    print(
        f"{alert['msg_type']} v{alert['version']} {alert['alert_id']} [{alert['severity']}] "
        f"{alert['headline']} ({alert['source_count']} sources)",
        flush=True,
    )
    if os.environ.get("WEBHOOK_PRINT_JSON"):
        print(json.dumps(alert, indent=2), flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    args = parser.parse_args()
    secrets = [s.strip() for s in os.environ.get("WEBHOOK_SECRET", "").split(",") if s.strip()]
    if not secrets:
        print("set WEBHOOK_SECRET to the subscription's whsec_... secret", file=sys.stderr)
        return 2
    server = make_server(secrets, args.host, args.port, print_alert)
    print(f"listening on http://{args.host}:{server.server_port}/", file=sys.stderr)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
