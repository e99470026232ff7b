"""Whatever goes wrong, the terminal gets one line and the stack trace goes to build.log."""

import errno

import pytest

from orchestration import cli
from tests.helpers import STACK_TRACE


@pytest.fixture
def failing_build(monkeypatch, tmp_path):
    monkeypatch.setenv("METALNEXUS_DUCKDB", str(tmp_path / "build" / "metalnexus.build.duckdb"))
    world = tmp_path / "world"
    world.mkdir()

    def fail_with(exc):
        def run_build(*args, **kwargs):
            raise exc

        monkeypatch.setattr(cli, "run_build", run_build)
        return cli.main(
            ["build", "--source", "real", "--data-dir", str(world), "--warehouse", str(tmp_path / "wh.duckdb")]
        )

    return fail_with


@pytest.mark.parametrize(
    "exc, expected",
    [
        (
            OSError(errno.ENOSPC, "No space left on device", "/mnt/small/build.duckdb"),
            "no space left on /mnt/small/build.duckdb",
        ),
        (
            RuntimeError('IO Error: Could not write file "/mnt/small/x.duckdb.wal": No space left on device'),
            "no space left on /mnt/small/x.duckdb.wal",
        ),
        (RuntimeError("something broke"), "RuntimeError: something broke"),
    ],
    ids=["oserror", "duckdb", "other"],
)
def test_a_failure_is_one_line_with_the_trace_in_build_log(failing_build, exc, expected, tmp_path, capsys):
    assert failing_build(exc) == 1
    err = capsys.readouterr().err
    lines = err.splitlines()
    log = tmp_path / "build" / "build.log"
    assert lines[-1] == f"{expected} (details: {log})"
    assert len(lines) == 2 and lines[0].startswith("building the warehouse from ")
    assert not STACK_TRACE.search(err)
    assert "Traceback" in log.read_text()
