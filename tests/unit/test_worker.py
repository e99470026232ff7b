"""The build's worker (orchestration/worker.py): the same Great Expectations results as in-process validation,
pages written after its answers, and no way for it to hang or outlive the build.

One worker is shared by the module (each costs a Great Expectations import, ~3 s of the other core); the
tests that end a worker start their own and end it before it has finished that import where they can.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from expectations.raw import SUITES as RAW_SUITES
from expectations.runner import run_suite
from expectations.suites import Suite, between
from orchestration import worker as build_worker

SUITE = RAW_SUITES["raw.baci_countries"]  # country_code not null and unique; iso_3digit_alpha exists


def _frame(codes):
    return pd.DataFrame({"country_code": codes, "iso_3digit_alpha": [f"C{i:02d}" for i in range(len(codes))]})


def _running(pid):
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _gone(pid, seconds=10.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not _running(pid):
            return True
        time.sleep(0.05)
    return False


@pytest.fixture(scope="module")
def worker():
    handle = build_worker.Worker.spawn()
    yield handle
    handle.stop()


@pytest.fixture
def using(worker):
    """Route run_layer_suites and draw_figures through the shared worker for one test."""
    build_worker.use(worker)
    yield worker
    build_worker.use(None)


def _validate_one(frame, docs_dir):
    return build_worker.run_layer_suites("raw", {SUITE.table: SUITE}, {SUITE.table: frame}, docs_dir)[SUITE.table]


def _essentials(result):
    return (
        result.suite,
        result.success,
        result.n_rows,
        result.n_expectations,
        [(f.expectation, f.column, f.unexpected_count, f.unexpected_sample) for f in result.failures],
        result.raw["statistics"],
    )


@pytest.mark.parametrize(
    ("codes", "success", "failed"),
    [([4, 8, 12], True, []), ([4, 4, None, 12], False, [("expect_column_values_to_not_be_null", "country_code")])],
)
def test_validation_in_the_worker_equals_validation_in_process(using, tmp_path, codes, success, failed):
    frame = _frame(codes)
    through = _validate_one(frame, tmp_path / "worker")
    here = run_suite(SUITE.name, frame, SUITE.expectations, docs_dir=tmp_path / "here")
    assert repr(_essentials(through)) == repr(_essentials(here))  # as text: a NaN sample is not == itself
    assert through.success is success and through.n_rows == len(codes) and through.n_expectations == 3
    assert [(f.expectation, f.column) for f in through.failures][: len(failed)] == failed
    if not success:  # 4 appears twice: the uniqueness expectation fails on both rows
        unique = next(f for f in through.failures if f.expectation == "expect_column_values_to_be_unique")
        assert unique.unexpected_count == 2
    assert (tmp_path / "worker" / "raw.baci_countries.json").exists()  # written before the answer
    build_worker.flush()
    assert (tmp_path / "worker" / "raw.baci_countries.html").read_text().startswith("<!DOCTYPE html>")


def test_pages_rendered_with_the_one_view_each_show_only_their_own_result(tmp_path):
    """The page view (and its Jinja template cache) is shared by every page: no page may carry another's."""
    import re

    from expectations import runner

    def page(codes, folder):
        run_suite(SUITE.name, _frame(codes), SUITE.expectations, docs_dir=tmp_path / folder)
        text = (tmp_path / folder / "raw.baci_countries.html").read_text()
        # what differs between two renders of one result: the render's timestamps and the element ids
        return re.sub(r"\d{8}T\d{6}\.\d+Z|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "~", text)

    failing, passing, failing_again = page([31337, 31337, 8], "a"), page([4, 8], "b"), page([31337, 31337, 8], "c")
    assert runner._page_view() is runner._page_view()
    assert "31337" in failing and "31337" not in passing  # the duplicated code is shown on its own page only
    assert failing_again == failing and passing != failing
    runner._page_view.cache_clear()  # a fresh view (its own Jinja environment) renders the same page
    assert page([31337, 31337, 8], "d") == failing


def test_tasks_given_to_while_waiting_run_once_while_an_answer_is_awaited(worker, tmp_path):
    """The build's idle work (orchestration.dbt.warm_up) runs while the main process would only wait, once;
    an answer already there is taken without running any; the time a task takes is not counted as waiting."""
    request = ("validate", "raw", {SUITE.table: _frame([4, 8, 12])}, str(tmp_path))
    ran = []

    def task():
        ran.append(worker._conn.poll(0))  # False: no answer yet, the main process would only wait
        time.sleep(0.3)

    try:
        build_worker.while_waiting(task)
        before = sum(worker.waited.values())
        assert worker.ask(request)[0] == "ok" and ran == [False]
        assert sum(worker.waited.values()) - before < 0.3  # the task's 0.3 s is not counted as waiting
        assert worker.ask(request)[0] == "ok" and ran == [False]  # once
        # an answer that has arrived is taken at once: a task given meanwhile stays queued
        ticket = worker.send(request)
        deadline = time.monotonic() + 30
        while not worker._conn.poll(0.05) and time.monotonic() < deadline:
            pass
        build_worker.while_waiting(task)
        assert worker.answer(ticket)[0] == "ok" and ran == [False] and len(build_worker._state["idle"]) == 1
    finally:
        build_worker._state["idle"].clear()


def test_idle_tasks_run_in_order_until_an_answer_arrives_and_a_failing_one_is_reported(capsys):
    class Socket:  # an answer arrives after the third look
        looks = 0

        def poll(self, _timeout):
            self.looks += 1
            return self.looks > 3

    ran = []

    def failing():
        ran.append("failing")
        raise ValueError("warming failed")

    try:
        for task in (lambda: ran.append("first"), failing, lambda: ran.append("third"), lambda: ran.append("late")):
            build_worker.while_waiting(task)
        build_worker._run_idle_tasks(Socket())
        assert ran == ["first", "failing", "third"] and len(build_worker._state["idle"]) == 1
        err = capsys.readouterr().err
        assert "while waiting for the build worker, failing failed" in err and "ValueError: warming failed" in err
    finally:
        build_worker._state["idle"].clear()


def test_figures_drawn_by_the_worker_are_the_ones_drawn_in_process(using, tmp_path):
    rows = pd.DataFrame(
        {
            "sector_name_en": ["servers", "servers", "chips"],
            "metal": ["Cu", "Ga", "Ga"],
            "induced_import_yen_per_yen": [0.02, 0.001, 0.004],
        }
    )
    marts = {"metal_dependence": rows, "sdg_deterioration": rows.iloc[:0]}  # the second has nothing to draw
    through = build_worker.draw_figures(marts, tmp_path / "worker")
    build_worker.flush()
    build_worker.use(None)
    here = build_worker.draw_figures(marts, tmp_path / "here")
    assert sorted(through) == sorted(here) == ["table1_metal_dependence"]
    for paths in (through, here):
        assert paths["table1_metal_dependence"].read_bytes()[:4] == b"\x89PNG"


def _figure_marts():
    rows = pd.DataFrame(
        {
            "sector_name_en": ["servers", "servers", "chips"],
            "metal": ["Cu", "Ga", "Ga"],
            "induced_import_yen_per_yen": [0.02, 0.001, 0.004],
        }
    )
    oecd = pd.DataFrame(
        {"country_iso3": ["JPN", "DEU"], "year": [2018, 2018], "industry": ["C26"] * 2,
         "import_content_usd_per_usd": [0.31, 0.42]}
    )  # fmt: skip
    return {"metal_dependence": rows}, {"oecd_import_content": oecd}


def test_a_figure_drawn_early_is_taken_by_the_figures_step_and_not_drawn_again(using, tmp_path):
    early, rest = _figure_marts()
    folder = tmp_path / "worker"
    build_worker.draw_early(early, folder)
    assert build_worker.drawn_early(folder) == {"metal_dependence"} and build_worker.drawn_early(tmp_path) == set()
    sent = using._sent
    paths = build_worker.draw_figures(rest, folder)
    assert using._sent == sent + 1  # one request for the rest: the early figure is not drawn again
    assert sorted(paths) == ["oecd_import_content", "table1_metal_dependence"]
    assert build_worker.drawn_early(folder) == set()  # taken
    build_worker.flush()
    build_worker.use(None)
    here = build_worker.draw_figures({**early, **rest}, tmp_path / "here")
    for name, path in paths.items():
        assert path.read_bytes() == here[name].read_bytes()  # the same PNG as drawn in one process


def test_figures_promised_early_by_a_worker_that_died_are_drawn_in_process(tmp_path, capsys):
    handle = build_worker.Worker.spawn()  # killed while it still imports Great Expectations: never answers
    build_worker.use(handle)
    try:
        early, rest = _figure_marts()
        build_worker.draw_early(early, tmp_path)
        os.kill(handle.pid, signal.SIGKILL)
        assert _gone(handle.pid, 10)
        paths = build_worker.draw_figures(rest, tmp_path)
        assert sorted(paths) == ["oecd_import_content", "table1_metal_dependence"]
        assert all(path.read_bytes()[:4] == b"\x89PNG" for path in paths.values())
        assert build_worker.current() is None and "build worker pid" in capsys.readouterr().err
    finally:
        build_worker.use(None)
        build_worker._state["early_figures"].clear()


def test_a_suite_the_worker_does_not_know_is_validated_in_process(using, tmp_path):
    odd = Suite("raw.not_a_layer_table", (between("v", 0, 1),))
    suites = {"raw.baci_countries": SUITE, odd.table: odd}
    frames = {"raw.baci_countries": _frame([1, 2]), odd.table: pd.DataFrame({"v": [0.5, 2.0]})}
    results = build_worker.run_layer_suites("raw", suites, frames, tmp_path)
    assert list(results) == list(suites)
    assert results["raw.baci_countries"].success
    assert not results[odd.table].success and results[odd.table].failures[0].unexpected_count == 1
    assert (tmp_path / "raw.not_a_layer_table.html").exists()  # in-process: written at once
    assert build_worker.current() is using  # not a reason to give up on the worker


def test_tables_validated_early_come_back_to_their_check_in_order(using, tmp_path):
    """A step that wrote tables sends them on (validate_early) and goes on; a request sent after it is
    answered correctly meanwhile; the check step then takes the early results, which equal in-process ones."""
    good, bad = _frame([4, 8, 12]), _frame([4, 4, None])
    build_worker.validate_early("raw", {SUITE.table: SUITE}, {SUITE.table: (3, bad)}, tmp_path)
    assert _validate_one(good, tmp_path / "later").success  # asked after, answered first to its asker
    early = build_worker.early_results("raw", [SUITE.table, "raw.not_sent"], tmp_path)
    assert list(early) == [SUITE.table] and early[SUITE.table][0] == 3
    here = run_suite(SUITE.name, bad, SUITE.expectations, docs_dir=tmp_path / "here")
    assert repr(_essentials(early[SUITE.table][1])) == repr(_essentials(here))
    assert build_worker.early_results("raw", [SUITE.table], tmp_path) == {}  # taken once
    build_worker.flush()
    assert (tmp_path / "raw.baci_countries.html").exists()


def test_without_a_worker_nothing_is_validated_early(tmp_path):
    build_worker.use(None)
    build_worker.validate_early("raw", {SUITE.table: SUITE}, {SUITE.table: (2, _frame([1, 2]))}, tmp_path)
    assert build_worker.early_results("raw", [SUITE.table], tmp_path) == {}


def test_the_worker_ignores_ctrl_c(using, tmp_path):
    os.kill(using.pid, signal.SIGINT)  # what the terminal sends the whole process group
    result = _validate_one(_frame([1, 2]), tmp_path)
    assert result.success and using.alive()


def test_the_worker_exits_when_the_main_end_closes():
    handle = build_worker.Worker.spawn()
    assert handle.ask(("flush",), timeout=120) == ("ok", [])  # it has imported GE and serves requests
    handle._conn.close()
    assert _gone(handle.pid, 10), "the worker kept running after its socket closed"
    assert not handle.alive() and handle.describe_exit() == "exit status 0"


def test_a_dead_worker_means_in_process_validation_and_owed_pages_fail_publish(tmp_path, capsys):
    handle = build_worker.Worker.spawn()
    build_worker.use(handle)
    try:
        os.kill(handle.pid, signal.SIGKILL)
        assert _gone(handle.pid, 10)
        result = _validate_one(_frame([1, 2]), tmp_path)
        assert result.success and (tmp_path / "raw.baci_countries.html").exists()
        assert build_worker.current() is None
        assert "build worker pid" in capsys.readouterr().err
        # a page the worker answered for but never wrote: publish stops with one line naming the suite
        build_worker._state["owed"].add(tmp_path / "raw.some_table.html")
        with pytest.raises(RuntimeError, match=r"ended before writing raw\.some_table\.html"):
            build_worker.flush()
    finally:
        build_worker.use(None)


def test_the_worker_dies_with_a_killed_main_process():
    # a helper forked after the worker keeps a copy of the main end of the socket open, so no EOF reaches the
    # worker: only the kernel's parent-death signal can end it
    code = (
        "import os, time\n"
        "from orchestration import worker\n"
        "w = worker.Worker.spawn()\n"
        "helper = os.fork()\n"
        "if helper == 0:\n"
        "    time.sleep(60)\n"
        "    os._exit(0)\n"
        "print(w.pid, helper, flush=True)\n"
        "input()\n"
    )
    main = subprocess.Popen(
        [sys.executable, "-c", code],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    pid, helper = map(int, main.stdout.readline().split())
    try:
        assert _running(pid)
        main.kill()  # SIGKILL: no clean-up code runs in the main process
        main.wait()
        assert _gone(pid, 10), "the worker outlived a SIGKILLed main process"
    finally:
        os.kill(helper, signal.SIGKILL)
