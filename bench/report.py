#!/usr/bin/env python3
"""Turns bench/run.sh's results into a Markdown report: the benchmark table (time and
throughput per size, with a fitted exponent), peak memory, the targets of docs/performance.md
against the largest size measured, and the NetworkX and pandas comparison.

    report.py --results DIR --sizes 1000,10000 --out REPORT.md
"""
import argparse
import json
import math
import os
import platform
import subprocess

NAMES = {
    "BM_load": "load JSON + validate",
    "BM_save": "save JSON",
    "BM_validate": "validate",
    "BM_compile": "cascade compile",
    "BM_compile_2threads": "cascade compile, 2 threads",
    "BM_compile_edit": "edit one objective + compile",
    "BM_align": "alignment (orphans, uncovered, coverage)",
    "BM_score": "score all 12 periods",
    "BM_score_2threads": "score all 12 periods, 2 threads",
    "BM_update": "update one actual",
    "BM_whatif": "what-if (one actual)",
    "BM_attrib": "attribution of one goal",
    "BM_footprint": "compile + score, allocation",
}


def seconds(b):
    unit = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}[b.get("time_unit", "ns")]
    return b["real_time"] * unit


def fmt_time(s):
    if s < 1e-3:
        return f"{s * 1e6:.1f} µs"
    if s < 1:
        return f"{s * 1e3:.1f} ms"
    return f"{s:.2f} s"


def fmt_rate(x, unit):
    for scale, prefix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if x >= scale:
            return f"{x / scale:.1f} {prefix}{unit}/s"
    return f"{x:.0f} {unit}/s"


def fmt_bytes(b):
    for scale, prefix in ((1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")):
        if b >= scale:
            return f"{b / scale:.1f} {prefix}"
    return f"{b} B"


def runs_note(r):
    """The runs of `spm validate FILE` (file_load.py, compare.py): their range, and the best
    one's user and system time and peak memory; empty for results that did not record them."""
    runs = r.get("runs")
    if not runs:
        return ""
    best = min(runs, key=lambda x: x["seconds"])
    t = [x["seconds"] for x in runs]
    peak = best.get("max_rss_bytes")
    return (f"; best of {len(runs)} ({fmt_time(min(t))} to {fmt_time(max(t))}), the best "
            f"{best['user_seconds']:.1f} s user and {best['system_seconds']:.1f} s system time"
            + (f", peak {fmt_bytes(peak)}" if peak else ""))


def fit(points):
    """Least-squares exponent a of time = c * n^a."""
    if len(points) < 2:
        return None
    xs = [math.log(n) for n, _ in points]
    ys = [math.log(t) for _, t in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx if sxx else None


def machine():
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = 0
    try:
        with open("/proc/meminfo", encoding="utf-8") as f:
            mem = int(f.readline().split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        cxx = subprocess.run(["c++", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    except (OSError, IndexError):
        cxx = "unknown"
    return f"{os.cpu_count()} cores, {cpu}, {fmt_bytes(mem)} memory, {platform.system()} {platform.release()}, {cxx}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--results", required=True)
    ap.add_argument("--sizes", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    sizes = [int(x) for x in args.sizes.split(",") if x]
    res = args.results

    bench = {}  # (name, n) -> benchmark entry
    for n in sizes:
        path = os.path.join(res, f"bench-{n}.json")
        if not os.path.exists(path):
            continue
        with open(path, encoding="utf-8") as f:
            for b in json.load(f)["benchmarks"]:
                if b.get("run_type") == "aggregate":
                    continue
                bench[(b["name"].split("/")[0], n)] = b
    peak = {}
    for n in sizes:
        path = os.path.join(res, f"peak-{n}.json")
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                peak[n] = json.load(f)["peak_bytes"]
    # `spm validate FILE` timed on its own: by compare.py at the sizes it compares, by
    # file_load.py at the others; by size.
    by_size = {}
    for name in ("compare.json", "file-load.json"):
        path = os.path.join(res, name)
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                for r in json.load(f):
                    if r.get("validate_file_seconds"):
                        by_size[r["employees"]] = r
    file_loads = [by_size[k] for k in sorted(by_size)]
    bw = None
    if os.path.exists(os.path.join(res, "bandwidth.json")):
        with open(os.path.join(res, "bandwidth.json"), encoding="utf-8") as f:
            bw = json.load(f)

    lines = ["# spm benchmark report", "", f"Machine: {machine()}.", ""]
    if bw:
        lines += [f"Single-core memory bandwidth (bench/bandwidth.cpp, best of 7): copy "
                  f"{bw['copy_gbs']:.1f} GB/s, read {bw['read_gbs']:.1f} GB/s, triad "
                  f"{bw['triad_gbs']:.1f} GB/s.", ""]
    head = "| benchmark | " + " | ".join(f"{n:,} employees" for n in sizes) + " | fit |"
    lines += [head, "|---" * (len(sizes) + 2) + "|"]
    for key, label in NAMES.items():
        if key == "BM_footprint":
            continue
        cells, points = [], []
        for n in sizes:
            b = bench.get((key, n))
            if not b:
                cells.append("-")
                continue
            t = seconds(b)
            points.append((n, t))
            if "bytes_per_second" in b:
                rate = fmt_rate(b["bytes_per_second"], "B")
            elif key == "BM_update":
                rate = fmt_rate(1 / t, "updates")
            else:
                rate = fmt_rate(b.get("items_per_second", 0), "nodes")
            cells.append(f"{fmt_time(t)} ({rate})")
        a = fit(points)
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {'n^%.2f' % a if a is not None else '-'} |")
    lines.append("| peak memory of the process | " +
                 " | ".join(fmt_bytes(peak[n]) if n in peak else "-" for n in sizes) + " | |")
    lines.append("")
    lines.append("Time is wall time per operation; throughput counts cascade nodes (goals and "
                 "objectives) per second, bytes of JSON for load and save. `fit` is the exponent "
                 "of a least-squares fit of time against size. Peak memory is the benchmark "
                 "process's, with the organization, its JSON text and every result alive.")
    lines.append("")

    # Targets at the largest size with a scoring result.
    scored = [n for n in sizes if ("BM_score", n) in bench]
    if scored:
        n = scored[-1]
        sc = bench[("BM_score", n)]
        rows = []
        t = seconds(sc)
        if bw:
            bound = sc["bound_bytes"] / (bw["triad_gbs"] * 1e9)
            first = (f"; the first evaluation of a new cascade of the model, which reuses the "
                     f"score arrays of its scorecards gone, {fmt_time(sc['first_s'])}"
                     ) if "first_s" in sc else ""
            cold = bench.get(("BM_footprint", n), {}).get("cold_s")
            if cold is not None:
                first += (f"; the first evaluation of the model, whose score arrays are fresh "
                          f"pages, {fmt_time(cold)}")
            rows.append(("score all periods, against the bandwidth bound", "within 2x",
                         f"{fmt_time(t)} for {sc['bound_bytes'] / 1e6:.0f} MB: bound "
                         f"{fmt_time(bound)}, ratio {t / bound:.1f}x{first}", t / bound <= 2))
            if ("BM_score_2threads", n) in bench:
                t2 = seconds(bench[("BM_score_2threads", n)])
                rows.append(("... on two threads (the same numbers)", "within 2x",
                             f"{fmt_time(t2)}: ratio {t2 / bound:.1f}x", t2 / bound <= 2))
        if ("BM_update", n) in bench:
            u = seconds(bench[("BM_update", n)])
            rows.append(("update one actual", "<= 10 µs", fmt_time(u), u <= 10e-6))
        if ("BM_compile", n) in bench:
            c = seconds(bench[("BM_compile", n)])
            fp = bench.get(("BM_footprint", n), {})
            first = fp.get("first_compile_s")
            note = (f"; the first compile of the model, which writes fresh pages, "
                    f"{fmt_time(first)}") if first is not None else ""
            if "first_validate_s" in fp:
                note += (f", after the validate that resolved its references "
                         f"({fmt_time(fp['first_validate_s'])})")
            rows.append(("compile (the model's references resolved by validate)",
                         "<= 5 s (at 1M employees)", fmt_time(c) + note, c <= 5))
            if ("BM_compile_edit", n) in bench:
                ce = seconds(bench[("BM_compile_edit", n)])
                rows.append(("... after an edit (update one objective, then compile)",
                             "<= 5 s (at 1M employees)", fmt_time(ce), ce <= 5))
            if ("BM_compile_2threads", n) in bench:
                c2 = seconds(bench[("BM_compile_2threads", n)])
                rows.append(("... on two threads (the same cascade)", "<= 5 s (at 1M employees)",
                             fmt_time(c2), c2 <= 5))
        load_n = [m for m in sizes if ("BM_load", m) in bench]
        if load_n:
            lb = bench[("BM_load", load_n[-1])]
            rate = lb["bytes_per_second"] / 1e6
            rows.append((f"load + validate ({load_n[-1]:,} employees, from the text in memory)",
                         ">= 100 MB/s",
                         f"{rate:.0f} MB/s", rate >= 100))
        # The same from a file, as a user does it (compare.py, file_load.py), at the largest
        # size measured.
        if file_loads:
            r = file_loads[-1]
            rate = r["file_bytes"] / r["validate_file_seconds"] / 1e6
            rows.append((f"... `spm validate FILE` ({r['employees']:,} employees, a process "
                         "of its own)", ">= 100 MB/s", f"{rate:.0f} MB/s" + runs_note(r),
                         rate >= 100))
        if ("BM_footprint", n) in bench:
            f = bench[("BM_footprint", n)]
            model = []
            if "refs_per_row" in f:
                model.append(f"{f['refs_per_row']:.0f} B for the references it resolved for "
                             "compile")
            if "store_per_row" in f:
                model.append(f"{f['store_per_row']:.0f} B for the measure store its first "
                             "evaluation made")
            if "kept_per_row" in f:
                model.append(f"{f['kept_per_row']:.0f} B of memory kept for its next compiles "
                             "(Model::kept_bytes)")
            extra = ("; the model holds, per node, " + " and ".join(model)) if model else ""
            rows.append(("compiled cascade + scorecard per node (objectives, goals and measures)",
                         "<= 150 B", f"{f['bytes_per_row']:.0f} B ({f['bytes_per_node']:.0f} B per "
                         "cascade node)" + extra,
                         f["bytes_per_row"] <= 150))
        lines += [f"## Targets, at {n:,} employees", "", "| what | target | measured | met |",
                  "|---|---|---|---|"]
        for what, target, measured, ok in rows:
            lines.append(f"| {what} | {target} | {measured} | {'yes' if ok else 'no'} |")
        lines.append("")

    cmp_path = os.path.join(res, "compare.json")
    if os.path.exists(cmp_path):
        with open(cmp_path, encoding="utf-8") as f:
            cmp = json.load(f)
        lines += ["## The same roll-up in NetworkX and pandas (bench/compare.py)", "",
                  "| employees | nodes + measures | spm | spm, 2 threads | NetworkX | pandas | "
                  "NetworkX / spm (1 thread, 2) | pandas / spm (1 thread, 2) | results agree |",
                  "|---|---|---|---|---|---|---|---|---|"]

        def ratios(r, what):
            two = r.get(f"{what}_ratio_2threads")
            return f"{r[what + '_ratio']:.0f}x" + (f", {two:.0f}x" if two else "")

        for r in cmp:
            two = r.get("spm_seconds_2threads")
            lines.append(
                f"| {r['employees']:,} | {r['nodes'] + r['measures']:,} | {fmt_time(r['spm_seconds'])} | "
                f"{fmt_time(two) if two else '-'} | "
                f"{fmt_time(r['networkx_seconds'])} | {fmt_time(r['pandas_seconds'])} | "
                f"{ratios(r, 'networkx')} | {ratios(r, 'pandas')} | "
                f"{'yes' if r['agree'] else 'NO'} (max difference {max(r['max_difference_networkx'], r['max_difference_pandas']):.1e}) |")
        lines.append("")
    if file_loads:
        lines += ["## A file into a validated model: `spm validate FILE`, a process of its own", "",
                  "| employees | file (compact JSON) | time (best) | throughput | runs |",
                  "|---|---|---|---|---|"]
        for r in file_loads:
            t = r["validate_file_seconds"]
            lines.append(f"| {r['employees']:,} | {r['file_bytes'] / 1e6:.1f} MB | {fmt_time(t)} | "
                         f"{r['file_bytes'] / t / 1e6:.1f} MB/s | {runs_note(r).strip(' ;') or '-'} |")
        lines.append("")
    with open(args.out, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
