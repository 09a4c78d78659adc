"""Logging that never carries personal data.

Exception messages can quote values (a constraint violation echoes the row; SQLAlchemy appends the
SQL parameters; a decode error echoes the input). So we log the exception *type* and the stack
frames, never `str(exc)`; request bodies are never logged at all.

Every handler — ours and uvicorn's, which `keta serve` hands `uvicorn_log_config()` — formats with
`SafeFormatter`: a traceback becomes types and frames only, whoever logged it (uvicorn's "Exception
in ASGI application" included). The access log keeps method, path, status and client, and drops
the query string, where a careless client might put a passport number.
"""

from __future__ import annotations

import logging
import traceback
from types import TracebackType
from typing import Any

FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"
ACCESS_FORMAT = '%(asctime)s %(levelname)s %(name)s %(client_addr)s "%(request_line)s" %(status_code)s'
_ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None] | tuple[None, None, None]


def describe(exc: BaseException) -> str:
    """The exception's type and frames, for every exception in its chain, never their messages."""
    parts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        frames = "".join(traceback.format_tb(current.__traceback__))
        parts.append(f"{type(current).__module__}.{type(current).__name__}\n{frames}")
        current = current.__cause__ or current.__context__
    return "caused by ".join(parts)


class SafeFormatter(logging.Formatter):
    """A formatter whose tracebacks show exception types and frames, never messages."""

    def formatException(self, ei: _ExcInfo) -> str:  # noqa: N802 - logging's own name
        exc = ei[1]
        return describe(exc) if exc is not None else ""


class AccessFormatter(SafeFormatter):
    """uvicorn's access record (client, method, path with query, version, status) without the query."""

    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802 - logging's own name
        args: Any = record.args
        if isinstance(args, tuple) and len(args) == 5:
            client, method, path, version, status = args
            record.client_addr = client
            record.request_line = f"{method} {str(path).split('?', 1)[0]} HTTP/{version}"
            record.status_code = status
        else:  # not the shape we know: say nothing rather than something personal
            record.client_addr, record.request_line, record.status_code = "-", "-", "-"
        return super().formatMessage(record)


def configure(level: str = "INFO") -> None:
    logging.basicConfig(level=level.upper(), format=FORMAT)
    for handler in logging.getLogger().handlers:
        handler.setFormatter(SafeFormatter(FORMAT))


def uvicorn_log_config(level: str = "INFO") -> dict[str, Any]:
    """uvicorn's loggers (`log_config=`), formatted by the classes above."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "safe": {"()": SafeFormatter, "fmt": FORMAT},
            "access": {"()": AccessFormatter, "fmt": ACCESS_FORMAT},
        },
        "handlers": {
            "default": {"class": "logging.StreamHandler", "formatter": "safe", "stream": "ext://sys.stderr"},
            "access": {"class": "logging.StreamHandler", "formatter": "access", "stream": "ext://sys.stdout"},
        },
        "loggers": {
            "uvicorn": {"handlers": ["default"], "level": level.upper(), "propagate": False},
            "uvicorn.error": {"level": level.upper()},
            "uvicorn.access": {"handlers": ["access"], "level": level.upper(), "propagate": False},
        },
    }
