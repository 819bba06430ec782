"""What the claims-ledger page shows: verdict-first tables, the vocabulary and the counts."""

from __future__ import annotations

import math

import pandas as pd

from analysis import paths
from analysis.claims import arithmetic, ledger, rule_history, verdicts
from analysis.claims.ledger import SOURCES, printed_value
from analysis.style.display import markdown_escape as _escape
from analysis.style.format import agree

VOCABULARY_LABEL = "verdicts-defined"  # the MyST label of the ledger page's section that defines the verdicts


def label(value: float, unit: str) -> str:
    """A value of a label unit as a reader writes it: a date ``2019-12-15``, a year ``2009``, an ordinal ``VIII``."""
    if unit == "date":
        number = int(value)
        return f"{number // 10000}-{number // 100 % 100:02d}-{number % 100:02d}"
    if unit == "ordinal":
        return arithmetic.numeral(int(value))
    return f"{value:.0f}"


def _found(row: pd.Series) -> str:
    if math.isnan(row["reproduced"]):
        return "–"
    if row["unit"] in verdicts.EXACT_UNITS:
        return label(row["reproduced"], row["unit"])
    if row["rule"] in ("direction", "lower"):
        return f"{row['reproduced']:+.1f}"
    size = abs(row["reproduced"])
    digits = 0 if size >= 100 else 2 if size < 10 else 1
    return f"{row['reproduced']:,.{digits}f}"


def _claimed(row: pd.Series) -> str:
    if math.isnan(row["claimed"]):
        return "(statement)"
    if row["unit"] in verdicts.EXACT_UNITS:
        return label(row["claimed"], row["unit"])
    return printed_value(row["claimed"], row["quote"])


def _band(row: pd.Series) -> str:
    if math.isnan(row["band_low"]) or row["rule"] not in ("measure", "arithmetic"):
        return ""
    if row["unit"] in verdicts.EXACT_UNITS:
        return "exactly"
    return f"{row['band_low']:,.4g} to {row['band_high']:,.4g}"


def _basis(row: pd.Series) -> str:
    used = f" Used: {row['basis_used']}." if row["basis_used"] else ""
    found = f" Search (reported only): {row['search']}." if row["search"] else ""
    settled = f" Would be settled by: {row['settled_by']}." if row["settled_by"] else ""
    return f"{row['basis']}{used}{found}{settled}"


def reader_table(table: pd.DataFrame, source: str | None = None, quote_length: int = 110) -> pd.DataFrame:
    """The ledger for readers, verdict first, linked to the section defining it.

    Claim ids stay out of the page (``python -m analysis claims`` prints them beside every row).

    Cells are Markdown (escaped text, a link on the verdict); untestable rows show their reason.
    """
    rows = table if source is None else table[table["source"] == source]

    def short(text: str) -> str:
        return text if len(text) <= quote_length else text[: quote_length - 1].rsplit(" ", 1)[0] + " …"

    return pd.DataFrame(
        {
            "Verdict": [f"[{v}](#{VOCABULARY_LABEL})" for v in rows["verdict"]],
            "Claim (source's words)": [_escape(f"“{short(q)}”") for q in rows["quote"]],
            "Claimed": [_escape(_claimed(r)) for _, r in rows.iterrows()],
            "Found": [_found(r) for _, r in rows.iterrows()],
            "Reproduced if within": [_band(r) for _, r in rows.iterrows()],
            "Basis (rule written from the claim's words)": [_escape(_basis(r)) for _, r in rows.iterrows()],
        }
    )


def checked(table: pd.DataFrame) -> pd.DataFrame:
    """The claims checked: one row per distinct claim (``group``), document facts left out."""
    return table[table["kind"] != "document"].drop_duplicates("group")


def share_from_data(table: pd.DataFrame) -> tuple[int, int]:
    """Distinct claims checked whose verdict comes from data (not no-open-data or not-in-these-sources), and all."""
    rows = checked(table)
    from_data = ~rows["verdict"].isin(["no-open-data", "not-in-these-sources"])
    return int(from_data.sum()), len(rows)


def paper_measures_text(reproduced: int, chosen: int, differing: int) -> str:
    """The key finding on the paper's own measurements, its verbs agreeing with its counts."""

    def verb(n: int, one: str, many: str) -> str:
        return f"{n} {agree(n, one, many)}"

    return (
        f"Of the paper's own numeric measurements, {verb(reproduced, 'is', 'are')} reproduced at the ruled basis; "
        f"{verb(chosen, 'matches', 'match')} only under a year or specification chosen after seeing the data, "
        f"and {verb(differing, 'differs', 'differ')}."
    )


def key_numbers(table: pd.DataFrame, paper_source: str) -> dict[str, int | str]:
    """The numbers and short texts of the ledger page's key findings, by glue name."""
    summary = counts(table).set_index("Verdict")["All sources"]
    from_data, n_checked = share_from_data(table)
    paper = table[(table["source"] == paper_source) & (table["rule"] == "measure")]["verdict"].value_counts()
    contradicted = table.loc[table["verdict"] == "contradicted", "quote"]
    return {
        "n_claims": len(table),
        "n_checked": n_checked,
        "n_from_data": from_data,
        "share_from_data": f"{100 * from_data / n_checked:.0f} %",
        "n_documents": int((table["kind"] == "document").sum()),
        "verdict_summary": "; ".join(f"{n} {v}" for v, n in summary.items()),
        "n_paper_reproduced": int(paper.get("reproduced", 0)),
        "n_paper_chosen": int(paper.get("matches-only-when-chosen", 0)),
        "n_paper_differs": int(paper.get("differs", 0)),
        "paper_measures_text": paper_measures_text(
            int(paper.get("reproduced", 0)), int(paper.get("matches-only-when-chosen", 0)), int(paper.get("differs", 0))
        ),
        "n_contradicted_text": (
            "The data contradict: " + "; ".join(f"“{q}”" for q in contradicted) + "."
            if len(contradicted)
            else "No claim is contradicted by the data."
        ),
    }


def rule_changes(table: pd.DataFrame) -> pd.DataFrame:
    """Every claim whose verdict changed with a rule (first pass of 2026-11-24 included): when, from, to, why."""
    history = rule_history.changed_verdicts(rule_history.load_history())
    quotes = table.set_index("claim_id")["quote"]
    return pd.DataFrame(
        {
            "Date": history["date"],
            "Claim (source's words)": [_escape(f"“{quotes.get(c, c)[:80]}”") for c in history["claim_id"]],
            "Verdict before": history["verdict_before"],
            "Verdict after": history["verdict_after"],
            "Why": [_escape(r) for r in history["reason"]],
        }
    )


def vocabulary() -> pd.DataFrame:
    """The verdicts and their meanings, in order."""
    return pd.DataFrame({"Verdict": list(verdicts.MEANINGS), "Meaning": list(verdicts.MEANINGS.values())})


def counts(table: pd.DataFrame) -> pd.DataFrame:
    """Claims per verdict (rows) and source (columns), with a total column; verdicts never used are left out."""
    order = [s for s in dict.fromkeys(SOURCES.values()) if s in set(table["source"])]
    out = pd.crosstab(table["verdict"], table["source"]).reindex(index=list(verdicts.VERDICTS), columns=order)
    out = out.fillna(0).astype(int)
    out = out[out.sum(axis=1) > 0]
    out["All sources"] = out.sum(axis=1)
    return out.rename_axis(index="Verdict", columns=None).reset_index()


def finding(table: pd.DataFrame, prefix: str) -> str:
    """One line on the claims whose id starts with ``prefix``: how many, and their verdicts in vocabulary order.

    >>> t = pd.DataFrame({"claim_id": ["a.x", "a.y", "b.z"], "verdict": ["differs", "reproduced", "differs"]})
    >>> finding(t, "a.")
    '2 claims: 1 reproduced, 1 differs'
    """
    rows = table[table["claim_id"].str.startswith(prefix)]
    if rows.empty:
        raise ValueError(f"No claim id starts with {prefix!r}.")
    counts = rows["verdict"].value_counts()
    parts = [f"{counts[v]} {v}" for v in verdicts.VERDICTS if v in counts]
    noun = "claim" if len(rows) == 1 else "claims"
    return f"{len(rows)} {noun}: " + ", ".join(parts)


def current_ledger() -> pd.DataFrame:
    """The ledger from the committed claims, rules and results tables, the paper's arithmetic and the tracker.

    Kept out of :mod:`analysis.claims.ledger`, which every page imports to read the claims: the
    tracker it calls reads every topic, so the pages' cache keys would cover every topic too.
    """
    from analysis import targets
    from analysis.claims.results import read_all
    from analysis.data import load
    from analysis.targets import income

    claims = ledger.load_claims()
    rules = ledger.load_rules(claims)
    status_basis = rules.set_index("claim_id").loc["paper.income.lower_middle", "basis_year"]
    results = pd.concat(
        [
            read_all(paths.results_dir()),
            arithmetic.results(claims, load("wdi").query("iso3 == 'VNM'").set_index("year")["gdp_growth_pct"]),
            income.status_results(load("wdi"), load("countries"), status_basis),
        ],
        ignore_index=True,
    )
    return ledger.ledger(claims, rules, results, targets.tracker(), rule_history.load_history())
