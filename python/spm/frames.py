"""pandas in and out: organizations from DataFrames and back, and every result as a DataFrame.

An organization is a dict of DataFrames, one per entity kind, keyed by the kind's plural name
(``"goals"``, ``"strategies"``, ``"review_cycles"``), plus ``"organization"`` (one row) and
``"actuals"`` (one row per measure and period). The columns are the JSON field names of
docs/format.md; fields that hold lists or objects hold Python lists and dicts. Conversion goes
through spm's own JSON reader and writer, so a DataFrame is checked exactly as a file is and
errors carry the same messages (with ``$.goals[3].perspective``-style locations, where the
index is the row's position in its frame).
"""

from __future__ import annotations

import datetime as _dt
import io
import json
import math
from typing import TYPE_CHECKING, Any, Iterable, Mapping

import numpy as np
import pandas as pd

from . import _spm

if TYPE_CHECKING:
    from ._spm import Cascade, Model, Scorecard

#: The columns of each entity kind's DataFrame, in the order spm writes them (docs/format.md),
#: straight from the library's field lists.
FIELDS: dict[str, list[str]] = {kind: list(names) for kind, names in _spm.FIELDS.items()}

#: singular kind -> plural (the DataFrame's key), in file order.
PLURALS: dict[str, str] = dict(_spm.ENTITY_KINDS)
_SINGULAR: dict[str, str] = {p: s for s, p in PLURALS.items()}
ACTUALS_COLUMNS = ["measure", "period", "value", "numerator", "denominator"]

_STATUS = pd.CategoricalDtype(list(_spm.STATUS_NAMES), ordered=False)
_TREND = pd.CategoricalDtype(list(_spm.TREND_NAMES), ordered=False)


def _singular(kind: str) -> str:
    if kind in PLURALS:
        return kind
    if kind in _SINGULAR:
        return _SINGULAR[kind]
    raise _spm.InvalidArgumentError(f"unknown entity kind '{kind}'")


# ---- values between pandas and JSON ------------------------------------------------------


def _is_missing(v: Any) -> bool:
    if v is None or v is pd.NaT:
        return True
    if isinstance(v, float) and math.isnan(v):
        return True
    if isinstance(v, np.floating) and np.isnan(v):
        return True
    return v is pd.NA


def _jsonable(v: Any) -> Any:
    """A cell as JSON data: numpy scalars to Python, dates and periods to spm's text forms."""
    if isinstance(v, (str, bool, int, float)) or v is None:
        return v
    if isinstance(v, np.generic):
        return v.item()
    if isinstance(v, pd.Timestamp):
        return v.date().isoformat()
    if isinstance(v, (_dt.date, _dt.datetime)):
        return (v.date() if isinstance(v, _dt.datetime) else v).isoformat()
    if isinstance(v, pd.Period):
        text = str(v)
        return text.replace("Q", "-Q") if v.freqstr.startswith("Q") else text
    if isinstance(v, Mapping):
        return {str(k): _jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple, np.ndarray)):
        return [_jsonable(x) for x in v]
    if _is_missing(v):
        return None
    return v


def _records(frame: pd.DataFrame | Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Rows as JSON objects; a missing cell (None, NaN, NaT) leaves its field out (default)."""
    if isinstance(frame, pd.DataFrame):
        if frame.index.name == "id" and "id" not in frame.columns:
            frame = frame.reset_index()
        columns = [str(c) for c in frame.columns]
        rows = frame.itertuples(index=False, name=None)
    else:
        columns = None
        rows = frame  # type: ignore[assignment]
    out = []
    for i, row in enumerate(rows):
        items = zip(columns, row) if columns is not None else dict(row).items()  # type: ignore[arg-type]
        rec = {}
        for k, v in items:
            if isinstance(v, (list, tuple, dict, np.ndarray)) or not _is_missing(v):
                rec[k] = _jsonable(v)
        out.append(rec)
    return out


def frames_to_json(frames: Mapping[str, Any]) -> str:
    """The JSON document (docs/format.md) of a dict of DataFrames (see module docs)."""
    doc: dict[str, Any] = {"spm_format_version": _spm.FORMAT_VERSION}
    actuals: dict[str, list[dict[str, Any]]] = {}
    for key, value in frames.items():
        if key == "organization":
            if isinstance(value, pd.DataFrame):
                recs = _records(value)
                if len(recs) != 1:
                    raise _spm.InvalidArgumentError(
                        f"the organization frame must have one row, not {len(recs)}")
                doc["organization"] = recs[0]
            else:
                doc["organization"] = _jsonable(dict(value))
        elif key == "actuals":
            for rec in _records(value):
                if "numerator" in rec and "denominator" in rec:
                    rec.pop("value", None)  # derived from them
                measure = rec.pop("measure", None)
                if measure is None:
                    raise _spm.InvalidArgumentError("an actuals row has no measure")
                actuals.setdefault(str(measure), []).append(rec)
        else:
            doc[PLURALS[_singular(key)]] = _records(value)
    if actuals:
        measures = doc.setdefault("measures", [])
        by_id = {m.get("id"): m for m in measures}
        for measure, rows in actuals.items():
            if measure not in by_id:
                raise _spm.NotFoundError(f"actuals name measure '{measure}', which is not in the measures frame")
            target = by_id[measure].setdefault("actuals", [])
            target.extend(rows)
        for m in measures:
            if "actuals" in m:
                m["actuals"].sort(key=lambda a: _period_sort_key(str(a.get("period", ""))))
    # allow_nan: a NaN inside a list or object reaches spm's reader, which refuses it with its
    # location (NaN is not JSON).
    return json.dumps(doc, allow_nan=True, separators=(",", ":"), ensure_ascii=False)


def _period_sort_key(p: str) -> tuple[int, int, int]:
    # Months, quarters and years sort by start; spm checks the rest.
    try:
        if "-Q" in p:
            y, q = p.split("-Q")
            return (int(y), (int(q) - 1) * 3 + 1, 1)
        if "-" in p:
            y, mo = p.split("-")
            return (int(y), int(mo), 0)
        return (int(p), 1, 2)
    except ValueError:
        return (0, 0, 0)


def from_frames(frames: Mapping[str, Any]) -> Model:
    """An organization from a dict of DataFrames (one per entity kind; see module docs).

    The entities go through spm's JSON reader; an ``actuals`` DataFrame goes through its CSV
    reader afterwards (much faster for many rows; errors name the CSV line, which is the row's
    position plus 2)."""
    rest = {k: v for k, v in frames.items() if k != "actuals"}
    actuals = frames.get("actuals")
    model = _spm.Model.from_json(frames_to_json(rest))
    if actuals is not None:
        if not isinstance(actuals, pd.DataFrame):
            actuals = pd.DataFrame(list(actuals))
        if len(actuals):
            model_set_actuals(model, actuals)
    return model


def goals_frame(model: Model) -> pd.DataFrame:
    """The goals alone (cheaper than to_frames() for a large organization)."""
    fields = FIELDS["goal"]
    rows = [model_get(model, "goal", g) for g in model.ids("goal")]
    return pd.DataFrame([{f: r.get(f) for f in fields} for r in rows], columns=fields)


def json_to_frames(text: str, *, actuals: str = "frame") -> dict[str, pd.DataFrame]:
    doc = json.loads(text)
    out: dict[str, pd.DataFrame] = {}
    org = doc.get("organization", {})
    out["organization"] = pd.DataFrame([{f: org.get(f) for f in FIELDS["organization"]}],
                                       columns=FIELDS["organization"])
    actual_rows: list[dict[str, Any]] = []
    for kind, plural in PLURALS.items():
        fields = list(FIELDS[kind])
        records = doc.get(plural, [])
        if kind == "measure" and actuals == "frame":
            fields.remove("actuals")
            for m in records:
                for a in m.pop("actuals", []):
                    actual_rows.append({"measure": m["id"], "period": a["period"],
                                        "value": a.get("value", np.nan if "numerator" not in a
                                                       else a["numerator"] / a["denominator"]),
                                        "numerator": a.get("numerator", np.nan),
                                        "denominator": a.get("denominator", np.nan)})
        out[plural] = pd.DataFrame([{f: r.get(f) for f in fields} for r in records],
                                   columns=fields)
    if actuals == "frame":
        out["actuals"] = pd.DataFrame(actual_rows, columns=ACTUALS_COLUMNS)
    return out


def model_to_frames(model: Model, *, actuals: str = "frame") -> dict[str, pd.DataFrame]:
    """Every entity kind as a DataFrame, plus ``organization`` and (unless
    ``actuals="column"``, which keeps them in the measures' ``actuals`` column) ``actuals``."""
    if actuals not in ("frame", "column"):
        raise _spm.InvalidArgumentError("actuals must be 'frame' or 'column'")
    return json_to_frames(model.to_json(pretty=False), actuals=actuals)


def model_get(model: Model, kind: str, id: str) -> dict[str, Any]:
    """One entity as a dict of its JSON fields (fields at their default are left out)."""
    doc = json.loads(model._entity_json(kind, id))
    return doc[PLURALS[_singular(kind)]][0]


def _edit(model: Model, op: str, kind: str, entity: Mapping[str, Any] | None,
          fields: dict[str, Any]) -> None:
    data = dict(entity or {})
    data.update(fields)
    model._edit_json(op, _singular(kind), json.dumps(_jsonable(data), allow_nan=True))


def model_add(model: Model, kind: str, entity: Mapping[str, Any] | None = None,
              **fields: Any) -> None:
    """Adds an entity given as a dict (or keywords) of its JSON fields."""
    _edit(model, "add", kind, entity, fields)


def model_update(model: Model, kind: str, entity: Mapping[str, Any] | None = None,
                 **fields: Any) -> None:
    """Replaces the entity with the same id (fields left out take their defaults)."""
    _edit(model, "update", kind, entity, fields)


def model_upsert(model: Model, kind: str, entity: Mapping[str, Any] | None = None,
                 **fields: Any) -> None:
    """Adds the entity, or replaces the one with the same id."""
    _edit(model, "upsert", kind, entity, fields)


def model_info(model: Model) -> dict[str, Any]:
    """The organization's own record (id, name, vision, mission, settings, attributes)."""
    try:
        text = model._info_json()  # without the entities: cheap for a large organization
    except _spm.Error:
        text = model.to_json(pretty=False)
    return json.loads(text).get("organization", {})


def model_actuals(model: Model) -> pd.DataFrame:
    """Every actual: measure, period, value, numerator, denominator (NaN when absent)."""
    text = model.actuals_csv()
    frame = pd.read_csv(io.StringIO(text), dtype={"measure": str, "period": str})
    for c in ACTUALS_COLUMNS:
        if c not in frame.columns:
            frame[c] = np.nan
    return frame[ACTUALS_COLUMNS]


def model_set_actuals(model: Model, frame: pd.DataFrame) -> int:
    """Sets the actuals of a DataFrame (columns measure, period, value and optionally numerator
    and denominator), all or none; returns the number of rows set."""
    cols = [c for c in ACTUALS_COLUMNS if c in frame.columns]
    data = frame[cols].copy()
    if "period" in data:
        data["period"] = [_jsonable(p) for p in data["period"]]
    if "numerator" in data and "denominator" in data and "value" in data:
        # A ratio's value is derived from its numerator and denominator, never given with them.
        ratio = data["numerator"].notna() & data["denominator"].notna()
        data["value"] = data["value"].astype("float64").where(~ratio)
    buf = io.StringIO()
    data.to_csv(buf, index=False, float_format="%.17g")
    return model.load_actuals_csv(buf.getvalue())


def issues_frame(issues: Iterable[_spm.Issue]) -> pd.DataFrame:
    cols = ["severity", "kind", "id", "field", "message", "location"]
    return pd.DataFrame([[getattr(i, c) for c in cols] for i in issues], columns=cols)


def model_issues(model: Model) -> pd.DataFrame:
    """validate() as a DataFrame: severity, kind, id, field, message, location."""
    return issues_frame(model.validate())


# ---- cascade -----------------------------------------------------------------------------


def cascade_nodes(cascade: Cascade) -> pd.DataFrame:
    """Every cascade node (kind, id) in cascade order, indexed by cascade index."""
    return pd.DataFrame(cascade.nodes(), columns=["kind", "id"])


def cascade_edges(cascade: Cascade) -> pd.DataFrame:
    """Every contribution link (source_kind, source_id, target_kind, target_id, weight) and each
    measure's link to its subject, with ``normalized``: the weight's share among all inputs of
    the target (its measures and contributors), as the roll-up and attribution use it. Ready for
    ``networkx.from_pandas_edgelist(frame, "source_id", "target_id", edge_attr=True,
    create_using=networkx.DiGraph)`` (ids are unique within a kind)."""
    model = cascade.model
    cascade.index_of("goal", "")  # raises StaleError if the model changed since compile
    doc = json.loads(model.to_json(pretty=False))
    rows = []
    for kind in ("strategy", "milestone", "action", "objective"):
        for e in doc.get(PLURALS[kind], []):
            for c in e.get("contributes_to", []):
                target = next(k for k in c if k != "weight")
                rows.append((kind, e["id"], target, c[target], float(c.get("weight", 1.0))))
    for m in doc.get("measures", []):
        subject = m.get("subject", {})
        for k, v in subject.items():
            rows.append(("measure", m["id"], k, v, float(m.get("weight", 1.0))))
    frame = pd.DataFrame(rows, columns=["source_kind", "source_id", "target_kind", "target_id",
                                        "weight"])
    totals = frame.groupby(["target_kind", "target_id"])["weight"].transform("sum")
    frame["normalized"] = frame["weight"] / totals
    return frame


def cascade_coverage(cascade: Cascade) -> dict[str, pd.DataFrame]:
    """Alignment coverage: ``groups`` (organization, divisions, units, teams: employees, aligned,
    share) and ``goals`` (measures, contributors, objectives, aligned_employees, covered)."""
    r = cascade.coverage_report()
    rows = [dict(r["organization"], kind="organization")]
    for part in ("divisions", "units", "teams"):
        rows.extend(r[part])
    groups = pd.DataFrame(rows, columns=["kind", "id", "name", "employees", "aligned", "share"])
    goals = pd.DataFrame(r["goals"], columns=["goal", "measures", "contributors", "objectives",
                                              "aligned_employees", "covered"])
    return {"groups": groups, "goals": goals}


def cascade_orphans(cascade: Cascade) -> pd.DataFrame:
    """The cascade's gaps, one row each: kind, id, gap (orphan, uncovered_goal,
    strategy_without_milestones, milestone_without_owner)."""
    rows = [(k, i, "orphan") for k, i in cascade.orphans()]
    rows += [("goal", g, "uncovered_goal") for g in cascade.uncovered_goals()]
    rows += [("strategy", s, "strategy_without_milestones")
             for s in cascade.strategies_without_milestones()]
    rows += [("milestone", m, "milestone_without_owner") for m in cascade.milestones_without_owner()]
    return pd.DataFrame(rows, columns=["kind", "id", "gap"])


def cascade_attribution(cascade: Cascade, goal: str | None = None, *,
                        form: str = "long") -> pd.DataFrame:
    """Attribution of nodes to goals. ``form="long"``: one row per non-zero (kind, id, goal,
    attribution); ``"dense"``: nodes x goals; ``"sparse"``: the same with pandas sparse columns.
    With ``goal``, only that goal's column (long form)."""
    if goal is not None:
        rows = [(k, i, goal, v) for (k, i), v in cascade.attribution_to(goal)]
        return pd.DataFrame(rows, columns=["kind", "id", "goal", "attribution"])
    a = cascade.attribution_matrix()
    indptr, indices, data = a.indptr, a.indices, a.data
    nodes = a.nodes
    if form == "long":
        counts = np.diff(indptr)
        rows_idx = np.repeat(np.arange(len(nodes)), counts)
        kinds = np.array([k for k, _ in nodes], dtype=object)
        ids = np.array([i for _, i in nodes], dtype=object)
        goals = np.array(a.goals, dtype=object)
        return pd.DataFrame({"kind": kinds[rows_idx] if len(nodes) else [],
                             "id": ids[rows_idx] if len(nodes) else [],
                             "goal": goals[indices] if len(indices) else [],
                             "attribution": np.array(data, copy=True)})
    n, g = a.shape
    dense = np.zeros((n, g))
    counts = np.diff(indptr)
    dense[np.repeat(np.arange(n), counts), indices] = data
    index = pd.MultiIndex.from_tuples(nodes, names=["kind", "id"]) if nodes else None
    frame = pd.DataFrame(dense, index=index, columns=pd.Index(a.goals, name="goal"))
    if form == "dense":
        return frame
    if form == "sparse":
        return frame.astype(pd.SparseDtype("float64", 0.0))
    raise _spm.InvalidArgumentError("form must be 'long', 'dense' or 'sparse'")


def cascade_trace(cascade: Cascade, kind: str, id: str, max_paths: int = 10000) -> pd.DataFrame:
    """Line of sight of a node: one row per step of every path (path, step, kind, id) with the
    path's weight (the product of normalized weights along it)."""
    los = cascade.line_of_sight(kind, id, max_paths)
    rows = []
    for p, path in enumerate(los["paths"]):
        for s, (k, i) in enumerate(path["nodes"]):
            rows.append((p, s, k, i, path["weight"]))
    frame = pd.DataFrame(rows, columns=["path", "step", "kind", "id", "path_weight"])
    frame.attrs["truncated"] = los["truncated"]
    frame.attrs["goals"] = dict(los["goals"])
    return frame


# ---- scorecard ---------------------------------------------------------------------------


def _names(model: Model, kind: str) -> dict[str, str]:
    return dict(zip(model.ids(kind), model.names(kind)))


def _column_index(card: Scorecard, column: int | str) -> int:
    if isinstance(column, str):
        c = card.column(column)
        if c < 0:
            raise _spm.NotFoundError(f"the scorecard has no column '{column}'")
        return c
    return int(column)


def _long(card: Scorecard, which: str) -> pd.DataFrame:
    t = card._table(which)
    cols = card.columns
    n, m = t["score"].shape
    frame = pd.DataFrame({
        "kind": np.repeat(np.array(t["kind"], dtype=object), m),
        "id": np.repeat(np.array(t["id"], dtype=object), m),
        "column": np.tile(np.array(cols, dtype=object), n),
        "score": t["score"].ravel(),
        "status": pd.Categorical.from_codes(t["status"].ravel().astype(np.int8), dtype=_STATUS),
        "coverage": t["coverage"].ravel(),
        "trend": pd.Categorical.from_codes(t["trend"].ravel().astype(np.int8), dtype=_TREND),
        "slope": t["slope"].ravel(),
    })
    return frame


def scorecard_scores(card: Scorecard, which: str = "nodes", *, form: str = "long",
                     value: str = "score", names: bool = True) -> pd.DataFrame:
    """Scores by row and column. ``which``: ``nodes`` (goals, strategies, milestones, actions,
    objectives), ``measures``, ``perspectives``, ``organization`` or ``all``. ``form="long"``:
    one row per (kind, id, column) with score, status, coverage, trend, slope (and name);
    ``"wide"``: rows (kind, id) by columns, holding ``value``."""
    parts = ["organization", "perspectives", "nodes", "measures"] if which == "all" else [which]
    if form == "wide":
        return _wide(card, parts, value)
    if form != "long":
        raise _spm.InvalidArgumentError("form must be 'long' or 'wide'")
    frame = pd.concat([_long(card, w) for w in parts], ignore_index=True)
    if names:
        model = card.model
        lookup: dict[tuple[str, str], str] = {}
        for kind in frame["kind"].unique():
            if kind == "organization":
                continue
            for i, nm in _names(model, kind).items():
                lookup[(kind, i)] = nm
        org_name = _org_name(model)
        frame.insert(2, "name", [org_name if k == "organization" else lookup.get((k, i), "")
                                 for k, i in zip(frame["kind"], frame["id"])])
    return frame


def _wide(card: Scorecard, parts: list[str], value: str) -> pd.DataFrame:
    if value not in ("score", "coverage", "slope", "status", "trend"):
        raise _spm.InvalidArgumentError(f"unknown value '{value}'")
    blocks = []
    for w in parts:
        t = card._table(w)
        data = t[value]
        if value in ("status", "trend"):
            names = np.array(_spm.STATUS_NAMES if value == "status" else _spm.TREND_NAMES,
                             dtype=object)
            data = names[data]
        index = pd.MultiIndex.from_arrays([t["kind"], t["id"]], names=["kind", "id"])
        blocks.append(pd.DataFrame(data, index=index,
                                   columns=pd.Index(card.columns, name="column")))
    return pd.concat(blocks) if len(blocks) > 1 else blocks[0]


def _org_name(model: Model) -> str:
    return str(model_info(model).get("name", ""))


def scorecard_measures(card: Scorecard, column: int | str | None = None) -> pd.DataFrame:
    """Measure scores with their aggregated actual and target, long (measure by column), or one
    column's rows when ``column`` is given."""
    frame = scorecard_scores(card, "measures")
    model = card.model
    ids = model.ids("measure")
    cols = card.columns
    actual = np.array([[card.actual(i, c) for c in range(len(cols))] for i in ids]).reshape(-1)
    target = np.array([[card.target(i, c) for c in range(len(cols))] for i in ids]).reshape(-1)
    frame.insert(4, "actual", actual)
    frame.insert(5, "target", target)
    if column is not None:
        label = cols[_column_index(card, column)]
        frame = frame[frame["column"] == label].reset_index(drop=True)
    return frame


def scorecard_perspectives(card: Scorecard, column: int | str | None = None) -> pd.DataFrame:
    """The organization's and each perspective's scores."""
    frame = scorecard_scores(card, "organization")
    frame = pd.concat([frame, scorecard_scores(card, "perspectives")], ignore_index=True)
    if column is not None:
        label = card.columns[_column_index(card, column)]
        frame = frame[frame["column"] == label].reset_index(drop=True)
    return frame


def scorecard_explain(card: Scorecard, kind: str, id: str,
                      column: int | str = -1) -> pd.DataFrame:
    """How a node's score in a column came about: one row per input (kind, id, score, carried,
    weight, normalized, contribution). ``attrs`` holds the node's score, coverage, roll-up and
    missing-data policy, and the readable text."""
    e = card.explanation(_singular(kind), id, _column_index(card, column))
    frame = pd.DataFrame(
        [(x.input[0], x.input[1], x.score, x.carried, x.weight, x.normalized, x.contribution)
         for x in e.inputs],
        columns=["kind", "id", "score", "carried", "weight", "normalized", "contribution"])
    frame.attrs.update(node=e.node, column=e.column, score=e.score, coverage=e.coverage,
                       rollup=e.rollup, missing=e.missing, status_counts=e.status_counts,
                       text=e.text())
    return frame


def scorecard_compare(card: Scorecard, base: Scorecard, which: str = "all") -> pd.DataFrame:
    """Scores of this (what-if) scorecard next to ``base``'s: score, base_score, delta, status,
    base_status, per row and column (the columns both share)."""
    a = scorecard_scores(card, which)
    b = scorecard_scores(base, which, names=False)
    b = b[["kind", "id", "column", "score", "status"]].rename(
        columns={"score": "base_score", "status": "base_status"})
    out = a.merge(b, on=["kind", "id", "column"], how="inner")
    out["delta"] = out["score"] - out["base_score"]
    return out[["kind", "id", "name", "column", "base_score", "score", "delta", "base_status",
                "status"]]


# ---- what-if -----------------------------------------------------------------------------


def scenario(actuals: pd.DataFrame | Iterable[Mapping[str, Any]] | None = None,
             targets: pd.DataFrame | Iterable[Mapping[str, Any]] | None = None,
             weights: pd.DataFrame | Iterable[Mapping[str, Any]] | None = None) -> _spm.Scenario:
    """A what-if Scenario from records or DataFrames:

    - actuals: measure, period, value (NaN removes the actual);
    - targets: measure, value, period (optional; none means the default target);
    - weights: from_kind, from_id, to_kind, to_id, weight (a measure's own weight: from_kind
      ``measure`` and no ``to``).
    """
    s = _spm.Scenario()
    for rec in _rows(actuals):
        s.set_actual(str(rec["measure"]), str(_jsonable(rec["period"])), float(rec["value"]))
    for rec in _rows(targets):
        period = rec.get("period")
        s.set_target(str(rec["measure"]), float(rec["value"]),
                     None if _is_missing(period) else str(_jsonable(period)))
    for rec in _rows(weights):
        to = None
        if not _is_missing(rec.get("to_kind")) and not _is_missing(rec.get("to_id")):
            to = (str(rec["to_kind"]), str(rec["to_id"]))
        s.set_weight((str(rec["from_kind"]), str(rec["from_id"])), to, float(rec["weight"]))
    return s


def _rows(data: pd.DataFrame | Iterable[Mapping[str, Any]] | None) -> list[dict[str, Any]]:
    if data is None:
        return []
    if isinstance(data, pd.DataFrame):
        return data.to_dict("records")  # type: ignore[return-value]
    return [dict(r) for r in data]


# ---- performance management (docs/people.md) ---------------------------------------------
# Plain records from the C++ API, as DataFrames. Missing numbers are NaN, never 0; dates are
# "YYYY-MM-DD" text (missing for none); lists of ids stay Python lists in their cells. A 360-degree
# feedback group that is not shown carries nothing but its relation and threshold.

_COMPONENTS = ["objectives", "contribution", "values", "self", "feedback"]


def _frame(rows: list[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns)


def _with_names(frame: pd.DataFrame, model: Model, column: str, kind: str,
                at: int = 1) -> pd.DataFrame:
    names = _names(model, kind)
    frame.insert(at, "name", [names.get(i, "") for i in frame[column]])
    return frame


def model_check_ins(model: Model, cycle: str, as_of: Any) -> pd.DataFrame:
    """The check-ins of a cycle's employees against its cadence, one row per employee:
    employee, name, in_cycle, last, days_since, due, expected, overdue. ``attrs`` hold the
    cycle, cadence_days, as_of, the number overdue and the report as JSON."""
    r = model._check_ins(cycle, as_of)
    frame = _frame(r["employees"], ["employee", "in_cycle", "last", "days_since", "due",
                                    "expected", "overdue"])
    _with_names(frame, model, "employee", "employee")
    frame.attrs.update({k: r[k] for k in ("cycle", "cadence_days", "as_of", "overdue", "json")})
    return frame


def cascade_participation(cascade: Cascade, cycle: str | None = None, *,
                          period: str | None = None, as_of: Any = None,
                          cadence_days: int = 30) -> pd.DataFrame:
    """Participation of a cycle's population (or, with ``period`` instead, of everyone employed
    in it), one row per group and criterion: kind (organization, division, unit, team,
    manager), id, name, employees, criterion, applies, met, share and ``missing`` (the ids of
    who is missing it). ``attrs`` hold cycle, span, as_of, cadence_days, population and the
    report as JSON."""
    if as_of is None:
        raise _spm.InvalidArgumentError("participation needs as_of, the day counted as today")
    r = cascade._participation(cycle, period, as_of, cadence_days)
    frame = _frame(r["rows"], ["kind", "id", "employees", "criterion", "applies", "met",
                               "share", "missing"])
    model = cascade.model
    names = {kind: _names(model, kind) for kind in ("division", "unit", "team", "employee")}
    org = _org_name(model)
    kinds = {"division": "division", "unit": "unit", "team": "team", "manager": "employee"}
    frame.insert(2, "name", [org if k == "organization" else names[kinds[k]].get(i, "")
                             for k, i in zip(frame["kind"], frame["id"])])
    frame.attrs.update({k: r[k] for k in ("cycle", "span", "as_of", "cadence_days",
                                          "population", "json")})
    return frame


def cascade_training_needs(cascade: Cascade, cycle: str, as_of: Any) -> dict[str, pd.DataFrame]:
    """Competency gaps of a cycle's employees: ``gaps`` (employee, competency, required,
    assessed, gap, objectives; NaN assessed and gap: not assessed) and ``units`` (unit,
    competency, total_gap, employees_with_gap, not_assessed, goals as (goal, attribution)
    pairs)."""
    r = cascade._training_needs(cycle, as_of)
    gaps = _frame(r["gaps"], ["employee", "competency", "required", "assessed", "gap",
                              "objectives"])
    units = _frame(r["units"], ["unit", "competency", "total_gap", "employees_with_gap",
                                "not_assessed", "goals"])
    gaps.attrs["json"] = units.attrs["json"] = r["json"]
    return {"gaps": gaps, "units": units}


def scorecard_outcome_budget(card: Scorecard, column: int | str = 0,
                             spend_unit: float = 1e6) -> dict[str, pd.DataFrame]:
    """Budget by strategy in one column against the goals it serves: ``strategies``
    (strategy, name, budget, currency, strategy_score, outcome, outcome_per_spend) and
    ``goals`` (strategy, goal, weight, score)."""
    r = card._outcome_budget(column, spend_unit)
    strategies = _frame(r["strategies"], ["strategy", "budget", "currency", "strategy_score",
                                          "outcome", "outcome_per_spend"])
    _with_names(strategies, card.model, "strategy", "strategy")
    goals = _frame([{"strategy": s["strategy"], "goal": g, "weight": w, "score": sc}
                    for s in r["strategies"] for g, w, sc in s["goals"]],
                   ["strategy", "goal", "weight", "score"])
    for f in (strategies, goals):
        f.attrs.update({"span": r["span"], "spend_unit": r["spend_unit"], "json": r["json"]})
    return {"strategies": strategies, "goals": goals}


def reviews_frame(reviews: _spm.Reviews) -> pd.DataFrame:
    """One row per employee of the cycle: employee, name, unit, manager, review, reviewer,
    review_completed, self_submitted, the five component scores (NaN: missing, left out of the
    final score), final_score, weight_present (the share of the cycle's weight present),
    self_rating, overall_rating, overall_score."""
    r = reviews._records()
    frame = _frame(r["employees"], ["employee", "unit", "manager", "review", "reviewer",
                                    "review_completed", "self_submitted", *_COMPONENTS,
                                    "final_score", "weight_present", "self_rating",
                                    "overall_rating", "overall_score"])
    frame.attrs.update({"cycle": reviews.cycle, "span": reviews.span, "as_of": reviews.as_of,
                        "weights": reviews.weights})
    return _with_names(frame, reviews.model, "employee", "employee")


def reviews_components(reviews: _spm.Reviews) -> pd.DataFrame:
    """Every component of every review: employee, component, score, weight, normalized (share
    among those present), points (what it adds to the final score), missing (why, or "")."""
    return _frame(reviews._records()["components"],
                  ["employee", "component", "score", "weight", "normalized", "points", "missing"])


def reviews_objectives(reviews: _spm.Reviews) -> pd.DataFrame:
    """The objectives each review used: employee, objective, weight, score, normalized,
    points."""
    return _frame(reviews._records()["objectives"],
                  ["employee", "objective", "weight", "score", "normalized", "points"])


def reviews_goals(reviews: _spm.Reviews) -> pd.DataFrame:
    """Per employee, the goals their objectives reach: attribution, share (traces rewards),
    scored_attribution, score, points (what the goal adds to the contribution component)."""
    return _frame(reviews._records()["goals"],
                  ["employee", "goal", "attribution", "share", "scored_attribution", "score",
                   "points"])


def reviews_ratings(reviews: _spm.Reviews) -> pd.DataFrame:
    """The ratings of each employee's completed review: employee, kind (value or competency),
    id, rating, score."""
    return _frame(reviews._records()["ratings"], ["employee", "kind", "id", "rating", "score"])


def reviews_feedback(reviews: _spm.Reviews, shown_only: bool = False) -> pd.DataFrame:
    """360-degree feedback, one row per employee and rater relation: threshold, shown,
    responses, mean_rating, mean_score, raters (manager and self groups only), comments. A group
    below its threshold is not shown and carries nothing: responses 0, NaN means, no raters or
    comments, whether it has no response or some."""
    frame = _frame(reviews._records()["feedback"],
                   ["employee", "relation", "threshold", "shown", "responses", "mean_rating",
                    "mean_score", "raters", "comments"])
    return frame[frame["shown"]].reset_index(drop=True) if shown_only else frame


def reviews_calibration(reviews: _spm.Reviews, outlier_z: float = 2.0) -> dict[str, pd.DataFrame]:
    """Calibration: ``distributions`` of final scores (kind organization, manager or unit; id;
    count, mean, sd, min, q1, median, q3, max) and ``employees`` (final_score, z_manager,
    z_unit, z_organization, outlier: |z| > outlier_z in any)."""
    r = reviews._calibration(outlier_z)
    dists = _frame(r["distributions"], ["kind", "id", "count", "mean", "sd", "min", "q1",
                                        "median", "q3", "max"])
    lines = _frame(r["employees"], ["employee", "manager", "unit", "final_score", "z_manager",
                                    "z_unit", "z_organization", "outlier"])
    for f in (dists, lines):
        f.attrs.update({"outlier_z": r["outlier_z"], "json": r["json"]})
    return {"distributions": dists, "employees": _with_names(lines, reviews.model, "employee",
                                                             "employee")}


def reviews_rewards(reviews: _spm.Reviews, pool: float, *, require_completed_review: bool = True,
                    min_final_score: float = 0.0, final_exponent: float = 1.0,
                    contribution_exponent: float = 0.0) -> dict[str, pd.DataFrame]:
    """A reward pool divided by the rules (docs/people.md): ``shares`` (employee, name,
    eligible, reason, basis, exact, cents; the cents sum exactly to the pool) and ``goals``
    (employee, goal, cents: each share traced to the goals behind it; goal "" for a part traced
    to none). ``attrs`` hold pool_cents and allocated_cents."""
    r = reviews._rewards(pool, require_completed_review, min_final_score, final_exponent,
                         contribution_exponent)
    shares = _frame(r["employees"], ["employee", "eligible", "reason", "basis", "exact",
                                     "cents"])
    _with_names(shares, reviews.model, "employee", "employee")
    goals = _frame(r["goals"], ["employee", "goal", "cents"])
    for f in (shares, goals):
        f.attrs.update({k: r[k] for k in ("pool_cents", "allocated_cents", "json")})
    return {"shares": shares, "goals": goals}
