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
