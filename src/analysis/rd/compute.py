"""R&D intensity (WDI ``GB.XPD.RSDV.GD.ZS``), the paper's budget-share arithmetic, and the 2030 R&D target in money.

Percentages of GDP or of a budget stay in percent, as WDI and the paper print them
(``rd_pct_gdp`` = 0.42 means 0.42 % of GDP); shares of a total used in arithmetic (the
private share of R&D) are fractions. Growth rates are fractions per year, computed with
:mod:`analysis.trends`. Where R&D intensity stands against its target, and its trend, is the
target tracker's (:mod:`analysis.targets`); :func:`rd_money` only turns the tracker's latest value
and target into money.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from analysis import trends
from analysis.errors import InputError
from analysis.trends.sparse import average_growth_from_levels, latest_observations, observed, series_of

WDI_RD_PCT_GDP = "rd_expenditure_pct_gdp"
RD_PCT_GDP = "rd_pct_gdp"
RD_LABEL = "R&D expenditure (GB.XPD.RSDV.GD.ZS)"
GDP_PPP_2021 = "gdp_ppp_const_2021usd"
GDP_USD_2015 = "gdp_const_2015usd"
GDP_UNITS = {GDP_PPP_2021: "constant 2021 PPP $", GDP_USD_2015: "constant 2015 US$"}
SOURCE = "Source: World Development Indicators (World Bank); R&D expenditure from the UNESCO Institute for Statistics."


def rd_intensity(wdi: pd.DataFrame, codes: Sequence[str]) -> pd.DataFrame:
    """Observed R&D expenditure in % of GDP: ``country, country_name, year, rd_pct_gdp`` (no interpolation)."""
    return observed(wdi, codes, WDI_RD_PCT_GDP, RD_PCT_GDP, label=RD_LABEL)


def latest_rd(wdi: pd.DataFrame, codes: Sequence[str]) -> pd.DataFrame:
    """The latest observation per country: ``country, year, rd_pct_gdp`` (the CLI table)."""
    return latest_observations(rd_intensity(wdi, codes), RD_PCT_GDP)


def share_of_reference(table: pd.DataFrame, country: str, reference: str = "WLD") -> tuple[int, float]:
    """``country``'s R&D intensity as a percentage of ``reference``'s in their latest common year.

    Returns ``(year, percent)``.
    """
    mine, theirs = series_of(table, country, RD_PCT_GDP), series_of(table, reference, RD_PCT_GDP)
    common = mine.index.intersection(theirs.index)
    if common.empty:
        raise InputError(f"{country} and {reference} have no year of R&D data in common.")
    year = int(common.max())
    return year, 100.0 * float(mine[year]) / float(theirs[year])


def inverse_ratio(percent: float) -> float:
    """The inverse of "A is ``percent`` % of B": how many times A fits in B (22.42 % → 4.46 times)."""
    if not percent > 0:
        raise InputError(f"The ratio must be a positive percentage; got {percent!r}.")
    return 100.0 / percent


def budget_share_gaps(reported_pct: float, benchmarks: Mapping[str, float]) -> pd.DataFrame:
    """A reported budget share (percent) against benchmark shares (percent).

    Columns: ``benchmark, benchmark_pct, reported_pct, gap_pp`` (benchmark - reported, in
    percentage points), ``reported_as_pct_of_benchmark`` and ``multiple_needed`` (benchmark / reported).
    """
    if not reported_pct > 0:
        raise InputError(f"The reported share must be a positive percentage; got {reported_pct!r}.")
    rows = [
        {
            "benchmark": name,
            "benchmark_pct": pct,
            "reported_pct": reported_pct,
            "gap_pp": pct - reported_pct,
            "reported_as_pct_of_benchmark": 100.0 * reported_pct / pct,
            "multiple_needed": pct / reported_pct,
        }
        for name, pct in benchmarks.items()
    ]
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class RdMoney:
    """R&D spending now and under the target, in the money unit of ``gdp_column``.

    ``rd_spending`` = ``rd_pct`` / 100 × GDP in ``rd_year``; GDP in ``target_year`` is GDP in
    ``gdp_last_year`` grown at ``gdp_growth`` a year; ``rd_spending_target`` = ``target_pct`` / 100 ×
    that GDP; ``rd_spending_growth`` is the compound growth of R&D spending from ``rd_year`` to
    ``target_year`` that the target implies. ``constant_intensity_target`` is R&D spending in
    ``target_year`` if the share of GDP stayed at ``rd_pct`` (what GDP growth alone delivers).
    """

    country: str
    gdp_column: str
    rd_year: int
    rd_pct: float
    gdp_in_rd_year: float
    rd_spending: float
    gdp_growth: float
    gdp_growth_from_data: bool
    gdp_growth_period: str
    gdp_last_year: int
    gdp_last: float
    target_year: int
    target_pct: float
    gdp_target: float
    rd_spending_target: float
    rd_spending_growth: float
    constant_intensity_target: float
    private_share: float
    private_target: float
    public_target: float

    @property
    def unit(self) -> str:
        return GDP_UNITS.get(self.gdp_column, self.gdp_column)

    @property
    def multiple(self) -> float:
        """R&D spending in the target year as a multiple of spending now."""
        return self.rd_spending_target / self.rd_spending


def rd_money(
    wdi: pd.DataFrame,
    country: str,
    rd_year: int,
    rd_pct: float,
    target_pct: float,
    target_year: int,
    private_share: float,
    gdp_growth: float | None = None,
    growth_years: int = 10,
    gdp_column: str = GDP_PPP_2021,
) -> RdMoney:
    """The R&D target in money for one country (see :class:`RdMoney`).

    ``rd_year``/``rd_pct`` (the latest R&D share) and the target come from the target tracker's row;
    only GDP is read here. ``gdp_growth`` (fraction per year) defaults to the compound growth of
    ``gdp_column`` over its last ``growth_years`` years, derived from the levels of that one series.
    """
    if not 0 <= private_share <= 1:
        raise InputError(f"private_share is a fraction between 0 and 1 (0.6 = 60 %); got {private_share!r}.")
    if not target_pct > 0:
        raise InputError(f"target_pct must be a positive percentage of GDP; got {target_pct!r}.")
    gdp = series_of(observed(wdi, [country], gdp_column, "gdp", label=gdp_column), country, "gdp")
    rd_year, rd_pct = int(rd_year), float(rd_pct)
    if rd_year not in gdp.index:
        raise InputError(
            f"{country} has R&D data for {rd_year} but no {gdp_column} for that year; "
            f"GDP years end in {int(gdp.index.max())}."
        )
    gdp_last_year = int(gdp.index.max())
    if target_year <= max(rd_year, gdp_last_year):
        raise InputError(
            f"The target year ({target_year}) must come after the latest data ({max(rd_year, gdp_last_year)})."
        )
    if gdp_growth is None:
        growth, start, end = average_growth_from_levels(gdp, growth_years)
        from_data, period = True, f"{start}–{end}"
    else:
        growth, from_data, period = float(gdp_growth), False, "parameter"
    spending = rd_pct / 100.0 * float(gdp[rd_year])
    gdp_target = trends.value_at(float(gdp[gdp_last_year]), gdp_last_year, growth, target_year)
    spending_target = target_pct / 100.0 * gdp_target
    return RdMoney(
        country=country,
        gdp_column=gdp_column,
        rd_year=rd_year,
        rd_pct=rd_pct,
        gdp_in_rd_year=float(gdp[rd_year]),
        rd_spending=spending,
        gdp_growth=growth,
        gdp_growth_from_data=from_data,
        gdp_growth_period=period,
        gdp_last_year=gdp_last_year,
        gdp_last=float(gdp[gdp_last_year]),
        target_year=target_year,
        target_pct=target_pct,
        gdp_target=gdp_target,
        rd_spending_target=spending_target,
        rd_spending_growth=trends.required_cagr(spending, rd_year, spending_target, target_year),
        constant_intensity_target=rd_pct / 100.0 * gdp_target,
        private_share=private_share,
        private_target=private_share * spending_target,
        public_target=(1.0 - private_share) * spending_target,
    )


def rd_money_table(moneys: Sequence[RdMoney]) -> pd.DataFrame:
    """The money arithmetic of one or more :class:`RdMoney` (e.g. in PPP and in US$) side by side.

    In billions, as text.
    """
    if not moneys:
        raise InputError("Give at least one RdMoney to tabulate.")
    first = moneys[0]
    quantities = [
        "R&D spending, latest (billion)",
        "year of latest R&D figure",
        "GDP growth used (% a year)",
        f"GDP {first.target_year} (billion)",
        f"R&D at {first.target_pct:g}% of GDP in {first.target_year} (billion)",
        "required growth of R&D spending (% a year)",
        f"R&D {first.target_year} / R&D latest (times)",
        f"R&D {first.target_year} if the share stays at the latest (billion)",
        f"private part, at least {first.private_share:.0%} (billion)",
        f"public part, at most {1 - first.private_share:.0%} (billion)",
    ]

    def column(m: RdMoney) -> list[str]:
        def billion(value: float) -> str:
            return f"{value / 1e9:,.1f}"

        return [
            billion(m.rd_spending),
            str(m.rd_year),
            f"{100 * m.gdp_growth:.2f} ({m.gdp_growth_period})",
            billion(m.gdp_target),
            billion(m.rd_spending_target),
            f"{100 * m.rd_spending_growth:.1f}",
            f"{m.multiple:.1f}",
            billion(m.constant_intensity_target),
            billion(m.private_target),
            billion(m.public_target),
        ]

    return pd.DataFrame({"quantity": quantities, **{m.unit: column(m) for m in moneys}})


def rd_money_paths(wdi: pd.DataFrame, money: RdMoney) -> pd.DataFrame:
    """Yearly R&D spending: observed (share × GDP, observed years only), the constant-growth path to the
    target, and the path at constant intensity. Columns ``year, observed, required_path, constant_intensity``."""
    rd = series_of(rd_intensity(wdi, [money.country]), money.country, RD_PCT_GDP)
    gdp = wdi.loc[wdi["iso3"] == money.country].set_index("year")[money.gdp_column]
    observed_spending = (rd / 100.0 * gdp.reindex(rd.index)).dropna()
    future = range(money.rd_year, money.target_year + 1)
    required = pd.Series(
        {y: trends.value_at(money.rd_spending, money.rd_year, money.rd_spending_growth, y) for y in future}
    )
    # GDP beyond its last observation grows at the assumed rate; observed GDP is used where it exists.
    projected_gdp = pd.Series(
        {
            y: float(gdp[y])
            if y <= money.gdp_last_year
            else trends.value_at(money.gdp_last, money.gdp_last_year, money.gdp_growth, y)
            for y in future
        }
    )
    constant = money.rd_pct / 100.0 * projected_gdp
    paths = pd.concat(
        {"observed": observed_spending, "required_path": required, "constant_intensity": constant}, axis=1
    )
    return paths.rename_axis("year").reset_index()
