"""Viet Nam's national science, technology and innovation capacity, re-run with open data.

Each analysis lives in its own module (``growth``, ``researchers``, ``finance``,
``productivity``, ``technology``, ``regress``); ``analysis.data`` fetches, checks and
tidies the raw sources; ``analysis.pipeline`` executes the notebooks that make the book.
"""

__version__ = "0.1.0"
