"""keta bench lookup-timing: does a look-up take as long for an unknown reference as for a known
reference with the wrong passport number? (If not, the time tells a prober which references exist.)

Both paths run many times in this process against a real, migrated database (a temporary SQLite
file, or a fresh schema in PostgreSQL), interleaved in a random order so drift and caches touch both
alike, each sample in a fresh session as a request would have, the cyclic GC paused while timed. Two contestants:

- **keta**: `keta.services.status.find_application` — the same one-row query, index computation and
  constant-time comparison on both paths (against a decoy when the reference is unknown);
- **baseline**: the look-up as it was before — load the whole application, and stop at once when
  there is none (no index computed, no comparison made).

Printed per contestant: the median of each path, their difference, and the ratio unknown / wrong.
"""

from __future__ import annotations

import gc
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from keta.adapters.clock import FixedClock
from keta.adapters.crypto import Keyring
from keta.adapters.payments import SandboxPayments
from keta.adapters.policy_files import load_policy
from keta.bench.rotation import NOW, scratch_database, seed
from keta.db.repositories import applications as repo
from keta.domain.errors import NotFound
from keta.services import pii, status
from keta.services.references import normalize_reference
from keta.services.runtime import Runtime

WRONG, UNKNOWN = "wrong passport", "unknown reference"
WRONG_NUMBER = "X00000000"
LookUp = Callable[[Session, Runtime, str, str], object]


def keta_lookup(session: Session, rt: Runtime, reference: str, number: str) -> object:
    return status.find_application(session, rt, reference=reference, passport_number=number)


def baseline_lookup(session: Session, rt: Runtime, reference: str, number: str) -> object:
    application = repo.by_reference(session, normalize_reference(reference))
    if application is None or application.passport_key not in pii.passport_keys(
        rt.keyring, application.nationality, number
    ):
        raise NotFound()
    return application


CONTESTANTS: dict[str, LookUp] = {"keta": keta_lookup, "baseline": baseline_lookup}


@dataclass(frozen=True)
class PathTimes:
    contestant: str
    wrong_us: float  # median microseconds, known reference with the wrong passport number
    unknown_us: float  # median microseconds, unknown reference

    @property
    def difference_us(self) -> float:
        return self.unknown_us - self.wrong_us

    @property
    def ratio(self) -> float:
        return self.unknown_us / self.wrong_us if self.wrong_us else float("nan")


def _time(factory: sessionmaker[Session], rt: Runtime, look_up: LookUp, reference: str) -> float:
    """Microseconds of one look-up, in a fresh session, with the cyclic GC paused (as timeit does):
    a collection falls on whichever sample crosses the threshold, which says nothing of that path."""
    with factory() as session:
        gc.disable()
        try:
            started = time.perf_counter_ns()
            try:
                look_up(session, rt, reference, WRONG_NUMBER)
            except NotFound:
                pass
            else:
                raise RuntimeError(f"{reference} was found with a wrong passport number")
            return (time.perf_counter_ns() - started) / 1000
        finally:
            gc.enable()


def measure(
    factory: sessionmaker[Session], rt: Runtime, *, applications: int, samples: int, seed_: int
) -> list[PathTimes]:
    chance = random.Random(seed_)  # noqa: S311 - the order of the samples, not a secret
    times: dict[tuple[str, str], list[float]] = {(c, p): [] for c in CONTESTANTS for p in (WRONG, UNKNOWN)}
    work = [(c, p) for c in CONTESTANTS for p in (WRONG, UNKNOWN)]
    warm_up = max(50, samples // 10)
    for round_ in range(warm_up + samples):
        chance.shuffle(work)
        for contestant, path in work:
            n = chance.randrange(applications)
            reference = f"A{n:010d}" if path == WRONG else f"Z{n:010d}"
            elapsed = _time(factory, rt, CONTESTANTS[contestant], reference)
            if round_ >= warm_up:
                times[(contestant, path)].append(elapsed)
    return [
        PathTimes(c, statistics.median(times[(c, WRONG)]), statistics.median(times[(c, UNKNOWN)])) for c in CONTESTANTS
    ]


def run(
    database_url: str | None, *, applications: int, samples: int, seed_: int = 20261204
) -> tuple[str, list[PathTimes]]:
    key = "bench-lookup-data-key-Qm4Tz8Wx2Rb6Hn9Kc3Vd"
    keyring = Keyring(key)
    clock = FixedClock(NOW)
    rt = Runtime(load_policy("kr"), clock, keyring, SandboxPayments(secret=key, clock=clock))
    with scratch_database(database_url) as factory:
        seed(factory, keyring, count=applications, photo_kb=0)
        dialect = factory.kw["bind"].dialect.name
        return dialect, measure(factory, rt, applications=applications, samples=samples, seed_=seed_)


def render(dialect: str, results: list[PathTimes], *, applications: int, samples: int) -> list[str]:
    lines = [
        f"look-up timing on {dialect}: {applications:,} applications, {samples:,} samples per path and contestant",
        f"{'':10} {WRONG:>16} {UNKNOWN:>18} {'difference':>12} {'ratio':>7}",
    ]
    for r in results:
        lines.append(
            f"{r.contestant:10} {r.wrong_us:>13.1f} µs {r.unknown_us:>15.1f} µs "
            f"{r.difference_us:>+9.1f} µs {r.ratio:>7.3f}"
        )
    keta = next(r for r in results if r.contestant == "keta")
    base = next(r for r in results if r.contestant == "baseline")
    lines.append(
        f"gap |unknown - wrong|: keta {abs(keta.difference_us):.1f} µs, baseline {abs(base.difference_us):.1f} µs"
        + (f" (keta/baseline {abs(keta.difference_us) / abs(base.difference_us):.3f})" if base.difference_us else "")
    )
    return lines
