"""Dates typed in three boxes (GOV.UK Frontend's date input: `name.day`, `name.month`, `name.year`)
become the one `name=YYYY-MM-DD` the API reads, before any form sees them. Forms that post the
ISO value directly (scripts, tests, the review page's hidden inputs) are left as they are.

A complete, numeric date is written out with its zeros ("7", "3", "2007" → "2007-03-07"); anything
else keeps what was typed ("2007-3-" …), which the API's date check refuses as `invalid_date` and
the form shows again in the boxes it came from. Three empty boxes are an empty answer (`required`).
"""

from __future__ import annotations

PARTS = ("day", "month", "year")


def join_dates(fields: dict[str, str]) -> dict[str, str]:
    """`fields` with every day/month/year triple joined into its date (changes `fields` in place)."""
    bases = {name.rpartition(".")[0] for name in fields if name.rpartition(".")[2] in PARTS and "." in name}
    for base in bases:
        day, month, year = (fields.pop(f"{base}.{part}", "").strip() for part in PARTS)
        if not (day or month or year):
            fields[base] = ""
        elif day.isdigit() and month.isdigit() and year.isdigit() and len(year) == 4 and len(day + month) <= 4:
            fields[base] = f"{year}-{int(month):02d}-{int(day):02d}"
        else:
            fields[base] = f"{year}-{month}-{day}"
    return fields
