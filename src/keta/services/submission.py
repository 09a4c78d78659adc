"""Submitting an individual application or a whole group, atomically.

Everything is checked before anything is written, and every problem is reported at once with its
field path (for a group: `members[3].passport.number`). A group is accepted whole or not at all.
"""

from __future__ import annotations

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
from keta.services import lifecycle, notifications, pii
from keta.services.references import new_reference
from keta.services.runtime import Runtime

APPLICANT_ACTOR = "applicant"


@dataclass(frozen=True, slots=True)
class Representative:
    surname: str
    given_names: str
    email: str
    phone: str


def submit_application(session: Session, rt: Runtime, *, applicant: Applicant, language: str) -> Application:
    problems, decision, blocked = _check(session, rt, applicant, prefix="")
    if blocked is not None and not problems:
        raise ReapplicationBlocked(blocked)
    if problems:
        raise InvalidInput(problems)
    assert decision is not None
    application = _new_application(rt, applicant, decision, language=language)
    session.add(application)
    session.flush()
    notifications.submitted(session, application, now=application.submitted_at)
    return application


def submit_group(
    session: Session, rt: Runtime, *, representative: Representative, members: list[Applicant], language: str
) -> Group:
    problems: list[FieldProblem] = []
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
        application = _new_application(rt, member, decision, language=language)
        application.group, application.member_index = group, index
        session.add(application)
    session.flush()
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


def _new_application(rt: Runtime, applicant: Applicant, decision: EligibilityDecision, *, language: str) -> Application:
    now, pp = rt.now(), applicant.passport
    document, birth = pii.carrier_keys(rt.keyring, pp)
    application = Application(
        reference=new_reference("A"),
        policy_code=rt.policy.code,
        status=Status.SUBMITTED.value,
        nationality=pp.nationality,
        passport_key=pii.passport_key(rt.keyring, pp.nationality, pp.number),
        person_key=pii.person_key(rt.keyring, pp),
        document_key=document,
        birth_key=birth,
        pii=rt.keyring.encrypt(pii.applicant_to_pii(applicant)),
        language=language,
        submitted_at=now,
        applied_on=rt.today(),
        arrival_date=applicant.travel.arrival_date,
        eligibility_outcome=decision.outcome.value,
        eligibility_reasons=list(decision.reasons),
        corrects_personal_data=applicant.corrects_personal_data,
        decision_reasons=[],
        decision_detail={},
    )
    lifecycle.record(
        application, None, Status.SUBMITTED.value, actor=APPLICANT_ACTOR, reasons=decision.reasons, now=now
    )
    return application
