"""The knowledge production function: how STI outputs (patents, articles) respond to STI inputs.

Chapter ``06_kpf``, command ``python -m analysis kpf``. Split by job:

- :mod:`~analysis.kpf.panel`: variables, calendar-year lags, sample rule, breaks and segments, interpolation;
- :mod:`~analysis.kpf.estimators`: two-way FE, pooled, between and PPML (pyfixest), wild cluster bootstrap;
- :mod:`~analysis.kpf.robustness`: the primary specification, its variants, influence, the specification curve;
- :mod:`~analysis.kpf.counterfactual`: input paths and what the Resolution 57 input targets would buy;
- :mod:`~analysis.kpf.report`: the chapter's computation, sentences and tables;
- :mod:`~analysis.kpf.glue`: the chapter's glued values, tables, figures and recorded results;
- :mod:`~analysis.kpf.figures`, :mod:`~analysis.kpf.cli`.
"""
