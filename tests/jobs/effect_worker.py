"""A worker process for the crash tests, with a test-only job kind whose effect we can count.

`python tests/jobs/effect_worker.py DATABASE_URL WORKER_NAME LEASE_SECONDS`

The `test.effect` handler writes its effect (a row in lost_documents keyed by the job's marker and
attempt) *before* it sleeps on the first attempt, so a worker killed mid-job leaves an uncommitted
effect behind: if that ever reached the database, the test would count two.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from keta.adapters.clock import SystemClock
from keta.adapters.crypto import install_keyring
from keta.adapters.payments import SandboxPayments
from keta.adapters.policy_files import load_policy
from keta.db.engine import make_engine
from keta.db.models import LostDocument
from keta.db.session import make_sessionmaker
from keta.jobs.handlers import JobContext, handler
from keta.jobs.runner import Worker
from keta.services.runtime import Runtime

EFFECT = "test.effect"


@handler(EFFECT)
def effect(context: JobContext) -> None:
    marker = context.payload["marker"]
    context.session.add(LostDocument(document_key=f"RUN:{marker}:{context.attempt}", source="crash-test"))
    context.session.flush()
    if context.attempt == 1 and context.payload.get("stall_first_attempt"):
        Path(context.payload["started_file"]).write_text("started")
        time.sleep(120)  # killed here by the test


def main() -> None:
    url, name, lease = sys.argv[1], sys.argv[2], int(sys.argv[3])
    clock = SystemClock()
    sandbox = SandboxPayments(secret="crash-test-secret", clock=clock)
    runtime = Runtime(load_policy("kr"), clock, install_keyring("crash-test-key-0123456789"), sandbox)
    Worker(make_sessionmaker(make_engine(url)), runtime, lease_seconds=lease, poll_seconds=0.1, name=name).run_forever()


if __name__ == "__main__":
    main()
