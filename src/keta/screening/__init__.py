"""The screening engine: an in-memory candidate index over watchlist names plus the pure scoring
of `keta.domain.screening`. It holds data, does no I/O, and is rebuilt when a list changes."""
