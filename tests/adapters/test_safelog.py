"""Safe logging: a traceback shows exception types and frames, never messages (which may quote the
request's values, or SQL parameters); the access log drops the query string. The formatters are
the ones `keta serve` hands uvicorn."""

from __future__ import annotations

import io
import logging
import logging.config

from keta.adapters.safelog import AccessFormatter, SafeFormatter, uvicorn_log_config

SECRET = "U98765432"


def _record(formatter: logging.Formatter, logger: str, message: str, *args: object, error: bool = False) -> str:
    exc_info = None
    if error:
        try:
            try:
                raise ValueError(f"parameters: ('{SECRET}',)")
            except ValueError as inner:
                raise RuntimeError(f"while saving {SECRET}") from inner
        except RuntimeError as exc:
            exc_info = (type(exc), exc, exc.__traceback__)
    record = logging.LogRecord(logger, logging.ERROR, __file__, 1, message, args or None, exc_info)
    return formatter.format(record)


def test_a_traceback_keeps_types_and_frames_and_drops_every_message() -> None:
    text = _record(SafeFormatter("%(message)s"), "uvicorn.error", "Exception in ASGI application", error=True)
    assert "Exception in ASGI application" in text
    assert "builtins.RuntimeError" in text and "builtins.ValueError" in text  # the chain, by type
    assert "test_safelog.py" in text  # the frames
    assert SECRET not in text


def test_the_access_line_keeps_method_path_and_status_without_the_query() -> None:
    formatter = AccessFormatter('%(client_addr)s "%(request_line)s" %(status_code)s')
    args = ("127.0.0.1:5000", "POST", f"/status?passport_number={SECRET}", "1.1", 422)
    line = _record(formatter, "uvicorn.access", '%s - "%s %s HTTP/%s" %d', *args)
    assert line == '127.0.0.1:5000 "POST /status HTTP/1.1" 422'


def test_uvicorns_loggers_are_configured_with_the_safe_formatters() -> None:
    logging.config.dictConfig(uvicorn_log_config("INFO"))
    try:
        for name, kind in (("uvicorn.error", SafeFormatter), ("uvicorn.access", AccessFormatter)):
            logger = logging.getLogger(name)
            handlers = logger.handlers or logging.getLogger("uvicorn").handlers
            assert handlers and all(isinstance(h.formatter, kind) for h in handlers), name
        stream = io.StringIO()
        handler = logging.getLogger("uvicorn").handlers[0]
        assert isinstance(handler, logging.StreamHandler)
        handler.setStream(stream)
        try:
            raise KeyError(SECRET)
        except KeyError:
            logging.getLogger("uvicorn.error").exception("Exception in ASGI application")
        assert "builtins.KeyError" in stream.getvalue() and SECRET not in stream.getvalue()
    finally:  # leave logging as the rest of the suite expects it
        for name in ("uvicorn", "uvicorn.access"):
            logging.getLogger(name).handlers.clear()
            logging.getLogger(name).propagate = True
