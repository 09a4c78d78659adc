"""The probe case through the command line: `keta screen` and `keta names compare` see through look-alike letters."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from keta.cli import main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "watchlists"
SURNAME, GIVEN = "Vymysl\u043ev", "\u0410l\u0435ks\u0430ndr"  # Cyrillic о; Cyrillic А, е, а
NAME_THRESHOLD = 0.80


def test_keta_screen_flags_the_probe_disguise_against_the_listed_person(tmp_path: Path) -> None:
    applicants = tmp_path / "applicants.jsonl"
    lines = [
        {"id": "probe", "surname": SURNAME, "given_names": GIVEN, "birth_date": "1980-03-03", "nationality": "RUS"},
        {"id": "zwj", "surname": "Vy\u200dmyslov", "given_names": "Alek\u200bsandr", "nationality": "RUS"},
    ]
    applicants.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
    output = tmp_path / "out.jsonl"
    watchlist = str(FIXTURES / "sample.jsonl")
    args = ["screen", "--watchlist", watchlist, "--input", str(applicants), "--output", str(output)]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    assert [row["id"] for row in rows] == ["probe", "zwj"]
    for row in rows:
        assert row["outcome"] in ("review", "hit"), row
        assert row["matches"][0]["entity_id"] == "kf-003"  # Александр Петрович Вымыслов / Aleksandr Vymyslov
    assert rows[0]["outcome"] == "hit"  # name, birth year and nationality all agree


@pytest.mark.parametrize("listed", ["Александр Петрович Вымыслов", "Aleksandr Vymyslov"])
def test_keta_names_compare_reaches_the_name_threshold(listed: str) -> None:
    result = CliRunner().invoke(main, ["names", "compare", listed, f"{GIVEN} Vymyslov"], catch_exceptions=False)
    assert result.exit_code == 0
    score = float(re.match(r"score (\d\.\d+)", result.output).group(1))  # type: ignore[union-attr]
    assert score >= NAME_THRESHOLD
    assert "no match" not in result.output
