"""Crash safety and concurrent readers: a build killed where it writes leaves the published warehouse
byte-for-byte intact, the next build completes with the same marts, and read-only queries keep succeeding
during a build.

The kills land at the boundaries that matter (``warehouse.buildfile.crash_point``): inside a BACI year's
load transaction, while dbt writes models, during the mart checks. The kill between publish's copy and its
rename is a unit test (``tests/unit/test_buildfile.py``). Twenty kills at random times are the soak test
(``make soak``): most of them land in code that never touches the published file.
"""

import os
import random
import shutil
import signal
import subprocess
import sys
import time

import duckdb
import pytest

from tests.helpers import PROGRESS, STACK_TRACE, mart_fingerprint, sha256

pytestmark = pytest.mark.slow

KILL_POINTS = ("baci_year_load", "dbt_build", "asset_check")


def build_command(world, published):
    return [
        sys.executable,
        "-m",
        "orchestration.cli",
        "build",
        "--source",
        "demo",
        "--data-dir",
        str(world),
        "--warehouse",
        str(published),
    ]


@pytest.fixture(scope="module")
def published(tiny_build, tmp_path_factory):
    """A published warehouse (a copy of the tiny build's) with no build file beside it yet."""
    target = tmp_path_factory.mktemp("crash") / "metalnexus.duckdb"
    shutil.copyfile(tiny_build["published"], target)
    return target


@pytest.fixture(scope="module")
def crash_sequence(published, tiny_build):
    """Kill a build at each point in turn (each resuming what the last left), then build to the end while
    read-only queries poll the published file."""
    world, before = tiny_build["data_dir"], sha256(published)
    kills = {}
    for point in KILL_POINTS:
        done = subprocess.run(
            build_command(world, published),
            env={**os.environ, "METALNEXUS_CRASH_AT": point},
            capture_output=True,
            text=True,
            timeout=600,
            start_new_session=True,
        )
        kills[point] = (done.returncode, sha256(published) == before)
    process = subprocess.Popen(
        build_command(world, published),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    served, failed = 0, []
    try:
        while process.poll() is None:
            try:
                with duckdb.connect(str(published), read_only=True) as con:
                    assert con.execute("select count(*) from marts.dim_metal").fetchone()[0] == 53
                served += 1
            except duckdb.Error as exc:  # pragma: no cover - the assertion reports it
                failed.append(str(exc))
            time.sleep(0.05)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    return {"kills": kills, "code": process.wait(), "stderr": process.stderr.read(), "served": served, "failed": failed}


def test_kills_where_the_build_writes_never_touch_the_published_warehouse(crash_sequence, published, tiny_build):
    # -9: the build reached the point and died there; True: the published file is byte-for-byte as it was
    assert crash_sequence["kills"] == {point: (-signal.SIGKILL, True) for point in KILL_POINTS}
    # the build after the kills resumes from what they left and publishes the same marts
    assert crash_sequence["code"] == 0, crash_sequence["stderr"][-2000:]
    # no exception of any library on the terminal (Great Expectations' included): progress lines only
    assert not STACK_TRACE.search(crash_sequence["stderr"]), crash_sequence["stderr"][-3000:]
    assert all(PROGRESS.match(line) for line in crash_sequence["stderr"].splitlines())
    assert mart_fingerprint(published) == mart_fingerprint(tiny_build["published"])
    assert not list(published.parent.glob(f".{published.name}.tmp-*"))


def test_read_only_queries_succeed_while_a_build_runs(crash_sequence):
    assert crash_sequence["failed"] == []
    assert crash_sequence["served"] >= 20
    print(f"read-only queries served during one build: {crash_sequence['served']}")


@pytest.mark.soak
def test_sigkill_at_20_random_points_never_damages_the_published_warehouse(tiny_build, tmp_path):
    world = tiny_build["data_dir"]
    published = tmp_path / "metalnexus.duckdb"
    started = time.monotonic()
    assert subprocess.run(build_command(world, published), capture_output=True, timeout=900).returncode == 0
    seconds, reference = time.monotonic() - started, mart_fingerprint(published)
    rng = random.Random(20261129)
    for delay in sorted(rng.uniform(0.5, seconds * 1.05) for _ in range(20)):
        process = subprocess.Popen(
            build_command(world, published),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        time.sleep(delay)
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=60)
        assert mart_fingerprint(published) == reference, f"damaged after kill at {delay:.1f}s"
    assert subprocess.run(build_command(world, published), capture_output=True, timeout=900).returncode == 0
    assert mart_fingerprint(published) == reference
