"""The build file's life cycle without a build: publish by atomic rename, a kill between copy and rename,
the clean-up after it, and a build file DuckDB cannot open."""

import os
import signal
import subprocess
import sys

import duckdb
import pytest

from tests.helpers import sha256
from warehouse.buildfile import (
    BuildBusy,
    BuildLock,
    crash_point,
    ensure_openable,
    publish_file,
    remove_stale_temporaries,
)


def _database(path, value):
    with duckdb.connect(str(path)) as con:
        con.execute("create table t as select ? as v", [value])


def test_publish_replaces_the_file_with_a_compact_copy(tmp_path):
    build, published = tmp_path / "build.duckdb", tmp_path / "pub" / "metalnexus.duckdb"
    with duckdb.connect(str(build)) as con:  # a build file that dbt has rewritten: free blocks inside
        con.execute("create schema raw")
        con.execute("create table raw.t as select range as v, '/data/x/f.csv' as source_file from range(300000)")
        con.execute("create view raw.v as select count(*) as n from raw.t")
        for _ in range(3):
            con.execute("create or replace table raw.big as select range as w from range(2000000)")
        con.execute("drop table raw.big")
        con.execute("checkpoint")
        assert con.execute("select free_blocks from pragma_database_size()").fetchone()[0] > 0
    publish_file(build, published, {"/data": ""})
    with duckdb.connect(str(published), read_only=True) as con:
        assert con.execute("select free_blocks from pragma_database_size()").fetchone()[0] == 0
        assert con.execute("select n from raw.v").fetchone()[0] == 300000
        assert con.execute("select distinct source_file from raw.t").fetchall() == [("x/f.csv",)]
    assert published.stat().st_size < build.stat().st_size / 2
    assert not list(published.parent.glob(".*tmp-*"))


def _old_published_new_built(tmp_path):
    """A warehouse published from a build holding v = 1, a new build holding v = 2, and the published file's hash."""
    old, new, published = tmp_path / "old.duckdb", tmp_path / "new.duckdb", tmp_path / "metalnexus.duckdb"
    _database(old, 1)
    _database(new, 2)
    publish_file(old, published)
    return new, published, sha256(published)


def test_what_must_be_done_before_the_rename_runs_on_the_finished_copy_and_can_stop_it(tmp_path):
    new, published, before = _old_published_new_built(tmp_path)
    seen = []

    def owed_pages_missing():  # the worker's pages and figures are waited for here
        [copy] = tmp_path.glob(".metalnexus.duckdb.tmp-*")
        with duckdb.connect(str(copy), read_only=True) as con:  # the copy is complete on disk already
            seen.append(con.execute("select v from t").fetchone()[0])
        raise RuntimeError("a Data Docs page was not written")

    with pytest.raises(RuntimeError, match="not written"):
        publish_file(new, published, before_rename=owed_pages_missing)
    assert seen == [2] and sha256(published) == before  # nothing published, no temporary left
    assert not list(tmp_path.glob(".*tmp-*"))
    publish_file(new, published, before_rename=lambda: seen.append("done"))
    assert seen == [2, "done"] and sha256(published) != before


def test_a_kill_between_copy_and_rename_leaves_the_published_file_and_is_cleaned_up(tmp_path):
    new, published, before = _old_published_new_built(tmp_path)
    code = (
        "import sys; from pathlib import Path; from warehouse.buildfile import publish_file; "
        "publish_file(Path(sys.argv[1]), Path(sys.argv[2]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(new), str(published)],
        env={**os.environ, "METALNEXUS_CRASH_AT": "publish_rename"},
        start_new_session=True,
    )
    assert done.returncode == -signal.SIGKILL
    assert sha256(published) == before  # readers still see the old warehouse, whole
    left = list(tmp_path.glob(".metalnexus.duckdb.tmp-*"))
    assert len(left) == 1  # the copy was complete, the rename never ran
    with duckdb.connect(str(left[0]), read_only=True) as con:
        assert con.execute("select v from t").fetchone()[0] == 2
    assert remove_stale_temporaries(published) == left  # its writer is dead: the next build removes it
    publish_file(new, published)
    with duckdb.connect(str(published), read_only=True) as con:
        assert con.execute("select v from t").fetchone()[0] == 2


def test_a_temporary_of_a_living_publisher_is_kept(tmp_path):
    published = tmp_path / "metalnexus.duckdb"
    mine = tmp_path / f".metalnexus.duckdb.tmp-{os.getpid()}"
    mine.write_bytes(b"x")
    assert remove_stale_temporaries(published) == []
    assert mine.exists()


def test_an_unreadable_build_file_is_set_aside(tmp_path):
    build = tmp_path / "metalnexus.build.duckdb"
    assert ensure_openable(build) == "new"
    _database(build, 1)
    assert ensure_openable(build) == "ok"
    build.write_bytes(b"not a database" * 1000)
    assert ensure_openable(build) == "set-aside"
    assert not build.exists() and len(list(tmp_path.glob("*.broken-*"))) == 1


def test_crash_points_are_named_and_inert_unless_asked(monkeypatch):
    monkeypatch.delenv("METALNEXUS_CRASH_AT", raising=False)
    crash_point("dbt_build")  # returns: nothing asked for a crash
    with pytest.raises(ValueError, match="unknown crash point"):
        crash_point("somewhere")


def test_one_builder_at_a_time_the_lock_names_its_holder_and_goes_with_it(tmp_path):
    build = tmp_path / "build" / "metalnexus.build.duckdb"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, pathlib; from warehouse.buildfile import BuildLock\n"
            f"with BuildLock(pathlib.Path({str(build)!r})):\n    print('held', flush=True); sys.stdin.read()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(BuildBusy, match=f"in use by process {holder.pid}"), BuildLock(build):
            pass
        assert list(build.parent.iterdir()) == [build.parent / "metalnexus.build.duckdb.lock"]  # nothing else
    finally:
        holder.kill()
        holder.wait()
    with BuildLock(build) as lock:  # the kernel released the dead holder's lock
        assert lock.path.read_text().strip() == str(os.getpid())


def test_a_build_file_another_process_has_open_is_never_set_aside(tmp_path):
    build = tmp_path / "metalnexus.build.duckdb"
    _database(build, 1)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, sys\ncon = duckdb.connect({str(build)!r})\nprint('open', flush=True); sys.stdin.read()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        with pytest.raises(BuildBusy, match=f"in use by process {holder.pid}"):
            ensure_openable(build)
    finally:
        holder.kill()
        holder.wait()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["metalnexus.build.duckdb"]
    assert ensure_openable(build) == "ok"


def test_sigterm_between_copy_and_rename_publishes_nothing(tmp_path):
    new, published, before = _old_published_new_built(tmp_path)
    code = (
        "import sys; from pathlib import Path; from warehouse import interrupts; "
        "from warehouse.buildfile import publish_file; interrupts.watch(); "
        "publish_file(Path(sys.argv[1]), Path(sys.argv[2]))"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code, str(new), str(published)],
        env={**os.environ, "METALNEXUS_PAUSE_AT": "publish_rename"},
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr.readline().startswith("  · paused at publish_rename")
    assert len(list(tmp_path.glob(".metalnexus.duckdb.tmp-*"))) == 1  # the copy is made, the rename is next
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 1  # the interrupt unwound publish_file (BuildInterrupted)
    assert "BuildInterrupted" in process.stderr.read()
    assert sha256(published) == before
    assert not list(tmp_path.glob(".metalnexus.duckdb.tmp-*"))  # the temporary went with it
