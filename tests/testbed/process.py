"""Start the test bed in a subprocess and find out where it listens.

``ServerProcess`` runs ``python -m tests.testbed.server`` with ``sys.executable``, waits for
the announced URL lines, and terminates the process on exit::

    with ServerProcess(raw=True) as server:
        requests.get(server.url + "/page/1")
"""

from __future__ import annotations

import logging
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import IO, Self

from tests.testbed.server import RAW_PREFIX, TESTBED_PREFIX

log = logging.getLogger(__name__)

__all__ = ["ROOT", "ServerProcess"]

ROOT = Path(__file__).resolve().parents[2]
"""The repository root (the subprocess runs there)."""


def _pump(stream: IO[str], lines: queue.Queue[str | None]) -> None:
    """Forward stdout lines to ``lines`` (``None`` at EOF); keeps the pipe drained."""
    with stream:
        for line in stream:
            lines.put(line.rstrip("\r\n"))
    lines.put(None)


class ServerProcess:
    """The test-bed server in a subprocess (context manager).

    Attributes:
        url: Base URL of the HTTP (or HTTPS) app, e.g. ``http://127.0.0.1:40123``.
        raw_url: Base URL of the raw server, or ``""`` when not started.
        log_path: File receiving the server's stderr (removed on stop unless ``keep_log``).
        returncode: Exit status once stopped.
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        raw: bool = True,
        raw_port: int = 0,
        tls_cert: str | os.PathLike[str] | None = None,
        tls_key: str | os.PathLike[str] | None = None,
        startup_timeout: float = 30.0,
        log_level: str = "WARNING",
        keep_log: bool = False,
    ) -> None:
        """Configure (nothing starts until :meth:`start` or ``with``).

        Args:
            host: Interface to bind.
            port: HTTP(S) port; 0 picks a free one.
            raw: Also start the raw misbehaving server.
            raw_port: Its port; 0 picks a free one.
            tls_cert: PEM certificate chain; with ``tls_key`` the app is served over HTTPS.
            tls_key: PEM private key.
            startup_timeout: Seconds to wait for the URL lines.
            log_level: The server's logging level.
            keep_log: Keep ``log_path`` after stopping.
        """
        self.url = ""
        self.raw_url = ""
        self.returncode: int | None = None
        self._args = ["--host", host, "--port", str(port), "--log-level", log_level]
        if raw:
            self._args += ["--raw-port", str(raw_port)]
        if tls_cert is not None and tls_key is not None:
            self._args += ["--tls-cert", os.fspath(tls_cert), "--tls-key", os.fspath(tls_key)]
        self._want_raw = raw
        self._timeout = startup_timeout
        self._keep_log = keep_log
        self._proc: subprocess.Popen[str] | None = None
        fd, name = tempfile.mkstemp(prefix="fetchlens-testbed-", suffix=".log")
        os.close(fd)
        self.log_path = Path(name)

    @property
    def pid(self) -> int | None:
        """The subprocess id while running."""
        return self._proc.pid if self._proc is not None else None

    def start(self) -> Self:
        """Start the subprocess and wait until it announces its URLs.

        Raises:
            RuntimeError: The server exited or stayed silent past ``startup_timeout``.
        """
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
        env["PYTHONUNBUFFERED"] = "1"
        command = [sys.executable, "-m", "tests.testbed.server", *self._args]
        with self.log_path.open("wb") as log_file:
            self._proc = subprocess.Popen(
                command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=log_file, text=True
            )
        assert self._proc.stdout is not None
        lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=_pump, args=(self._proc.stdout, lines), name="testbed-stdout", daemon=True).start()
        deadline = time.monotonic() + self._timeout
        while not self.url or (self._want_raw and not self.raw_url):
            try:
                line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                self._fail(f"no URL line within {self._timeout:.0f} s")
            if line is None:
                self._fail("the server exited before announcing its URL")
            prefix, _, value = line.partition(" ")
            if prefix == TESTBED_PREFIX:
                self.url = value.strip()
            elif prefix == RAW_PREFIX:
                self.raw_url = value.strip()
            else:
                log.info("testbed stdout: %s", line)
        log.info("testbed pid %s at %s (raw %s)", self._proc.pid, self.url, self.raw_url or "-")
        return self

    def _fail(self, reason: str) -> None:
        self.stop(keep_log=True)
        tail = self.log_path.read_text(errors="replace")[-4000:]
        raise RuntimeError(f"testbed server failed to start: {reason}; stderr ({self.log_path}):\n{tail}")

    def stop(self, timeout: float = 10.0, keep_log: bool | None = None) -> None:
        """Terminate (SIGTERM), wait, kill if it does not exit within ``timeout`` seconds."""
        proc, self._proc = self._proc, None
        if proc is not None:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout)
                except subprocess.TimeoutExpired:
                    log.warning("testbed pid %s ignored SIGTERM; killing it", proc.pid)
                    proc.kill()
                    proc.wait(timeout)
            self.returncode = proc.returncode
        if not (self._keep_log if keep_log is None else keep_log):
            self.log_path.unlink(missing_ok=True)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
