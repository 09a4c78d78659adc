"""keta eligibility — the eligibility rules from the command line, one case or a JSON-lines file."""

from __future__ import annotations

import json
import sys
from datetime import date
from typing import Any, TextIO

import click

from keta.cli.context import load_settings
from keta.cli.context import policy as load_policy_or_exit
from keta.domain.eligibility import PassportType, TravellerFacts, evaluate
from keta.domain.policy import Policy


def _decide(raw: dict[str, Any], policy: Policy) -> dict[str, Any]:
    problems = []
    values: dict[str, Any] = {}
    nationality = raw.get("nationality")
    if not isinstance(nationality, str) or len(nationality.strip()) != 3 or not nationality.strip().isalpha():
        problems.append({"path": "nationality", "code": "invalid_country_code"})
    for name in ("birth_date", "arrival_date"):
        try:
            values[name] = date.fromisoformat(str(raw[name]))
        except KeyError:
            problems.append({"path": name, "code": "required"})
        except ValueError:
            problems.append({"path": name, "code": "invalid_date"})
    try:
        passport_type = PassportType(raw.get("passport_type", "ordinary"))
    except ValueError:
        problems.append({"path": "passport_type", "code": "invalid_choice"})
    if problems:
        return {"error": {"code": "invalid_input", "fields": problems}}
    assert isinstance(nationality, str)
    decision = evaluate(
        TravellerFacts(nationality.strip().upper(), values["birth_date"], values["arrival_date"], passport_type), policy
    )
    return {"outcome": decision.outcome.value, "reasons": list(decision.reasons)}


def _run_file(stream: TextIO, policy: Policy) -> int:
    failures = 0
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            if not isinstance(raw, dict):
                raise ValueError
        except ValueError:
            result: dict[str, Any] = {"line": number, "error": {"code": "invalid_format", "fields": []}}
        else:
            result = {"id": raw.get("id"), **_decide(raw, policy)} if "id" in raw else _decide(raw, policy)
        failures += "error" in result
        click.echo(json.dumps(result, ensure_ascii=False))
    return failures


@click.command("eligibility")
@click.option("--nationality", help="ICAO alpha-3 code of the passport, e.g. TUR")
@click.option("--birth-date", help="YYYY-MM-DD")
@click.option("--arrival", "arrival_date", help="arrival date, YYYY-MM-DD (local to the scheme)")
@click.option("--passport-type", default="ordinary", type=click.Choice([t.value for t in PassportType]))
@click.option(
    "--input",
    "input_file",
    type=click.File("r", encoding="utf-8"),
    help="JSON lines: nationality, birth_date, arrival_date, optional id and passport_type",
)
@click.option("--json", "as_json", is_flag=True, help="print JSON")
@click.option("--policy", default=None, help="policy code or file (default: KETA_POLICY, else kr)")
def eligibility(
    nationality: str | None,
    birth_date: str | None,
    arrival_date: str | None,
    passport_type: str,
    input_file: TextIO | None,
    as_json: bool,
    policy: str | None,
) -> None:
    """Does a traveller need an authorization? Exit status 1 when any input was invalid."""
    rules = load_policy_or_exit(policy or load_settings(env="development").policy)
    if input_file is not None:
        sys.exit(1 if _run_file(input_file, rules) else 0)
    if not (nationality and birth_date and arrival_date):
        raise click.UsageError("give --nationality, --birth-date and --arrival, or --input FILE")
    result = _decide(
        {
            "nationality": nationality,
            "birth_date": birth_date,
            "arrival_date": arrival_date,
            "passport_type": passport_type,
        },
        rules,
    )
    if as_json or "error" in result:
        click.echo(json.dumps(result, ensure_ascii=False))
    else:
        click.echo(f"{result['outcome']} ({', '.join(result['reasons'])})")
    sys.exit(1 if "error" in result else 0)


COMMANDS = [eligibility]
