"""`strikewatch demo --follow` serves the incident page its alerts link: CAP `<web>` names the port
the demo listens on (red team 7 N13: it named the alerter's default port, where nothing listened),
and stopping it logs no "Message fetch error" (F22). The real command, its embedded server and real
HTTP on 127.0.0.1."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
from pathlib import Path

import httpx
from lxml import etree

from tests.cli.conftest import ROOT

CAP = "{urn:oasis:names:tc:emergency:cap:1.2}"


def test_the_cap_web_link_of_a_demo_alert_is_served_by_the_demo(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STRIKEWATCH_")}
    env |= {"STRIKEWATCH_HTTP_HOST": "127.0.0.1"}
    seed = next((ROOT / "seeds").glob("000_*"))
    out, err = tmp_path / "stdout", tmp_path / "stderr"
    with out.open("w") as stdout, err.open("w") as stderr:
        process = subprocess.Popen(
            [
                str(ROOT / ".venv" / "bin" / "strikewatch"),
                "demo",
                "--follow",
                "--port",
                "0",
                "--json",
                str(seed),
            ],
            env=env,
            cwd=ROOT,
            stdout=stdout,
            stderr=stderr,
        )
    try:
        deadline = time.monotonic() + 90
        while "alert message(s) published" not in err.read_text():
            assert time.monotonic() < deadline and process.poll() is None, err.read_text()
            time.sleep(0.2)
        desk = re.search(
            r"duty desk \(live map and incident list\) on (http://127\.0\.0\.1:\d+)/", err.read_text()
        )
        assert desk, err.read_text()
        base = desk.group(1)
        alert = json.loads(out.read_text().splitlines()[0])
        cap = httpx.get(f"{base}/alerts/cap", params={"id": alert["alert_id"]}, timeout=30)
        assert cap.status_code == 200, cap.text
        web = etree.fromstring(cap.content).findtext(f"{CAP}info/{CAP}web")
        assert web is not None and web.startswith(f"{base}/?alert="), (web, base)
        page = httpx.get(web, timeout=30)
        assert page.status_code == 200 and "duty desk" in page.text.lower()
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    assert "Message fetch error" not in err.read_text()
