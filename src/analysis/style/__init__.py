"""House style: numbers and words for prose (:mod:`.format`), glue and tables for the pages
(:mod:`.display`) and the figure style (:mod:`.plots`, ``house.mplstyle``).

Below the topics; above the claims layer only (a page glues a claim's printed value).
"""
