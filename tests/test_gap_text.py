"""The gap chapter's data-dependent sentences, the generation length the paper implies and the median economy.

Hand-worked examples for the pieces; the report built for Viet Nam and for Thailand checks that
each page's conclusion, key findings and command lines name its own economy and agree with its numbers.
"""

import math
import re
import shlex

import pandas as pd
import pytest

from analysis import gap as tech
from analysis.cli import main
from analysis.errors import InputError
from analysis.gap import generation, report, text
from analysis.gap.panels import MEDIAN, median_economy, parse_reference

# ---------------------------------------------------------------- the generation length the paper implies


def test_implied_generation_length_by_hand():
    # Equipment of the 1970s (1970-1979), paper of 2023: 2023 - 1979 = 44 to 2023 - 1970 = 53 years old.
    # 2-3 generations: shortest 44 / 3 = 14.667 years, longest 53 / 2 = 26.5 years.
    implied = generation.implied_generation(2023, 1970, (3, 2))
    assert implied.generations == (2.0, 3.0)
    assert implied.years_since == (44, 53)
    assert implied.length == (pytest.approx(14.6667, abs=1e-4), pytest.approx(26.5))


def test_the_decade_is_read_from_the_paper_quote():
    assert generation.decade_in("over 75% of equipment imported from abroad is of generation in the 1970s") == 1970
    with pytest.raises(InputError, match="one decade"):
        generation.decade_in("equipment of the 1970s and the 1980s")
    with pytest.raises(InputError, match="ends before"):
        generation.implied_generation(1975, 1970, (2, 3))
    with pytest.raises(InputError, match="positive"):
        generation.implied_generation(2023, 1970, (0, 3))


def test_the_paper_generation_comes_from_the_claims_table():
    from analysis.claims.ledger import load_claims

    implied = report.paper_generation(load_claims())
    assert (implied.paper_year, implied.decade, implied.generations) == (2023, 1970, (2.0, 3.0))


def test_the_paper_year_is_the_year_of_its_citation():
    from analysis import paths

    bib = (paths.book_dir() / "references.bib").read_text(encoding="utf-8")
    entry = bib[bib.index("@article{Nghia2023") :]
    assert re.search(r"year\s*=\s*\{(\d{4})\}", entry).group(1) == str(generation.PAPER_YEAR)


@pytest.mark.parametrize(
    ("implied", "expected"),
    [
        ((2.8, 2.8), generation.WITHIN),  # a single value inside 2-3
        ((2.0, 3.0), generation.WITHIN),  # the ends count
        ((1.9, 4.0), generation.OVERLAPS),
        ((1.06, 1.91), generation.BELOW),
        ((3.2, math.inf), generation.ABOVE),  # a lower bound above the range
        ((2.2, math.inf), generation.OVERLAPS),  # a lower bound inside it
        ((-math.inf, 0.0), generation.BELOW),  # an upper bound below it
    ],
)
def test_relation_of_a_range_to_the_claim(implied, expected):
    assert generation.relation(implied, (2.0, 3.0)) == expected


def test_reading_at_the_implied_lengths_by_hand():
    # 28 years behind: 28 / 26.5 = 1.057 to 28 / 14.667 = 1.909 generations, below 2-3.
    proxy = report.Proxy(2023, 28.0, tech.NOT_CENSORED, 10.0, 2.8, (28 / 15, 4.0))
    r = report.reading(proxy, "implied by the paper", (44 / 3, 26.5), (2.0, 3.0))
    assert r.generations == (pytest.approx(1.0566, abs=1e-4), pytest.approx(1.9091, abs=1e-4))
    assert r.relation == generation.BELOW
    assert report.reading(proxy, "declared default", (10, 10), (2.0, 3.0)).relation == generation.WITHIN


# ---------------------------------------------------------------- the median economy


def test_median_economy_by_hand_over_a_balanced_panel(monkeypatch):
    values = pd.DataFrame(
        [
            # A, B, C observed every year 2000-2002; D only from 2001 (not in the panel); E is not an economy
            ("A", 2000, 1.0),
            ("A", 2001, 2.0),
            ("A", 2002, 3.0),
            ("B", 2000, 5.0),
            ("B", 2001, 6.0),
            ("B", 2002, 7.0),
            ("C", 2000, 9.0),
            ("C", 2001, 10.0),
            ("C", 2002, 20.0),
            ("D", 2001, 100.0),
            ("D", 2002, 100.0),
            ("E", 2000, 1000.0),
            ("E", 2001, 1000.0),
            ("E", 2002, 1000.0),
        ],
        columns=["iso3", "year", "value"],
    )
    monkeypatch.setattr("analysis.gap.panels.MEDIAN_MIN_ECONOMIES", 3)
    median = median_economy(values, ["A", "B", "C", "D"], 2000)
    # medians of (1, 5, 9), (2, 6, 10), (3, 7, 20): 5, 6, 7; D (entering in 2001) would make 2001's 8 and 2002's 13.5
    assert median.to_dict() == {2000: 5.0, 2001: 6.0, 2002: 7.0}
    monkeypatch.setattr("analysis.gap.panels.MEDIAN_MIN_ECONOMIES", 10)
    with pytest.raises(tech.NoDataError, match="at least 10"):
        median_economy(values, ["A", "B", "C", "D"], 2000)  # 3 economies < the minimum of 10


def test_median_reference_on_real_data_matches_an_independent_median(panels, pwt):
    ref = parse_reference(" Median ", panels)
    assert ref.label == MEDIAN
    series = tech.reference_series(tech.get_indicator("pwt_gdp_per_worker"), ref, panels)
    members = tech.balanced_panel(pwt, ["rgdpo", "emp"], tech.WORLD_PANEL_START)  # the world's economies
    year = pwt[pwt["iso3"].isin(members)].query("year == 1990")
    assert series.loc[1990] == pytest.approx(float((year["rgdpo"] / year["emp"]).median()))
    assert series.index.min() == tech.WORLD_PANEL_START


def test_cli_accepts_the_median_reference(capsys):
    main(["gap", "--country", "VNM", "--reference", "median", "--indicator", "pwt_gdp_per_worker", "--format", "csv"])
    out = capsys.readouterr().out
    assert "median" in out and "VNM" in out


# ---------------------------------------------------------------- sentences, by hand


def test_same_order_of_magnitude_only_when_the_band_meets_the_claim():
    args = dict(
        claimed="2–3",
        band_range="1.9 to 4.0",
        implied_range="1.1 to 1.9",
        implied_lengths="14.7–26.5",
        implied_relation="below",
        paper_distance="28.0 years behind",
        paper_generations="2.8",
    )
    meets = text.conclusion_comparison("Viet Nam", True, band_relation="overlaps", **args)
    assert "the same order of magnitude" in meets and "not the same" not in meets
    assert "1.1 to 1.9 generations, which lies below" in meets
    below = text.conclusion_comparison("Viet Nam", True, band_relation="below", **args)
    assert "not the same order of magnitude: it lies below" in below
    other = text.conclusion_comparison("Thailand", False, band_relation="below", **args)
    assert "same order" not in other and "about Viet Nam's firms, not Thailand's" in other
    assert "Viet Nam is 28.0 years behind" in other


def test_paradox_sentences_say_only_when_the_ranks_differ():
    assert report.structure_matched({"ht": 96.0, "patents": 46.0, "rd": 41.0}) is False  # 96 - 46 = 50 >= 25
    assert report.structure_matched({"ht": 70.0, "patents": 50.0, "rd": 30.0}) is True  # 70 - 50 = 20 < 25
    assert report.structure_matched({"ht": 70.0, "patents": math.nan, "rd": 30.0}) is None
    assert "only 46%" in text.finding_paradox("44.3%", "96%", "46%", "41%", False)
    assert "only" not in text.finding_paradox("20.0%", "70%", "50%", "30%", True)
    assert "is not matched" in text.conclusion_structure("Viet Nam", "96%", False)
    assert "in line" in text.conclusion_structure("Korea", "90%", True)
    assert text.structure_detail("Korea", "3,000", "99%", "4.9%", "98%", True).startswith("Its residents")


def test_cli_commands_name_the_country():
    lines = text.cli_commands("THA", "KOR", 2024)
    assert all("--country THA" in line for line in lines[:2]) and "VNM" not in " ".join(lines)
    assert "--year 2024" in lines[0]


# ---------------------------------------------------------------- the report, for the paper's country and another


@pytest.fixture(scope="module")
def panels(wdi, pwt, countries):
    return tech.Panels(wdi=wdi, pwt=pwt, countries=countries)


@pytest.fixture(scope="module")
def reports(panels):
    import matplotlib.pyplot as plt

    built = {c: report.report(c, ["KOR", "CHN", "THA", "MYS", "SGP", "WLD"], panels=panels) for c in ("VNM", "THA")}
    plt.close("all")
    return built


def _page_text(rep: report.GapReport) -> str:
    keys = ["finding_proxy", "finding_scope", "finding_implied", "finding_paradox", "finding_ahead"]
    keys += ["conclusion_comparison", "conclusion_structure", "claim_reading"]
    return " ".join(str(rep.text[k]) for k in keys)


@pytest.mark.parametrize(("country", "name"), [("VNM", "Viet Nam"), ("THA", "Thailand")])
def test_each_page_names_its_own_economy_and_agrees_with_its_numbers(reports, country, name):
    rep = reports[country]
    assert rep.text["country_name"] == name
    assert f"{name} in {rep.proxy.year} is" in str(rep.text["finding_proxy"])
    # The commands are the page's own, and the first one runs.
    commands = str(rep.text["cli_commands"]).splitlines()
    assert all(f"--country {country}" in c for c in commands[:2])
    assert str(rep.text["cli_commands"].markdown).startswith("```bash\n")
    # The proxy's range over the band, against the paper's 2-3: "same order of magnitude" only when it meets it.
    band = rep.readings["own"][1]
    low, high = rep.proxy.years_behind / 15, rep.proxy.years_behind / 7  # independent: years / longest, / shortest
    assert band.generations == (pytest.approx(low), pytest.approx(high))
    meets = low <= 3 and high >= 2
    sentences = _page_text(rep)
    if country == "VNM":
        assert ("the same order of magnitude" in sentences) == meets
        assert "not Viet Nam" not in sentences
    else:
        assert "same order of magnitude" not in sentences  # the claim is Viet Nam's: not compared
        assert f"about Viet Nam, not {name}" in sentences and f"not {name}'s" in sentences
        vnm = reports["VNM"].proxy
        assert f"Viet Nam is {vnm.generations:.1f} generations behind" in sentences
    # "only" and "not matched" agree with the ranks.
    ranks = rep.ranks
    not_matched = ranks["ht"] - max(ranks["patents"], ranks["rd"]) >= report.MISMATCH_POINTS
    assert ("is not matched" in str(rep.text["conclusion_structure"])) == not_matched
    assert (" only " in str(rep.text["finding_paradox"])) == not_matched
    assert name in str(rep.text["conclusion_structure"])


def test_first_command_of_each_page_runs(reports, capsys):
    for country, rep in reports.items():
        main(shlex.split(str(rep.text["cli_commands"]).splitlines()[0])[3:])
        out = capsys.readouterr().out
        assert out.splitlines()[1].startswith(country)


def test_the_median_economy_is_a_reference_of_the_generations_table(reports, panels):
    rep = reports["VNM"]
    rows = rep.generation_rows.set_index(["reference", "indicator"])
    median = rows.loc[(MEDIAN, "pwt_gdp_per_worker")]
    # Independent check: the year the median first reached Viet Nam's level brackets the distance.
    series = tech.reference_series(tech.get_indicator("pwt_gdp_per_worker"), parse_reference(MEDIAN, panels), panels)
    crossing = int(series[series >= median["level"]].index.min())
    assert crossing - 1 <= median["year"] - median["years_behind"] <= crossing
    assert "the median economy (PWT)" in set(rep.tables["tbl_gap_generations"]["Reference (source)"])
    assert rep.text["median_years_PWT"] == f"{median['years_behind']:.1f} years behind"


def test_generation_length_table_reads_viet_nam_and_keeps_the_verdict(reports):
    vnm, tha = reports["VNM"].tables["tbl_gap_generation_length"], reports["THA"].tables["tbl_gap_generation_length"]
    assert list(vnm["Generation length"]) == ["declared default", "declared band", "implied by the paper"]
    assert set(vnm["Ledger verdict"]) == {"proxy-only"}  # the rule is proxy at every length
    assert list(vnm["Years a generation"]) == ["10", "7 to 15", "14.7 to 26.5"]
    pd.testing.assert_series_equal(
        vnm["Viet Nam: generations behind the world (PWT)"], tha["Viet Nam: generations behind the world (PWT)"]
    )
    assert "Thailand: generations behind the world (PWT)" in tha.columns
    assert "Thailand: generations behind the world (PWT)" not in vnm.columns


def test_structure_lead_calls_a_leader_only_a_leader():
    assert "Viet Nam looks like a technology leader" in text.structure_lead("Viet Nam", True)
    assert "not among the highest" in text.structure_lead("Chad", False)
    ranks = {"ht": 50.0, "patents": 40.0, "rd": 40.0}
    assert report.structure_matched(ranks) is True  # 50 - 40 = 10 < 25


def test_the_paper_range_in_the_figure_says_whose_it_is(reports):
    def legend(rep):
        return [t.get_text() for t in rep.figures["fig_gap_generations"].legends[0].get_texts()]

    assert legend(reports["VNM"]) == ["paper: 2–3 generations"]
    assert legend(reports["THA"]) == ["paper (about Viet Nam): 2–3 generations"]
