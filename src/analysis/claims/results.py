"""The results table: each analysis's headline numbers, as data.

A notebook creates one :class:`ResultsRecorder`, records every number it reports, and
calls :meth:`ResultsRecorder.save` at the end. When the notebook is executed by the
pipeline (``python -m analysis run``), ``save`` writes the table to the run's private staging
folder; the pipeline copies it to ``book/results/<run name>.csv`` only together with the
executed notebook, once that notebook has been checked (a refused run leaves the published
table as it was). The claims ledger reads those files. Outside the pipeline (interactive
use, nbval) ``save`` writes nothing.

A result that reproduces a claim names its ``claim_id``, is stated in the claim's own unit
(e.g. percent, as the paper writes it), and is computed at the basis that the claim's
ruled rule fixes (``data/raw/verdict_rules.csv``): ``basis_period`` is that year or period as a
typed field in the rule's own grammar (``2019`` for "latest observation up to 2020", ``2011-2015``,
``2011-2015,2016-2020`` for a change), compared exactly by the ledger; ``basis_used`` describes it
for readers (series, specification). What a
search over years or specifications finds may be recorded beside it (``search_value``,
``search_basis``): the ledger reports it and never uses it to reach ``reproduced``. Verdicts are
decided by the ledger (:mod:`analysis.claims.ledger`), not by notebooks.
"""

from __future__ import annotations

import json
import math
import os
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.errors import DataError, InputError
from analysis.io import write_atomic

# Set by the executor (analysis.build.execute) for the kernel: where ``ResultsRecorder.save`` writes
# (a private staging folder) and as which run.
RESULTS_DIR_ENV = "ANALYSIS_RESULTS_DIR"
RUN_NAME_ENV = "ANALYSIS_RUN_NAME"
NBVAL_ENV = "ANALYSIS_NBVAL"  # set by `make test` for nbval's re-execution of the published notebooks

# A year, a period, or periods joined by commas: the grammar of a rule's basis_year (without "<=").
_PERIOD = re.compile(r"(?:\d{4}(?:-\d{4})?)(?:,\d{4}(?:-\d{4})?)*")

COLUMNS = [
    "result_id",
    "value",
    "unit",
    "notebook",
    "parameters",
    "claim_id",
    "basis_used",
    "basis_period",
    "search_value",
    "search_basis",
    "note",
]


@dataclass
class Result:
    result_id: str
    value: float
    unit: str
    notebook: str
    parameters: str
    claim_id: str = ""
    basis_used: str = ""
    basis_period: str = ""
    search_value: float = math.nan
    search_basis: str = ""
    note: str = ""


@dataclass
class ResultsRecorder:
    """Collects one notebook run's results; see the module docstring."""

    notebook: str
    parameters: dict = field(default_factory=dict)
    _results: dict[str, Result] = field(default_factory=dict, init=False, repr=False)

    def record(
        self,
        result_id: str,
        value: float,
        unit: str,
        *,
        claim_id: str = "",
        basis_used: str = "",
        basis_period: str = "",
        search_value: float | None = None,
        search_basis: str = "",
        note: str = "",
    ) -> float:
        """Record one number and return it unchanged (so it can be used inline)."""
        if result_id in self._results:
            raise InputError(f"Result {result_id!r} was recorded twice in {self.notebook}.")
        if claim_id and not basis_used:
            raise InputError(
                f"Result {result_id!r} reproduces claim {claim_id!r}: say which basis it used (basis_used)."
            )
        if basis_period and not _PERIOD.fullmatch(str(basis_period)):
            raise InputError(
                f"Result {result_id!r}: basis_period {basis_period!r} must be a year (2019), a period "
                "(2011-2015) or periods joined by commas (2011-2015,2016-2020)."
            )
        number = float(value) if value is not None else math.nan
        self._results[result_id] = Result(
            result_id=result_id,
            value=number,
            unit=unit,
            notebook=self.notebook,
            parameters=json.dumps(self.parameters, sort_keys=True, default=str),
            claim_id=claim_id,
            basis_used=str(basis_used),
            basis_period=str(basis_period),
            search_value=math.nan if search_value is None else float(search_value),
            search_basis=search_basis,
            note=note,
        )
        return number

    def table(self) -> pd.DataFrame:
        return pd.DataFrame([asdict(r) for r in self._results.values()], columns=COLUMNS)

    def save(self) -> None:
        """Write the results: to the pipeline's staging folder when run by ``python -m analysis run``;
        otherwise (JupyterLab, papermill by hand) to ``build/interactive/<notebook>.csv``, saying so,
        because only the pipeline publishes results where the claims ledger reads them.

        Returns nothing, so that a notebook's last line ``results.save()`` shows no other output
        (use :meth:`table` to display the results). nbval's re-execution (``$ANALYSIS_NBVAL``)
        writes nothing, so that it compares the published outputs.
        """
        table = self.table()
        directory, run_name = os.environ.get(RESULTS_DIR_ENV), os.environ.get(RUN_NAME_ENV)
        if not (directory and run_name):
            if os.environ.get(NBVAL_ENV):
                return
            directory, run_name = paths.repo_root() / "build" / "interactive", self.notebook
        target = Path(directory) / f"{run_name}.csv"
        write_atomic(target, lambda tmp: table.to_csv(tmp, index=False, lineterminator="\n", float_format="%.10g"))
        if not os.environ.get(RESULTS_DIR_ENV):
            print(
                f"{len(table)} results written to {paths.relative(target)} (not to book/results: only "
                "`python -m analysis run` publishes results, which the claims ledger reads)."
            )


def read_all(directory: Path) -> pd.DataFrame:
    """Every results table in ``directory``, concatenated (empty table if none).

    A damaged table (unreadable, missing columns, non-numeric values) is a :class:`DataError`
    naming the file, not a pandas traceback.
    """
    files = sorted(Path(directory).glob("*.csv"))
    if not files:
        return pd.DataFrame(columns=COLUMNS)
    frames = []
    for file in files:
        fix = f"re-run `python -m analysis run {file.stem} --force` (or restore it from git)"
        try:
            frame = pd.read_csv(
                file,
                dtype={"claim_id": str, "basis_used": str, "basis_period": str, "search_basis": str, "note": str},
                keep_default_na=False,
                na_values=[""],
            )
        except (ValueError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            raise DataError(f"The results table {paths.relative(file)} cannot be read ({exc}); {fix}.") from None
        missing = [c for c in COLUMNS if c not in frame.columns]
        if missing:
            raise DataError(f"The results table {paths.relative(file)} lacks columns {missing}; {fix}.")
        for column in ("value", "search_value"):
            numbers = pd.to_numeric(frame[column], errors="coerce")
            bad = frame.loc[numbers.isna() & frame[column].notna(), column]
            if len(bad):
                raise DataError(
                    f"The results table {paths.relative(file)} has a non-numeric {column} {bad.iloc[0]!r}; {fix}."
                )
            frame[column] = numbers
        frames.append(frame[COLUMNS])
    table = pd.concat(frames, ignore_index=True).astype({"value": "float64", "search_value": "float64"})
    for column in ("claim_id", "basis_used", "basis_period", "search_basis", "note"):
        table[column] = table[column].fillna("")
    return table
