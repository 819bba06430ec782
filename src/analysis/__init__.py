"""Viet Nam's national science, technology and innovation capacity, re-run with open data.

The folders show the architecture, in layers that import only downwards (checked by
import-linter, ``lint-imports``):

- ``analysis.build``: the build system (runs and their cache, execution, publishing, sweeps, HTML);
- ``analysis.ledger_page``: the claims-ledger page, which reads every chapter's results;
- one package per analysis topic, each split by job (compute, report, figures, cli): ``rd``,
  ``researchers``, ``productivity``, ``gap``, ``kpf``, ``coverage``; then ``targets`` (the target
  tracker), which the R&D and researchers chapters read, and ``growth`` and ``egov``, which it reads;
- ``analysis.trends``: the one trend engine;
- ``analysis.style``: formatting, glue and the figure style;
- ``analysis.claims``: the claims table, the verdict rules and their history, results tables;
- ``analysis.data``: the source registry, fetch (mirror, official source, deposit), build and schemas;
- ``analysis.countries``, ``analysis.errors``, ``analysis.paths``, ``analysis.io``, ``analysis.cli``:
  shared small rules and the command-line entry point.
"""

__version__ = "0.1.0"
