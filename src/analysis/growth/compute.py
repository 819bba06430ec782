"""Growth accounting from the Penn World Table: where output growth comes from.

With constant returns, output ``Y`` produced from capital ``K`` and labour input ``L``
gives, year by year in log differences,

    Δln Y_t = (1 - s_t) Δln K_t + s_t Δln L_t + Δln A_t,

where ``s_t`` is the labour share and ``Δln A_t`` (TFP growth) is the residual. Labour
input is employment (``emp``), optionally times average hours (``avh``) and the human
capital index (``hc``), so the labour term splits into persons, hours and quality. The
labour share is either a fixed number or PWT's ``labsh`` averaged over years ``t`` and
``t-1`` (Törnqvist). A period ``2011-2015`` is the average of the yearly growth rates of
2011, ..., 2015 (each over its previous year); the TFP share is average TFP growth over
average output growth. Each choice is one :class:`~analysis.growth.specification.Specification`.

PWT's own ``rtfpna`` is reproduced (to float32 precision, for every country-year) by
:data:`~analysis.growth.specification.PWT_METHOD`: ``labsh`` Törnqvist, capital services
``rkna`` and labour ``emp × avh × hc``, with hours completed as :func:`hours_per_worker` describes.

All rates are fractions (log points / 100) per year.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from analysis.countries import check_code
from analysis.errors import DataError, InputError, available
from analysis.growth.specification import (
    BASELINE,
    LABOUR_INPUTS,
    PWT_METHOD,
    Specification,
    parse_periods,
)
from analysis.style.format import years_span

HOURS_REFERENCE = "USA"  # PWT extends hours of countries without data with US hours growth
CONTRIBUTIONS = [
    "capital_contribution",
    "persons_contribution",
    "hours_contribution",
    "quality_contribution",
    "tfp_contribution",
]
CONTRIBUTION_LABELS = {
    "capital_contribution": "Capital",
    "persons_contribution": "Labour: persons",
    "hours_contribution": "Labour: hours",
    "quality_contribution": "Labour quality (hc)",
    "tfp_contribution": "TFP",
}


def _country_rows(pwt: pd.DataFrame, iso3: str) -> pd.DataFrame:
    """One economy's PWT rows indexed by year; an unknown code is an :class:`InputError` listing the codes."""
    iso3 = check_code(iso3, pwt["iso3"].unique(), "PWT 11.0")
    return pwt[pwt["iso3"] == iso3].set_index("year").sort_index()


def _economy_rows(pwt: pd.DataFrame, iso3: str) -> pd.DataFrame:
    """The PWT rows one economy's accounting can read (its own and the hours reference's).

    Loops over many specifications or economies select these once rather than searching the
    whole table on every call; the code is checked against the whole table first.
    """
    iso3 = check_code(iso3, pwt["iso3"].unique(), "PWT 11.0")
    return pwt[pwt["iso3"].isin([iso3, HOURS_REFERENCE])]


def country_name(pwt: pd.DataFrame, iso3: str) -> str:
    """The house's readable name for an economy in PWT, e.g. ``"Viet Nam"`` for ``VNM``, ``"Korea"`` for ``KOR``."""
    from analysis.style.format import readable

    return readable(iso3, str(_country_rows(pwt, iso3)["country"].iloc[0]))


def has_variable(pwt: pd.DataFrame, iso3: str, variable: str) -> bool:
    """Whether PWT has ``variable`` for the country in at least one year."""
    return bool(_country_rows(pwt, iso3)[variable].notna().any())


def hours_per_worker(pwt: pd.DataFrame, iso3: str) -> pd.DataFrame:
    """Average annual hours per worker as PWT uses them in its TFP, with a flag for observed years.

    PWT's ``rtfpna`` implies (and the tests verify) this completion of ``avh``: gaps between
    a country's observations are interpolated linearly; before its first and after its
    last observation, and for countries without any, hours move with US hours (``avh`` of
    ``USA``). Columns: ``hours`` and ``observed`` (``avh`` published for that year).
    """
    rows = _country_rows(pwt, iso3)
    own = rows["avh"]
    result = pd.DataFrame({"hours": own, "observed": own.notna()}, index=rows.index)
    if result["observed"].all():
        return result
    reference = _country_rows(pwt, HOURS_REFERENCE)["avh"].reindex(rows.index)
    observed = own.dropna()
    log_hours = pd.Series(np.nan, index=rows.index)
    if observed.empty:
        log_hours[:] = np.log(reference)
    else:
        first, last = observed.index[0], observed.index[-1]
        inside = (rows.index >= first) & (rows.index <= last)
        log_hours[inside] = np.log(np.interp(rows.index[inside], observed.index, observed.to_numpy()))
        before, after = rows.index < first, rows.index > last
        log_hours[before] = np.log(observed.iloc[0]) + np.log(reference[before]) - np.log(reference[first])
        log_hours[after] = np.log(observed.iloc[-1]) + np.log(reference[after]) - np.log(reference[last])
    missing_reference = log_hours.isna() & ~result["observed"]
    if missing_reference.any():
        raise DataError(
            f"Cannot complete hours for {iso3}: {HOURS_REFERENCE} hours are missing in "
            f"{years_span(rows.index[missing_reference])}."
        )
    result["hours"] = np.exp(log_hours)
    return result


def country_series(pwt: pd.DataFrame, iso3: str, spec: Specification = BASELINE) -> pd.DataFrame:
    """The levels one specification needs for one country, indexed by year.

    Columns: ``output`` (rgdpna), ``capital``, ``persons`` (emp), ``hours`` (completed avh,
    or 1 when hours are not part of labour input), ``hours_observed``, ``quality`` (hc, or 1)
    and ``labour_share`` (labsh, or the fixed share). Raises :class:`InputError` for an unknown
    country and for a variable PWT lacks for the country.
    """
    rows = _country_rows(pwt, iso3)
    iso3 = str(iso3).strip().upper()
    name = rows["country"].iloc[0]
    if spec.uses_pwt_share and rows["labsh"].isna().all():
        with_labsh = pwt.loc[pwt["labsh"].notna(), "iso3"].unique()
        raise InputError(
            f"PWT has no labour share (labsh) for {name} ({iso3}) in any year, so 'pwt' cannot be used: "
            f"give a fixed labour share instead, e.g. 0.6667 (--labour-share 0.6667). "
            f"{len(with_labsh)} economies have labsh: {available(with_labsh, limit=500)}."
        )
    for variable in (v for v in spec.variables if v not in ("avh", "labsh")):
        if rows[variable].isna().all():
            hint = " Use --capital rnna (the capital stock) instead." if variable == "rkna" else ""
            raise InputError(f"PWT has no {variable} for {name} ({iso3}) in any year.{hint}")
    uses_hours = spec.labour_input == "emp_avh_hc"
    hours = (
        hours_per_worker(pwt, iso3) if uses_hours else pd.DataFrame({"hours": 1.0, "observed": True}, index=rows.index)
    )
    return pd.DataFrame(
        {
            "output": rows["rgdpna"],
            "capital": rows[spec.capital],
            "persons": rows["emp"],
            "hours": hours["hours"],
            "hours_observed": hours["observed"],
            "quality": rows["hc"] if spec.labour_input != "emp" else 1.0,
            "labour_share": rows["labsh"] if spec.uses_pwt_share else spec.labour_share,
        },
        index=rows.index,
    )


def growth_components(series: pd.DataFrame, *, tornqvist: bool) -> pd.DataFrame:
    """Yearly log growth of each input and its contribution to output growth.

    ``series`` has the columns of :func:`country_series`. With ``tornqvist`` the weight of
    year ``t`` is the mean of the labour shares of ``t`` and ``t-1``. The first year and
    years with a missing input are NaN (no interpolation).
    """
    growth = np.log(series[["output", "capital", "persons", "hours", "quality"]].astype(float)).diff()
    share = series["labour_share"].astype(float)
    weight = (share + share.shift()) / 2 if tornqvist else share
    table = pd.DataFrame(
        {
            "output_growth": growth["output"],
            "capital_growth": growth["capital"],
            "persons_growth": growth["persons"],
            "hours_growth": growth["hours"],
            "quality_growth": growth["quality"],
            "labour_share": weight,
            "capital_contribution": (1 - weight) * growth["capital"],
            "persons_contribution": weight * growth["persons"],
            "hours_contribution": weight * growth["hours"],
            "quality_contribution": weight * growth["quality"],
            # hours growth is the country's own only when avh is published for t and t-1
            "hours_imputed": ~(series["hours_observed"] & series["hours_observed"].shift(fill_value=False)),
        },
        index=series.index,
    )
    inputs = ["capital_contribution", "persons_contribution", "hours_contribution", "quality_contribution"]
    table["tfp_contribution"] = table["output_growth"] - table[inputs].sum(axis=1, skipna=False)
    return table


def yearly(pwt: pd.DataFrame, iso3: str, spec: Specification = BASELINE) -> pd.DataFrame:
    """Yearly growth components for one country and specification (see :func:`growth_components`)."""
    return growth_components(country_series(pwt, iso3, spec), tornqvist=spec.uses_pwt_share)


def average_over_periods(components: pd.DataFrame, periods, *, iso3: str = "", variables: str = "") -> pd.DataFrame:
    """One row per period: average yearly growth, contributions and the TFP share of output growth.

    Raises :class:`InputError` naming the years with complete data when a period reaches
    beyond them.
    """
    complete = components.dropna(subset=["output_growth", "tfp_contribution"])
    rates = complete.drop(columns="hours_imputed")
    rows = []
    for period in parse_periods(periods):
        missing = [y for y in period.years if y not in complete.index]
        if missing:
            who = f" for {iso3}" if iso3 else ""
            inputs = f" ({variables})" if variables else ""
            raise InputError(
                f"Period {period.label} is outside the years with data{who}{inputs}: growth can be measured for "
                f"{years_span(complete.index)} (missing: {years_span(missing)})."
            )
        means = rates.loc[period.years].mean()
        output = means["output_growth"]
        rows.append(
            {
                "period": period.label,
                "start": period.start,
                "end": period.end,
                "years": len(period.years),
                **means.to_dict(),
                "labour_contribution": means[["persons_contribution", "hours_contribution"]].sum(),
                "tfp_share": means["tfp_contribution"] / output if output != 0 else math.nan,
                "hours_imputed_years": int(complete.loc[period.years, "hours_imputed"].sum()),
            }
        )
    return pd.DataFrame(rows)


def decompose(pwt: pd.DataFrame, iso3: str, periods, spec: Specification = BASELINE) -> pd.DataFrame:
    """Growth accounting for one country: one row per period (rates as fractions per year).

    Columns: ``country``, ``period``, ``start``, ``end``, ``years``, ``output_growth``, the
    input growth rates, ``labour_share`` (mean weight), the contributions of capital, labour
    persons, hours and quality (hc) and TFP (they sum to ``output_growth``),
    ``labour_contribution`` (persons + hours), ``tfp_share`` (of output growth),
    ``hours_imputed_years`` and the specification (``labour_share_spec``, ``labour_input``,
    ``capital_measure``).
    """
    iso3 = iso3.strip().upper()
    return _decomposition(yearly(pwt, iso3, spec), iso3, periods, spec)


def _decomposition(components: pd.DataFrame, iso3: str, periods, spec: Specification) -> pd.DataFrame:
    """:func:`decompose` from a country's yearly components (computed once, reused by :func:`sensitivity`)."""
    table = average_over_periods(components, periods, iso3=iso3, variables=", ".join(spec.variables))
    table.insert(0, "country", iso3)
    table["labour_share_spec"] = spec.labour_share if spec.uses_pwt_share else f"{spec.labour_share:.4g}"
    table["labour_input"] = spec.labour_input
    table["capital_measure"] = spec.capital
    return table


def sensitivity(
    pwt: pd.DataFrame, iso3: str, periods, labour_shares, labour_inputs=tuple(LABOUR_INPUTS), capital: str = "rnna"
) -> pd.DataFrame:
    """TFP share for every fixed labour share × labour input: long table (labour_input, labour_share, period, ...).

    The same rows as :func:`decompose` for each specification; the levels are read once per
    labour input, since only the (fixed) weight changes along the grid.
    """
    iso3 = iso3.strip().upper()
    rows = _economy_rows(pwt, iso3)
    frames = []
    for labour_input in labour_inputs:
        series = country_series(rows, iso3, Specification(labour_input=labour_input, capital=capital))
        for share in labour_shares:
            spec = Specification(float(share), labour_input, capital)
            components = growth_components(series.assign(labour_share=spec.labour_share), tornqvist=False)
            frames.append(_decomposition(components, iso3, periods, spec))
    return pd.concat(frames, ignore_index=True)


def compare(pwt: pd.DataFrame, countries: list[str], periods, spec: Specification = BASELINE) -> pd.DataFrame:
    """:func:`decompose` for several countries and periods, one row each; a country-period the
    data cannot support (years outside the data, a variable PWT lacks) is a row of NaN.

    Country codes are checked (unknown codes raise :class:`InputError`); use this for
    comparison tables, where a missing cell is shown as missing rather than stopping the page.
    """
    rows = []
    for iso3 in countries:
        economy = _economy_rows(pwt, iso3)  # raises for an unknown code
        for period in parse_periods(periods):
            try:
                rows.append(decompose(economy, iso3, [period], spec))
            except InputError:
                rows.append(
                    pd.DataFrame(
                        {
                            "country": [iso3.strip().upper()],
                            "period": [period.label],
                            "start": [period.start],
                            "end": [period.end],
                        }
                    )
                )
    return pd.concat(rows, ignore_index=True)


def percent_table(table: pd.DataFrame, extra: list[str] | None = None) -> pd.DataFrame:
    """A :func:`decompose` table for reading: growth and contributions in points a year, TFP share in percent."""
    columns = {"output_growth": "Output growth", **CONTRIBUTION_LABELS, "tfp_share": "TFP share (%)"}
    out = table[[*(extra or []), "period"]].rename(columns={"period": "Period"})
    for column, label in columns.items():
        out[label] = (100 * table[column]).round(2)
    return out


def shares_by_window(table: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """A :func:`compare` stack (with a ``method`` column) as TFP shares in percent.

    One row per method and country, one column per window.
    """
    windows = list(dict.fromkeys(table["period"]))
    rows = []
    for (method, iso3), part in table.groupby(["method", "country"], sort=False):
        shares = part.set_index("period")["tfp_share"].reindex(windows)
        rows.append({"Method": method, "Economy": names.get(iso3, iso3), **(100 * shares).round(1).to_dict()})
    return pd.DataFrame(rows)


def blank_missing(table: pd.DataFrame) -> pd.DataFrame:
    """Missing values as ``None``, so that Markdown tables show them as a dash rather than ``nan``."""
    return table.astype(object).where(table.notna(), None)


def rtfpna_check(
    pwt: pd.DataFrame, countries: list[str] | None = None, spec: Specification = PWT_METHOD
) -> pd.DataFrame:
    """Yearly TFP growth under a specification (default :data:`PWT_METHOD`) beside the log growth of ``rtfpna``.

    One row per country-year where PWT has year-on-year ``rtfpna`` growth: ``iso3``, ``year``,
    ``computed``, ``published`` and ``deviation`` (computed - published).
    """
    if countries is None:
        countries = sorted(pwt.loc[pwt["rtfpna"].notna(), "iso3"].unique())
    frames = []
    for iso3 in countries:
        rows = _economy_rows(pwt, iso3)
        components = yearly(rows, iso3, spec)
        published = np.log(_country_rows(rows, iso3)["rtfpna"]).diff()
        frame = pd.DataFrame({"computed": components["tfp_contribution"], "published": published}).dropna(
            subset=["published"]
        )
        frames.append(frame.assign(iso3=iso3).rename_axis("year").reset_index())
    table = pd.concat(frames, ignore_index=True)[["iso3", "year", "computed", "published"]]
    table["deviation"] = table["computed"] - table["published"]
    return table
