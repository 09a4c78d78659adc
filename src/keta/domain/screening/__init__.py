"""Watchlist screening as a pure library: normalize names in any script, generate candidate keys,
compare with small explainable features, and triage into clear / review / hit.

The in-memory index that serves candidates lives in `keta.screening_index` (it is a data
structure, not a rule); everything here is deterministic and I/O-free.
"""
