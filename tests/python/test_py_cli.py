"""The Python package gives the numbers of the command-line tool for the example organization:
`spm score examples/municipality.json --format json`, every row to the last bit."""

from __future__ import annotations

import glob
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

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "municipality.json"


def find_cli() -> str | None:
    env = os.environ.get("SPM_CLI")
    if env and os.access(env, os.X_OK):
        return env
    candidates = sorted(glob.glob(str(ROOT / "build*" / "spm")), key=os.path.getmtime,
                        reverse=True)
    return next((c for c in candidates if os.path.isfile(c) and os.access(c, os.X_OK)), None)


def cli_json(*args: str) -> dict:
    cli = find_cli()
    if cli is None:
        pytest.skip("no built spm command-line tool (build/spm); set SPM_CLI or build it first")
    out = subprocess.run([cli, "score", str(EXAMPLE), "--format", "json", *args], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)


def same(a: float | None, b: float) -> bool:
    if a is None:
        return math.isnan(b)
    return a == b


def check(row: dict, result) -> None:
    assert same(row["score"], result.score), row["id"] if "id" in row else row
    assert row["status"] == result.status
    assert row["reason"] == result.reason
    assert row["trend"] == result.trend
    assert same(row["slope"], result.slope)
    assert same(row["coverage"], result.coverage)


@pytest.mark.parametrize("period", [None, "2026-Q3", "2026-YTD-06", "2025"])
def test_scores_equal_the_cli(period):
    doc = cli_json(*(["--period", period] if period else []))
    model = spm.load(EXAMPLE)
    card = spm.score(model, period)
    assert card.columns[-1] == doc["column"]
    check(doc["score"], card.organization())
    frame = card.scores("all")
    last = frame[frame["column"] == doc["column"]].set_index(["kind", "id"])
    n = 0
    for p in doc["perspectives"]:
        check(p, card.perspective(p["id"]))
        assert last.loc[("perspective", p["id"]), "score"] == card.perspective(p["id"]).score
        for g in p["goals"]:
            check(g, card.node("goal", g["id"]))
            n += 1
            for m in g.get("measures", []):
                check(m, card.measure(m["id"]))
                assert same(m["actual"], card.actual(m["id"]))
                assert same(m["target"], card.target(m["id"]))
                assert same(m["score"], last.loc[("measure", m["id"]), "score"])
            for s in g.get("strategies", []):
                check(s, card.node("strategy", s["id"]))
                assert same(s["score"], last.loc[("strategy", s["id"]), "score"])
                for m in s.get("measures", []):
                    check(m, card.measure(m["id"]))
    assert n == model.count("goal")


def test_zero_copy_array_equals_the_cli():
    doc = cli_json()
    card = spm.score(spm.load(EXAMPLE))
    cascade = card.cascade
    for p in doc["perspectives"]:
        for g in p["goals"]:
            v = cascade.index_of("goal", g["id"])
            assert same(g["score"], card.node_scores[v, -1])
