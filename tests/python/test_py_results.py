"""Cascade and Scorecard bindings: every result as a DataFrame, zero-copy arrays, what-if."""

from __future__ import annotations

import gc
import math
import os
from pathlib import Path

import numpy as np
import pytest

if os.environ.get("SPM_REQUIRE_PYTHON_PACKAGE") == "1":
    import spm
else:
    spm = pytest.importorskip("spm", reason="the spm Python package is not installed (pip install .)")
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "municipality.json"


@pytest.fixture(scope="module")
def model():
    return spm.load(EXAMPLE)


@pytest.fixture(scope="module")
def card(model):
    return spm.score(model)


def test_columns_like_the_cli(model, card):
    assert card.columns == model.default_columns()
    assert card.columns[0] == "2025-01" and card.columns[-1] == "2026-12"
    assert spm.score(model, "2026-Q4").columns[-1] == "2026-Q4"
    assert model.default_columns("2026-YTD-06")[-1] == "2026-YTD-06"
    assert card.column("2026-12") == len(card.columns) - 1 and card.column("1999-01") == -1


def test_score_results(card):
    org = card.organization()
    assert 0 <= org.score <= 1 and org.status in spm._spm.STATUS_NAMES
    assert org.trend in spm._spm.TREND_NAMES and "score" in org.reason
    assert card.organization(-1).score == card.organization("2026-12").score
    p = card.perspective("financial")
    assert p.coverage == 1.0
    m = card.measure("M01")
    assert m.score == pytest.approx(0.94)
    assert card.actual("M01") == pytest.approx(14.4)
    assert math.isnan(card.target("M01"))  # a thresholds measure has no target


def test_scores_frame_long_and_wide(model, card):
    long = card.scores()
    assert list(long.columns) == ["kind", "id", "name", "column", "score", "status", "coverage",
                                  "trend", "slope"]
    cascade = card.cascade
    assert len(long) == cascade.node_count * len(card.columns)
    assert isinstance(long["status"].dtype, pd.CategoricalDtype)
    g = long[(long["kind"] == "goal") & (long["id"] == "G-S1") & (long["column"] == "2026-12")]
    assert g["score"].item() == card.node("goal", "G-S1").score
    assert g["status"].item() == card.node("goal", "G-S1").status
    assert g["name"].item() == "Sustainable public finances"
    wide = card.scores(form="wide")
    assert list(wide.columns) == card.columns
    np.testing.assert_array_equal(wide.to_numpy(dtype=float), card.node_scores)
    everything = card.scores("all")
    assert set(everything["kind"]) >= {"organization", "perspective", "goal", "measure"}
    status_wide = card.scores("measures", form="wide", value="status")
    assert status_wide.loc[("measure", "M01"), "2026-12"] == card.measure("M01").status


def test_measures_and_perspectives_frames(model, card):
    ms = card.measures(column=-1)
    assert len(ms) == model.count("measure")
    row = ms[ms["id"] == "M01"].iloc[0]
    assert row["actual"] == pytest.approx(14.4) and row["score"] == pytest.approx(0.94)
    ps = card.perspectives("2026-12")
    assert ps["kind"].tolist() == ["organization"] + ["perspective"] * 4
    assert ps.iloc[0]["score"] == card.organization().score


def test_zero_copy_views(card):
    scores = card.node_scores
    assert scores.shape == (card.cascade.node_count, len(card.columns))
    assert scores.dtype == np.float64 and not scores.flags.writeable
    assert scores.base is not None
    again = card.node_scores
    assert np.shares_memory(scores, again)  # the same storage, never a copy
    with pytest.raises(ValueError):
        scores[0, 0] = 1.0
    ms = card.measure_scores
    assert ms.shape == (421, len(card.columns)) and not ms.flags.writeable
    idx = card.model.ids("measure").index("M01")
    assert ms[idx, -1] == card.measure("M01").score


def test_views_keep_the_scorecard_alive(model):
    scores = spm.score(model).node_scores
    copy = scores.copy()
    gc.collect()
    np.testing.assert_array_equal(scores, copy)  # the base keeps the C++ storage alive


def test_explain(card):
    frame = card.explain("goal", "G-S1")
    assert list(frame.columns) == ["kind", "id", "score", "carried", "weight", "normalized",
                                   "contribution"]
    assert frame["normalized"].sum() == pytest.approx(1.0)
    assert frame["contribution"].sum() == pytest.approx(frame.attrs["score"])
    assert frame.attrs["score"] == card.node("goal", "G-S1").score
    assert "G-S1" in frame.attrs["text"]
    e = card.explanation("goal", "G-S1", "2026-12")
    assert e.node == ("goal", "G-S1") and e.column == "2026-12" and e.rollup == "mean"
    assert sum(e.status_counts.values()) >= 0


def test_pace_forecast_sensitivity(card):
    pace = card.pace("M01", "2026-06")
    assert pace.measure == "M01" and pace.as_of == "2026-06"
    fc = card.forecast("M03", "2027")
    assert fc.span == "2027" and fc.status in spm._spm.STATUS_NAMES
    assert 0 < card.sensitivity("G-S1", "M01") <= 1


def test_cascade_queries(model):
    cascade = model.compile()
    assert cascade.is_current and cascade.model == model
    nodes = cascade.nodes_frame()
    assert len(nodes) == cascade.node_count and set(nodes["kind"]) >= {"goal", "objective"}
    assert nodes["kind"].iloc[-1] == "goal"  # the last node is the last goal
    assert cascade.index_of("goal", "G-S1") >= 0 and cascade.index_of("goal", "nope") == -1
    gaps = cascade.orphans_frame()
    assert set(gaps["gap"]) <= {"orphan", "uncovered_goal", "strategy_without_milestones",
                                "milestone_without_owner"}
    assert len(gaps[gaps["gap"] == "orphan"]) == len(cascade.orphans())
    cov = cascade.coverage()
    assert cov["groups"]["kind"].iloc[0] == "organization"
    assert len(cov["goals"]) == model.count("goal")
    assert 0 <= cov["groups"]["share"].iloc[0] <= 1
    contributors = cascade.contributors("G-S1")
    assert contributors["goal"] == "G-S1" and contributors["nodes"]
    emp = model.ids("employee")[10]
    assert all(0 <= v for _, v in cascade.impact("employee", emp))


def test_edges_match_explanations(model, card):
    edges = card.cascade.edges()
    assert list(edges.columns) == ["source_kind", "source_id", "target_kind", "target_id",
                                   "weight", "normalized"]
    sums = edges.groupby(["target_kind", "target_id"])["normalized"].sum()
    np.testing.assert_allclose(sums.to_numpy(), 1.0)
    into = edges[(edges["target_kind"] == "goal") & (edges["target_id"] == "G-S1")]
    e = card.explanation("goal", "G-S1")
    assert sorted(zip(into["source_kind"], into["source_id"], into["weight"])) == sorted(
        (x.input[0], x.input[1], x.weight) for x in e.inputs)


def test_trace(model):
    cascade = model.compile()
    obj = cascade.contributors("G-C1")["nodes"][-1][0]
    trace = cascade.trace(*obj)
    assert list(trace.columns) == ["path", "step", "kind", "id", "path_weight"]
    assert (trace.groupby("path")["kind"].last() == "goal").all()
    assert trace.attrs["truncated"] is False and "G-C1" in trace.attrs["goals"]


def test_attribution_matrix(model):
    cascade = model.compile()
    a = cascade.attribution_matrix()
    n, g = a.shape
    assert n == cascade.node_count and g == model.count("goal")
    assert a.indptr.dtype == np.int32 and a.indices.dtype == np.int32
    assert a.data.dtype == np.float64 and not a.data.flags.writeable
    assert len(a.indptr) == n + 1 and a.nnz == len(a.data) == a.indptr[-1]
    assert np.shares_memory(a.data, a.data)
    assert a.data.base is not None
    dense = cascade.attribution(form="dense")
    assert dense.shape == (n, g)
    goal_row = dense.loc[("goal", "G-S1")]
    assert goal_row["G-S1"] == 1.0
    long = cascade.attribution()
    assert len(long) == a.nnz
    col = cascade.attribution("G-S1")
    expected = dict(zip(zip(col["kind"], col["id"]), col["attribution"]))
    for (k, i), v in list(expected.items())[:20]:
        assert dense.loc[(k, i), "G-S1"] == pytest.approx(v)
    sparse = cascade.attribution(form="sparse")
    assert isinstance(sparse.dtypes.iloc[0], pd.SparseDtype)


def test_what_if(model, card):
    base_m = card.measure("M01").score
    s = spm.Scenario().set_actual("M01", "2026-12", 15.0)
    assert s.actuals == [("M01", "2026-12", 15.0)] and not s.empty
    what_if = spm.score(model, scenario=s)
    assert what_if.measure("M01").score == 1.0 and card.measure("M01").score == base_m
    diff = what_if.compare(card)
    changed = diff[(diff["delta"].abs() > 0) & (diff["column"] == "2026-12")]
    assert {"M01", "G-S1", "financial"} <= set(changed["id"])
    assert model.actuals().query("measure == 'M01' and period == '2026-12'")["value"].item() == 14.4
    # From records and DataFrames.
    again = spm.score(model, scenario={"actuals": pd.DataFrame(
        {"measure": ["M01"], "period": ["2026-12"], "value": [15.0]})})
    assert again.measure("M01").score == 1.0
    targets = spm.scenario(targets=[{"measure": "M03", "value": 1.0}])
    assert targets.targets == [("M03", None, 1.0)]
    w = spm.scenario(weights=[{"from_kind": "strategy", "from_id": "ST03", "to_kind": "goal",
                               "to_id": "G-S1", "weight": 10}])
    weighted = spm.score(model, scenario=w)
    e = weighted.explain("goal", "G-S1")
    assert e.set_index("id").loc["ST03", "weight"] == 10
    with pytest.raises(spm.InvalidArgumentError):
        spm.score(model, scenario={"budgets": []})


def test_stale_scorecard_data_survives(model):
    m = model.copy()
    card = spm.score(m)
    scores = card.node_scores.copy()
    m.remove("objective", m.ids("objective")[0])
    assert not card.is_current
    np.testing.assert_array_equal(card.node_scores, scores)  # owned by the scorecard


def test_generate_threads_and_identical_numbers():
    """spm.generate is deterministic; scoring on several threads gives the same numbers."""
    a = spm.generate(employees=3000, seed=5)
    b = spm.generate(employees=3000, seed=5)
    assert a == b
    assert a.count("employee") == 3000
    assert spm.generate(employees=50, seed=6) != spm.generate(employees=50, seed=7)
    one = a.compile().evaluate()
    many = a.compile(threads=0).evaluate(threads=2)
    assert np.array_equal(one.node_scores, many.node_scores, equal_nan=True)
    assert np.array_equal(one.measure_scores, many.measure_scores, equal_nan=True)
    with pytest.raises(spm.InvalidArgumentError, match="threads"):
        a.compile().evaluate(threads=-1)
    with pytest.raises(spm.InvalidArgumentError, match="threads"):
        a.compile(threads=-1)
    with pytest.raises(spm.InvalidArgumentError):
        spm.generate(employees=0)
    card = spm.score(a, threads=2)
    assert card.columns[-1] == "2026-12"


def test_validate_on_threads_gives_the_same_issues():
    """validate(threads=) resolves the references on several threads: the same issues."""
    a = spm.generate(employees=2000, seed=8)
    b = spm.generate(employees=2000, seed=8)
    objective = a.get("objective", a.ids("objective")[5])
    objective["contributes_to"] = list(objective["contributes_to"]) + [
        {"objective": "gone", "weight": 1}
    ]
    a.update("objective", objective)
    b.update("objective", objective)
    one = a.validate()
    errors = [i for i in one if i.severity == "error"]
    assert len(errors) == 1 and "unknown objective 'gone'" in errors[0].message
    def fields(issues):
        return [(i.severity, i.kind, i.id, i.field, i.message) for i in issues]

    assert fields(b.validate(threads=2)) == fields(one)
    assert fields(b.validate(threads=0)) == fields(one)
    with pytest.raises(spm.InvalidArgumentError, match="threads"):
        a.validate(threads=-1)
