"""Material flows, scenarios, metal content, metal-flag sources, mine production and Comtrade."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from warehouse.csvio import (
    first_line,
    quote_ident,
    quote_literal,
    read_header,
    sniff_encoding,
)
from warehouse.errors import InputError
from warehouse.loaders.base import YEAR_COLUMN, LoaderBase, transaction
from warehouse.plausibility import finite_rules, year_is_plausible
from warehouse.plausibility import rules as plausibility_rules


class MaterialLoads(LoaderBase):
    """Material flows, scenarios, metal content, metal-flag sources, mine production and Comtrade."""

    # --------------------------------------------------------------------------------- material flows
    def irp(self, extraction: Sequence[Path], ccc: Sequence[Path]) -> int:
        """Load UN IRP domestic extraction (``;``-separated) and its CCC material code list."""
        types = {
            "alphanumiso": "VARCHAR",
            "CCC_Code": "VARCHAR",
            "year": "SMALLINT",
            "unit": "VARCHAR",
            "value": "DOUBLE",
        }
        checks = [("year is null", "year missing", "year"), ("value < 0", "negative extraction", "value")]
        with transaction(self.con):
            self._reset("irp_extraction")
            self._reset("irp_ccc")
            total = sum(
                self._ingest(
                    "irp_extraction", path, types, "alphanumiso, ccc_code, year, unit, value", checks, delim=";"
                )
                for path in extraction
            )
            for path in ccc:
                self._ingest(
                    "irp_ccc",
                    path,
                    {"CCC_Code": "VARCHAR", "CCC_Name": "VARCHAR"},
                    "ccc_code, ccc_name, mfa13plus, mfa4plus",
                    delim=";",
                )
        return total

    def bgs(self, paths: Sequence[Path]) -> int:
        """Load BGS world mineral production files (``BGS_<commodity>_production.csv``)."""
        types = {"country_iso3_code": "VARCHAR", "year": "VARCHAR", "quantity": "DOUBLE", "units": "VARCHAR"}
        # BGS writes years as dates ("1971-01-01 00:00:00") in some files and as years in others
        bad_year = ("not regexp_matches(coalesce(year, ''), '^\\d{4}')", "year is not a date or year", "year")
        with transaction(self.con):
            self._reset("bgs_production")
            total = 0
            for path in paths:
                commodity = quote_literal(re.sub(r"^BGS_|_production$", "", path.stem))
                total += self._ingest(
                    "bgs_production",
                    path,
                    types,
                    f"{commodity}, country_iso3_code, country_trans, bgs_commodity_trans, bgs_sub_commodity_trans, "
                    "erml_commodity, erml_sub_commodity, bgs_statistic_type_trans, "
                    "cast(substr(year, 1, 4) as smallint), quantity, units",
                    [bad_year],
                )
        return total

    # ------------------------------------------------------------------------------------ scenarios
    def iamc(self, paths: Sequence[Path]) -> int:
        """Load scenario files in IAMC wide format (model, scenario, region, variable, unit, years…)."""
        with transaction(self.con):
            self._reset("scenario_values")
            total = 0
            for path in paths:
                header = read_header(path, encoding=sniff_encoding(path))
                years = [name for name in header if YEAR_COLUMN.match(name)]
                keys = {name.lower(): name for name in header if not YEAR_COLUMN.match(name)}
                for needed in ("model", "scenario", "region", "variable", "unit"):
                    if needed not in keys:
                        raise InputError(path, f"IAMC header lacks {needed!r}", line=1)
                if not years:
                    raise InputError(path, "IAMC file has no year columns", line=1)
                for year in years:
                    if (why := year_is_plausible(int(year), "scenario")) is not None:
                        raise InputError(path, f"year column {year}: {why}", line=1, column=year)
                start = len(self.quarantined)
                types = {y: "DOUBLE" for y in years}
                scan = self._scan(path, types)
                self._check(scan, path, finite_rules(types))
                cols = {k: quote_ident(keys[k]) for k in ("model", "scenario", "region", "variable", "unit")}
                year_list = ", ".join(quote_ident(y) for y in years)
                long = self._long_checked(
                    path,
                    f"""
                    select _line, {cols["model"]} as model, {cols["scenario"]} as scenario,
                           {cols["region"]} as region, {cols["variable"]} as variable, {cols["unit"]} as unit,
                           year as column_name, cast(year as smallint) as year, value
                    from (unpivot (select * from {scan}) on {year_list} into name year value value)
                    where value is not null
                    """,
                    plausibility_rules("scenario_values"),
                )
                self.con.execute(
                    "insert into raw.scenario_values select model, scenario, region, variable, unit, year, value, ? "
                    f"from {long}",
                    [str(path)],
                )
                self._drop(long)
                rows = self._count(scan)
                self._log("scenario_values", None, path, rows)
                self._drop(scan)
                self._flush_quarantine("scenario_values", start)
                total += rows
        return total

    # ------------------------------------------------------------------------------------ metal content
    def metal_content(self, paths: Sequence[Path]) -> int:
        """Load metal-content tables (``hs6,metal,content_share,basis,source``)."""
        checks = [
            ("content_share < 0 or content_share > 1", "content share outside 0..1", "content_share"),
            (
                "length(trim(hs6)) > 6 or not regexp_full_match(lpad(trim(hs6), 6, '0'), '[0-9]{6}')",
                "not an HS6 code",
                "hs6",
            ),
        ]
        with transaction(self.con):
            self._reset("metal_content")
            return sum(
                self._ingest(
                    "metal_content",
                    path,
                    {"hs6": "VARCHAR", "metal": "VARCHAR", "content_share": "DOUBLE"},
                    "lpad(trim(hs6), 6, '0'), trim(metal), content_share, basis, source",
                    checks,
                )
                for path in paths
            )

    # ------------------------------------------------------------------------------- metal flag sources
    def hs_raw_materials(self, paths: Sequence[Path], refs: Sequence[Path] = ()) -> int:
        """Load raw-material HS code lists (``Raw Material,Supply Chain Stage,Symbol,HS Code,…``) and their references.

        ``HS Code`` is a 6-digit HS code or ``Not Available`` (kept, as null); ``HS Code - Additional``
        holds further codes, ``;``-separated. ``refs`` (``…_metadata.csv``: ``Raw Material, HS Code Mapping
        Reference, Comment``) go to ``raw.hs_raw_material_refs``. Returns the code-list rows loaded.
        """
        hs = 'trim("HS Code")'
        bad_code = f"{hs} <> 'Not Available' and not regexp_full_match({hs}, '[0-9]{{6}}')"
        with transaction(self.con):
            self._reset("hs_raw_materials")
            self._reset("hs_raw_material_refs")
            for path in refs:
                self._ingest(
                    "hs_raw_material_refs",
                    path,
                    {"Raw Material": "VARCHAR", "HS Code Mapping Reference": "VARCHAR", "Comment": "VARCHAR"},
                    'trim("Raw Material"), "HS Code Mapping Reference", "Comment"',
                    where='"Raw Material" is not null',
                )
            return sum(
                self._ingest(
                    "hs_raw_materials",
                    path,
                    {},
                    f"trim(\"Raw Material\"), nullif(trim(\"Supply Chain Stage\"), ''), nullif(trim(Symbol), ''), "
                    f"nullif({hs}, 'Not Available'), nullif(trim(\"HS Code - Additional\"), ''), "
                    '"HS Codes Description"',
                    [(bad_code, "HS Code is neither a 6-digit code nor 'Not Available'", "HS Code")],
                    required=["Raw Material", "Supply Chain Stage", "Symbol", "HS Code", "HS Code - Additional"],
                )
                for path in paths
            )

    def device_boms(self, paths: Sequence[Path]) -> int:
        """Load device bills of materials in Babbitt et al.'s long layout.

        Columns ``model,year,component,product,material,value``; ``value`` is grams; the first, unnamed
        column (a row number) is not kept.
        """
        checks = [("value is null or value < 0", "grams missing or negative", "value")]
        with transaction(self.con):
            self._reset("device_bom_grams")
            return sum(
                self._ingest(
                    "device_bom_grams",
                    path,
                    {"value": "DOUBLE"},
                    "trim(model), trim(year), trim(component), trim(product), trim(material), value",
                    checks,
                    required=["model", "year", "component", "product", "material", "value"],
                )
                for path in paths
            )

    def hs_conversions(self, paths: Sequence[Path]) -> int:
        """Load UN Statistics Division HS<year> → HS1992 conversion tables (``HS<year>toHS1992*.xlsx``).

        The first sheet of each workbook is the one-to-one conversion: a header ``From HS <year>`` and
        ``To HS 1992`` (or ``From HS 1992``), one row per code of the newer edition. Returns the rows loaded.
        """
        import pandas as pd

        with transaction(self.con):
            self._reset("hs_conversions")
            for path in paths:
                try:
                    sheet = pd.read_excel(path, sheet_name=0, dtype=str)
                except Exception as exc:  # a damaged or foreign workbook: say which file
                    raise InputError(path, f"cannot read the conversion sheet: {first_line(str(exc))}") from None
                heads = [str(c).strip() for c in sheet.columns]
                match = re.match(r"^From HS (\d{4})$", heads[0]) if heads else None
                if match is None or len(heads) < 2 or not heads[1].endswith("HS 1992"):
                    raise InputError(path, f"expected columns 'From HS <year>' and 'To HS 1992', found {heads[:2]}")
                frame = pd.DataFrame(
                    {
                        "from_edition": int(match.group(1)),
                        "from_hs6": sheet.iloc[:, 0].str.strip().str.zfill(6),
                        "hs92": sheet.iloc[:, 1].str.strip().str.zfill(6),
                    }
                ).dropna()
                self.con.register("hs_conversion_frame", frame)
                self.con.execute(
                    "insert into raw.hs_conversions select from_edition, from_hs6, hs92, ? from hs_conversion_frame",
                    [str(path)],
                )
                self.con.unregister("hs_conversion_frame")
                self._log("hs_conversions", None, path, len(frame))
        return self._count("raw.hs_conversions")

    def ewaste_cn_keys(self, paths: Sequence[Path]) -> int:
        """Load UNU's CN8 → e-waste key table (``CN,Year,UNU_Key``)."""
        checks = [
            ("not regexp_full_match(trim(CN), '[0-9]{8}')", "CN is not an 8-digit code", "CN"),
            ("Year is null", "Year missing", "Year"),
        ]
        with transaction(self.con):
            self._reset("ewaste_cn_keys")
            return sum(
                self._ingest(
                    "ewaste_cn_keys",
                    path,
                    {"Year": "SMALLINT"},
                    "trim(CN), Year, nullif(trim(UNU_Key), '')",
                    checks,
                    required=["CN", "Year", "UNU_Key"],
                )
                for path in paths
            )

    # ------------------------------------------------------------------------- mine production, Comtrade
    def mine_production(self, paths: Sequence[Path]) -> int:
        """Load long mine-production files (``commodity,country,iso,year,value``), replacing the table."""
        types = {"commodity": "VARCHAR", "country": "VARCHAR", "iso": "INTEGER", "year": "SMALLINT", "value": "DOUBLE"}
        checks = [
            ("commodity is null", "commodity missing", "commodity"),
            ("year is null", "year missing", "year"),
            ("value < 0", "negative production", "value"),
        ]
        with transaction(self.con):
            self._reset("mine_production")
            return sum(
                # the file marks a value it does not have with '^' (22 rows of the 1970-2020 file): missing
                self._ingest(
                    "mine_production",
                    path,
                    types,
                    "trim(commodity), trim(country), iso, year, value",
                    checks,
                    nullstr=("", "^"),
                )
                for path in paths
            )

    def comtrade(self, paths: Sequence[Path]) -> int:
        """Load UN Comtrade files in the API v1 column layout (``typeCode, freqCode, … primaryValue``)."""
        types = {
            "refYear": "SMALLINT",
            "reporterCode": "INTEGER",
            "partnerCode": "INTEGER",
            "partner2Code": "INTEGER",
            "flowCode": "VARCHAR",
            "classificationCode": "VARCHAR",
            "cmdCode": "VARCHAR",
            "customsCode": "VARCHAR",
            "motCode": "INTEGER",
            "netWgt": "DOUBLE",
            "qty": "DOUBLE",
            "qtyUnitCode": "INTEGER",
            "primaryValue": "DOUBLE",
        }
        checks = [
            ('"refYear" is null', "year missing", "refYear"),
            ('"reporterCode" is null', "reporter code missing", "reporterCode"),
            ('"partnerCode" is null', "partner code missing", "partnerCode"),
            ('"flowCode" is null', "flow code missing", "flowCode"),
            (
                "not regexp_full_match(trim(\"cmdCode\"), '[0-9]{2}|[0-9]{4}|[0-9]{6}|TOTAL')",
                "not an HS2, HS4 or HS6 code",
                "cmdCode",
            ),
            ('"netWgt" < 0', "negative net weight", "netWgt"),
            ('"primaryValue" < 0', "negative trade value", "primaryValue"),
        ]
        select = (
            '"refYear", "reporterCode", "partnerCode", trim("flowCode"), "classificationCode", trim("cmdCode"), '
            '"customsCode", "motCode", "partner2Code", "netWgt", "qty", "qtyUnitCode", "primaryValue"'
        )
        with transaction(self.con):
            self._reset("comtrade_flows")
            return sum(self._ingest("comtrade_flows", path, types, select, checks) for path in paths)
