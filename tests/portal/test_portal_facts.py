"""The facts a traveller needs before deciding or paying, on the portal's pages and in the API:
past arrivals and unknown country codes refused with a field error; until when and why an exemption
lasts (the policy's own end date, in Turkish and Korean); the fee, refund rule, validity, lead time,
stay and "no guarantee of entry" before the payment button, every number read from the policy; the
consent step's notice; an exempt group member flagged before the group pays."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from tests.factories import TODAY, application_json
from tests.payments import finish_checkout
from tests.portal.forms import REPRESENTATIVE, application_form, member_form, submit
from tests.portal.test_portal_pages import error_next_to

from keta.domain.dates import add_years
from keta.i18n import field_message, gettext
from keta.services.runtime import Runtime
from keta.web.countries import country_name
from keta.web.portal.facts import processing_hours
from keta.web.portal.rendering import day, money

ARRIVAL = (TODAY + timedelta(days=30)).isoformat()


def eligibility(client: TestClient, locale: str = "en", **values: str) -> tuple[int, str]:
    form = {"nationality": "TUR", "birth_date": "1990-04-12", "arrival_date": ARRIVAL, **values}
    page = client.post(f"/?lang={locale}", data=form)
    return page.status_code, page.text


# --- field errors: a past arrival, an unknown country --------------------------------------------


def test_the_eligibility_page_refuses_a_past_arrival_next_to_the_input(client: TestClient) -> None:
    status, page = eligibility(client, "tr", arrival_date=(TODAY - timedelta(days=1)).isoformat())
    assert status == 422
    assert error_next_to(page, "f-arrival-date") == field_message("tr", "in_past")
    assert 'class="result' not in page  # no answer for a trip in the past


def test_the_eligibility_page_refuses_an_unknown_country_code(client: TestClient) -> None:
    status, page = eligibility(client, "ko", nationality="XYZ")
    assert status == 422
    assert error_next_to(page, "f-nationality") == field_message("ko", "unknown_country")
    assert gettext("ko", "outcome.visa_required") not in page


@pytest.mark.parametrize(
    ("body", "path", "code"),
    [
        ({"arrival_date": (TODAY - timedelta(days=1)).isoformat()}, "arrival_date", "in_past"),
        ({"nationality": "XYZ"}, "nationality", "unknown_country"),
        ({"nationality": "xyz"}, "nationality", "unknown_country"),
    ],
)
def test_the_eligibility_api_refuses_them_with_the_field(
    client: TestClient, body: dict[str, str], path: str, code: str
) -> None:
    answer = client.post(
        "/api/v1/eligibility", json={"nationality": "TUR", "birth_date": "1990-04-12", "arrival_date": ARRIVAL, **body}
    )
    assert answer.status_code == 422, answer.text
    assert [(f["path"], f["code"]) for f in answer.json()["error"]["fields"]] == [(path, code)]


def test_an_application_with_an_unknown_country_is_refused_on_the_page_and_in_the_api(client: TestClient) -> None:
    api = client.post("/api/v1/applications", json=application_json(passport__issuing_country="XYZ"))
    assert api.status_code == 422
    assert ("passport.issuing_country", "unknown_country") in [
        (f["path"], f["code"]) for f in api.json()["error"]["fields"]
    ]
    page = client.post("/apply", data={**application_form(), "passport.nationality": "XYZ", "action": "review"})
    assert page.status_code == 422
    assert error_next_to(page.text, "f-passport-nationality") == field_message("en", "unknown_country")


def test_icao_codes_that_are_not_iso_countries_are_still_accepted(client: TestClient) -> None:
    answer = client.post(
        "/api/v1/eligibility", json={"nationality": "XXA", "birth_date": "1990-04-12", "arrival_date": ARRIVAL}
    )
    assert answer.status_code == 200, answer.text  # a stateless person's travel document


# --- until when and why an exemption lasts --------------------------------------------------------


@pytest.mark.parametrize("locale", ["tr", "ko"])
def test_a_temporary_exemption_says_its_end_date_from_the_policy(
    client: TestClient, runtime: Runtime, locale: str
) -> None:
    arrival = TODAY + timedelta(days=30)
    [entry] = [e for e in runtime.policy.temporary_exemptions.in_force(arrival) if "USA" in e.value]
    assert entry.period.end is not None
    end = day(entry.period.end, locale)
    status, page = eligibility(client, locale, nationality="USA")
    text = html.unescape(page)
    assert status == 200
    country = country_name("USA", locale)
    assert gettext(locale, "portal.exemption.temporary_until", country=country, date=end) in text
    hours = runtime.policy.advised_lead_time_hours.on(TODAY)
    assert gettext(locale, "portal.exemption.after_end", date=end, hours=hours) in text
    assert "2026" in end  # a real date, in the page's language


@pytest.mark.parametrize("locale", ["tr", "ko"])
def test_an_age_exemption_says_age_is_counted_on_arrival_and_when_it_ends(client: TestClient, locale: str) -> None:
    birth = add_years(TODAY, -14)
    status, page = eligibility(client, locale, birth_date=birth.isoformat())
    text = html.unescape(page)
    arrival = TODAY + timedelta(days=30)
    assert status == 200
    assert gettext(locale, "portal.exemption.age_counted", date=day(arrival, locale), age=14) in text
    assert gettext(locale, "portal.exemption.age_until", date=day(add_years(birth, 18), locale), age=18) in text


def test_the_apply_button_carries_the_answers_into_the_form(client: TestClient) -> None:
    status, page = eligibility(client, "tr", nationality="TUR")
    assert status == 200 and 'value="prefill"' in page
    form = client.post(
        "/apply",
        data={
            "passport.nationality": "TUR",
            "passport.birth_date": "1990-04-12",
            "travel.arrival_date": ARRIVAL,
            "action": "prefill",
        },
    )
    assert form.status_code == 200
    assert '<option value="TUR" selected>' in form.text
    boxes = dict(re.findall(r'name="([a-z_.]+\.(?:day|month|year))"[^>]*\bvalue="([^"]*)"', form.text))
    for name, iso in (("travel.arrival_date", ARRIVAL), ("passport.birth_date", "1990-04-12")):
        assert "-".join(boxes[f"{name}.{part}"] for part in ("year", "month", "day")) == iso  # GOV.UK date boxes
    assert 'class="error"' not in form.text  # nothing checked yet


# --- before payment, and the consent step ---------------------------------------------------------


def test_the_confirmation_states_the_fee_validity_lead_time_stay_and_no_guarantee(
    client: TestClient, runtime: Runtime
) -> None:
    assert submit(client, application_form()).status_code == 303
    page = html.unescape(client.get("/apply/confirmation?lang=en").text)
    policy = runtime.policy
    fee, validity = policy.fee.on(TODAY), policy.validity.on(TODAY)
    assert fee is not None and validity is not None
    expected = gettext(
        "en",
        "portal.facts.fee",
        amount=money(fee.amount, fee.currency, "en"),
        percent=str(fee.card_fee_percent),
        total=money(fee.total_per_person(), fee.currency, "en"),
    )
    assert expected in page
    assert "₩10,000" in expected and "₩10,300" in expected and "3 %" in expected
    assert gettext("en", "portal.facts.not_refunded") in page
    assert gettext("en", "portal.facts.validity", years=validity.years) in page and validity.years == 3
    assert gettext("en", "portal.facts.lead_time", hours=policy.advised_lead_time_hours.on(TODAY)) in page
    stay = policy.visa_free_stay_days("TUR", TODAY)
    assert gettext("en", "portal.facts.stay", country=country_name("TUR", "en"), days=stay) in page and stay == 90
    assert gettext("en", "portal.facts.no_guarantee") in page
    assert page.index(gettext("en", "portal.facts.no_guarantee")) < page.index(
        gettext("en", "portal.confirm.pay_title")
    )


def test_an_exempt_applicant_is_told_before_paying(client: TestClient) -> None:
    minor = add_years(TODAY, -14).isoformat()
    assert submit(client, application_form(passport__birth_date=minor)).status_code == 303
    page = html.unescape(client.get("/apply/confirmation?lang=tr").text)
    reasons = gettext("tr", "reason.age_or_under", age=17)
    assert gettext("tr", "portal.facts.exempt", reasons=reasons) in page


def test_the_consent_step_says_what_who_why_and_how_long(client: TestClient, runtime: Runtime) -> None:
    rule = runtime.policy.retention_rule(TODAY)
    assert rule is not None
    for path, consent in (("/apply", "portal.form.consent"), ("/group", "portal.group.consent")):
        page = html.unescape(client.get(f"{path}?lang=ko").text)
        assert gettext("ko", "portal.privacy.what") in page
        assert gettext("ko", "portal.privacy.who", scheme=runtime.policy.name) in page
        assert gettext("ko", "portal.privacy.why") in page
        kept = gettext(
            "ko", "portal.privacy.kept", days=rule.after_validity_days, years=rule.after_refusal_years,
            months=rule.unfinished_months,
        )  # fmt: skip
        assert kept in page and "180" in kept
        assert page.index(gettext("ko", "portal.privacy.why")) < page.index(gettext("ko", consent))


def test_the_form_asks_other_nationalities_and_the_travel_agency_and_stores_them(client: TestClient) -> None:
    form = {
        **application_form(),
        "background.other_nationalities.0": "DEU",
        "background.agency_helped": "true",
        "background.travel_agency": "Anadolu Turizm",
    }
    assert submit(client, form).status_code == 303
    reference = html.unescape(client.get("/apply/confirmation").text).split('class="reference">')[1].split("<")[0]
    assert reference
    missing_name = client.post("/apply", data={**form, "background.travel_agency": "", "action": "review"})
    assert error_next_to(missing_name.text, "f-background-travel-agency") == field_message("en", "details_required")
    same = client.post("/apply", data={**form, "background.other_nationalities.0": "TUR", "action": "review"})
    error = error_next_to(same.text, "f-background-other-nationalities-0")
    assert error == field_message("en", "same_as_nationality")


def test_country_fields_are_selects_of_every_country_named_in_the_page_language(client: TestClient) -> None:
    page = client.get("/apply?lang=tr").text
    for name in ("passport-nationality", "passport-issuing-country", "background-other-nationalities-0"):
        assert re.search(f'<select[^>]* id="f-{name}"', page)
    assert f'<option value="DEU">{country_name("DEU", "tr")}</option>' in page
    assert 'maxlength="3"' not in page  # no free three-letter boxes
    assert re.search('<select[^>]* id="f-nationality"', client.get("/?lang=tr").text)


# --- the group: an exempt member --------------------------------------------------------------------


def test_an_exempt_member_is_flagged_before_the_group_submits_and_pays(client: TestClient) -> None:
    minor = add_years(TODAY, -14).isoformat()
    member = member_form(0, passport__birth_date=minor)
    page = client.post("/group?lang=tr", data={**REPRESENTATIVE, **member, "action": "add"})
    assert page.status_code == 200, page.text
    name = f"{member['passport.surname']} {member['passport.given_names']}".strip()
    reasons = gettext("tr", "reason.age_or_under", age=17)
    flag = gettext("tr", "portal.group.member_exempt", name=name, reasons=reasons)
    assert flag in html.unescape(page.text)


def test_the_eligibility_api_says_until_when_the_exemptions_last(client: TestClient, runtime: Runtime) -> None:
    arrival = TODAY + timedelta(days=30)
    [entry] = [e for e in runtime.policy.temporary_exemptions.in_force(arrival) if "USA" in e.value]
    birth = add_years(TODAY, -14)
    answer = client.post(
        "/api/v1/eligibility", json={"nationality": "USA", "birth_date": birth.isoformat(), "arrival_date": ARRIVAL}
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["outcome"] == "exempt"
    assert body["temporary_exemption_until"] == str(entry.period.end)
    assert body["age_exemption_until"] == add_years(birth, 18).isoformat()
    required = client.post(
        "/api/v1/eligibility", json={"nationality": "TUR", "birth_date": "1990-04-12", "arrival_date": ARRIVAL}
    ).json()
    assert required["temporary_exemption_until"] is None and required["age_exemption_until"] is None


def test_the_paid_page_says_one_thing_about_processing(
    client: TestClient, runtime: Runtime, run_jobs: Callable[[], int]
) -> None:
    assert submit(client, application_form()).status_code == 303
    finish_checkout(client, client.post("/apply/payment", follow_redirects=False).headers["location"])
    hours = processing_hours(runtime.policy, TODAY)
    waiting = html.unescape(client.get("/apply/paid?lang=tr").text)
    assert gettext("tr", "portal.paid.next", hours=hours) in waiting and "72" in waiting
    assert run_jobs() >= 1  # screened: approved automatically
    done = html.unescape(client.get("/apply/paid?lang=tr").text)
    assert gettext("tr", "status.approved") in done
    assert gettext("tr", "portal.paid.approved") in done
    assert gettext("tr", "portal.paid.next", hours=hours) not in done  # no "being examined" over "Approved"
