"""The Model binding: load and save, DataFrames in and out, entity edits, actuals."""

from __future__ import annotations

import copy
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
ACTUALS = ROOT / "examples" / "municipality-actuals.csv"


@pytest.fixture(scope="module")
def example():
    return spm.load(EXAMPLE)


def test_load_counts_and_ids(example):
    assert example.count("goal") == example.count("goals") == 10
    assert example.ids("perspective") == ["financial", "customer", "internal_process",
                                          "learning_growth"]
    assert example.contains("measure", "M01")
    assert not example.contains("measure", "M-NOPE")
    assert example.names("perspective")[0] == "Stewardship"
    assert example.info()["id"] == "riverton"
    assert "City of Riverton" in repr(example)
    assert spm.__version__ == spm._spm.version()


def test_save_and_load_round_trip(example, tmp_path):
    path = tmp_path / "org.json"
    example.save(str(path))
    again = spm.load(path)
    assert again == example
    assert spm.loads(example.to_json(pretty=False)) == example
    assert example.to_json() == again.to_json()


def test_actuals_csv_round_trip(example, tmp_path):
    model = example.copy()
    path = tmp_path / "actuals.csv"
    model.save_actuals(str(path))
    fresh = spm.loads(example.to_json())
    for m in fresh.ids("measure"):
        for p in fresh.actuals().query("measure == @m")["period"]:
            fresh.erase_actual(m, p)
    assert len(fresh.actuals()) == 0
    assert fresh.load_actuals(str(path)) == len(example.actuals())
    assert fresh == example


def test_load_with_actuals_file():
    model = spm.load(EXAMPLE, actuals=ACTUALS)
    assert len(model.actuals()) >= len(spm.load(EXAMPLE).actuals())


def test_frames_round_trip(example):
    frames = example.to_frames()
    assert set(frames) == {"organization", "actuals", *spm.frames.PLURALS.values()}
    for kind, plural in spm.frames.PLURALS.items():
        expected = [f for f in spm.FIELDS[kind] if not (kind == "measure" and f == "actuals")]
        assert list(frames[plural].columns) == expected, plural
    assert list(frames["actuals"].columns) == ["measure", "period", "value", "numerator",
                                               "denominator"]
    assert spm.Model.from_frames(frames) == example
    assert spm.from_frames(example.to_frames(actuals="column")) == example


def test_build_from_frames_with_pandas_types():
    frames = {
        "organization": {"id": "acme", "name": "Acme"},
        "perspectives": pd.DataFrame({"id": ["fin"], "name": ["Financial"]}),
        "goals": pd.DataFrame({"id": ["G1", "G2"], "perspective": ["fin", "fin"],
                               "start": [pd.Timestamp("2026-01-01"), pd.NaT],
                               "drives": [[], ["G1"]]}),
        "units": pd.DataFrame({"id": ["U1"]}),
        "objectives": pd.DataFrame({"id": ["O1"], "owner": [{"unit": "U1"}],
                                    "weight": [np.float64(2.0)],
                                    "contributes_to": [[{"goal": "G1", "weight": np.int64(3)}]]}),
        "measures": pd.DataFrame({"id": ["M1"], "subject": [{"objective": "O1"}],
                                  "baseline": [0], "target": [100]}),
        "actuals": pd.DataFrame({"measure": ["M1", "M1"],
                                 "period": [pd.Period("2026-01", "M"), "2026-02"],
                                 "value": [50.0, 80.0]}),
    }
    model = spm.from_frames(frames)
    assert model.validate() == [] or all(i.severity == "warning" for i in model.validate())
    assert model.get("goal", "G1")["start"] == "2026-01-01"
    assert "start" not in model.get("goal", "G2")  # NaT: the default
    assert model.get("objective", "O1")["weight"] == 2
    card = model.compile().evaluate(["2026-01", "2026-02"])
    assert card.measure("M1", "2026-02").score == pytest.approx(0.8)
    assert card.node("goal", "G1", 0).score == pytest.approx(0.5)


def test_index_named_id_is_accepted():
    goals = pd.DataFrame({"perspective": ["financial"]}, index=pd.Index(["G1"], name="id"))
    model = spm.from_frames({"goals": goals})
    assert model.ids("goal") == ["G1"]
    assert model.ids("perspective") == ["financial", "customer", "internal_process",
                                        "learning_growth"]


def test_entity_edits(example):
    model = example.copy()
    rev = model.revision
    model.add("goal", id="G-NEW", name="New goal", perspective="customer")
    assert model.revision > rev
    assert model.get("goal", "G-NEW")["name"] == "New goal"
    model.update("goal", {"id": "G-NEW", "name": "Renamed", "perspective": "customer"})
    assert model.get("goal", "G-NEW")["name"] == "Renamed"
    model.upsert("goal", {"id": "G-NEW2", "perspective": "customer"})
    model.upsert("goal", {"id": "G-NEW2", "name": "Upserted", "perspective": "customer"})
    assert model.ids("goal")[-2:] == ["G-NEW", "G-NEW2"]
    model.remove("goal", "G-NEW")
    assert not model.contains("goal", "G-NEW")
    assert model != example
    assert copy.deepcopy(example) == example and copy.copy(example) == example


def test_memory_kept_for_the_next_compile_is_counted_and_freed():
    model = spm.generate(employees=2000, seed=4)
    assert model.kept_bytes == 0
    first = np.array(model.compile().evaluate().node_scores)  # cascade and scorecard gone
    assert model.kept_bytes > 2 << 20
    model.release_memory()
    assert model.kept_bytes == 0
    np.testing.assert_array_equal(model.compile().evaluate().node_scores, first)


def test_set_and_erase_actual(example):
    model = example.copy()
    srev = model.structure_revision
    model.set_actual("M01", "2027-01", 15.0)
    assert model.structure_revision == srev  # actuals do not change the structure
    row = model.actuals().query("measure == 'M01' and period == '2027-01'")
    assert row["value"].tolist() == [15.0]
    assert model.erase_actual("M01", "2027-01")
    assert not model.erase_actual("M01", "2027-01")
    with pytest.raises(spm.InvalidArgumentError):
        model.set_actual("M01", "2027-01")
    with pytest.raises(spm.InvalidArgumentError):
        model.set_actual("M01", "2027-01", numerator=1.0)


def test_set_actuals_from_frame(example):
    model = example.copy()
    n = model.set_actuals(pd.DataFrame({"measure": ["M01", "M02"], "period": ["2027-01", "2027-01"],
                                        "value": [15.5, 0.25]}))
    assert n == 2
    got = model.actuals().set_index(["measure", "period"])["value"]
    assert got[("M01", "2027-01")] == 15.5 and got[("M02", "2027-01")] == 0.25


def test_empty_model():
    model = spm.Model()
    assert model.count("perspective") == 0
    assert model.to_frames()["goals"].empty
    assert spm.loads(model.to_json()) == model
    assert model.compile().node_count == 0
