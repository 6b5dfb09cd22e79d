"""CRD schemas of the custom resources in deploy/k8s, vendored with their versions (README.md here),
and their strict form: every object that lists its properties refuses others, as kubernetes-validate's
strict mode does for core kinds (the API server would silently prune an unknown field)."""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent

CRD_SCHEMAS: dict[tuple[str, str], Path] = {
    ("keda.sh/v1alpha1", "ScaledObject"): HERE / "keda-2.10.1-scaledobject.schema.json",
    ("keda.sh/v1alpha1", "TriggerAuthentication"): HERE / "keda-2.10.1-triggerauthentication.schema.json",
    ("monitoring.coreos.com/v1", "ServiceMonitor"): HERE
    / "prometheus-operator-0.57.0-servicemonitor.schema.json",
    ("monitoring.coreos.com/v1", "PrometheusRule"): HERE
    / "prometheus-operator-0.57.0-prometheusrule.schema.json",
}

# The part of Kubernetes' ObjectMeta a manifest (not a live object) sets; strict like the rest.
OBJECT_META: dict[str, Any] = {
    "type": "object",
    "required": ["name"],
    "additionalProperties": False,
    "properties": {
        "name": {"type": "string", "pattern": "^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$", "maxLength": 253},
        "namespace": {"type": "string"},
        "labels": {"type": "object", "additionalProperties": {"type": "string"}},
        "annotations": {"type": "object", "additionalProperties": {"type": "string"}},
    },
}


def _strict(node: Any) -> Any:
    if isinstance(node, dict):
        out = {key: _strict(value) for key, value in node.items()}
        if (
            "properties" in out
            and "additionalProperties" not in out
            and not out.get("x-kubernetes-preserve-unknown-fields")
        ):
            out["additionalProperties"] = False
        return out
    if isinstance(node, list):
        return [_strict(item) for item in node]
    return node


@cache
def _load(path: Path) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(path.read_text())
    strict: dict[str, Any] = _strict(schema)
    strict["$defs"] = {"ObjectMeta": OBJECT_META}
    return strict


def strict_crd_schema(api_version: str, kind: str) -> dict[str, Any]:
    return copy.deepcopy(_load(CRD_SCHEMAS[(api_version, kind)]))
