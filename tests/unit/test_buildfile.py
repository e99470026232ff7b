"""The build file's life cycle without a build: publish by atomic rename, a kill between copy and rename,
the clean-up after it, and a build file DuckDB cannot open."""

import os
import signal
import subprocess
import sys

import duckdb
import pytest

from tests.helpers import sha256
from warehouse.buildfile import crash_point, ensure_openable, publish_file, remove_stale_temporaries


def _database(path, value):
    with duckdb.connect(str(path)) as con:
        con.execute("create table t as select ? as v", [value])


def test_publish_replaces_the_file_with_a_byte_identical_copy(tmp_path):
    build, published = tmp_path / "build.duckdb", tmp_path / "pub" / "metalnexus.duckdb"
    _database(build, 1)
    publish_file(build, published)
    assert sha256(published) == sha256(build)
    assert not list(published.parent.glob(".*tmp-*"))


def test_a_kill_between_copy_and_rename_leaves_the_published_file_and_is_cleaned_up(tmp_path):
    old, new, published = tmp_path / "old.duckdb", tmp_path / "new.duckdb", tmp_path / "metalnexus.duckdb"
    _database(old, 1)
    _database(new, 2)
    publish_file(old, published)
    before = sha256(published)
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
    assert len(left) == 1 and sha256(left[0]) == sha256(new)  # the copy was complete, the rename never ran
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
