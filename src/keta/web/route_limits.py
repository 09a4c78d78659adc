"""How many bytes each route's body may have, computed from what its form or schema can hold.

JSON and urlencoded forms are small (64 KiB); the group submission holds up to the policy's largest
group; the portal's upload forms hold their files at the policy's limits plus the sealed tokens
they carry between steps. Anything else gets the small default, so a new route is bounded until
someone decides it needs more.
"""

from __future__ import annotations

from keta.domain.attachments import MAX_ATTACHMENT_BYTES
from keta.domain.policy import Policy
from keta.services import photos, requests, uploads
from keta.web.body_limits import FORM_BYTES, JSON_BYTES, KIB, MEMBER_JSON_BYTES, WEBHOOK_BYTES, RouteLimits
from keta.web.carrier.manifest import MAX_BODY_BYTES as CARRIER_BODY_BYTES
from keta.web.portal.uploads import CSV_MAX_BYTES, PHOTOS_PER_ROUND

UTF8_MAX = 4  # bytes per character, at worst


def sealed(size: int) -> int:
    """A value carried as a sealed token (JSON with base64 inside, encrypted, base64url again)."""
    return size * 16 // 9 + KIB


def largest_group(policy: Policy) -> int:
    return max((entry.value for entry in policy.max_group_size.entries), default=1)


def route_limits(policy: Policy) -> RouteLimits:
    photo = policy.photo.max_bytes
    group_json = largest_group(policy) * MEMBER_JSON_BYTES + JSON_BYTES
    # The JSON APIs take photos base64 (a multipart body with the raw file is smaller still).
    api_photo = photos.base64_chars(photo) + KIB
    application_json = JSON_BYTES + api_photo
    group_with_photos = group_json + photos.PHOTOS_PER_REQUEST * api_photo
    application_form = photo + uploads.PAGE_MAX_BYTES + sealed(photo) + FORM_BYTES
    follow_up = requests.MAX_DOCUMENTS * MAX_ATTACHMENT_BYTES + requests.MAX_TEXT * UTF8_MAX + FORM_BYTES
    return RouteLimits(
        default=FORM_BYTES,
        exact={
            "/api/v1/applications": application_json,
            "/api/v1/groups": group_with_photos,
            "/api/v1/agency/applications": application_json,
            "/api/v1/agency/groups": group_with_photos,
            "/api/v1/carrier/checks": CARRIER_BODY_BYTES,  # 1,000 passengers, read and bounded per row
            "/payments/webhook": WEBHOOK_BYTES,
            "/apply": application_form,
            "/apply/submit": application_form,
            "/group": CSV_MAX_BYTES + sealed(group_json) + FORM_BYTES,
            "/group/photos": PHOTOS_PER_ROUND * photo + FORM_BYTES,
            "/status/answer": follow_up,
            "/status/redress": follow_up,
        },
        prefixes={"/api/": JSON_BYTES},
        around={
            ("/api/v1/applications/", "/photo"): application_json,
            ("/api/v1/agency/applications/", "/photo"): application_json,
        },
    )
