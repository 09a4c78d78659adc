"""An accredited travel agency files for its customers, and each customer is asked to confirm.

The filing goes through the same services and checks as the portal and the applicant API
(keta.services.submission, the photo check included); the application records the agency
(`agency_id`). Instead of the usual "received" message, each applicant — every group member too,
at their own address — gets an e-mail in their language with a link to a portal page that shows
what was filed in their name and by which agency, and asks them to confirm it or refuse it.

Until the applicant confirms, the application cannot be paid for and so is never screened
(keta.services.readiness). The link's secret exists only in that e-mail (its job payload holds it
sealed with the data key); the database keeps its SHA-256. An unanswered filing is withdrawn when
the link lapses (`CONFIRMATION_HOURS`, keta.services.confirmations.expire_unconfirmed).

Who pays: the agency, once its customer has confirmed, through the same payment provider
interface as every payment (`POST /api/v1/agency/…/payment`, a checkout for the agency to settle).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from datetime import timedelta
from urllib.parse import urlencode

from sqlalchemy.orm import Session

from keta.db.models import ApplicantConfirmation, Application, Group
from keta.domain.applicant import Applicant
from keta.services import audit, notifications, submission
from keta.services.agency_keys import AgencyPrincipal
from keta.services.photos import CheckedPhoto
from keta.services.runtime import Runtime

CONFIRMATION_HOURS = 72  # the applicant has three days; K-ETA's advice is to apply 72 hours ahead anyway


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def actor(agency: AgencyPrincipal) -> str:
    return f"agency:{agency.id}"


def file_application(
    session: Session,
    rt: Runtime,
    *,
    agency: AgencyPrincipal,
    applicant: Applicant,
    language: str,
    photo: CheckedPhoto | None,
    confirm_url: str,
) -> Application:
    application = submission.submit_application(
        session, rt, applicant=applicant, language=language, photo=photo, filed_by=agency.id
    )
    _ask_to_confirm(session, rt, application, confirm_url)
    _record(session, rt, agency, "agency.filed", "application", application)
    return application


def file_group(
    session: Session,
    rt: Runtime,
    *,
    agency: AgencyPrincipal,
    representative: submission.Representative,
    members: list[Applicant],
    language: str,
    photos_by_member: Mapping[int, CheckedPhoto],
    confirm_url: str,
) -> Group:
    group = submission.submit_group(
        session,
        rt,
        representative=representative,
        members=members,
        language=language,
        photos_by_member=photos_by_member,
        filed_by=agency.id,
    )
    for member in group.members:
        _ask_to_confirm(session, rt, member, confirm_url)
    _record(session, rt, agency, "agency.filed_group", "group", group)
    return group


def _ask_to_confirm(session: Session, rt: Runtime, application: Application, confirm_url: str) -> None:
    token, now = secrets.token_urlsafe(32), rt.now()
    confirmation = ApplicantConfirmation(
        application_id=application.id,
        token_hash=token_hash(token),
        created_at=now,
        expires_at=now + timedelta(hours=CONFIRMATION_HOURS),
    )
    session.add(confirmation)
    session.flush()
    session.refresh(application, ["confirmation"])
    # The page opens in the language the application was filed in (the applicant may switch it).
    link = f"{confirm_url}?{urlencode({'t': token, 'lang': application.language})}"
    notifications.agency_filed(session, rt, application, link=link, now=now)


def _record(
    session: Session, rt: Runtime, agency: AgencyPrincipal, action: str, kind: str, target: Application | Group
) -> None:
    audit.record(
        session,
        rt.keyring,
        actor=actor(agency),
        action=action,
        object_type=kind,
        object_id=str(target.id),
        now=rt.now(),
    )
