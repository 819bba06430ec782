"""Where a series stands against a target and where its recent trend leads: the one target engine.

The trend windows and methods are declared here, before any series is read, and every chapter
and the target tracker use them:

* windows: the :data:`WINDOW_YEARS` years up to the latest observation, cut at the last break
  in the series (:func:`analysis.trends.sparse.since_last_jump`), observed points only;
* methods: compound growth between the window's end points, and a least-squares log-linear
  trend through every point in it (:data:`METHODS`);
* the primary trend is :data:`PRIMARY` (ten years, log-linear: a whole cycle, robust to one odd
  year); the others are alternatives that decide ``borderline``.

Uncertainty (:func:`prediction_band`): where the primary trend is a regression (log-linear), each
projection carries the band of that regression's :data:`PREDICTION_LEVEL` prediction interval for a
new observation, ``t · s · sqrt(1 + 1/n + (year − mean year)² / Sxx)`` in logs, centred on the
projection from the latest observation; reach years are the first years the band's upper and lower
edges meet the target. The growth rate carries the confidence interval of the fitted slope. The
spread over the declared windows and methods is shown beside it. Bands never decide a verdict.

Verdicts (:mod:`analysis.claims.verdicts`): a *level* target is ``achieved`` when the latest
observation meets it; otherwise ``on-track`` when every window and method projects it to be met by
the target year, ``off-track`` when none does, ``borderline`` when they disagree. A *growth* target
(grow at least X % a year) is ``on-track`` when every trend grows at least that fast, ``off-track``
when none does, ``borderline`` otherwise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from analysis.claims.verdicts import agreement
from analysis.errors import InputError, NoDataError
from analysis.trends import rates
from analysis.trends.rates import LogLinearFit, log_linear_fit
from analysis.trends.sparse import DEFAULT_JUMP_FACTOR, since_last_jump

WINDOW_YEARS = (5, 10)
METHODS = ("compound", "log-linear")
PRIMARY = (10, "log-linear")
KINDS = ("level", "growth")
REACH_HORIZON = 200  # years scanned for a band edge to meet a target (beyond: never)


@dataclass(frozen=True)
class Trend:
    """Growth of a series over one declared window by one method (``growth`` as a fraction a year)."""

    years: int
    method: str
    first_year: int
    last_year: int
    observations: int
    growth: float
    fit: LogLinearFit | None = None  # the regression behind a log-linear trend (None for compound growth)

    @property
    def label(self) -> str:
        return f"{self.first_year}–{self.last_year} {self.method}"


def trend(series: pd.Series, years: int, method: str, jump_factor: float = DEFAULT_JUMP_FACTOR) -> Trend:
    """The trend of ``series`` over the ``years`` up to its latest observation, after its last break.

    ``growth`` is NaN when fewer than two observations fall in the window.
    """
    if method not in METHODS:
        raise InputError(f"Unknown trend method {method!r}; allowed: {', '.join(METHODS)}.")
    clean = since_last_jump(series.dropna().sort_index(), jump_factor)
    if clean.empty:
        raise InputError("The series has no observations, so it has no trend.")
    last_year = int(clean.index[-1])
    window = clean[clean.index >= last_year - years]
    first_year = int(window.index[0])
    fitted = None
    if len(window) < 2 or (window <= 0).any():
        growth = math.nan
    elif method == "compound":
        growth = rates.cagr(float(window.iloc[0]), float(window.iloc[-1]), last_year - first_year)
    else:
        fitted = log_linear_fit(window)
        growth = math.expm1(fitted.slope)
    return Trend(years, method, first_year, last_year, len(window), growth, fitted)


def all_trends(series: pd.Series, jump_factor: float = DEFAULT_JUMP_FACTOR) -> list[Trend]:
    """Every declared window × method, the primary first."""
    order = [PRIMARY] + [(y, m) for y in WINDOW_YEARS for m in METHODS if (y, m) != PRIMARY]
    return [trend(series, years, method, jump_factor) for years, method in order]


@dataclass(frozen=True)
class Outlook:
    """A series against a target: latest point, required and recent growth, projection and verdict."""

    kind: str
    latest_year: int
    latest_value: float
    target_value: float
    target_year: int
    required_growth: float  # level: from the latest point to the target; growth: the target rate
    trends: tuple[Trend, ...]  # the primary first
    verdict: str

    @property
    def primary(self) -> Trend:
        return self.trends[0]

    @property
    def projected_value(self) -> float:
        """What the target is judged on, at the primary trend: the level in the target year, or, for a
        growth target, the trend's growth itself (percent a year, the target's unit)."""
        if math.isnan(self.primary.growth):
            return math.nan
        if self.kind == "growth":
            return 100 * self.primary.growth
        return rates.value_at(self.latest_value, self.latest_year, self.primary.growth, self.target_year)

    @property
    def reach_year(self) -> float:
        """The first calendar year by whose end the primary trend meets a level target (inf: never)."""
        if self.kind != "level" or math.isnan(self.primary.growth):
            return math.nan
        reach = rates.year_reaching(self.latest_value, self.latest_year, self.target_value, self.primary.growth)
        return float(math.ceil(reach - 1e-9)) if math.isfinite(reach) else reach

    def band_at(self, year: int) -> tuple[float, float]:
        """The primary trend's prediction band for the level in ``year`` (NaN without a regression)."""
        fitted = self.primary.fit
        if self.kind != "level" or fitted is None or math.isnan(self.primary.growth):
            return math.nan, math.nan
        half = fitted.half_width(year)
        centre = rates.value_at(self.latest_value, self.latest_year, self.primary.growth, year)
        return centre * math.exp(-half), centre * math.exp(half)

    @property
    def projected_band(self) -> tuple[float, float]:
        """:meth:`band_at` the target year; for a growth target, the trend growth's confidence interval (%)."""
        if self.kind == "growth":
            low, high = self.growth_band
            return 100 * low, 100 * high
        return self.band_at(self.target_year)

    @property
    def reach_year_band(self) -> tuple[float, float]:
        """First years by which the band's upper and lower edges meet a level target (NaN: never, or no band).

        An already achieved target has no band: both are NaN.
        """
        low, high = math.nan, math.nan
        if self.kind != "level" or math.isnan(self.projected_band[0]) or self.latest_value >= self.target_value:
            return low, high
        for year in range(self.latest_year + 1, self.latest_year + REACH_HORIZON + 1):
            lower, upper = self.band_at(year)
            if math.isnan(low) and upper >= self.target_value:
                low = float(year)
            if lower >= self.target_value:
                return low, float(year)
        return low, high

    @property
    def growth_band(self) -> tuple[float, float]:
        """The confidence interval of the primary trend's growth (fractions a year; NaN without a regression)."""
        fitted = self.primary.fit
        return fitted.growth_interval() if fitted is not None else (math.nan, math.nan)

    def meets(self, t: Trend) -> bool:
        """Whether trend ``t`` meets the target (NaN growth never does)."""
        if math.isnan(t.growth):
            return False
        if self.kind == "growth":
            return t.growth >= self.target_value / 100
        return rates.value_at(self.latest_value, self.latest_year, t.growth, self.target_year) >= self.target_value

    def windows_text(self) -> str:
        """Every trend with its growth and whether it meets the target, for tables."""
        return "; ".join(
            f"{t.label} {100 * t.growth:.1f}%/yr ({'meets' if self.meets(t) else 'misses'})"
            for t in self.trends
            if not math.isnan(t.growth)
        )


def outlook(
    series: pd.Series,
    target_value: float,
    target_year: int,
    kind: str,
    jump_factor: float = DEFAULT_JUMP_FACTOR,
) -> Outlook:
    """Judge ``series`` against a ``level`` target (reach ``target_value``) or a ``growth`` one (% a year)."""
    if kind not in KINDS:
        raise InputError(f"Unknown target kind {kind!r}; allowed: {', '.join(KINDS)}.")
    clean = series.dropna().sort_index()
    if clean.empty:
        raise NoDataError("The series has no observations, so it cannot be judged against a target.")
    latest_year, latest_value = int(clean.index[-1]), float(clean.iloc[-1])
    passed = kind == "level" and latest_value < target_value and latest_year >= target_year
    if kind == "level":
        required = (
            0.0
            if latest_value >= target_value
            else math.nan
            if passed
            else rates.required_cagr(latest_value, latest_year, target_value, target_year)
        )
    else:
        required = target_value / 100
    trends = tuple(all_trends(clean, jump_factor))
    draft = Outlook(kind, latest_year, latest_value, target_value, target_year, required, trends, "")
    if kind == "level" and latest_value >= target_value:
        verdict = "achieved"
    elif passed:
        verdict = "missed"  # the target year is observed and the target was not met: nothing to project
    else:
        measured = [t for t in trends if not math.isnan(t.growth)]
        if not measured:
            raise NoDataError(
                f"Fewer than two observations after the last break (latest {latest_year}): no trend, so no verdict."
            )
        met = [draft.meets(t) for t in measured]
        verdict = agreement(["on-track" if m else "off-track" for m in met])
    return Outlook(kind, latest_year, latest_value, target_value, target_year, required, trends, verdict)
