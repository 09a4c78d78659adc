"""keta mrz check LINE1 LINE2 — parse a passport MRZ (ICAO 9303 TD3) and verify its check digits."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime

import click

from keta.domain.mrz import parse_td3


@click.group("mrz")
def mrz_group() -> None:
    """Machine-readable zone tools."""


@mrz_group.command("check")
@click.argument("line1")
@click.argument("line2")
def check(line1: str, line2: str) -> None:
    """Print the parsed fields as JSON; exit status 1 when any check fails."""
    parsed = parse_td3(line1, line2, today=datetime.now(UTC).date())
    result = {
        "valid": parsed.valid,
        "fields": parsed.data.to_dict() if parsed.data else None,
        "problems": [{"field": p.field, "code": p.code.value} for p in parsed.problems],
    }
    click.echo(json.dumps(result, ensure_ascii=False, indent=2))
    sys.exit(0 if parsed.valid else 1)


COMMANDS = [mrz_group]
