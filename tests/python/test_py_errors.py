"""spm's Python exceptions: the whole table of C++ error codes, and bad input of every kind."""

from __future__ import annotations

import math
import os
from pathlib import Path

import pytest

if os.environ.get("SPM_REQUIRE_PYTHON_PACKAGE") == "1":
    import spm
else:
    spm = pytest.importorskip("spm", reason="the spm Python package is not installed (pip install .)")
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "municipality.json"

# C++ spm::ErrorCode (number, name) -> the Python class and the built-in it also is.
TABLE = [
    (1, "invalid_argument", spm.InvalidArgumentError, ValueError),
    (2, "not_found", spm.NotFoundError, KeyError),
    (3, "duplicate", spm.DuplicateError, ValueError),
    (4, "validation", spm.ValidationError, ValueError),
    (5, "parse", spm.ParseError, ValueError),
    (6, "io", spm.FileError, OSError),
    (7, "unsupported", spm.UnsupportedError, ValueError),
    (8, "stale", spm.StaleError, RuntimeError),
    (9, "cycle", spm.CycleError, ValueError),
    (10, "internal", spm.InternalError, RuntimeError),
]


@pytest.mark.parametrize(("number", "name", "cls", "builtin"), TABLE)
def test_every_error_code_maps_to_its_class(number, name, cls, builtin):
    assert issubclass(cls, spm.Error) and issubclass(cls, builtin)
    assert spm.ERROR_CLASSES[name] is cls
    with pytest.raises(cls) as info:
        spm._spm._raise(number, f"message {name}")
    assert isinstance(info.value, builtin)
    assert info.value.code == name
    assert info.value.issues == []
    assert str(info.value) == f"message {name}"  # also for KeyError, which would quote it


def test_table_is_complete():
    assert sorted(spm.ERROR_CLASSES) == sorted(name for _, name, _, _ in TABLE)
    assert spm.Error.__module__ == "spm"


def test_missing_file_is_file_error():
    with pytest.raises(spm.FileError) as info:
        spm.load(ROOT / "no-such-file.json")
    assert isinstance(info.value, OSError)
    assert "no-such-file.json" in str(info.value)


def test_malformed_json_is_parse_error_with_location():
    with pytest.raises(spm.ParseError) as info:
        spm.loads('{"spm_format_version": 1, "goals": [')
    assert isinstance(info.value, ValueError)
    assert info.value.code == "parse"


def test_unknown_field_lists_issues():
    with pytest.raises(spm.ParseError) as info:
        spm.loads('{"spm_format_version": 1, "goals": [{"id": "G1", "colour": "red"}]}')
    issues = info.value.issues
    assert issues and issues[0].kind == "goal" and issues[0].id == "G1"
    assert "$.goals[0]" in issues[0].location
    assert "colour" in str(info.value)


def test_unsupported_version():
    with pytest.raises(spm.UnsupportedError):
        spm.loads('{"spm_format_version": 99}')


def test_unknown_ids_raise_key_error():
    model = spm.load(EXAMPLE)
    with pytest.raises(KeyError):
        model.get("goal", "G-NOPE")
    with pytest.raises(spm.NotFoundError):
        model.remove("goal", "G-NOPE")
    card = spm.score(model)
    with pytest.raises(spm.NotFoundError):
        card.measure("M-NOPE")
    with pytest.raises(spm.NotFoundError):
        card.explain("goal", "G-NOPE")
    with pytest.raises(spm.NotFoundError):
        card.cascade.contributors("G-NOPE")


def test_wrong_kinds_and_columns():
    model = spm.load(EXAMPLE)
    with pytest.raises(spm.InvalidArgumentError):
        model.count("planet")
    card = spm.score(model)
    with pytest.raises(spm.Error):
        card.node("perspective", "financial")  # not a cascade node kind
    with pytest.raises(spm.InvalidArgumentError):
        card.organization(999)
    with pytest.raises(spm.NotFoundError):
        card.organization("1999-01")


def test_bad_periods():
    model = spm.load(EXAMPLE)
    with pytest.raises(spm.InvalidArgumentError):
        model.set_actual("M01", "2026-13", 1.0)
    with pytest.raises(spm.InvalidArgumentError):
        spm.score(model, "last tuesday")
    with pytest.raises(spm.InvalidArgumentError):
        model.compile().evaluate(["2026-Q5"])
    with pytest.raises(spm.InvalidArgumentError):
        spm.Scenario().set_actual("M01", "26-01", 1.0)


def test_nan_weights_are_refused():
    goals = pd.DataFrame({"id": ["G1"], "perspective": ["financial"]})
    strategies = pd.DataFrame({"id": ["S1"], "contributes_to": [[{"goal": "G1", "weight": math.nan}]]})
    with pytest.raises(spm.ParseError) as info:
        spm.from_frames({"goals": goals, "strategies": strategies})
    assert isinstance(info.value, ValueError)
    model = spm.load(EXAMPLE)
    bad = spm.Scenario().set_weight(("measure", "M01"), None, math.nan)
    with pytest.raises(spm.InvalidArgumentError):
        spm.score(model, scenario=bad)
    with pytest.raises(spm.ValidationError):
        model.update("strategy", {"id": "ST01", "contributes_to": [{"goal": "G-S1", "weight": -1}]})


def test_duplicate_id():
    model = spm.load(EXAMPLE)
    with pytest.raises(spm.DuplicateError):
        model.add("goal", id="G-S1", perspective="financial")


def test_cycle_error_names_the_cycle():
    doc = ('{"spm_format_version": 1, "units": [{"id": "U"}], "objectives": ['
           '{"id": "A", "owner": {"unit": "U"}, "contributes_to": [{"objective": "B"}]},'
           '{"id": "B", "owner": {"unit": "U"}, "contributes_to": [{"objective": "A"}]}]}')
    model = spm.loads(doc)
    with pytest.raises(spm.Error) as info:
        model.compile()
    assert info.value.code in ("cycle", "validation")
    assert "A" in str(info.value) and "B" in str(info.value)


def test_validation_errors_carry_issues():
    model = spm.loads('{"spm_format_version": 1, "goals": [{"id": "G1", "perspective": "P9"}]}')
    issues = model.validate()
    assert any(i.field == "perspective" and i.severity == "error" for i in issues)
    with pytest.raises(spm.ValidationError) as info:
        model.ensure_valid()
    assert "G1" in [i.id for i in info.value.issues]
    frame = model.issues()
    assert list(frame.columns) == ["severity", "kind", "id", "field", "message", "location"]


def test_stale_results_after_an_edit():
    model = spm.load(EXAMPLE)
    cascade = model.compile()
    model.remove("objective", model.ids("objective")[0])
    assert not cascade.is_current
    with pytest.raises(spm.StaleError) as info:
        cascade.orphans()
    assert isinstance(info.value, RuntimeError)


def test_bad_actuals_csv_changes_nothing():
    model = spm.load(EXAMPLE)
    before = model.actuals()
    with pytest.raises(spm.Error):
        model.load_actuals_csv("measure,period,value\nM01,2026-01,1\nM-NOPE,2026-01,2\n")
    pd.testing.assert_frame_equal(model.actuals(), before)
