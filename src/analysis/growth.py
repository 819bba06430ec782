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
average output growth.

PWT's own ``rtfpna`` is reproduced (to float32 precision, for every country-year) by
:data:`PWT_METHOD`: ``labsh`` Törnqvist, capital services ``rkna`` and labour
``emp × avh × hc``, with hours completed as :func:`hours_per_worker` describes.

All rates are fractions (log points / 100) per year; the command line prints percentages.
"""

from __future__ import annotations

import argparse
import math
import re
import textwrap
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from analysis.coverage import format_years
from analysis.errors import DataError, InputError, available

if TYPE_CHECKING:  # pyplot is imported only when a figure is drawn, to keep the CLI quick
    import matplotlib.pyplot as plt

PWT_LABOUR_SHARE = "pwt"
LABOUR_INPUTS: dict[str, str] = {
    "emp": "persons employed (emp)",
    "emp_hc": "persons × human capital (emp × hc)",
    "emp_avh_hc": "persons × hours × human capital (emp × avh × hc)",
}
CAPITAL_MEASURES: dict[str, str] = {
    "rnna": "capital stock at constant national prices (rnna)",
    "rkna": "capital services at constant national prices (rkna)",
}
# The textbook benchmark of Hall and Jones (1999): capital share 1/3, labour adjusted for hc.
BASELINE = {"labour_share": 2 / 3, "labour_input": "emp_hc", "capital": "rnna"}
# The specification that reproduces PWT's rtfpna (see tests/test_growth.py).
PWT_METHOD = {"labour_share": PWT_LABOUR_SHARE, "labour_input": "emp_avh_hc", "capital": "rkna"}
# PWT variables behind each labour input (avh is completed by hours_per_worker, never required).
LABOUR_VARIABLES: dict[str, list[str]] = {"emp": ["emp"], "emp_hc": ["emp", "hc"], "emp_avh_hc": ["emp", "avh", "hc"]}
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
CONTRIBUTION_COLOURS = {
    "capital_contribution": "#4c72b0",
    "persons_contribution": "#8fb0d8",
    "hours_contribution": "#c9d7ea",
    "quality_contribution": "#55a868",
    "tfp_contribution": "#dd8452",
}


@dataclass(frozen=True)
class Period:
    """Years ``start`` to ``end`` inclusive; each year's growth is measured over the year before."""

    start: int
    end: int

    @property
    def label(self) -> str:
        return f"{self.start}-{self.end}"

    @property
    def years(self) -> list[int]:
        return list(range(self.start, self.end + 1))


def parse_period(text: str | Period) -> Period:
    """``"2011-2015"`` → ``Period(2011, 2015)``; a single year ``"2020"`` is ``2020-2020``."""
    if isinstance(text, Period):
        return text
    match = re.fullmatch(r"\s*(\d{4})\s*(?:[-–]\s*(\d{4}))?\s*", str(text))
    if not match:
        raise InputError(
            f"Cannot read the period {text!r}: write it as START-END, e.g. 2011-2015 (or one year, e.g. 2020)."
        )
    start, end = int(match.group(1)), int(match.group(2) or match.group(1))
    if end < start:
        raise InputError(f"The period {text!r} ends before it starts; write it as START-END, e.g. 2011-2015.")
    return Period(start, end)


def parse_periods(periods: str | list[str | Period]) -> list[Period]:
    """A comma-separated string or a list of periods, each read by :func:`parse_period`."""
    items = [p for p in periods.split(",") if p.strip()] if isinstance(periods, str) else list(periods)
    if not items:
        raise InputError("Give at least one period, e.g. 2011-2015,2016-2020.")
    return [parse_period(p) for p in items]


def parse_labour_share(value: str | float) -> float | str:
    """``"pwt"`` (PWT's labsh, Törnqvist-averaged) or a fixed share in (0, 1), e.g. ``0.6667`` or ``2/3``."""
    if isinstance(value, str) and value.strip().lower() == PWT_LABOUR_SHARE:
        return PWT_LABOUR_SHARE
    try:
        share = float(Fraction(str(value).strip())) if isinstance(value, str) else float(value)
    except (ValueError, ZeroDivisionError):
        raise InputError(
            f"Cannot read the labour share {value!r}: give a number between 0 and 1 (e.g. 0.6667 or 2/3) or 'pwt'."
        ) from None
    if not 0 < share < 1:
        raise InputError(
            f"The labour share must be between 0 and 1 (exclusive); got {share:g}. Or give 'pwt' for PWT's labsh."
        )
    return share


def _country_rows(pwt: pd.DataFrame, iso3: str) -> pd.DataFrame:
    """One economy's PWT rows indexed by year; an unknown code is an :class:`InputError` listing the codes."""
    iso3 = str(iso3).strip().upper()
    rows = pwt[pwt["iso3"] == iso3]
    if rows.empty:
        raise InputError(f"Unknown country code {iso3!r}. PWT 11.0 has: {available(pwt['iso3'].unique(), limit=500)}.")
    return rows.set_index("year").sort_index()


def country_name(pwt: pd.DataFrame, iso3: str) -> str:
    """PWT's name for an economy, e.g. ``"Viet Nam"`` for ``VNM``."""
    return str(_country_rows(pwt, iso3)["country"].iloc[0])


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
            f"Cannot complete hours for {iso3}: {HOURS_REFERENCE} hours are missing in {format_years(rows.index[missing_reference])}."
        )
    result["hours"] = np.exp(log_hours)
    return result


def country_series(
    pwt: pd.DataFrame,
    iso3: str,
    *,
    labour_share: float | str = BASELINE["labour_share"],
    labour_input: str = BASELINE["labour_input"],
    capital: str = BASELINE["capital"],
) -> pd.DataFrame:
    """The levels one specification needs for one country, indexed by year.

    Columns: ``output`` (rgdpna), ``capital``, ``persons`` (emp), ``hours`` (completed avh,
    or 1 when hours are not part of labour input), ``hours_observed``, ``quality`` (hc, or 1)
    and ``labour_share`` (labsh, or the fixed share). Raises :class:`InputError` for an unknown
    country, labour input or capital measure, and for a variable PWT lacks for the country.
    """
    iso3 = iso3.strip().upper()
    labour_share = parse_labour_share(labour_share)
    if labour_input not in LABOUR_INPUTS:
        raise InputError(f"Unknown labour input {labour_input!r}. Allowed: {available(LABOUR_INPUTS)}.")
    if capital not in CAPITAL_MEASURES:
        raise InputError(f"Unknown capital measure {capital!r}. Allowed: {available(CAPITAL_MEASURES)}.")
    rows = _country_rows(pwt, iso3)
    name = rows["country"].iloc[0]
    if labour_share == PWT_LABOUR_SHARE and rows["labsh"].isna().all():
        with_labsh = pwt.loc[pwt["labsh"].notna(), "iso3"].unique()
        raise InputError(
            f"PWT has no labour share (labsh) for {name} ({iso3}) in any year, so 'pwt' cannot be used: "
            f"give a fixed labour share instead, e.g. 0.6667 (--labour-share 0.6667). "
            f"{len(with_labsh)} economies have labsh: {available(with_labsh, limit=500)}."
        )
    for variable in ["rgdpna", capital, *(v for v in LABOUR_VARIABLES[labour_input] if v != "avh")]:
        if rows[variable].isna().all():
            hint = " Use --capital rnna (the capital stock) instead." if variable == "rkna" else ""
            raise InputError(f"PWT has no {variable} for {name} ({iso3}) in any year.{hint}")
    uses_hours = labour_input == "emp_avh_hc"
    hours = (
        hours_per_worker(pwt, iso3) if uses_hours else pd.DataFrame({"hours": 1.0, "observed": True}, index=rows.index)
    )
    return pd.DataFrame(
        {
            "output": rows["rgdpna"],
            "capital": rows[capital],
            "persons": rows["emp"],
            "hours": hours["hours"],
            "hours_observed": hours["observed"],
            "quality": rows["hc"] if labour_input != "emp" else 1.0,
            "labour_share": rows["labsh"] if labour_share == PWT_LABOUR_SHARE else labour_share,
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


def yearly(
    pwt: pd.DataFrame,
    iso3: str,
    *,
    labour_share: float | str = BASELINE["labour_share"],
    labour_input: str = BASELINE["labour_input"],
    capital: str = BASELINE["capital"],
) -> pd.DataFrame:
    """Yearly growth components for one country and specification (see :func:`growth_components`)."""
    share = parse_labour_share(labour_share)
    series = country_series(pwt, iso3, labour_share=share, labour_input=labour_input, capital=capital)
    return growth_components(series, tornqvist=share == PWT_LABOUR_SHARE)


def average_over_periods(components: pd.DataFrame, periods, *, iso3: str = "", variables: str = "") -> pd.DataFrame:
    """One row per period: average yearly growth, contributions and the TFP share of output growth.

    Raises :class:`InputError` naming the years with complete data when a period reaches
    beyond them.
    """
    complete = components.dropna(subset=["output_growth", "tfp_contribution"])
    rows = []
    for period in parse_periods(periods):
        missing = [y for y in period.years if y not in complete.index]
        if missing:
            who = f" for {iso3}" if iso3 else ""
            inputs = f" ({variables})" if variables else ""
            raise InputError(
                f"Period {period.label} is outside the years with data{who}{inputs}: growth can be measured for "
                f"{format_years(complete.index)} (missing: {format_years(missing)})."
            )
        window = complete.loc[period.years]
        means = window.drop(columns="hours_imputed").mean()
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
                "hours_imputed_years": int(window["hours_imputed"].sum()),
            }
        )
    return pd.DataFrame(rows)


def decompose(
    pwt: pd.DataFrame,
    iso3: str,
    periods,
    *,
    labour_share: float | str = BASELINE["labour_share"],
    labour_input: str = BASELINE["labour_input"],
    capital: str = BASELINE["capital"],
) -> pd.DataFrame:
    """Growth accounting for one country: one row per period (rates as fractions per year).

    Columns: ``country``, ``period``, ``start``, ``end``, ``years``, ``output_growth``, the
    input growth rates, ``labour_share`` (mean weight), the contributions of capital, labour
    persons, hours and quality (hc) and TFP (they sum to ``output_growth``),
    ``labour_contribution`` (persons + hours), ``tfp_share`` (of output growth),
    ``hours_imputed_years`` and the specification (``labour_share_spec``, ``labour_input``,
    ``capital_measure``).
    """
    iso3 = iso3.strip().upper()
    share = parse_labour_share(labour_share)
    components = yearly(pwt, iso3, labour_share=share, labour_input=labour_input, capital=capital)
    variables = ", ".join(
        ["rgdpna", capital, *LABOUR_VARIABLES[labour_input], *(["labsh"] if share == PWT_LABOUR_SHARE else [])]
    )
    table = average_over_periods(components, periods, iso3=iso3, variables=variables)
    table.insert(0, "country", iso3)
    table["labour_share_spec"] = share if share == PWT_LABOUR_SHARE else f"{share:.4g}"
    table["labour_input"] = labour_input
    table["capital_measure"] = capital
    return table


def sensitivity(
    pwt: pd.DataFrame,
    iso3: str,
    periods,
    labour_shares,
    labour_inputs=tuple(LABOUR_INPUTS),
    capital: str = BASELINE["capital"],
) -> pd.DataFrame:
    """TFP share for every fixed labour share × labour input: long table (labour_input, labour_share, period, ...)."""
    frames = [
        decompose(pwt, iso3, periods, labour_share=float(share), labour_input=labour_input, capital=capital)
        for labour_input in labour_inputs
        for share in labour_shares
    ]
    return pd.concat(frames, ignore_index=True)


@dataclass(frozen=True)
class Fit:
    """The fixed labour share that brings TFP shares closest to target shares (least squares)."""

    labour_input: str
    labour_share: float
    tfp_shares: tuple[float, ...]
    rmse: float
    max_abs_gap: float


def fit_labour_share(
    pwt: pd.DataFrame,
    iso3: str,
    periods,
    targets: list[float],
    *,
    labour_input: str,
    capital: str = BASELINE["capital"],
    bounds: tuple[float, float] = (0.30, 0.80),
) -> Fit:
    """Least-squares fixed labour share for target TFP shares (fractions), within ``bounds``.

    With a fixed share ``a`` the period TFP share is linear in ``a``:
    ``share(a) = 1 - [a·L + (1-a)·K] / Y`` (period means of labour, capital and output growth),
    so the squared error is a parabola and the constrained optimum is the unconstrained one
    clipped to ``bounds``.
    """
    periods = parse_periods(periods)
    if len(targets) != len(periods):
        raise InputError(f"Give one target per period: {len(periods)} periods but {len(targets)} targets.")
    targets_array = np.asarray(targets, dtype=float)

    def shares(a: float) -> np.ndarray:
        return decompose(pwt, iso3, periods, labour_share=a, labour_input=labour_input, capital=capital)[
            "tfp_share"
        ].to_numpy()

    # Evaluate the line at two interior points (shares must lie strictly inside (0, 1)).
    low, high = 0.25, 0.75
    at_low, at_high = shares(low), shares(high)
    slope = (at_high - at_low) / (high - low)
    intercept = at_low - slope * low
    best = float(np.sum(slope * (targets_array - intercept)) / np.sum(slope**2))
    best = min(max(best, bounds[0]), bounds[1])
    fitted = shares(best)
    gaps = fitted - targets_array
    return Fit(labour_input, best, tuple(fitted), float(np.sqrt(np.mean(gaps**2))), float(np.max(np.abs(gaps))))


def specification_fits(
    pwt: pd.DataFrame,
    iso3: str,
    periods,
    targets: list[float],
    *,
    capital: str = BASELINE["capital"],
    bounds=(0.30, 0.80),
) -> pd.DataFrame:
    """:func:`fit_labour_share` for every labour input, best first."""
    fits = [
        fit_labour_share(pwt, iso3, periods, targets, labour_input=li, capital=capital, bounds=bounds)
        for li in LABOUR_INPUTS
    ]
    labels = [p.label for p in parse_periods(periods)]
    table = pd.DataFrame(
        [
            {
                "labour_input": f.labour_input,
                "labour_share": f.labour_share,
                **dict(zip(labels, f.tfp_shares, strict=False)),
                "rmse": f.rmse,
                "max_abs_gap": f.max_abs_gap,
            }
            for f in fits
        ]
    )
    return table.sort_values("rmse", ignore_index=True)


def with_baseline_row(
    fits: pd.DataFrame, baseline: pd.DataFrame, targets: dict[str, float], labour_share: float | str, labour_input: str
) -> pd.DataFrame:
    """:func:`specification_fits` with one more row: the baseline's TFP shares and its gaps to ``targets``.

    ``baseline`` is a :func:`decompose` table; ``targets`` maps period labels to the official shares.
    """
    shares = baseline.set_index("period").loc[list(targets), "tfp_share"]
    gaps = shares.to_numpy(dtype=float) - np.asarray(list(targets.values()), dtype=float)
    row = {
        "labour_input": f"baseline: {labour_input}",
        "labour_share": np.nan if isinstance(labour_share, str) else float(labour_share),
        **shares.to_dict(),
        "rmse": rmse(shares, list(targets.values())),
        "max_abs_gap": float(np.max(np.abs(gaps))),
    }
    return pd.concat([fits, pd.DataFrame([row])], ignore_index=True)


def rmse(values, targets) -> float:
    """Root mean squared difference between two equal-length sequences."""
    gaps = np.asarray(values, dtype=float) - np.asarray(targets, dtype=float)
    return float(np.sqrt(np.mean(gaps**2)))


def closest(table: pd.DataFrame, column: str, target: float) -> pd.Series:
    """The row of ``table`` whose ``column`` is nearest to ``target``."""
    return table.loc[(table[column] - target).abs().idxmin()]


def compare(pwt: pd.DataFrame, countries: list[str], periods, **specification) -> pd.DataFrame:
    """:func:`decompose` for several countries and periods, one row each; a country-period the
    data cannot support (years outside the data, a variable PWT lacks) is a row of NaN.

    Country codes are checked (unknown codes raise :class:`InputError`); use this for
    comparison tables, where a missing cell is shown as missing rather than stopping the page.
    """
    rows = []
    for iso3 in countries:
        country_name(pwt, iso3)  # raises for an unknown code
        for period in parse_periods(periods):
            try:
                rows.append(decompose(pwt, iso3, [period], **specification))
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


def describe(specification: dict) -> str:
    """A specification in a few words, e.g. ``fixed labour share 0.667 · labour emp × hc · capital rnna``."""
    share = parse_labour_share(specification.get("labour_share", BASELINE["labour_share"]))
    share_text = (
        "PWT labour share labsh (Törnqvist)" if share == PWT_LABOUR_SHARE else f"fixed labour share {share:.3g}"
    )
    labour = specification.get("labour_input", BASELINE["labour_input"]).replace("_", " × ")
    return f"{share_text} · labour {labour} · capital {specification.get('capital', BASELINE['capital'])}"


def percent_table(table: pd.DataFrame, extra: list[str] | None = None) -> pd.DataFrame:
    """A :func:`decompose` table for reading: growth and contributions in points a year, TFP share in percent."""
    columns = {"output_growth": "Output growth", **CONTRIBUTION_LABELS, "tfp_share": "TFP share (%)"}
    out = table[[*(extra or []), "period"]].rename(columns={"period": "Period"})
    for column, label in columns.items():
        out[label] = (100 * table[column]).round(2)
    return out


def shares_by_window(table: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """A :func:`compare` stack (with a ``method`` column) as TFP shares in percent: one row per method and country, one column per window."""
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
    pwt: pd.DataFrame, countries: list[str] | None = None, specification: dict | None = None
) -> pd.DataFrame:
    """Yearly TFP growth under a specification (default :data:`PWT_METHOD`) beside the log growth of ``rtfpna``.

    One row per country-year where PWT has year-on-year ``rtfpna`` growth: ``iso3``, ``year``,
    ``computed``, ``published`` and ``deviation`` (computed - published).
    """
    if countries is None:
        countries = sorted(pwt.loc[pwt["rtfpna"].notna(), "iso3"].unique())
    frames = []
    for iso3 in countries:
        components = yearly(pwt, iso3, **(specification or PWT_METHOD))
        published = np.log(_country_rows(pwt, iso3)["rtfpna"]).diff()
        frame = pd.DataFrame({"computed": components["tfp_contribution"], "published": published}).dropna(
            subset=["published"]
        )
        frames.append(frame.assign(iso3=iso3).rename_axis("year").reset_index())
    table = pd.concat(frames, ignore_index=True)[["iso3", "year", "computed", "published"]]
    table["deviation"] = table["computed"] - table["published"]
    return table


@dataclass(frozen=True)
class TargetArithmetic:
    """What a TFP-share target implies for TFP growth (all rates in log points per year, as fractions)."""

    gdp_growth: float  # target output growth, log
    tfp_share: float  # target TFP share of output growth
    factor_contribution: float  # contribution of capital and labour at recent growth rates
    required_tfp_growth: float  # tfp_share × gdp_growth
    allowed_factor_contribution: float  # (1 - tfp_share) × gdp_growth
    tfp_share_at_target_growth: float  # 1 - factor_contribution / gdp_growth
    tfp_growth_given_factors: float  # TFP growth for the target share with recent factor growth
    gdp_growth_given_factors: float  # the output growth that would then follow


def target_arithmetic(gdp_growth: float, tfp_share: float, factor_contribution: float) -> TargetArithmetic:
    """The TFP growth a target TFP share requires, two ways.

    Holding output growth at ``gdp_growth``, TFP must grow ``tfp_share × gdp_growth`` and
    factors may contribute only the rest. Holding factor growth at its recent pace
    (``factor_contribution``), TFP must grow ``tfp_share / (1 - tfp_share) × factor_contribution``.
    """
    if not 0 < tfp_share < 1:
        raise InputError(f"The target TFP share must be between 0 and 1 (a fraction); got {tfp_share!r}.")
    if gdp_growth <= 0:
        raise InputError(f"The target output growth must be positive; got {gdp_growth!r}.")
    tfp_given_factors = tfp_share / (1 - tfp_share) * factor_contribution
    return TargetArithmetic(
        gdp_growth=gdp_growth,
        tfp_share=tfp_share,
        factor_contribution=factor_contribution,
        required_tfp_growth=tfp_share * gdp_growth,
        allowed_factor_contribution=(1 - tfp_share) * gdp_growth,
        tfp_share_at_target_growth=1 - factor_contribution / gdp_growth,
        tfp_growth_given_factors=tfp_given_factors,
        gdp_growth_given_factors=factor_contribution + tfp_given_factors,
    )


def claim_check(
    table: pd.DataFrame, claimed: dict[str, float], *, reference_method: str, reference_period: str, tolerance: float
) -> pd.DataFrame:
    """Published TFP shares without a period beside a :func:`compare` stack with a ``method`` column.

    One row per country in ``claimed`` (shares as fractions; ``tolerance`` in the same unit):
    ``claimed``, ``reference`` (the share under ``reference_method`` in ``reference_period``), the
    closest window and method with its share and gap, and ``within``: the window-method
    combinations within ``tolerance`` of the claim, as text.
    """
    rows = []
    for iso3, value in claimed.items():
        candidates = table[table["country"] == iso3].dropna(subset=["tfp_share"])
        if candidates.empty:
            raise InputError(
                f"No TFP shares for {iso3} in the comparison table; countries there: {available(table['country'])}."
            )
        nearest = closest(candidates, "tfp_share", value)
        reference = candidates[(candidates["method"] == reference_method) & (candidates["period"] == reference_period)][
            "tfp_share"
        ]
        hits = candidates[(candidates["tfp_share"] - value).abs() <= tolerance]
        rows.append(
            {
                "country": iso3,
                "claimed": value,
                "reference": reference.iloc[0] if len(reference) else math.nan,
                "closest_period": nearest["period"],
                "closest_method": nearest["method"],
                "closest": nearest["tfp_share"],
                "gap": nearest["tfp_share"] - value,
                "within": "; ".join(f"{h.period} ({h.method})" for h in hits.itertuples()),
            }
        )
    return pd.DataFrame(rows)


def target_table(
    pwt: pd.DataFrame, iso3: str, period: str, specifications: dict[str, dict], gdp_growth: float, tfp_share: float
) -> pd.DataFrame:
    """:func:`target_arithmetic` with each specification's factor contribution in ``period``: one row per specification.

    ``gdp_growth`` is a log rate. Columns: ``specification``, the period's ``output_growth``,
    ``factor_contribution``, ``tfp_contribution`` and ``tfp_share``, then the fields of
    :class:`TargetArithmetic` that depend on the specification.
    """
    rows = []
    for label, specification in specifications.items():
        recent = decompose(pwt, iso3, [period], **specification).iloc[0]
        factors = recent["output_growth"] - recent["tfp_contribution"]
        need = target_arithmetic(gdp_growth, tfp_share, factors)
        rows.append(
            {
                "specification": label,
                "output_growth": recent["output_growth"],
                "factor_contribution": factors,
                "tfp_contribution": recent["tfp_contribution"],
                "tfp_share": recent["tfp_share"],
                "required_tfp_growth": need.required_tfp_growth,
                "allowed_factor_contribution": need.allowed_factor_contribution,
                "tfp_share_at_target_growth": need.tfp_share_at_target_growth,
                "tfp_growth_given_factors": need.tfp_growth_given_factors,
                "gdp_growth_given_factors": need.gdp_growth_given_factors,
            }
        )
    return pd.DataFrame(rows)


# --- figures -------------------------------------------------------------------------------


def _wrap(title: str, width: int = 52) -> str:
    """Wrap each line of a panel title so that neighbouring panels' titles do not collide."""
    return "\n".join(textwrap.fill(line, width) for line in title.split("\n"))


def plot_contributions(table: pd.DataFrame, title: str, group: str = "method") -> plt.Figure:
    """Stacked bars of the contributions (percentage points a year) per period and ``group``.

    ``table`` is a stack of :func:`decompose` outputs with a ``group`` column naming the
    specification; a black dot marks output growth (the sum of the bars).
    """
    import matplotlib.pyplot as plt

    groups = list(dict.fromkeys(table[group]))
    periods = list(dict.fromkeys(table["period"]))
    fig, axes = plt.subplots(1, len(groups), figsize=(4.2 * len(groups) + 1.5, 4.5), sharey=True, squeeze=False)
    for ax, name in zip(axes[0], groups, strict=False):
        part = table[table[group] == name].set_index("period").loc[periods]
        x = np.arange(len(periods))
        positive_base, negative_base = np.zeros(len(x)), np.zeros(len(x))
        for column in [c for c in CONTRIBUTIONS if table[c].abs().sum() > 0]:
            values = 100 * part[column].to_numpy()
            base = np.where(values >= 0, positive_base, negative_base)
            ax.bar(
                x,
                values,
                bottom=base,
                color=CONTRIBUTION_COLOURS[column],
                label=CONTRIBUTION_LABELS[column],
                width=0.65,
            )
            positive_base += np.clip(values, 0, None)
            negative_base += np.clip(values, None, 0)
        ax.plot(x, 100 * part["output_growth"], "o", color="black", label="Output growth (rgdpna)")
        ax.axhline(0, color="#333333", linewidth=0.8)
        ax.set_xticks(x, periods)
        ax.set_title(_wrap(name), fontsize=9, loc="left")
    axes[0][0].set_ylabel("Percentage points a year (log)")
    handles, labels = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False)
    fig.suptitle(title, x=0.01, ha="left", fontweight="bold")
    fig.tight_layout()
    return fig


def plot_sensitivity(
    grid: pd.DataFrame, title: str, claimed: dict[str, float] | None = None, marks: dict[str, float] | None = None
) -> plt.Figure:
    """TFP share (percent) against the labour share, one panel per period, one line per labour input.

    ``claimed`` maps period → a published TFP share (fraction) drawn as a dashed line;
    ``marks`` maps a label → a labour share drawn as a vertical dotted line.
    """
    import matplotlib.pyplot as plt

    periods = list(dict.fromkeys(grid["period"]))
    fig, axes = plt.subplots(1, len(periods), figsize=(3.3 * len(periods), 4.2), sharey=True, squeeze=False)
    line_colours = dict(zip(LABOUR_INPUTS, ["#4c72b0", "#55a868", "#8172b3"], strict=False))
    for ax, period in zip(axes[0], periods, strict=False):
        part = grid[grid["period"] == period]
        for labour_input, lines in part.groupby("labour_input", sort=False):
            ax.plot(
                lines["labour_share"],
                100 * lines["tfp_share"],
                color=line_colours[labour_input],
                label=labour_input.replace("_", " × "),
            )
        if claimed and period in claimed:
            ax.axhline(
                100 * claimed[period], color="black", linestyle="--", linewidth=1, label="Official figure (paper)"
            )
        for i, (label, share) in enumerate((marks or {}).items()):
            ax.axvline(share, color="#555555", linestyle=[":", "-."][i % 2], linewidth=1, label=label)
        ax.axhline(0, color="#333333", linewidth=0.6)
        ax.set_title(period, fontsize=10)
        ax.set_xlabel("Labour share")
    axes[0][0].set_ylabel("TFP share of output growth (%)")
    handles, labels = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False)
    fig.suptitle(title, x=0.01, ha="left", fontweight="bold")
    fig.tight_layout()
    return fig


def plot_peers(
    table: pd.DataFrame,
    title: str,
    colours: dict[str, str],
    claimed: dict[str, float] | None = None,
    highlight: str = "",
) -> plt.Figure:
    """TFP share (percent) per window, one marker per country, one panel per ``method``.

    ``claimed`` maps a country → a published TFP share (fraction) without a period, drawn as a
    star in a first column "Paper"; ``highlight`` is drawn larger.
    """
    import matplotlib.pyplot as plt

    methods = list(dict.fromkeys(table["method"]))
    windows = list(dict.fromkeys(table["period"]))
    countries = list(dict.fromkeys(table["country"]))
    columns = (["Paper"] if claimed else []) + windows
    fig, axes = plt.subplots(1, len(methods), figsize=(5.0 * len(methods) + 1.0, 4.6), sharey=True, squeeze=False)
    offsets = np.linspace(-0.3, 0.3, len(countries)) if len(countries) > 1 else np.zeros(1)
    start = 1 if claimed else 0
    for ax, method in zip(axes[0], methods, strict=False):
        part = table[table["method"] == method]
        for offset, iso3 in zip(offsets, countries, strict=False):
            rows = part[part["country"] == iso3].set_index("period").reindex(windows)
            size = 90 if iso3 == highlight else 45
            ax.scatter(
                np.arange(start, start + len(windows)) + offset,
                100 * rows["tfp_share"],
                s=size,
                color=colours[iso3],
                label=iso3,
                zorder=3,
                edgecolor="white",
                linewidth=0.5,
            )
            if claimed and iso3 in claimed:
                ax.scatter(
                    [offset],
                    [100 * claimed[iso3]],
                    marker="*",
                    s=140,
                    color=colours[iso3],
                    zorder=3,
                    edgecolor="black",
                    linewidth=0.5,
                )
        if claimed:
            ax.axvline(0.5, color="#999999", linewidth=0.8)
        ax.axhline(0, color="#333333", linewidth=0.6)
        ax.set_xticks(np.arange(len(columns)), columns, fontsize=8)
        ax.set_title(_wrap(method), fontsize=9, loc="left")
    axes[0][0].set_ylabel("TFP share of output growth (%)")
    handles, labels = axes[0][0].get_legend_handles_labels()
    if claimed:
        handles.append(
            plt.Line2D([], [], marker="*", linestyle="none", color="#777777", markeredgecolor="black", markersize=11)
        )
        labels.append("Paper (no period)")
    fig.legend(handles, labels, loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False)
    fig.suptitle(title, x=0.01, ha="left", fontweight="bold")
    fig.tight_layout()
    return fig


# --- command line --------------------------------------------------------------------------

CLI_COLUMNS = {
    "output_growth": "output_growth_pct",
    "capital_contribution": "capital_contribution_pct",
    "labour_contribution": "labour_contribution_pct",
    "quality_contribution": "labour_quality_contribution_pct",
    "tfp_contribution": "tfp_contribution_pct",
    "tfp_share": "tfp_share_pct",
}


def add_arguments(parser: argparse.ArgumentParser, command: str) -> None:
    from analysis.cli import add_format_argument

    parser.add_argument("--country", default="VNM", help="ISO 3166 alpha-3 code of the economy (default: %(default)s)")
    parser.add_argument(
        "--periods",
        default="2011-2015,2016-2020,2011-2020",
        help="comma-separated START-END periods (default: %(default)s)",
    )
    parser.add_argument(
        "--labour-share",
        default="2/3",
        help="fixed labour share in (0, 1), e.g. 0.6667 or 2/3, or 'pwt' for PWT's labsh averaged over adjacent years (default: %(default)s)",
    )
    parser.add_argument(
        "--labour-input",
        choices=list(LABOUR_INPUTS),
        default=BASELINE["labour_input"],
        help="labour input (default: %(default)s)",
    )
    parser.add_argument(
        "--capital",
        choices=list(CAPITAL_MEASURES),
        default=BASELINE["capital"],
        help="capital: stock rnna or services rkna (default: %(default)s)",
    )
    add_format_argument(parser)
    parser.epilog = (
        "Prints one row per period: output growth and the contributions of capital, labour (persons and hours), "
        "labour quality (hc) and TFP in percentage points a year (log growth), and TFP's share of output growth in percent."
    )


def cli_table(table: pd.DataFrame) -> pd.DataFrame:
    """A :func:`decompose` table in the command line's columns and units (percent)."""
    out = table[["country", "period"]].copy()
    for column, name in CLI_COLUMNS.items():
        out[name] = (100 * table[column]).round(4)
    return out


def run(args: argparse.Namespace) -> int:
    from analysis.cli import parse_country_list, render
    from analysis.data import load

    countries = parse_country_list(args.country)
    if len(countries) != 1:
        raise InputError(f"Give one country to --country; got {len(countries)}: {', '.join(countries)}.")
    table = decompose(
        load("pwt"),
        countries[0],
        args.periods,
        labour_share=args.labour_share,
        labour_input=args.labour_input,
        capital=args.capital,
    )
    print(render(cli_table(table), args.format))
    return 0
