"""docs/asyncapi.yaml is what the code generates today, and documents every stream and channel."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from services.common.names import SINK_GROUPS, Names
from tests.ops import asyncapi_doc
from tests.ops.support import ASYNCAPI_DOC


@pytest.fixture(scope="module")
def generated() -> dict[str, Any]:
    return asyncapi_doc.generate()


def test_asyncapi_document_has_not_drifted(generated: dict[str, Any]) -> None:
    """Regenerating from the services' code gives the committed document; when this fails, run
    `python -m tests.ops.asyncapi_doc` and commit docs/asyncapi.yaml."""
    assert ASYNCAPI_DOC.exists(), "docs/asyncapi.yaml is missing: run `python -m tests.ops.asyncapi_doc`"
    committed = yaml.safe_load(ASYNCAPI_DOC.read_text())
    assert committed == generated, "docs/asyncapi.yaml is out of date: run `python -m tests.ops.asyncapi_doc`"


def test_generation_is_deterministic(generated: dict[str, Any]) -> None:
    """Nothing machine-specific (host name, pid) ends up in the document."""
    assert asyncapi_doc.render(asyncapi_doc.generate()) == asyncapi_doc.render(generated)


def test_every_stream_and_channel_is_documented_with_a_schema(generated: dict[str, Any]) -> None:
    """docs/contract.md section 6: the four streams and the alert channels, each with a message whose payload
    is a real schema, and the consumer groups the services read with."""
    names = Names("strikewatch")
    channels = generated["channels"].values()
    addresses = {channel["address"] for channel in channels}
    for address in (
        names.articles,
        names.classified,
        names.alert_log,
        names.deadletter,
        names.alerts,
        f"{names.alerts}:severity:{{severity}}",
        f"{names.alerts}:region:{{region}}",
        f"{names.alerts}:type:{{attack_type}}",
    ):
        assert address in addresses, address
    groups = {channel["bindings"]["redis"].get("groupName") for channel in channels}
    assert {"classifier", "alerter", *SINK_GROUPS} <= groups
    schemas = generated["components"]["schemas"]
    for model in ("Article", "Classification", "Alert", "DeadLetter"):
        assert schemas[model]["properties"], model
