"""pandera schemas for the processed tables: types, units (in column names), ranges, unique keys."""

from __future__ import annotations

import pandera.pandas as pa

from analysis.data import registry

ISO3 = pa.Column(str, pa.Check.str_matches(r"^[A-Z0-9]{3}$"), nullable=False)


def _share(nullable: bool = True, upper: float = 1.0) -> pa.Column:
    return pa.Column(float, pa.Check.in_range(0.0, upper), nullable=nullable)


def _positive() -> pa.Column:
    return pa.Column(float, pa.Check.gt(0.0), nullable=True)


def _non_negative() -> pa.Column:
    return pa.Column(float, pa.Check.ge(0.0), nullable=True)


def _any_float() -> pa.Column:
    return pa.Column(float, nullable=True)


# PWT 11.0 variables and their admissible ranges (units as in the PWT user guide).
PWT_NUMERIC: dict[str, pa.Column] = {
    "rgdpe": _positive(),
    "rgdpo": _positive(),  # mil. 2021 US$ (PPP)
    "pop": _positive(),
    "emp": _non_negative(),  # millions of persons
    "avh": pa.Column(float, pa.Check.in_range(500.0, 4000.0), nullable=True),  # hours per worker per year
    "hc": pa.Column(float, pa.Check.in_range(1.0, 5.0), nullable=True),  # index
    "ccon": _positive(),
    "cda": _positive(),
    "cgdpe": _positive(),
    "cgdpo": _positive(),
    "cn": _positive(),
    "ck": _positive(),
    "ctfp": _positive(),
    "cwtfp": _positive(),
    "rgdpna": _positive(),
    "rconna": _positive(),
    "rdana": _positive(),
    "rnna": _positive(),
    "rkna": _positive(),
    "rtfpna": _positive(),
    "rwtfpna": _positive(),
    "labsh": _share(),
    "irr": _any_float(),
    "delta": _share(),
    "xr": _positive(),
    "pl_con": _positive(),
    "pl_da": _positive(),
    "pl_gdpo": _positive(),
    "cor_exp": _any_float(),
    "csh_c": _any_float(),
    "csh_i": _any_float(),
    "csh_g": _any_float(),
    "csh_x": _any_float(),
    "csh_m": _any_float(),
    "csh_r": _any_float(),
    "pl_c": _positive(),
    "pl_i": _positive(),
    "pl_g": _positive(),
    "pl_x": _positive(),
    "pl_m": _positive(),
    "pl_n": _positive(),
    "pl_k": _positive(),
}
PWT_FLAGS = ["i_cig", "i_xm", "i_xr", "i_outlier", "i_irr"]


def _pwt_schema(name: str, numeric: dict[str, pa.Column] | None = None) -> pa.DataFrameSchema:
    """The PWT panel schema (one row per economy-year, PWT's variables ``numeric``), under the table name ``name``."""
    numeric = PWT_NUMERIC if numeric is None else numeric
    return pa.DataFrameSchema(
        {
            "iso3": ISO3,
            "country": pa.Column(str, nullable=False),
            "currency_unit": pa.Column(str, nullable=True),
            "year": pa.Column(int, pa.Check.in_range(1950, 2100), nullable=False),
            **numeric,
            **{flag: pa.Column("Int8", pa.Check.in_range(0, 10), nullable=True) for flag in PWT_FLAGS},
        },
        unique=["iso3", "year"],
        strict=True,
        ordered=True,
        name=name,
    )


PWT_SCHEMA = _pwt_schema("pwt")

# PWT 10.01 in the same layout: the same columns, ranges and keys as ``pwt``, except that 10.01
# publishes a few negative output-side price levels (pl_gdpo), so their sign is not checked.
PWT1001_SCHEMA = _pwt_schema("pwt1001", {**PWT_NUMERIC, "pl_gdpo": _any_float()})

# Bounds by column name for the WDI panel; a column not listed may take any finite value.
_WDI_BOUNDS: dict[str, tuple[float | None, float | None]] = {
    "rd_expenditure_pct_gdp": (0.0, 100.0),
    "researchers_per_million": (0.0, 1e5),
    "rd_technicians_per_million": (0.0, 1e5),
    "patent_applications_residents": (0.0, None),
    "patent_applications_nonresidents": (0.0, None),
    "journal_articles": (0.0, None),
    "high_tech_exports_pct_manuf_exports": (0.0, 100.0),
    "high_tech_exports_usd": (0.0, None),
    "medium_high_tech_manuf_pct_manuf_va": (0.0, 100.0),
    "gdp_per_worker_ppp_2021usd": (0.0, None),
    "gdp_const_2015usd": (0.0, None),
    "gdp_current_usd": (0.0, None),
    "gdp_ppp_const_2021usd": (0.0, None),
    "gdp_per_capita_ppp_2021usd": (0.0, None),
    "gdp_per_capita_current_usd": (0.0, None),
    "population": (0.0, None),
    "labour_force": (0.0, None),
    "employment_to_population_pct": (0.0, 100.0),
    "tertiary_enrolment_gross_pct": (0.0, 200.0),
    # BoP IP charges can be negative after revisions (WDI has a few such values), so no bound.
    "internet_users_pct": (0.0, 100.0),
    "merchandise_exports_usd": (0.0, None),
    "industry_value_added_pct_gdp": (0.0, 100.0),
    "gni_per_capita_atlas_usd": (0.0, None),
}


def _bounded(column: str) -> pa.Column:
    low, high = _WDI_BOUNDS.get(column, (None, None))
    checks = []
    if low is not None:
        checks.append(pa.Check.ge(low))
    if high is not None:
        checks.append(pa.Check.le(high))
    return pa.Column(float, checks, nullable=True)


def wdi_schema() -> pa.DataFrameSchema:
    """The WDI panel schema: one row per economy or aggregate and year, one column per series."""
    series_columns = {series.column: _bounded(series.column) for series in registry.wdi_series()}
    return pa.DataFrameSchema(
        {
            "iso3": ISO3,
            "country": pa.Column(str, nullable=False),
            "year": pa.Column(int, pa.Check.in_range(1960, 2100), nullable=False),
            **series_columns,
        },
        unique=["iso3", "year"],
        strict=True,
        ordered=True,
        name="wdi",
    )


COUNTRIES_SCHEMA = pa.DataFrameSchema(
    {
        "iso3": ISO3,
        "country": pa.Column(str, nullable=False),
        "region": pa.Column(str, nullable=True),
        "income_group": pa.Column(str, nullable=True),
        "lending_category": pa.Column(str, nullable=True),
        "is_aggregate": pa.Column(bool, nullable=False),
        "in_pwt": pa.Column(bool, nullable=False),
    },
    unique=["iso3"],
    strict=True,
    ordered=True,
    name="countries",
)


# HDR 2023/24 indicator prefixes (``<prefix>_<year>`` in the file) → processed column names.
HDR_INDICATORS: dict[str, str] = {
    "hdi": "hdi",
    "le": "life_expectancy_years",
    "eys": "expected_years_schooling",
    "mys": "mean_years_schooling",
    "gnipc": "gni_per_capita_ppp_2017usd",
    "ihdi": "ihdi",
    "gdi": "gdi",
    "gii": "gii",
    "phdi": "phdi",
}

# Ranges from the HDR technical notes: indices lie in [0, 1] (GDI is a female/male ratio of HDIs),
# life expectancy in years, schooling in years (expected years can exceed the index's cap of 18).
HDR_SCHEMA = pa.DataFrameSchema(
    {
        "iso3": pa.Column(str, pa.Check.str_matches(r"^([A-Z]{3}|ZZ[A-Z]\.[A-Z]+)$"), nullable=False),
        "country": pa.Column(str, nullable=False),
        "is_aggregate": pa.Column(bool, nullable=False),
        "hdi_group_2022": pa.Column(str, pa.Check.isin(["Very High", "High", "Medium", "Low"]), nullable=True),
        "year": pa.Column(int, pa.Check.in_range(1990, 2100), nullable=False),
        "hdi": _share(),
        "life_expectancy_years": pa.Column(float, pa.Check.in_range(10.0, 100.0), nullable=True),
        "expected_years_schooling": pa.Column(float, pa.Check.in_range(0.0, 30.0), nullable=True),
        "mean_years_schooling": pa.Column(float, pa.Check.in_range(0.0, 20.0), nullable=True),
        "gni_per_capita_ppp_2017usd": _positive(),
        "ihdi": _share(),
        "gdi": pa.Column(float, pa.Check.in_range(0.0, 2.0), nullable=True),
        "gii": _share(),
        "phdi": _share(),
    },
    unique=["iso3", "year"],
    strict=True,
    ordered=True,
    name="hdr",
)


# UN E-Government Survey: one row per member state and survey year. Ranks are published for the
# editions whose own files are registered (2022, 2024); other years come from the Data360 export,
# which has the index only. The EGDI is an index in [0, 1]; a rank runs from 1 to 193.
EGOV_SOURCES = ("egov_2024", "egov_2022", "egdi_data360")
EGOV_SCHEMA = pa.DataFrameSchema(
    {
        "iso3": pa.Column(str, pa.Check.str_matches(r"^[A-Z]{3}$"), nullable=False),
        "country": pa.Column(str, nullable=False),  # the UN name (ISO3 from data/raw/egov_country_names.csv)
        "survey_year": pa.Column(int, pa.Check.in_range(2003, 2100), nullable=False),
        "egdi": pa.Column(float, pa.Check.in_range(0.0, 1.0), nullable=False),
        "rank": pa.Column("Int64", pa.Check.in_range(1, 193), nullable=True),
        "source": pa.Column(str, pa.Check.isin(EGOV_SOURCES), nullable=False),
    },
    unique=["iso3", "survey_year"],
    strict=True,
    ordered=True,
    name="egov",
)

# ILOSTAT output per worker, November 2022 vintage: economies (ISO3) and ILO aggregates (X01, X02, ...).
ILO_PRODUCTIVITY_SCHEMA = pa.DataFrameSchema(
    {
        "iso3": ISO3,
        "country": pa.Column(str, nullable=False),
        "is_aggregate": pa.Column(bool, nullable=False),
        "year": pa.Column(int, pa.Check.in_range(1991, 2100), nullable=False),
        "output_per_worker_ppp_2017usd": pa.Column(float, pa.Check.gt(0.0), nullable=False),
    },
    unique=["iso3", "year"],
    strict=True,
    ordered=True,
    name="ilo_productivity",
)
