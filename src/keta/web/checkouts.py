"""Starting a checkout from a JSON API (the applicant API and the agency API alike)."""

from __future__ import annotations

from fastapi import Request
from sqlalchemy.orm import Session

from keta.db.models import Application
from keta.services import checkout
from keta.services.runtime import Runtime
from keta.web.deps import absolute_url
from keta.web.responses import PaymentOut


def start_checkout(
    request: Request,
    session: Session,
    rt: Runtime,
    *,
    return_url: str | None,
    applications: list[Application],
    description: str,
) -> tuple[int, dict[str, object]]:
    """201 and a new checkout, or 200 and the open one; nothing is paid until the provider's webhook."""
    started = checkout.start_checkout(
        session,
        rt,
        applications=applications,
        description=description,
        return_url=return_url or absolute_url(request, "/status"),
    )
    url = absolute_url(request, started.payment.checkout_url or "")
    out = PaymentOut.of(started.payment, started.applications, checkout_url=url, sandbox=rt.payments.sandbox)
    return (201 if started.created else 200), out.model_dump(mode="json")
