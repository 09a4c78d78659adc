"""The exception a portal form's reader raises to refuse the request outright (a failed CSRF
check, a value no input may hold); the app answers it with the portal's error page."""

from __future__ import annotations

from collections.abc import Sequence

from keta.domain.errors import FieldProblem


class PortalRefusal(Exception):
    def __init__(self, status: int, code: str, problems: Sequence[FieldProblem] = ()) -> None:
        self.status, self.code, self.problems = status, code, tuple(problems)
        super().__init__(code)
