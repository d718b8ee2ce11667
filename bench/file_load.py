#!/usr/bin/env python3
"""A file into a validated model, the way a user does it, at sizes the comparison does not run.

For each size: generate the organization's compact JSON file with `spm generate` (unless the work
directory has it), then run `spm validate FILE` (a process of its own: read the file, parse,
validate, print one summary line) --reps times, and record each run's wall time, user and
system time and peak resident memory. bench/compare.py measures the same for the sizes it
compares (best of 3); this one reaches the sizes where NetworkX would take hours, so that the
load target is measured at a million employees (docs/performance.md).

Files it generated larger than --keep-below bytes are removed afterwards (6.5 GB at 1M).

    file_load.py --spm build-bench/spm/spm --sizes 1000000 --work build-bench/work --out F.json
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time


def run_once(spm, path):
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen([spm, "validate", path], stdout=subprocess.DEVNULL, stderr=err)
        # wait4 gives this child's own resource use (RUSAGE_CHILDREN sums every child so far).
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped: Popen must not wait
        if proc.returncode != 0:
            err.seek(0)
            message = err.read().decode("utf-8", "replace").strip()
            raise RuntimeError(f"spm validate {path} failed ({proc.returncode}): {message}")
    # A spawned process's peak counts the memory of the one that spawned it (Linux records it at
    # exec): below this process's own peak, spm's is not known.
    peak = usage.ru_maxrss * 1024
    if peak <= resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024:
        peak = None
    return {"seconds": seconds, "user_seconds": usage.ru_utime, "system_seconds": usage.ru_stime,
            "max_rss_bytes": peak}


def run_size(n, args):
    os.makedirs(args.work, exist_ok=True)
    path = os.path.join(args.work, f"org-{n}.json")
    generated = False
    if not os.path.exists(path):
        subprocess.run([args.spm, "generate", "--employees", str(n), "--seed", "1", "--compact",
                        "-o", path], check=True)
        generated = True
    try:
        size = os.path.getsize(path)
        runs = [run_once(args.spm, path) for _ in range(args.reps)]
    finally:
        if generated and os.path.getsize(path) >= args.keep_below:
            os.remove(path)
    return {"employees": n, "file_bytes": size,
            "validate_file_seconds": min(r["seconds"] for r in runs), "runs": runs}


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--spm", required=True, help="the spm command-line tool")
    ap.add_argument("--sizes", required=True, help="employee counts, comma-separated")
    ap.add_argument("--work", default="bench-work", help="directory for generated files")
    ap.add_argument("--reps", type=int, default=3, help="runs per size (default 3)")
    ap.add_argument("--keep-below", type=int, default=1 << 30,
                    help="remove generated files of this many bytes or more (default 1 GiB)")
    ap.add_argument("--out", help="write the results as a JSON list to this file")
    args = ap.parse_args()
    if args.reps < 1:
        ap.error("--reps must be at least 1")
    results = []
    for n in [int(x) for x in args.sizes.split(",") if x]:
        r = run_size(n, args)
        print(json.dumps(r), flush=True)
        results.append(r)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            json.dump(results, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
