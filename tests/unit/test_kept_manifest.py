"""dbt's parsed project kept between processes (orchestration/dbt.py): used only under its own key, and whole."""

import pytest
from dbt.contracts.graph.manifest import Manifest
from dbt.contracts.graph.nodes import Macro

from orchestration import dbt


@pytest.fixture
def kept(tmp_path, monkeypatch):
    monkeypatch.setattr(dbt, "KEPT_MANIFEST", tmp_path / "parsed_manifest.pickle")
    return tmp_path / "parsed_manifest.pickle"


def _manifest() -> Manifest:
    macro = Macro(
        name="my_macro",
        resource_type="macro",
        package_name="metalnexus",
        path="macros/m.sql",
        original_file_path="macros/m.sql",
        unique_id="macro.metalnexus.my_macro",
        macro_sql="{% macro my_macro() %}1{% endmacro %}",
    )
    manifest = Manifest(macros={macro.unique_id: macro})
    # lookups made before keeping, as a parse leaves them: dbt's own pickling put these in the wrong fields
    assert manifest.ref_lookup is not None and manifest.source_lookup is not None
    return manifest


def test_a_kept_manifest_comes_back_whole_under_its_key(kept):
    dbt._keep_manifest(("a", 1), _manifest())
    restored = dbt._kept_manifest(("a", 1))
    assert isinstance(restored, Manifest)
    assert list(restored.macros) == ["macro.metalnexus.my_macro"]
    assert restored.macros["macro.metalnexus.my_macro"].macro_sql == "{% macro my_macro() %}1{% endmacro %}"
    # the lookups are made again from the restored nodes, each of its own kind
    assert restored.ref_lookup.find("no_such_model", None, None, restored) is None
    assert restored.source_lookup.find("src.table", None, restored) is None
    assert restored.fixtures == {}
    assert not list(kept.parent.glob("*.partial"))


def test_another_key_or_a_damaged_file_means_a_parse(kept):
    dbt._keep_manifest(("a", 1), _manifest())
    assert dbt._kept_manifest(("a", 2)) is None
    kept.write_bytes(kept.read_bytes()[:-100])  # cut short
    assert dbt._kept_manifest(("a", 1)) is None
    kept.unlink()
    assert dbt._kept_manifest(("a", 1)) is None


def test_parsed_project_takes_the_kept_parse_without_running_dbt(kept, monkeypatch):
    monkeypatch.setattr(dbt, "_parsed", {})
    monkeypatch.setattr(dbt, "_parse_key", lambda vars_args: ("key", tuple(vars_args)))
    dbt._keep_manifest(("key", ("--vars", "{}")), _manifest())

    def no_dbt(*args, **kwargs):
        raise AssertionError("dbt was run")

    monkeypatch.setattr(dbt, "invoke", no_dbt)
    assert "macro.metalnexus.my_macro" in dbt.parsed_project(["--vars", "{}"]).macros
    with pytest.raises(AssertionError, match="dbt was run"):  # other vars: not the kept parse
        dbt.parsed_project(["--vars", '{"x": 1}'])


def test_the_parse_key_covers_the_profile_and_dbt_versions():
    assert dbt.DBT_PROJECT_DIR / "profiles.yml" in dbt._dbt_inputs()
    key = dbt._parse_key([])
    assert all(version in key for version in dbt._dbt_versions()) and len(dbt._dbt_versions()) == 3
