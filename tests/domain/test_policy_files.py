"""Policy files are validated strictly: a typo is a legal error, and every error names its key."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from keta.adapters.policy_files import PolicyFileError, load_policy, parse_policy
from keta.domain.policy import Fee

VALID = """\
[policy]
code = "test"
name = "Test scheme"
timezone = "Asia/Seoul"
currency = "KRW"
home_nationalities = ["KOR"]
home_national_reason = "korean_national"

[[visa_free]]
from = "2021-09-01"
[visa_free.countries]
TUR = 90
USA = 90

[[temporary_exemption]]
from = "2023-04-01"
until = "2026-12-31"
countries = ["USA"]

[[validity]]
until = "2023-07-02"
years = 2

[[validity]]
from = "2023-07-03"
years = 3

[[fee]]
from = "2021-09-01"
amount = "10000"
card_fee_percent = "3"
refundable = false

[[max_group_size]]
value = 50

[[languages]]
value = ["ko", "en"]
"""


def variant(old: str, new: str) -> str:
    """VALID with exactly one edit; fails loudly if the edit would silently do nothing."""
    assert VALID.count(old) == 1, old
    return VALID.replace(old, new)


def test_minimal_policy_parses() -> None:
    policy = parse_policy(VALID, label="test.toml")
    assert policy.code == "test"
    assert policy.timezone == "Asia/Seoul"
    assert policy.home_nationalities == frozenset({"KOR"})
    assert policy.visa_free_stay_days("TUR", date(2024, 1, 1)) == 90
    assert [v.years for v in (policy.validity.on(date(2023, 7, 2)), policy.validity.on(date(2023, 7, 3)))] == [2, 3]
    assert policy.temporarily_exempt("USA", date(2026, 12, 31)) is not None
    assert policy.temporarily_exempt("USA", date(2027, 1, 1)) is None
    assert policy.max_group_size.on(date(2030, 1, 1)) == 50
    assert policy.age_exemption.on(date(2030, 1, 1)) is None  # optional sections default to "no such rule"


@pytest.mark.parametrize(
    ("text", "key", "detail"),
    [
        ("bogus = 1\n" + VALID, "bogus", "Extra inputs"),
        (variant("years = 3", "years = 3\nyeers = 4"), "validity[1].yeers", "Extra inputs"),
        (variant("years = 3", 'years = "three"'), "validity[1].years", "integer"),
        (variant("years = 3", "years = 0"), "validity[1].years", "greater than or equal to 1"),
        (variant("years = 2", "years = 2.5"), "validity[0].years", "integer"),
        (variant("TUR = 90", "TR = 90"), "visa_free[0].countries", "'TR'"),
        (variant("TUR = 90", "tur = 90"), "visa_free[0].countries", "'tur'"),
        (variant('countries = ["USA"]', 'countries = ["USA", "tur"]'), "temporary_exemption[0].countries", "'tur'"),
        (variant('countries = ["USA"]', 'countries = ["US"]'), "temporary_exemption[0].countries", "'US'"),
        (variant('["KOR"]', '["KR"]'), "policy.home_nationalities", "'KR'"),
        (variant("Asia/Seoul", "Mars/Olympus"), "policy.timezone", "unknown time zone 'Mars/Olympus'"),
        (variant("Asia/Seoul", "../etc/passwd"), "policy.timezone", "unknown time zone"),
        (variant('from = "2023-07-03"', 'from = "2023-02-30"'), "validity[1].from", "date"),
        (variant("refundable = false", 'refundable = "maybe"'), "fee[0].refundable", "boolean"),
        (variant('card_fee_percent = "3"', 'card_fee_percent = "300"'), "fee[0].card_fee_percent", "100"),
    ],
)
def test_bad_values_name_their_key(text: str, key: str, detail: str) -> None:
    with pytest.raises(PolicyFileError) as caught:
        parse_policy(text, label="test.toml")
    message = str(caught.value)
    assert message.startswith(f"test.toml: bad key '{key}'"), message
    assert detail in message


@pytest.mark.parametrize(
    ("section", "start", "end"),
    [
        ("policy", "[policy]", "[[visa_free]]"),
        ("visa_free", "[[visa_free]]", "[[temporary_exemption]]"),
        ("validity", "[[validity]]\nuntil", "[[fee]]"),
        ("fee", "[[fee]]", "[[max_group_size]]"),
        ("max_group_size", "[[max_group_size]]", "[[languages]]"),
    ],
)
def test_missing_required_section(section: str, start: str, end: str) -> None:
    text = VALID[: VALID.index(start)] + VALID[VALID.index(end) :]
    with pytest.raises(PolicyFileError, match=rf"^test\.toml: bad key '{section}': Field required"):
        parse_policy(text, label="test.toml")


def test_overlapping_versions_name_both_indexes() -> None:
    text = variant('until = "2023-07-02"', 'until = "2023-07-03"')  # both versions in force on 2023-07-03
    with pytest.raises(PolicyFileError) as caught:
        parse_policy(text, label="test.toml")
    assert str(caught.value).startswith("test.toml: bad key 'validity[1]': overlaps validity[0]")


def test_open_ended_versions_overlap() -> None:
    text = variant('until = "2023-07-02"\nyears = 2', "years = 2")  # 2 years forever, and 3 from 2023-07-03
    with pytest.raises(PolicyFileError, match=r"'validity\[1\]': overlaps validity\[0\]"):
        parse_policy(text, label="test.toml")


@pytest.mark.parametrize(
    ("text", "key"),
    [
        (variant('amount = "10000"', 'until = "2021-08-31"\namount = "10000"'), "fee[0].until"),
        (variant('from = "2023-07-03"', 'from = "2023-07-03"\nuntil = "2023-07-02"'), "validity[1].until"),
    ],
)
def test_until_before_from(text: str, key: str) -> None:
    with pytest.raises(PolicyFileError, match=re.escape(f"bad key '{key}': before its 'from'")):
        parse_policy(text, label="test.toml")


@pytest.mark.parametrize(
    ("text", "key"),
    [
        (variant('until = "2026-12-31"', 'until = "2022-12-31"'), "temporary_exemption[0].until"),
        (
            variant("USA = 90", 'USA = 90\n[[visa_free]]\nfrom = "2030-01-01"\nuntil = "2029-12-31"\ncountries = {}'),
            "visa_free[1].until",
        ),
    ],
)
def test_until_before_from_in_overlappable_rules(text: str, key: str) -> None:
    with pytest.raises(PolicyFileError, match=re.escape(f"bad key '{key}': before its 'from'")):
        parse_policy(text, label="test.toml")


def test_overlappable_rules_may_overlap() -> None:
    extra = '\n[[temporary_exemption]]\nfrom = "2024-01-01"\nuntil = "2026-12-31"\ncountries = ["USA", "TUR"]\n'
    policy = parse_policy(VALID + extra, label="test.toml")
    assert len(list(policy.temporary_exemptions.in_force(date(2024, 6, 1)))) == 2


@pytest.mark.parametrize("text", ["[policy", VALID + "\n[policy]\ncode = 'again'\n", "years = = 3\n"])
def test_invalid_toml(text: str) -> None:
    with pytest.raises(PolicyFileError, match=r"^test\.toml: not valid TOML"):
        parse_policy(text, label="test.toml")


def test_load_policy_names_a_missing_path(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "kr-custom.toml"
    with pytest.raises(PolicyFileError) as caught:
        load_policy(missing)
    assert str(caught.value).startswith(f"{missing}: cannot read policy file")


def test_load_policy_from_a_path_labels_errors_with_the_file_name(tmp_path: Path) -> None:
    good, bad = tmp_path / "mine.toml", tmp_path / "broken.toml"
    good.write_text(VALID, encoding="utf-8")
    bad.write_text(variant("years = 3", 'years = "three"'), encoding="utf-8")
    assert load_policy(good).code == "test"
    assert load_policy(str(good)).code == "test"
    with pytest.raises(PolicyFileError, match=r"^broken\.toml: bad key 'validity\[1\]\.years'"):
        load_policy(bad)


@pytest.mark.parametrize(("name", "code"), [("kr", "kr"), ("etias", "etias")])
def test_builtin_policies_load(name: str, code: str) -> None:
    assert load_policy(name).code == code


def test_kr_fee_is_10300_per_person() -> None:
    fee = load_policy("kr").fee.on(date(2026, 11, 29))
    assert fee is not None
    assert (fee.amount, fee.currency, fee.card_fee_percent, fee.refundable) == (
        Decimal(10000),
        "KRW",
        Decimal(3),
        False,
    )
    assert fee.total_per_person() == Decimal(10300)


@pytest.mark.parametrize(
    ("amount", "percent", "total"),
    [("10000", "3", "10300"), ("10050", "3", "10352"), ("10016", "3", "10316"), ("10000", "0", "10000")],
)
def test_card_fee_rounds_half_up_to_whole_won(amount: str, percent: str, total: str) -> None:
    # 301.5 -> 302; 300.48 -> 300
    assert Fee(Decimal(amount), "KRW", Decimal(percent), False).total_per_person() == Decimal(total)


def test_overlapping_visa_free_versions_give_the_longest_stay() -> None:
    extra = 'USA = 90\n\n[[visa_free]]\nfrom = "2024-01-01"\n[visa_free.countries]\nTUR = 30\nUSA = 180'
    policy = parse_policy(variant("USA = 90", extra), label="test.toml")
    assert policy.visa_free_stay_days("USA", date(2023, 12, 31)) == 90
    assert policy.visa_free_stay_days("USA", date(2024, 1, 1)) == 180
    assert policy.visa_free_stay_days("TUR", date(2024, 1, 1)) == 90


def test_etias_fee_has_no_card_fee() -> None:
    fee = load_policy("etias").fee.on(date(2026, 11, 29))
    assert fee is not None
    assert fee.total_per_person() == Decimal(20)
    assert (fee.waived_at_or_under, fee.waived_at_or_over) == (17, 70)


def test_card_fee_keeps_the_cents_of_a_currency_that_has_them() -> None:
    assert Fee(Decimal(20), "EUR", Decimal("2.5"), False).total_per_person() == Decimal("20.50")
