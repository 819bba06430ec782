"""The build system: the runs and their cache (:mod:`.pipeline`, :mod:`.cache`), executing
notebooks (:mod:`.execute`), publishing them (:mod:`.publish`), sweeps (:mod:`.sweep`), the HTML
book (:mod:`.html`, :mod:`.mathjax`) and their command line (:mod:`.cli`).

The top layer: it knows runs and notebooks, and calls a topic only through the commands it serves.
"""
