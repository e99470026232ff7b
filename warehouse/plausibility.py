"""What a physically implausible row looks like, for every source but BACI (whose rules live with its loader).

One place: each raw table has a list of rules, ``(SQL predicate, reason, column)``, evaluated on the rows
of one file as read (the file's own column names, plus ``_line``). A row where a predicate holds is refused
(the load fails naming file, line and column) or, with ``--on-bad-rows quarantine``, set aside in
``raw.quarantine`` with the reason. The thresholds are declared parameters (``dbt_project.yml`` vars, read
through :func:`warehouse.params.params`), so a reviewer can see and change them in one file.

Besides the declared rules, every floating-point column of a file must hold finite numbers
(:func:`finite_rules`): DuckDB reads ``inf`` and ``nan`` as numbers, and no source here has a use for them.
Codes are checked for their form (ISO3 letters, M49 numbers) rather than against BACI's country list: the
World Bank, OWID and WGI files carry aggregates and territories (``WLD``, ``OWID_WRL``, ``KSV``) that the
BACI list does not have, and refusing them would refuse real rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from warehouse.csvio import quote_ident, quote_literal

Rule = tuple[str, str, str | None]


def _limits() -> dict:
    from warehouse.params import params

    return params()


def _last_year_var(kind: str) -> str:
    return "plausible_last_observed_year" if kind == "observed" else "plausible_last_scenario_year"


def plausible_year(column: str, kind: str = "observed") -> Rule:
    """Return the rule refusing a year outside the plausible range in SQL ``column`` (quoted as needed).

    ``kind``: ``observed`` (no later than var plausible_last_observed_year) or ``scenario``.
    """
    p = _limits()
    first, last = int(p["plausible_first_year"]), int(p[_last_year_var(kind)])
    return (
        f"{column} < {first} or {column} > {last}",
        f"year outside {first}..{last} (vars plausible_first_year, {_last_year_var(kind)}): not a plausible year",
        column.strip('"'),
    )


def year_is_plausible(year: int, kind: str = "observed") -> str | None:
    """Return why ``year`` is implausible (the reason of :func:`plausible_year`), or None when it is plausible.

    For years that are not cells of a row: the year columns of a wide file's header, a year in a file name.
    """
    p = _limits()
    if int(p["plausible_first_year"]) <= int(year) <= int(p[_last_year_var(kind)]):
        return None
    return plausible_year("y", kind)[1]


def _at_least_zero(columns: Sequence[str], what: str) -> list[Rule]:
    return [(f"{quote_ident(c)} < 0", f"negative {what}: not a plausible value", c) for c in columns]


def _code_form(column: str, pattern: str, what: str) -> Rule:
    # a missing code is left to the loader's own rules (null never matches, so it passes here)
    return (
        f"not regexp_full_match(trim({quote_ident(column)}), '{pattern}')",
        f"{what} is not of the form {pattern}",
        column,
    )


# World Bank country and aggregate codes: three capitals or digits (JPN, WLD, EAS, XKX …)
WDI_COUNTRY_CODE: Rule = (
    "not regexp_full_match(trim(\"Country Code\"), '[A-Z0-9]{3}')",
    "Country Code is not of the form [A-Z0-9]{3}",
    "Country Code",
)


def _m49(column: str) -> Rule:
    return (f"{quote_ident(column)} < 0 or {quote_ident(column)} > 999", "not a UN M49 country code (0..999)", column)


def rules(table: str) -> list[Rule]:
    """Return the declared plausibility rules of one raw table (empty for a table without any)."""
    p = _limits()
    max_usd = float(p["baci_max_value_kusd"]) * 1000
    max_kg = float(p["baci_max_quantity_t"]) * 1000
    estimate = float(p["wgi_max_abs_estimate"])
    nonnegative = ", ".join(quote_literal(c) for c in p["wdi_nonnegative_indicators"])
    percent = ", ".join(quote_literal(c) for c in p["wdi_percent_indicators"])
    table_rules: dict[str, list[Rule]] = {
        # the World Bank values after unpivot (indicator_code, year, value); see Loader._wdi_plausible
        "wdi_values": [
            (
                f"indicator_code in ({nonnegative}) and value < 0",
                "negative value of an indicator that cannot be negative (var wdi_nonnegative_indicators)",
                None,
            ),
            (
                f"indicator_code in ({percent}) and (value < 0 or value > 100)",
                "percent outside 0..100 (var wdi_percent_indicators)",
                None,
            ),
        ],
        "owid_co2": [
            plausible_year("year"),
            _code_form("iso_code", "[A-Z]{3}|OWID_[A-Z]+", "iso_code"),
            *_at_least_zero(["population", "gdp", "primary_energy_consumption", "methane", "nitrous_oxide"], "amount"),
        ],
        "wgi": [
            plausible_year('"Year"'),
            _code_form("Code", "[A-Z]{3}", "country code"),
            (
                f'abs("Estimate") > {estimate!r}',
                f"estimate beyond ±{estimate:g} (var wgi_max_abs_estimate): WGI estimates are standard-normal units",
                "Estimate",
            ),
            *_at_least_zero(["StdErr", "NumSrc"], "standard error or source count"),
            *[(f'"{c}" < 0 or "{c}" > 100', "percentile rank outside 0..100", c) for c in ("Rank", "Lower", "Upper")],
            ('"Lower" > "Upper"', "lower bound of the rank above the upper bound", "Lower"),
        ],
        "irp_extraction": [plausible_year("year"), _code_form("alphanumiso", "[A-Z]{3}[0-9]{3}", "alphanumiso")],
        "bgs_production": [
            _bgs_year(),
            _code_form("country_iso3_code", "[A-Z0-9]{3}", "country_iso3_code"),
            *_at_least_zero(["quantity"], "production"),
        ],
        "mine_production": [plausible_year("year"), _m49("iso")],
        "comtrade_flows": [
            plausible_year('"refYear"'),
            _m49("reporterCode"),
            _m49("partnerCode"),
            (
                f'"primaryValue" > {max_usd!r}',
                f"trade value above {max_usd:g} USD (var baci_max_value_kusd): not a plausible value",
                "primaryValue",
            ),
            (
                f'"netWgt" > {max_kg!r}',
                f"net weight above {max_kg:g} kg (var baci_max_quantity_t): not a plausible value",
                "netWgt",
            ),
        ],
        "ewaste_cn_keys": [plausible_year('"Year"')],
        "scenario_values": [
            (
                "(variable ilike 'Population%' or variable ilike 'GDP%') and value < 0",
                "negative population or GDP: not a plausible value",
                None,
            )
        ],
    }
    return table_rules.get(table, [])


def _bgs_year() -> Rule:
    # BGS writes years as dates ("1971-01-01 00:00:00") or years; the form is checked first by its loader
    predicate, reason, _ = plausible_year("try_cast(substr(year, 1, 4) as integer)")
    return predicate, reason, "year"


def finite_rules(types: Mapping[str, str]) -> list[Rule]:
    """Return one rule per DOUBLE column of ``types``: the value, when present, must be a finite number."""
    return [
        (f"not isfinite({quote_ident(name)})", "not a finite number (inf or nan)", name)
        for name, kind in types.items()
        if kind.upper() == "DOUBLE"
    ]
