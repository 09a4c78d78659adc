"""The individual form's fields as a browser posts them, built from the API's valid test body."""

from __future__ import annotations

from typing import Any

from tests.factories import application_json

PASSPORT_NUMBER = "U12345678"


def application_form(**overrides: Any) -> dict[str, str]:
    """`application_json(**overrides)` flattened to input names ("passport.number"); booleans as the
    radio values "true"/"false"; an unticked consent box is simply absent."""
    body = application_json(**overrides)
    form: dict[str, str] = {}
    for section in ("passport", "travel", "background"):
        for name, value in body.pop(section).items():
            form[f"{section}.{name}"] = _text(value)
    for name, value in body.items():
        if name == "consent":
            if value:
                form["consent"] = "true"
        elif name == "mrz":
            form["mrz.0"], form["mrz.1"] = value
        else:
            form[name] = _text(value)
    return form


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)
