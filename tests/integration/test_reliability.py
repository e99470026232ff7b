"""Crash safety and concurrent readers: a build killed anywhere leaves the published warehouse intact,
the next build completes with the same marts, and read-only queries keep succeeding during a build."""

import os
import random
import signal
import subprocess
import sys
import time

import duckdb
import pytest

from tests.integration.test_build import mart_fingerprint

pytestmark = pytest.mark.slow


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


def run_to_end(world, published):
    started = time.monotonic()
    done = subprocess.run(build_command(world, published), capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    return time.monotonic() - started


@pytest.fixture(scope="module")
def reference(tiny_build, tmp_path_factory):
    """A warehouse built to completion from the tiny world, its fingerprint and how long a build takes."""
    published = tmp_path_factory.mktemp("crash") / "metalnexus.duckdb"
    seconds = run_to_end(tiny_build["data_dir"], published)
    return {"published": published, "fingerprint": mart_fingerprint(published), "seconds": seconds}


def test_sigkill_at_20_points_never_damages_the_published_warehouse(reference, tiny_build):
    world, published = tiny_build["data_dir"], reference["published"]
    rng = random.Random(20261129)
    points = sorted(rng.uniform(0.5, reference["seconds"] * 1.05) for _ in range(20))
    survived = 0
    for delay in points:
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
        # whatever the moment of the kill, the published file opens and holds the complete marts
        assert mart_fingerprint(published) == reference["fingerprint"], f"damaged after kill at {delay:.1f}s"
        survived += 1
    assert survived == 20
    run_to_end(world, published)
    assert mart_fingerprint(published) == reference["fingerprint"]
    assert not list(published.parent.glob(f".{published.name}.tmp-*"))


def test_read_only_queries_succeed_while_a_build_runs(reference, tiny_build):
    published = reference["published"]
    process = subprocess.Popen(
        build_command(tiny_build["data_dir"], published),
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
            except duckdb.Error as exc:  # pragma: no cover - the assertion below reports it
                failed.append(str(exc))
            time.sleep(0.05)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert process.wait() == 0, process.stderr.read()[-2000:]
    assert failed == []
    assert served >= 20
    print(f"read-only queries served during one build: {served}, failed: {len(failed)}")
