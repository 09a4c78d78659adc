"""/dev/mailbox: the e-mails development would have sent, newest first, each readable as text.

Mounted by keta.web.app only when KETA_ENV=development (the mailbox itself exists only there:
keta.adapters.mailer, keta.settings_guards), so production has no such route at all. A page for
the developer, in English; every value is escaped, names of messages are checked by the adapter.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.responses import HTMLResponse

from keta.adapters import mailbox


def _page(title: str, body: str) -> HTMLResponse:
    return HTMLResponse(
        '<!doctype html>\n<html lang="en" dir="ltr">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<title>{escape(title)} — keta (development)</title>\n<link rel="stylesheet" href="/static/keta-govuk.css">\n'
        '</head>\n<body class="govuk-template__body">\n<div class="govuk-width-container">\n'
        f'<main class="govuk-main-wrapper" id="main">\n{body}</main>\n</div>\n</body>\n</html>\n'
    )


def router(directory: Path) -> APIRouter:
    dev = APIRouter(prefix="/dev/mailbox", include_in_schema=False)

    @dev.get("")
    def inbox() -> HTMLResponse:
        rows = "".join(
            '<tr class="govuk-table__row">'
            f'<td class="govuk-table__cell"><a class="govuk-link" href="/dev/mailbox/{escape(m.name)}">'
            f"{escape(m.subject) or '(no subject)'}</a></td>"
            f'<td class="govuk-table__cell">{escape(m.to)}</td><td class="govuk-table__cell">{escape(m.date)}</td></tr>'
            for m in mailbox.listing(directory)
        )
        table = (
            '<table class="govuk-table"><thead class="govuk-table__head"><tr class="govuk-table__row">'
            '<th class="govuk-table__header" scope="col">Subject</th>'
            '<th class="govuk-table__header" scope="col">To</th>'
            f'<th class="govuk-table__header" scope="col">Date</th></tr></thead><tbody class="govuk-table__body">{rows}'
            "</tbody></table>"
            if rows
            else '<p class="govuk-body">No e-mail yet: submit an application on the portal, then look again.</p>'
        )
        where = escape(str(directory.resolve()))
        return _page(
            "Mailbox",
            '<h1 class="govuk-heading-l">Development mailbox</h1>\n'
            '<p class="govuk-body">What keta would have e-mailed (no KETA_SMTP_URL). '
            "The same messages are .eml files in "
            f"<code>{where}</code>, which any mail client opens.</p>\n{table}\n",
        )

    @dev.get("/{name}")
    def message(name: str) -> HTMLResponse:
        found = mailbox.read(directory, name)
        if found is None:
            raise HTTPException(status_code=404)
        stored, text = found
        return _page(
            stored.subject or "Message",
            f'<p class="govuk-body"><a class="govuk-back-link" href="/dev/mailbox">Mailbox</a></p>\n'
            f'<h1 class="govuk-heading-l">{escape(stored.subject)}</h1>\n'
            f'<dl class="govuk-summary-list"><div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">'
            f'To</dt><dd class="govuk-summary-list__value">{escape(stored.to)}</dd></div>'
            f'<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Date</dt>'
            f'<dd class="govuk-summary-list__value">{escape(stored.date)}</dd></div></dl>\n'
            f'<pre class="govuk-body mail-text">{escape(text)}</pre>\n',
        )

    return dev
