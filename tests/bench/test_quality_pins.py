"""Fixed-seed quality figures, pinned: a change that costs recall (or raises false alarms) fails here.

A small fixed subset of `keta bench screening-quality` (one seed per set, small sizes) so that it runs in
seconds. The pins are the figures measured when they were last moved on purpose; move them (with the bench's
full output in the commit message) only when a change is meant to trade one figure for another.
"""

from __future__ import annotations

import pytest

from keta.bench.namesakes import build_namesake_list
from keta.bench.own_names import spellings_of
from keta.bench.own_set import build_own_set
from keta.bench.quality import keta_contestant, screen_set
from keta.bench.seeded import NAMESAKE_SEED_OFFSETS, REVIEW_CATEGORY
from keta.domain.screening.lexicon import default_lexicon

SEED = 20261129
TOLERANCE = 0.01
# set → (recall, false-positive rate, review rate) at the fixed seed
# Moved on purpose with the corroboration rules (a partial listed date needs a complete name, a similar word that is a
# listed name of its own, the same sex): own_held_out 0.955 → 0.9375 and own_tuning 0.9125 → 0.905 are their cost;
# the namesake set's review rate at 1,000,000 entities fell from 2.0 % to under 0.5 % for it (`screening-speed`).
PINS = {
    "own_tuning": (0.905, 0.0025, 0.0),  # keta with the set's rows withheld from its data files
    "own_held_out": (0.9375, 0.0, 0.0),
    "namesakes_tuning": (0.9711, 0.0, 0.0),
    "namesakes_held_out": (0.9622, 0.0, 0.0),
}


def _figures(name: str) -> tuple[float, float, float]:
    if name.startswith("namesakes"):
        list_offset, query_offset = NAMESAKE_SEED_OFFSETS[name]
        builder = build_namesake_list(4000, seed=SEED + list_offset)
        data = builder.screening_set(900, seed=SEED + query_offset)
        contestant = keta_contestant()
    else:
        data = build_own_set(800, SEED, name.removeprefix("own_"))
        latin, native = spellings_of(data)
        contestant = keta_contestant(lexicon=default_lexicon().without(latin, native))
    score = screen_set(data, contestant)
    review = score.tallies[REVIEW_CATEGORY[name]]
    return score.recall, score.fpr, review.rate


@pytest.mark.parametrize("name", PINS)
def test_fixed_seed_figures_hold(name: str) -> None:
    recall, fpr, review = _figures(name)
    pinned_recall, pinned_fpr, pinned_review = PINS[name]
    assert recall >= pinned_recall - TOLERANCE, f"{name}: recall {recall:.4f} fell below the pin {pinned_recall}"
    assert fpr <= pinned_fpr + TOLERANCE, f"{name}: false-positive rate {fpr:.4f} rose above {pinned_fpr}"
    assert review <= pinned_review + TOLERANCE, f"{name}: review rate {review:.4f} rose above {pinned_review}"
