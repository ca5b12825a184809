"""Instructor batch runs: audit every group of a class, resumably, in parallel or in shards.

``classlist`` reads who to audit, ``shard`` picks a deterministic slice, ``runner`` clones and
audits (one process per repository at a time), ``outputs`` writes ``summary.csv`` and
``results.jsonl``, ``merge`` combines the outputs of several shards.
"""
