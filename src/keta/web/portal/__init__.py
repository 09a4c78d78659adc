"""The applicant portal: server-rendered pages over the same services as /api/v1.

Every page works without JavaScript (plain forms; POST-redirect-GET where something is saved) and
speaks the negotiated language (?lang=, then the `keta_lang` cookie, then Accept-Language).
"""

from __future__ import annotations

from fastapi import APIRouter

from keta.web.portal import (
    apply,
    confirm,
    follow_up,
    group,
    group_photos,
    group_status,
    lost_reference,
    manage,
    pages,
)

router = APIRouter(include_in_schema=False)
router.include_router(pages.router)
router.include_router(apply.router)
router.include_router(confirm.router)
router.include_router(group.router)
router.include_router(group_status.router)
router.include_router(group_photos.router)
router.include_router(follow_up.router)
router.include_router(manage.router)
router.include_router(lost_reference.router)

__all__ = ["router"]
