"""Rendering of `seeded.SeededReport`: one table per set, every cell "mean (worst seed)"."""

from __future__ import annotations

import statistics
from collections.abc import Callable

from rich.console import Console
from rich.table import Table

from keta.bench.quality import PairTally, category_order
from keta.bench.seeded import FULL, REVIEW_CATEGORY, ROLES, TARGETS, TITLES, WITHHELD, SeededReport, SeededSet, figures

DEFINITIONS = (
    "recall: true matches flagged (review or hit) with the right entity · FPR: negatives flagged · review rate: "
    "innocent namesakes flagged (a listed person's full name, same nationality, both dates complete, 3–9 years apart)"
)


def _pair(value: tuple[float, float] | None, digits: int = 3) -> str:
    return "–" if value is None else f"{value[0]:.{digits}f} ({value[1]:.{digits}f})"


def _mark(ok: bool) -> str:
    return "[green]✓[/]" if ok else "[red]✗[/]"


def _screening_table(data: SeededSet) -> Table:
    seeds = len(data.seeds)
    table = Table(title=f"{TITLES[data.name]} — {data.size} — {ROLES[data.name]}", title_justify="left")
    for column in ("category", "metric", "n/seed"):
        table.add_column(column, justify="right" if column == "n/seed" else "left")
    labels = list(data.runs)
    for label in labels:
        runs = len(data.runs[label])
        table.add_column(
            f"{label}\nmean (worst of {runs})" if runs != seeds else f"{label}\nmean (worst)", justify="right"
        )
    first = data.runs[labels[0]][0]
    for category in category_order(first.tallies):
        expected = first.tallies[category].expected_match
        cells = []
        for label in labels:
            rates = [s.tallies[category].rate for s in data.runs[label] if category in s.tallies]
            if not rates:
                cells.append("–")
                continue
            worst = min(rates) if expected else max(rates)
            cells.append(f"{statistics.fmean(rates):.3f} ({worst:.3f})")
        metric = "recall" if expected else ("review rate" if category == REVIEW_CATEGORY.get(data.name) else "FPR")
        table.add_row(category, metric, f"{first.tallies[category].n:,}", *cells)
    table.add_section()
    shown = {label: figures(data, label) for label in labels}
    digits = {"recall": 3, "fpr": 4, "review_rate": 4}
    names = {"recall": "recall, all true matches", "fpr": "false-positive rate, all negatives"}
    names["review_rate"] = "review rate (innocent namesakes)"
    for key, title in names.items():
        if all(shown[label][key] is None for label in labels):
            continue
        cells = [f"[bold]{_pair(shown[label][key], digits[key])}[/]" for label in labels]
        table.add_row(f"[bold]{title}[/]", "", "", *cells)
    if data.overlap:
        overlap = [f"{statistics.fmean(data.overlap[x]):.1%}" if x in data.overlap else "" for x in labels]
        table.add_row("table overlap (own spellings in the data files)", "", "", *overlap)
    target = TARGETS[data.name]
    rows = []
    for label in labels:
        values = shown[label]
        recall, fpr = values["recall"], values["review_rate"] or values["fpr"]
        assert recall is not None and fpr is not None
        mean_ok = target.met(recall=recall[0], fpr=fpr[0])
        worst_ok = target.met(recall=recall[1], fpr=fpr[1])
        rows.append(f"mean {_mark(mean_ok)} worst {_mark(worst_ok)}")
    rate = "review rate" if data.name.startswith("namesakes") else "FPR"
    table.add_row("target", target.describe().replace("FPR", rate), "", *rows)
    return table


def _pairs_table(data: SeededSet) -> Table:
    table = Table(title=f"{TITLES[data.name]} — {data.size} — {ROLES[data.name]}", title_justify="left")
    table.add_column("metric")
    for score in data.pairs:
        table.add_column(score.label, justify="right")
    rows: list[tuple[str, Callable[[PairTally], str]]] = [
        ("precision", lambda t: f"{t.precision:.3f}"),
        ("recall", lambda t: f"{t.recall:.3f}"),
        ("[bold]F1[/]", lambda t: f"[bold]{t.f1:.3f}[/]"),
        ("TP / FP / FN / TN", lambda t: f"{t.tp} / {t.fp} / {t.fn} / {t.tn}"),
    ]
    for name, show in rows:
        table.add_row(name, *(show(p.overall) for p in data.pairs))
    target = TARGETS["name_bench"]
    table.add_row(f"target: {target.describe()}", *(_mark(target.met(f1=p.overall.f1)) for p in data.pairs))
    return table


def render(report: SeededReport, console: Console) -> None:
    seeds = max((len(s.seeds) for s in report.sets), default=0)
    console.print(f"[bold]Screening quality[/] — mean (worst seed) over {seeds} seeds per set")
    tuning = [TITLES[s.name] for s in report.sets if "tuning" in ROLES[s.name]]
    console.print(f"tuning data (weights and thresholds were chosen on these): {', '.join(tuning)}")
    held_out = [TITLES[s.name] for s in report.sets if ROLES[s.name].startswith("held out")]
    console.print(f"held out (nothing chosen on it): {', '.join(held_out)}")
    console.print(f"[dim]{DEFINITIONS}[/]")
    for data in report.sets:
        console.print()
        console.print(_pairs_table(data) if data.pairs else _screening_table(data))
        for note in data.notes:
            console.print(f"  [dim]{note}[/]")
        if data.overlap:
            console.print(
                f"  [dim]{WITHHELD}: the engine without every data-file row that holds one of the set's spellings or "
                f"native words (overlap zero by construction); {FULL}: the production engine, for comparison[/]"
            )
    for line in report.missing:
        console.print(f"[yellow]{line}[/]")
    console.print(f"[dim]screening-quality took {report.seconds:.1f} s[/]")
