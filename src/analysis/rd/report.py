"""What the R&D chapter shows: values, tables, sentences and figures, from one call to :func:`report`.

The paper's two R&D shares are computed at the basis their verdict rules fix, with the
closest-year search beside them (:func:`analysis.researchers.compute.claims_at_basis`); the paper's
ratio is the ledger's own arithmetic (:mod:`analysis.claims.arithmetic`), shown, not recorded; budget
claims are shown with the source that would settle them; the 2030 target is the tracker's row, and
the target in money is computed from that row's latest value and target.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import matplotlib.pyplot as plt
import pandas as pd

from analysis.claims import arithmetic
from analysis.claims.ledger import bands, load_claims, load_rules
from analysis.rd import compute, figures
from analysis.researchers import figures as shared_figures
from analysis.researchers.compute import claims_at_basis
from analysis.researchers.report import (
    basis_results,
    basis_table,
    claim_sentence,
    page_line,
    target_row,
    target_sentence,
    target_table,
    wdi_chapter_inputs,
)
from analysis.style.format import years_span
from analysis.trends import sparse

TARGET_CLAIM = "r57.rd_pct_gdp.2030"
PRIVATE_SHARE_CLAIM = "r57.rd_private_share.2030"
RATIO_CLAIM = "paper.rd.vnm_to_world_ratio"
PAPER_CLAIMS = {"paper.rd.vnm_pct_gdp": "VNM", "paper.rd.world_pct_gdp": "WLD"}
BUDGET_CLAIMS = {
    "paper.budget.st_share.2022": "S&T spending, share of total state budget expenditure, 2022 (paper)",
    "paper.budget.legal_minimum": "Legal minimum S&T share of the state budget (paper)",
    "r57.budget_sti_share.2030": "STI and digital transformation, share of the state budget, 2030 (Resolution 57)",
    "r57.budget_strategic_share.2030": "Strategic technology research, share of the S&T budget, 2030 (Resolution 57)",
    PRIVATE_SHARE_CLAIM: "Private sector's share of R&D spending, 2030 (Resolution 57)",
}
UNIT = "percent_of_gdp"


def ratio_sentence(computed: float, printed: float, inverse: float) -> str:
    """What the paper's own two numbers give against the ratio it prints."""
    text = f"the paper's own two numbers give {computed:.1f}%, against the printed {printed:g}%"
    digits = f"{printed:g}".replace(".", "")
    if f"{inverse:.{max(len(digits) - 1, 0)}f}".replace(".", "") == digits:
        return text + f"; the printed digits are those of the inverse ratio, {inverse:.2f} times"
    return text


def money_sentence(m: compute.RdMoney, name: str) -> str:
    """The target in money, in the units of ``m`` (billions)."""
    return (
        f"In {m.rd_year} {name} spent about {m.rd_spending / 1e9:,.1f} billion ({m.unit}) on R&D. At "
        f"{m.target_pct:g}% of GDP in {m.target_year} it would spend {m.rd_spending_target / 1e9:,.1f} billion, "
        f"{m.multiple:.1f} times as much, which requires R&D spending to grow about "
        f"{100 * m.rd_spending_growth:.0f}% a year in real terms; "
        "GDP growth alone, with the R&D share unchanged, would bring "
        f"{m.constant_intensity_target / 1e9:,.1f} billion."
    )


@dataclass(frozen=True)
class RdReport:
    """Everything the R&D chapter shows (see :func:`report`)."""

    country: str
    name: str
    page_line: str
    rd: pd.DataFrame
    latest: pd.DataFrame
    latest_year: int
    latest_value: float
    observed_years: str
    claims: pd.DataFrame
    claim_sentences: dict[str, str]
    ratio: dict
    ratio_sentence: str
    share_of_world_year: int
    share_of_world: float
    unsettled: pd.DataFrame
    budget_gaps: pd.DataFrame
    target: pd.Series
    target_table: pd.DataFrame
    target_sentence: str
    money: compute.RdMoney
    money_usd: compute.RdMoney
    money_sentence: str
    figures: dict[str, plt.Figure] = field(repr=False)

    def claims_table(self, names: dict[str, str]) -> pd.DataFrame:
        """The paper's two R&D shares at their basis, with the search beside them, for the page."""
        return basis_table(self.claims, names, "paper (% of GDP)", band_digits=3)

    def money_table(self) -> pd.DataFrame:
        """The target in money, in 2021 PPP dollars and in 2015 US dollars, side by side."""
        return compute.rd_money_table([self.money, self.money_usd])

    def records(self, link_claims: bool) -> list[dict]:
        """The results to record: the two shares at their basis (claims linked in the paper's country's run
        only, the closest-year search beside them), Viet Nam's share of the world and the money arithmetic.
        The ratio is the ledger's arithmetic and the target the tracker's; neither is recorded here."""
        out = [
            {
                "result_id": f"rd_pct_gdp.latest.{self.country.lower()}",
                "value": self.latest_value,
                "unit": UNIT,
                "note": f"{self.country}, {self.latest_year}",
            },
            {
                "result_id": "rd_pct_gdp.share_of_world",
                "value": self.share_of_world,
                "unit": "percent",
                "note": f"{self.country} / WLD, WDI {self.share_of_world_year}",
            },
        ]
        out += basis_results(self.claims, "rd_pct_gdp", UNIT, link_claims)
        m = self.money
        for key, value, unit in (
            ("gdp_growth_used", 100 * m.gdp_growth, "percent_per_year"),
            ("rd_spending.latest", m.rd_spending / 1e9, "billion_2021_ppp_usd"),
            ("rd_spending.target", m.rd_spending_target / 1e9, "billion_2021_ppp_usd"),
            ("rd_spending.required_growth", 100 * m.rd_spending_growth, "percent_per_year"),
            ("rd_spending.private_at_target", m.private_target / 1e9, "billion_2021_ppp_usd"),
            ("rd_spending.public_at_target", m.public_target / 1e9, "billion_2021_ppp_usd"),
        ):
            out.append(
                {"result_id": key, "value": value, "unit": unit, "note": f"{self.country}, {m.gdp_growth_period}"}
            )
        return out


def report(
    country: str = "VNM",
    peers: Sequence[str] = ("SGP", "MYS", "THA", "WLD"),
    jump_factor: float = sparse.DEFAULT_JUMP_FACTOR,
    gdp_growth: float | None = None,
    gdp_growth_years: int = 10,
    *,
    wdi: pd.DataFrame | None = None,
    tracker: pd.DataFrame | None = None,
) -> RdReport:
    """The R&D chapter for ``country`` against ``peers`` (``wdi`` and ``tracker`` load by default)."""
    wdi, tracker, names, codes = wdi_chapter_inputs(country, peers, wdi, tracker)
    country, name = codes[0], names.get(codes[0], codes[0])
    rd = compute.rd_intensity(wdi, codes)
    latest = sparse.latest_observations(rd, compute.RD_PCT_GDP)
    focus = latest.set_index("country").loc[country]
    series = sparse.series_of(rd, country, compute.RD_PCT_GDP)

    claims = load_claims()
    rules = load_rules(claims)
    paper = compute.rd_intensity(wdi, list(PAPER_CLAIMS.values()))
    at_basis = claims_at_basis(paper, compute.RD_PCT_GDP, PAPER_CLAIMS, claims, rules, bands(claims))
    (_, computed, basis, how) = next(c for c in arithmetic.checks(claims) if c[0] == RATIO_CLAIM)
    claimed = claims.set_index("claim_id")["value"]
    inverse = compute.inverse_ratio(computed)
    share_year, share = compute.share_of_reference(compute.rd_intensity(wdi, [country, "WLD"]), country, "WLD")

    unsettled = rules.set_index("claim_id").loc[list(BUDGET_CLAIMS)]
    unsettled_table = pd.DataFrame(
        {
            "claim": list(BUDGET_CLAIMS.values()),
            "stated (%)": [claimed[c] for c in BUDGET_CLAIMS],
            "what it measures": unsettled["basis"].to_list(),
            "open source that would settle it": unsettled["settled_by"].to_list(),
        }
    )
    gaps = compute.budget_share_gaps(
        claimed["paper.budget.st_share.2022"],
        {
            "legal minimum (as quoted)": claimed["paper.budget.legal_minimum"],
            "Resolution 57 (STI and digital transformation)": claimed["r57.budget_sti_share.2030"],
        },
    )

    row = target_row(tracker, TARGET_CLAIM)
    private_share = claimed[PRIVATE_SHARE_CLAIM] / 100
    money_args = (wdi, country, row["latest_year"], row["latest_value"], row["target_value"], int(row["target_year"]))
    money = compute.rd_money(*money_args, private_share, gdp_growth, gdp_growth_years)
    money_usd = compute.rd_money(
        *money_args, private_share, gdp_growth, gdp_growth_years, gdp_column=compute.GDP_USD_2015
    )
    jumps = sparse.jumps_table(rd, compute.RD_PCT_GDP, jump_factor)
    figs = {
        "intensity": shared_figures.plot_observed(
            rd,
            compute.RD_PCT_GDP,
            country,
            ylabel="R&D expenditure, % of GDP",
            title="Gross domestic expenditure on R&D, % of GDP",
            jump_factor=jump_factor,
            annotate=[(j.country, j.to_year) for j in jumps.itertuples() if j.country == country],
            source=compute.SOURCE,
        ),
        "claims": shared_figures.plot_claims_at_basis(
            paper, compute.RD_PCT_GDP, at_basis, names, ylabel="% of GDP", source=compute.SOURCE
        ),
        "target": shared_figures.plot_target_row(
            series,
            row,
            country,
            name,
            ylabel="R&D expenditure, % of GDP",
            title=f"{name}: R&D share of GDP against the {int(row['target_year'])} target",
            source=compute.SOURCE,
        ),
        "money": figures.plot_rd_money(compute.rd_money_paths(wdi, money), money, name=name),
    }
    return RdReport(
        country=country,
        name=name,
        page_line=page_line(name, [names.get(p, p) for p in codes[1:]], int(rd["year"].max())),
        rd=rd,
        latest=latest,
        latest_year=int(focus["year"]),
        latest_value=float(focus[compute.RD_PCT_GDP]),
        observed_years=years_span(series.index),
        claims=at_basis,
        claim_sentences={
            r.country: claim_sentence(pd.Series(r._asdict()), names.get(r.country, r.country), 3)
            for r in at_basis.itertuples()
        },
        ratio={"computed": computed, "basis": basis, "how": how, "printed": claimed[RATIO_CLAIM], "inverse": inverse},
        ratio_sentence=ratio_sentence(computed, claimed[RATIO_CLAIM], inverse),
        share_of_world_year=share_year,
        share_of_world=share,
        unsettled=unsettled_table,
        budget_gaps=gaps,
        target=row,
        target_table=target_table(row, "% of GDP", 2),
        target_sentence=target_sentence(row, name, "% of GDP", 2),
        money=money,
        money_usd=money_usd,
        money_sentence=money_sentence(money, name),
        figures=figs,
    )
