"""The agency API, `/api/v1/agency/…`: accredited travel agencies file for their customers.

It shares input and output shapes with the applicant API through neutral modules (keta.web.schemas,
keta.web.responses, keta.web.filing, keta.web.checkouts), never through keta.web.api or the portal.
"""

from fastapi import APIRouter

from keta.web.agency import applications, groups

router = APIRouter()
router.include_router(applications.router)
router.include_router(groups.router)

__all__ = ["router"]
