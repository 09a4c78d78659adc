"""Statistics for supervisors and auditors: each figure as a chart drawn on the server (SVG, no
script, no CDN), the same numbers as a table, and as a CSV download."""

from __future__ import annotations

import csv
import io
from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import Response

from keta.domain.review import Permission
from keta.services import statistics
from keta.web.backoffice.rendering import OfficeLocale, render
from keta.web.backoffice.security import Staff, require
from keta.web.deps import RuntimeDep, SessionDep

router = APIRouter()
Reader = Annotated[Staff, require(Permission.STATISTICS)]
PERIODS = (7, 30, 90, 365)


def _days(request: Request) -> int:
    value = request.query_params.get("days", "30")
    return int(value) if value.isdigit() and int(value) in PERIODS else 30


def _tables(request: Request, db: SessionDep, rt: RuntimeDep) -> list[statistics.Table]:
    return statistics.all_tables(db, today=rt.today(), now=rt.now(), days=_days(request))


@router.get("/statistics")
def statistics_page(request: Request, me: Reader, db: SessionDep, rt: RuntimeDep, locale: OfficeLocale) -> Response:
    context = {
        "me": me,
        "tables": _tables(request, db, rt),
        "days": _days(request),
        "periods": PERIODS,
        "oldest": statistics.oldest_open_case(db),
    }
    return render(request, locale, "statistics.html", context)


@router.get("/statistics/{name}.csv")
def statistics_csv(name: str, request: Request, me: Reader, db: SessionDep, rt: RuntimeDep) -> Response:
    table = next((t for t in _tables(request, db, rt) if t.name == name), None)
    if table is None:
        return Response("not found\n", status_code=404, media_type="text/plain")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["label", table.unit])
    writer.writerows(table.rows)
    headers = {"Content-Disposition": f'attachment; filename="{table.name}.csv"', "Cache-Control": "no-store"}
    return Response(buffer.getvalue(), media_type="text/csv; charset=utf-8", headers=headers)
