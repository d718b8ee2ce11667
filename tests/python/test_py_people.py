"""Performance management from Python: reviews with their detail lines and 360-degree feedback,
check-ins, participation, calibration, rewards, training needs and outcome budgeting as
DataFrames, every error, and anonymity: no public function gives away a suppressed feedback
group, also not by comparing two queries.

The organization is tests/cli/data/people.json, whose numbers docs/people.md and
tests/cpp/test_people_*.cpp compute by hand (see tests/c/test_capi_people.c for the summary)."""

from __future__ import annotations

import datetime
import json
import math
import os
import subprocess
from pathlib import Path

import pytest

if os.environ.get("SPM_REQUIRE_PYTHON_PACKAGE") == "1":
    import spm
else:
    spm = pytest.importorskip("spm", reason="the spm Python package is not installed (pip install .)")

import pandas as pd
from test_py_cli import find_cli

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "cli" / "data"
PEOPLE = DATA / "people.json"
AS_OF = "2027-01-20"

PEERS = (1.0 + 0.5 + 0.25) / 3
FEEDBACK = (0.75 + PEERS) / 2
CONTRIBUTION = (1.0 * 0.8 + 0.5 * 0.4) / 1.5
FINAL_A = 0.4 * 0.7 + 0.2 * CONTRIBUTION + 0.15 * 0.625 + 0.05 * 1 + 0.2 * FEEDBACK


@pytest.fixture
def model():
    return spm.load(PEOPLE)


@pytest.fixture
def reviews(model):
    return spm.reviews(model)


def test_reviews_defaults_and_frame(reviews):
    assert (reviews.cycle, reviews.span, reviews.as_of) == ("RC", "2026", AS_OF)
    assert reviews.employees == ["A", "B", "C"] and len(reviews) == 3
    assert reviews.weights == {"objectives": 0.4, "contribution": 0.2, "values": 0.15,
                               "self": 0.05, "feedback": 0.2}
    assert repr(reviews).startswith("<spm.Reviews cycle 'RC', 2026")
    f = reviews.frame().set_index("employee")
    assert f.loc["A", "name"] == "Ann" and f.loc["A", "review"] == "REV-A"
    a = f.loc["A"]
    assert a["objectives"] == pytest.approx(0.7)
    assert a["contribution"] == pytest.approx(CONTRIBUTION)
    assert a["values"] == pytest.approx(0.625) and a["self"] == 1.0
    assert a["feedback"] == pytest.approx(FEEDBACK)
    assert a["final_score"] == pytest.approx(FINAL_A) and a["weight_present"] == pytest.approx(1)
    # A missing component is NaN, never 0, and left out of the final score.
    b = f.loc["B"]
    assert math.isnan(b["objectives"]) and b["final_score"] == 1.0
    assert b["weight_present"] == pytest.approx(0.15)
    assert not f.loc["C", "review_completed"] and f.loc["C", "final_score"] == 0.5
    assert f.attrs["cycle"] == "RC"


def test_review_lines(reviews):
    c = reviews.components()
    assert len(c) == 15
    row = c[(c.employee == "B") & (c.component == "objectives")].iloc[0]
    assert math.isnan(row.score) and row.missing != "" and row.points == 0
    assert c[c.employee == "A"]["points"].sum() == pytest.approx(FINAL_A)
    o = reviews.objectives()
    assert list(o[o.employee == "A"].objective) == ["O-A1", "O-A2"]
    assert list(o[o.employee == "A"].points) == pytest.approx([0.6, 0.1])
    g = reviews.goals()
    ga = g[g.employee == "A"]
    assert list(ga.goal) == ["G1", "G2"] and list(ga.share) == pytest.approx([2 / 3, 1 / 3])
    r = reviews.ratings()
    assert r[r.employee == "A"][["kind", "id", "rating", "score"]].values.tolist() == [
        ["value", "V1", 4.0, 0.75], ["competency", "C1", 3.0, 0.5]]
    assert "objectives" in reviews.text("A")
    with pytest.raises(spm.NotFoundError, match="'R1'"):
        reviews.text("R1")


def test_feedback_groups(reviews):
    fb = reviews.feedback()
    assert len(fb) == 15
    a = fb[fb.employee == "A"].set_index("relation")
    assert list(a.index) == ["manager", "peer", "direct_report", "other", "self"]
    assert a.loc["manager", "raters"] == ["M"] and a.loc["manager", "shown"]
    assert a.loc["peer", "responses"] == 3 and a.loc["peer", "raters"] == []
    assert a.loc["peer", "mean_score"] == pytest.approx(PEERS)
    assert a.loc["peer", "comments"] == ["Always helps.", "Late replies."]
    # Two direct reports, threshold 3: shown as nothing, like a group without any response.
    dr, other = a.loc["direct_report"], a.loc["other"]
    assert not dr.shown and dr.threshold == 3 and dr.responses == 0
    assert math.isnan(dr.mean_rating) and math.isnan(dr.mean_score)
    assert dr.raters == [] and dr.comments == []
    assert (dr.responses, dr.raters, dr.comments) == (other.responses, other.raters,
                                                      other.comments)
    shown = reviews.feedback(shown_only=True)
    assert set(shown.relation) == {"manager", "peer"} and shown["shown"].all()


def test_as_of_and_cycle_arguments(model):
    card = model.compile().evaluate([model.cycle_span("RC")])
    by_date = card.review_cycle("RC", datetime.date(2027, 1, 20))
    by_time = card.review_cycle("RC", datetime.datetime(2027, 1, 20, 15, 30))
    by_text = card.review_cycle("RC", AS_OF)
    assert by_date.to_json() == by_text.to_json() == by_time.to_json()
    # Before REV-A was completed (2027-01-10) its values are not there.
    early = spm.reviews(model, "RC", "2027-01-09").frame().set_index("employee")
    assert math.isnan(early.loc["A", "values"])
    assert spm.as_of(model) == AS_OF
    assert model.cycle_employees("RC", AS_OF) == ["A", "B", "C"]
    assert model.rating_score("RC", 4) == 0.75
    with pytest.raises(spm.InvalidArgumentError):
        model.rating_score("RC", 6)
    with pytest.raises(spm.NotFoundError):
        model.rating_score("RC9", 3)


def test_errors(model):
    with pytest.raises(spm.InvalidArgumentError, match="2027-02-30"):
        spm.reviews(model, as_of="2027-02-30")
    with pytest.raises(spm.InvalidArgumentError):
        spm.reviews(model, as_of=20270120)
    with pytest.raises(spm.NotFoundError, match="NOPE"):
        spm.reviews(model, "NOPE")
    card = model.compile().evaluate(["2026-06"])
    with pytest.raises(spm.InvalidArgumentError):
        card.review_cycle("RC", AS_OF)  # no column with the cycle's span
    bare = spm.Model()
    with pytest.raises(spm.InvalidArgumentError, match="review cycles"):
        spm.reviews(bare)
    # Bad review data: a rating out of scale; a reviewer reviewing themselves.
    with pytest.raises(spm.ValidationError, match="outside"):
        spm.reviews(spm.load(DATA / "people_bad_rating.json"))
    with pytest.raises(spm.ValidationError, match="own reviewer"):
        spm.load(DATA / "people_self_review.json")
    # Weights that make no sense.
    cycle = model.get("review_cycle", "RC")
    cycle["weights"] = {"objectives": -1, "contribution": 0, "values": 0, "self": 0,
                        "feedback": 0}
    with pytest.raises(spm.ValidationError, match="weights"):
        model.update("review_cycle", cycle)
    # Stale: the model changed after compile.
    cascade = model.compile()
    model.remove("check_in", "CI3")
    with pytest.raises(spm.StaleError):
        cascade.participation("RC", as_of=AS_OF)


def test_check_ins(model):
    ci = model.check_ins("RC", AS_OF).set_index("employee")
    assert ci.attrs["overdue"] == 2 and ci.attrs["cadence_days"] == 30
    assert ci.loc["A", "name"] == "Ann" and ci.loc["A", "in_cycle"] == 2
    assert (ci.loc["A", "last"], ci.loc["A", "days_since"], ci.loc["A", "due"]) == (
        "2026-12-25", 26, "2027-01-24")
    assert not ci.loc["A", "overdue"] and ci.loc["B", "overdue"]
    assert pd.isna(ci.loc["C", "last"]) and ci.loc["C", "days_since"] == 384
    with pytest.raises(spm.NotFoundError):
        model.check_ins("NOPE", AS_OF)
    with pytest.raises(spm.InvalidArgumentError):
        model.check_ins("RC", "2027-13-01")


def test_participation(model):
    cascade = model.compile()
    p = cascade.participation("RC", as_of=AS_OF)
    assert p.attrs["population"] == ["A", "B", "C"]
    org = p[p.kind == "organization"].set_index("criterion")
    assert org.loc["objectives", "met"] == 2
    assert org.loc["objectives", "share"] == pytest.approx(2 / 3)
    assert org.loc["objectives", "missing"] == ["C"]
    assert org.loc["check_in", "missing"] == ["B", "C"]
    assert org.loc["self_assessment", "missing"] == ["B"]
    assert org.loc["feedback", "met"] == 1 and org.loc["review", "missing"] == ["C"]
    assert org.name.iloc[0] == "People Test"
    assert set(p.kind) == {"organization", "division", "unit", "manager"}
    u1 = p[(p.kind == "unit") & (p.id == "U1")].set_index("criterion")
    assert u1.loc["check_in", "share"] == 0.5 and u1.name.iloc[0] == "Unit One"
    # A period: everyone employed in 2026; the cycle-only criteria do not apply.
    q = cascade.participation(period="2026", as_of=AS_OF, cadence_days=45)
    qo = q[q.kind == "organization"].set_index("criterion")
    assert qo.loc["objectives", "employees"] == 9
    assert not qo.loc["review", "applies"] and math.isnan(qo.loc["review", "share"])
    with pytest.raises(spm.InvalidArgumentError):
        cascade.participation("RC", period="2026", as_of=AS_OF)
    with pytest.raises(spm.InvalidArgumentError):
        cascade.participation(as_of=AS_OF)
    with pytest.raises(spm.InvalidArgumentError):
        cascade.participation("RC")  # no as_of
    with pytest.raises(spm.InvalidArgumentError, match="cadence"):
        cascade.participation(period="2026", as_of=AS_OF, cadence_days=-1)
    with pytest.raises(spm.InvalidArgumentError, match="2026-13"):
        cascade.participation(period="2026-13", as_of=AS_OF)


def test_calibration(reviews):
    cal = reviews.calibration(1.3)
    d = cal["distributions"]
    assert list(zip(d.kind, d.id)) == [("organization", ""), ("manager", "M"), ("unit", "U1"),
                                       ("unit", "U2")]
    finals = [FINAL_A, 1.0, 0.5]
    mean = sum(finals) / 3
    sd = math.sqrt(sum((x - mean) ** 2 for x in finals) / 3)
    org = d.iloc[0]
    assert org["count"] == 3 and org["mean"] == pytest.approx(mean)
    assert org["sd"] == pytest.approx(sd) and org["median"] == pytest.approx(FINAL_A)
    e = cal["employees"].set_index("employee")
    assert e.loc["B", "z_organization"] == pytest.approx((1 - mean) / sd)
    assert e.loc["B", "z_unit"] == pytest.approx(1.0) and e.loc["B", "outlier"]
    assert math.isnan(e.loc["C", "z_unit"]) and not e.loc["C", "outlier"]
    assert not reviews.calibration()["employees"]["outlier"].any()
    with pytest.raises(spm.InvalidArgumentError):
        reviews.calibration(0)
    with pytest.raises(spm.InvalidArgumentError):
        reviews.calibration(float("nan"))


def test_rewards(reviews):
    r = reviews.rewards(1000)
    s = r["shares"].set_index("employee")
    assert s.attrs["pool_cents"] == 100000 and s.attrs["allocated_cents"] == 100000
    assert s.loc["A", "cents"] == 40843 and s.loc["B", "cents"] == 59157
    assert s["cents"].sum() == 100000
    assert not s.loc["C", "eligible"] and "review" in s.loc["C", "reason"]
    g = r["goals"]
    assert g[g.employee == "A"][["goal", "cents"]].values.tolist() == [["G1", 27229],
                                                                       ["G2", 13614]]
    # Contribution weighed: B has none, so is not eligible; A takes everything.
    c = reviews.rewards(1000, contribution_exponent=1)["shares"].set_index("employee")
    assert c.loc["A", "cents"] == 100000 and "contribution" in c.loc["B", "reason"]
    assert reviews.rewards(1000, min_final_score=2)["shares"].attrs["allocated_cents"] == 0
    every = reviews.rewards(10, require_completed_review=False)["shares"]
    assert every["eligible"].all() and every["cents"].sum() == 1000
    for bad in (dict(pool=-1), dict(pool=float("nan")), dict(pool=1, final_exponent=-1),
                dict(pool=1, contribution_exponent=float("inf")),
                dict(pool=1, min_final_score=float("nan"))):
        with pytest.raises(spm.InvalidArgumentError):
            reviews.rewards(**bad)


def test_training_needs_and_outcome_budget(model):
    card = model.compile().evaluate(["2026"])
    t = card.cascade.training_needs("RC", AS_OF)
    gap = t["gaps"].iloc[0]
    assert (gap.employee, gap.competency, gap.required) == ("A", "C1", 4.0)
    assert gap.assessed == pytest.approx(2.5) and gap.gap == pytest.approx(1.5)
    assert gap.objectives == ["O-A1"]
    unit = t["units"].iloc[0]
    assert unit.unit == "U1" and unit.total_gap == pytest.approx(1.5)
    assert unit.goals == [("G1", pytest.approx(1.0))]
    b = card.outcome_budget()
    s = b["strategies"].iloc[0]
    assert (s.strategy, s["name"], s.budget, s.currency) == ("S1", "Strategy One", 600000, "EUR")
    assert math.isnan(s.strategy_score) and s.outcome == pytest.approx(0.6)
    assert s.outcome_per_spend == pytest.approx(1.0)
    assert b["goals"][["goal", "weight", "score"]].values.tolist() == [["G3", 0.5,
                                                                        pytest.approx(0.6)]]
    assert card.outcome_budget("2026", spend_unit=1e3)["strategies"].outcome_per_spend[0] == \
        pytest.approx(0.001)
    with pytest.raises(spm.InvalidArgumentError):
        card.outcome_budget(spend_unit=0)
    with pytest.raises(spm.InvalidArgumentError):
        card.outcome_budget(3)
    with pytest.raises(spm.NotFoundError):
        card.cascade.training_needs("NOPE", AS_OF)


def test_json_is_the_command_line_tools(model, reviews):
    """The JSON texts come from the one renderer that `spm review --format json` prints."""
    cli = find_cli()
    if cli is None:
        pytest.skip("no built spm command-line tool")

    def run(*args: str) -> str:
        return subprocess.run([cli, *args], check=True, capture_output=True, text=True).stdout

    p = str(PEOPLE)
    assert reviews.to_json() == run("review", p, "--format", "json")
    assert reviews.to_json("A") == run("review", p, "--employee", "A", "--format", "json")
    assert reviews.calibration()["employees"].attrs["json"] == run(
        "review", p, "--report", "calibration", "--format", "json")
    assert reviews.rewards(1000)["shares"].attrs["json"] == run(
        "review", p, "--report", "rewards", "--pool", "1000", "--format", "json")
    assert model.check_ins("RC", AS_OF).attrs["json"] == run(
        "review", p, "--report", "check-ins", "--format", "json")
    card = model.compile().evaluate(["2026"])
    assert card.cascade.training_needs("RC", AS_OF)["gaps"].attrs["json"] == run(
        "review", p, "--report", "training", "--format", "json")
    assert card.outcome_budget()["strategies"].attrs["json"] == run(
        "review", p, "--report", "budget", "--format", "json")
    assert card.cascade.participation("RC", as_of=AS_OF).attrs["json"] == run(
        "participation", p, "--format", "json")
    json.loads(reviews.to_json("A"))


# ---- anonymity ---------------------------------------------------------------------------


def dump_all(model, period: bool = True) -> str:
    """Every number and string that every public performance-management function of the
    package returns for cycle RC as of 2027-01-20 (and, with ``period``, participation in 2026,
    whose population is everyone employed, raters included, as employees)."""
    out = []
    reviews = spm.reviews(model, "RC", AS_OF)
    for f in (reviews.frame(), reviews.components(), reviews.objectives(), reviews.goals(),
              reviews.ratings(), reviews.feedback(), reviews.feedback(shown_only=True)):
        out.append(f.to_csv())
    out += [reviews.text(e) for e in reviews.employees]
    out += [reviews.to_json()] + [reviews.to_json(e) for e in reviews.employees]
    out.append(repr(reviews))
    for outlier_z in (1.0, 2.0):
        for f in reviews.calibration(outlier_z).values():
            out += [f.to_csv(), f.attrs["json"]]
    for kwargs in (dict(pool=1000), dict(pool=1000, contribution_exponent=0.5,
                                         require_completed_review=False)):
        for f in reviews.rewards(**kwargs).values():
            out += [f.to_csv(), repr(f.attrs)]
    cascade = model.compile()
    card = cascade.evaluate(["2026"])
    frames = [model.check_ins("RC", AS_OF), cascade.participation("RC", as_of=AS_OF)]
    if period:
        frames.append(cascade.participation(period="2026", as_of=AS_OF))
    out += [f.to_csv() + repr(f.attrs) for f in frames]
    out += [f.to_csv() for f in cascade.training_needs("RC", AS_OF).values()]
    out += [f.to_csv() for f in card.outcome_budget().values()]
    out.append(repr(model.cycle_employees("RC", AS_OF)))
    return "\n".join(out)


def test_no_output_names_an_anonymous_rater_or_shows_a_suppressed_answer(model):
    everything = dump_all(model, period=False)
    for hidden in ("R1", "R2", "R3", "D1", "D2", "Rater ", "Report ", "SECRET"):
        assert hidden not in everything, hidden
    assert "Clear priorities." in everything  # the manager group is shown


def test_differencing_two_queries_cannot_isolate_a_suppressed_answer(model):
    before = dump_all(model)

    changed = spm.load(PEOPLE)
    f5 = changed.get("feedback", "F5")
    f5.update(rating=5, comment="different")
    changed.update("feedback", f5)
    assert dump_all(changed) == before

    fewer = spm.load(PEOPLE)
    fewer.remove("feedback", "F6")
    assert dump_all(fewer) == before

    more = spm.load(PEOPLE)
    more.add("feedback", id="F7", cycle="RC", subject="B", rater="D1", relation="other",
             rating=1, comment="SECRET-THREE", submitted="2026-12-01")
    assert dump_all(more) == before

    later = spm.load(PEOPLE)
    later.add("feedback", id="F8", cycle="RC", subject="A", rater="C",
              relation="direct_report", rating=5, submitted="2027-02-01")
    assert dump_all(later) == before

    # Once the group reaches its threshold it is shown, and only then counts: the difference
    # is the whole group's, never one answer alone, and its raters stay unnamed.
    later.update("feedback", id="F8", cycle="RC", subject="A", rater="C",
                 relation="direct_report", rating=5, submitted="2026-12-01")
    assert dump_all(later) != before
    shown = dump_all(later, period=False)
    assert "SECRET-ONE" in shown and "D1" not in shown
