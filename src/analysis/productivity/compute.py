"""Labour productivity on three bases, and a country's productivity as a fraction of its peers'.

The paper compares Viet Nam's labour productivity with Singapore's, Malaysia's and
Thailand's "at current prices" and "at PPP" without saying how. A cross-country ratio
depends on three choices: the price basis (market exchange rates or purchasing-power
parities), the labour input (persons or hours) and the data vintage. This module computes
the same ratio on each of the bases below so that a claim can be matched to the basis
(and year) it corresponds to.

========================  ===============================================================
basis                     definition
========================  ===============================================================
``usd_per_worker``        WDI GDP at current US$ (``NY.GDP.MKTP.CD``) / PWT persons engaged
                          (``emp``, millions, × 10⁶): market exchange rates, no PPP.
``ppp_per_worker``        WDI GDP per person employed, constant 2021 PPP $
                          (``SL.GDP.PCAP.EM.KD``; ILO employment).
``ppp_per_hour``          PWT output-side real GDP at chained PPPs (``rgdpo``, million 2021 US$)
                          / (``emp`` × ``avh``): PPP output per hour worked.
========================  ===============================================================

PWT offers two real-GDP measures at PPPs: ``rgdpe`` (expenditure side, for comparing living
standards) and ``rgdpo`` (output side, for comparing productive capacity; Feenstra, Inklaar
and Timmer 2015). Productivity is a question about production, so ``ppp_per_hour`` uses
``rgdpo``; :func:`productivity_levels` takes ``pwt_output="rgdpe"`` for a sensitivity check.
``usd_per_hour`` (current US$ per hour) is also computed, for comparing per-hour figures
quoted in US dollars; it is not one of the ratio bases. :func:`ilo_vintage_ratios` shows the
PPP claims also under an older vintage (ILO modelled estimates of November 2022, 2017 PPPs),
beside the verdict's basis, never instead of it.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from analysis.countries import check_code, check_codes
from analysis.errors import InputError, available
from analysis.style.format import years_span

BASES: dict[str, str] = {
    "usd_per_worker": "GDP at current US$ (WDI) per person engaged (PWT emp)",
    "ppp_per_worker": "GDP per person employed, constant 2021 PPP $ (WDI SL.GDP.PCAP.EM.KD)",
    "ppp_per_hour": "Real GDP at chained PPPs, 2021 US$ (PWT rgdpo) per hour worked (PWT emp × avh)",
}
# The price concept of each basis. A claim labelled with one concept ("according to actual GDP":
# market exchange rates) is never searched under the other.
CONCEPTS: dict[str, str] = {
    "usd_per_worker": "market exchange rates",
    "ppp_per_worker": "purchasing-power parities",
    "ppp_per_hour": "purchasing-power parities",
}
BASIS_TITLES: dict[str, str] = {
    "usd_per_worker": "Current US$ per worker",
    "ppp_per_worker": "PPP $ per worker",
    "ppp_per_hour": "PPP $ per hour",
}
# The level columns of :func:`productivity_levels`, with their units.
LEVEL_UNITS: dict[str, str] = {
    "usd_per_worker": "current US$ per person engaged",
    "ppp_per_worker": "2021 PPP $ per person employed",
    "ppp_per_hour": "2021 PPP $ per hour worked",
    "usd_per_hour": "current US$ per hour worked",
}
PWT_OUTPUTS = ("rgdpo", "rgdpe")

# The paper's ratio claims and the basis each is *labelled* with: "according to actual GDP"
# (current prices, market exchange rates) and "at PPP" (purchasing-power parities).
STATED_BASIS: dict[str, str] = {
    "paper.productivity.usd.sgp": "usd_per_worker",
    "paper.productivity.usd.mys": "usd_per_worker",
    "paper.productivity.ppp.sgp": "ppp_per_worker",
    "paper.productivity.ppp.mys": "ppp_per_worker",
    "paper.productivity.ppp.tha": "ppp_per_worker",
}


def productivity_levels(pwt: pd.DataFrame, wdi: pd.DataFrame, pwt_output: str = "rgdpo") -> pd.DataFrame:
    """Labour productivity per economy and year on every basis (columns of :data:`LEVEL_UNITS`).

    PWT and WDI are joined on ``iso3`` and ``year`` keeping every row of either; a basis
    whose inputs are missing in a year is NaN there (never interpolated).
    """
    if pwt_output not in PWT_OUTPUTS:
        raise InputError(f"Unknown PWT output measure {pwt_output!r}. Allowed: {available(PWT_OUTPUTS)}.")
    pwt_part = pwt[["iso3", "year", pwt_output, "emp", "avh"]]
    wdi_part = wdi[["iso3", "year", "gdp_current_usd", "gdp_per_worker_ppp_2021usd"]]
    merged = pwt_part.merge(wdi_part, on=["iso3", "year"], how="outer")
    persons = merged["emp"] * 1e6  # PWT emp is in millions
    hours = persons * merged["avh"]
    levels = pd.DataFrame(
        {
            "iso3": merged["iso3"],
            "year": merged["year"].astype(int),
            "usd_per_worker": merged["gdp_current_usd"] / persons,
            "ppp_per_worker": merged["gdp_per_worker_ppp_2021usd"],
            "ppp_per_hour": merged[pwt_output] * 1e6 / hours,  # rgdpo/rgdpe are in millions
            "usd_per_hour": merged["gdp_current_usd"] / hours,
        }
    )
    return levels.sort_values(["iso3", "year"], ignore_index=True)


def _check_basis(basis: str) -> None:
    if basis not in LEVEL_UNITS:
        raise InputError(f"Unknown productivity basis {basis!r}. Allowed: {available(BASES)}.")


def _years_with(levels: pd.DataFrame, country: str, basis: str) -> list[int]:
    rows = levels[(levels["iso3"] == country) & levels[basis].notna()]
    return sorted(int(y) for y in rows["year"])


def level_table(levels: pd.DataFrame, countries: Sequence[str], years: Sequence[int], basis: str) -> pd.DataFrame:
    """Productivity on one basis, countries as rows and years as columns.

    Every country must be known and have a value in every year asked for; otherwise an
    :class:`InputError` names the country and the years it does have.
    """
    _check_basis(basis)
    countries = check_codes(countries, levels["iso3"].unique(), "the productivity table")
    if not years:
        raise InputError("Give at least one year.")
    for country in countries:
        have = _years_with(levels, country, basis)
        missing = [y for y in years if y not in have]
        if missing:
            raise InputError(f"No {basis} for {country} in {missing}. Years with data: {years_span(have)}.")
    subset = levels[levels["iso3"].isin(countries) & levels["year"].isin(years)]
    return subset.pivot(index="iso3", columns="year", values=basis).reindex(index=list(countries), columns=list(years))


def check_peers(levels: pd.DataFrame, country: str, peers: Sequence[str]) -> tuple[str, list[str]]:
    """The country and its peers, checked: known codes, duplicates removed, the country not among its peers."""
    if not [p for p in peers if str(p).strip()]:
        raise InputError("Give at least one peer country.")
    known = levels["iso3"].unique()
    country = check_code(country, known, "the productivity table")
    peers = check_codes(peers, known, "the productivity table")  # also drops repeated codes
    if country in peers:
        raise InputError(
            f"{country} is the country compared and cannot also be its own peer; give other peers than {country}."
        )
    return country, peers


def productivity_ratios(
    levels: pd.DataFrame, country: str, peers: Sequence[str], years: Sequence[int], basis: str
) -> pd.DataFrame:
    """``country``'s productivity as a fraction of each peer's: columns country, peer, year, basis, ratio.

    A ratio of 0.25 means the country produces a quarter of the peer's output per worker
    (or per hour); "4 times lower" in the paper's wording is ``1 / ratio``.
    """
    if basis not in BASES:
        raise InputError(f"Unknown productivity basis {basis!r}. Allowed: {available(BASES)}.")
    country, peers = check_peers(levels, country, peers)
    table = level_table(levels, [country, *peers], years, basis)
    rows = [
        {
            "country": country,
            "peer": peer,
            "year": int(year),
            "basis": basis,
            "ratio": table.at[country, year] / table.at[peer, year],
        }
        for peer in peers
        for year in years
    ]
    return pd.DataFrame(rows, columns=["country", "peer", "year", "basis", "ratio"])


def ratios_all_bases(levels: pd.DataFrame, country: str, peers: Sequence[str], years: Sequence[int]) -> pd.DataFrame:
    """:func:`productivity_ratios` on every basis, stacked (columns country, peer, year, basis, ratio)."""
    return pd.concat([productivity_ratios(levels, country, peers, years, basis) for basis in BASES], ignore_index=True)


def ratio_panel(
    levels: pd.DataFrame, country: str, peers: Sequence[str], first_year: int, last_year: int
) -> pd.DataFrame:
    """Ratios on every basis for every year in a range where both economies have data (for charts).

    Unlike :func:`productivity_ratios`, years without data are left out rather than refused.
    """
    rows = []
    for basis in BASES:
        wide = levels[levels["year"].between(first_year, last_year)].pivot(index="year", columns="iso3", values=basis)
        for peer in peers:
            if country not in wide or peer not in wide:
                continue
            ratio = (wide[country] / wide[peer]).dropna()
            rows += [
                {"country": country, "peer": peer, "year": int(y), "basis": basis, "ratio": r} for y, r in ratio.items()
            ]
    return pd.DataFrame(rows, columns=["country", "peer", "year", "basis", "ratio"])


def per_hour_levels(pwt: pd.DataFrame, wdi: pd.DataFrame, countries: Sequence[str], year: int) -> pd.DataFrame:
    """Output per hour worked in one year, one row per country, on the per-hour measures:

    ``ppp_rgdpo`` and ``ppp_rgdpe`` (2021 PPP $ per hour, PWT output- and expenditure-side
    real GDP) and ``usd_current`` (current US$ per hour, WDI GDP over PWT hours).
    """
    output_side, expenditure_side = productivity_levels(pwt, wdi, "rgdpo"), productivity_levels(pwt, wdi, "rgdpe")
    columns = {
        "ppp_rgdpo": level_table(output_side, countries, [year], "ppp_per_hour")[year],
        "ppp_rgdpe": level_table(expenditure_side, countries, [year], "ppp_per_hour")[year],
        "usd_current": level_table(output_side, countries, [year], "usd_per_hour")[year],
    }
    return pd.DataFrame(columns).rename_axis("iso3").reset_index()


def as_claimed(ratio: float, unit: str) -> float:
    """A ratio (country / peer) in the form a claim states it.

    ``unit="ratio"``: "N times lower", i.e. peer / country = ``1 / ratio``;
    ``unit="percent"``: "only P% of the peer", i.e. ``100 × ratio``.
    """
    if unit == "ratio":
        return 1.0 / ratio
    if unit == "percent":
        return 100.0 * ratio
    raise InputError(f"Cannot express a productivity ratio in unit {unit!r}. Allowed: percent, ratio.")


def as_ratio(claimed: float, unit: str) -> float:
    """The inverse of :func:`as_claimed`: a claimed figure as a ratio country / peer."""
    return claimed / 100.0 if unit == "percent" else as_claimed(claimed, unit)


def match_claims(levels: pd.DataFrame, claims: pd.DataFrame, rules: pd.DataFrame, country: str) -> pd.DataFrame:
    """Each ratio claim of :data:`STATED_BASIS` at its ruled basis, and the closest searched alternative.

    ``claims`` is the claims table and ``rules`` the verdict rules (:mod:`analysis.claims.ledger`): the
    peer is the claim's ``country``, the basis year the rule's ``basis_year``. Returns one row per
    claim with the claimed value, the value on its stated basis in the basis year (``as_stated``),
    the value on each basis in that year, the basis closest to the claim in that year, and the
    basis whose value is closest to the claim: a search over what the claim's words leave open (the
    bases of the stated price concept, :data:`CONCEPTS`, in the stated year), reported beside the
    value at the basis.
    """
    basis_years = rules.set_index("claim_id")["basis_year"]
    rows = []
    for claim in claims[claims["claim_id"].isin(list(STATED_BASIS))].itertuples():
        peer, claim_year = claim.country, int(basis_years[claim.claim_id])
        stated = STATED_BASIS[claim.claim_id]
        candidates = []
        for basis in BASES:
            both = sorted(set(_years_with(levels, country, basis)) & set(_years_with(levels, peer, basis)))
            for ratio in productivity_ratios(levels, country, [peer], both, basis).itertuples():
                candidates.append((basis, ratio.year, as_claimed(ratio.ratio, claim.unit)))
        in_claim_year = {basis: value for basis, year, value in candidates if year == claim_year}
        # The claim states its year and price concept: the search covers only what its words leave
        # open, the other bases of the same concept in the stated year.
        searched = [c for c in candidates if CONCEPTS[c[0]] == CONCEPTS[stated] and c[1] == claim_year]
        best_basis, best_year, best_value = min(searched, key=lambda c: abs(c[2] - claim.value))
        best_in_claim_year = min(in_claim_year, key=lambda basis: abs(in_claim_year[basis] - claim.value))
        rows.append(
            {
                "claim_id": claim.claim_id,
                "peer": peer,
                "unit": claim.unit,
                "claimed": float(claim.value),
                "claim_year": claim_year,
                "stated_basis": STATED_BASIS[claim.claim_id],
                "as_stated": in_claim_year[STATED_BASIS[claim.claim_id]],
                **in_claim_year,
                "closest_basis_in_claim_year": best_in_claim_year,
                "closest_basis": best_basis,
                "closest_year": best_year,
                "closest_value": best_value,
            }
        )
    if not rows:
        raise InputError(f"None of the productivity claims {sorted(STATED_BASIS)} is in the claims table.")
    return pd.DataFrame(rows)


ILO_COLUMN = "output_per_worker_ppp_2017usd"  # processed table ``ilo_productivity`` (ILO, Nov. 2022, 2017 PPP)
ILO_VINTAGE = "November 2022"  # ILOSTAT's modelled estimates of that month (the registered file)
ILO_PPP_ROUND = 2017  # the ICP round of its PPPs (the column's unit)


def ilo_vintage_ratios(ilo: pd.DataFrame, matches: pd.DataFrame, country: str) -> pd.DataFrame:
    """Each PPP-per-worker claim of ``matches`` (:func:`match_claims`) also under the ILO November 2022 vintage.

    The value is ``country``'s output per worker as a share of the peer's in the claim's year, in the
    claim's form (:func:`as_claimed`), from ILOSTAT's modelled estimates at 2017 PPPs: the vintage the
    paper's sources could have used. Shown beside the value on today's WDI basis; it is not the verdict's basis.
    """
    country = check_code(country, ilo["iso3"], "the ILO November 2022 vintage")
    levels = ilo.set_index(["iso3", "year"])[ILO_COLUMN]
    rows = []
    for m in matches[matches["stated_basis"] == "ppp_per_worker"].itertuples():
        peer = check_code(m.peer, ilo["iso3"], "the ILO November 2022 vintage")
        year = int(m.claim_year)
        if (country, year) not in levels.index or (peer, year) not in levels.index:
            raise InputError(
                f"The ILO November 2022 vintage has no output per worker for {country} or {peer} in {year}."
            )
        ratio = float(levels[(country, year)] / levels[(peer, year)])
        rows.append(
            {
                "claim_id": m.claim_id,
                "peer": peer,
                "claim_year": year,
                "claimed": float(m.claimed),
                "wdi_2021ppp": float(m.as_stated),
                "ilo_2017ppp": as_claimed(ratio, m.unit),
            }
        )
    return pd.DataFrame(rows, columns=["claim_id", "peer", "claim_year", "claimed", "wdi_2021ppp", "ilo_2017ppp"])
