"""The group pages through a TestClient, on SQLite and PostgreSQL: members added one by one and from
a CSV file (template, Excel's habits, whole-file problems), each member's problems next to that member
in the page's language, nothing saved before "submit", one payment for all, and the group status."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

from babel.numbers import format_currency
from fastapi.testclient import TestClient
from httpx2 import Response
from sqlalchemy import func, select
from tests.conftest import Database
from tests.payments import finish_checkout
from tests.portal.forms import REPRESENTATIVE, blank_jpeg, face_jpeg, hidden_fields, member_form, members_csv
from tests.portal.test_portal_pages import error_next_to, payment_error, turkish

from keta.db.models import Application, Group, Payment
from keta.i18n import field_message, gettext
from keta.services.runtime import Runtime
from keta.web.portal.group_csv import COLUMNS
from keta.web.portal.uploads import has_photo


def count(database: Database, model: type[Application] | type[Group] | type[Payment]) -> int:
    with database.factory() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def draft_of(page: Response) -> str:
    return hidden_fields(page.text)["draft"]


def member_names(page: Response) -> list[str]:
    return re.findall(r'<span class="name">([^<]*)</span>', page.text)


def member_problems(page: Response, index: int) -> list[str]:
    """The problems listed inside member `index`'s entry of the list."""
    entry = re.search(
        rf'<li class="member[^"]*" id="f-member-{index}">(.*?)</li>\s*(?:<li class="member|</ol>)', page.text, re.S
    )
    assert entry, f"no member {index}"
    found = re.search(r'<ul class="error member-problems">(.*?)</ul>', entry.group(1), re.S)
    return re.findall(r"<li>([^<]*)</li>", found.group(1)) if found else []


def upload(client: TestClient, data: bytes, draft: str = "", **fields: str) -> Response:
    form = {**REPRESENTATIVE, "draft": draft, "action": "csv", **fields}
    return client.post("/group", data=form, files={"members_csv": ("members.csv", data, "text/csv")})


def add_photos(client: TestClient, photos: dict[int, bytes]) -> Response:
    files = [(f"photo.{index}", (f"{index}.jpg", data, "image/jpeg")) for index, data in photos.items()]
    return client.post("/group/photos", files=files, follow_redirects=False)


def group_of_three(client: TestClient) -> Response:
    """Representative + three members from a CSV file, submitted with consent."""
    page = upload(client, members_csv([member_form(i) for i in range(3)]))
    assert page.status_code == 200, page.text
    form = {**REPRESENTATIVE, "draft": draft_of(page), "consent": "true", "action": "submit"}
    return client.post(
        "/group", data={**form, "form_token": hidden_fields(page.text)["form_token"]}, follow_redirects=False
    )


# --- the member list -------------------------------------------------------------------------------


def test_members_are_added_one_by_one_and_nothing_is_saved(client: TestClient, database: Database) -> None:
    first = client.post("/group", data={**member_form(0), "action": "add"})
    assert first.status_code == 200, first.text
    second = client.post("/group", data={**member_form(1), "draft": draft_of(first), "action": "add"})
    assert member_names(second) == ["Yılmaz Membera", "Yılmaz Memberb"]
    assert member_problems(second, 0) == member_problems(second, 1) == []
    assert 'value="U20000001"' not in second.text  # the member form is empty again; the list is sealed
    assert "U20000001" in second.text  # but shown in the list
    assert count(database, Application) == count(database, Group) == 0


def test_a_member_with_bad_input_is_not_added_and_the_problem_is_next_to_the_field(
    client: TestClient, database: Database
) -> None:
    turkish(client)
    bad = client.post("/group", data={**member_form(0, passport__number="U-#1"), "action": "add"})
    assert bad.status_code == 422
    assert error_next_to(bad.text, "f-passport-number") == field_message("tr", "invalid_format")
    assert member_names(bad) == [] and draft_of(bad) == ""
    past = client.post("/group", data={**member_form(0, travel__arrival_date="2020-01-01"), "action": "add"})
    assert error_next_to(past.text, "f-travel-arrival-date") == field_message("tr", "in_past")
    assert count(database, Application) == 0


def test_members_can_be_edited_and_removed(client: TestClient) -> None:
    page = upload(client, members_csv([member_form(i) for i in range(3)]))
    removed = client.post("/group", data={**REPRESENTATIVE, "draft": draft_of(page), "action": "remove:1"})
    assert member_names(removed) == ["Yılmaz Membera", "Yılmaz Memberc"]
    edited = client.post("/group", data={**REPRESENTATIVE, "draft": draft_of(removed), "action": "edit:0"})
    assert member_names(edited) == ["Yılmaz Memberc"]
    assert 'value="U20000000"' in edited.text  # back in the member form
    nonsense = client.post("/group", data={**REPRESENTATIVE, "draft": draft_of(edited), "action": "remove:9"})
    assert member_names(nonsense) == ["Yılmaz Memberc"]


def test_a_tampered_member_list_is_an_empty_group(client: TestClient) -> None:
    page = upload(client, members_csv([member_form(0)]))
    draft = draft_of(page)
    tampered = draft[:-8] + ("A" * 8 if not draft.endswith("A" * 8) else "B" * 8)
    again = client.post("/group", data={**REPRESENTATIVE, "draft": tampered, "action": "refresh"})
    assert again.status_code == 200 and member_names(again) == []


def test_the_fifty_first_member_is_refused(client: TestClient) -> None:
    page = upload(client, members_csv([member_form(i) for i in range(50)]))
    assert len(member_names(page)) == 50
    more = client.post("/group", data={**member_form(50), "draft": draft_of(page), "action": "add"})
    assert more.status_code == 422
    assert field_message("en", "group_too_large", max=50) in more.text
    assert len(member_names(more)) == 50


# --- CSV -------------------------------------------------------------------------------------------


def test_the_template_has_every_column_and_no_sample_member(client: TestClient) -> None:
    template = client.get("/group/members-template.csv")
    assert template.headers["content-type"].startswith("text/csv")
    assert "attachment" in template.headers["content-disposition"]
    assert template.text.splitlines() == [",".join(COLUMNS)]
    assert 'href="/group/members-template.csv"' in client.get("/group").text


def test_each_members_problems_are_shown_next_to_that_member_in_turkish(client: TestClient, database: Database) -> None:
    turkish(client)
    rows = [member_form(0), member_form(1, passport__expiry_date="2020-01-01"), member_form(2)]
    rows[2]["background.criminal_record"] = "maybe"
    page = upload(client, members_csv(rows))
    assert page.status_code == 422
    assert member_problems(page, 0) == []
    label = gettext("tr", "portal.form.expiry_date")
    assert member_problems(page, 1) == [f"{label}: {field_message('tr', 'passport_expired')}"]
    assert member_problems(page, 2) == [
        f"{gettext('tr', 'portal.form.criminal_record')}: {field_message('tr', 'invalid_type')}"
    ]
    assert gettext("tr", "portal.group.member_has_problems", number=2) in page.text  # in the summary
    refused = client.post(
        "/group", data={**REPRESENTATIVE, "draft": draft_of(page), "consent": "true", "action": "submit"}
    )
    assert refused.status_code == 422 and member_problems(refused, 1)
    assert count(database, Application) == count(database, Group) == 0


def test_excel_habits_are_accepted(client: TestClient) -> None:
    semicolons = b"\xef\xbb\xbf" + members_csv([member_form(0), member_form(1)], delimiter=";") + b"\r\n;;\r\n"
    page = upload(client, semicolons)
    assert page.status_code == 200, page.text
    assert member_names(page) == ["Yılmaz Membera", "Yılmaz Memberb"]
    assert gettext("en", "portal.group.csv_added", count=2) in page.text


def test_a_file_that_cannot_be_read_adds_nothing_and_says_why(client: TestClient) -> None:
    turkish(client)
    good = members_csv([member_form(0)])
    cases = {
        good.replace(b"surname", b"family_name", 1): ("csv_unknown_columns", {"columns": "family_name"}),
        good.replace(b",nationality", b"", 1): ("csv_missing_columns", {"columns": "nationality"}),
        "surname\nYılmaz\n".encode("utf-16"): ("csv_not_utf8", {}),
        good.splitlines()[0]: ("csv_no_rows", {}),
        good + b"a,b\n": ("csv_row_shape", {"line": 3, "expected": len(COLUMNS), "found": 2}),
        b"x" * (300 * 1024): ("csv_too_large", {"max_kb": 256}),
    }
    for data, (code, params) in cases.items():
        page = upload(client, data)
        assert page.status_code == 422, code
        assert error_next_to(page.text, "f-members-csv") == field_message("tr", code, **params), code
        assert member_names(page) == [], code
    missing = b"surname,sex\nYilmaz,F\n"
    page = upload(client, missing)
    assert "birth_date, nationality, passport_number" in error_next_to(page.text, "f-members-csv")
    none = client.post("/group", data={"action": "csv"})
    assert error_next_to(none.text, "f-members-csv") == field_message("tr", "required")


def test_a_file_larger_than_the_room_left_adds_nothing(client: TestClient) -> None:
    page = upload(client, members_csv([member_form(i) for i in range(48)]))
    more = upload(client, members_csv([member_form(i) for i in range(48, 51)]), draft=draft_of(page))
    assert error_next_to(more.text, "f-members-csv") == field_message("en", "csv_too_many_rows", found=3, room=2)
    assert len(member_names(more)) == 48


# --- submit, pay, status ---------------------------------------------------------------------------


def test_group_to_payment_and_status(client: TestClient, database: Database, run_jobs: Callable[[], int]) -> None:
    turkish(client)
    submitted = group_of_three(client)
    assert (submitted.status_code, submitted.headers["location"]) == (303, "/group/confirmation")
    confirmation = client.get("/group/confirmation")
    with database.factory() as session:
        group = session.scalars(select(Group)).one()
        reference = group.reference
        members = [(m.reference, m.language, m.member_index) for m in group.members]
    assert [(language, index) for _, language, index in members] == [("tr", 0), ("tr", 1), ("tr", 2)]
    assert reference in confirmation.text and all(ref in confirmation.text for ref, _, _ in members)
    total = format_currency(Decimal(30900), "KRW", locale="tr")
    assert gettext("tr", "portal.group.fee", amount=total, count=3) in confirmation.text
    early = client.post("/group/payment")
    assert early.status_code == 422  # the photos come first
    assert error_next_to(early.text, "f-photos") == field_message("tr", "photos_missing", count=3)
    assert add_photos(client, dict.fromkeys(range(3), face_jpeg())).status_code == 303
    assert 'id="f-photos"' not in client.get("/group/confirmation").text
    assert "token" not in client.get("/group/confirmation").text  # nothing pre-filled, nothing to type
    started = client.post("/group/payment", follow_redirects=False)
    assert started.status_code == 303 and started.headers["location"].startswith("/sandbox/checkout/sbx_")
    assert count(database, Payment) == 1 and count(database, Application) == 3
    pending = client.get("/group/paid")  # back before the provider's word: shown as pending, nothing paid
    assert gettext("tr", "portal.paid.pending_title") in pending.text
    with database.factory() as session:
        assert {m.status for m in session.scalars(select(Application))} == {"submitted"}
    back = finish_checkout(client, started.headers["location"])
    assert (back.status_code, back.headers["location"]) == (303, "http://testserver/group/paid")
    paid = client.get("/group/paid")
    assert gettext("tr", "portal.group.paid_intro", amount=total, count=3) in paid.text
    assert client.post("/group/payment").status_code == 409  # one payment for the whole group
    assert count(database, Payment) == 1
    run_jobs()
    email = REPRESENTATIVE["representative.email"]
    status = client.post("/status/group", data={"group_reference": reference.lower(), "representative_email": email})
    assert status.status_code == 200
    assert status.text.count(gettext("tr", "status.approved")) == 3
    assert all(ref in status.text for ref, _, _ in members)
    wrong = client.post("/status/group", data={"group_reference": reference, "representative_email": "x@example.org"})
    assert wrong.status_code == 404 and members[0][0] not in wrong.text
    empty = client.post("/status/group", data={"representative_email": "not-an-address"})
    assert error_next_to(empty.text, "f-group-reference") == field_message("tr", "required")
    assert error_next_to(empty.text, "f-representative-email").startswith(field_message("tr", "invalid_email")[:10])


def test_submitting_needs_a_representative_consent_and_members(client: TestClient, database: Database) -> None:
    turkish(client)
    empty = client.post("/group", data={"action": "submit"})
    assert empty.status_code == 422
    assert error_next_to(empty.text, "f-representative-surname") == field_message("tr", "required")
    assert error_next_to(empty.text, "f-representative-email") == field_message("tr", "required")
    assert error_next_to(empty.text, "f-consent") == field_message("tr", "must_be_true")
    assert field_message("tr", "group_empty") in empty.text
    assert count(database, Group) == 0


def test_problems_only_the_submission_finds_are_put_on_their_member(client: TestClient, database: Database) -> None:
    twins = [member_form(0), member_form(1, passport__number="U20000000")]
    page = upload(client, members_csv(twins))
    assert member_problems(page, 1) == []  # each is fine on its own
    form = {**REPRESENTATIVE, "draft": draft_of(page), "consent": "true", "action": "submit"}
    refused = client.post("/group", data=form)
    assert refused.status_code == 422
    label = gettext("en", "portal.form.passport_number")
    assert member_problems(refused, 1) == [f"{label}: {field_message('en', 'duplicate_in_group')}"]
    assert count(database, Group) == 0


def test_a_group_sent_twice_is_saved_once(client: TestClient, database: Database) -> None:
    page = upload(client, members_csv([member_form(0)]))
    form = {**REPRESENTATIVE, "draft": draft_of(page), "consent": "true", "action": "submit"}
    form["form_token"] = hidden_fields(page.text)["form_token"]
    first = client.post("/group", data=form, follow_redirects=False)
    second = client.post("/group", data=form, follow_redirects=False)
    assert first.status_code == second.status_code == 303
    assert first.cookies["keta_group"] == second.cookies["keta_group"]
    assert count(database, Group) == 1


def test_the_confirmation_needs_the_cookie_of_the_browser_that_applied(client: TestClient) -> None:
    group_of_three(client)
    reference = client.cookies["keta_group"].rsplit(".", 1)[0]
    client.cookies.clear()
    client.cookies.set("keta_group", f"{reference}.{'0' * 64}")
    assert client.get("/group/confirmation", follow_redirects=False).headers["location"] == "/group"


def test_a_declined_group_payment_is_said_above_the_button_and_leaves_it_payable(
    client: TestClient, database: Database
) -> None:
    turkish(client)
    group_of_three(client)
    add_photos(client, dict.fromkeys(range(3), face_jpeg()))
    started = client.post("/group/payment", follow_redirects=False)
    back = finish_checkout(client, started.headers["location"], outcome="declined")
    declined = client.get(back.headers["location"])
    assert declined.status_code == 402
    assert payment_error(declined.text) == gettext("tr", "error.payment_declined")
    with database.factory() as session:
        assert [p.status for p in session.scalars(select(Payment))] == ["declined"]
        assert {m.status for m in session.scalars(select(Application))} == {"submitted"}
    again = client.post("/group/payment", follow_redirects=False)
    assert again.headers["location"] != started.headers["location"]  # a new checkout


def test_each_members_photo_is_checked_and_a_refused_one_is_said_next_to_it(
    client: TestClient, database: Database, runtime: Runtime
) -> None:
    turkish(client)
    group_of_three(client)
    nothing = add_photos(client, {})
    assert nothing.status_code == 422
    assert error_next_to(nothing.text, "f-photo-2") == field_message("tr", "required")
    huge = add_photos(client, {0: b"\xff\xd8\xff" + bytes(3_000_000)})
    assert error_next_to(huge.text, "f-photo-0") == field_message("tr", "photo_too_large")
    mixed = add_photos(client, {0: face_jpeg(), 1: blank_jpeg(), 2: b"%PDF-1.4"})
    assert mixed.status_code == 422
    assert error_next_to(mixed.text, "f-photo-1") == field_message("tr", "photo_no_face")
    assert error_next_to(mixed.text, "f-photo-2") == field_message("tr", "photo_wrong_format")
    assert 'id="f-photo-0"' not in mixed.text  # kept: only the refused ones are asked for again
    assert gettext("tr", "portal.group.photos_saved", count=1) in mixed.text
    with database.factory() as session:
        members = list(session.scalars(select(Group)).one().members)
        assert [has_photo(runtime, m) for m in members] == [True, False, False]
    assert add_photos(client, {1: face_jpeg(), 2: face_jpeg()}).status_code == 303
    paid = client.post("/group/payment", follow_redirects=False)
    assert paid.status_code == 303 and count(database, Payment) == 1
