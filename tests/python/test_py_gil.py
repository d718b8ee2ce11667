"""The GIL is released while spm loads, compiles and scores, and Ctrl-C interrupts a long
computation."""

from __future__ import annotations

import os
import signal
import threading
import time

import numpy as np
import pytest

if os.environ.get("SPM_REQUIRE_PYTHON_PACKAGE") == "1":
    import spm
else:
    spm = pytest.importorskip("spm", reason="the spm Python package is not installed (pip install .)")
import pandas as pd


def big_frames(n_objectives: int = 20000, months: int = 24) -> dict[str, pd.DataFrame]:
    """A generated organization: 10 goals, 50 strategies, 500 milestones, n objectives each
    with a measure, and `months` actuals per measure."""
    rng = np.random.default_rng(7)
    n = n_objectives
    periods = [f"{2024 + m // 12}-{m % 12 + 1:02d}" for m in range(months)]
    return {
        "units": pd.DataFrame({"id": ["U1"]}),
        "goals": pd.DataFrame({"id": [f"G{i}" for i in range(10)],
                               "perspective": ["financial", "customer"] * 5}),
        "strategies": pd.DataFrame({"id": [f"S{i}" for i in range(50)],
                                    "contributes_to": [[{"goal": f"G{i % 10}"}]
                                                       for i in range(50)]}),
        "milestones": pd.DataFrame({"id": [f"MS{i}" for i in range(500)],
                                    "owner": [{"unit": "U1"}] * 500,
                                    "contributes_to": [[{"strategy": f"S{i % 50}",
                                                         "weight": 1 + i % 3}]
                                                       for i in range(500)]}),
        "objectives": pd.DataFrame({"id": [f"O{i}" for i in range(n)],
                                    "owner": [{"unit": "U1"}] * n,
                                    "contributes_to": [[{"milestone": f"MS{i % 500}"}]
                                                       for i in range(n)]}),
        "measures": pd.DataFrame({"id": [f"M{i}" for i in range(n)],
                                  "subject": [{"objective": f"O{i}"} for i in range(n)],
                                  "baseline": 0.0, "target": 100.0}),
        "actuals": pd.DataFrame({"measure": np.repeat([f"M{i}" for i in range(n)], months),
                                 "period": np.tile(periods, n),
                                 "value": rng.uniform(0, 110, n * months).round(2)}),
    }


@pytest.fixture(scope="module")
def big():
    model = spm.from_frames(big_frames())
    cascade = model.compile()
    # Months, quarters, years and years to date: a scoring run of a few hundred milliseconds.
    cols = [f"{y}-{m:02d}" for y in (2024, 2025) for m in range(1, 13)]
    cols += [f"{y}-Q{q}" for y in (2024, 2025) for q in range(1, 5)]
    cols += [f"{y}-YTD-{m:02d}" for y in (2024, 2025) for m in range(1, 13)] + ["2024", "2025"]
    return model, cascade, cols


def max_gap_while(work) -> tuple[float, float]:
    """Runs work() in a thread; returns (its duration, the longest pause of a Python loop in
    this thread meanwhile)."""
    done = threading.Event()
    took = []

    def run():
        t0 = time.perf_counter()
        work()
        took.append(time.perf_counter() - t0)
        done.set()

    thread = threading.Thread(target=run)
    last = time.perf_counter()
    gap = 0.0
    thread.start()
    while not done.is_set():
        now = time.perf_counter()
        gap = max(gap, now - last)
        last = now
    thread.join()
    return took[0], gap


def test_evaluate_releases_the_gil(big):
    _, cascade, cols = big
    took, gap = max_gap_while(lambda: [cascade.evaluate(cols) for _ in range(3)])
    assert took > 0.1
    # Holding the GIL would stop this thread's loop for a whole evaluate (a third of `took`).
    assert gap < took / 6, (took, gap)


def test_load_and_compile_release_the_gil(big):
    model, _, _ = big
    text = model.to_json(pretty=False)
    took, gap = max_gap_while(lambda: [spm.loads(text).compile() for _ in range(2)])
    assert gap < max(took / 4, 0.05), (took, gap)


def test_results_are_right_after_threads(big):
    _, cascade, cols = big
    a = cascade.evaluate(cols)
    results = []
    threads = [threading.Thread(target=lambda: results.append(cascade.evaluate(cols)))
               for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for r in results:
        np.testing.assert_array_equal(r.node_scores, a.node_scores)


@pytest.mark.skipif(threading.current_thread() is not threading.main_thread(),
                    reason="signals reach the main thread only")
def test_ctrl_c_interrupts_scoring(big):
    model, cascade, cols = big
    t0 = time.perf_counter()
    cascade.evaluate(cols)
    one = time.perf_counter() - t0
    timer = threading.Timer(0.02, lambda: os.kill(os.getpid(), signal.SIGINT))
    t0 = time.perf_counter()
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        for _ in range(20):
            cascade.evaluate(cols)
    interrupted_after = time.perf_counter() - t0
    timer.join()
    assert interrupted_after < one * 3 + 0.1, (one, interrupted_after)
    # The model is usable afterwards; an edit waits for the interrupted worker to finish.
    model.set_actual("M0", "2024-01", 50.0)
    assert model.compile().evaluate(["2024-01"]).measure("M0").score == 0.5


def test_an_edit_waits_for_a_reader_without_the_gil(big):
    """to_json reads the model without the GIL: an edit from another thread waits for it, so the
    text is the model before the edit, whole."""
    model, _, _ = big
    before = model.to_json(pretty=False)
    started = threading.Event()
    out = {}

    def read():
        started.set()
        out["t0"] = time.perf_counter()
        out["text"] = model.to_json(pretty=False)
        out["took"] = time.perf_counter() - out["t0"]

    thread = threading.Thread(target=read)
    thread.start()
    started.wait()
    time.sleep(0.01)  # the reader is inside to_json by now
    model.set_actual("M0", "2024-01", 12345.5)
    edited = time.perf_counter()
    thread.join()
    assert out["took"] > 0.05, out["took"]  # long enough for the edit to fall inside it
    # The edit (microseconds alone) ended only once the reader was done.
    assert edited - out["t0"] > 0.8 * out["took"], (edited - out["t0"], out["took"])
    assert out["text"] == before
    assert "12345.5" in model.to_json(pretty=False)
