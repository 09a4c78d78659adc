"""The pure core of keta: values in, values out.

Nothing in this package does I/O, reads the environment or the clock, or imports a framework;
`tests/test_architecture.py` proves it. Callers pass `today`/`now` in. The domain answers with
reason codes (`keta.domain.reasons.Reason`), never sentences: the edges translate them.
"""
