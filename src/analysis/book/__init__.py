"""The book machinery: the papermill pipeline, results tables, the claims ledger and its verdict
rules, number formatting and glue helpers, and the figure house style."""
