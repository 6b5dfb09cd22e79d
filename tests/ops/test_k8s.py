"""The Kubernetes manifests validate against the Kubernetes schemas (kubernetes-validate, strict), the
KEDA ScaledObject against a strict ScaledObject schema, and they agree with the code and the image."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import kubernetes_validate  # type: ignore[import-untyped]
import pytest
import yaml

from services.common.names import CLASSIFIER_GROUP, Names
from services.common.settings import DEFAULT_HTTP_PORTS
from tests.ops.support import DOCKERFILE, K8S_DIR, SERVICES

KEDA_SCHEMA = Path(__file__).with_name("keda_scaledobject.schema.json")
# Not Kubernetes API objects: kustomize's own config (checked below) and the KEDA CRD (own schema).
NOT_IN_KUBERNETES_SCHEMAS = {
    ("kustomize.config.k8s.io/v1beta1", "Kustomization"),
    ("keda.sh/v1alpha1", "ScaledObject"),
}


def _documents() -> list[tuple[str, dict[str, Any]]]:
    docs = [
        (path.name, doc)
        for path in sorted(K8S_DIR.glob("*.yaml"))
        for doc in yaml.safe_load_all(path.read_text())
        if doc
    ]
    assert docs
    return docs


def _kind(kind: str) -> list[dict[str, Any]]:
    return [doc for _, doc in _documents() if doc["kind"] == kind]


@pytest.mark.parametrize(
    ("filename", "doc"),
    [
        pytest.param(f, d, id=f"{f}:{d['kind']}/{d['metadata']['name']}")
        for f, d in _documents()
        if (d["apiVersion"], d["kind"]) not in NOT_IN_KUBERNETES_SCHEMAS
    ],
)
def test_manifest_is_valid_kubernetes(filename: str, doc: dict[str, Any]) -> None:
    """kubernetes-validate in strict mode: unknown or misspelt fields fail too."""
    kubernetes_validate.validate(doc, kubernetes_validate.latest_version(), strict=True)


def test_scaledobject_matches_the_keda_schema() -> None:
    """KEDA's CRD is not in kubernetes-validate; a strict schema of ScaledObject and the redis-streams
    trigger (tests/ops/keda_scaledobject.schema.json) catches misspelt fields instead."""
    schema = json.loads(KEDA_SCHEMA.read_text())
    objects = _kind("ScaledObject")
    assert objects
    for obj in objects:
        jsonschema.validate(obj, schema)


def test_keda_scales_the_classifier_on_its_consumer_group() -> None:
    """The trigger names the articles stream and the classifier group as the code spells them, and
    targets the classifier Deployment; one trigger is on pending entries."""
    prefix = _kind("ConfigMap")[0]["data"]["STRIKEWATCH_PREFIX"]
    (obj,) = _kind("ScaledObject")
    assert obj["spec"]["scaleTargetRef"] == {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "name": "classifier",
    }
    assert "classifier" in {d["metadata"]["name"] for d in _kind("Deployment")}
    for trigger in obj["spec"]["triggers"]:
        assert trigger["type"] == "redis-streams"
        assert trigger["metadata"]["stream"] == Names(prefix).articles
        assert trigger["metadata"]["consumerGroup"] == CLASSIFIER_GROUP
    assert any("pendingEntriesCount" in t["metadata"] for t in obj["spec"]["triggers"])
    assert obj["spec"]["minReplicaCount"] >= 1


def test_deployments_run_each_service_as_the_image_user_with_probes() -> None:
    """One Deployment per service: `strikewatch run <name>`, its HTTP port, /healthz for liveness,
    /readyz for readiness, non-root as the Dockerfile's uid, read-only root filesystem."""
    match = re.search(r"^USER (\d+)", DOCKERFILE.read_text(), re.MULTILINE)
    assert match
    uid = int(match.group(1))
    deployments = {d["metadata"]["name"]: d for d in _kind("Deployment")}
    assert set(deployments) == set(SERVICES)
    for name, deployment in deployments.items():
        pod = deployment["spec"]["template"]["spec"]
        (container,) = pod["containers"]
        assert container["command"] == ["strikewatch", "run", name]
        port = DEFAULT_HTTP_PORTS[name]
        assert container["ports"] == [{"name": "http", "containerPort": port}]
        env = {e["name"]: e for e in container["env"]}
        assert env["STRIKEWATCH_HTTP_PORT"]["value"] == str(port)
        assert "secretKeyRef" in env["STRIKEWATCH_REDIS_URL"]["valueFrom"]
        assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
        assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert pod["securityContext"]["runAsUser"] == uid
        assert container["securityContext"]["readOnlyRootFilesystem"] is True
        assert container["securityContext"]["allowPrivilegeEscalation"] is False


def test_kustomization_lists_every_manifest() -> None:
    """`kubectl apply -k deploy/k8s` applies every file here, and only files that exist."""
    kustomization = yaml.safe_load((K8S_DIR / "kustomization.yaml").read_text())
    listed = set(kustomization["resources"])
    present = {p.name for p in K8S_DIR.glob("*.yaml")} - {"kustomization.yaml"}
    assert listed == present
