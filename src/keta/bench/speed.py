"""Screening speed: build keta's index over N synthetic entities, measure queries/s, then brute force alike.

One process, one thread, one query per call, for both. Order: generate the watchlist and a fixed query set;
build keta's index (seconds; peak RSS from `getrusage`, which counts the whole process including the
synthetic list); run keta over the query set `repeats` times; drop keta's index; build the brute-force
baseline over the same entries and run it over the first `baseline_queries` queries of the same set (brute
force at 1,000,000 entities takes about a second per query, so it gets fewer queries and stops repeating
once it has used its time budget). Throughputs are medians of the runs; callers print the ratio last.
"""

from __future__ import annotations

import gc
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from keta.bench import Contestant, LabelledQuery, Screener
from keta.bench.baseline import BruteForceScreener
from keta.bench.namesakes import NAMESAKE_CATEGORY, NamesakeBuilder
from keta.bench.synthetic import DEFAULT_SEED, generate_watchlist, make_queries
from keta.domain.screening.model import Query, ScreeningOutcome

BASELINE_BUDGET_SECONDS = 120.0  # stop repeating brute-force runs after this much


def peak_rss_bytes() -> int:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak if sys.platform == "darwin" else peak * 1024)  # bytes on macOS, KiB on Linux


def current_rss_bytes() -> int | None:
    statm = Path("/proc/self/statm")
    if not statm.exists():
        return None
    return int(statm.read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def throughput(screener: Screener, queries: Sequence[Query], cpu: list[float] | None = None) -> float:
    """Queries per second of wall time; with `cpu`, also appends queries per second of this process's CPU time
    (on a shared machine the wall clock also counts the time other processes held the core)."""
    started, cpu_started = time.perf_counter(), time.process_time()
    for query in queries:
        screener.screen(query)
    if cpu is not None:
        cpu.append(len(queries) / max(time.process_time() - cpu_started, 1e-9))
    return len(queries) / max(time.perf_counter() - started, 1e-9)


@dataclass
class SpeedReport:
    label: str
    entities: int
    names: int = 0
    generation_seconds: float = 0.0
    queries: int = 0
    rss_before_build: int | None = None
    build_seconds: float = 0.0
    build_cpu_seconds: float = 0.0
    peak_rss_after_build: int = 0
    runs: list[float] = field(default_factory=list)
    cpu_runs: list[float] = field(default_factory=list)  # the same runs, queries per CPU second
    baseline_build_seconds: float = 0.0
    baseline_queries: int = 0
    baseline_runs: list[float] = field(default_factory=list)
    baseline_cpu_runs: list[float] = field(default_factory=list)
    peak_rss_end: int = 0
    recall: float = 0.0
    flag_rate: float = 0.0
    common_runs: list[float] = field(default_factory=list)  # queries/s on the namesake set's queries alone
    common_cpu_runs: list[float] = field(default_factory=list)
    namesake_seeds: list[int] = field(default_factory=list)
    namesake_recall: list[float] = field(default_factory=list)  # per seed, on the whole list
    namesake_fpr: list[float] = field(default_factory=list)
    namesake_review: list[float] = field(default_factory=list)
    # The same figures on query seeds no weight or threshold was chosen on (the seeds above are tuning data).
    held_out_seeds: list[int] = field(default_factory=list)
    held_out_recall: list[float] = field(default_factory=list)
    held_out_fpr: list[float] = field(default_factory=list)
    held_out_review: list[float] = field(default_factory=list)
    cpus: int = field(default_factory=lambda: os.cpu_count() or 1)

    @property
    def qps(self) -> float:
        return statistics.median(self.runs) if self.runs else 0.0

    @property
    def baseline_qps(self) -> float:
        return statistics.median(self.baseline_runs) if self.baseline_runs else 0.0

    @property
    def ratio(self) -> float:
        return self.qps / self.baseline_qps if self.baseline_qps else 0.0

    @property
    def cpu_ratio(self) -> float:
        base = statistics.median(self.baseline_cpu_runs) if self.baseline_cpu_runs else 0.0
        return statistics.median(self.cpu_runs) / base if base and self.cpu_runs else 0.0

    def ratio_line(self) -> str:
        runs = len(self.runs), len(self.baseline_runs)
        how = f"median of {runs[0]} runs" if runs[0] == runs[1] else f"medians of {runs[0]} and {runs[1]} runs"
        return f"speed ratio {self.label}/brute-force: {self.ratio:.1f}x ({how}; {self.cpu_ratio:.1f}x in CPU time)"

    def to_dict(self) -> dict[str, Any]:
        return dict(vars(self)) | {
            "qps": self.qps,
            "baseline_qps": self.baseline_qps,
            "ratio": self.ratio,
            "cpu_ratio": self.cpu_ratio,
        }


def _quality(screener: Screener, labelled: Sequence[LabelledQuery]) -> tuple[float, float]:
    """Speed means little without the quality it was bought at: recall on the perturbed names of
    listed persons, and how often a random other name is flagged, at the benchmark's scale."""
    found = positives = flagged = negatives = 0
    for item in labelled:
        outcome, matches = screener.screen(item.query)
        is_flagged = outcome is not ScreeningOutcome.CLEAR
        if item.expected_match:
            positives += 1
            found += is_flagged and any(m.entity_id == item.entity_id for m in matches)
        else:
            negatives += 1
            flagged += is_flagged
    return found / max(positives, 1), flagged / max(negatives, 1)


HELD_OUT_SEED_OFFSET = 9000  # query seeds seed+9000… : held out; seed+2000… are the tuning seeds


def _namesake_quality(
    screener: Screener,
    builder: NamesakeBuilder,
    report: SpeedReport,
    *,
    seeds: Sequence[int],
    n: int,
    held_out: bool = False,
) -> None:
    """Recall, false-positive rate and review rate of the namesake set on this list, one figure per seed."""
    into = (
        (report.held_out_seeds, report.held_out_recall, report.held_out_fpr, report.held_out_review)
        if held_out
        else (report.namesake_seeds, report.namesake_recall, report.namesake_fpr, report.namesake_review)
    )
    for seed in seeds:
        found = positives = flagged = negatives = namesakes = reviewed = 0
        for item in builder.queries(n, seed=seed):
            outcome, matches = screener.screen(item.query)
            is_flagged = outcome is not ScreeningOutcome.CLEAR
            if item.expected_match:
                positives += 1
                found += is_flagged and any(m.entity_id == item.entity_id for m in matches)
            else:
                negatives += 1
                flagged += is_flagged
                if item.category == NAMESAKE_CATEGORY:
                    namesakes += 1
                    reviewed += is_flagged
        seeds_out, recall_out, fpr_out, review_out = into
        seeds_out.append(seed)
        recall_out.append(found / max(positives, 1))
        fpr_out.append(flagged / max(negatives, 1))
        review_out.append(reviewed / max(namesakes, 1))


def _mean_worst(values: Sequence[float], worst: Callable[[Sequence[float]], float]) -> str:
    return f"{statistics.fmean(values):.4f} (worst {worst(values):.4f})" if values else "n/a"


def _rate(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:,.2f}"


def _mb(value: int | None) -> str:
    return "n/a" if value is None else f"{value / 2**20:,.0f} MB"


def run_speed(
    contestant: Contestant,
    *,
    entities: int,
    queries: int = 2000,
    baseline_queries: int = 20,
    repeats: int = 3,
    seed: int = DEFAULT_SEED,
    quality_seeds: int = 10,
    quality_queries: int = 1000,
    say: Callable[[str], None] = lambda _line: None,
) -> SpeedReport:
    report = SpeedReport(contestant.label, entities)
    started = time.perf_counter()
    data = generate_watchlist(entities, seed=seed)
    builder = NamesakeBuilder(data, seed=seed)  # the same list, 5 % of entries with a second candidate date
    report.generation_seconds = time.perf_counter() - started
    report.names = data.names

    def mixed(n: int, offset: int) -> list[LabelledQuery]:
        """Half the synthetic queries (perturbed list names, random strangers), half the namesake set's queries:
        common names drawn from the list's own pools — listed persons, their namesakes, other travellers."""
        synthetic = make_queries(data, n - n // 2, seed=seed + offset)
        return [x for pair in zip(synthetic, builder.queries(n // 2, seed=seed + offset), strict=False) for x in pair]

    labelled_queries = mixed(queries, 0)
    fixed = [labelled.query for labelled in labelled_queries]
    report.queries = len(fixed)
    say(f"generated {entities:,} entities ({report.names:,} names) in {report.generation_seconds:.1f} s")
    gc.collect()
    report.rss_before_build = current_rss_bytes()
    started, cpu_started = time.perf_counter(), time.process_time()
    screener = contestant.build(builder.entries)
    report.build_seconds = time.perf_counter() - started
    report.build_cpu_seconds = time.process_time() - cpu_started
    report.peak_rss_after_build = peak_rss_bytes()
    say(
        f"{contestant.label}: index built in {report.build_seconds:.1f} s ({report.build_cpu_seconds:.1f} s of CPU); "
        f"RSS before the build "
        f"{_mb(report.rss_before_build)}, peak RSS after it {_mb(report.peak_rss_after_build)} "
        "(whole process, synthetic list included)"
    )
    # A warm-up pass (not counted) on queries of their own, then each timed run on a fresh set: the
    # index's per-token caches warm up as in a running service, but never on the very queries timed.
    throughput(screener, [q.query for q in mixed(min(queries, 500), 1000)])
    for run in range(repeats):
        batch = fixed if run == 0 else [q.query for q in mixed(queries, run)]
        report.runs.append(throughput(screener, batch, report.cpu_runs))
        common = [q.query for q in builder.queries(queries // 2, seed=seed + 500 + run)]
        report.common_runs.append(throughput(screener, common, report.common_cpu_runs))
    report.recall, report.flag_rate = _quality(screener, labelled_queries)
    _namesake_quality(
        screener, builder, report, seeds=[seed + 2000 + i for i in range(quality_seeds)], n=quality_queries
    )
    held_out_seeds = [seed + HELD_OUT_SEED_OFFSET + i for i in range(quality_seeds)]
    _namesake_quality(screener, builder, report, seeds=held_out_seeds, n=quality_queries, held_out=True)
    say(
        f"{contestant.label}: on these queries recall {report.recall:.3f} of the perturbed list names, and "
        f"{report.flag_rate:.3f} of the random other names flagged (at this size many share a name with someone listed)"
    )
    say(
        f"{contestant.label}: {_rate(report.qps)} queries/s over {len(fixed):,} queries, one thread, after a "
        f"warm-up (median of {repeats} runs on different query sets: {', '.join(_rate(r) for r in report.runs)}; "
        f"{report.cpus} CPUs on this machine); {_rate(statistics.median(report.cpu_runs))} queries per CPU second"
    )
    say(
        f"{contestant.label}: {_rate(statistics.median(report.common_runs))} queries/s on common names alone (the "
        f"namesake set's queries, the slow case; runs: {', '.join(_rate(r) for r in report.common_runs)}); "
        f"{_rate(statistics.median(report.common_cpu_runs))} queries per CPU second"
    )
    for part, (recall, fpr, review) in (
        ("tuning", (report.namesake_recall, report.namesake_fpr, report.namesake_review)),
        ("held-out", (report.held_out_recall, report.held_out_fpr, report.held_out_review)),
    ):
        say(
            f"{contestant.label}: namesake set on this list, {part} query seeds "
            f"({len(recall)} of {quality_queries:,}): "
            f"recall {_mean_worst(recall, min)}, false-positive rate {_mean_worst(fpr, max)}, "
            f"review rate (innocent namesakes) {_mean_worst(review, max)}"
        )
    del screener
    gc.collect()
    started = time.perf_counter()
    brute = BruteForceScreener(builder.entries)
    report.baseline_build_seconds = time.perf_counter() - started
    subset = fixed[:baseline_queries]
    report.baseline_queries = len(subset)
    budget = time.perf_counter() + BASELINE_BUDGET_SECONDS
    for _ in range(repeats):
        report.baseline_runs.append(throughput(brute, subset, report.baseline_cpu_runs))
        if time.perf_counter() > budget:
            break
    report.peak_rss_end = peak_rss_bytes()
    say(
        f"brute force (rapidfuzz token_sort_ratio over {brute.names:,} folded names): folded in "
        f"{report.baseline_build_seconds:.1f} s; {_rate(report.baseline_qps)} queries/s over the first "
        f"{len(subset)} queries of the same set ({', '.join(_rate(r) for r in report.baseline_runs)}); "
        f"{_rate(statistics.median(report.baseline_cpu_runs))} queries per CPU second"
    )
    return report  # the caller prints report.ratio_line() last
