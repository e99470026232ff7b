-- Raw layer: the official files as loaded, one table per source entity, nothing renamed but the obvious.
-- Every row keeps the file it came from (source_file); raw.load_log keeps each file's checksum.
create schema if not exists raw;

-- CEPII BACI HS92: one row per flow (year t, exporter i, importer j, HS6 product k).
-- v: value, thousand current USD; q: quantity, metric tonnes (NULL where BACI says NA).
-- k: HS6 code as 6-character text; BACI writes it as an integer (leading zeros lost), the loader pads it.
create table if not exists raw.baci_flows (
    t smallint not null,
    i integer not null,
    j integer not null,
    k varchar(6) not null,
    v double,
    q double,
    source_file varchar not null
);

create table if not exists raw.baci_countries (
    country_code integer not null,
    country_name_abbreviation varchar,
    country_name_full varchar,
    iso_2digit_alpha varchar,
    iso_3digit_alpha varchar,
    source_file varchar not null
);

create table if not exists raw.baci_products (
    code varchar not null,
    description varchar,
    source_file varchar not null
);

-- World Bank indicators (wide download and long re-shaped files alike), one row per country-indicator-year.
create table if not exists raw.wdi_values (
    country_name varchar,
    country_code varchar,
    indicator_name varchar,
    indicator_code varchar,
    year smallint not null,
    value double not null,
    source_file varchar not null
);

create table if not exists raw.wdi_indicators (
    indicator_code varchar not null,
    indicator_name varchar,
    source_note varchar,
    source_organization varchar,
    source_file varchar not null
);

create table if not exists raw.sdg_series (
    series_code varchar not null,
    topic varchar,
    indicator_name varchar,
    unit_of_measure varchar,
    other_notes varchar,
    source_file varchar not null
);

-- Our World in Data CO2/GHG dataset: country-year; units as in its codebook
-- (co2, total_ghg: Mt CO2e; primary_energy_consumption: TWh; gdp: international $ 2011).
create table if not exists raw.owid_co2 (
    iso_code varchar,
    country varchar,
    year smallint not null,
    co2 double,
    total_ghg double,
    methane double,
    nitrous_oxide double,
    primary_energy_consumption double,
    population double,
    gdp double,
    source_file varchar not null
);

create table if not exists raw.wgi (
    country varchar,
    code varchar,
    year smallint not null,
    estimate double,
    std_err double,
    num_src double,
    rank double,
    lower double,
    upper double,
    indicator varchar not null,
    source_file varchar not null
);

-- UN IRP global material flows: domestic extraction (tonnes) by country, CCC material code and year.
create table if not exists raw.irp_extraction (
    alphanumiso varchar not null,
    ccc_code varchar not null,
    year smallint not null,
    unit varchar,
    value double,
    source_file varchar not null
);

create table if not exists raw.irp_ccc (
    ccc_code varchar not null,
    ccc_name varchar,
    mfa13 varchar,
    mfa4 varchar,
    source_file varchar not null
);

-- BGS world mineral statistics: production by country, commodity, sub-commodity and year.
create table if not exists raw.bgs_production (
    commodity_file varchar not null,
    country_iso3_code varchar,
    country_trans varchar,
    bgs_commodity_trans varchar,
    bgs_sub_commodity_trans varchar,
    erml_commodity varchar,
    erml_sub_commodity varchar,
    bgs_statistic_type_trans varchar,
    year smallint not null,
    quantity double,
    units varchar,
    source_file varchar not null
);

-- Input-output tables (values sheet), one row per non-empty cell; value in 10^9 yen for the MIC layout.
create table if not exists raw.io_values (
    table_id varchar not null,
    row_code varchar not null,
    col_code varchar not null,
    value double not null,
    source_file varchar not null
);

-- Sector sets of each IO table: set_name is row, col, va (value added) or fd (final demand).
create table if not exists raw.io_sectors (
    table_id varchar not null,
    set_name varchar not null,
    code varchar not null,
    name varchar,
    name_en varchar,
    source_file varchar not null
);

-- WIOD 2016 national IO tables (domestic and imported use), long; value in millions of USD.
-- origin is Domestic, Imports or TOT.
create table if not exists raw.wiod_niot_values (
    country varchar not null,
    year smallint not null,
    row_code varchar not null,
    origin varchar not null,
    col_code varchar not null,
    value_musd double not null,
    source_file varchar not null
);

-- Scenario pathways in IAMC format, long.
create table if not exists raw.scenario_values (
    model varchar,
    scenario varchar not null,
    region varchar not null,
    variable varchar not null,
    unit varchar,
    year smallint not null,
    value double not null,
    source_file varchar not null
);

-- Metal content per HS6 item: tonnes of metal per tonne of good.
create table if not exists raw.metal_content (
    hs6 varchar not null,
    metal varchar not null,
    content_share double not null,
    basis varchar,
    source varchar,
    source_file varchar not null
);

-- Raw materials and their HS codes (geopolRisk list: hs_raw_materials/*rawmaterial_hs_codes.csv).
create table if not exists raw.hs_raw_materials (
    raw_material varchar not null,
    supply_chain_stage varchar,
    symbol varchar,
    hs_code varchar,              -- null where the list says "Not Available"
    hs_code_additional varchar,   -- further HS6 codes, ';'-separated
    description varchar,
    source_file varchar not null
);

-- Device bills of materials (Babbitt et al. 2020, long): grams of a material class in one component of
-- one device model.
create table if not exists raw.device_bom_grams (
    model varchar not null,
    model_year varchar,
    component varchar,
    product varchar not null,
    material varchar not null,
    grams double not null,
    source_file varchar not null
);

-- BACI flows of the releases in the folder other than the build's one (raw.baci_flows), as in raw.baci_flows.
-- Read for unit values only (int_io__hs6_unit_values, where the build's release has none for an item): never
-- mixed into the flows, the cleaning, the import shares or any trade mart.
create table if not exists raw.baci_other_release_flows (
    t smallint not null,
    i integer not null,
    j integer not null,
    k varchar(6) not null,
    v double,
    q double,
    source_file varchar not null
);

-- UN Statistics Division HS<year> -> HS1992 conversion tables (concordance/HS<year>toHS1992*.xlsx): one HS1992
-- code per code of the newer edition.
create table if not exists raw.hs_conversions (
    from_edition smallint not null,
    from_hs6 varchar not null,
    hs92 varchar not null,
    source_file varchar not null
);

-- EU CN8 codes to UNU e-waste keys, per year (UNU htbl_CN_Match_Key.csv).
create table if not exists raw.ewaste_cn_keys (
    cn8 varchar not null,
    year smallint not null,
    unu_key varchar,              -- empty in the file: the CN code is not electrical or electronic equipment
    source_file varchar not null
);

-- OECD national IO tables (2023 edition), long: one row per country, year, row (DOM_*, IMP_*, VALU, OUTPUT …)
-- and column (industry or final-demand code); million USD.
create table if not exists raw.oecd_iot_values (
    country_iso3 varchar not null,
    year smallint not null,
    row_code varchar not null,
    col_code varchar not null,
    value_musd double not null,
    source_file varchar not null
);

-- Provenance: one row per file loaded into a raw table.
create table if not exists raw.load_log (
    table_name varchar not null,
    partition_key varchar,
    source_file varchar not null,
    sha256 varchar not null,
    bytes bigint not null,
    rows bigint not null,
    source_kind varchar not null,
    loaded_at timestamp not null
);

-- Files in the data folder that look like inputs but were not loaded, with the reason (also listed on stderr
-- before the build starts): another BACI release, a layout no loader knows, a folder no source reads.
create table if not exists raw.unused_inputs (
    source_file varchar not null,
    reason varchar not null,
    noted_at timestamp not null
);

-- Rows set aside by --on-bad-rows quarantine, with the reason.
create table if not exists raw.quarantine (
    table_name varchar not null,
    source_file varchar not null,
    line bigint,
    column_name varchar,
    reason varchar not null,
    quarantined_at timestamp not null
);

-- Mine production by country, long (material_flows/mine_production_by_country_*.csv): tonnes as the file
-- gives them (chromite and lithium minerals gross weight, rare earths as oxide); country_code is the numeric
-- code the file carries (BACI/Comtrade style: 842 USA, 699 India), NULL where it has only a name.
create table if not exists raw.mine_production (
    commodity varchar not null,
    country varchar,
    country_code integer,
    year smallint not null,
    value double,
    source_file varchar not null
);

-- UN Comtrade records in the API v1 column layout (comtrade/*.csv[.gz]): one row per file row; numeric M49
-- reporter and partner codes; cmd_code an HS4 or HS6 code; net weight kg; values USD.
create table if not exists raw.comtrade_flows (
    ref_year smallint not null,
    reporter_code integer not null,
    partner_code integer not null,
    flow_code varchar not null,
    classification_code varchar,
    cmd_code varchar not null,
    customs_code varchar,
    mot_code integer,
    partner2_code integer,
    net_wgt_kg double,
    qty double,
    qty_unit_code integer,
    primary_value_usd double,
    source_file varchar not null
);

-- The written reference per raw material of raw.hs_raw_materials (hs_raw_materials/…_metadata.csv): the
-- raw-material list is also an outside check of the HS -> metal flags.
create table if not exists raw.hs_raw_material_refs (
    raw_material varchar not null,
    reference varchar,
    comment varchar,
    source_file varchar not null
);
