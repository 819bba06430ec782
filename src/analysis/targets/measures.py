"""How each target is measured: the authored table ``data/raw/target_measures.csv``, checked by a schema.

One row per target that open data here can measure: the indicator's label, the processed table
and column(s) it comes from (``numerator`` ÷ ``denominator`` × ``scale``), whether it is a
``level`` to reach or a ``growth`` rate to sustain, an optional ``bound`` column shown beside it,
and a note on how the series differs from the target's wording. Targets without a row are
judged by their rule in ``data/raw/verdict_rules.csv`` (not in these sources, or no open data).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from analysis import paths
from analysis.errors import DataError

TABLES = ("wdi", "hdr", "growth", "income", "egov")

SCHEMA = pa.DataFrameSchema(
    {
        "claim_id": pa.Column(str, unique=True),
        "indicator": pa.Column(str, pa.Check.str_length(min_value=1)),
        "table": pa.Column(str, pa.Check.isin(TABLES)),
        "numerator": pa.Column(str, pa.Check.str_length(min_value=1)),
        "denominator": pa.Column(str),
        "scale": pa.Column(float, pa.Check.gt(0)),
        "kind": pa.Column(str, pa.Check.isin(["level", "growth"])),
        "bound": pa.Column(str),
        "note": pa.Column(str, pa.Check.str_length(min_value=1)),
    },
    strict=True,
    ordered=True,
)


def measures_path() -> Path:
    return paths.raw_dir() / "target_measures.csv"


def load_measures(path: Path | None = None) -> pd.DataFrame:
    """The target measures, validated (one line naming the problem if the table is malformed)."""
    path = path or measures_path()
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    try:
        table["scale"] = pd.to_numeric(table["scale"])
        return SCHEMA.validate(table)
    except (KeyError, ValueError, pa.errors.SchemaError) as exc:
        raise DataError(f"{paths.relative(path)} is malformed: {str(exc).splitlines()[0]}") from None


def resolution_input_targets() -> dict[str, float]:
    """Resolution 57's input and output targets as fractions or levels, read from the claims table (never retyped).

    Keys: ``rd_pct_gdp`` (percent of GDP), ``researchers_per_10k``, and the growth targets as fractions a
    year: ``patents_low``, ``patents_high``, ``publications``.
    """
    from analysis.claims.ledger import load_claims

    value = load_claims().set_index("claim_id")["value"]
    return {
        "rd_pct_gdp": float(value["r57.rd_pct_gdp.2030"]),
        "researchers_per_10k": float(value["r57.researchers.2030"]),
        "patents_low": float(value["r57.patents_growth.2030.low"]) / 100,
        "patents_high": float(value["r57.patents_growth.2030.high"]) / 100,
        "publications": float(value["r57.publications_growth.2030"]) / 100,
    }
