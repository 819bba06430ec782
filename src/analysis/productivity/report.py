"""What the productivity chapter shows: one :func:`report`, and the sentences that depend on data."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.productivity import compute
from analysis.productivity.compute import BASES, BASIS_TITLES
from analysis.style.format import names_table

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
        dict(names_table(countries)),
        list(years),
        compute.ratios_all_bases(levels, country, peers, years),
        compute.ratio_panel(levels, country, peers, chart_first_year, years[-1]),
        compute.match_claims(levels, claims, rules, VIETNAM),
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
    """The paper's ratio figures beside the value on their stated basis and year, and the closest searched values."""
    rows = []
    for m in r.matches.itertuples():
        rows.append(
            {
                "Peer": r.name(m.peer),
                "Form": "times lower" if m.unit == "ratio" else "% of the peer",
                "Paper": m.claimed,
                "Stated basis": BASIS_TITLES[m.stated_basis],
                "Year": m.claim_year,
                "On the stated basis": round(m.as_stated, 2),
                "Closest basis that year": BASIS_TITLES[m.closest_basis_in_claim_year],
                "Closest (basis, year)": search_text(m.closest_basis, m.closest_year),
                "Closest value": round(m.closest_value, 2),
            }
        )
    return pd.DataFrame(rows)


def vintage_table(r: ProductivityReport, ilo: pd.DataFrame) -> pd.DataFrame:
    """The paper's PPP figures beside today's WDI value (the verdict's basis) and the ILO November 2022 vintage."""
    ratios = compute.ilo_vintage_ratios(ilo, r.matches, r.country)
    return pd.DataFrame(
        {
            "Peer": ratios["peer"].map(r.name),
            "Year": ratios["claim_year"],
            "Paper (% of the peer)": ratios["claimed"],
            "WDI today, 2021 PPP (verdict basis)": ratios["wdi_2021ppp"].round(2),
            f"ILO {compute.ILO_VINTAGE}, {compute.ILO_PPP_ROUND} PPP": ratios["ilo_2017ppp"].round(2),
        }
    )


def vintage_values(r: ProductivityReport, ilo: pd.DataFrame) -> dict[str, str]:
    """Glue values for the vintage paragraph: the vintage, its PPP round and ``ilo_ppp_<peer>`` (percent) per claim."""
    ratios = compute.ilo_vintage_ratios(ilo, r.matches, r.country)
    values = {"ilo_vintage": compute.ILO_VINTAGE, "ilo_ppp_round": str(compute.ILO_PPP_ROUND)}
    return values | {f"ilo_ppp_{row.peer.lower()}": f"{row.ilo_2017ppp:.2f}" for row in ratios.itertuples()}


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


# --- recording and the numbers quoted in prose -------------------------------------------------


def other_concept_note(m) -> str:
    """The claim's ratio in its year on the bases of the other price concept: shown, never searched."""
    other = [b for b in BASES if compute.CONCEPTS[b] != compute.CONCEPTS[m.stated_basis]]
    values = ", ".join(f"{BASIS_TITLES[b]} {getattr(m, b):.3g}" for b in other if pd.notna(getattr(m, b, None)))
    return f"At {compute.CONCEPTS[other[0]]} ({m.claim_year}, shown only; the claim names the other concept): {values}"


def record(results, r: ProductivityReport) -> None:
    """Record the chapter's numbers; only the Viet Nam page links the ratio claims (their rule's basis year)."""
    for row in r.ratios[r.ratios["year"] == r.last_year].itertuples():
        results.record(f"ratio.{row.basis}.{row.peer}.{r.last_year}", 100 * row.ratio, "percent")
    results.record("usd_gap_wider_than_ppp", r.usd_gap_wider[0], "count")
    link = r.country == VIETNAM
    for m in r.matches.itertuples():
        results.record(
            m.claim_id.removeprefix("paper."),
            m.as_stated,
            m.unit,
            claim_id=m.claim_id if link else "",
            basis_used=f"{BASIS_TITLES[m.stated_basis]}, {m.claim_year}",
            basis_period=str(m.claim_year),
            search_value=m.closest_value,
            search_basis=search_text(m.closest_basis, m.closest_year),
            note=other_concept_note(m),
        )
    for iso3 in HOUR_CLAIMS:  # not in these sources (ILOSTAT): PWT's per-hour figures as context, without claim ids
        for column, suffix in (("ppp_rgdpo", ""), ("ppp_rgdpe", ".rgdpe"), ("usd_current", ".usd_current")):
            results.record(
                f"productivity.hour.{iso3.lower()}{suffix}",
                r.per_hour.loc[iso3, column],
                "usd_per_hour",
                note=f"PWT per hour worked, {r.hour_year}; context for the ILO figure",
            )
    results.record("pwt_hour_ratio.sgp", hour_ratio(r), "ratio", note=f"PWT rgdpo per hour, SGP / VNM, {r.hour_year}")
    results.record(
        "pwt_worker_ratio.sgp", worker_ratio(r), "ratio", note=f"PWT rgdpo per person, SGP / VNM, {r.hour_year}"
    )


def hour_ratio(r: ProductivityReport) -> float:
    """Singapore's PPP output per hour over Viet Nam's (PWT ``rgdpo``) in the per-hour claims' year."""
    return float(r.per_hour.loc["SGP", "ppp_rgdpo"] / r.per_hour.loc["VNM", "ppp_rgdpo"])


def worker_ratio(r: ProductivityReport) -> float:
    """Singapore's PPP output per person engaged over Viet Nam's (PWT ``rgdpo / emp``) in that year."""
    per_worker = r.pwt_year["rgdpo"] / r.pwt_year["emp"]
    return float(per_worker["SGP"] / per_worker["VNM"])


def prose_values(r: ProductivityReport, claims: pd.DataFrame) -> dict[str, str]:
    """Every number the chapter's prose quotes, formatted, under its glue name."""
    from analysis.style.display import fmt

    value = claims.set_index("claim_id")["value"]
    first = r.peers[0]
    latest = r.ratios[(r.ratios["year"] == r.last_year) & (r.ratios["peer"] == first)].set_index("basis")["ratio"]
    wider, comparisons = r.usd_gap_wider
    out = {
        "country_name": r.name(r.country),
        "peer_names": ", ".join(r.name(p) for p in r.peers),
        "year_span": f"{r.years[0]}–{r.years[-1]}",
        "last_year": str(r.last_year),
        "first_peer": r.name(first),
        "usd_vs_ppp_gap": fmt(latest["ppp_per_worker"] / latest["usd_per_worker"], 1),
        "usd_gap_wider": str(wider),
        "gap_comparisons": str(comparisons),
        "paper_ratio_year": " and ".join(sorted({str(y) for y in r.matches["claim_year"]})),
        "hour_year": str(r.hour_year),
        "sgp_ppp_as_times": fmt(100 / value["paper.productivity.ppp.sgp"], 1),
        "pwt_hour_ratio": fmt(hour_ratio(r), 1),
        "pwt_worker_ratio": fmt(worker_ratio(r), 1),
        "avh_sgp": fmt(r.pwt_year.loc["SGP", "avh"], 0),
        "avh_vnm": fmt(r.pwt_year.loc["VNM", "avh"], 0),
        "avh_gap": f"{100 * (r.pwt_year.loc['SGP', 'avh'] / r.pwt_year.loc['VNM', 'avh'] - 1):.0f}%",
    }
    out |= {f"first_{basis}": fmt(100 * latest[basis], 1) for basis in latest.index}
    for m in r.matches.itertuples():
        key = m.claim_id.removeprefix("paper.productivity.").replace(".", "_")
        out[f"{key}_claimed"] = f"{m.claimed:g}"
        out[f"{key}_as_stated"] = fmt(m.as_stated, 2)
        out[f"{key}_in_year"] = (
            f"{BASIS_TITLES[m.closest_basis_in_claim_year]} ({getattr(m, m.closest_basis_in_claim_year):.2f})"
        )
        out[f"{key}_closest"] = f"{search_text(m.closest_basis, m.closest_year)} ({m.closest_value:.2f})"
    for iso3, claim_id in HOUR_CLAIMS.items():
        claimed, key = value[claim_id], iso3.lower()
        ppp, ppp_e, usd = r.per_hour.loc[iso3, ["ppp_rgdpo", "ppp_rgdpe", "usd_current"]]
        out |= {
            f"hour_{key}_claimed": fmt(claimed, 1),
            f"hour_{key}_ppp": fmt(ppp, 1),
            f"hour_{key}_ppp_e": fmt(ppp_e, 1),
        }
        out |= {f"hour_{key}_usd": fmt(usd, 1), f"hour_{key}_ppp_distance": fmt(abs(ppp - claimed), 2)}
        out |= {f"hour_{key}_usd_distance": fmt(abs(usd - claimed), 2)}
        out[f"hour_{key}_position"] = position(claimed, (ppp, ppp_e), usd)
    paper_hour = value[HOUR_CLAIMS["SGP"]] / value[HOUR_CLAIMS["VNM"]]
    gaps = (value["paper.productivity.usd.sgp"], 100 / value["paper.productivity.ppp.sgp"])
    out["paper_hour_ratio"] = fmt(paper_hour, 1)
    out["paper_vs_pwt_hour"] = fmt(paper_hour / hour_ratio(r), 1)
    out["hour_ratio_position"] = "between" if min(gaps) <= paper_hour <= max(gaps) else "outside"
    ppp_rows = r.matches[r.matches["unit"] == "percent"]
    lowest = {p: 100 * r.ratios.loc[r.ratios["peer"] == p, "ratio"].min() for p in ppp_rows["peer"] if p in r.peers}
    out["ppp_claim_count"] = str(len(ppp_rows))
    out["ppp_below_all"] = str(sum(m.claimed < lowest[m.peer] for m in ppp_rows.itertuples() if m.peer in lowest))
    return out


def key_findings(r: ProductivityReport) -> list[str]:
    """Three sentences for the "Key findings" box."""
    stated = r.matches.set_index("claim_id")
    usd = stated.loc["paper.productivity.usd.sgp"]
    ppp = stated.loc["paper.productivity.ppp.sgp"]
    first = r.peers[0]
    latest = r.ratios[(r.ratios["year"] == r.last_year) & (r.ratios["peer"] == first)].set_index("basis")["ratio"]
    return [
        f"In {r.last_year}, {r.name(r.country)} produced {100 * latest['ppp_per_worker']:.1f}% of {r.name(first)}'s "
        f"output per worker at PPP and {100 * latest['usd_per_worker']:.1f}% at current US$.",
        f"On the bases the paper names, in {usd.claim_year} Singapore's productivity was {usd.as_stated:.1f} times "
        f"Viet Nam's at current US$ (paper: {usd.claimed:g}) and Viet Nam's was {ppp.as_stated:.1f}% of Singapore's "
        f"at PPP (paper: {ppp.claimed:g}%).",
        "The paper's per-hour figures come from the ILO, which is not among this book's sources; Penn World Table "
        "figures are shown for context only.",
    ]
