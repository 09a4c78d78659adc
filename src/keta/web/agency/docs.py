"""The agency API's documented answers besides success (each with the project's error body)."""

from __future__ import annotations

from keta.web.openapi import error_responses

_AUTH = {
    401: "no key, a wrong key or a revoked key (`unauthorized`; `WWW-Authenticate: Bearer`)",
    403: "the agency's accreditation is suspended (`agency_suspended`, `keta agency suspend`)",
    429: "the agency's requests per minute are used up (`rate_limited`); `Retry-After` says for how long",
}
_NOT_FILED = "no application or group with this reference filed by this agency"

FILE_RESPONSES = error_responses(
    {
        **_AUTH,
        409: "the re-application cap applies (`reapplication_cap_reached`)",
        413: "the body is larger than the route allows (one photo at the policy's limit, base64)",
        422: "a field is wrong, each named in `fields` (the photo as `photo_base64` or `photo`: `photo_no_face`, "
        "`photo_several_faces`, `photo_too_large`, `photo_wrong_format`, …); nothing is saved, no e-mail is sent",
    }
)
GROUP_RESPONSES = error_responses(
    {
        **_AUTH,
        413: "the body is larger than the route allows (the policy's largest group, ten photos at the limit)",
        422: "the group is refused whole, every problem named in `fields` (`members[2].photo_base64` or `photo.2` "
        "for a photo, `members` for more than ten photos); nothing is saved, no e-mail is sent",
    }
)
READ_RESPONSES = error_responses({**_AUTH, 404: _NOT_FILED, 422: "the reference is malformed (`reference`)"})
PHOTO_RESPONSES = error_responses(
    {
        **_AUTH,
        404: _NOT_FILED,
        409: "the application no longer waits for a photo (`photo_not_needed`)",
        413: "the body is larger than one photo at the policy's limit",
        422: "the photo is refused, named in `fields` as `photo_base64` or `photo`; nothing changes",
    }
)
PAY_RESPONSES = error_responses(
    {
        **_AUTH,
        404: _NOT_FILED,
        409: "not payable yet or any more: `confirmation_required` (the customer has not confirmed), "
        "`photo_required`, `already_paid`, `not_payable`, `pay_as_group`",
        422: "a field is wrong, each named in `fields`",
        503: "the payment provider did not answer (`payment_unavailable`); `Retry-After`",
    }
)
