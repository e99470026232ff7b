"""The whole chain on a tiny demo world: every asset materializes, marts publish, reruns are idempotent,
and bad input fails with one line while the published warehouse stays byte-for-byte as it was."""

import json
import re
import shutil
from pathlib import Path

import duckdb

from orchestration.build import run_build
from orchestration.cli import main
from tests.helpers import PROGRESS, STACK_TRACE, dbt_build, dbt_work_dir, mart_fingerprint, readme_queries, sha256


def test_every_definition_loads(dagster_home, tiny_world, monkeypatch):
    monkeypatch.setenv("METALNEXUS_DATA_DIR", str(tiny_world))
    from orchestration.definitions import BUILD_JOB, build_definitions

    defs = build_definitions()
    job = defs.resolve_job_def(BUILD_JOB)
    keys = {key.to_user_string() for key in defs.resolve_all_asset_keys()}
    for table in (
        "baci_flows",
        "baci_countries",
        "wdi_values",
        "owid_co2",
        "wgi",
        "irp_extraction",
        "bgs_production",
        "io_values",
        "scenario_values",
        "metal_content",
    ):
        assert f"raw/{table}" in keys
    for mart in ("dim_country", "dim_product", "dim_metal", "fct_country_year"):
        assert f"marts/{mart}" in keys
    assert "published/warehouse" in keys
    checks = {str(k.name) for k in defs.resolve_asset_graph().asset_check_keys}
    assert "ge_raw_baci_flows" in checks and "ge_marts_fct_sdg_panel_estimates" in checks
    assert "ge_marts_dim_country" not in checks  # dbt tests own dbt-built tables
    blocking = {spec.name: spec.blocking for checks_def in defs.asset_checks for spec in checks_def.check_specs}
    assert blocking["ge_raw_baci_flows"] and blocking["ge_marts_fct_sdg_panel_estimates"]
    assert not blocking["ge_marts_fct_trade_flows"]  # a distribution check on a dbt table warns
    assert job.name == BUILD_JOB


def test_tiny_build_publishes_nonempty_marts_matching_the_world(tiny_build):
    manifest = tiny_build["manifest"]
    with duckdb.connect(str(tiny_build["published"]), read_only=True) as con:
        n_countries = con.execute("select count(*) from marts.dim_country").fetchone()[0]
        n_products = con.execute("select count(*) from marts.dim_product").fetchone()[0]
        n_flows = con.execute("select count(*) from staging.stg_baci__flows").fetchone()[0]
        empty = con.execute(
            "select table_name from duckdb_tables() where schema_name = 'marts' and estimated_size = 0"
        ).fetchall()
        hs6_lengths = con.execute("select distinct length(hs6) from marts.dim_product").fetchall()
    assert n_countries == len(manifest["baci"]["countries"])
    assert n_products == manifest["baci"]["n_products"]
    assert n_flows == sum(manifest["baci"]["n_flows"].values())
    assert hs6_lengths == [(6,)]
    # the demo world has no WIOD national table (io/wiod_niot/) and no Comtrade file, so the marts resting on
    # them are empty (rpt_output_coverage says so); it does write the raw-material HS list the metal flags use
    assert sorted(empty) == [
        ("fct_io_wiod_model_comparison",),
        ("rpt_trade_comtrade_mirror",),
        ("rpt_trade_comtrade_mirror_summary",),
    ]


def test_every_dbt_data_test_ran_as_an_asset_check(tiny_build):
    """dbt runs in the build's process; each data test still reaches Dagster as a check of its model."""
    from orchestration.dbt import MANIFEST

    nodes = json.loads(MANIFEST.read_text())["nodes"].values()
    tests = {node["name"] for node in nodes if node["resource_type"] == "test"}
    checks = tiny_build["summary"]["checks"]
    assert len(tests) > 300 and tests <= set(checks), sorted(tests - set(checks))[:5]
    assert all(checks[name] for name in tests)


def _trade_stamps(path):
    """When each BACI year was loaded, and the dbt runs that cleaned the trade series."""
    with duckdb.connect(str(path), read_only=True) as con:
        loads = con.execute(
            "select partition_key, sha256, loaded_at from raw.load_log where table_name = 'baci_flows' order by 1"
        ).fetchall()
        runs = con.execute("select distinct cleaning_run_id from intermediate.int_trade_series_ma_sd").fetchall()
    return loads, runs


def test_second_build_is_idempotent(tiny_build):
    first = mart_fingerprint(tiny_build["published"])
    loads, runs = _trade_stamps(tiny_build["published"])
    size = tiny_build["published"].stat().st_size
    summary = run_build(tiny_build["data_dir"], "demo", str(tiny_build["published"]))
    assert summary["success"], summary["failures"]
    assert mart_fingerprint(tiny_build["published"]) == first
    # a compact copy each time: the rebuilt file holds no free blocks and is the first's size to within a
    # block or four (measured: 22.6-23.1 MB over 3 rebuilds, where the reused build file was 24.7-37.8 MB)
    assert _free_blocks(tiny_build["published"]) == 0
    assert tiny_build["published"].stat().st_size <= size + 4 * 262_144
    # Unchanged BACI files are kept, not re-loaded, so no trade series is cleaned again.
    assert len(loads) >= 10 and len(runs) == 1
    assert _trade_stamps(tiny_build["published"]) == (loads, runs)


def test_bad_input_fails_with_one_line_and_keeps_published(tiny_build, tmp_path, capsys):
    world = tmp_path / "world"
    shutil.copytree(tiny_build["data_dir"], world)
    year_file = sorted((world / "baci").glob("BACI_HS92_Y2003_*.csv"))[0]
    lines = year_file.read_text().splitlines(keepends=True)
    lines[5] = lines[5].replace(",", ",x", 1)  # exporter code becomes non-numeric on line 6
    year_file.write_text("".join(lines))
    published = tiny_build["published"]
    before = sha256(published)
    code = main(["build", "--source", "real", "--data-dir", str(world), "--warehouse", str(published)])
    err = capsys.readouterr().err
    assert code == 2
    # progress lines, one line saying the build failed, then one line per failure: file, line, column, reason
    assert not STACK_TRACE.search(err), err[-3000:]
    lines = err.splitlines()
    failed = [n for n, line in enumerate(lines) if line.startswith("build failed; the published warehouse was left")]
    assert len(failed) == 1 and all(PROGRESS.match(line) for line in lines[: failed[0]]), lines
    failures = lines[failed[0] + 1 :]
    assert len(failures) == 1 and failures[0].startswith(f"  ✗ {year_file}:6: column i: "), failures
    assert "Stack Trace" in (published.parent / "build" / "build.log").read_text()  # the trace is kept there
    assert sha256(published) == before


def test_query_is_read_only(tiny_build, capsys):
    assert (
        main(
            [
                "query",
                "select count(*) as n from marts.dim_metal",
                "--warehouse",
                str(tiny_build["published"]),
            ]
        )
        == 0
    )
    assert "53" in capsys.readouterr().out
    code = main(["query", "create table marts.x as select 1", "--warehouse", str(tiny_build["published"])])
    assert code == 2
    assert "read-only" in capsys.readouterr().err.lower()


def test_data_docs_written_beside_the_published_warehouse(tiny_build):
    index = tiny_build["published"].parent / "data_docs" / "index.html"
    text = index.read_text()
    assert "raw.baci_flows" in text and "marts.fct_sdg_panel_estimates" in text  # blocking suites
    assert "distributions" in text and "marts.fct_trade_flows" in text  # the warn-level distribution suites
    assert "marts.dim_country" not in text  # dbt tests own dbt-built tables
    assert "FAILED" not in text
    page = index.parent / "raw" / "raw.baci_flows.html"
    assert "expect_column_values_to_not_be_null" in page.read_text() or "not be null" in page.read_text().lower()


def test_query_cannot_touch_the_filesystem_and_readme_queries_work(tiny_build, tmp_path, capsys):
    published = str(tiny_build["published"])
    queries = [q["sql"] for q in readme_queries()]
    assert len(queries) >= 7
    for sql in queries:
        assert main(["query", sql, "--warehouse", published]) == 0, capsys.readouterr().err
    capsys.readouterr()
    written = tmp_path / "x.csv"
    for sql in (
        "select * from read_csv('/etc/passwd')",
        f"copy (select 1 as one) to '{written}'",
        f"attach '{tmp_path / 'other.duckdb'}' as other",
        "set enable_external_access = true",
    ):
        assert main(["query", sql, "--warehouse", published]) == 2, sql
        err = capsys.readouterr().err.splitlines()
        assert len(err) == 1 and err[0].startswith("query refused: metalnexus query reads the warehouse's tables only")
    assert not written.exists() and not (tmp_path / "other.duckdb").exists()


def _free_blocks(path: Path) -> int:
    with duckdb.connect(str(path), read_only=True) as con:
        return int(con.execute("select free_blocks from pragma_database_size()").fetchone()[0])


def test_published_paths_are_relative_to_the_data_folder_recorded_once(tiny_build):
    with duckdb.connect(str(tiny_build["published"]), read_only=True) as con:
        tables = con.execute(
            "select schema_name, table_name from duckdb_columns() where column_name = 'source_file' "
            "and (schema_name, table_name) in (select (schema_name, table_name) from duckdb_tables())"
        ).fetchall()
        counts = {
            f"{s}.{t}": con.execute(f"select count(*) filter (source_file like '/%'), count(*) from {s}.{t}").fetchone()
            for s, t in tables
        }
        data_dir = con.execute("select data_dir from marts.build_info").fetchall()
        files = {f for (f,) in con.execute("select source_file from marts.dim_source").fetchall()}
    assert len(counts) >= 15 and counts["raw.baci_flows"][1] > 10_000
    assert {table: absolute for table, (absolute, _) in counts.items() if absolute} == {}
    assert data_dir == [(str(tiny_build["data_dir"].resolve()),)]
    assert all((tiny_build["data_dir"] / f).is_file() for f in files) and len(files) >= 30


def test_year_gaps_of_the_inputs_are_in_the_coverage_marts(tiny_build):
    """The demo WGI has no 1997, 1999 or 2001 (the real one was biennial then); no other input has a gap."""
    with duckdb.connect(str(tiny_build["published"]), read_only=True) as con:
        gaps = con.execute(
            "select raw_table, first_missing_year, last_missing_year from marts.rpt_input_year_gaps order by 2"
        ).fetchall()
        coverage = con.execute(
            "select distinct raw_table, n_missing_years, missing_years from marts.rpt_input_coverage "
            "where n_missing_years > 0"
        ).fetchall()
    assert gaps == [("wgi", 1997, 1997), ("wgi", 1999, 1999), ("wgi", 2001, 2001)]
    assert coverage == [("wgi", 3, "1997, 1999, 2001")]


# Faults planted in a copy of the tiny warehouse, each breaking one dbt data test of the table it touches.
PLANTED_FAULTS = {
    "update marts.fct_trade_flows set hs6 = 'x' || hs6 where rowid = 0": "matches_pattern_fct_trade_flows_hs6",
    "insert into marts.fct_trade_flows select * from marts.fct_trade_flows where rowid = 1": (
        "unique_combination_fct_trade_flows_year__exporter_entity_code__importer_entity_code__hs6"
    ),
    "update marts.fct_trade_flows set value_kusd = -1 where rowid = 2": "accepted_range_fct_trade_flows_value_kusd",
}


# Models whose dbt tests are, together, of every kind the project uses: unique, unique_combination,
# accepted_values, accepted_range, not_null_columns, not_null, matches_pattern, relationships,
# column_pair_greater_than, row_count_equals, and the singular test over the SDG counts.
JUDGED_MODELS = (
    "fct_trade_flows",
    "dim_metal",
    "dim_source",
    "fct_trade_cleaning_audit",
    "rpt_sdg_deterioration_counts",
)


def test_dbt_tests_judge_as_the_build_does(tiny_build, tiny_copy):
    """dbt's unit tests pass; and dbt's own test runner and the build's (compiled SQL in one connection,
    orchestration/dbt_tests.py) give every data test the same verdict on a warehouse with planted faults."""
    from orchestration import dbt_tests
    from orchestration.dbt import TARGET_DIR

    with duckdb.connect(str(tiny_copy["db"])) as con:
        for statement in PLANTED_FAULTS:
            con.execute(statement)
    # dbt's runner, in the target folder the suite's dbt calls share (its parse state is reused), on the
    # models whose tests cover every kind of test the project has (the singular one included)
    dbt_build(tiny_copy["db"], f"test_type:unit {' '.join(JUDGED_MODELS)}", verb="test", check=False)
    results = json.loads((dbt_work_dir() / "target" / "run_results.json").read_text())["results"]
    unit = [r for r in results if r["unique_id"].startswith("unit_test.")]
    assert len(unit) >= 8 and all(r["status"] == "pass" for r in unit), [(r["unique_id"], r["status"]) for r in unit]
    by_dbt = {r["unique_id"]: (r["status"], r["failures"]) for r in results if r["unique_id"].startswith("test.")}
    # the build's runner, on the same file under the database name its compiled SQL names
    compiled = json.loads((TARGET_DIR / dbt_tests.CACHE_NAME).read_text())["tests"]
    tests = {unique_id: compiled[unique_id] for unique_id in by_dbt}
    [database] = {name for test in tests.values() for name in re.findall(r'"([^"]+)"\."\w+"\."\w+"', test["sql"])}
    with duckdb.connect() as con:
        con.execute(f"attach '{tiny_copy['db']}' as \"{database}\" (read_only)")
        events = dbt_tests.run_tests(con, tests)
    by_build = {e["data"]["node_info"]["unique_id"]: (e["data"]["status"], e["data"]["num_failures"]) for e in events}
    assert by_build == by_dbt
    kinds = {unique_id.split(".")[2].split("_")[0] for unique_id in by_dbt}
    assert len(by_dbt) >= 25 and {"unique", "accepted", "relationships", "column", "row", "matches"} <= kinds, kinds
    failed = sorted(tests[uid]["name"] for uid, (status, _) in by_build.items() if status != "pass")
    assert all(any(name.startswith(prefix) for name in failed) for prefix in PLANTED_FAULTS.values()), failed


def test_a_model_that_fails_keeps_its_previous_relation(tiny_build, tiny_copy):
    """The project's table and view materializations (dbt_project/macros/materializations.sql) drop and
    re-create a model in one transaction: a model whose new query fails leaves the old table or view as it
    was, rows and all, and dbt reports the error."""
    db = tiny_copy["db"]
    with duckdb.connect(str(db)) as con:
        rows = con.execute("select count(*), sum(hash(baci_code)) from marts.dim_country").fetchone()
        view_sql = con.execute("select sql from duckdb_views() where view_name = 'stg_bgs__productions'").fetchone()
        # dim_country (a table) reads this view; the view reads this raw table: both queries now fail
        con.execute("drop view staging.stg_baci__countries")
        con.execute("drop table raw.bgs_production")
    dbt_build(db, "dim_country stg_bgs__productions", verb="run", check=False)
    results = json.loads((dbt_work_dir() / "target" / "run_results.json").read_text())["results"]
    assert {r["unique_id"].split(".")[-1]: r["status"] for r in results} == {
        "dim_country": "error",
        "stg_bgs__productions": "error",
    }
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("select count(*), sum(hash(baci_code)) from marts.dim_country").fetchone() == rows
        assert (
            con.execute("select sql from duckdb_views() where view_name = 'stg_bgs__productions'").fetchone()
            == view_sql
        )


def _relations(path: Path) -> dict:
    """Every seed, staging, intermediate and mart relation: its kind, columns (type, nullable) and content."""
    with duckdb.connect(str(path), read_only=True) as con:
        relations = con.execute(
            "select table_schema, table_name, table_type from information_schema.tables "
            "where table_schema in ('seeds', 'staging', 'intermediate', 'marts')"
        ).fetchall()
        out = {}
        for schema, name, kind in relations:
            columns = con.execute(
                "select column_name, data_type, is_nullable from information_schema.columns "
                "where table_schema = ? and table_name = ? order by ordinal_position",
                [schema, name],
            ).fetchall()
            # doubles to 10 digits: DuckDB's parallel sums differ in the last bits between runs
            listed = ", ".join(
                f'"{c}" := printf(\'%.10g\', "{c}")' if kind in ("DOUBLE", "FLOAT") else f'"{c}" := "{c}"'
                for c, kind, _ in columns
                if c not in ("loaded_at", "built_at")
            )
            content = con.execute(f'select count(*), sum(hash(struct_pack({listed}))) from "{schema}"."{name}"')
            out[f"{schema}.{name}"] = (kind, columns, content.fetchone())
    return out


def test_models_materialize_as_dbt_does(tiny_build, tmp_path, monkeypatch):
    """The build materializes seeds and table and view models from their compiled SQL
    (orchestration/dbt_models.py); dbt's own ``dbt build`` of every seed and model, from the same inputs and
    with the build's vars, gives every relation the same kind, the same columns (types, not null) and the
    same rows."""
    from orchestration import dbt_models
    from orchestration.dbt import MANIFEST, compiled_nodes, invoke, parsed_project
    from warehouse.params import dbt_vars_args

    # a copy named as a build file, so the build's kept parse and compiled SQL serve it (same database name)
    db = tmp_path / "metalnexus.build.duckdb"
    shutil.copyfile(tiny_build["published"], db)
    monkeypatch.setenv("METALNEXUS_DUCKDB", str(db))
    vars_args = dbt_vars_args()  # the tiny world's lower SDG country threshold, as the build had it
    manifest = parsed_project(vars_args)
    _, compiled = compiled_nodes(vars_args, manifest)
    nodes = json.loads(MANIFEST.read_text())["nodes"]
    in_dbt, order = dbt_models.plan(
        {uid: node for uid, node in nodes.items() if node["resource_type"] in ("model", "seed")}, compiled
    )
    assert {nodes[uid]["name"] for uid in in_dbt} == {"int_trade_series_ma_sd", "int_trade_series_points",
                                                        "stg_baci__flows"}  # fmt: skip
    # the build's runner over a copy of the published warehouse
    with duckdb.connect(str(db)) as con:
        events = dbt_models.run_models(con, compiled, order)
    assert {e["data"]["status"] for e in events} == {"success"} and len(events) >= 100
    built = _relations(db)
    assert len([r for r in built if r.startswith("seeds.")]) >= 15
    # dbt's own run of every seed and model (in this process, on the parsed project the build keeps)
    selection = ["--select", "resource_type:seed", "resource_type:model"]
    excluded = ["--exclude-resource-type", "test", "--exclude-resource-type", "unit_test"]
    result = invoke(
        ["build", *selection, *excluded, "--target-path", str(tmp_path / "target"), "--no-write-json", *vars_args],
        manifest=manifest,
    )
    assert result.success, result.exception
    assert len(result.result.results) == len(events) + len(in_dbt)
    by_dbt = _relations(db)
    assert by_dbt.keys() == built.keys()
    differing = sorted(name for name in built if by_dbt[name] != built[name])
    assert differing == [], [(name, built[name], by_dbt[name]) for name in differing[:2]]


def test_dbt_warm_up_runs_on_the_kept_parse_only_before_any_dbt_command(tiny_build, tmp_path, monkeypatch):
    """What a build does while it waits for its worker's raw checks (orchestration.dbt.warm_up): load the
    kept parse and run ``dbt ls`` on it, so that the models step's first dbt command skips dbt's
    first-command costs; never a parse of its own, and nothing once dbt has run in the process."""
    from orchestration import dbt

    monkeypatch.setenv("METALNEXUS_DUCKDB", str(tmp_path / "metalnexus.build.duckdb"))  # the build's file name
    monkeypatch.setattr(dbt, "_invoked", [])
    monkeypatch.setattr(dbt, "_parsed", {})
    kept = dbt.KEPT_MANIFEST.stat().st_mtime_ns
    assert dbt.warm_up() is True
    assert len(dbt._parsed) == 1  # the models step finds the parse loaded
    # other vars: no parse kept for them, and none is made while waiting
    monkeypatch.setenv("METALNEXUS_DBT_VARS", json.dumps({"trade_cleaning_k_ma_sd": 2.75}))
    monkeypatch.setattr(dbt, "_parsed", {})
    assert dbt.warm_up() is False and dbt._parsed == {}
    assert dbt.KEPT_MANIFEST.stat().st_mtime_ns == kept
    monkeypatch.delenv("METALNEXUS_DBT_VARS")
    monkeypatch.setattr(dbt, "_invoked", ["build"])  # dbt has run in this process: nothing left to warm
    assert dbt.warm_up() is False and dbt._parsed == {}
