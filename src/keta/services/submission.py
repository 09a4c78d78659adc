"""Submitting an individual application or a whole group, atomically.

Everything is checked before anything is written, and every problem is reported at once with its
field path (for a group: `members[3].passport.number`). A group is accepted whole or not at all.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from keta.db.models import Application, Group
from keta.db.repositories import applications as repo
from keta.domain.applicant import Applicant, check_applicant, name_problem
from keta.domain.applications import Status
from keta.domain.eligibility import EligibilityDecision
from keta.domain.errors import FieldProblem, GroupInvalid, InvalidInput, ReapplicationBlocked
from keta.domain.reapplication import PersonalData, PriorApplication, blocked_until, personal_data
from keta.services import lifecycle, notifications, photos, pii
from keta.services.photos import CheckedPhoto
from keta.services.references import new_reference
from keta.services.runtime import Runtime

APPLICANT_ACTOR = "applicant"


@dataclass(frozen=True, slots=True)
class Representative:
    surname: str
    given_names: str
    email: str
    phone: str


def submit_application(
    session: Session,
    rt: Runtime,
    *,
    applicant: Applicant,
    language: str,
    photo: CheckedPhoto | None = None,
    filed_by: uuid.UUID | None = None,
) -> Application:
    """Without a photo the application is saved but waits for one (keta.services.readiness): it
    cannot be paid for, so it is not screened, until the photo is added. `filed_by`: the agency
    filing on the applicant's behalf; its filing is not announced here, its applicant is asked to
    confirm it instead (keta.services.agency_filing)."""
    problems, decision, blocked = _check(session, rt, applicant, prefix="")
    if photo is not None and photo.problem is not None:
        problems.append(photo.problem)
    if blocked is not None and not problems:
        raise ReapplicationBlocked(blocked)
    if problems:
        raise InvalidInput(problems)
    assert decision is not None
    jpeg = photo.jpeg if photo is not None else None
    application = _new_application(rt, applicant, decision, language=language, photo=jpeg, agency_id=filed_by)
    session.add(application)
    session.flush()
    if filed_by is None:
        notifications.submitted(session, application, now=application.submitted_at)
    return application


def submit_group(
    session: Session,
    rt: Runtime,
    *,
    representative: Representative,
    members: list[Applicant],
    language: str,
    photos_by_member: Mapping[int, CheckedPhoto] | None = None,
    filed_by: uuid.UUID | None = None,
) -> Group:
    """Members without a photo wait for theirs (as in `submit_application`); at most
    `photos.PHOTOS_PER_REQUEST` photos come in one submission (keta.services.photos.check_members)."""
    problems: list[FieldProblem] = []
    sent = dict(photos_by_member or {})
    maximum = rt.policy.max_group_size.on(rt.today()) or 1
    if not members:
        problems.append(FieldProblem("members", "group_empty"))
    elif len(members) > maximum:
        problems.append(FieldProblem("members", "group_too_large", (("max", maximum),)))
    for path, name in (
        ("representative.surname", representative.surname),
        ("representative.given_names", representative.given_names),
    ):
        if code := name_problem(name):
            problems.append(FieldProblem(path, code))
    decisions: list[EligibilityDecision | None] = []
    seen: dict[str, int] = {}
    for index, member in enumerate(members[:maximum] if len(members) > maximum else members):
        prefix = f"members[{index}]."
        member_problems, decision, blocked = _check(session, rt, member, prefix=prefix)
        if blocked is not None:
            member_problems.append(FieldProblem(prefix + "passport", "reapplication_cap_reached"))
        key = pii.passport_key(rt.keyring, member.passport.nationality, member.passport.number)
        if key in seen:
            member_problems.append(FieldProblem(prefix + "passport.number", "duplicate_in_group"))
        seen.setdefault(key, index)
        problems.extend(member_problems)
        decisions.append(decision)
    if len(sent) > photos.PHOTOS_PER_REQUEST:
        problems.append(FieldProblem("members", "too_many", (("max", photos.PHOTOS_PER_REQUEST),)))
    problems.extend(photo.problem for _, photo in sorted(sent.items()) if photo.problem is not None)
    kept = {index: photo.jpeg for index, photo in sent.items() if photo.jpeg is not None and index < len(members)}
    if problems:
        raise GroupInvalid(problems)

    group = Group(
        reference=new_reference("G"),
        policy_code=rt.policy.code,
        language=language,
        created_at=rt.now(),
        email_key=pii.email_key(rt.keyring, representative.email),
        pii=rt.keyring.encrypt(
            {
                "surname": representative.surname,
                "given_names": representative.given_names,
                "email": representative.email,
                "phone": representative.phone,
            }
        ),
    )
    session.add(group)
    for index, (member, decision) in enumerate(zip(members, decisions, strict=True)):
        assert decision is not None
        application = _new_application(
            rt, member, decision, language=language, photo=kept.get(index), agency_id=filed_by
        )
        application.group, application.member_index = group, index
        session.add(application)
    session.flush()
    if filed_by is None:
        notifications.group_submitted(session, group, now=group.created_at)
    return group


def _check(
    session: Session, rt: Runtime, applicant: Applicant, *, prefix: str
) -> tuple[list[FieldProblem], EligibilityDecision | None, date | None]:
    today = rt.today()
    problems, decision = check_applicant(applicant, today=today, policy=rt.policy, prefix=prefix)
    persons = pii.person_keys(rt.keyring, applicant.passport)
    earlier = repo.by_person_key(session, persons, exclude_statuses=[Status.WITHDRAWN, Status.DRAFT])
    claims_correction = applicant.corrects_personal_data
    prior = [
        # What an earlier application declared is only needed, and only decrypted, to check a claimed
        # correction: a blind index of it would be one more keyed copy of personal data at rest.
        PriorApplication(a.applied_on, a.decided_on, _declared(rt, a) if claims_correction else None)
        for a in earlier
    ]
    blocked = blocked_until(
        prior=prior,
        applying_on=today,
        corrects_personal_data=claims_correction,
        policy=rt.policy,
        personal=personal_data(applicant.passport),
    )
    return problems, decision, blocked


def _declared(rt: Runtime, application: Application) -> PersonalData:
    return personal_data(pii.pii_to_applicant(rt.keyring.decrypt(application.pii)).passport)


def _new_application(
    rt: Runtime,
    applicant: Applicant,
    decision: EligibilityDecision,
    *,
    language: str,
    photo: bytes | None = None,
    agency_id: uuid.UUID | None = None,
) -> Application:
    now, pp = rt.now(), applicant.passport
    document, birth = pii.carrier_keys(rt.keyring, pp)
    personal = pii.applicant_to_pii(applicant)
    if photo is not None:
        personal["photo_jpeg"] = base64.b64encode(photo).decode("ascii")
    application = Application(
        reference=new_reference("A"),
        policy_code=rt.policy.code,
        status=Status.SUBMITTED.value,
        nationality=pp.nationality,
        passport_key=pii.passport_key(rt.keyring, pp.nationality, pp.number),
        person_key=pii.person_key(rt.keyring, pp),
        document_key=document,
        birth_key=birth,
        pii=rt.keyring.encrypt(personal),
        language=language,
        submitted_at=now,
        applied_on=rt.today(),
        arrival_date=applicant.travel.arrival_date,
        eligibility_outcome=decision.outcome.value,
        eligibility_reasons=list(decision.reasons),
        corrects_personal_data=applicant.corrects_personal_data,
        decision_reasons=[],
        decision_detail={},
        agency_id=agency_id,
    )
    lifecycle.record(
        application, None, Status.SUBMITTED.value, actor=APPLICANT_ACTOR, reasons=decision.reasons, now=now
    )
    return application
