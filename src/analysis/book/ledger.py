"""The claims ledger: every quantitative claim of the paper and target of Resolution 57,
beside the value this compendium reproduces and a verdict.

Claims are typed from the source texts into ``data/raw/paper_claims.csv`` (one row per
number, with the exact quote); reproductions come from the notebooks' results tables
(:mod:`analysis.results`). A claim with a numeric reproduction and a tolerance is
``reproduced`` when ``|reproduced - claimed| <= tolerance`` and ``differs`` otherwise; a
notebook may instead give an explicit verdict (e.g. ``arithmetic-inconsistent``); a claim
no notebook has addressed is ``not-yet-analysed``.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.book.verdicts import VERDICTS
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
]
KINDS = ("measurement", "target", "arithmetic")
SOURCES = {
    "000": "Paper (Nguyen Ke Nghia)",
    "001": "Ministry of Industry and Trade interview",
    "002": "Resolution 57-NQ/TW",
    "003": "Commentary on Resolution 57",
    "004": "Commentary on Resolution 57",
}

LEDGER_COLUMNS = [
    "claim_id",
    "source",
    "kind",
    "country",
    "year_or_period",
    "claimed",
    "unit",
    "reproduced",
    "difference",
    "tolerance",
    "verdict",
    "notebook",
    "note",
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
    table["value"] = pd.to_numeric(table["value"], errors="raise")
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


# Claims that no statistical series can test, with the reason. The ledger applies these only
# to claims that no chapter has addressed, so a chapter's own verdict always takes precedence.
BEYOND_OPEN_DATA: list[tuple[str, str, str]] = [
    (
        r"paper\.(gii|circular17|circular03)\.",
        "not-reproducible-with-open-data",
        "Describes the structure of a report or regulation, not the economy; checked only by adding up its parts.",
    ),
    (
        r"paper\.infrastructure\.",
        "not-reproducible-with-open-data",
        "An administrative count of the Ministry of Science and Technology; no open dataset lists S&T organisations.",
    ),
    (
        r"paper\.workforce\.trained_share",
        "not-reproducible-with-open-data",
        "Needs the Labour Force Survey's share of workers with certificates or degrees (General Statistics Office), not in WDI.",
    ),
    (
        r"moit\.(strategy|research_institutes)\.",
        "not-reproducible-with-open-data",
        "An administrative fact about the Ministry of Industry and Trade and its institutes.",
    ),
    (r"r57\.task_groups$", "not-reproducible-with-open-data", "Describes the structure of the Resolution itself."),
    (
        r"r57\..*\.2045$",
        "cannot-be-measured",
        "A 2045 target: no series in this compendium measures it, and a 2045 trend verdict would be speculative.",
    ),
    (
        r"r57\.(commentary|gov)\.",
        "cannot-be-measured",
        "A policy instrument or commentary figure, not an outcome that a statistical series measures.",
    ),
    (
        r"r57\.digital_economy_sectoral_share$",
        "cannot-be-measured",
        "No open series measures the digital economy's share within sectors.",
    ),
    (
        r"moit\.public_sti_orgs_reduction",
        "cannot-be-measured",
        "A count of public S&T organisations; no open register.",
    ),
]


def beyond_open_data(claim_ids: list[str]) -> pd.DataFrame:
    """Verdict and reason for each given claim that matches :data:`BEYOND_OPEN_DATA` (others omitted)."""
    rows = []
    for claim_id in claim_ids:
        for pattern, verdict, reason in BEYOND_OPEN_DATA:
            if re.match(pattern, claim_id):
                rows.append({"claim_id": claim_id, "verdict": verdict, "note": reason})
                break
    return pd.DataFrame(rows, columns=["claim_id", "verdict", "note"])


def _verdict(claimed: float, reproduced: float, tolerance: float, explicit: str) -> str:
    if explicit:
        return explicit
    if math.isnan(reproduced) or math.isnan(tolerance):
        return "not-yet-analysed"
    return "reproduced" if abs(reproduced - claimed) <= tolerance + 1e-12 else "differs"


def ledger(claims: pd.DataFrame, results: pd.DataFrame) -> pd.DataFrame:
    """Each claim beside its reproduction (if any) and verdict, in the claims table's order."""
    linked = results[results["claim_id"].astype(str) != ""]
    repeated = linked.loc[linked["claim_id"].duplicated(), "claim_id"].tolist()
    if repeated:
        raise DataError(
            f"More than one result reproduces the claims {sorted(set(repeated))}; record one headline result per claim."
        )
    unknown = sorted(set(linked["claim_id"]) - set(claims["claim_id"]))
    if unknown:
        raise DataError(f"Results name claims that are not in the claims table: {unknown}.")
    merged = claims.merge(linked, on="claim_id", how="left", suffixes=("", "_result"))
    unit_mismatch = merged[merged["unit_result"].notna() & (merged["unit_result"] != merged["unit"])]
    if not unit_mismatch.empty:
        detail = ", ".join(f"{r.claim_id} ({r.unit_result} vs {r.unit})" for r in unit_mismatch.itertuples())
        raise DataError(f"Results must be stated in their claim's unit: {detail}.")
    reproduced = merged["value_result"].astype(float)
    tolerance = merged["tolerance"].astype(float)
    out = pd.DataFrame(
        {
            "claim_id": merged["claim_id"],
            "source": merged["source_seed"].map(SOURCES).fillna(merged["source_seed"]),
            "kind": merged["kind"],
            "country": merged["country"],
            "year_or_period": merged["year_or_period"],
            "claimed": merged["value"].astype(float),
            "unit": merged["unit"],
            "reproduced": reproduced,
            "difference": reproduced - merged["value"].astype(float),
            "tolerance": tolerance,
            "verdict": [
                _verdict(c, r, t, v if isinstance(v, str) else "")
                for c, r, t, v in zip(
                    merged["value"].astype(float), reproduced, tolerance, merged["verdict"], strict=True
                )
            ],
            "notebook": merged["notebook"].fillna(""),
            "note": merged["note"].fillna(""),
            "quote": merged["quote"],
        }
    )
    assert set(out["verdict"]) <= set(VERDICTS)
    return out[LEDGER_COLUMNS]


def verdict_counts(table: pd.DataFrame) -> pd.Series:
    """Number of claims per verdict, in the canonical verdict order (zeros kept)."""
    return table["verdict"].value_counts().reindex(list(VERDICTS), fill_value=0)


def current_ledger() -> pd.DataFrame:
    """The ledger from the committed claims table and the committed results tables."""
    from analysis.book.results import read_all

    return ledger(load_claims(), read_all(paths.results_dir()))
