"""Checking a whole repository and keeping what it found.

``runner`` checks the repository (or some of its cases), asking the cache first and reading
the rest in parallel; ``case_problems`` every problem of one case, ``fields`` one document's
own, ``repository_level`` juhtum.yaml, the catalogue and the specialists; ``reading`` reads
documents and case folders; ``changed`` the cases a change touches (``--changed-since``,
paths) and the append-only records it takes back; ``result`` what a run found. The cache:
``cache`` (rows per case, git's word), ``cache_file`` (the database, trusted or not),
``cache_keys`` (what a row is keyed on).
"""
