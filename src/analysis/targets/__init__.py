"""The 2030 (and 2045) targets against the open data: measures, income thresholds and the tracker.

>>> from analysis.targets import tracker
>>> rows = tracker()          # one row per measurable target, verdict from analysis.trends.outlook
"""

from analysis.targets.tracker import COLUMNS, tracker

__all__ = ["COLUMNS", "tracker"]
