"""keta bench lookup-timing: both paths of both contestants measured, medians, difference and ratio
printed (the numbers themselves are the bench's to report, not this test's to judge)."""

from __future__ import annotations

import re

from click.testing import CliRunner

from keta.cli import main

NUMBER = r"[\d.]+ µs"


def test_the_lookup_timing_bench_prints_both_paths_the_difference_and_the_ratio() -> None:
    result = CliRunner().invoke(main, ["bench", "lookup-timing", "--applications", "20", "--samples", "100"])
    assert result.exit_code == 0, result.output
    assert "look-up timing on sqlite: 20 applications, 100 samples" in result.output
    for contestant in ("keta", "baseline"):
        row = rf"^{contestant}\s+{NUMBER}\s+{NUMBER}\s+[+-][\d.]+ µs\s+[\d.]+$"
        assert re.search(row, result.output, re.M), result.output
    assert re.search(r"^gap \|unknown - wrong\|: keta [\d.]+ µs, baseline [\d.]+ µs", result.output, re.M)
