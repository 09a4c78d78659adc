"""The carrier API, `POST /api/v1/carrier/checks`: a frozen, versioned contract for airlines.

It shares input field types and the error body with the rest of the HTTP edge through neutral
modules (keta.web.fields, keta.web.errors, keta.web.openapi), never through keta.web.api.
"""

from keta.web.carrier.routes import CONCURRENT_CHECKS, router

__all__ = ["CONCURRENT_CHECKS", "router"]
