"""What one screening step concludes about an application."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Finding:
    """`refuse` or `review`, with reason codes and officer-facing detail. A step with nothing to say
    returns None instead."""

    action: str  # "refuse" | "review"
    reasons: tuple[str, ...]
    detail: dict[str, Any] = field(default_factory=dict)


def merged_detail(findings: list[Finding]) -> dict[str, Any]:
    """The officer-facing detail of several findings in one mapping ("watchlist" → matches, …)."""
    merged: dict[str, Any] = {}
    for finding in findings:
        merged.update(finding.detail)
    return merged
