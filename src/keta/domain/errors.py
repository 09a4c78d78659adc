"""Errors the domain raises. They carry codes, never HTTP statuses (the web edge maps them).

DomainError
├── IllegalTransition        an application cannot move from its state to the requested one
├── InvalidInput             one or more fields are wrong; `.fields` lists (path, code) pairs
│   └── GroupInvalid         per-member errors of a group submission
├── ReapplicationBlocked     the re-application cap applies until `.until`
├── NotFound                 no such application/group for the given credentials
├── Conflict                 the request clashes with the current state (e.g. already paid)
├── NotAuthenticated         no valid credentials: a missing, wrong or revoked key
├── Forbidden                a known caller that may not do this now (e.g. a suspended carrier)
└── RateLimited              too many requests; retry after `.retry_after_seconds`
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


class DomainError(Exception):
    code = "domain_error"


@dataclass(frozen=True, slots=True)
class FieldProblem:
    path: str  # e.g. "members[3].passport.number"
    code: str  # e.g. "required", "check_digit", "too_long"
    params: tuple[tuple[str, str | int], ...] = ()  # values a message needs, e.g. (("max", 50),)


class InvalidInput(DomainError):
    code = "invalid_input"

    def __init__(self, fields: list[FieldProblem] | tuple[FieldProblem, ...]) -> None:
        self.fields = tuple(fields)
        super().__init__(", ".join(f"{f.path}: {f.code}" for f in self.fields))


class GroupInvalid(InvalidInput):
    code = "group_invalid"


class IllegalTransition(DomainError):
    code = "illegal_transition"

    def __init__(self, current: str, requested: str) -> None:
        self.current, self.requested = current, requested
        super().__init__(f"cannot go from {current} to {requested}")


class ReapplicationBlocked(DomainError):
    code = "reapplication_cap_reached"

    def __init__(self, until: date) -> None:
        self.until = until
        super().__init__(f"re-application possible from {until.isoformat()}")


class NotFound(DomainError):
    code = "not_found"


class Conflict(DomainError):
    code = "conflict"

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


class NotAuthenticated(DomainError):
    code = "unauthorized"

    def __init__(self, *, presented: bool) -> None:
        self.presented = presented  # a credential was sent (and was wrong), rather than none at all
        super().__init__("invalid credentials" if presented else "no credentials")


class Forbidden(DomainError):
    code = "forbidden"

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


class RateLimited(DomainError):
    code = "rate_limited"

    def __init__(self, retry_after_seconds: int) -> None:
        self.retry_after_seconds = retry_after_seconds
        super().__init__(f"retry after {retry_after_seconds} s")
