"""Viet Nam's national science, technology and innovation capacity, re-run with open data.

The folders show the architecture:

- ``analysis.data``: the source registry, fetch (mirror, official source, deposit), build and schemas;
- ``analysis.book``: the machinery that makes the book (pipeline, results, claims ledger and verdict
  rules, formatting and glue, figure style, HTML build);
- ``analysis.trends`` and ``analysis.targets``: the one trend engine and the target tracker;
- one package per analysis topic, each split by job (compute, report, figures, cli): ``growth``,
  ``productivity``, ``researchers``, ``rd``, ``gap``, ``kpf``, ``coverage``;
- ``analysis.countries``, ``analysis.errors``, ``analysis.paths``, ``analysis.io``: shared small rules.
"""

__version__ = "0.1.0"
