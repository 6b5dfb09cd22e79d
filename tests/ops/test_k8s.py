"""The Kubernetes manifests validate against the Kubernetes schemas (kubernetes-validate, strict), the
custom resources (KEDA, Prometheus Operator) against their CRDs' schemas vendored in tests/ops/crds
(strict too), and they agree with the code and the image."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import kubernetes_validate  # type: ignore[import-untyped]
import pytest
import yaml

from services.common.names import CLASSIFIER_GROUP, Names
from services.common.settings import DEFAULT_HTTP_PORTS
from tests.ops.crds import CRD_SCHEMAS, strict_crd_schema
from tests.ops.support import DOCKERFILE, K8S_DIR, SERVICES, require_binary, run_tool

# Not Kubernetes API objects: kustomize's own config (checked below) and custom resources (their CRDs).
NOT_IN_KUBERNETES_SCHEMAS = {("kustomize.config.k8s.io/v1beta1", "Kustomization"), *CRD_SCHEMAS}


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


@pytest.mark.parametrize(
    ("filename", "doc"),
    [
        pytest.param(f, d, id=f"{f}:{d['kind']}/{d['metadata']['name']}")
        for f, d in _documents()
        if (d["apiVersion"], d["kind"]) in CRD_SCHEMAS
    ],
)
def test_custom_resources_match_their_crd_schemas(filename: str, doc: dict[str, Any]) -> None:
    """ScaledObject, TriggerAuthentication, ServiceMonitor and PrometheusRule against their CRDs'
    OpenAPI schemas (vendored with their versions in tests/ops/crds), strict: a field the CRD does not
    define (a typo the API server would silently prune) fails."""
    jsonschema.validate(doc, strict_crd_schema(doc["apiVersion"], doc["kind"]))


def test_every_custom_resource_kind_has_a_vendored_schema() -> None:
    kinds = {(d["apiVersion"], d["kind"]) for _, d in _documents()}
    assert {("keda.sh/v1alpha1", "ScaledObject"), ("monitoring.coreos.com/v1", "ServiceMonitor")} <= kinds
    unknown = {k for k in kinds if k[0].split("/")[0].count(".") and not k[0].endswith("k8s.io/v1")}
    assert unknown <= set(CRD_SCHEMAS) | {("kustomize.config.k8s.io/v1beta1", "Kustomization")}


def test_a_misspelt_field_fails_the_crd_check() -> None:
    """The strict schema is not vacuous: one typo in the ScaledObject is caught."""
    (obj,) = _kind("ScaledObject")
    broken = {**obj, "spec": {**obj["spec"], "maxReplicas": 8}}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, strict_crd_schema(obj["apiVersion"], obj["kind"]))


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
        # No server address or password in the manifest: both come from the Secret.
        assert not {"address", "host", "port", "password"} & set(trigger["metadata"])
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


def test_keda_reads_the_redis_address_and_password_from_the_secret() -> None:
    """addressFromEnv names a classifier container variable taken from the Secret's `address`; the
    TriggerAuthentication maps the Secret's `password`; both keys exist in the shipped Secret."""
    (obj,) = _kind("ScaledObject")
    (secret,) = [s for s in _kind("Secret") if s["metadata"]["name"] == "strikewatch-redis"]
    keys = set(secret["stringData"])
    assert {"url", "address", "password"} <= keys
    (classifier,) = [d for d in _kind("Deployment") if d["metadata"]["name"] == "classifier"]
    env = {e["name"]: e for e in classifier["spec"]["template"]["spec"]["containers"][0]["env"]}
    auths = {a["metadata"]["name"]: a for a in _kind("TriggerAuthentication")}
    for trigger in obj["spec"]["triggers"]:
        variable = trigger["metadata"]["addressFromEnv"]
        ref = env[variable]["valueFrom"]["secretKeyRef"]
        assert (ref["name"], ref["key"]) == ("strikewatch-redis", "address")
        auth = auths[trigger["authenticationRef"]["name"]]
        (target,) = auth["spec"]["secretTargetRef"]
        assert (target["parameter"], target["name"], target["key"]) == (
            "password",
            "strikewatch-redis",
            "password",
        )
    host, port = secret["stringData"]["address"].rsplit(":", 1)
    assert f"{host}:{port}" in secret["stringData"]["url"]


def test_kustomize_derives_the_stream_from_the_prefix(tmp_path: Path) -> None:
    """`kubectl kustomize` (offline) with another STRIKEWATCH_PREFIX: every KEDA trigger watches
    `<that prefix>:articles`, so the prefix is set in one place."""
    import shutil

    kubectl = require_binary("kubectl")
    copy = tmp_path / "k8s"
    shutil.copytree(K8S_DIR, copy)
    config = copy / "config.yaml"
    config.write_text(
        config.read_text().replace("STRIKEWATCH_PREFIX: strikewatch", "STRIKEWATCH_PREFIX: desk-a")
    )
    built = run_tool([kubectl, "kustomize", str(copy)])
    docs = [d for d in yaml.safe_load_all(built.stdout) if d]
    (obj,) = [d for d in docs if d["kind"] == "ScaledObject"]
    assert {t["metadata"]["stream"] for t in obj["spec"]["triggers"]} == {Names("desk-a").articles}
