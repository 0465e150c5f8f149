"""Real local HTTP servers for the tests and benchmarks (no internet needed).

* ``app``: the aiohttp application (pages, redirects, retries, slow and broken bodies, charsets).
* ``raw``: a raw TCP server for resets, short bodies, bad chunking and garbage.
* ``server``: ``python -m tests.testbed.server`` runs both; ``process.ServerProcess`` drives it.
* ``tls``: the same app over HTTPS with a trustme CA.
* ``fixtures``: the pytest plugin (``testbed``, ``tls_server``, ``closed_port_url``, ``unique_key``).
"""
