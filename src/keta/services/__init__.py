"""Use cases. Each loads through repositories, calls the domain, persists and enqueues jobs.

Services `flush()` but never `commit()`: the edge (web request, CLI command, job) owns the
transaction. They take keyword-only arguments and a `Runtime` with the process-wide parts.
"""
