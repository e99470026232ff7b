"""The downloader against a local HTTP server on 127.0.0.1 (no test reaches the internet)."""

import hashlib
import http.server
import threading

import pytest

from warehouse.errors import InputError
from warehouse.fetch import fetch

PAYLOAD = bytes(range(256)) * 4096  # 1 MiB of known bytes


class RangeHandler(http.server.BaseHTTPRequestHandler):
    """Serves /data.csv with Range support, /norange.csv without, and counts requests."""

    requests: list = []

    def log_message(self, *args):  # keep test output quiet
        pass

    def do_GET(self):  # noqa: N802 - http.server naming
        RangeHandler.requests.append((self.path, self.headers.get("Range")))
        if self.path not in {"/data.csv", "/norange.csv"}:
            self.send_error(404, "Not Found")
            return
        start = 0
        ranged = self.headers.get("Range")
        if ranged and self.path == "/data.csv":
            start = int(ranged.split("=")[1].rstrip("-"))
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(PAYLOAD) - 1}/{len(PAYLOAD)}")
        else:
            self.send_response(200)
        body = PAYLOAD[start:]
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), RangeHandler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    RangeHandler.requests = []
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_download_verifies_and_records_checksum(server, tmp_path):
    lines = []
    path = fetch(f"{server}/data.csv", tmp_path, "baci", progress=lines.append)
    assert path == tmp_path / "baci" / "data.csv"
    assert path.read_bytes() == PAYLOAD
    digest = hashlib.sha256(PAYLOAD).hexdigest()
    assert (tmp_path / "baci" / "data.csv.sha256").read_text().split()[0] == digest
    assert any("100%" in line for line in lines)
    # a second fetch finds the verified file and downloads nothing
    before = len(RangeHandler.requests)
    fetch(f"{server}/data.csv", tmp_path, "baci")
    assert len(RangeHandler.requests) == before


def test_interrupted_download_resumes_with_range(server, tmp_path):
    folder = tmp_path / "baci"
    folder.mkdir()
    (folder / "data.csv.part").write_bytes(PAYLOAD[:300_000])
    path = fetch(f"{server}/data.csv", tmp_path, "baci", sha256=hashlib.sha256(PAYLOAD).hexdigest())
    assert path.read_bytes() == PAYLOAD
    assert RangeHandler.requests[-1] == ("/data.csv", "bytes=300000-")
    assert not (folder / "data.csv.part").exists()


def test_server_without_range_restarts_cleanly(server, tmp_path):
    folder = tmp_path / "x"
    folder.mkdir()
    (folder / "norange.csv.part").write_bytes(b"garbage")
    path = fetch(f"{server}/norange.csv", tmp_path, "x")
    assert path.read_bytes() == PAYLOAD


def test_checksum_mismatch_removes_the_download(server, tmp_path):
    with pytest.raises(InputError, match="sha256 mismatch"):
        fetch(f"{server}/data.csv", tmp_path, "baci", sha256="0" * 64)
    assert not (tmp_path / "baci" / "data.csv").exists()
    assert not (tmp_path / "baci" / "data.csv.part").exists()


def test_http_error_and_refused_schemes(server, tmp_path):
    with pytest.raises(InputError, match="HTTP 404"):
        fetch(f"{server}/missing.csv", tmp_path, "baci")
    with pytest.raises(InputError, match="only http"):
        fetch("file:///etc/passwd", tmp_path, "baci")
    with pytest.raises(InputError, match="outside"):
        fetch(f"{server}/data.csv", tmp_path, "../escape")


def test_baci_release_is_a_parameter_defaulting_to_the_newest_known():
    from warehouse.fetch import BACI_RELEASES, RELEASES, baci_url

    assert RELEASES["baci"].url == baci_url(BACI_RELEASES[-1]) == baci_url()
    assert baci_url("V202401b").endswith("/BACI_HS92_V202401b.zip")
    with pytest.raises(InputError, match="not a BACI release name"):
        baci_url("202401b/../x")


def test_fetch_cli_refuses_release_for_other_sources(tmp_path):
    from orchestration.cli import EXIT_BAD_INPUT, main

    assert main(["fetch", "wgi", "--out", str(tmp_path), "--release", "V202401b"]) == EXIT_BAD_INPUT
