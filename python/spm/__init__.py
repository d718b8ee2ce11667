"""spm: strategic performance management for Python and pandas.

An organization's strategy model (vision, perspectives, goals, strategies, measures, milestones,
actions, objectives and the people who own them), its goal cascade and its balanced scorecard,
computed by spm's C++ engine::

    import spm
    model = spm.load("examples/municipality.json")
    card = spm.score(model)          # the scorecard `spm score` shows
    card.scores()                    # a DataFrame: kind, id, name, column, score, status, ...
    reviews = spm.reviews(model)     # the review cycle `spm review` shows
    reviews.frame()                  # one row per employee: components and final score

docs/python.md is the guide.
"""

from __future__ import annotations

import os
from typing import Any, Mapping

from . import _spm
from ._spm import (
    ERROR_CLASSES,
    FORMAT_VERSION,
    AttributionMatrix,
    Cascade,
    CycleError,
    DuplicateError,
    Error,
    Explanation,
    FileError,
    Forecast,
    InputExplanation,
    InternalError,
    InvalidArgumentError,
    Issue,
    Model,
    NotFoundError,
    Pace,
    ParseError,
    Reviews,
    Scenario,
    Scorecard,
    ScoreResult,
    StaleError,
    UnsupportedError,
    ValidationError,
    generate,
)
from .display import SVG, plot_trends, status_heatmap, strategy_map, strategy_map_svg
from .frames import FIELDS, from_frames, scenario

__version__ = _spm.version()

__all__ = [
    "ERROR_CLASSES", "FIELDS", "FORMAT_VERSION", "SVG", "AttributionMatrix", "Cascade",
    "CycleError", "DuplicateError", "Error", "Explanation", "FileError", "Forecast",
    "InputExplanation", "InternalError", "InvalidArgumentError", "Issue", "Model",
    "NotFoundError", "Pace", "ParseError", "Reviews", "Scenario", "ScoreResult", "Scorecard", "StaleError",
    "UnsupportedError", "ValidationError", "as_of", "from_frames", "generate", "load", "loads",
    "plot_trends",
    "reviews",
    "scenario", "score", "status_heatmap", "strategy_map", "strategy_map_svg", "__version__",
]


def load(path: str | os.PathLike[str], actuals: str | os.PathLike[str] | None = None) -> Model:
    """Reads an organization's JSON file, and optionally merges a CSV file of actuals."""
    model = Model.load(os.fspath(path))
    if actuals is not None:
        model.load_actuals(os.fspath(actuals))
    return model


def loads(text: str) -> Model:
    """Parses an organization from JSON text."""
    return Model.from_json(text)


def score(model: Model, period: str | None = None, *, columns: list[str] | None = None,
          scenario: Scenario | Mapping[str, Any] | None = None,
          trend_periods: int = 6, threads: int = 1) -> Scorecard:
    """Compiles and scores a model, with the columns `spm score --period PERIOD` uses:
    like-for-like spans from the first month with data up to ``period`` (default: the last
    month with actuals), so the numbers are the command-line tool's. ``columns`` gives the
    columns explicitly instead; ``scenario`` (a Scenario, or a dict of ``actuals``,
    ``targets`` and ``weights`` records for spm.scenario) scores a what-if. ``threads``
    (0: one per core) lets compiling and scoring use several cores, with the same numbers."""
    if columns is None:
        columns = model.default_columns(period)
    if scenario is not None and not isinstance(scenario, Scenario):
        scenario = _scenario_from(scenario)
    return model.compile(threads=threads).evaluate(columns, trend_periods=trend_periods,
                                                   scenario=scenario, threads=threads)


def _scenario_from(spec: Mapping[str, Any]) -> Scenario:
    unknown = set(spec) - {"actuals", "targets", "weights"}
    if unknown:
        raise InvalidArgumentError(f"unknown scenario keys: {sorted(unknown)}")
    return scenario(spec.get("actuals"), spec.get("targets"), spec.get("weights"))


def as_of(model: Model) -> str:
    """The organization's ``data_as_of`` attribute, the day the command-line tool counts as
    today by default (spm never reads the clock). Raises InvalidArgumentError without one."""
    value = model.info().get("attributes", {}).get("data_as_of")
    if not isinstance(value, str):
        raise InvalidArgumentError(
            "give as_of: the organization has no attribute data_as_of to default to")
    return value


def reviews(model: Model, cycle: str | None = None, as_of: Any = None) -> Reviews:
    """The reviews of a cycle, as `spm review` computes them: ``cycle`` defaults to the
    organization's only review cycle, ``as_of`` (text "YYYY-MM-DD" or a date) to its
    ``data_as_of`` attribute; the model is scored over the cycle's span. The result gives
    DataFrames (frame(), components(), feedback(), calibration(), rewards(), ...)."""
    if cycle is None:
        cycles = model.ids("review_cycle")
        if len(cycles) != 1:
            raise InvalidArgumentError(
                f"the organization has {len(cycles)} review cycles; say which with cycle=")
        cycle = cycles[0]
    if as_of is None:
        as_of = globals()["as_of"](model)
    card = model.compile().evaluate([model.cycle_span(cycle)])
    return card.review_cycle(cycle, as_of)
