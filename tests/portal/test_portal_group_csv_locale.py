"""A group's CSV as spreadsheets in the representative's language write it: Turkish Excel's
dd.mm.yyyy dates are read (and an unreadable date names the expected format), an unquoted comma in
an address is said as such, and the group's confirmation flags an exempt member and confirms each
photo received."""

from __future__ import annotations

import html
from datetime import date

from fastapi.testclient import TestClient
from tests.factories import TODAY
from tests.portal.forms import REPRESENTATIVE, face_jpeg, hidden_fields, member_form, members_csv

from keta.domain.dates import add_years
from keta.i18n import field_message, gettext
from keta.web.portal.csv_dates import example, read_date


def upload(client: TestClient, data: bytes, locale: str = "tr") -> tuple[int, str]:
    page = client.post(
        f"/group?lang={locale}",
        data={**REPRESENTATIVE, "action": "csv"},
        files={"members_csv": ("uyeler.csv", data, "text/csv")},
    )
    return page.status_code, html.unescape(page.text)


def turkish(value: str) -> str:
    return date.fromisoformat(value).strftime("%d.%m.%Y")


def test_dates_as_turkish_excel_writes_them_are_read(client: TestClient) -> None:
    members = [member_form(i) for i in range(2)]
    for member in members:
        for name in ("passport.birth_date", "passport.expiry_date", "travel.arrival_date"):
            member[name] = turkish(member[name])
    status, page = upload(client, members_csv(members, delimiter=";"))
    assert status == 200, page[:2000]
    assert gettext("tr", "portal.group.csv_added", count=2) in page
    assert gettext("tr", "portal.group.member_ok") in page  # dates understood, nothing to correct
    assert field_message("tr", "invalid_date") not in page


def test_an_unreadable_date_names_the_format_of_the_users_language(client: TestClient) -> None:
    member = member_form(0)
    member["passport.birth_date"] = "12.04.90"  # a two-digit year is never guessed
    status, page = upload(client, members_csv([member], delimiter=";"))
    assert status == 422
    problem = field_message("tr", "csv_date", line=2, column="birth_date", value="12.04.90", example="31.12.2026")
    assert problem in page
    assert gettext("tr", "portal.group.no_members") in page  # nothing added


def test_an_unquoted_comma_in_an_address_is_said(client: TestClient) -> None:
    member = member_form(0)
    data = members_csv([member]).decode()
    address = member["travel.address_in_korea"]
    broken = data.replace(f'"{address}"', address) if f'"{address}"' in data else data
    broken = broken.replace(address, "110 Sejong-daero, Jung-gu, Seoul")
    status, page = upload(client, broken.encode(), locale="en")
    assert status == 422
    cells = len(data.splitlines()[0].split(","))
    expected = field_message("en", "csv_unquoted_comma", line=2, expected=cells, found=cells + 2)
    assert expected in page


def test_spreadsheet_orders_follow_the_locale() -> None:
    assert read_date("03/04/2026", "fr") == "2026-04-03"  # day first
    assert read_date("03/04/2026", "en") == "2026-03-04"  # month first
    assert read_date("2026. 12. 31.", "ko") == "2026-12-31"
    assert read_date("٣١‏/١٢‏/٢٠٢٦", "ar") == "2026-12-31"  # Arabic-Indic digits and direction marks
    assert read_date("31.02.2026", "tr") is None  # no such day
    assert [example(code) for code in ("tr", "en", "ko")] == ["31.12.2026", "12/31/2026", "2026-12-31"]


def test_the_confirmation_flags_an_exempt_member_and_confirms_each_photo(client: TestClient) -> None:
    minor = add_years(TODAY, -14).isoformat()
    status, page = upload(client, members_csv([member_form(0, passport__birth_date=minor), member_form(1)]))
    assert status == 200, page[:2000]
    fields = hidden_fields(page)
    form = {**REPRESENTATIVE, "draft": fields["draft"], "form_token": fields["form_token"], "consent": "true"}
    assert client.post("/group", data={**form, "action": "submit"}, follow_redirects=False).status_code == 303
    before = html.unescape(client.get("/group/confirmation?lang=tr").text)
    assert gettext("tr", "portal.group.exempt_title") in before
    assert gettext("tr", "portal.group.photos_needed_title") in before  # not "received" yet
    assert gettext("tr", "portal.group.confirm_title") not in before
    photo = ("a.jpg", face_jpeg(), "image/jpeg")
    first = client.post("/group/photos", files={"photo.0": photo}, follow_redirects=False)
    assert first.status_code == 303 and first.headers["location"] == "/group/confirmation?photos=1"
    middle = html.unescape(client.get(f"{first.headers['location']}&lang=tr").text)
    assert gettext("tr", "portal.group.photos_saved", count=1) in middle  # each upload is confirmed
    received = gettext("tr", "portal.group.photo_received", name="")
    assert middle.count(received) == 1
    assert gettext("tr", "portal.group.photos_needed_title") in middle  # one photo still wanted
    last = client.post("/group/photos", files={"photo.1": photo}, follow_redirects=False)
    after = html.unescape(client.get(f"{last.headers['location']}&lang=tr").text)
    assert gettext("tr", "portal.group.confirm_title") in after
    assert after.count(received) == 2  # every photo confirmed, until the group is paid
