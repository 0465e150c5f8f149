"""An HTTPS test bed: the same app behind a certificate from a throwaway trustme CA.

The server runs as a subprocess (``ServerProcess`` with ``--tls-cert/--tls-key``), so its
event loop never competes with the tests'. Clients trust it with ``ca_path``; a client
that does not gets a certificate-verification failure (the ``tls`` error kind).
"""

from __future__ import annotations

import logging
import shutil
import ssl
import tempfile
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Self

import trustme

from tests.testbed.process import ServerProcess

log = logging.getLogger(__name__)

__all__ = ["TLSFiles", "TLSServer", "write_tls_files"]


@dataclass(frozen=True, slots=True)
class TLSFiles:
    """PEM files for one throwaway CA and a server certificate it signed."""

    ca_path: Path
    cert_path: Path
    key_path: Path


def write_tls_files(directory: Path, hostnames: tuple[str, ...] = ("127.0.0.1", "localhost")) -> TLSFiles:
    """Create a trustme CA and a server certificate for ``hostnames`` in ``directory``.

    Args:
        directory: Where to write ``ca.pem``, ``server.pem`` and ``server.key``.
        hostnames: Subject alternative names of the server certificate.

    Returns:
        The paths written.
    """
    directory.mkdir(parents=True, exist_ok=True)
    ca = trustme.CA()
    cert = ca.issue_cert(*hostnames)
    files = TLSFiles(directory / "ca.pem", directory / "server.pem", directory / "server.key")
    ca.cert_pem.write_to_path(str(files.ca_path))
    cert.private_key_pem.write_to_path(str(files.key_path))
    with files.cert_path.open("wb") as chain:
        for blob in cert.cert_chain_pems:
            chain.write(blob.bytes())
    return files


class TLSServer:
    """The HTTPS test bed in a subprocess (context manager).

    Attributes:
        url: Base URL, ``https://127.0.0.1:PORT``.
        ca_path: Path (str) of the CA certificate that signed the server's certificate.
        files: All PEM paths.
    """

    def __init__(self, directory: Path | None = None, startup_timeout: float = 30.0) -> None:
        """Configure.

        Args:
            directory: Where to put the PEM files; a temporary directory (removed on stop) if None.
            startup_timeout: Seconds to wait for the server to announce its URL.
        """
        self._own_dir = directory is None
        self._dir = Path(tempfile.mkdtemp(prefix="fetchlens-tls-")) if directory is None else directory
        self.files = write_tls_files(self._dir)
        self.ca_path = str(self.files.ca_path)
        self.url = ""
        self._process = ServerProcess(
            raw=False, tls_cert=self.files.cert_path, tls_key=self.files.key_path, startup_timeout=startup_timeout
        )

    def client_context(self) -> ssl.SSLContext:
        """An SSL context for clients that trusts this server's CA."""
        return ssl.create_default_context(cafile=self.ca_path)

    def start(self) -> Self:
        """Start the server subprocess and wait for its URL."""
        self._process.start()
        self.url = self._process.url
        log.info("TLS testbed at %s (CA %s)", self.url, self.ca_path)
        return self

    def stop(self) -> None:
        """Stop the server and remove the temporary directory we created."""
        self._process.stop()
        if self._own_dir:
            shutil.rmtree(self._dir, ignore_errors=True)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
