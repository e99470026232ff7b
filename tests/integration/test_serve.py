"""`metalnexus serve` stops cleanly: SIGTERM or SIGINT to it ends dagster dev, its webserver, daemon and
code server — no process started under it survives."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from orchestration.cli import _alive_any, _descendants

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


# both signals take the same path in cmd_serve; SIGINT's run (a UI start-up, ~30 s) is in `make soak`
@pytest.mark.parametrize(
    "signum", [signal.SIGTERM, pytest.param(signal.SIGINT, marks=pytest.mark.soak)], ids=["SIGTERM", "SIGINT"]
)
def test_serve_stops_with_every_child_on_a_signal(signum, tmp_path, dagster_home):
    port = _free_port()
    serve = subprocess.Popen(
        [sys.executable, "-m", "orchestration.cli", "serve", "--port", str(port)],
        env={**os.environ, "DAGSTER_HOME": str(dagster_home)},
        stdout=subprocess.DEVNULL,
        stderr=open(tmp_path / "serve.err", "w"),  # noqa: SIM115 - closed with the process
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 240
        while not _answers(f"http://127.0.0.1:{port}/server_info"):
            assert serve.poll() is None, (tmp_path / "serve.err").read_text()[-2000:]
            assert time.monotonic() < deadline, "the UI never answered"
            time.sleep(1)
        tree = _descendants(serve.pid)
        assert len(tree) >= 3  # dagster dev, the webserver, the daemon (and code servers)
        os.kill(serve.pid, signum)  # the command itself, as a service manager or a Ctrl-C would
        code = serve.wait(timeout=90)
    finally:
        if serve.poll() is None:
            os.killpg(serve.pid, signal.SIGKILL)
    assert code == 128 + signum, (tmp_path / "serve.err").read_text()[-2000:]
    time.sleep(0.5)
    assert not _alive_any(tree), "a child of serve survived"
    assert not _answers(f"http://127.0.0.1:{port}/server_info")
