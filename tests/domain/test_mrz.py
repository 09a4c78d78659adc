"""TD3 machine-readable zones: check digits, transliteration, parsing and rendering."""

from __future__ import annotations

from datetime import date

import pytest

from keta.domain.mrz import (
    MrzData,
    MrzProblem,
    MrzProblemCode,
    check_digit,
    parse_td3,
    render_td3,
    to_mrz_name_chars,
)

TODAY = date(2026, 11, 29)
# ICAO Doc 9303 Part 4 specimen.
LINE1 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
LINE2 = "L898902C36UTO7408122F1204159ZE184226B<<<<<10"
SPECIMEN = MrzData(
    document_code="P",
    issuing_state="UTO",
    surname="ERIKSSON",
    given_names="ANNA MARIA",
    document_number="L898902C3",
    nationality="UTO",
    birth_date=date(1974, 8, 12),
    sex="F",
    expiry_date=date(2012, 4, 15),
    personal_number="ZE184226B",
)
Code = MrzProblemCode


def _with(line: str, index: int, char: str) -> str:
    return line[:index] + char + line[index + 1 :]


# --- check digits -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "digit"),
    [("L898902C3", "6"), ("740812", "2"), ("120415", "9"), ("ZE184226B<<<<<", "1"), ("<<<<", "0"), ("", "0")],
)
def test_check_digit_known_values(text: str, digit: str) -> None:
    assert check_digit(text) == digit


def test_check_digit_weights_letters_as_10_to_35() -> None:
    # A=10 with weight 7 -> 70 -> 0; Z=35 with weight 3 in second place -> 105 -> 5.
    assert check_digit("A") == "0"
    assert check_digit("<Z") == "5"
    assert check_digit("<<9") == "9"


@pytest.mark.parametrize("text", ["l898", "AB-1", "É", "١٢"])
def test_check_digit_rejects_characters_outside_the_mrz_set(text: str) -> None:
    with pytest.raises(ValueError, match="MRZ character set"):
        check_digit(text)


# --- transliteration ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "mrz"),
    [
        ("Müller", "MUELLER"),
        ("Öztürk", "OEZTUERK"),
        ("Straße", "STRASSE"),
        ("ẞ", "SS"),
        ("Ångström", "AANGSTROEM"),
        ("Ærø", "AEROE"),
        ("Œuvre", "OEUVRE"),
        ("Þór", "THOR"),
        ("Guðrún", "GUDRUN"),
        ("Ĳsbrand", "IJSBRAND"),
        ("Łukasz", "LUKASZ"),
        ("José Ñúñez", "JOSE<NUNEZ"),
        ("Şahin", "SAHIN"),
        ("Doğan", "DOGAN"),
        ("Çelik", "CELIK"),
        ("İsmail", "ISMAIL"),
        ("ismail", "ISMAIL"),
        ("Işık", "ISIK"),
        ("ılık", "ILIK"),
        ("İ".lower(), "I"),  # 'i' + combining dot above: upper() does not give back 'İ' by itself
        ("A\u0308rger", "AERGER"),  # decomposed umlaut
        ("Anne-Marie", "ANNE<MARIE"),
        ("Jean -  Pierre", "JEAN<PIERRE"),
        ("D'Arcy O’Neil", "DARCY<ONEIL"),
        ("  Anna Maria  ", "ANNA<MARIA"),
        ("", ""),
    ],
)
def test_transliteration_table(name: str, mrz: str) -> None:
    assert to_mrz_name_chars(name) == mrz


@pytest.mark.parametrize(("name", "bad"), [("Жанна", "Ж"), ("O.Brien", "."), ("Louis XIV 2", "2"), ("李", "李")])
def test_transliteration_rejects_what_it_cannot_map_and_names_the_character(name: str, bad: str) -> None:
    with pytest.raises(ValueError, match=repr(bad)):
        to_mrz_name_chars(name)


# --- parsing ------------------------------------------------------------------------------------


def test_icao_specimen_is_valid_and_parses_every_field() -> None:
    result = parse_td3(LINE1, LINE2, today=TODAY)
    assert result.valid
    assert result.problems == ()
    assert result.data == SPECIMEN


def test_specimen_to_dict_is_json_ready() -> None:
    result = parse_td3(LINE1, LINE2, today=TODAY)
    assert result.data is not None
    assert result.data.to_dict() == {
        "document_code": "P",
        "issuing_state": "UTO",
        "surname": "ERIKSSON",
        "given_names": "ANNA MARIA",
        "document_number": "L898902C3",
        "nationality": "UTO",
        "birth_date": "1974-08-12",
        "sex": "F",
        "expiry_date": "2012-04-15",
        "personal_number": "ZE184226B",
    }


def test_surrounding_whitespace_and_lower_case_are_accepted() -> None:
    result = parse_td3(f"  {LINE1.lower()}\n", f"\t{LINE2.lower()} ", today=TODAY)
    assert result.valid
    assert result.data == SPECIMEN


def _field_guarding(index: int) -> tuple[str, MrzProblemCode]:
    for start, end, field, code in [
        (0, 9, "document_number", Code.DOCUMENT_NUMBER_CHECK_DIGIT),
        (13, 19, "birth_date", Code.BIRTH_DATE_CHECK_DIGIT),
        (21, 27, "expiry_date", Code.EXPIRY_DATE_CHECK_DIGIT),
        (28, 42, "personal_number", Code.PERSONAL_NUMBER_CHECK_DIGIT),
    ]:
        if start <= index <= end:
            return field, code
    assert index == 43, f"position {index} holds a digit no check digit guards"
    return "composite", Code.COMPOSITE_CHECK_DIGIT


def test_every_single_changed_digit_in_line2_is_caught_on_the_right_field() -> None:
    positions = [index for index, char in enumerate(LINE2) if char.isdigit()]
    assert len(positions) == 30  # guards against the loop silently testing nothing
    for index in positions:
        field, code = _field_guarding(index)
        for digit in "0123456789":
            if digit == LINE2[index]:
                continue
            result = parse_td3(LINE1, _with(LINE2, index, digit), today=TODAY)
            assert not result.valid, (index, digit)
            assert MrzProblem(field, code) in result.problems, (index, digit, result.problems)
            assert result.data is not None


def test_several_bad_fields_are_all_reported() -> None:
    line1 = _with(_with(LINE1, 0, "V"), 3, "1")  # visa code, digit in the issuing state
    line2 = LINE2
    for index, char in [(9, "7"), (10, "<"), (15, "1"), (16, "3"), (20, "Q"), (27, "0"), (42, "2")]:
        line2 = _with(line2, index, char)
    result = parse_td3(line1, line2, today=TODAY)
    assert set(result.problems) == {
        MrzProblem("document_code", Code.DOCUMENT_CODE),
        MrzProblem("issuing_state", Code.ISSUING_STATE_INVALID),
        MrzProblem("document_number", Code.DOCUMENT_NUMBER_CHECK_DIGIT),
        MrzProblem("nationality", Code.NATIONALITY_INVALID),
        MrzProblem("birth_date", Code.BIRTH_DATE_CHECK_DIGIT),
        MrzProblem("birth_date", Code.BIRTH_DATE_INVALID),
        MrzProblem("sex", Code.SEX_INVALID),
        MrzProblem("expiry_date", Code.EXPIRY_DATE_CHECK_DIGIT),
        MrzProblem("personal_number", Code.PERSONAL_NUMBER_CHECK_DIGIT),
        MrzProblem("composite", Code.COMPOSITE_CHECK_DIGIT),
    }
    assert result.data is not None
    assert result.data.birth_date is None
    assert result.data.sex is None
    assert result.data.surname == "ERIKSSON"


def test_impossible_month_keeps_the_data_without_a_birth_date() -> None:
    body = _with(_with(LINE2, 15, "1"), 16, "3")[:19]  # 741312: month 13
    line2 = body + check_digit(body[13:19]) + LINE2[20:43]
    line2 += check_digit(line2[0:10] + line2[13:20] + line2[21:43])
    result = parse_td3(LINE1, line2, today=TODAY)
    assert result.problems == (MrzProblem("birth_date", Code.BIRTH_DATE_INVALID),)
    assert result.data is not None
    assert result.data.birth_date is None
    assert result.data.document_number == "L898902C3"
    assert result.data.to_dict()["birth_date"] is None


def test_impossible_expiry_day_is_reported() -> None:
    line1, line2 = LINE1, _with(LINE2, 25, "3")  # 120435
    line2 = line2[:27] + check_digit(line2[21:27]) + line2[28:43]
    line2 += check_digit(line2[0:10] + line2[13:20] + line2[21:43])
    result = parse_td3(line1, line2, today=TODAY)
    assert result.problems == (MrzProblem("expiry_date", Code.EXPIRY_DATE_INVALID),)
    assert result.data is not None
    assert result.data.expiry_date is None


@pytest.mark.parametrize(
    ("line1", "line2", "expected"),
    [
        (LINE1[:-1], LINE2, (MrzProblem("line1", Code.LINE_LENGTH),)),
        (LINE1, LINE2 + "<", (MrzProblem("line2", Code.LINE_LENGTH),)),
        ("", "", (MrzProblem("line1", Code.LINE_LENGTH), MrzProblem("line2", Code.LINE_LENGTH))),
        (_with(LINE1, 10, "-"), LINE2, (MrzProblem("line1", Code.INVALID_CHARACTER),)),
        (LINE1, _with(LINE2, 3, " "), (MrzProblem("line2", Code.INVALID_CHARACTER),)),
        (_with(LINE1, 7, "ß"), LINE2, (MrzProblem("line1", Code.INVALID_CHARACTER),)),  # not read as SS
        (_with(LINE1, 7, "ı"), LINE2, (MrzProblem("line1", Code.INVALID_CHARACTER),)),
        (
            LINE1 + "Ж",
            LINE2,
            (MrzProblem("line1", Code.LINE_LENGTH), MrzProblem("line1", Code.INVALID_CHARACTER)),
        ),
    ],
)
def test_structurally_broken_lines_give_no_data_and_do_not_raise(
    line1: str, line2: str, expected: tuple[MrzProblem, ...]
) -> None:
    result = parse_td3(line1, line2, today=TODAY)
    assert result.data is None
    assert not result.valid
    assert result.problems == expected


def test_filler_sex_means_x_and_empty_personal_number_may_have_filler_check_digit() -> None:
    line2 = LINE2[:20] + "<" + LINE2[21:28] + "<" * 15
    line2 += check_digit(line2[0:10] + line2[13:20] + line2[21:43])
    result = parse_td3(LINE1, line2, today=TODAY)
    assert result.valid, result.problems
    assert result.data is not None
    assert result.data.sex == "X"
    assert result.data.personal_number == ""


@pytest.mark.parametrize("digit", ["1", "5", "9"])
def test_empty_personal_number_still_rejects_a_wrong_check_digit(digit: str) -> None:
    line2 = LINE2[:28] + "<" * 14 + digit
    line2 += check_digit(line2[0:10] + line2[13:20] + line2[21:43])
    result = parse_td3(LINE1, line2, today=TODAY)
    assert result.problems == (MrzProblem("personal_number", Code.PERSONAL_NUMBER_CHECK_DIGIT),)


def test_two_digit_years_resolve_against_today() -> None:
    line1, line2 = render_td3(
        issuing_state="UTO",
        surname="X",
        given_names="",
        document_number="1",
        nationality="UTO",
        birth_date=date(2026, 11, 29),
        sex="M",
        expiry_date=date(2076, 11, 29),
    )
    born_today = parse_td3(line1, line2, today=TODAY).data
    assert born_today is not None
    assert born_today.birth_date == date(2026, 11, 29)  # today itself is not "after today"
    assert born_today.expiry_date == date(2076, 11, 29)  # exactly fifty years ahead stays 20YY
    day_before = parse_td3(line1, line2, today=date(2026, 11, 28)).data
    assert day_before is not None
    assert day_before.birth_date == date(1926, 11, 29)
    assert day_before.expiry_date == date(1976, 11, 29)


# --- rendering ----------------------------------------------------------------------------------


def test_render_reproduces_the_icao_specimen() -> None:
    lines = render_td3(
        issuing_state="UTO",
        surname="Eriksson",
        given_names="Anna Maria",
        document_number="L898902C3",
        nationality="UTO",
        birth_date=date(1974, 8, 12),
        sex="F",
        expiry_date=date(2012, 4, 15),
        personal_number="ZE184226B",
    )
    assert lines == (LINE1, LINE2)
    assert parse_td3(*lines, today=TODAY).data == SPECIMEN


def test_round_trip_turkish_name() -> None:
    lines = render_td3(
        issuing_state="TUR",
        surname="Öztürk",
        given_names="Ayşe Gül",
        document_number="U12345678",
        nationality="TUR",
        birth_date=date(1990, 2, 28),
        sex="X",
        expiry_date=date(2031, 2, 27),
    )
    assert lines[0] == "P<TUROEZTUERK<<AYSE<GUEL<<<<<<<<<<<<<<<<<<<<"
    result = parse_td3(*lines, today=TODAY)
    assert result.valid, result.problems
    assert result.data == MrzData(
        document_code="P",
        issuing_state="TUR",
        surname="OEZTUERK",
        given_names="AYSE GUEL",
        document_number="U12345678",
        nationality="TUR",
        birth_date=date(1990, 2, 28),
        sex="X",
        expiry_date=date(2031, 2, 27),
        personal_number="",
    )


def test_round_trip_long_name_is_truncated_to_the_field() -> None:
    lines = render_td3(
        document_code="PD",
        issuing_state="D",
        surname="Wolfeschlegelsteinhausen-Bergerdorff",
        given_names="Hubert Blaine",
        document_number="C01X00T47",
        nationality="D",
        birth_date=date(2004, 2, 29),
        sex="m",
        expiry_date=date(2034, 2, 28),
        personal_number="12345678901234",
    )
    assert all(len(line) == 44 for line in lines)
    assert lines[0] == "PDD<<WOLFESCHLEGELSTEINHAUSEN<BERGERDORFF<<H"
    result = parse_td3(*lines, today=TODAY)
    assert result.valid, result.problems
    assert result.data is not None
    assert result.data.surname == "WOLFESCHLEGELSTEINHAUSEN BERGERDORFF"
    assert result.data.given_names == "H"
    assert result.data.document_code == "PD"
    assert result.data.issuing_state == "D"
    assert result.data.birth_date == date(2004, 2, 29)
    assert result.data.personal_number == "12345678901234"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("document_number", "L898902C31"),  # ten characters: ICAO overflow is out of scope
        ("document_number", ""),
        ("document_number", "AB-12"),
        ("issuing_state", "UTOP"),
        ("nationality", "U1"),
        ("personal_number", "123456789012345"),
        ("sex", "Q"),
        ("document_code", "V"),
        ("surname", "'"),
        ("given_names", "Жанна"),
    ],
)
def test_render_rejects_fields_the_mrz_cannot_hold(field: str, value: str) -> None:
    fields: dict[str, str] = {
        "issuing_state": "UTO",
        "surname": "Eriksson",
        "given_names": "Anna",
        "document_number": "L898902C3",
        "nationality": "UTO",
        "sex": "F",
        "personal_number": "",
        "document_code": "P",
        field: value,
    }
    with pytest.raises(ValueError):
        render_td3(**fields, birth_date=date(1974, 8, 12), expiry_date=date(2012, 4, 15))
