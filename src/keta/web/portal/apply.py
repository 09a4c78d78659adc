"""The individual application: form (`/apply`, with the photo) → review → submitted (`/apply/submit`).

No step before the last saves anything: the review page carries the checked answers as hidden
inputs and the photo as a sealed token, "edit" brings them back into the form, and "submit" checks
them again and saves the application (then POST-redirect-GET to the confirmation).
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from keta.domain.applicant import check_applicant
from keta.domain.errors import FieldProblem, InvalidInput, ReapplicationBlocked
from keta.i18n import error_message, field_message, gettext
from keta.services import submission, uploads
from keta.services.runtime import Runtime
from keta.web.api.schemas import ApplicationIn
from keta.web.deps import RuntimeDep, SessionDep
from keta.web.idempotency import run_once
from keta.web.portal import cookies
from keta.web.portal.confirm import APP_COOKIE, seal
from keta.web.portal.facts import privacy_facts
from keta.web.portal.forms import (
    APPLICATION_FIELDS,
    FormState,
    agency_problems,
    application_body,
    validate,
    values_of,
)
from keta.web.portal.rendering import PageLocale, day, render
from keta.web.portal.review import rows
from keta.web.portal.uploads import PAGE, PHOTO_TOKEN, UploadData, attach_photo, open_photo, photo_token
from keta.web.portal.uploads import prefill_from_page as prefill

router = APIRouter()


def _form_context(
    rt: Runtime, locale: str, state: FormState, token: str | None = None, form_token: str | None = None
) -> dict[str, Any]:
    return {
        "privacy": privacy_facts(rt.policy, today=rt.today(), locale=locale),
        "state": state,
        "photo_token": token or "",
        "mrz_reading": uploads.mrz_reading_available(),
        # A fresh key per rendered form: a double click or a re-sent POST replays the first answer.
        "form_token": form_token or uuid.uuid4().hex,
    }


def checked_application(rt: Runtime, state: FormState, locale: str) -> ApplicationIn | None:
    """The form as the API's input when its shape and meaning are right (the same domain check the
    submission makes, so the review page never shows an application that would be refused)."""
    body = validate(ApplicationIn, application_body(state.values, locale), state, locale)
    agency = agency_problems(state.values)
    state.add(locale, agency)
    if body is None:
        if state.values["consent"] != "true":
            state.add(locale, [FieldProblem("consent", "must_be_true")])  # said now, not after the next try
        return None
    problems, _ = check_applicant(body.to_domain(), today=rt.today(), policy=rt.policy)
    state.add(locale, problems)
    return None if problems or agency else body


@router.get("/apply")
def application_form(request: Request, rt: RuntimeDep, locale: PageLocale) -> Response:
    context = _form_context(rt, locale, FormState(values_of({}, APPLICATION_FIELDS)))
    return render(request, locale, "apply.html", context)


@router.post("/apply")
def application_review(request: Request, form: UploadData, rt: RuntimeDep, locale: PageLocale) -> Response:
    state = FormState(values_of(form.fields, APPLICATION_FIELDS))
    if form.fields.get("action") == "prefill":  # from the eligibility result: its answers, no checks yet
        return render(request, locale, "apply.html", _form_context(rt, locale, state))
    if form.fields.get("action") == "read_page":  # the bio-page button: fill the form, check nothing else
        page = form.files.get(PAGE)
        read = page is not None and prefill(page, state, locale)
        if page is None:
            state.errors[PAGE] = field_message(locale, "required")
        token = photo_token(rt, form, FormState(), locale) if form.files or form.fields.get(PHOTO_TOKEN) else None
        context = _form_context(rt, locale, state, token, form.fields.get("form_token"))
        return render(request, locale, "apply.html", context, status=200 if read else 422)
    body = checked_application(rt, state, locale)
    token = photo_token(rt, form, state, locale)
    context = _form_context(rt, locale, state, token, form.fields.get("form_token"))
    if body is None or token is None:
        return render(request, locale, "apply.html", context, status=422)
    return render(request, locale, "review.html", {**context, "review": rows(state.values, locale)})


@router.post("/apply/submit")
def application_submit(
    request: Request, form: UploadData, session: SessionDep, rt: RuntimeDep, locale: PageLocale
) -> Response:
    state = FormState(values_of(form.fields, APPLICATION_FIELDS))
    token = form.fields.get(PHOTO_TOKEN, "")
    context = _form_context(rt, locale, state, token, form.fields.get("form_token"))
    if form.fields.get("action") == "edit":
        return render(request, locale, "apply.html", context)
    body = checked_application(rt, state, locale)
    photo = open_photo(rt, token)
    if photo is None:
        fresh = photo_token(rt, form, state, locale)  # says "required" next to the photo input
        photo = open_photo(rt, fresh) if fresh else None
    if body is not None and photo is not None:
        key = form.fields.get("form_token") or None
        response = _save(request, session, rt, body, photo, key, state, context, locale)
        if response is not None:
            return response
    session.rollback()  # nothing of a refused form is kept
    return render(request, locale, "apply.html", context, status=422)


def _save(
    request: Request,
    session: Session,
    rt: Runtime,
    body: ApplicationIn,
    photo: bytes,
    key: str | None,
    state: FormState,
    context: dict[str, Any],
    locale: str,
) -> Response | None:
    applicant = body.to_domain()

    def work() -> tuple[int, dict[str, object]]:
        application = submission.submit_application(session, rt, applicant=applicant, language=locale)
        attach_photo(rt, application, photo)
        return 201, {"reference": application.reference}

    try:
        answer = run_once(session, rt, scope="portal:applications", key=key, body=body, locale=locale, work=work)
    except InvalidInput as problem:
        state.add(locale, problem.fields)
    except ReapplicationBlocked as blocked:
        context["error"] = error_message(locale, blocked.code, until=day(blocked.until, locale))
    else:
        if answer.status_code == 201:
            reference = json.loads(bytes(answer.body))["reference"]
            response = RedirectResponse("/apply/confirmation", status_code=303)
            cookies.put(response, request, APP_COOKIE, seal(rt, reference, APP_COOKIE))
            return response
        context["error"] = gettext(locale, "portal.apply.sent_twice")  # same form, changed answers
    return None


SCRIPT = (Path(__file__).resolve().parent / "static" / "mrz.js").read_bytes()


@router.get("/static/mrz.js")
def mrz_script() -> Response:
    return Response(SCRIPT, media_type="text/javascript", headers={"Cache-Control": "public, max-age=3600"})
