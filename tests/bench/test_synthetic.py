"""The synthetic watchlist and queries (deterministic, shaped as documented) and the speed run on a small list."""

from __future__ import annotations

import gc
import re
from collections import Counter

import pytest

from keta.bench.baseline import BruteForceScreener, baseline_contestant
from keta.bench.speed import peak_rss_bytes, run_speed
from keta.bench.synthetic import LOCALES, Synthetic, generate_watchlist, load_pools, make_queries
from keta.domain.screening.model import ScreeningOutcome

N = 6000


@pytest.fixture(scope="module")
def synthetic() -> Synthetic:
    return generate_watchlist(N, seed=11)


def test_same_seed_same_list(synthetic: Synthetic) -> None:
    again = generate_watchlist(N, seed=11, pools=synthetic.pools)
    assert again.entries == synthetic.entries
    assert generate_watchlist(200, seed=12, pools=synthetic.pools).entries != synthetic.entries[:200]


def test_shape_of_the_list(synthetic: Synthetic) -> None:
    entries = synthetic.entries
    assert len({e.entity_id for e in entries}) == N
    assert all(len(e.birth_dates) == 1 and e.gender in ("M", "F") for e in entries)
    aliased = sum(len(e.names) == 2 for e in entries) / N
    assert 0.27 < aliased < 0.33
    full = sum(e.birth_dates[0].day is not None for e in entries) / N
    year_only = sum(e.birth_dates[0].month is None for e in entries) / N
    assert 0.62 < full < 0.68 and 0.22 < year_only < 0.28
    with_nationality = sum(bool(e.nationalities) for e in entries) / N
    assert 0.87 < with_nationality < 0.93
    nationalities = Counter(e.nationalities[0] for e in entries if e.nationalities)
    assert set(nationalities) == {nationality for _, nationality, _, _ in LOCALES}
    assert all(e.names[1].isascii() for e in entries if len(e.names) == 2)  # the alias is Latin
    assert any(not e.names[0].isascii() for e in entries)


def test_pools_come_from_faker_in_many_scripts() -> None:
    pools = load_pools()
    assert len(pools) == len(LOCALES)
    korean = next(p for p in pools if p.locale == "ko_KR")
    assert "김" in korean.surnames[0] and korean.latin["김"] == "GIM"
    russian = next(p for p in pools if p.locale == "ru_RU")
    assert russian.surnames[1][0].endswith("а")  # female surname forms


def test_generation_leaves_the_garbage_collector_as_it_was(synthetic: Synthetic) -> None:
    assert gc.isenabled()
    gc.disable()
    try:
        generate_watchlist(10, seed=1, pools=synthetic.pools)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_queries_are_latin_and_half_come_from_the_list(synthetic: Synthetic) -> None:
    queries = make_queries(synthetic, 400, seed=3)
    assert make_queries(synthetic, 400, seed=3) == queries
    assert all((q.query.surname + q.query.given_names).isascii() for q in queries)
    matches = [q for q in queries if q.expected_match]
    assert 160 < len(matches) < 240
    ids = {e.entity_id for e in synthetic.entries}
    assert all(q.entity_id in ids for q in matches)
    screener = BruteForceScreener(synthetic.entries)
    found = sum(
        any(m.entity_id == q.entity_id for m in screener.screen(q.query)[1])
        for q in matches
        if screener.screen(q.query)[0] is not ScreeningOutcome.CLEAR
    )
    assert found / len(matches) > 0.6  # drawn from the list, lightly perturbed


def test_speed_run_reports_every_number_and_the_ratio_last() -> None:
    lines: list[str] = []
    report = run_speed(
        baseline_contestant(),
        entities=1500,
        queries=12,
        baseline_queries=4,
        repeats=2,
        seed=2,
        quality_seeds=2,
        quality_queries=60,
        say=lines.append,
    )
    assert report.entities == 1500 and report.queries == 12 and report.baseline_queries == 4
    assert len(report.namesake_review) == 2 and all(0 <= r <= 1 for r in report.namesake_review)
    # held-out query seeds, reported apart from the tuning seeds
    assert len(report.held_out_review) == 2 and not set(report.held_out_seeds) & set(report.namesake_seeds)
    assert any("held-out query seeds" in line for line in lines)
    assert len(report.common_runs) == 2
    assert any("review rate (innocent namesakes)" in line for line in lines)
    assert len(report.runs) == 2 and len(report.baseline_runs) == 2
    assert report.qps > 0 and report.baseline_qps > 0 and report.build_seconds >= 0
    assert report.peak_rss_after_build > 0 and peak_rss_bytes() >= report.peak_rss_after_build
    assert re.fullmatch(
        r"speed ratio baseline/brute-force: \d+\.\dx \(median of 2 runs; \d+\.\dx in CPU time\)", report.ratio_line()
    )
    assert any("generated 1,500 entities" in line for line in lines)
    assert report.to_dict()["ratio"] == report.ratio
