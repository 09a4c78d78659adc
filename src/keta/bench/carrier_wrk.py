"""`keta bench carrier`, part 2: the load generator — wrk (Debian's package), a separate process.

wrk keeps N connections busy (closed loop: each connection sends its next request when the
previous answer arrives), so "clients" are concurrent connections. It is written in C and uses
little CPU, which matters on a 2-core machine where the client steals from the server it measures.
The request bodies come from a Lua script rendered here: passenger i is recomputed exactly as the
loader wrote it (`carrier_load.passenger_facts`), and every tenth passenger is a document that was
never loaded (answered NOT_OK), so look-ups hit and miss as they would at a gate.
"""

from __future__ import annotations

import json
import re
import statistics
import subprocess
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from keta.bench.carrier_load import BIRTH_BASE, BIRTH_SPREAD_DAYS, BIRTH_STEP

_RESULT = re.compile(r"^KETA-BENCH (\{.*\})$", re.MULTILINE)

_SCRIPT = """
local N, SIZE, BODIES = {rows}, {size}, {bodies}
local NATS = {{{nationalities}}}
local BIRTH_BASE, SPREAD, STEP = {birth_base}, {spread}, {step}
local ARRIVAL, PATH = "{arrival}", "{path}"
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer {key}"

local drawn = 0
local function passenger()
  drawn = drawn + 1
  local i = math.random(0, N - 1)
  local nat = NATS[(i % #NATS) + 1]
  local prefix = (drawn % 10 == 0) and "Z" or "B"
  local birth = os.date("!%Y-%m-%d", BIRTH_BASE + ((i * STEP) % SPREAD) * 86400)
  return string.format('{{"document_number":"%s%08d","issuing_country":"%s","nationality":"%s",' ..
    '"birth_date":"%s","arrival_date":"%s"}}', prefix, i, nat, nat, birth, ARRIVAL)
end
local function body()
  local rows = {{}}
  for k = 1, SIZE do rows[k] = passenger() end
  return '{{"passengers":[' .. table.concat(rows, ",") .. ']}}'
end

-- Manifests are prepared once per thread (300 passengers cost the client more than the server
-- should pay for); single checks are drawn fresh for every request.
local prepared = {{}}
function init(args)
  math.randomseed({seed} + os.time())
  for k = 1, BODIES do prepared[k] = body() end
end
local sent = 0
function request()
  sent = sent + 1
  local payload = BODIES > 0 and prepared[(sent % BODIES) + 1] or body()
  return wrk.format(nil, PATH, nil, payload)
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('KETA-BENCH {{"requests":%d,"duration_us":%d,"non2xx":%d,"errors":%d,' ..
    '"p50_us":%d,"p99_us":%d,"max_us":%d}}\\n', summary.requests, summary.duration, e.status,
    e.connect + e.read + e.write + e.timeout, latency:percentile(50), latency:percentile(99), latency.max))
end
"""


@dataclass(frozen=True)
class Scenario:
    label: str
    path: str
    size: int  # passengers per request
    prepared_bodies: int  # 0: a fresh body per request


@dataclass(frozen=True)
class Measured:
    scenario: Scenario
    clients: int
    requests: int
    seconds: float
    non_2xx: int
    errors: int
    p50_ms: float
    p99_ms: float
    server_cpu_seconds: float = 0.0  # keta's processes, during the run

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def cpu_ms_per_request(self) -> float:
        return self.server_cpu_seconds * 1000 / self.requests if self.requests else 0.0


def combine(rounds: list[Measured]) -> Measured:
    """Rounds of one scenario as one: requests over time in total; latencies as the median of
    the rounds' percentiles (wrk's histograms are not merged)."""
    first = rounds[0]
    return Measured(
        first.scenario,
        first.clients,
        sum(r.requests for r in rounds),
        sum(r.seconds for r in rounds),
        sum(r.non_2xx for r in rounds),
        sum(r.errors for r in rounds),
        statistics.median(r.p50_ms for r in rounds),
        statistics.median(r.p99_ms for r in rounds),
        sum(r.server_cpu_seconds for r in rounds),
    )


def script(scenario: Scenario, *, rows: int, nationalities: tuple[str, ...], arrival: date, key: str, seed: int) -> str:
    return _SCRIPT.format(
        rows=rows,
        size=scenario.size,
        bodies=scenario.prepared_bodies,
        nationalities=", ".join(f'"{n}"' for n in nationalities),
        birth_base=int((BIRTH_BASE - date(1970, 1, 1)).total_seconds()),
        spread=BIRTH_SPREAD_DAYS,
        step=BIRTH_STEP,
        arrival=arrival.isoformat(),
        path=scenario.path,
        key=key,
        seed=seed,
    )


def run(wrk: str, base: str, lua: Path, *, scenario: Scenario, clients: int, seconds: float) -> Measured:
    command = [wrk, "-t1", f"-c{clients}", f"-d{max(1, round(seconds))}s", "--timeout", "10s", "-s", str(lua), base]
    completed = subprocess.run(command, capture_output=True, text=True, check=False, timeout=seconds + 60)  # noqa: S603
    found = _RESULT.search(completed.stdout)
    if completed.returncode != 0 or found is None:
        raise RuntimeError(
            f"wrk failed ({completed.returncode}): {completed.stderr.strip() or completed.stdout[-500:]}"
        )
    raw = json.loads(found.group(1))
    return Measured(
        scenario,
        clients,
        raw["requests"],
        raw["duration_us"] / 1e6,
        raw["non2xx"],
        raw["errors"],
        raw["p50_us"] / 1000,
        raw["p99_us"] / 1000,
    )
