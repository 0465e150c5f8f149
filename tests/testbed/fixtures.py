"""Pytest plugin (registered in ``tests/conftest.py``): the test bed as fixtures.

* ``testbed`` (session): a running :class:`ServerProcess`; ``.url`` is the app's base URL
  (``http://127.0.0.1:PORT``), ``.raw_url`` the raw misbehaving server's.
* ``tls_server`` (session): a running :class:`TLSServer`; ``.url`` (``https://...``) and
  ``.ca_path`` (the trustme CA to verify it with).
* ``closed_port_url`` (session): ``http://127.0.0.1:PORT`` where nothing listens.
* ``unique_key`` (function): a fresh uuid hex, for ``/retry?key=`` and ``/count?key=``.
"""

from __future__ import annotations

import logging
import socket
import uuid
from collections.abc import Iterator

import pytest

from tests.testbed.process import ServerProcess
from tests.testbed.tls import TLSServer

log = logging.getLogger(__name__)

__all__ = ["closed_port_url", "testbed", "tls_server", "unique_key"]


@pytest.fixture(scope="session")
def testbed() -> Iterator[ServerProcess]:
    """The HTTP test bed and the raw server, one subprocess for the whole session."""
    with ServerProcess(raw=True) as server:
        yield server


@pytest.fixture(scope="session")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TLSServer]:
    """The HTTPS test bed with a trustme certificate; verify with ``.ca_path``."""
    with TLSServer(tmp_path_factory.mktemp("tls")) as server:
        yield server


@pytest.fixture(scope="session")
def closed_port_url() -> str:
    """A URL whose port refuses connections (bound, then released, never listened on)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def unique_key() -> str:
    """A key no other test uses (server-side hit counters live for the whole session)."""
    return uuid.uuid4().hex
