"""The group application page (`/group`): a representative, then members one by one or from a CSV.

Every button posts the whole page to `/group` with an `action`: add a member, read a CSV file, edit
or remove a member, submit. Until "submit" nothing is saved (the member list is a sealed token in
the page, see group_draft); "submit" checks everything again and saves the group all or nothing,
then POST-redirect-GET to the group's confirmation. Works without JavaScript.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from keta.domain.errors import FieldProblem, GroupInvalid
from keta.i18n import field_message, gettext
from keta.services import submission
from keta.services.runtime import Runtime
from keta.web.api.schemas import GroupIn
from keta.web.deps import RuntimeDep, SessionDep
from keta.web.idempotency import run_once
from keta.web.portal import cookies, csv_dates, group_csv
from keta.web.portal.confirm import seal
from keta.web.portal.facts import privacy_facts
from keta.web.portal.forms import FormState, application_body, input_path, validate, values_of
from keta.web.portal.group_draft import (
    MEMBER_FIELDS,
    Member,
    check_member,
    checked_members,
    exempt_note,
    member_problem_lines,
    open_draft,
    with_contact,
)
from keta.web.portal.group_draft import seal as seal_draft
from keta.web.portal.rendering import PageLocale, render
from keta.web.portal.uploads import MEMBERS_CSV, UploadData

router = APIRouter()
GROUP_COOKIE = "keta_group"
REPRESENTATIVE_FIELDS = tuple(f"representative.{name}" for name in ("surname", "given_names", "email", "phone"))
PAGE_FIELDS = (*REPRESENTATIVE_FIELDS, "consent", *MEMBER_FIELDS)
CSV_TEMPLATE = "/group/members-template.csv"


def _max_members(rt: Runtime) -> int:
    return rt.policy.max_group_size.on(rt.today()) or 1


def _contact(state: FormState) -> dict[str, str]:
    return {"email": state.values["representative.email"], "phone": state.values["representative.phone"]}


def _page(
    request: Request,
    rt: Runtime,
    locale: str,
    state: FormState,
    drafts: list[dict[str, str]],
    *,
    form_token: str | None = None,
    member_problems: Mapping[int, Mapping[str, str]] | None = None,
    **extra: Any,
) -> Response:
    members = checked_members(rt, drafts, _contact(state), locale)
    for index, problems in (member_problems or {}).items():  # found only by the submission
        for path, text in problems.items():
            members[index].errors.setdefault(path, text)
    for index, member in enumerate(members):
        if member.errors:
            state.errors[f"member.{index}"] = gettext(locale, "portal.group.member_has_problems", number=index + 1)
    context = {
        "state": state,
        "members": [
            (member, member_problem_lines(member, locale), exempt_note(rt, member, locale)) for member in members
        ],
        "draft": seal_draft(rt, drafts),
        "max_members": _max_members(rt),
        "csv_template": CSV_TEMPLATE,
        "member_form_open": not drafts or any(state.values[n] or n in state.errors for n in MEMBER_FIELDS),
        "form_token": form_token or uuid.uuid4().hex,
        "privacy": privacy_facts(rt.policy, today=rt.today(), locale=locale),
        "csv_date_example": csv_dates.example(locale),
        **extra,
    }
    return render(request, locale, "group.html", context, status=422 if state.errors else 200)


@router.get("/group")
def group_form(request: Request, rt: RuntimeDep, locale: PageLocale) -> Response:
    return _page(request, rt, locale, FormState(values_of({}, PAGE_FIELDS)), [])


@router.get(CSV_TEMPLATE)
def members_template() -> Response:
    headers = {"Content-Disposition": 'attachment; filename="keta-group-members.csv"'}
    return Response(group_csv.template(), media_type="text/csv; charset=utf-8", headers=headers)


@router.post("/group")
def group_action(
    request: Request, form: UploadData, session: SessionDep, rt: RuntimeDep, locale: PageLocale
) -> Response:
    state = FormState(values_of(form.fields, PAGE_FIELDS))
    drafts = open_draft(rt, form.fields.get("draft", ""))
    action, _, which = form.fields.get("action", "").partition(":")
    token = form.fields.get("form_token")
    if action == "add":
        _add(rt, state, drafts, locale)
    elif action == "csv":
        notice = _import(form.files.get(MEMBERS_CSV), state, drafts, _max_members(rt), locale)
        return _page(request, rt, locale, state, drafts, form_token=token, notice=notice)
    elif action in ("edit", "remove") and which.isdigit() and int(which) < len(drafts):
        chosen = drafts.pop(int(which))
        if action == "edit":
            _edit(state, drafts, chosen)
    elif action == "submit":
        return _submit(request, session, rt, locale, state, drafts, token)
    return _page(request, rt, locale, state, drafts, form_token=token)


def _member_inputs(state: FormState) -> dict[str, str]:
    return {name: state.values[name] for name in MEMBER_FIELDS}


def _add(rt: Runtime, state: FormState, drafts: list[dict[str, str]], locale: str) -> None:
    """The member form joins the list when it has no problem; otherwise the problems are shown next
    to its inputs and the list is unchanged."""
    if len(drafts) >= _max_members(rt):
        state.add(locale, [FieldProblem("members", "group_too_large", (("max", _max_members(rt)),))])
        return
    values = _member_inputs(state)
    problems = check_member(rt, values, _contact(state), locale)
    if problems:
        for name, text in problems.items():  # a problem with no input of its own is said over the list
            state.errors[name if name in MEMBER_FIELDS else "members"] = text
        return
    drafts.append(values)
    state.values.update(dict.fromkeys(MEMBER_FIELDS, ""))


def _edit(state: FormState, drafts: list[dict[str, str]], chosen: dict[str, str]) -> None:
    """The chosen member goes back into the member form; what was typed there is kept in the list."""
    typed = _member_inputs(state)
    if any(typed.values()):
        drafts.append(typed)
    state.values.update(chosen)


def _import(data: bytes | None, state: FormState, drafts: list[dict[str, str]], room: int, locale: str) -> str | None:
    if data is None:
        state.errors[MEMBERS_CSV] = field_message(locale, "required")
        return None
    result = group_csv.read(data, room=room - len(drafts), locale=locale)
    if result.problem is not None:
        state.add(locale, [result.problem])
        return None
    drafts.extend(result.members)
    return gettext(locale, "portal.group.csv_added", count=len(result.members))


def _submit(
    request: Request,
    session: Session,
    rt: Runtime,
    locale: str,
    state: FormState,
    drafts: list[dict[str, str]],
    token: str | None,
) -> Response:
    body = _group_body(rt, state, drafts, locale)
    if body is None:
        return _page(request, rt, locale, state, drafts, form_token=token)
    rep = body.representative

    def work() -> tuple[int, dict[str, object]]:
        group = submission.submit_group(
            session,
            rt,
            members=[member.to_domain() for member in body.members],
            language=locale,
            representative=submission.Representative(rep.surname, rep.given_names, str(rep.email), rep.phone),
        )
        return 201, {"reference": group.reference}

    try:
        answer = run_once(session, rt, scope="portal:groups", key=token or None, body=body, locale=locale, work=work)
    except GroupInvalid as invalid:
        session.rollback()  # nothing of a refused group is kept
        return _page(
            request, rt, locale, state, drafts, form_token=token, member_problems=_split(invalid.fields, state, locale)
        )
    if answer.status_code != 201:
        return _page(
            request, rt, locale, state, drafts, form_token=token, error=gettext(locale, "portal.apply.sent_twice")
        )
    reference = json.loads(bytes(answer.body))["reference"]
    response = RedirectResponse("/group/confirmation", status_code=303)
    cookies.put(response, request, GROUP_COOKIE, seal(rt, reference, GROUP_COOKIE))
    return response


def _group_body(rt: Runtime, state: FormState, drafts: list[dict[str, str]], locale: str) -> GroupIn | None:
    """The API's group input when the representative's inputs, the consent and every member are right."""
    values = state.values
    representative = {
        name.removeprefix("representative."): values[name] for name in REPRESENTATIVE_FIELDS if values[name]
    }
    if values["consent"] != "true":
        state.add(locale, [FieldProblem("consent", "must_be_true")])
    if not drafts:
        state.add(locale, [FieldProblem("members", "group_empty")])
    members: list[dict[str, Any]] = []
    for values_of_member in drafts:
        members.append(application_body(with_contact(values_of_member, _contact(state)), locale))
    body = validate(GroupIn, {"representative": representative, "members": members, "language": locale}, state, locale)
    for name in list(state.errors):  # member problems are shown next to each member, not twice
        if name.startswith("members."):
            del state.errors[name]
    if body is None or state.errors or any(check_member(rt, m, _contact(state), locale) for m in drafts):
        return None
    return body


def _split(problems: tuple[FieldProblem, ...], state: FormState, locale: str) -> dict[int, dict[str, str]]:
    """The submission's problems: "members[3].passport.number" goes to member 3, the rest to the page."""
    by_member: dict[int, dict[str, str]] = {}
    for problem in problems:
        path = input_path(problem.path)
        head, _, rest = path.partition(".")
        index, _, name = rest.partition(".")
        if head == "members" and index.isdigit():
            text = field_message(locale, problem.code, **dict(problem.params))
            by_member.setdefault(int(index), {})[name or "passport"] = text
        else:
            state.add(locale, [problem])
    return by_member


__all__ = ["GROUP_COOKIE", "Member", "router"]
