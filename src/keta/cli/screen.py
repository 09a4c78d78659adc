"""keta screen / keta names compare — screening in one process, without a database."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

import click

from keta.adapters.watchlist_sources import read_watchlist
from keta.cli.context import load_settings
from keta.cli.context import policy as load_policy
from keta.domain.screening.model import PartialDate, Query
from keta.domain.screening.normalize import InvalidName
from keta.screening.engine import Engine, compare_names


def parse_query(raw: Any, line: int) -> Query | dict[str, Any]:
    """A Query, or the error line to print instead (the output keeps one line per input line)."""
    if not isinstance(raw, dict):
        return {"id": None, "line": line, "error": {"code": "invalid_format", "fields": []}}
    fields: list[dict[str, str]] = []
    surname, given = raw.get("surname"), raw.get("given_names") or ""
    if not isinstance(surname, str) or not surname.strip():
        fields.append({"path": "surname", "code": "required"})
    if not isinstance(given, str):
        fields.append({"path": "given_names", "code": "invalid_type"})
    birth = None
    if raw.get("birth_date"):
        try:
            birth = PartialDate.parse(str(raw["birth_date"]))
        except ValueError:
            fields.append({"path": "birth_date", "code": "invalid_date"})
    nationality = raw.get("nationality")
    if nationality is not None and (
        not isinstance(nationality, str) or len(nationality) != 3 or not nationality.isalpha()
    ):
        fields.append({"path": "nationality", "code": "invalid_country_code"})
    sex = raw.get("sex")
    if sex is not None and sex not in ("M", "F", "X"):
        fields.append({"path": "sex", "code": "invalid_choice"})
    if fields:
        return {"id": raw.get("id"), "error": {"code": "invalid_input", "fields": fields}}
    assert isinstance(surname, str) and isinstance(given, str)
    return Query(
        id=str(raw.get("id", line)),
        surname=surname,
        given_names=given,
        birth_date=birth,
        nationality=nationality.upper() if isinstance(nationality, str) else None,
        sex=sex,
        passport_number=raw.get("passport_number"),
    )


def _lines(stream: TextIO) -> Iterator[tuple[int, Any]]:
    for number, text in enumerate(stream, start=1):
        if not text.strip():
            continue
        try:
            yield number, json.loads(text)
        except ValueError:
            yield number, None


@click.command("screen")
@click.option(
    "--watchlist",
    "watchlists",
    multiple=True,
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="FtM JSON lines or CSV (repeatable)",
)
@click.option("--input", "input_file", required=True, type=click.File("r", encoding="utf-8"))
@click.option("--output", "output_file", required=True, type=click.File("w", encoding="utf-8"))
@click.option("--limit", default=5, show_default=True, help="matches per applicant")
@click.option("--policy", default=None, help="policy whose screening thresholds apply (default: KETA_POLICY, else kr)")
def screen(
    watchlists: tuple[Path, ...], input_file: TextIO, output_file: TextIO, limit: int, policy: str | None
) -> None:
    """Screen applicants (JSON lines) against watchlist files; one result line per input line, in order."""
    started = time.perf_counter()
    chosen = load_policy(policy or load_settings(env="development").policy)
    entries = [entry for path in watchlists for entry in read_watchlist(path).entries()]
    engine = Engine.build(entries, thresholds=chosen.screening_thresholds, weights=chosen.screening_weights)
    click.echo(f"index: {len(engine.index)} entries in {time.perf_counter() - started:.1f}s", err=True)
    counts: dict[str, int] = {}
    for number, raw in _lines(input_file):
        query = parse_query(raw, number)
        if isinstance(query, dict):
            result: dict[str, Any] = query
        else:
            try:
                screened = engine.screen(query, limit=limit)
                result = {
                    "id": query.id,
                    "outcome": screened.outcome.value,
                    "matches": [
                        {"entity_id": m.entity_id, "score": m.score, "reasons": list(m.reasons)}
                        for m in screened.matches
                    ],
                }
            except InvalidName as exc:
                result = {
                    "id": query.id,
                    "error": {"code": "invalid_input", "fields": [{"path": "surname", "code": f"name_{exc.code}"}]},
                }
        key = str(result.get("outcome", "error"))
        counts[key] = counts.get(key, 0) + 1
        output_file.write(json.dumps(result, ensure_ascii=False) + "\n")
    click.echo(" ".join(f"{k}={v}" for k, v in sorted(counts.items())), err=True)
    sys.exit(1 if counts.get("error") else 0)


@click.group("names")
def names_group() -> None:
    """Name comparison tools."""


@names_group.command("compare")
@click.argument("names", nargs=-1)
@click.option("--input", "input_file", type=click.File("r", encoding="utf-8"), help='JSON lines {"id", "a", "b"}')
def compare(names: tuple[str, ...], input_file: TextIO | None) -> None:
    """Score two names ("NAME A" "NAME B"), or every pair of a JSON-lines file."""
    if input_file is None:
        if len(names) != 2:
            raise click.UsageError('give two names: keta names compare "NAME A" "NAME B"')
        result = compare_names(*names)
        click.echo(f"score {result.score:.3f} — {'match' if result.match else 'no match'}")
        for reason in result.reasons:
            click.echo(f"  {reason}")
        return
    for number, raw in _lines(input_file):
        if not isinstance(raw, dict) or not isinstance(raw.get("a"), str) or not isinstance(raw.get("b"), str):
            click.echo(
                json.dumps(
                    {
                        "id": raw.get("id") if isinstance(raw, dict) else None,
                        "line": number,
                        "error": {"code": "invalid_input", "fields": [{"path": "a|b", "code": "required"}]},
                    }
                )
            )
            continue
        pair = compare_names(raw["a"], raw["b"])
        click.echo(
            json.dumps(
                {"id": raw.get("id"), "score": pair.score, "match": pair.match, "reasons": list(pair.reasons)},
                ensure_ascii=False,
            )
        )


COMMANDS = [screen, names_group]
