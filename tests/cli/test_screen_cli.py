"""keta screen and keta names compare — without a database."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from keta.cli import main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "watchlists"


def test_screen_keeps_input_order_and_explains(tmp_path: Path) -> None:
    applicants = tmp_path / "applicants.jsonl"
    lines = [
        {
            "id": "a1",
            "surname": "KIM",
            "given_names": "MINJUN",
            "birth_date": "1988-04-01",
            "nationality": "KOR",
            "sex": "M",
        },
        {"id": "a2", "surname": "Nobody", "given_names": "Known", "birth_date": "1999-01-01", "nationality": "TUR"},
        {"id": "a3", "surname": "", "given_names": "X"},
        {"id": "a4", "surname": "FICTUS", "given_names": "ANNA MARIA", "birth_date": "1974-08", "nationality": "SWE"},
        {"id": "a5", "surname": "Fictus", "birth_date": "1974-13-01"},
    ]
    applicants.write_text("\n".join(json.dumps(line) for line in lines) + "\nnot json\n", encoding="utf-8")
    output = tmp_path / "out.jsonl"
    result = CliRunner().invoke(
        main,
        ["screen", "--watchlist", str(FIXTURES / "small.jsonl"), "--input", str(applicants), "--output", str(output)],
        catch_exceptions=False,
    )
    assert result.exit_code == 1  # some input lines were invalid
    rows = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    assert [row.get("id") for row in rows] == ["a1", "a2", "a3", "a4", "a5", None]
    assert rows[0]["outcome"] in ("review", "hit")
    assert rows[0]["matches"][0]["entity_id"] == "cli-2"
    assert any("김" in reason or "Kim" in reason for reason in rows[0]["matches"][0]["reasons"])
    assert rows[1] == {"id": "a2", "outcome": "clear", "matches": []}
    assert rows[2]["error"]["fields"] == [{"path": "surname", "code": "required"}]
    assert rows[3]["outcome"] == "hit"
    assert rows[4]["error"]["fields"] == [{"path": "birth_date", "code": "invalid_date"}]
    assert rows[5]["error"]["code"] == "invalid_format"


def test_names_compare_pair_and_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["names", "compare", "Ayşe Öztürk", "OEZTUERK, AYSE"])
    assert result.exit_code == 0
    assert result.output.startswith("score ")
    assert "match" in result.output.splitlines()[0] and "no match" not in result.output
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text(
        "\n".join(
            json.dumps(p)
            for p in [
                {"id": "p1", "a": "Александр Петров", "b": "PETROV ALEKSANDR"},
                {"id": "p2", "a": "Olaf Scholz", "b": "Angela Merkel"},
                {"id": "p3", "a": "", "b": "x"},
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["names", "compare", "--input", str(pairs)])
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [r["id"] for r in rows] == ["p1", "p2", "p3"]
    assert rows[0]["match"] is True and rows[0]["score"] >= 0.9
    assert rows[1]["match"] is False
    assert rows[2]["match"] is False and rows[2]["score"] == 0.0
