"""`keta bench carrier`, part 3: the servers under test — `keta serve --workers W` in production
mode on 127.0.0.1 (keta.bench.processes), with the hidden constant endpoint mounted."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from keta.bench import carrier_load
from keta.bench.processes import KetaProcess, cpu_seconds, free_port, peak_rss, production_env

__all__ = ["cpu_seconds", "peak_rss", "serving"]


@contextmanager
def serving(
    database_url: str, *, schema: str, workers: int, rate_limit_url: str, keys: dict[str, str], log: Path
) -> Iterator[tuple[str, int]]:
    env = production_env(
        carrier_load.schema_url(database_url, schema),
        keys=keys,
        # The carrier check never calls the gateway nor sends mail, so neither need exist.
        embedded_worker="false",
        bench_endpoints="true",
        rate_limit_url=rate_limit_url,
    )
    port = free_port()
    server = KetaProcess("keta serve", ["serve", "--port", str(port), "--workers", str(workers)], env, log, port)
    server.start()
    try:
        server.wait_ready()
        yield server.base, server.pid
    finally:
        server.stop()
