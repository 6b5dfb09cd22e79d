"""Take a CRD's OpenAPI schema out of an npm tarball of `@kubernetes-models/*` and write it as a JSON
Schema file beside this module (see README.md here for the packages, versions and licence).

    npm pack @kubernetes-models/keda@0.3.2
    python -m tests.ops.crds.extract kubernetes-models-keda-0.3.2.tgz \
        package/keda.sh/v1alpha1/ScaledObject.js keda-2.10.1-scaledobject.schema.json \
        --source "npm @kubernetes-models/keda@0.3.2 (KEDA v2.10.1 CRDs)"

Those packages' JavaScript holds each schema as a JSON literal (`const schema = {...};`). The one
change made: the reference to Kubernetes' ObjectMeta becomes `#/$defs/ObjectMeta`, which the tests
supply, so the file stands alone.
"""

from __future__ import annotations

import argparse
import json
import tarfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
OBJECT_META_REF = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta#"


def schema_literal(javascript: str) -> dict[str, Any]:
    start = javascript.index("const schema = ") + len("const schema = ")
    end = javascript.index("\n};", start) + 2
    literal: dict[str, Any] = json.loads(javascript[start:end])
    return literal


def _local_refs(node: Any) -> Any:
    if isinstance(node, dict):
        if node.get("$ref") == OBJECT_META_REF:
            return {**node, "$ref": "#/$defs/ObjectMeta"}
        return {key: _local_refs(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_local_refs(item) for item in node]
    return node


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("tarball", type=Path)
    parser.add_argument("member")
    parser.add_argument("output")
    parser.add_argument("--source", required=True, help="package@version and the upstream version")
    args = parser.parse_args()
    with tarfile.open(args.tarball) as archive:
        member = archive.extractfile(args.member)
        assert member is not None, args.member
        schema = _local_refs(schema_literal(member.read().decode("utf-8")))
    document = {
        "$comment": f"From {args.source}, file {args.member}; licence MIT (LICENSE-kubernetes-models "
        "here). Only change: the ObjectMeta reference points at #/$defs/ObjectMeta, supplied by the tests.",
        **schema,
    }
    (HERE / args.output).write_text(json.dumps(document, indent=1, sort_keys=False) + "\n")


if __name__ == "__main__":
    main()
