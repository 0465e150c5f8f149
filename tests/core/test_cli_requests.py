"""Request options on the command line, as a subprocess: flags, abbreviations refused, --config, secrets."""

from __future__ import annotations

import csv
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.testbed.background import BackgroundLoop
from tests.testbed.echo import EchoServer

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "pw-Zq81-never-written"
TOKEN = "tok-Xy42-never-written"
COOKIE = "ck-Vv07-never-written"
PROXY_PASSWORD = "px-Ww55-never-written"


def _run(*args: str, env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    import os

    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT, env=full_env)


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def origins() -> Iterator[tuple[EchoServer, EchoServer]]:
    with BackgroundLoop() as bg:
        yield (EchoServer(bg, basic=("alice", PASSWORD), bearer=TOKEN).start(),
               EchoServer(bg, basic=("alice", PASSWORD), bearer=TOKEN, robots="User-agent: *\nDisallow: /echo/no\n")
               .start())


@pytest.mark.parametrize("args", [
    ["--user-a", "x"],  # once an abbreviation of --user-agent
    ["--cook", "a=b"],
    ["--head", "X: y"],
    ["--rat", "3"],
    ["--robot", "obey"],
    ["--user-agnet", "x"],  # mistyped
])
def test_abbreviated_or_mistyped_flags_are_refused(args: list[str], tmp_path) -> None:
    urls = tmp_path / "u.txt"
    urls.write_text("http://127.0.0.1:9/\n")
    proc = _run("--headless", *args, str(urls), timeout=60)
    assert proc.returncode == 2, proc.stderr
    assert "unrecognized arguments" in proc.stderr or "ambiguous" in proc.stderr or "invalid" in proc.stderr


@pytest.mark.parametrize(("args", "message"), [
    (["--header", "Host: evil.test"], "set by the HTTP layer"),
    (["--header", "Connection: close"], "set by the HTTP layer"),
    (["--cookie", "no-equals"], "name=value"),
    (["--user", "nocolon"], "USER:PASSWORD"),
    (["--user", "a:b", "--bearer", "t"], "only one"),
    (["--user-env", "FL_UNSET_VAR_X"], "not set"),
    (["--proxy", "http://p.test:1", "--no-proxy"], "cannot be combined"),
    (["--method", "POST"], "GET, HEAD or HEAD,GET"),
    (["--rate", "-2"], "0 (no limit)"),
    (["--cookies", "missing-cookies.txt"], "cannot read the cookies file"),
    (["--config", "missing.toml"], "cannot read"),
])
def test_bad_request_options_exit_2(args: list[str], message: str, tmp_path) -> None:
    urls = tmp_path / "u.txt"
    urls.write_text("http://127.0.0.1:9/\n")
    out = tmp_path / "o.csv"
    proc = _run("--headless", "--no-journal", "--csv", str(out), *args, str(urls), timeout=60)
    assert proc.returncode == 2, proc.stderr
    assert message in proc.stderr and not out.exists()


def test_user_is_basic_auth_not_the_user_agent(origins, tmp_path) -> None:
    a, _b = origins
    a.clear()
    urls = tmp_path / "u.txt"
    urls.write_text(f"{a.url}/basic\n")
    out = tmp_path / "o.csv"
    proc = _run("--headless", "--no-journal", "--robots", "ignore", "--user", f"alice:{PASSWORD}",
                "--csv", str(out), str(urls))
    assert proc.returncode == 0, proc.stderr
    assert _rows(out)[0]["status_code"] == "200"
    [seen] = a.records
    assert PASSWORD not in seen.headers["user-agent"] and seen.headers["authorization"].startswith("Basic ")


def test_config_file_per_host_and_command_line_wins(origins, tmp_path) -> None:
    a, b = origins
    a.clear()
    b.clear()
    cfg = tmp_path / "fetchlens.toml"
    cfg.write_text(f"""
robots = "obey"
headers = {{ "X-From" = "file" }}

[hosts."127.0.0.1:{a.port}"]
bearer_env = "FL_TEST_BEARER"
headers = {{ "X-Host" = "a" }}

[hosts."127.0.0.1:{b.port}"]
user_env = "FL_TEST_LOGIN"
""")
    urls = tmp_path / "u.txt"
    urls.write_text(f"{a.url}/bearer\n{b.url}/basic\n{b.url}/echo/no\n")
    out = tmp_path / "o.csv"
    proc = _run("--headless", "--no-journal", "--config", str(cfg), "--header", "X-From: cli", "--csv", str(out),
                str(urls), env={"FL_TEST_BEARER": TOKEN, "FL_TEST_LOGIN": f"alice:{PASSWORD}"})
    assert proc.returncode == 0, proc.stderr
    rows = _rows(out)
    assert [r["status_code"] for r in rows] == ["200", "200", ""]
    assert rows[2]["error_kind"] == "robots" and rows[2]["error"] == "Disallow: /echo/no"
    assert rows[2]["robots"] == "Disallow: /echo/no"
    page = next(r for r in a.records if r.path == "/bearer")
    assert page.headers["x-from"] == "cli" and page.headers["x-host"] == "a"
    proc = _run("--headless", "--no-journal", "--config", str(cfg), "--robots", "report", "--csv", str(out),
                str(urls), env={"FL_TEST_BEARER": TOKEN, "FL_TEST_LOGIN": f"alice:{PASSWORD}"})
    rows = _rows(out)
    assert rows[2]["status_code"] == "200" and rows[2]["robots"] == "Disallow: /echo/no"


@pytest.mark.parametrize("mode", ["sync", "threads", "async"])
def test_secrets_never_reach_csv_journal_or_log(mode: str, origins, tmp_path) -> None:
    a, b = origins
    cfg = tmp_path / "fetchlens.toml"
    cfg.write_text(f'[hosts."127.0.0.1:{b.port}"]\nbearer = "{TOKEN}"\ncookies = {{ sid = "{COOKIE}" }}\n')
    urls = tmp_path / "u.txt"
    urls.write_text(f"{a.url}/basic\n{b.url}/bearer\n{a.url}/to?url={b.url}/echo/x\n")
    data = tmp_path / "data"
    out = tmp_path / "o.csv"
    proc = _run("--headless", "--mode", mode, "-vv", "--data-dir", str(data), "--config", str(cfg),
                "--user", f"alice:{PASSWORD}", "--cookie", f"other={COOKIE}x", "--csv", str(out), str(urls))
    assert proc.returncode == 0, proc.stderr
    assert [r["status_code"] for r in _rows(out)] == ["200", "200", "200"]
    # A proxy whose password ends up in library error messages: every row fails.
    closed = tmp_path / "closed.txt"
    closed.write_text(f"{a.url}/echo/y\n")
    proc2 = _run("--headless", "--mode", mode, "-vv", "--data-dir", str(data), "--retries", "0",
                 "--proxy", f"http://bob:{PROXY_PASSWORD}@127.0.0.1:9", "--csv", str(tmp_path / "p.csv"), str(closed))
    assert proc2.returncode == 0, proc2.stderr
    assert _rows(tmp_path / "p.csv")[0]["error_kind"] in ("connect", "other")
    blobs = {
        "csv": out.read_bytes() + (tmp_path / "p.csv").read_bytes(),
        "log": (proc.stderr + proc.stdout + proc2.stderr + proc2.stdout).encode(),
        "journal": b"".join(p.read_bytes() for p in data.iterdir() if p.is_file()),
    }
    assert blobs["journal"] and b"DEBUG" in blobs["log"]
    for where, blob in blobs.items():
        for secret in (PASSWORD, TOKEN, COOKIE, PROXY_PASSWORD):
            assert secret.encode() not in blob, f"{secret} found in the {where}"


def test_environment_proxy_and_no_proxy_flag(origins, tmp_path) -> None:
    from tests.testbed.proxies import HttpProxy

    a, _b = origins
    urls = tmp_path / "u.txt"
    urls.write_text(f"{a.url}/echo/via-env\n")
    out = tmp_path / "o.csv"
    with BackgroundLoop() as bg:
        proxy = HttpProxy(bg).start()
        env = {"HTTP_PROXY": proxy.url, "http_proxy": proxy.url, "NO_PROXY": "", "no_proxy": ""}
        for mode in ("sync", "async"):
            proc = _run("--headless", "--no-journal", "--mode", mode, "--robots", "ignore", "--csv", str(out),
                        str(urls), env=env)
            assert proc.returncode == 0 and _rows(out)[0]["status_code"] == "200", proc.stderr
        assert [r.path for r in proxy.records] == ["/echo/via-env", "/echo/via-env"]
        proxy.clear()
        proc = _run("--headless", "--no-journal", "--no-proxy", "--robots", "ignore", "--csv", str(out), str(urls),
                    env=env)
        assert proc.returncode == 0 and _rows(out)[0]["status_code"] == "200", proc.stderr
        assert proxy.records == []
