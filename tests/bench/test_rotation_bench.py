"""keta bench key-rotation: both sides re-encrypt every row, and the ratio is printed."""

from __future__ import annotations

import re

from click.testing import CliRunner

from keta.cli import main


def test_the_rotation_bench_reports_both_sides_and_their_ratio() -> None:
    result = CliRunner().invoke(main, ["bench", "key-rotation", "--applications", "30", "--batch", "7"])
    assert result.exit_code == 0, result.output
    assert re.search(r"^\s+keta: 30 rows in [\d.]+ s = [\d,]+ rows/s$", result.output, re.M)
    assert re.search(r"^baseline: 30 rows in [\d.]+ s = [\d,]+ rows/s$", result.output, re.M)
    assert re.search(r"^ratio keta/baseline: [\d.]+ \(batches of 7", result.output, re.M)
