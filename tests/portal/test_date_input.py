"""GOV.UK's date input: three boxes per date, joined into the ISO date the API reads; what was typed
comes back in its boxes, in the order the page's language writes dates, with the error beside it."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from tests.portal.test_portal_pages import error_next_to

from keta.i18n import gettext
from keta.web.portal.dates import join_dates


def test_three_boxes_become_one_date_and_a_partial_one_stays_as_typed() -> None:
    fields = {"birth_date.day": "7", "birth_date.month": "3", "birth_date.year": "2007", "other": "x"}
    assert join_dates(fields) == {"birth_date": "2007-03-07", "other": "x"}
    assert join_dates({"d.day": "", "d.month": "", "d.year": ""}) == {"d": ""}  # unanswered: "required"
    assert join_dates({"d.day": "31", "d.month": "", "d.year": "07"}) == {"d": "07--31"}  # refused as invalid_date
    assert join_dates({"d": "2007-03-07"}) == {"d": "2007-03-07"}  # the ISO value (review page, scripts)


def test_eligibility_reads_the_boxes_and_shows_them_again(client: TestClient) -> None:
    boxes = {"birth_date.day": "12", "birth_date.month": "4", "birth_date.year": "1990"}
    arrival = {"arrival_date.day": "1", "arrival_date.month": "2", "arrival_date.year": "2027"}
    answered = client.post("/?lang=tr", data={"nationality": "TUR", **boxes, **arrival})
    assert answered.status_code == 200 and gettext("tr", "outcome.required") in answered.text
    wrong = client.post(
        "/?lang=tr", data={"nationality": "TUR", **boxes, "arrival_date.day": "31", "arrival_date.month": "2"}
    )
    assert wrong.status_code == 422
    assert error_next_to(wrong.text, "f-arrival-date")  # named, beside the boxes, linked from the first
    typed = dict(re.findall(r'name="(arrival_date\.(?:day|month|year))"[^>]*\bvalue="([^"]*)"', wrong.text))
    assert typed == {"arrival_date.day": "31", "arrival_date.month": "2", "arrival_date.year": ""}


def test_the_boxes_follow_the_language_order(client: TestClient) -> None:
    def order(lang: str) -> list[str]:
        page = client.get(f"/?lang={lang}").text
        return re.findall(r'name="birth_date\.(day|month|year)"', page)

    assert order("tr") == ["day", "month", "year"]
    assert order("ko") == ["year", "month", "day"]
    assert order("ar") == ["day", "month", "year"]
