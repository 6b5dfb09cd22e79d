"""Wiring of the alerter: the classified-stream stage (on the shared stage shell) that writes
incidents and the alert log, one consumer group per sink on the alert log (pub/sub, webhooks, read
model), the webhook worker, and the HTTP APIs. `faststream run services.alerter.app:app` serves it
alone."""

from __future__ import annotations

from typing import Any

from schemas import Classification
from services.alerter import api, read_api
from services.alerter.alerting import Alerter
from services.alerter.desk.routes import desk_routes
from services.alerter.sinks import SinkDeps
from services.alerter.sinks.loop import sink_consumers
from services.alerter.stream import AlertLogHub
from services.alerter.webhooks.jobs import DeliveryQueue
from services.alerter.webhooks.subscriptions import SubscriptionStore, load_file
from services.alerter.webhooks.worker import DeliveryWorker
from services.common.runtime import Runtime, ServiceParts, standalone_app
from services.common.stage import StageSpec, stage_router
from services.common.streams import model_from_entry


def build_alerter(rt: Runtime) -> ServiceParts:
    settings, names = rt.settings, rt.names
    hooks_file = settings.webhooks_file
    file_subscriptions = load_file(hooks_file, allowlist=settings.allowlist()) if hooks_file else []
    subscriptions = SubscriptionStore(rt.redis, names, file_subscriptions, file=hooks_file)
    queue = DeliveryQueue(rt.redis, names, deadletter_maxlen=settings.deadletter_maxlen)
    worker = DeliveryWorker(settings, rt.metrics, queue, subscriptions)
    alerter = Alerter(rt.redis, settings, rt.metrics)
    hub = AlertLogHub(rt.redis, settings)
    router, reclaimer = stage_router(
        rt,
        StageSpec(
            stage="alerter",
            stream=names.classified,
            decode=lambda fields: model_from_entry(
                Classification, fields, max_bytes=settings.max_article_bytes
            ),
            handle=alerter.handle,
            record_id=lambda report: report.id,
            # The transaction reads incident state: a failure may be the state's, not the report's,
            # so a report that fails alone is retried by redelivery before it is given up on.
            pure=False,
            title="alert-on-classifications",
            description="Clusters classifications into incidents and writes each new alert version "
            "to the alert log (the outbox the sinks read), in one transaction per batch.",
        ),
    )
    deps = SinkDeps(rt.redis, settings, rt.metrics, subscriptions, wake_webhooks=worker.wake)
    sinks = sink_consumers(deps, consumer_base=rt.consumer_base)
    return ServiceParts(
        name="alerter",
        router=router,
        routes=[
            *read_api.routes(rt.redis, settings, hub),
            *desk_routes(settings),
            *api.routes(rt.redis, settings, subscriptions),
        ],
        background=[reclaimer, worker.run, *(loop for sink in sinks for loop in sink.loops())],
        on_stop=[hub.stop, worker.stop],
        idle=[worker.idle],
    )


def __getattr__(name: str) -> Any:
    # Built on first access, so importing this module reads no configuration.
    if name == "app":
        return standalone_app("alerter", build_alerter)
    raise AttributeError(name)
