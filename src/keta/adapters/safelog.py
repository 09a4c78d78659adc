"""Logging that never carries personal data.

Exception messages can quote values (a constraint violation echoes the row; a decode error echoes
the input). So we log the exception *type* and the stack frames, never `str(exc)`; request bodies
are never logged at all.
"""

from __future__ import annotations

import logging
import traceback


def describe(exc: BaseException) -> str:
    frames = "".join(traceback.format_tb(exc.__traceback__))
    return f"{type(exc).__module__}.{type(exc).__name__}\n{frames}"


def configure(level: str = "INFO") -> None:
    logging.basicConfig(level=level.upper(), format="%(asctime)s %(levelname)s %(name)s %(message)s")
