"""Interrupts and a second builder: a build stopped by SIGINT or SIGTERM publishes nothing, exits 130 or 143
with one line, and leaves its build file reusable; a second build while one runs names the holder and
touches nothing.

Each build is paused at a named point (``METALNEXUS_PAUSE_AT``, ``warehouse.buildfile.crash_point``) and
signalled from outside, as a terminal or a service manager would. The builds start from a copy of the tiny
build's files, so everything before the point is resumed, not redone: while dbt writes models, and between
the checks, and (in `make soak`, a whole build long) between publish's copy and its rename, the latest point
at which a build can still stop without publishing.
"""

import os
import shutil
import signal
import subprocess
import sys
import time

import duckdb
import pytest

from tests.helpers import PROGRESS, STACK_TRACE, sha256

pytestmark = pytest.mark.slow


def _command(world, published):
    return [sys.executable, "-m", "orchestration.cli", "build", "--data-dir", str(world), "--warehouse", str(published)]


@pytest.fixture
def warehouse_copy(tiny_build, tmp_path):
    """The tiny build's published and build files, copied where a build of the same world resumes them."""
    published = tmp_path / "metalnexus.duckdb"
    shutil.copyfile(tiny_build["published"], published)
    build = tmp_path / "build" / "metalnexus.build.duckdb"
    build.parent.mkdir()
    shutil.copyfile(tiny_build["build"], build)
    return {"world": tiny_build["data_dir"], "published": published, "build": build, "sha256": sha256(published)}


def _start_paused(copy, point):
    process = subprocess.Popen(
        _command(copy["world"], copy["published"]),
        env={**os.environ, "METALNEXUS_PAUSE_AT": point},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's foreground job has
    )
    lines = []
    while line := process.stderr.readline():
        lines.append(line)
        if line.startswith(f"  · paused at {point}"):
            return process, lines
    process.wait()
    raise AssertionError(f"the build ended (status {process.returncode}) before {point}:\n{''.join(lines)[-3000:]}")


def _finish(process, lines, timeout=120):
    code = process.wait(timeout=timeout)
    return code, "".join(lines) + process.stderr.read()


def _assert_one_clear_line(stderr, expected_last):
    assert not STACK_TRACE.search(stderr), stderr[-3000:]
    lines = stderr.splitlines()
    assert lines[-1].startswith(expected_last), lines[-1]
    assert all(PROGRESS.match(line) for line in lines[:-1]), [line for line in lines[:-1] if not PROGRESS.match(line)]


def _group_gone(pgid, seconds=10):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    return False


def test_ctrl_c_while_dbt_writes_and_a_second_builder_meanwhile(warehouse_copy):
    copy = warehouse_copy
    first, lines = _start_paused(copy, "dbt_build")
    try:
        # a second build of the same warehouse, while the first holds it: refused at once, naming the holder
        started = time.monotonic()
        second = subprocess.run(_command(copy["world"], copy["published"]), capture_output=True, text=True, timeout=120)
        second_seconds = time.monotonic() - started
        assert second.returncode == 1, second.stderr
        assert not STACK_TRACE.search(second.stderr)
        busy = second.stderr.splitlines()
        assert len(busy) == 2 and f"in use by process {first.pid}" in busy[1], busy
        assert sorted(p.name for p in copy["build"].parent.iterdir() if "broken" in p.name) == []
        assert (copy["build"].parent / "metalnexus.build.duckdb.lock").read_text().strip() == str(first.pid)
        # Ctrl-C reaches the terminal's whole foreground group: the build and dbt under it
        os.killpg(first.pid, signal.SIGINT)
        code, stderr = _finish(first, lines)
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
    assert code == 130, stderr[-3000:]
    _assert_one_clear_line(stderr, "interrupted (SIGINT): nothing was published")
    assert _group_gone(first.pid)  # dbt did not outlive the build
    assert sha256(copy["published"]) == copy["sha256"]
    assert not list(copy["build"].parent.glob("*.broken-*"))
    with duckdb.connect(str(copy["build"])) as con:  # reusable as it is: the next build resumes it
        assert con.execute("select count(*) from raw.baci_flows").fetchone()[0] > 0
    n_lines = len(stderr.splitlines())
    print(f"second builder refused in {second_seconds:.1f} s; interrupted build's stderr: {n_lines} lines")


def test_sigterm_during_the_checks_publishes_nothing(warehouse_copy):
    copy = warehouse_copy
    process, lines = _start_paused(copy, "asset_check")
    try:
        os.kill(process.pid, signal.SIGTERM)  # a service manager stops the builder itself, not its group
        code, stderr = _finish(process, lines)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert code == 143, stderr[-3000:]
    _assert_one_clear_line(stderr, "interrupted (SIGTERM): nothing was published")
    assert sha256(copy["published"]) == copy["sha256"]
    assert not list(copy["build"].parent.glob("*.broken-*"))
    with duckdb.connect(str(copy["build"]), read_only=True) as con:
        assert con.execute("select count(*) from marts.dim_metal").fetchone()[0] == 53
    print(f"interrupted build's stderr: {len(stderr.splitlines())} lines")


@pytest.mark.soak  # a whole tiny build long (~80 s on a quiet machine): `make soak`; the unit test
# tests/unit/test_buildfile.py signals publish_file at the same point in 2 s
def test_sigterm_between_publish_copy_and_rename_publishes_nothing(warehouse_copy):
    copy = warehouse_copy
    process, lines = _start_paused(copy, "publish_rename")
    try:
        os.kill(process.pid, signal.SIGTERM)  # a service manager stops the builder itself, not its group
        code, stderr = _finish(process, lines)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert code == 143, stderr[-3000:]
    _assert_one_clear_line(stderr, "interrupted (SIGTERM): nothing was published")
    assert sha256(copy["published"]) == copy["sha256"]
    assert not list(copy["published"].parent.glob(".metalnexus.duckdb.tmp-*"))
    with duckdb.connect(str(copy["build"]), read_only=True) as con:
        assert con.execute("select count(*) from marts.dim_metal").fetchone()[0] == 53
    print(f"interrupted build's stderr: {len(stderr.splitlines())} lines")
