"""Services as real OS processes (`strikewatch run NAME`), so tests can SIGKILL and SIGTERM them."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

from services.common.embedded import free_port

ROOT = Path(__file__).resolve().parents[2]
STRIKEWATCH = Path(sys.executable).parent / "strikewatch"
READY_TIMEOUT_S = 90.0


class ServiceProcess:
    def __init__(self, service: str, env: dict[str, str], log_dir: Path) -> None:
        self.service = service
        self.port = free_port()
        self.env = {
            **os.environ,
            **env,
            "STRIKEWATCH_HTTP_PORT": str(self.port),
            "STRIKEWATCH_HTTP_HOST": "127.0.0.1",
        }
        self.log_path = log_dir / f"{service}-{self.port}.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> ServiceProcess:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [str(STRIKEWATCH), "run", self.service],
            env=self.env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        return self

    def wait_ready(self, timeout: float = READY_TIMEOUT_S) -> None:
        """Bounded wait on /readyz (the process builds its pipeline first, which takes seconds)."""
        deadline = time.monotonic() + timeout
        why = "no answer"
        while time.monotonic() < deadline:
            assert self.process is not None and self.process.poll() is None, self.log()
            try:
                reply = httpx.get(f"http://127.0.0.1:{self.port}/readyz", timeout=1.0)
                if reply.status_code == 200:
                    return
                why = reply.text
            except httpx.HTTPError as exc:
                why = type(exc).__name__
            time.sleep(0.1)
        raise AssertionError(f"{self.service} not ready after {timeout}s: {why}\n{self.log()[-1500:]}")

    def ready(self) -> bool:
        try:
            return httpx.get(f"http://127.0.0.1:{self.port}/readyz", timeout=2.0).status_code == 200
        except httpx.HTTPError:
            return False

    def signal(self, sig: signal.Signals) -> None:
        assert self.process is not None
        self.process.send_signal(sig)

    def wait(self, timeout: float = 30.0) -> int:
        assert self.process is not None
        return self.process.wait(timeout=timeout)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-4000:]
        except OSError:
            return ""


def rss_kb(pid: int, field: str = "VmRSS") -> int:
    """Resident memory of a process from /proc (VmRSS now, VmHWM its peak), in kB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise LookupError(f"{field} not in /proc/{pid}/status")


class LivenessProbe:
    """Asks a service's /healthz every `interval` seconds from a thread, recording the slowest
    answer, the failures and the largest RSS seen, until stopped. A process whose RSS passes
    `kill_above_kb` is SIGKILLed: a runaway must not take the machine's memory with it."""

    def __init__(
        self,
        proc: ServiceProcess,
        *,
        interval: float = 0.1,
        timeout: float = 3.0,
        kill_above_kb: int = 1_000_000,
    ) -> None:
        assert proc.process is not None
        self.kill_above_kb = kill_above_kb
        self.url = f"http://127.0.0.1:{proc.port}/healthz"
        self.pid = proc.process.pid
        self.interval = interval
        self.timeout = timeout
        self.slowest_s = 0.0
        self.answers = 0
        self.failures: list[str] = []
        self.max_rss_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        with httpx.Client(timeout=self.timeout) as client:
            while not self._stop.is_set():
                started = time.monotonic()
                try:
                    reply = client.get(self.url)
                    if reply.status_code != 200:
                        self.failures.append(f"/healthz answered {reply.status_code}")
                    self.answers += 1
                except httpx.HTTPError as exc:
                    self.failures.append(f"/healthz: {type(exc).__name__}")
                self.slowest_s = max(self.slowest_s, time.monotonic() - started)
                with contextlib.suppress(OSError, LookupError):
                    self.max_rss_kb = max(self.max_rss_kb, rss_kb(self.pid))
                if self.max_rss_kb > self.kill_above_kb:
                    self.failures.append(f"RSS {self.max_rss_kb} kB: killed")
                    with contextlib.suppress(OSError):
                        os.kill(self.pid, signal.SIGKILL)
                    return
                self._stop.wait(self.interval)

    def start(self) -> LivenessProbe:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=self.timeout + 5)

    @property
    def failed(self) -> bool:
        return bool(self.failures)
