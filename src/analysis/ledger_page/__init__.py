"""The claims-ledger page: every claim with its verdict, read from the claims layer, the results of
every chapter and the target tracker (:mod:`.report`)."""
