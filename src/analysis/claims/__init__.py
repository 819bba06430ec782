"""The claims domain: the claims table and verdict rules (:mod:`.ledger`), the verdict vocabulary
and judging (:mod:`.verdicts`), the dated rule history (:mod:`.rule_history`), the sources' own
arithmetic (:mod:`.arithmetic`) and the notebooks' results tables (:mod:`.results`).

Below every topic: it knows claims, rules and results, never a chapter.
"""
