"""The border desk: for staff with the `border` role, the page at /border (under the back office's
staff sign-in, shared through keta.web.staff_auth) and the JSON API at /api/v1/border for border
systems (staff API keys). Neither imports keta.web.backoffice."""

from keta.web.border.api import router as api_router
from keta.web.border.pages import router

__all__ = ["api_router", "router"]
