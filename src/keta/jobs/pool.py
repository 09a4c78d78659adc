"""`keta worker --concurrency M`: one supervisor process and M worker processes.

Processes, not threads. Screening — most of a worker's time — is pure-Python CPU work, and
threads of one interpreter take turns under the GIL: four threads would screen no faster than
one. Four processes use four cores. They cost memory (each builds its own screening index, see
keta.services.engine_cache), which is why M is a setting to size against cores and RAM. They also
fail alone: a child killed by the OOM killer, a crashing C extension or `kill -9` takes down only
its own job, which the lease hands to another worker (keta.db.queue), and the supervisor starts a
replacement.

Each child is a plain `keta worker` (the same command with M=1) told its supervisor's pid, so it
stops by itself when the supervisor disappears (`kill -9` of the supervisor leaves no orphan
draining the queue unwatched). SIGTERM or SIGINT to the supervisor is passed on to every child,
which finishes the job in hand and exits; a child still busy after `stop_seconds` is killed
(its job's effects roll back and it is retried after the lease).
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

log = logging.getLogger("keta.worker")

QUICK_EXIT_SECONDS = 10.0  # a child that dies sooner than this after starting counts as a failed start
MAX_QUICK_EXITS = 5  # consecutive failed starts of one slot before the pool gives up (a bad setting, not bad luck)
MAX_RESTART_DELAY = 30.0


@dataclass
class _Slot:
    index: int
    process: subprocess.Popen[bytes] | None = None
    started: float = 0.0
    quick_exits: int = 0
    restart_at: float = 0.0


class PoolFailed(Exception):
    """A child keeps exiting right after it starts; the message says which and how."""


class WorkerPool:
    def __init__(
        self,
        command: Callable[[int], Sequence[str]],
        size: int,
        *,
        stop_seconds: float = 30.0,
        check_seconds: float = 0.5,
    ) -> None:
        if size < 1:
            raise ValueError("a pool needs at least one worker")
        self.command, self.size = command, size
        self.stop_seconds, self.check_seconds = stop_seconds, check_seconds
        self.stopping = threading.Event()
        self.slots = [_Slot(index) for index in range(size)]
        self.restarts = 0

    def pids(self) -> list[int]:
        return [slot.process.pid for slot in self.slots if slot.process is not None and slot.process.poll() is None]

    def stop(self) -> None:
        self.stopping.set()

    def run(self) -> None:
        """Start the children and keep M of them alive until `stop()`; then stop them all."""
        try:
            for slot in self.slots:
                self._start(slot)
            while not self.stopping.wait(self.check_seconds):
                for slot in self.slots:
                    self._watch(slot)
        finally:
            self._stop_all()

    def _start(self, slot: _Slot) -> None:
        slot.process = subprocess.Popen(list(self.command(slot.index)))  # noqa: S603 - our own command line
        slot.started = time.monotonic()
        log.info("worker pool: worker %d started as pid %d", slot.index, slot.process.pid)

    def _watch(self, slot: _Slot) -> None:
        process = slot.process
        if process is not None:
            code = process.poll()
            if code is None:
                return
            lived = time.monotonic() - slot.started
            slot.quick_exits = slot.quick_exits + 1 if lived < QUICK_EXIT_SECONDS else 0
            log.warning(
                "worker pool: worker %d (pid %d) exited with %d after %.0f s", slot.index, process.pid, code, lived
            )
            if slot.quick_exits >= MAX_QUICK_EXITS:
                raise PoolFailed(
                    f"worker {slot.index} exited {slot.quick_exits} times within {QUICK_EXIT_SECONDS:.0f} s of "
                    f"starting (last exit code {code}); stopping the pool"
                )
            delay = min(MAX_RESTART_DELAY, 0.5 * 2**slot.quick_exits) if slot.quick_exits else 0.0
            slot.process, slot.restart_at = None, time.monotonic() + delay
        if time.monotonic() >= slot.restart_at:
            self.restarts += 1
            self._start(slot)

    def _stop_all(self) -> None:
        running = [slot.process for slot in self.slots if slot.process is not None and slot.process.poll() is None]
        for process in running:
            _signal(process, signal.SIGTERM)
        deadline = time.monotonic() + self.stop_seconds
        for process in running:
            try:
                process.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log.warning("worker pool: pid %d still busy after %.0f s; killed", process.pid, self.stop_seconds)
                process.kill()
                process.wait()
        log.info("worker pool stopped")


def _signal(process: subprocess.Popen[bytes], signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # it exited meanwhile
        os.kill(process.pid, signum)


def watch_supervisor(supervisor_pid: int, on_gone: Callable[[], None], *, every: float = 1.0) -> threading.Thread:
    """In a child: call `on_gone` once the supervisor is no longer our parent (it died, we were
    re-parented). A daemon thread; polling `getppid()` works wherever fork semantics do."""

    def watch() -> None:
        while os.getppid() == supervisor_pid:
            time.sleep(every)
        log.warning("worker: supervisor %d is gone; stopping", supervisor_pid)
        on_gone()

    thread = threading.Thread(target=watch, name="keta-supervisor-watch", daemon=True)
    thread.start()
    return thread
