"""``python -m analysis kpf``: one knowledge-production-function model as a tidy table.

Columns: term, estimate, std_error, ci_low, ci_high, n_obs, n_countries. Bad options (unknown
estimator, control or economy, repeated controls, output years outside the data) stop with one line.
"""

from __future__ import annotations

from analysis.kpf.estimators import ESTIMATORS, fit
from analysis.kpf.panel import BREAK_HANDLING, CONTROLS, OUTPUTS, build_panel


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def add_arguments(parser, command: str) -> None:
    from analysis.cli import add_format_argument

    parser.add_argument("--output", choices=list(OUTPUTS), default="patents", help="STI output (default: %(default)s)")
    # no argparse choices: an unknown estimator gets the same one-line message as every other bad option
    parser.add_argument(
        "--estimator", default="twoway", help=f"estimator: {', '.join(ESTIMATORS)} (default: %(default)s)"
    )
    parser.add_argument(
        "--lag", type=int, default=None, help="years by which inputs lead the output (default: 2 patents, 1 articles)"
    )
    parser.add_argument("--first-year", type=int, default=2000, help="first output year (default: %(default)s)")
    parser.add_argument("--last-year", type=int, default=2023, help="last output year (default: %(default)s)")
    parser.add_argument(
        "--min-obs", type=int, default=5, help="minimum observations per economy (default: %(default)s)"
    )
    parser.add_argument(
        "--controls", default="", help=f"comma-separated size controls: {', '.join(CONTROLS)} (default: none)"
    )
    parser.add_argument(
        "--per-capita",
        action="store_true",
        help="output per million people on R&D intensity and researchers per million (default: levels)",
    )
    parser.add_argument("--exclude", default="", help="comma-separated ISO3 codes of economies to drop, e.g. CHN")
    parser.add_argument(
        "--breaks",
        default="none",
        help=f"series breaks: {', '.join(BREAK_HANDLING)} (segments: one effect per break-free segment)",
    )
    parser.add_argument("--interpolate", action="store_true", help="fill interior gaps of the inputs log-linearly")
    add_format_argument(parser)


def run(args) -> int:
    from analysis.cli import render
    from analysis.data import load
    from analysis.kpf.panel import choice

    estimator = choice(args.estimator, ESTIMATORS, "estimator")
    panel = build_panel(
        load("wdi"),
        load("countries"),
        output=args.output,
        lag=args.lag,
        first_year=args.first_year,
        last_year=args.last_year,
        min_obs_per_country=args.min_obs,
        controls=_split(args.controls),
        specification="per_capita" if args.per_capita else "levels",
        exclude=_split(args.exclude),
        interpolate=args.interpolate,
        breaks=args.breaks,
    )
    print(render(fit(panel, estimator).table(), args.format))
    return 0
