"""The quality harness: metrics arithmetic, public-set loaders, the report and the `keta bench` commands."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner
from rich.console import Console

from keta.bench import Contestant, LabelledQuery, NamePair, ScreeningSet
from keta.bench import quality as quality_module
from keta.bench.baseline import baseline_contestant
from keta.bench.public import ENV_VAR, load_name_bench, load_peer_run, load_yente, loose_date, resolve_public_dir
from keta.bench.quality import EngineNames, EngineScreener, keta_contestant, score_pairs, score_peer, screen_set
from keta.bench.seeded import Plan, run_seeded
from keta.bench.seeded_render import render
from keta.cli.bench import bench_group
from keta.domain.screening.model import Match, PartialDate, Query, ScreeningOutcome, WatchlistEntry

HEADER = "full_name,first_name,middle_name,last_name,gender,date_of_birth,place_of_birth,nationality\n"


def public_dir(root: Path) -> Path:
    """A miniature of ../shared/benchmarks/public with the same file layout and columns."""
    yente, nk = root / "yente", root / "nomenklatura"
    yente.mkdir(parents=True)
    nk.mkdir()
    (yente / "positives_un_untreated.csv").write_text(
        HEADER + "ABDULHAI SALEK,,,,,1965,x,af\nKO TAE HUN,,,,,1970-7-16,,kp\n", encoding="utf-8"
    )
    (yente / "positives_un_treated.csv").write_text(
        HEADER + '"SALEK, ABDULHAI",,,,,1965,x,af\nKO TAE HUNN,,,,,1970-02-31,,kp\n', encoding="utf-8"
    )
    (yente / "positives_us_congress_untreated.csv").write_text(HEADER + "Jennifer L. McClellan,,,,,1972,,\n")
    (yente / "negatives_global.csv").write_text(HEADER + "Maria Lopez,Maria,,Lopez,female,1980-01-02,x,Spain\n")
    (yente / "negatives_us.csv").write_text(HEADER + "Kathryn Barr,Kathryn,,Barr,female,1966-07-06,x,United States\n")
    cases = "case_group,schema,name1,name2,is_match,quality,category,notes\n"
    cases += "g1,Person,Olaf Scholze,Olaf Scholz,true,STRONG,,\ng1,Person,Angelo Cruz,Angela Merkel,false,MEDIUM,,\n"
    cases += "g2,Person,Vladimir Putin,Владимир Путин,true,MEDIUM,,\ng2,Company,ACME Ltd,ACME Limited,true,MEDIUM,,\n"
    (nk / "name_bench_cases.csv").write_text(cases, encoding="utf-8")
    frozen = "case_group,case_id,schema,name1,name2,is_match,quality,category,notes,score,predicted_match,outcome\n"
    frozen += "g1,a,Person,Olaf Scholze,Olaf Scholz,true,STRONG,,,0.93,true,TP\n"
    frozen += "g1,b,Person,Angelo Cruz,Angela Merkel,false,MEDIUM,,,0.75,true,FP\n"
    frozen += "g2,c,Person,Vladimir Putin,Владимир Путин,true,MEDIUM,,,0.40,false,FN\n"
    (nk / "logicv2-frozen.csv").write_text(frozen, encoding="utf-8")
    return root


class Oracle:
    """Flags exactly the true matches, with the right entity; and one stranger per set of four negatives."""

    def __init__(self, data: ScreeningSet) -> None:
        self._answers = {q.query.id: q for q in data.queries}

    def screen(self, query: Query) -> tuple[ScreeningOutcome, Sequence[Match]]:
        labelled = self._answers[query.id]
        if labelled.expected_match:
            return ScreeningOutcome.HIT, [Match(str(labelled.entity_id), 1.0, ())]
        if query.id.endswith("0"):
            return ScreeningOutcome.REVIEW, [Match("anyone", 0.9, ())]
        return ScreeningOutcome.CLEAR, []


def tiny_set() -> ScreeningSet:
    entries = (WatchlistEntry("e1", ("A B",)), WatchlistEntry("e2", ("C D",)))
    queries = [LabelledQuery(Query(f"p{i}", "x"), "hit_me", True, "e1") for i in range(4)]
    queries += [LabelledQuery(Query(f"n{i}", "y"), "leave_me", False) for i in range(1, 11)]
    return ScreeningSet("own", entries, tuple(queries))


def test_recall_fpr_precision_f1() -> None:
    data = tiny_set()
    holder: dict[str, Oracle] = {}

    def build(entries: Sequence[WatchlistEntry]) -> Oracle:
        return holder.setdefault("o", Oracle(data))

    score = screen_set(data, Contestant("oracle", build, baseline_contestant().names))
    assert score.recall == 1.0
    assert score.fpr == pytest.approx(0.1)  # n10 only
    assert score.precision == pytest.approx(4 / 5)
    assert score.f1 == pytest.approx(2 * 0.8 / 1.8)
    assert score.tallies["hit_me"].n == 4 and score.tallies["leave_me"].hits == 1


def test_a_flag_on_the_wrong_entity_is_not_recall() -> None:
    data = tiny_set()

    class WrongEntity:
        def screen(self, query: Query) -> tuple[ScreeningOutcome, list[Match]]:
            return ScreeningOutcome.REVIEW, [Match("e2", 0.9, ())]

    score = screen_set(data, Contestant("wrong", lambda _entries: WrongEntity(), baseline_contestant().names))
    assert score.recall == 0.0
    assert score.fpr == 1.0
    assert score.tallies["hit_me"].flagged == 4


def test_pair_metrics() -> None:
    pairs = [NamePair("a", "a", True, "g"), NamePair("a", "b", False, "g"), NamePair("c", "d", True, "h")]
    score = score_pairs("x", pairs, lambda p: p.name1 in ("a",))
    assert (score.overall.tp, score.overall.fp, score.overall.fn, score.overall.tn) == (1, 1, 1, 0)
    assert score.overall.precision == 0.5 and score.overall.recall == 0.5 and score.overall.f1 == 0.5
    assert score.groups["h"].f1 == 0.0


def test_loaders_read_the_public_layout(tmp_path: Path) -> None:
    root = public_dir(tmp_path)
    pairs = load_name_bench(root)
    assert pairs is not None and len(pairs) == 3  # the Company row is left out
    peer = load_peer_run(root)
    assert peer is not None
    peer_score = score_peer(peer)
    assert (peer_score.overall.tp, peer_score.overall.fp, peer_score.overall.fn) == (1, 1, 1)
    yente = load_yente(root, negatives_sample=1, seed=1)
    assert yente is not None
    assert [e.entity_id for e in yente.entries] == ["yente-un-0", "yente-un-1", "yente-us-congress-0"]
    assert yente.entries[1].birth_dates == (PartialDate(1970, 7, 16),)
    positives = [q for q in yente.queries if q.expected_match]
    assert [(q.query.surname, q.query.given_names, q.entity_id) for q in positives] == [
        ("SALEK, ABDULHAI", "", "yente-un-0"),
        ("KO TAE HUNN", "", "yente-un-1"),
    ]
    assert positives[1].query.birth_date == PartialDate(1970, 2)  # 31 February falls back to the month
    assert sum(not q.expected_match for q in yente.queries) == 1
    assert load_yente(tmp_path / "nowhere") is None and load_name_bench(tmp_path / "nowhere") is None


def test_loose_dates() -> None:
    assert loose_date("1969-7-16") == PartialDate(1969, 7, 16)
    assert loose_date("1974-01-32") == PartialDate(1974, 1)
    assert loose_date("1974-13-01") == PartialDate(1974)
    assert loose_date("1980") == PartialDate(1980)
    assert loose_date("") is None and loose_date("circa 1980") is None


def test_public_dir_resolution(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    monkeypatch.chdir(tmp_path)
    assert resolve_public_dir() is None
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "elsewhere"))
    assert resolve_public_dir() == (tmp_path / "elsewhere").resolve()
    assert resolve_public_dir(tmp_path) == tmp_path.resolve()
    sibling = tmp_path / "work"
    sibling.mkdir()
    (tmp_path / "shared" / "benchmarks" / "public").mkdir(parents=True)
    monkeypatch.delenv(ENV_VAR)
    monkeypatch.chdir(sibling)
    assert resolve_public_dir() == (tmp_path / "shared" / "benchmarks" / "public").resolve()


SMALL = Plan(seeds=2, own_size=200, negatives_sample=2, namesake_entities=1000, namesake_queries=120)


def test_report_without_public_sets_says_so_and_renders() -> None:
    report = run_seeded(None, baseline_contestant(), public_dir=None, plan=SMALL)
    assert [s.name for s in report.sets] == ["own_tuning", "own_held_out", "namesakes_tuning", "namesakes_held_out"]
    assert "not present" in report.missing[0]
    console = Console(record=True, width=200)
    render(report, console)
    text = console.export_text()
    assert "hangul_variant" in text and "neg_stranger" in text and "baseline" in text
    assert "mean (worst seed) over 2 seeds" in text and "review rate (innocent namesakes)" in text
    assert "held out (nothing chosen on it): keta's own set, held-out part, namesake set, held-out part" in text
    assert "tuning data (weights and thresholds were chosen on these)" in text
    json.dumps(report.to_dict())


def test_report_with_public_sets_and_keta_rows_withheld(tmp_path: Path) -> None:
    report = run_seeded(keta_contestant, baseline_contestant(), public_dir=public_dir(tmp_path), plan=SMALL)
    assert [s.name for s in report.sets] == [
        "own_tuning",
        "own_held_out",
        "namesakes_tuning",
        "namesakes_held_out",
        "yente",
        "name_bench",
    ]
    own = report.sets[0]
    assert list(own.runs) == ["keta (rows withheld)", "keta (full tables)", "baseline"]
    assert [len(runs) for runs in own.runs.values()] == [2, 2, 2]
    assert own.overlap["keta (rows withheld)"] == [0.0, 0.0]  # by construction
    assert min(own.overlap["keta (full tables)"]) > 0.05  # the production tables do hold some of the spellings
    assert own.seeds != report.sets[1].seeds  # the held-out part has seeds of its own
    assert report.sets[2].seeds != report.sets[3].seeds  # the namesake set's held-out part too
    yente = report.sets[4]
    assert yente.runs["keta"][0].tallies["un_treated"].n == 2
    assert [p.label for p in report.sets[5].pairs] == ["keta", "baseline", "logic-v2 (frozen) @0.70"]
    assert report.missing == []
    payload = report.to_dict()
    assert payload["sets"][0]["role"] == "tuning data" and "held out" in payload["sets"][1]["role"]
    assert "tuning data" in payload["sets"][2]["role"] and payload["sets"][3]["role"].startswith("held out")
    assert len(payload["sets"][0]["results"]["baseline"]["per_seed"]) == 2


def test_engine_adapters_follow_the_published_contract() -> None:
    match = Match("e1", 0.9, ("surname equal",))
    engine = SimpleNamespace(screen=lambda query, limit: SimpleNamespace(outcome="review", matches=[match]))
    assert EngineScreener(engine).screen(Query("q", "x")) == (ScreeningOutcome.REVIEW, [match])
    clear = SimpleNamespace(screen=lambda query, limit: SimpleNamespace(outcome="clear", matches=[match]))
    assert EngineScreener(clear).screen(Query("q", "x")) == (ScreeningOutcome.CLEAR, [])
    names = EngineNames(lambda a, b: SimpleNamespace(score=0.91, match=a == b, reasons=()))
    assert names.score("a", "b") == 0.91 and names.is_match("a", "a") and not names.is_match("a", "b")


def test_cli_quality_with_the_baseline(tmp_path: Path) -> None:
    out = tmp_path / "quality.json"
    args = [
        "screening-quality",
        "--screener",
        "baseline",
        "--own-size",
        "200",
        "--negatives-sample",
        "2",
        "--seeds",
        "2",
    ]
    args += ["--namesake-entities", "1000", "--namesake-queries", "120"]
    args += ["--public-dir", str(public_dir(tmp_path / "public")), "--json", str(out)]
    result = CliRunner().invoke(bench_group, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "keta's own set" in result.output and "yente fixtures" in result.output
    payload = json.loads(out.read_text(encoding="utf-8"))
    assert [s["name"] for s in payload["sets"]] == [
        "own_tuning",
        "own_held_out",
        "namesakes_tuning",
        "namesakes_held_out",
        "yente",
        "name_bench",
    ]
    mean, worst = payload["sets"][0]["results"]["baseline"]["recall"]
    assert 0.0 <= worst <= mean <= 1.0


def test_cli_says_when_the_engine_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(quality_module, "ENGINE_MODULE", "keta.bench.no_such_engine")
    result = CliRunner().invoke(bench_group, ["screening-quality", "--own-size", "200"])
    assert result.exit_code == 1
    assert "--screener baseline" in result.output


def test_a_refused_name_is_counted_and_not_a_flag() -> None:
    data = tiny_set()

    class Picky:
        def screen(self, query: Query) -> tuple[ScreeningOutcome, list[Match]]:
            if query.id.startswith("p"):
                raise ValueError("no letters")
            return ScreeningOutcome.CLEAR, []

    score = screen_set(data, Contestant("picky", lambda _entries: Picky(), baseline_contestant().names))
    assert score.rejected == 4
    assert score.recall == 0.0 and score.fpr == 0.0
