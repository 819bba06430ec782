"""What the productivity chapter shows: one :func:`report`, and the sentences that depend on data."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.productivity import compute
from analysis.productivity.compute import BASIS_TITLES

VIETNAM = "VNM"
PAPER_PEERS = ["SGP", "MYS", "THA"]  # the economies the paper compares Viet Nam with
HOUR_CLAIMS = {"SGP": "paper.productivity.hour.sgp", "VNM": "paper.productivity.hour.vnm"}


@dataclass
class ProductivityReport:
    """The values and tables of the productivity chapter."""

    country: str
    peers: list[str]
    names: dict[str, str]
    years: list[int]
    ratios: pd.DataFrame  # every basis, peer and year (fractions)
    panel: pd.DataFrame  # the same since the chart's first year
    matches: pd.DataFrame  # the paper's ratio claims at their basis, with the searched alternative
    hour_year: int
    per_hour: pd.DataFrame  # output per hour in the hour claims' year, indexed by iso3
    pwt_year: pd.DataFrame  # PWT rows of Singapore and Viet Nam in that year

    @property
    def last_year(self) -> int:
        return self.years[-1]

    def name(self, iso3: str) -> str:
        return self.names.get(iso3, iso3)

    @property
    def usd_gap_wider(self) -> tuple[int, int]:
        """Peer-years in which the gap at current US$ is wider than at PPP, and all peer-years."""
        wide = self.ratios.pivot_table(index=["peer", "year"], columns="basis", values="ratio")
        return int((wide["usd_per_worker"] < wide["ppp_per_worker"]).sum()), len(wide)


def report(
    pwt: pd.DataFrame,
    wdi: pd.DataFrame,
    countries: pd.DataFrame,
    claims: pd.DataFrame,
    rules: pd.DataFrame,
    country: str,
    peers: list[str],
    years: list[int],
    chart_first_year: int,
) -> ProductivityReport:
    """Everything the chapter shows; a peer equal to ``country`` is left out (a country is not its own peer)."""
    levels = compute.productivity_levels(pwt, wdi)
    country = country.strip().upper()
    peers = [p for p in dict.fromkeys(p.strip().upper() for p in peers) if p != country]
    basis = rules.set_index("claim_id")["basis_year"]
    hour_year = int(basis[HOUR_CLAIMS["SGP"]])
    return ProductivityReport(
        country,
        peers,
        countries.set_index("iso3")["country"].to_dict(),
        list(years),
        compute.ratios_all_bases(levels, country, peers, years),
        compute.ratio_panel(levels, country, peers, chart_first_year, years[-1]),
        compute.match_claims(levels, claims, rules, VIETNAM, years),
        hour_year,
        compute.per_hour_levels(pwt, wdi, list(HOUR_CLAIMS), hour_year).set_index("iso3"),
        pwt[(pwt["year"] == hour_year) & pwt["iso3"].isin(list(HOUR_CLAIMS))].set_index("iso3"),
    )


def ratio_table(r: ProductivityReport) -> pd.DataFrame:
    """The country as a percentage of each peer, one row per basis and peer, one column per year."""
    table = r.ratios.assign(
        Basis=r.ratios["basis"].map(BASIS_TITLES), Peer=r.ratios["peer"].map(r.name), percent=100 * r.ratios["ratio"]
    ).pivot_table(index=["Basis", "Peer"], columns="year", values="percent", sort=False)
    table.columns = [str(c) for c in table.columns]
    return table.round(1).reset_index()


def search_text(basis: str, year: int) -> str:
    """A searched alternative in words, e.g. ``PPP $ per hour, 2021``."""
    return f"{BASIS_TITLES[basis]}, {year}"


def claims_table(r: ProductivityReport) -> pd.DataFrame:
    """The paper's ratio figures beside the value on their stated basis and year and the closest searched value."""
    rows = []
    for m in r.matches.itertuples():
        rows.append(
            {
                "Peer": r.name(m.peer),
                "Form": "times lower" if m.unit == "ratio" else "% of the peer",
                "Paper": m.claimed,
                "Stated basis": BASIS_TITLES[m.stated_basis],
                f"Stated basis, {m.claim_year}": round(m.as_stated, 2),
                **{f"{BASIS_TITLES[b]}, {m.claim_year}": round(getattr(m, b), 2) for b in compute.BASES},
                "Closest (basis, year)": search_text(m.closest_basis, m.closest_year),
                "Closest value": round(m.closest_value, 2),
            }
        )
    return pd.DataFrame(rows)


def hour_table(r: ProductivityReport, claims: pd.DataFrame) -> pd.DataFrame:
    """The paper's per-hour figures (ILO) beside PWT's per-hour measures, shown as context."""
    values = claims.set_index("claim_id")["value"]
    rows = []
    for iso3, claim_id in HOUR_CLAIMS.items():
        ppp, ppp_e, usd = r.per_hour.loc[iso3, ["ppp_rgdpo", "ppp_rgdpe", "usd_current"]]
        rows.append(
            {
                "Economy": r.name(iso3),
                "Paper (ILO)": values[claim_id],
                "PPP, rgdpo": round(ppp, 2),
                "PPP, rgdpe": round(ppp_e, 2),
                "Current US$": round(usd, 2),
            }
        )
    return pd.DataFrame(rows)


def position(claimed: float, ppp: tuple[float, float], usd: float) -> str:
    """Whether a per-hour figure sits nearer the PPP measures (either PWT output measure) or the current-US$ one."""
    near_ppp, near_usd = min(abs(v - claimed) for v in ppp), abs(usd - claimed)
    if near_ppp < near_usd / 2:
        return "close to the PPP measures"
    if near_usd < near_ppp / 2:
        return "close to the current-US$ measure"
    return "about as far from one measure as from the other"


def gap_comparison(usd_ratio: float, ppp_ratio: float) -> str:
    """How the gap at market exchange rates compares with the gap at PPP (ratios country / peer)."""
    if usd_ratio < ppp_ratio:
        return f"wider than at PPP: {usd_ratio / ppp_ratio:.2f} times the PPP ratio"
    return "no wider than at PPP, against what price levels lead one to expect"
