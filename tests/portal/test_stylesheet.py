"""The portal's committed stylesheet (GOV.UK Frontend compiled by `make css`) is what the .scss and
the pinned package give, fetches nothing, and carries nothing of GOV.UK's own brand."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CSS = ROOT / "src" / "keta" / "web" / "portal" / "static" / "keta-govuk.css"
SASS = ROOT / "node_modules" / ".bin" / "sass"


def test_the_stylesheet_fetches_nothing_and_is_not_gov_uk_branded() -> None:
    text = CSS.read_text(encoding="utf-8-sig")
    rules = text[text.index("*/") + 2 :]  # after the licence notice, which names the Crown copyright
    assert "url(" not in rules and "@import" not in rules and "@font-face" not in rules
    assert "GDS Transport" not in rules and "crown" not in rules.lower() and "crest" not in rules.lower()
    assert "--govuk-brand-colour: #0b4144" in text  # keta's teal, not GOV.UK blue (#1d70b8)
    assert re.search(r"GOV\.UK Frontend 6\.6\.0.*MIT", text[:400])  # the licence notice is kept
    lock = json.loads((ROOT / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/govuk-frontend"]["version"] == "6.6.0"


@pytest.mark.skipif(not SASS.exists(), reason="sass is not installed (make node-deps)")
def test_the_committed_stylesheet_is_the_build_of_the_scss(tmp_path: Path) -> None:
    built = tmp_path / "keta-govuk.css"
    subprocess.run(
        [str(SASS), "--load-path=node_modules", "--style=compressed", "--no-source-map", "--quiet-deps",
         "tools/css/keta-govuk.scss", str(built)],
        cwd=ROOT, check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    assert built.read_bytes() == CSS.read_bytes(), "run `make css` and commit the result"
