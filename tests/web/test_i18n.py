"""Translations: catalogs complete and consistent, Accept-Language negotiation, code → sentence fallbacks."""

from __future__ import annotations

from collections.abc import Callable
from importlib.resources import files
from importlib.resources.abc import Traversable
from string import Formatter

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from keta import i18n
from keta.i18n import (
    DEFAULT_LOCALE,
    KNOWN_LOCALES,
    error_message,
    field_message,
    gettext,
    load_catalogs,
    negotiate,
    reason_message,
)

LOCALE_DIR = files("keta") / "locale"

FIELD_CODES = [
    "required",
    "invalid_format",
    "invalid_type",
    "too_long",
    "too_short",
    "invalid_choice",
    "invalid_date",
    "in_future",
    "in_past",
    "too_far_ahead",
    "after_arrival",
    "expires_before_arrival",
    "passport_expired",
    "must_be_true",
    "mrz_mismatch",
    "line_length",
    "invalid_character",
    "document_code",
    "document_number_check_digit",
    "birth_date_check_digit",
    "expiry_date_check_digit",
    "personal_number_check_digit",
    "composite_check_digit",
    "birth_date_invalid",
    "expiry_date_invalid",
    "sex_invalid",
    "issuing_state_invalid",
    "nationality_invalid",
    "visa_required",
    "not_applicable",
    "duplicate_in_group",
    "group_too_large",
    "group_empty",
    "details_required",
    "invalid_email",
    "invalid_country_code",
    "unknown_field",
    "too_small",
    "too_large",
    "not_editable",
    "invalid_phone",
    "reapplication_cap_reached",  # reported on one member of a group
    "mixed_scripts",
    "invisible_characters",
]
ERROR_CODES = [
    "invalid_input",
    "group_invalid",
    "not_found",
    "conflict",
    "illegal_transition",
    "reapplication_cap_reached",
    "idempotency_key_reused",
    "payment_declined",
    "payment_unavailable",
    "invalid_webhook",
    "payment_mismatch",
    "already_paid",
    "not_payable",
    "not_editable",
    "rate_limited",
    "internal_error",
    "method_not_allowed",
    "unsupported_media_type",
    "payload_too_large",
]
REASON_CODES = [
    "visa_free_national",
    "not_visa_free",
    "korean_national",
    "eu_national",
    "home_national",
    "temporary_exemption",
    "age_or_under",
    "age_or_over",
    "diplomatic_or_official_passport",
    "authorization_required",
    "voluntary_application_allowed",
    "document_reported_lost_or_stolen",
    "passport_expires_before_arrival",
    "screening_clear",
    "watchlist_possible_match",
    "officer_decision",
    "reapplication_cap_reached",
    "declared_criminal_record",
    "declared_infectious_disease",
]
OUTCOMES = ["required", "exempt", "visa_required", "not_applicable"]
STATUSES = [
    "draft",
    "submitted",
    "paid",
    "screening",
    "in_review",
    "approved",
    "refused",
    "revoked",
    "expired",
    "withdrawn",
]
REQUIRED_MSGIDS = (
    [f"field.{c}" for c in [*FIELD_CODES, "generic"]]
    + [f"error.{c}" for c in [*ERROR_CODES, "generic"]]
    + [f"reason.{c}" for c in [*REASON_CODES, "generic"]]
    + [f"outcome.{c}" for c in OUTCOMES]
    + [f"status.{c}" for c in STATUSES]
)
PLACEHOLDERS = {
    "field.group_too_large": {"max"},
    "error.reapplication_cap_reached": {"until"},
    "reason.age_or_under": {"age"},
    "reason.age_or_over": {"age"},
}


def _read(resource: Traversable) -> Catalog:
    with resource.open("rb") as handle:
        return read_po(handle)


def _entries(catalog: Catalog) -> dict[str, str]:
    entries: dict[str, str] = {}
    for message in catalog:
        if message.id:
            assert isinstance(message.id, str) and isinstance(message.string, str), message.id
            assert message.id not in entries, f"duplicate msgid {message.id}"
            entries[message.id] = message.string
    return entries


def _po(locale: str) -> Catalog:
    return _read(LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po")


def _template_ids() -> set[str]:
    return set(_entries(_read(LOCALE_DIR / "messages.pot")))


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name is not None}


# --- catalogs ------------------------------------------------------------------------------------


def test_template_lists_every_required_msgid_with_empty_msgstr() -> None:
    template = _entries(_read(LOCALE_DIR / "messages.pot"))
    assert sorted(set(REQUIRED_MSGIDS) - set(template)) == []
    assert {msgid: text for msgid, text in template.items() if text} == {}


def test_locale_directories_are_exactly_the_known_locales() -> None:
    on_disk = {entry.name for entry in LOCALE_DIR.iterdir() if entry.is_dir() and not entry.name.startswith(("_", "."))}
    assert on_disk == {code.replace("-", "_") for code in KNOWN_LOCALES}
    assert DEFAULT_LOCALE in KNOWN_LOCALES
    assert all(name.strip() for name in KNOWN_LOCALES.values())


@pytest.mark.parametrize("locale", sorted(KNOWN_LOCALES))
def test_catalog_translates_exactly_the_template(locale: str) -> None:
    catalog = _po(locale)
    entries = _entries(catalog)
    template = _template_ids()
    assert sorted(template - set(entries)) == [], "missing msgids"
    assert sorted(set(entries) - template) == [], "msgids not in messages.pot"
    assert sorted(msgid for msgid, text in entries.items() if not text.strip()) == [], "empty msgstr"
    assert sorted(m.id for m in catalog if m.id and m.fuzzy) == [], "fuzzy entries are not used"
    assert str(catalog.locale) == locale.replace("-", "_")


@pytest.mark.parametrize("locale", sorted(KNOWN_LOCALES))
def test_translations_use_the_placeholders_of_the_english_text(locale: str) -> None:
    english = _entries(_po(DEFAULT_LOCALE))
    wrong = {msgid: text for msgid, text in _entries(_po(locale)).items() if _fields(text) != _fields(english[msgid])}
    assert wrong == {}
    for msgid, expected in PLACEHOLDERS.items():
        assert _fields(english[msgid]) == expected, msgid


def test_template_comments_carry_the_current_english_text() -> None:
    english = _entries(_po(DEFAULT_LOCALE))
    for message in _read(LOCALE_DIR / "messages.pot"):
        if message.id:
            assert isinstance(message.id, str)
            assert f"English: {english[message.id]}" in message.auto_comments, message.id


def test_all_catalogs_load() -> None:
    load_catalogs()
    for locale in KNOWN_LOCALES:
        assert gettext(locale, "status.paid") != "status.paid"


# --- negotiation ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("tr-TR,tr;q=0.9,en;q=0.8", "tr"),
        ("ko-KR", "ko"),
        ("KO-kr", "ko"),
        ("tr_TR", "tr"),
        ("en;q=0.5, ko;q=0.8", "ko"),
        ("ko;q=0.8, tr;q=0.8", "ko"),  # a tie keeps header order
        ("sw-KE,sw;q=0.9,tr;q=0.7,en;q=0.5", "tr"),  # unknown languages are skipped
        ("sw, ko;q=0.1", "ko"),
        ("de, ko;q=0.1", "de"),  # German is shipped too
        ("ko;q=0, tr;q=0.2", "tr"),  # q=0 means "not this one"
        ("ko;q=abc, tr;q=0.3", "tr"),  # an unreadable q-value drops its entry
        ("ko;q=1.5, tr;q=0.3", "tr"),
        (" tr ; q=1.0 ", "tr"),
        ("*", "en"),
        ("*;q=0.5, ko;q=0.9", "ko"),
        ("en;q=0, *", "ko"),  # the wildcard means any language the header has not refused
        ("sw, am", "en"),
        ("", "en"),
        (None, "en"),
        (";;;q=abc", "en"),
        (",,,", "en"),
        ("q=0.9", "en"),
        ("tr;q=", "en"),
        ("tr;;;q=0.9;;", "tr"),
        ("İtr, tr", "tr"),
        ("ko\x00, \ud800", "en"),
        ("x" * 10_000, "en"),
        ("is;q=0.9," * 1_000 + "ko", "en"),  # only the first entries of an absurd header are read
    ],
)
def test_negotiate_accept_language(header: str | None, expected: str) -> None:
    assert negotiate(header) == expected


@pytest.mark.parametrize(
    ("explicit", "header", "expected"),
    [
        ("ko", "tr-TR,tr;q=0.9", "ko"),
        ("TR", "ko", "tr"),
        ("tr-TR", None, "tr"),
        ("sw", "ko-KR", "ko"),  # unknown explicit choice: the header decides
        ("", "tr", "tr"),
        ("*", "tr", "tr"),
        ("../../etc/passwd", "ko", "ko"),
        ("xx", None, "en"),
    ],
)
def test_negotiate_explicit_wins_when_known(explicit: str, header: str | None, expected: str) -> None:
    assert negotiate(header, explicit=explicit) == expected


# --- messages ------------------------------------------------------------------------------------


@pytest.mark.parametrize("locale", sorted(KNOWN_LOCALES))
def test_every_code_renders(locale: str) -> None:
    for code in FIELD_CODES:
        text = field_message(locale, code, max=30)
        assert text != field_message(locale, "no_such_code") and "{" not in text, code
    for code in ERROR_CODES:
        text = error_message(locale, code, until="2026-03-01")
        assert text != error_message(locale, "no_such_code") and "{" not in text, code
    for code in REASON_CODES:
        text = reason_message(locale, code, age=1)
        assert text != reason_message(locale, "no_such_code") and "{" not in text, code


@pytest.mark.parametrize("locale", sorted(KNOWN_LOCALES))
@pytest.mark.parametrize(
    ("code", "number"),
    [("age_17_or_under", "17"), ("age_65_or_over", "65"), ("age_70_or_over", "70"), ("age_5_or_under", "5")],
)
def test_age_reasons_carry_their_number(locale: str, code: str, number: str) -> None:
    text = reason_message(locale, code)
    assert number in text
    assert "{" not in text
    assert text != reason_message(locale, "no_such_code")
    other = "or_over" if code.endswith("or_under") else "or_under"
    assert text != reason_message(locale, code.rsplit("_or_", 1)[0] + "_" + other)


def test_age_reason_wording_by_language() -> None:
    assert reason_message("en", "age_17_or_under") == "Travellers aged 17 or under are exempt."
    assert reason_message("ko", "age_65_or_over") == "만 65세 이상 여행자는 면제 대상입니다."
    assert reason_message("tr", "age_17_or_under") == "17 yaş ve altındaki yolcular muaftır."
    assert reason_message("en", "age_17_or_under", age=99) == "Travellers aged 17 or under are exempt."


@pytest.mark.parametrize("locale", ["ko", "tr"])
@pytest.mark.parametrize(
    "render",
    [
        lambda loc: field_message(loc, "required"),
        lambda loc: field_message(loc, "visa_required"),
        lambda loc: field_message(loc, "no_such_code"),
        lambda loc: error_message(loc, "payment_declined"),
        lambda loc: error_message(loc, "no_such_code"),
        lambda loc: reason_message(loc, "korean_national"),
        lambda loc: gettext(loc, "status.approved"),
        lambda loc: gettext(loc, "outcome.exempt"),
    ],
)
def test_korean_and_turkish_differ_from_english(locale: str, render: Callable[[str], str]) -> None:
    assert render(locale) != render("en")


def test_some_known_sentences() -> None:
    assert field_message("en", "visa_required") == (
        "Nationals of this country need a visa, not an electronic travel authorization."
    )
    assert field_message("en", "not_applicable") == "You do not need an electronic travel authorization."
    assert field_message("tr", "required") == "Bu alan zorunludur."
    assert field_message("ko", "required") == "필수 입력 항목입니다."
    assert gettext("tr", "status.refused") == "Reddedildi"


def test_turkish_catalog_uses_turkish_letters() -> None:
    text = "".join(_entries(_po("tr")).values())
    assert set("çğıİöşü") <= set(text)


def test_placeholders_are_filled() -> None:
    assert field_message("ko", "group_too_large", max=30) == "그룹에는 최대 30명까지 포함할 수 있습니다."
    assert field_message("en", "group_too_large", max=30) == "A group can include at most 30 travellers."
    for locale in KNOWN_LOCALES:
        assert "2026-03-01" in error_message(locale, "reapplication_cap_reached", until="2026-03-01")
        assert "2026-03-01" not in error_message(locale, "payment_declined", until="2026-03-01")


def test_unknown_codes_fall_back_to_generic_sentences() -> None:
    assert field_message("en", "no_such_code") == "This value is not valid."
    assert error_message("en", "no_such_code") == "The request could not be processed."
    assert field_message("tr", "no_such_code") == "Bu değer geçerli değil."
    assert error_message("ko", "no_such_code") == "요청을 처리할 수 없습니다."
    assert reason_message("tr", "no_such_code") == gettext("tr", "reason.generic")
    assert reason_message("en", "age_1000_or_under") == gettext("en", "reason.generic")
    assert reason_message("en", "age_x_or_under") == gettext("en", "reason.generic")
    assert field_message("en", "") == "This value is not valid."
    assert field_message("en", "{0}") == "This value is not valid."


def test_a_message_missing_its_parameter_falls_back_without_raising() -> None:
    assert field_message("tr", "group_too_large") == "Bu değer geçerli değil."
    assert error_message("ko", "reapplication_cap_reached") == "요청을 처리할 수 없습니다."
    assert gettext("en", "field.group_too_large") == "field.group_too_large"


def test_gettext_falls_back_to_english_then_to_the_msgid(monkeypatch: pytest.MonkeyPatch) -> None:
    assert gettext("xx", "status.paid") == "Paid"
    assert gettext("tr-TR", "status.paid") == "Ödendi"
    assert gettext("tr", "no.such.msgid") == "no.such.msgid"
    fake = {"en": {"a": "A {n}", "b": "B"}, "tr": {"a": "TR {n}", "c": "broken {"}}
    monkeypatch.setattr(i18n, "_catalog", lambda locale: fake[locale])
    assert gettext("tr", "a", n=1) == "TR 1"
    assert gettext("tr", "b") == "B"
    assert gettext("tr", "c") == "c"
    assert gettext("tr", "a") == "a"
