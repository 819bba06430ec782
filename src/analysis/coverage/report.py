"""What the data-overview chapter shows: sources, coverage tables and figures, from one call to :func:`report`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import matplotlib.pyplot as plt
import pandas as pd

from analysis.coverage import compute, figures
from analysis.style.format import names_table, years_span

# The STI series whose yearly presence the chapter maps, with readable labels.
STI_SERIES: dict[str, str] = {
    "rd_expenditure_pct_gdp": "R&D expenditure (% of GDP)",
    "researchers_per_million": "Researchers per million people",
    "patent_applications_residents": "Resident patent applications",
    "journal_articles": "Scientific and technical articles",
    "high_tech_exports_pct_manuf_exports": "High-tech exports (% of manufactured exports)",
}
# The WDI series added with the supplement extract.
SUPPLEMENT_COLUMNS = ("merchandise_exports_usd", "industry_value_added_pct_gdp", "gni_per_capita_atlas_usd")
INDUSTRY = "industry_value_added_pct_gdp"


def industry_sentence(latest: pd.DataFrame, focus: str, names: dict[str, str]) -> str:
    """Industry's latest share of GDP in the focus economy, and where it ranks among the economies shown."""
    table = latest.set_index("iso3")
    mine = table.loc[focus]
    higher = int((table[INDUSTRY] > mine[INDUSTRY]).sum())
    rank = "the highest" if higher == 0 else f"below {higher} of the {len(table) - 1} others"
    return (
        f"industry made up {mine[INDUSTRY]:.1f}% of {names.get(focus, focus)}'s GDP in {int(mine['year'])}, "
        f"{rank} shown"
    )


@dataclass(frozen=True)
class CoverageReport:
    """Everything the data-overview chapter shows (see :func:`report`)."""

    name: str
    page_line: str
    sources: pd.DataFrame
    counts: dict[str, int]
    pwt_years: str
    pwt_years_table: pd.DataFrame
    pwt_missing: list[str]  # labels of the growth-accounting variables with no value for the focus economy
    country_gdp_years: str
    rd_years: list[int]
    researcher_years: list[int]
    series_table: pd.DataFrame
    hdr_table: pd.DataFrame
    hdr_years: str
    hdi_latest: pd.DataFrame  # economy names in column iso3
    industry_latest: pd.DataFrame  # economy names in column iso3
    industry_sentence: str
    figures: dict[str, plt.Figure] = field(repr=False)


def report(country: str = "VNM", peers: Sequence[str] = ("SGP", "MYS", "THA", "KOR", "CHN"), first_year: int = 1990):
    """The data-overview chapter for ``country`` and ``peers``."""
    from analysis.data import load

    pwt, wdi, countries, hdr = load("pwt"), load("wdi"), load("countries"), load("hdr")
    economies = countries.loc[~countries["is_aggregate"], "iso3"]
    focus = [country, *peers]
    names = dict(names_table(countries))
    sources = compute.sources_table()
    sources["sha256"] = sources["sha256"].str[:12] + "…"
    pwt_years_table = compute.country_years(pwt, list(compute.PWT_GROWTH_VARIABLES), focus)
    pwt_years_table.index = [names.get(c, c) for c in pwt_years_table.index]
    hdr_economies = hdr.loc[~hdr["is_aggregate"], "iso3"]
    hdr_table = compute.variable_coverage(hdr, list(compute.HDR_VARIABLES), hdr_economies)
    hdr_table.insert(1, "label", hdr_table["variable"].map(compute.HDR_VARIABLES))
    shares = wdi.loc[wdi["iso3"].isin(focus) & wdi[INDUSTRY].notna(), ["iso3", "year", INDUSTRY]]
    industry_latest = compute.latest_values(wdi, INDUSTRY, focus)
    series_table = compute.wdi_series_table(wdi, economies)
    last_year = int(wdi["year"].max())
    return CoverageReport(
        name=names.get(country, country),
        page_line=(
            f"This page: {names.get(country, country)}, compared with "
            f"{', '.join(names.get(p, p) for p in peers)}; coverage maps from {first_year} to {last_year}."
        ),
        sources=sources[["dataset", "file", "licence", "vintage", "sha256", "note"]],
        counts={
            "pwt_economies": pwt["iso3"].nunique(),
            "pwt_economies_with_rtfpna": pwt.loc[pwt["rtfpna"].notna(), "iso3"].nunique(),
            "wdi_series": len(series_table),
            "wdi_supplement_series": len(SUPPLEMENT_COLUMNS),
            "wdi_economies": len(economies),
            "wdi_aggregates": int(countries["is_aggregate"].sum()),
            "hdr_economies": len(set(hdr_economies)),
        },
        pwt_years=f"{int(pwt['year'].min())}–{int(pwt['year'].max())}",
        pwt_years_table=pwt_years_table,
        pwt_missing=[
            compute.PWT_GROWTH_VARIABLES[v]
            for v in compute.PWT_GROWTH_VARIABLES
            if not compute.years_with_data(pwt, v, country)
        ],
        country_gdp_years=years_span(compute.years_with_data(pwt, "rgdpna", country)),
        rd_years=compute.years_with_data(wdi, "rd_expenditure_pct_gdp", country),
        researcher_years=compute.years_with_data(wdi, "researchers_per_million", country),
        series_table=series_table[["code", "label", "column", "economies", "first_year", "last_year", "observations"]],
        hdr_table=hdr_table,
        hdr_years=f"{int(hdr['year'].min())}–{int(hdr['year'].max())}",
        hdi_latest=compute.latest_values(hdr, "hdi", focus).assign(iso3=lambda t: t["iso3"].map(names)),
        industry_latest=industry_latest.assign(iso3=industry_latest["iso3"].map(names)),
        industry_sentence=industry_sentence(industry_latest, country, names),
        figures={
            "presence": figures.plot_presence(wdi, STI_SERIES, focus, first_year, last_year),
            "industry": figures.plot_industry_share(shares, country, names),
        },
    )
