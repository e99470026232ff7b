"""Inputs are never written: the demo world goes only into an empty folder, one the generator made, or
the default ``warehouse/demo``; a folder of real files or a mistyped name is refused in one line."""

import shutil

import pytest

from orchestration.cli import demo_refusal, main
from tests.helpers import sha256


def _snapshot(folder):
    return {p.relative_to(folder): sha256(p) for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def real_looking(real_data_dir, tmp_path):
    """A temporary copy of a few small real files, in their sub-folders (never the shared folder itself)."""
    folder = tmp_path / "data"
    small = sorted(
        (p for p in real_data_dir.rglob("*.csv") if p.stat().st_size < 200_000), key=lambda p: p.stat().st_size
    )[:4]
    assert small, f"no small CSV in {real_data_dir}"
    for path in small:
        target = folder / path.relative_to(real_data_dir)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    return folder


def test_a_demo_build_into_a_folder_of_real_files_is_refused_and_writes_nothing(real_looking, tmp_path, capsys):
    before = _snapshot(real_looking)
    published = tmp_path / "wh" / "metalnexus.duckdb"
    code = main(["build", "--data-dir", str(real_looking), "--warehouse", str(published)])
    err = capsys.readouterr().err.splitlines()
    assert code == 2
    assert len(err) == 1 and "--source real" in err[0] and str(real_looking) in err[0]
    assert _snapshot(real_looking) == before  # not one file written, replaced or added
    assert not (tmp_path / "wh").exists()


def test_a_mistyped_data_folder_is_refused_not_created(tmp_path, capsys):
    missing = tmp_path / "shared" / "dta"
    assert main(["build", "--data-dir", str(missing), "--warehouse", str(tmp_path / "wh.duckdb")]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and "not found" in err[0]
    assert not missing.exists() and not missing.parent.exists()


def test_the_demo_world_may_go_into_an_empty_or_generated_folder(tmp_path):
    from warehouse.demo_world import generate

    empty = tmp_path / "empty"
    empty.mkdir()
    assert demo_refusal(empty, explicit=True) is None
    generated = tmp_path / "generated"
    generate(generated, scale="tiny", seed=1)
    assert demo_refusal(generated, explicit=True) is None
    (generated / "manifest.json").write_text('{"note": "someone else\'s"}')
    assert "--source real" in demo_refusal(generated, explicit=True)
