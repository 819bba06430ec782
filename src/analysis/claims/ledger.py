"""The claims ledger: every claim of the paper and target of Resolution 57, its rule, the value
this compendium finds at that rule's basis, and the verdict.

Claims are typed from the source texts into ``data/raw/paper_claims.csv`` (one row per claim,
with the exact quote); how each is judged is written in ``data/raw/verdict_rules.csv`` from the
claim's own words (:mod:`analysis.claims.verdicts`), and every change of a rule is a dated row of
the rule history (:mod:`analysis.claims.rule_history`). Values come from the notebooks' results tables
(:mod:`analysis.claims.results`), the paper's own arithmetic (:mod:`analysis.claims.arithmetic`) and
the target tracker (:mod:`analysis.targets`). Verdicts are computed here and nowhere else.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.claims import rule_history, verdicts
from analysis.claims.verdicts import VERDICTS
from analysis.errors import DataError

CLAIM_COLUMNS = [
    "claim_id",
    "source_seed",
    "section",
    "quote",
    "value",
    "unit",
    "country",
    "year_or_period",
    "cited_source",
    "kind",
    "group",
]
# "document": a count of a document's or an organisation's own parts (a circular's indicator groups);
# a fact about a text, not a measurement, kept out of the totals of claims checked.
KINDS = ("measurement", "target", "arithmetic", "document")
RULE_COLUMNS = ["claim_id", "rule", "basis_year", "basis", "settled_by"]
SOURCES = {
    "000": "Paper (Nguyen Ke Nghia)",
    "001": "Ministry of Industry and Trade interview",
    "002": "Resolution 57-NQ/TW",
    "003": "Commentary on Resolution 57",
    "004": "Commentary on Resolution 57",
}

LEDGER_COLUMNS = [
    "verdict",
    "claim_id",
    "group",
    "source",
    "kind",
    "country",
    "claimed",
    "unit",
    "reproduced",
    "band_low",
    "band_high",
    "rule",
    "basis",
    "basis_used",
    "search",
    "settled_by",
    "notebook",
    "note",
    "rule_fixed_on",
    "first_pass_verdict",
    "quote",
]


def claims_path() -> Path:
    return paths.raw_dir() / "paper_claims.csv"


def load_claims(path: Path | None = None) -> pd.DataFrame:
    """The claims table, checked for its columns, unique ids, kinds and numeric values."""
    path = path or claims_path()
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    if list(table.columns) != CLAIM_COLUMNS:
        raise DataError(f"{paths.relative(path)} must have the columns {CLAIM_COLUMNS}; it has {list(table.columns)}.")
    duplicated = table.loc[table["claim_id"].duplicated(), "claim_id"].tolist()
    if duplicated:
        raise DataError(f"{paths.relative(path)} repeats claim ids: {duplicated}.")
    bad_kind = table.loc[~table["kind"].isin(KINDS), "claim_id"].tolist()
    if bad_kind:
        raise DataError(f"Claims {bad_kind} have a kind other than {KINDS}.")
    table["value"] = pd.to_numeric(table["value"].replace("", None), errors="raise").astype(float)
    table["group"] = table["group"].where(table["group"] != "", table["claim_id"])
    return table


def rules_path() -> Path:
    return paths.raw_dir() / "verdict_rules.csv"


def load_rules(claims: pd.DataFrame, path: Path | None = None) -> pd.DataFrame:
    """The verdict rules, one per claim, checked against the claims table."""
    path = path or rules_path()
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    where = paths.relative(path)
    if list(table.columns) != RULE_COLUMNS:
        raise DataError(f"{where} must have the columns {RULE_COLUMNS}; it has {list(table.columns)}.")
    if table["claim_id"].duplicated().any():
        raise DataError(
            f"{where} repeats claim ids: {sorted(set(table.loc[table['claim_id'].duplicated(), 'claim_id']))}."
        )
    missing = sorted(set(claims["claim_id"]) - set(table["claim_id"]))
    extra = sorted(set(table["claim_id"]) - set(claims["claim_id"]))
    if missing or extra:
        raise DataError(
            f"{where} must have one rule per claim: missing {missing or 'none'}, unknown {extra or 'none'}."
        )
    unknown = sorted(set(table["rule"]) - set(verdicts.RULES))
    if unknown:
        raise DataError(f"{where} uses unknown rules {unknown}; allowed: {', '.join(verdicts.RULES)}.")
    needs_source = table[
        table["rule"].isin(["not-in-these-sources", "no-open-data", "proxy"]) & (table["settled_by"] == "")
    ]
    needs_source = needs_source[needs_source["rule"] == "not-in-these-sources"]
    if not needs_source.empty:
        raise DataError(
            f"{where}: claims judged not-in-these-sources must name the source that would settle them: "
            f"{list(needs_source['claim_id'])}."
        )
    return table


NUMBER_WORDS = {
    1: "one",
    2: "two",
    3: "three",
    4: "four",
    5: "five",
    6: "six",
    7: "seven",
    8: "eight",
    9: "nine",
    10: "ten",
}


def printed_value(value: float, quote: str) -> str:
    """The claim's number as the source prints it (``39.0``, ``1,600``, ``three``), found in its quote.

    Falls back to the shortest decimal form when the quote spells the number otherwise.
    """
    forms = [f"{value:,.0f}", f"{value:.0f}"] if value == int(value) else []
    forms += [f"{value:.2f}", f"{value:.1f}", f"{value:g}"]
    if value == int(value) and int(value) in NUMBER_WORDS:
        forms.append(NUMBER_WORDS[int(value)])
    pattern = "|".join(re.escape(f) for f in sorted(dict.fromkeys(forms), key=len, reverse=True))
    found = re.search(rf"(?<![\d.,])(?:{pattern})(?![\d]|[.,]\d)", quote)
    return found.group(0) if found else f"{value:g}"


def glue_key(claim_id: str) -> str:
    """The glue name under which a claim's printed value is available in a notebook."""
    return "claim_" + re.sub(r"\W", "_", claim_id)


def quotes_missing_from_seeds(claims: pd.DataFrame, seeds_dir: Path) -> list[str]:
    """Claim ids whose quote does not occur verbatim in its seed text."""
    texts = {p.name[:3]: p.read_text(encoding="utf-8") for p in Path(seeds_dir).glob("*.txt")}
    return [row.claim_id for row in claims.itertuples() if row.quote not in texts.get(row.source_seed, "")]


def bands(claims: pd.DataFrame) -> pd.DataFrame:
    """Each numeric claim's tolerance band by the one ledger-wide rule (``band_low``, ``band_high``)."""
    low, high = [], []
    for row in claims.itertuples():
        if math.isnan(row.value):
            low.append(math.nan)
            high.append(math.nan)
            continue
        if row.unit in verdicts.EXACT_UNITS:
            band = verdicts.exact(row.value)
        else:
            band = verdicts.tolerance(row.value, printed_value(row.value, row.quote), row.quote)
        low.append(band[0])
        high.append(band[1])
    return pd.DataFrame({"claim_id": claims["claim_id"], "band_low": low, "band_high": high})


def _search_text(value: float, basis: str) -> str:
    return "" if math.isnan(value) else f"{basis}: {value:.4g}"


def basis_is_ruled(basis_year: str, basis_period: str) -> bool:
    """Whether a result's typed ``basis_period`` is the one the rule's ``basis_year`` fixes.

    ``"<=2020"``: the period is one year, 2020 or earlier (which one is the latest observation is
    checked against the data by the tests); otherwise the two are the same year, period or periods.
    """
    if basis_year.startswith("<="):
        return basis_period.isdigit() and int(basis_period) <= int(basis_year[2:])
    return basis_period == basis_year


def ledger(
    claims: pd.DataFrame,
    rules: pd.DataFrame,
    results: pd.DataFrame,
    targets: pd.DataFrame | None = None,
    history: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Each claim with its rule, the value found at the rule's basis and the verdict, in the claims table's order.

    ``results`` are the notebooks' results tables (one row per claim at most); ``targets`` the
    tracker's rows (``claim_id``, ``latest_value``, ``verdict``, ``window``), which decide the
    verdict of claims whose rule is ``target``; ``history`` the rule history
    (:mod:`analysis.claims.rule_history`), which gives ``rule_fixed_on`` and ``first_pass_verdict``.
    An ``all-of`` claim is judged from its parts: the claims whose id extends its own (``x.kor``).
    """
    linked = results[results["claim_id"].astype(str) != ""]
    repeated = linked.loc[linked["claim_id"].duplicated(), "claim_id"].tolist()
    if repeated:
        raise DataError(
            f"More than one result reproduces the claims {sorted(set(repeated))}; record one headline result per claim."
        )
    unknown = sorted(set(linked["claim_id"]) - set(claims["claim_id"]))
    if unknown:
        raise DataError(f"Results name claims that are not in the claims table: {unknown}.")
    merged = claims.merge(rules, on="claim_id").merge(bands(claims), on="claim_id")
    merged = merged.merge(linked, on="claim_id", how="left", suffixes=("", "_result"))
    unit_mismatch = merged[merged["unit_result"].notna() & (merged["unit_result"] != merged["unit"])]
    if not unit_mismatch.empty:
        detail = ", ".join(f"{r.claim_id} ({r.unit_result} vs {r.unit})" for r in unit_mismatch.itertuples())
        raise DataError(f"Results must be stated in their claim's unit: {detail}.")
    wrong_basis = [
        f"{r.claim_id} (rule {r.basis_year!r}, result's basis_period {r.basis_period!r})"
        for r in merged.itertuples()
        if isinstance(r.basis_used, str) and r.basis_year and not basis_is_ruled(r.basis_year, str(r.basis_period))
    ]
    if wrong_basis:
        raise DataError(f"Results must be computed at their claim's ruled basis: {', '.join(wrong_basis)}.")
    targets = (
        targets if targets is not None else pd.DataFrame(columns=["claim_id", "latest_value", "verdict", "window"])
    )
    tracked = targets.set_index("claim_id")
    dated = rule_history.per_claim(history).set_index("claim_id") if history is not None else None
    rows, judged = [], {}
    # Parts before the statements made of them (an all-of claim is judged from its parts' verdicts).
    for row in sorted(merged.itertuples(), key=lambda r: r.rule == "all-of"):
        value = float(row.value_result) if pd.notna(row.value_result) else math.nan
        search_value = float(row.search_value) if pd.notna(row.search_value) else math.nan
        target_verdict, basis_used = "", row.basis_used if isinstance(row.basis_used, str) else ""
        if row.rule == "target" and row.claim_id in tracked.index:
            target_verdict = str(tracked.loc[row.claim_id, "verdict"])
            value = float(tracked.loc[row.claim_id, "latest_value"])
            basis_used = str(tracked.loc[row.claim_id, "window"])
        parts = tuple(v for k, v in judged.items() if k.startswith(row.claim_id + "."))
        verdict = verdicts.judge(row.rule, (row.band_low, row.band_high), value, search_value, target_verdict, parts)
        judged[row.claim_id] = verdict
        if not verdict:
            raise DataError(
                f"Claim {row.claim_id} (rule {row.rule}) has no recorded value: a notebook or the target tracker "
                "must compute it at its basis."
            )
        rows.append(
            {
                "verdict": verdict,
                "claim_id": row.claim_id,
                "group": row.group,
                "source": SOURCES.get(row.source_seed, row.source_seed),
                "kind": row.kind,
                "country": row.country,
                "claimed": row.value,
                "unit": row.unit,
                "reproduced": value,
                "band_low": row.band_low,
                "band_high": row.band_high,
                "rule": row.rule,
                "basis": row.basis,
                "basis_used": basis_used,
                "search": _search_text(search_value, row.search_basis if isinstance(row.search_basis, str) else ""),
                "settled_by": row.settled_by,
                "notebook": row.notebook if isinstance(row.notebook, str) else "",
                "note": row.note if isinstance(row.note, str) else "",
                "rule_fixed_on": dated.loc[row.claim_id, "rule_fixed_on"] if dated is not None else "",
                "first_pass_verdict": dated.loc[row.claim_id, "first_pass_verdict"] if dated is not None else "",
                "quote": row.quote,
            }
        )
    order = {claim_id: i for i, claim_id in enumerate(claims["claim_id"])}
    out = pd.DataFrame(sorted(rows, key=lambda r: order[r["claim_id"]]), columns=LEDGER_COLUMNS)
    assert set(out["verdict"]) <= set(VERDICTS)
    return out
