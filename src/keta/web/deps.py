"""Request-scoped dependencies. The session dependency is where a request's transaction ends:
commit when the endpoint returned, roll back when it raised — before the response is sent
(`scope="function"`), so a client never sees 201 for data that failed to commit."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated
from urllib.parse import urljoin

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from keta.db.session import session_scope
from keta.i18n import negotiate
from keta.services.runtime import Runtime


def get_session(request: Request) -> Iterator[Session]:
    with session_scope(request.app.state.sessionmaker) as session:
        yield session


def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


def get_locale(request: Request) -> str:
    return negotiate(request.headers.get("accept-language"), explicit=request.query_params.get("lang"))


SessionDep = Annotated[Session, Depends(get_session, scope="function")]
RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
LocaleDep = Annotated[str, Depends(get_locale)]


def absolute_url(request: Request, path_or_url: str) -> str:
    """`path_or_url` made absolute against KETA_PUBLIC_URL when set, else against this request.

    A return address handed to a payment gateway must not come from the request's Host header
    (anyone can send any Host), so production requires KETA_PUBLIC_URL.
    """
    public = request.app.state.settings.public_url
    base = public.rstrip("/") + "/" if public else str(request.base_url)
    return urljoin(base, path_or_url)
