#!/usr/bin/env python3
"""The same roll-up done the way a data scientist does it today, against spm.

For each size: generate an organization with `spm generate`, load and validate it with
`spm validate FILE` (the whole process, best of 3: the load benchmark of spm_bench holds a second
model beside the one it loads), score it with spm (bench's
spm_rollup: every measure and node in all 12 months, best of R runs), then score it again in
Python, twice: with NetworkX (a loop over the nodes in topological order, each node the weighted
mean of its inputs' score arrays) and with pandas (level by level: the links of one level joined
to the scores below, weighted, grouped by target). Both Python versions score the measures too
(linear method: (actual - baseline) / (target - baseline), clamped to [0, 1]) and skip missing
inputs, renormalizing the rest, as spm does by default. Parsing the JSON file and building the
graph or the tables are not timed: only the scoring is, as for spm.

The results must agree with spm's: every node, every month, no score in the same places and
at most 1e-9 apart (summation order differs between the three, so the last bits may too).

Prints one JSON object per size on stdout (and --out FILE gets a JSON list).
"""
import argparse
import json
import os
import subprocess
import sys
import time

import networkx as nx
import numpy as np
import pandas as pd

import file_load  # bench/, beside this script

TOLERANCE = 1e-9


def load(path):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    months = sorted({a["period"] for m in doc.get("measures", []) for a in m.get("actuals", [])})
    col = {p: i for i, p in enumerate(months)}
    P = len(months)
    measures = doc.get("measures", [])
    M = len(measures)
    actual = np.full((M, P), np.nan)
    base = np.empty(M)
    target = np.empty(M)
    mweight = np.empty(M)
    msubject = []
    for i, m in enumerate(measures):
        for a in m.get("actuals", []):
            actual[i, col[a["period"]]] = a["value"]
        base[i] = m.get("baseline", 0.0)
        target[i] = m["target"]
        mweight[i] = m.get("weight", 1.0)
        kind, sid = next(iter(m["subject"].items()))
        msubject.append((kind, sid))
    links = []  # (from kind, from id, to kind, to id, weight)
    for o in doc.get("objectives", []):
        for c in o.get("contributes_to", []):
            kind, tid = next((k, v) for k, v in c.items() if k != "weight")
            links.append(("objective", o["id"], kind, tid, c.get("weight", 1.0)))
    nodes = [("goal", g["id"]) for g in doc.get("goals", [])]
    nodes += [("objective", o["id"]) for o in doc.get("objectives", [])]
    return dict(months=months, P=P, measures=measures, actual=actual, base=base, target=target,
                mweight=mweight, msubject=msubject, links=links, nodes=nodes)


def measure_scores(d):
    with np.errstate(invalid="ignore", divide="ignore"):
        s = (d["actual"] - d["base"][:, None]) / (d["target"] - d["base"])[:, None]
    return np.clip(s, 0.0, 1.0)  # NaN stays NaN


# ---- NetworkX: a loop in topological order ------------------------------------------------------

def build_networkx(d):
    g = nx.DiGraph()
    for i, (kind, sid) in enumerate(d["msubject"]):
        g.add_edge(("measure", i), (kind, sid), weight=d["mweight"][i])
    for fk, fid, tk, tid, w in d["links"]:
        g.add_edge((fk, fid), (tk, tid), weight=w)
    return g


def rollup_networkx(g, d):
    ms = measure_scores(d)
    P = d["P"]
    score = {}
    for node in nx.topological_sort(g):
        if node[0] == "measure":
            score[node] = ms[node[1]]
            continue
        num = np.zeros(P)
        den = np.zeros(P)
        for src, _, data in g.in_edges(node, data=True):
            s = score[src]
            have = ~np.isnan(s)
            num += np.where(have, data["weight"] * s, 0.0)
            den += np.where(have, data["weight"], 0.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            score[node] = np.where(den > 0, num / den, np.nan)
    return score


# ---- pandas: level by level ---------------------------------------------------------------------

def build_pandas(d):
    """The links as a table (measures included), each target's level: 1 + the highest level of
    its inputs (measures are level 0)."""
    M = len(d["measures"])
    mids = [f"measure:{i}" for i in range(M)]
    src = mids + [f"{fk}:{fid}" for fk, fid, _, _, _ in d["links"]]
    dst = [f"{k}:{i}" for k, i in d["msubject"]] + [f"{tk}:{tid}" for _, _, tk, tid, _ in d["links"]]
    w = np.concatenate([d["mweight"], np.array([l[4] for l in d["links"]], dtype=float)])
    edges = pd.DataFrame({"src": src, "dst": dst, "w": w})
    # Levels by repeated relaxation (not timed: the structure, as a data scientist keeps it).
    level = pd.Series(0, index=pd.Index(mids))
    g = nx.DiGraph()
    g.add_edges_from(zip(src, dst))
    lv = {}
    for n in nx.topological_sort(g):
        preds = list(g.predecessors(n))
        lv[n] = 0 if not preds else 1 + max(lv[p] for p in preds)
    edges["level"] = edges["dst"].map(lv)
    levels = [edges[edges["level"] == L][["src", "dst", "w"]] for L in range(1, edges["level"].max() + 1)]
    return mids, levels


def rollup_pandas(built, d):
    mids, levels = built
    cols = d["months"]
    scores = pd.DataFrame(measure_scores(d), index=pd.Index(mids), columns=cols)
    for sub in levels:
        vals = scores.reindex(sub["src"]).to_numpy()
        w = sub["w"].to_numpy()[:, None]
        have = ~np.isnan(vals)
        num = pd.DataFrame(np.where(have, vals * w, 0.0), columns=cols).groupby(sub["dst"].to_numpy()).sum()
        den = pd.DataFrame(np.where(have, w, 0.0), columns=cols).groupby(sub["dst"].to_numpy()).sum()
        level_scores = (num / den).where(den > 0)
        scores = pd.concat([scores, level_scores])
    return scores


# ---- comparison --------------------------------------------------------------------------------

def read_spm(path, months):
    df = pd.read_csv(path, dtype={"kind": str, "id": str})
    df.index = df["kind"] + ":" + df["id"]
    return df[months].to_numpy(dtype=float), list(df.index)


def agree(a, b):
    nan_a, nan_b = np.isnan(a), np.isnan(b)
    if not np.array_equal(nan_a, nan_b):
        return False, float("inf")
    diff = np.abs(np.where(nan_a, 0.0, a) - np.where(nan_b, 0.0, b))
    worst = float(diff.max()) if diff.size else 0.0
    return worst <= TOLERANCE, worst


def best_of(f, reps):
    best, out = float("inf"), None
    for _ in range(reps):
        t0 = time.perf_counter()
        out = f()
        best = min(best, time.perf_counter() - t0)
    return best, out


def run_size(n, args):
    work = args.work
    os.makedirs(work, exist_ok=True)
    path = os.path.join(work, f"org-{n}.json")
    if not os.path.exists(path):
        subprocess.run([args.spm, "generate", "--employees", str(n), "--seed", "1", "--compact",
                        "-o", path], check=True)
    csv = os.path.join(work, f"spm-{n}.csv")
    reps_spm = 5 if n <= 100000 else 2
    out = subprocess.run([args.rollup, path, csv, str(reps_spm)], check=True, capture_output=True,
                         text=True).stdout
    spm_seconds = json.loads(out)["seconds"]
    # The same on two threads (the same numbers; the CSV is rewritten identically).
    out2 = subprocess.run([args.rollup, path, csv, str(reps_spm), "2"], check=True,
                          capture_output=True, text=True).stdout
    spm_seconds_2 = json.loads(out2)["seconds"]

    # The file into a validated model the way a user does it: `spm validate FILE`, a process of
    # its own (reading the file, parsing, validating, the summary line), best of 3, timed as
    # file_load.py times it at the other sizes.
    load_runs = [file_load.run_once(args.spm, path) for _ in range(3)]

    d = load(path)
    spm_scores, spm_ids = read_spm(csv, d["months"])
    slow = n >= 100000
    g = build_networkx(d)
    nx_seconds, nx_scores = best_of(lambda: rollup_networkx(g, d), 1 if slow else 3)
    nx_matrix = np.array([nx_scores[tuple(i.split(":", 1))] for i in spm_ids])
    del g, nx_scores
    built = build_pandas(d)
    pd_seconds, pd_scores = best_of(lambda: rollup_pandas(built, d), 2 if slow else 5)
    pd_matrix = pd_scores.reindex(spm_ids).to_numpy()
    ok_nx, worst_nx = agree(spm_scores, nx_matrix)
    ok_pd, worst_pd = agree(spm_scores, pd_matrix)
    return {
        "employees": n,
        "nodes": len(spm_ids),
        "measures": len(d["measures"]),
        "file_bytes": os.path.getsize(path),
        "validate_file_seconds": min(r["seconds"] for r in load_runs),
        "runs": load_runs,
        "spm_seconds": spm_seconds,
        "spm_seconds_2threads": spm_seconds_2,
        "networkx_seconds": nx_seconds,
        "pandas_seconds": pd_seconds,
        "networkx_ratio": nx_seconds / spm_seconds,
        "pandas_ratio": pd_seconds / spm_seconds,
        "networkx_ratio_2threads": nx_seconds / spm_seconds_2,
        "pandas_ratio_2threads": pd_seconds / spm_seconds_2,
        "agree": ok_nx and ok_pd,
        "max_difference_networkx": worst_nx,
        "max_difference_pandas": worst_pd,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--spm", required=True, help="the spm command-line tool")
    ap.add_argument("--rollup", required=True, help="bench's spm_rollup")
    ap.add_argument("--sizes", default="1000,10000", help="employee counts, comma-separated")
    ap.add_argument("--work", default="bench-work", help="directory for generated files")
    ap.add_argument("--out", help="write the results as a JSON list to this file")
    args = ap.parse_args()
    results = []
    ok = True
    for n in [int(x) for x in args.sizes.split(",") if x]:
        r = run_size(n, args)
        print(json.dumps(r), flush=True)
        results.append(r)
        ok = ok and r["agree"]
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            json.dump(results, f, indent=2)
    if not ok:
        print("compare.py: spm, NetworkX and pandas disagree", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
