"""The back office's Korean and English catalogs hold exactly the texts its pages use.

Literal msgids are read from the templates and modules; msgids built from a prefix and a value
(`t("bo.kind." ~ case.kind)`) are expanded from the values the code can produce — the enums, the
policy's grounds and questions, the codes the services raise — written out here independently."""

from __future__ import annotations

import re
from importlib.resources import files
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from keta.adapters.policy_files import load_policy
from keta.domain.border import ArrivalCard, BorderStatus
from keta.domain.reasons import Reason
from keta.domain.review import CaseKind, CaseStatus, Proposal, Role, Urgency
from keta.i18n import BACKOFFICE_LOCALES
from keta.web import backoffice, border

HERE = Path(backoffice.__file__).resolve().parent
BORDER = Path(border.__file__).resolve().parent  # the border desk's texts live in this catalog too
LITERAL = re.compile(r"""["'](bo\.[a-z0-9_.]+[a-z0-9_])["']""")
RULES = load_policy("kr").review.entries[0].value


def used() -> set[str]:
    found: set[str] = set()
    sources = [
        *HERE.glob("templates/*.html"),
        *HERE.glob("*.py"),
        *BORDER.glob("templates/*.html"),
        *BORDER.glob("*.py"),
    ]
    for source in sources:
        found |= set(LITERAL.findall(source.read_text(encoding="utf-8")))
    grounds = set(RULES.refusal_grounds) | set(RULES.revocation_grounds) | set(RULES.annulment_grounds)
    reasons = {r.value for r in Reason if r.value in SCREENING_REASONS} | grounds | {"refused", "name_not_usable"}
    families = {
        "bo.kind.": {k.value for k in CaseKind},
        "bo.case_status.": {s.value for s in CaseStatus},
        "bo.urgency.": {u.value for u in Urgency},
        "bo.role.": {r.value for r in Role},
        "bo.proposal.": {p.value for p in Proposal},
        "bo.outcome.": {"approved", "overturned", "cleared", "refused", "revoked", "annulled", "upheld", "expired"},
        "bo.history.": {"claimed", "released", "approved", "overturned", "cleared", "proposed", "confirmed",
                        "sent_back", "upheld", "information_requested", "information_answered", "information_lapsed"},
        "bo.reason.": reasons,
        "bo.question.": set(RULES.information_requests),
        "bo.action.approve_": {k.value for k in CaseKind} - {CaseKind.REVOCATION.value},
        "bo.audit.broken_": {"edited", "missing_before", "reordered", "head_mismatch"},
        "bo.lists.run_": {"running", "done"},
        "bo.case.document_": {"redress", "answer"},
        "bo.stats.unit_": {"count", "share", "hours"},
        "bo.stats.": {"under_24h", "24h_to_72h", "over_72h", "median", "p95", "decisions"} | STATISTICS_TABLES,
        "bo.conflict.": CONFLICTS,
        "bo.field.": {"password", "password_again", "code", "ground", "note", "proposal", "questions", "message"},
        "bo.border.status.": {s.value for s in BorderStatus},
        "bo.border.meaning.": {s.value for s in BorderStatus},
        "bo.border.arrival_card_": {c.value for c in ArrivalCard},
        "bo.border.field.": BORDER_FIELDS,
    }  # fmt: skip
    found -= set(families)  # a prefix the templates complete with a value is not a text of its own
    for prefix, values in families.items():
        found |= {prefix + value for value in values}
    return found


SCREENING_REASONS = {
    "watchlist_possible_match", "document_reported_lost_or_stolen", "passport_expires_before_arrival",
    "declared_criminal_record", "declared_infectious_disease", "officer_decision", "screening_clear",
}  # fmt: skip
CONFLICTS = {
    "claimed_by_other", "case_closed", "case_waiting_info", "case_awaiting_confirmation", "case_open",
    "own_proposal", "not_allowed", "proposal_not_allowed", "took_part_in_decision", "nothing_to_approve",
    "not_a_redress", "invalid_input", "changed_meanwhile", "illegal_transition", "not_approved",
    "username_taken", "invalid_username", "own_account", "not_found", "no_version_to_roll_back_to",
}  # fmt: skip
STATISTICS_TABLES = {
    "applications_per_day", "outcomes", "backlog", "decision_times", "refusals_by_ground", "by_nationality",
    "refusals_by_nationality", "entries_per_day", "entries_by_port",
}  # fmt: skip
# Every path a border look-up or entry can name (keta.domain.border, keta.domain.mrz), dots as "_".
BORDER_FIELDS = {
    "mrz_line1", "mrz_line2", "mrz_document_code", "mrz_issuing_state", "mrz_document_number", "mrz_nationality",
    "mrz_birth_date", "mrz_sex", "mrz_expiry_date", "mrz_personal_number", "mrz_composite", "document_number",
    "issuing_country", "nationality", "birth_date", "port",
}  # fmt: skip


def _catalog(locale: str) -> dict[str, str]:
    with (files("keta") / "locale" / locale / "LC_MESSAGES" / "backoffice.po").open("rb") as handle:
        return {m.id: m.string for m in read_po(handle) if isinstance(m.id, str) and m.id}  # type: ignore[misc]


@pytest.mark.parametrize("locale", sorted(BACKOFFICE_LOCALES))
def test_every_used_text_is_translated_and_nothing_else_is_kept(locale: str) -> None:
    catalog = _catalog(locale)
    expected = used()
    assert sorted(expected - set(catalog)) == [], "missing"
    assert sorted(set(catalog) - expected) == [], "unused"
    assert sorted(k for k, v in catalog.items() if not v.strip()) == [], "empty"


def test_placeholders_agree_between_korean_and_english() -> None:
    english, korean = _catalog("en"), _catalog("ko")
    fields = re.compile(r"\{([a-z_]+)\}")
    assert {k: set(fields.findall(v)) for k, v in korean.items()} == {
        k: set(fields.findall(v)) for k, v in english.items()
    }
