"""docs/spm.schema.json: valid, strict, and in agreement with the example organizations."""

import copy
import json
import pathlib

import jsonschema
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCHEMA_PATH = ROOT / "docs" / "spm.schema.json"
EXAMPLES = sorted((ROOT / "examples").glob("*.json"))


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


MINIMAL = {
    "spm_format_version": 1,
    "organization": {"id": "org", "name": "Org", "settings": {"cap": 1.5}},
    "goals": [{"id": "G1", "perspective": "customer", "start": "2026-01-01", "end": None}],
    "measures": [
        {
            "id": "M1",
            "subject": {"goal": "G1"},
            "method": "linear",
            "baseline": 0,
            "target": 10,
            "targets": [{"period": "2026-Q1", "value": 5}],
            "actuals": [
                {"period": "2026-01", "value": 3},
                {"period": "2026-02", "value": None},
                {"period": "2026-03", "numerator": 1, "denominator": 4},
            ],
        }
    ],
    "strategies": [{"id": "S1", "contributes_to": [{"goal": "G1"}, {"goal": "G2", "weight": 2}]}],
    "reviews": [{"id": "R1", "ratings": [{"value": "V1", "rating": 4}]}],
    "review_cycles": [{"id": "RC", "first": "2026-01", "last": "2026", "check_in_cadence_days": 14}],
    "values": [{"id": "V1", "attributes": {"any": [1, {"json": None}]}}],
}


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_examples_are_valid(validator, path):
    document = json.loads(path.read_text(encoding="utf-8"))
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:20])


def test_examples_exist():
    if not EXAMPLES:
        pytest.skip("no examples/*.json yet")
    assert EXAMPLES


def test_minimal_document_is_valid(validator):
    validator.validate(MINIMAL)


def _broken(edit):
    document = copy.deepcopy(MINIMAL)
    edit(document)
    return document


BROKEN = {
    "no version": lambda d: d.pop("spm_format_version"),
    "future version": lambda d: d.update(spm_format_version=2),
    "unknown top-level key": lambda d: d.update(gaols=[]),
    "unknown entity key": lambda d: d["goals"][0].update(nmae="x"),
    "unknown nested key": lambda d: d["organization"]["settings"].update(capp=2),
    "missing id": lambda d: d["goals"][0].pop("id"),
    "empty id": lambda d: d["goals"][0].update(id=""),
    "name not a string": lambda d: d["goals"][0].update(name=5),
    "bad date": lambda d: d["goals"][0].update(start="2026-13-01"),
    "bad period": lambda d: d["measures"][0]["targets"][0].update(period="2026-Q5"),
    "bad enum": lambda d: d["measures"][0].update(method="lineer"),
    "ref with two kinds": lambda d: d["measures"][0].update(subject={"goal": "G1", "strategy": "S"}),
    "ref with no kind": lambda d: d["measures"][0].update(subject={}),
    "ref with unknown kind": lambda d: d["measures"][0].update(subject={"goul": "G1"}),
    "contribution weight only": lambda d: d["strategies"][0]["contributes_to"].append({"weight": 2}),
    "contribution zero weight": lambda d: d["strategies"][0]["contributes_to"][0].update(weight=0),
    "rating without rating": lambda d: d["reviews"][0]["ratings"][0].pop("rating"),
    "actual with value and ratio": lambda d: d["measures"][0]["actuals"][2].update(value=0.25),
    "actual numerator alone": lambda d: d["measures"][0]["actuals"][2].pop("denominator"),
    "actual zero denominator": lambda d: d["measures"][0]["actuals"][2].update(denominator=0),
    "actual without period": lambda d: d["measures"][0]["actuals"][0].pop("period"),
    "fractional integer": lambda d: d["review_cycles"][0].update(check_in_cadence_days=1.5),
    "entity not an object": lambda d: d["goals"].append("G2"),
    "array not an array": lambda d: d.update(values={}),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_documents_are_rejected(validator, name):
    document = _broken(BROKEN[name])
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(document)
