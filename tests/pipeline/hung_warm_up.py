"""`python -m tests.pipeline.hung_warm_up PORT`: the classifier service as a real process (the
settings come from STRIKEWATCH_* in the environment, as for `strikewatch run classifier`) whose
first warm-up never returns, so a test can signal it while /readyz says "warming up"."""

from __future__ import annotations

import asyncio
import sys
import threading

from services.classifier.app import build_classifier
from services.common.logs import configure_logging
from services.common.runtime import Runtime, ServiceParts, build_app, serve_until_stopped
from services.common.settings import load_settings


def main(port: int) -> None:
    settings = load_settings()
    configure_logging(settings)
    never = threading.Event()  # never set: the warm-up holds until the process ends

    def factory(rt: Runtime) -> ServiceParts:
        parts = build_classifier(rt)
        parts.warm.insert(0, never.wait)
        return parts

    app, _ = build_app(settings, [factory], title="strikewatch-classifier", http_port=port)
    asyncio.run(serve_until_stopped(app, port))


if __name__ == "__main__":
    main(int(sys.argv[1]))
