"""Staff accounts: creation with a one-time enrolment link, enrolment (password + TOTP), sign-in checks.

Passwords are hashed with Argon2id (argon2-cffi's RFC 9106 low-memory profile). The second factor
is TOTP (RFC 6238, pyotp), its secret encrypted with the data key; each time step is accepted once,
so a code seen over a shoulder cannot be replayed. Repeated failures lock the account for a while,
growing with each failure: this holds across processes because the counter is in the database.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from keta.db.models import StaffMember, StaffSession
from keta.domain.errors import Conflict, FieldProblem, InvalidInput, NotFound
from keta.domain.review import Role
from keta.services import audit
from keta.services.runtime import Runtime

USERNAME = re.compile(r"[a-z][a-z0-9._-]{2,31}")
MIN_PASSWORD, MAX_PASSWORD = 12, 128  # OWASP ASVS 2.1.1 / 2.1.2
ENROLMENT_VALID = timedelta(hours=72)
FREE_FAILURES = 5  # then each failure locks for 1, 2, 4 … minutes, at most an hour
MAX_LOCK = timedelta(hours=1)
ISSUER = "keta back office"

_hasher = PasswordHasher()
# Verified when the username is unknown, so "no such user" costs what "wrong password" costs.
_dummy_hash = _hasher.hash(secrets.token_urlsafe(16))


def use_test_hashing() -> None:
    """Argon2id at its minimal cost, for the test suite only (nothing else calls this): a sign-in per
    test at the production cost (~0.5 s a hash here) would dominate the suite. The algorithm, the
    salt and the verification path are unchanged; only the work factor is what tests do not measure."""
    global _hasher, _dummy_hash
    _hasher = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)
    _dummy_hash = _hasher.hash(secrets.token_urlsafe(16))


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _totp(rt: Runtime, member: StaffMember) -> pyotp.TOTP:
    return pyotp.TOTP(str(rt.keyring.decrypt(member.totp_secret)["secret"]))


def create(session: Session, rt: Runtime, *, username: str, role: Role, actor: str) -> tuple[StaffMember, str]:
    """A new account with no password yet, and the one-time enrolment token that sets it."""
    if not USERNAME.fullmatch(username):
        raise InvalidInput([FieldProblem("username", "invalid_format")])
    if session.scalar(select(StaffMember.id).where(StaffMember.username == username)) is not None:
        raise Conflict("username_taken")
    now = rt.now()
    member = StaffMember(
        username=username,
        role=role.value,
        totp_secret=rt.keyring.encrypt({"secret": pyotp.random_base32()}),
        created_at=now,
        failed_logins=0,
    )
    token = _new_enrolment(member, now)
    session.add(member)
    session.flush()
    audit.record(
        session, rt.keyring, actor=actor, action="staff.created", object_type="staff", object_id=str(member.id),
        now=now, detail={"role": role.value},
    )  # fmt: skip
    return member, token


def _new_enrolment(member: StaffMember, now: datetime) -> str:
    token = secrets.token_urlsafe(32)
    member.enrolment_key, member.enrolment_expires_at = _digest(token), now + ENROLMENT_VALID
    return token


def reset(session: Session, rt: Runtime, *, username: str, actor: str) -> str:
    """A lost phone or password: clear both, issue a new secret and enrolment link, end every session."""
    member = by_username(session, username)
    now = rt.now()
    member.password_hash, member.totp_last_step = None, None
    member.totp_secret = rt.keyring.encrypt({"secret": pyotp.random_base32()})
    member.failed_logins, member.locked_until = 0, None
    token = _new_enrolment(member, now)
    end_sessions(session, member, now=now)
    audit.record(
        session, rt.keyring, actor=actor, action="staff.reset", object_type="staff", object_id=str(member.id), now=now
    )
    return token


def disable(session: Session, rt: Runtime, *, username: str, actor: str) -> StaffMember:
    member = by_username(session, username)
    now = rt.now()
    if member.disabled_at is None:
        member.disabled_at = now
        member.enrolment_key = member.enrolment_expires_at = None
        end_sessions(session, member, now=now)
        audit.record(
            session, rt.keyring, actor=actor, action="staff.disabled", object_type="staff",
            object_id=str(member.id), now=now,
        )  # fmt: skip
    return member


def end_sessions(session: Session, member: StaffMember, *, now: datetime) -> None:
    session.execute(
        update(StaffSession)
        .where(StaffSession.staff_id == member.id, StaffSession.ended_at.is_(None))
        .values(ended_at=now)
        .execution_options(synchronize_session=False)
    )


def by_username(session: Session, username: str) -> StaffMember:
    member = session.scalar(select(StaffMember).where(StaffMember.username == username))
    if member is None:
        raise NotFound()
    return member


def enrolment(session: Session, *, token: str, now: datetime) -> StaffMember | None:
    member = session.scalar(select(StaffMember).where(StaffMember.enrolment_key == _digest(token)))
    if member is None or member.disabled_at is not None:
        return None
    if member.enrolment_expires_at is None or member.enrolment_expires_at < now:
        return None
    return member


def provisioning_uri(rt: Runtime, member: StaffMember) -> str:
    """The otpauth:// URI an authenticator app reads from the QR code."""
    return _totp(rt, member).provisioning_uri(name=member.username, issuer_name=ISSUER)


def password_problems(password: str, password_again: str, *, username: str) -> list[FieldProblem]:
    if len(password) < MIN_PASSWORD:
        return [FieldProblem("password", "too_short", (("min", MIN_PASSWORD),))]
    if len(password) > MAX_PASSWORD:
        return [FieldProblem("password", "too_long", (("max", MAX_PASSWORD),))]
    if username.lower() in password.lower() or len(set(password)) < 5:
        return [FieldProblem("password", "too_weak")]
    if password != password_again:
        return [FieldProblem("password_again", "passwords_differ")]
    return []


def complete_enrolment(
    session: Session, rt: Runtime, *, token: str, password: str, password_again: str, code: str
) -> StaffMember:
    now = rt.now()
    member = enrolment(session, token=token, now=now)
    if member is None:
        raise NotFound()
    problems = password_problems(password, password_again, username=member.username)
    if not problems and not _accept_code(rt, member, code, now):
        problems = [FieldProblem("code", "code_wrong")]
    if problems:
        raise InvalidInput(problems)
    member.password_hash = _hasher.hash(password)
    member.enrolment_key = member.enrolment_expires_at = None
    audit.record(
        session, rt.keyring, actor=str(member.id), action="staff.enrolled", object_type="staff",
        object_id=str(member.id), now=now,
    )  # fmt: skip
    return member


def _accept_code(rt: Runtime, member: StaffMember, code: str, now: datetime) -> bool:
    """A 6-digit code of the current, previous or next 30-second step, never one already used."""
    code = code.strip().replace(" ", "")
    if not re.fullmatch(r"[0-9]{6}", code):
        return False
    totp = _totp(rt, member)
    step_now = int(now.timestamp()) // totp.interval
    for step in (step_now - 1, step_now, step_now + 1):
        if (member.totp_last_step is None or step > member.totp_last_step) and secrets.compare_digest(
            totp.generate_otp(step), code
        ):
            member.totp_last_step = step
            return True
    return False


def check_password(session: Session, rt: Runtime, *, username: str, password: str) -> StaffMember | None:
    """The first factor. None for every kind of failure alike — wrong name, password, locked, disabled —
    and the failure is counted and audited in the caller's transaction, which must commit it."""
    now = rt.now()
    member = session.scalar(select(StaffMember).where(StaffMember.username == username.strip().lower()))
    try:
        _hasher.verify(member.password_hash if member and member.password_hash else _dummy_hash, password)
        verified = member is not None and member.password_hash is not None
    except (VerificationError, InvalidHashError):
        verified = False
    return _outcome(session, rt, member, verified, now, factor="password")


def check_code(session: Session, rt: Runtime, *, member: StaffMember, code: str) -> StaffMember | None:
    """The second factor, for a member who passed the first in this session."""
    now = rt.now()
    return _outcome(session, rt, member, _accept_code(rt, member, code, now), now, factor="totp")


def _outcome(
    session: Session, rt: Runtime, member: StaffMember | None, verified: bool, now: datetime, *, factor: str
) -> StaffMember | None:
    locked = member is not None and member.locked_until is not None and member.locked_until > now
    usable = member is not None and member.disabled_at is None and not locked
    if member is not None and verified and usable:
        member.failed_logins, member.locked_until = 0, None
        if factor == "totp":
            member.last_login_at = now
        audit.record(
            session, rt.keyring, actor=str(member.id), action=f"login.{factor}_ok", object_type="staff",
            object_id=str(member.id), now=now,
        )  # fmt: skip
        return member
    if member is not None and not locked:  # attempts during a lock are refused unchecked, and do not extend it
        member.failed_logins += 1
        over = member.failed_logins - FREE_FAILURES - 1
        if over >= 0:
            member.locked_until = now + min(MAX_LOCK, timedelta(minutes=2 ** min(over, 6)))
    audit.record(
        session, rt.keyring, actor=str(member.id) if member else "anonymous", action=f"login.{factor}_failed",
        object_type="staff", object_id=str(member.id) if member else "-", now=now,
        detail={"locked": bool(member and member.locked_until and member.locked_until > now)},
    )  # fmt: skip
    return None
