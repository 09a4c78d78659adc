"""What `keta demo` prints before it serves: the portal first, then what to try on it.

Order is for the newcomer who just typed `make run`: where to open the browser, one application to
look up on the status page, how the sandbox pays or declines, where the e-mails go, then the API,
the back office and the operators' endpoints. Every run prints the demo cases (found again on a
database seeded by an earlier run), so the references never scroll away for good."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from keta.domain.review import Role
from keta.services.demo import DemoCase


def banner(
    base: str,
    *,
    policy: str,
    cases: Sequence[DemoCase],
    accounts: Sequence[tuple[str, Role, str]],
    mailbox: Path | None,
    fresh: bool,
) -> list[str]:
    lines = [
        "",
        f"keta demo — policy {policy}",
        "",
        f"  Portal:      {base}/",
        f"  Try:         {base}/status  — look up an application below by its reference and passport number",
        f"               (a group: {base}/status#group-status with its reference and the e-mail)",
    ]
    if cases:
        lines.append("")
        lines.extend(f"  {case.label}: {case.reference}  ({case.proof})" for case in cases)
    if not fresh:
        lines.append("  (seeded by an earlier run; `keta demo --reset` or `make run RESET=1` starts over)")
    lines += [
        "",
        '  Payments:    a sandbox — "Pay" opens keta\'s own checkout page: "Pay (sandbox)" captures the',
        '               payment, "Decline (sandbox)" declines it (no card; the API answers "sandbox": true)',
    ]
    if mailbox is not None:
        lines.append(f"  E-mails:     {base}/dev/mailbox  (also .eml files in {mailbox})")
    lines += [
        f"  API docs:    {base}/docs  ({base}/redoc)",
        '  Look one up: POST /api/v1/applications/<reference>/lookup {"passport_number": ...}',
        f"  Back office: {base}/backoffice  (password + a TOTP app; accounts: keta staff list)",
    ]
    lines.extend(
        f"  set up {username} ({role.value}) once: {base}/backoffice/enrol/{token}"
        for username, role, token in accounts
    )
    lines.append(f"  Operators:   {base}/healthz   {base}/metrics")
    lines.append("")
    return lines
