"""API keys for machines (carriers, travel agencies): issue one, hash it, tell a well-formed one.

A key is a prefix naming its kind (`kc_` carrier, `ka_` agency) + 43 URL-safe characters: 256
random bits from `secrets`. It is shown once, at creation, and only its SHA-256 is stored. A plain
hash is right here, not a slow password hash and not a keyed one: a 256-bit random key cannot be
guessed or brute-forced from its hash, so bcrypt-style slowness would only cost every request
milliseconds, and a keyed hash would tie every issued key to KETA_SECRET_KEY (rotating that would
silently kill every issued key). The hash is looked up through a unique index.
"""

from __future__ import annotations

import hashlib
import re
import secrets

from keta.domain.errors import FieldProblem, InvalidInput

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._\-]{0,63}")
_BODY = r"[A-Za-z0-9_\-]{43}"


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue(prefix: str) -> tuple[str, str]:
    """(the new key, its hash)."""
    key = prefix + secrets.token_urlsafe(32)
    return key, hash_key(key)


def well_formed(prefix: str, key: str) -> bool:
    """Only such keys reach the database: anything else cannot be one of ours."""
    return re.fullmatch(re.escape(prefix) + _BODY, key) is not None


def valid_name(name: str) -> bool:
    """A holder's name as the CLI takes it: letters, digits, spaces, dots, hyphens; at most 64."""
    return _NAME.fullmatch(name) is not None


def check_new_holder(name: str, requests_per_minute: int) -> None:
    """InvalidInput naming each bad field of a new key holder (carrier or agency)."""
    problems = []
    if not valid_name(name):
        problems.append(FieldProblem("name", "invalid_format"))
    if requests_per_minute < 1:
        problems.append(FieldProblem("requests_per_minute", "too_small"))
    if problems:
        raise InvalidInput(problems)
