#!/usr/bin/env python3
"""Tests of the spm command-line tool: each case runs the built `spm` binary one or more times
and checks exit code, standard output and standard error together.

    run_cli_tests.py --list                        names of every case (one per ctest test)
    run_cli_tests.py --spm PATH --case NAME        run one case
    run_cli_tests.py --spm PATH --all              run every case
    run_cli_tests.py --spm PATH --all --update     rewrite the golden files in data/expected/

Each case runs in a fresh temporary directory holding copies of data/*.json and data/*.csv, and
names them by relative path, so that no output depends on where the sources live. Exit code 77
means skipped (a case whose input is missing, such as the example organization).
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from typing import Callable, Optional

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data")
EXPECTED = os.path.join(DATA, "expected")
SKIP = 77


class Failed(Exception):
    pass


@dataclass
class Run:
    """One run of spm and what it must give."""

    args: list
    exit: int = 0
    stdout: list = field(default_factory=list)  # regexes that must match (multiline)
    stderr: list = field(default_factory=list)
    not_stdout: list = field(default_factory=list)  # regexes that must not match
    not_stderr: list = field(default_factory=list)
    stdout_empty: bool = False
    stderr_empty: bool = False
    golden: Optional[str] = None  # stdout must equal data/expected/<golden>
    check: Optional[Callable] = None  # check(result, workdir) raises Failed


@dataclass
class Case:
    runs: list
    files_equal: list = field(default_factory=list)  # [(a, b)]: identical bytes
    golden_files: dict = field(default_factory=dict)  # {file in workdir: data/expected/<name>}
    json_equal: list = field(default_factory=list)  # [(a, b)]: equal JSON values
    unchanged: list = field(default_factory=list)  # data files that must not change
    needs_example: bool = False
    setup: Optional[Callable] = None  # setup(workdir) before the first run
    check_after: Optional[Callable] = None  # check_after(workdir) is true after the last run


def usage_error(command="spm"):
    """What every bad command line gives: exit 2, one error line, a hint naming the help."""
    return dict(
        exit=2,
        stderr=[r"^spm: error: \S", "^Run '" + re.escape(command) + " --help' for usage\\.$"],
        stdout_empty=True,
    )


def is_json_array_of_issues(result, workdir):
    try:
        issues = json.loads(result.stdout)
    except ValueError as e:
        raise Failed(f"stdout is not JSON: {e}")
    if not isinstance(issues, list):
        raise Failed("stdout is not a JSON array")
    keys = ["severity", "kind", "id", "field", "message", "location", "text"]
    for issue in issues:
        if list(issue.keys()) != keys:
            raise Failed(f"issue keys {list(issue.keys())}, expected {keys}")
        if issue["severity"] not in ("error", "warning"):
            raise Failed(f"bad severity {issue['severity']!r}")
    return issues


def has_errors(result, workdir):
    issues = is_json_array_of_issues(result, workdir)
    if not any(i["severity"] == "error" for i in issues):
        raise Failed("no error in the JSON issues")
    severities = [i["severity"] for i in issues]
    if severities != sorted(severities):  # "error" < "warning": errors first
        raise Failed("errors are not listed before warnings")


def no_warnings_listed(result, workdir):
    issues = is_json_array_of_issues(result, workdir)
    if any(i["severity"] == "warning" for i in issues):
        raise Failed("warnings listed despite --no-warnings")


def threads_case(seed, commands):
    """A case that generates an organization large enough to be split between threads
    (big.json), runs each command (its arguments after the file) on one thread and with each
    `--threads` count given, and expects the same output: commands is a list of (args, counts)."""
    runs = [Run(["generate", "--employees", "2000", "--seed", str(seed), "--compact", "-o",
                 "big.json"], stderr_empty=True)]
    equal = []
    for i, (args, counts) in enumerate(commands):
        one = f"out{i}.json"
        runs.append(Run([args[0], "big.json", *args[1:]], check=keep_stdout(one)))
        for count in counts:
            name = f"out{i}_{count}.json"
            runs.append(Run([args[0], "big.json", *args[1:], "--threads", count],
                            check=keep_stdout(name)))
            equal.append((one, name))
    return Case(runs, files_equal=equal)


def keep_stdout(name):
    """A check that writes the run's standard output to `name` in the work directory, for a
    later files_equal."""

    def check(result, workdir):
        if not result.stdout:
            raise Failed("no output to keep")
        with open(os.path.join(workdir, name), "w", encoding="utf-8") as f:
            f.write(result.stdout)

    return check


def one_json_line(result, workdir):
    lines = result.stdout.splitlines()
    if len(lines) != 1:
        raise Failed(f"compact JSON has {len(lines)} lines")
    json.loads(lines[0])


H = "harbor.json"  # a small valid organization (data/harbor.json)
EXAMPLE = "{examples}/municipality.json"
P = "people.json"  # the hand-computed review organization (data/people.json)
# No output may name a rater outside the manager and self groups, or show a suppressed answer.
ANONYMOUS = [r"SECRET", r"\b(R1|R2|R3|D1|D2)\b", r"Rater (One|Two|Three)", r"Report (One|Two)"]

CASES = {
    # ---- the tool itself ----------------------------------------------------------------
    "help": Case([Run(["--help"], stdout=[r"^Usage: spm", r"^\s+validate\s", r"^\s+show\s",
                                          r"^\s+convert\s", r"Exit status"], stderr_empty=True)]),
    "version": Case([Run(["--version"], stdout=[r"\Aspm \d+\.\d+\.\d+\n\Z"], stderr_empty=True)]),
    "no_arguments": Case([Run([], exit=2, stderr=[r"Usage: spm", r"validate"], stdout_empty=True)]),
    "unknown_command": Case([Run(["frobnicate"], **usage_error())]),
    "unknown_option": Case([Run(["--frobnicate"], **usage_error())]),
    "help_validate": Case([Run(["validate", "--help"],
                               stdout=[r"validate \[OPTIONS\] FILE", r"--actuals", r"--format",
                                       r"--threads", r"--no-warnings", r"Exit status"])]),
    "help_score": Case([Run(["score", "--help"], stdout=[r"score \[OPTIONS\] FILE", r"--period",
                                                        r"--scale", r"Exit status"])]),
    "help_explain": Case([Run(["explain", "--help"], stdout=[r"explain \[OPTIONS\] FILE ID",
                                                            r"--period"])]),
    "help_align": Case([Run(["align", "--help"], stdout=[r"align \[OPTIONS\] FILE"])]),
    "help_trace": Case([Run(["trace", "--help"], stdout=[r"trace \[OPTIONS\] FILE ID",
                                                        r"--max-paths"])]),
    "help_show": Case([Run(["show", "--help"], stdout=[r"show \[OPTIONS\] FILE", r"--format"])]),
    "help_convert": Case([Run(["convert", "--help"],
                              stdout=[r"convert \[OPTIONS\] IN OUT", r"--compact", r"--force",
                                      r"--actuals", r"--to"])]),
    # ---- validate -----------------------------------------------------------------------
    "validate_valid": Case([Run(["validate", H], golden="validate_harbor.txt",
                                stdout=[r"^valid: 0 errors, \d+ warnings?$"], stderr_empty=True)]),
    "validate_valid_json": Case([Run(["validate", H, "--format", "json"],
                                     golden="validate_harbor.json", check=is_json_array_of_issues,
                                     stderr_empty=True)]),
    "validate_invalid": Case([Run(
        ["validate", "invalid.json"], exit=1, golden="validate_invalid.txt",
        stdout=[r"^error: goal 'G2': field 'perspective': .*'nowhere'",
                r"^error: strategy 'S1': field 'contributes_to\[1\]': .*'G9'",
                r"^error: employee '\w+': field 'manager': .*cycle",
                r"^error: unit 'U[23]': field 'parent': .*cycle",
                r"^invalid: [1-9]\d* errors?, \d+ warnings?$"],
        not_stdout=[r"^warning:.*\n(.*\n)*error:"],  # errors before warnings
        stderr_empty=True)]),
    # The same issues on any thread count (the golden file of one thread).
    "validate_threads": Case([
        Run(["validate", "invalid.json", "--threads", "2"], exit=1,
            golden="validate_invalid.txt", stderr_empty=True),
        Run(["validate", "invalid.json", "--threads", "0"], exit=1,
            golden="validate_invalid.txt", stderr_empty=True),
        Run(["validate", "invalid.json", "--threads", "-1"], **usage_error("spm validate"))]),
    "validate_invalid_json": Case([Run(["validate", "invalid.json", "--format", "json"], exit=1,
                                       check=has_errors, stderr_empty=True)]),
    "validate_no_warnings": Case([
        Run(["validate", "invalid.json", "--no-warnings"], exit=1,
            stdout=[r"^invalid: \d+ errors?, [1-9]\d* warnings? \(not listed\)$"],
            not_stdout=[r"^warning:"]),
        Run(["validate", "invalid.json", "--no-warnings", "--format", "json"], exit=1,
            check=no_warnings_listed),
    ]),
    "validate_missing_file": Case([Run(["validate", "no_such_file.json"], exit=1,
                                       stderr=[r"^spm: error: .*no_such_file\.json"],
                                       stdout_empty=True)]),
    "validate_missing_file_json": Case([Run(["validate", "no_such_file.json", "--format", "json"],
                                            exit=1, stderr=[r"no_such_file\.json"],
                                            check=has_errors)]),
    "validate_malformed": Case([Run(["validate", "malformed.json"], exit=1,
                                    stderr=[r"^spm: error: .*malformed\.json", r"line \d+"],
                                    stdout_empty=True)]),
    "validate_bad_fields": Case([Run(
        ["validate", "bad_fields.json"], exit=1,
        stderr=[r"^spm: error: .*bad_fields\.json",
                r"^error: .*colour",                # an unknown field
                r"^error: .*\$\.goals\[1\]\.name",  # a wrong type
                r"^error: .*\$\.measures\[0\]\.weight"],  # a value out of its domain
        stdout_empty=True)]),
    "validate_directory": Case([Run(["validate", "."], exit=1,
                                    stderr=[r"^spm: error: cannot load '\.': .*directory"],
                                    stdout_empty=True)]),
    "validate_future_version": Case([Run(["validate", "future_version.json"], exit=1,
                                         stderr=[r"^spm: error: .*version"], stdout_empty=True)]),
    "validate_with_actuals": Case([Run(["validate", H, "--actuals", "new_actuals.csv"],
                                       stdout=[r"^valid: 0 errors"])]),
    "validate_bad_actuals": Case([Run(["validate", H, "--actuals", "bad_actuals.csv"], exit=1,
                                      stderr=[r"^spm: error: .*bad_actuals\.csv",
                                              r"^error: .*NOPE", r"^error: .*2026-13"],
                                      stdout_empty=True)]),
    "validate_missing_argument": Case([Run(["validate"], **usage_error("spm validate"))]),
    "validate_bad_option": Case([Run(["validate", H, "--bogus"], **usage_error("spm validate"))]),
    "validate_bad_format": Case([Run(["validate", H, "--format", "xml"],
                                     **usage_error("spm validate"))]),
    "validate_warnings_conflict": Case([Run(["validate", H, "--warnings", "--no-warnings"],
                                            **usage_error("spm validate"))]),
    "validate_two_files": Case([Run(["validate", H, H], **usage_error("spm validate"))]),
    # ---- show ---------------------------------------------------------------------------
    "show_text": Case([Run(["show", H], golden="show_harbor.txt", stderr_empty=True,
                           check=lambda r, w: max_width(r.stdout, 100))]),
    "show_json": Case([Run(["show", H, "--format", "json"], golden="show_harbor.json",
                           stderr_empty=True)]),
    "show_with_actuals": Case([Run(["show", H, "--actuals", "new_actuals.csv"],
                                   stdout=[r"^  2025-12 to 2026-03: 5 actuals on 3 measures$"])]),
    "show_invalid_model": Case([Run(["show", "invalid.json"],
                                    stdout=[r"^  Goals without a known perspective$",
                                            r"G2\s+Lost goal",
                                            # units on a parent cycle: each shown once
                                            r"^    unit  U2 North Parks .*\n      unit  U3 "],
                                    not_stdout=[r"U3 South Parks(.*\n)*.*U3 South Parks"],
                                    stderr_empty=True)]),
    "show_minimal": Case([Run(["show", "minimal.json"], golden="show_minimal.txt")]),
    "show_missing_file": Case([Run(["show", "no_such_file.json"], exit=1,
                                   stderr=[r"no_such_file\.json"], stdout_empty=True)]),
    "show_bad_option": Case([Run(["show", H, "--compact"], **usage_error("spm show"))]),
    # ---- convert ------------------------------------------------------------------------
    "convert_json_round_trip": Case(
        [Run(["convert", H, "a.json"], stdout_empty=True, stderr_empty=True),
         Run(["convert", "a.json", "b.json"]),
         Run(["convert", "a.json", "c.json", "--compact"]),
         Run(["convert", "c.json", "d.json"]),
         # The re-saved organization shows exactly as the original.
         Run(["show", H], golden="show_harbor.txt"),
         Run(["show", "b.json"], golden="show_harbor.txt")],
        files_equal=[("a.json", "b.json"), ("a.json", "d.json")],
        json_equal=[("a.json", "c.json")]),
    "convert_csv": Case([Run(["convert", H, "out.csv"], stdout_empty=True)],
                        golden_files={"out.csv": "harbor_actuals.csv"}),
    "convert_merge_actuals": Case(
        [Run(["convert", H, "merged.json", "--actuals", "new_actuals.csv"]),
         Run(["convert", "merged.json", "merged.csv"]),
         Run(["convert", H, "merged2.csv", "--actuals", "new_actuals.csv"])],
        golden_files={"merged.csv": "merged_actuals.csv", "merged2.csv": "merged_actuals.csv"},
        unchanged=[H]),
    "convert_bad_actuals": Case(
        [Run(["convert", H, "out.json", "--actuals", "bad_actuals.csv"], exit=1,
             stderr=[r"bad_actuals\.csv", r"^error: .*NOPE"])],
        unchanged=[H]),
    "convert_stdout": Case([
        Run(["convert", H, "-", "--compact"], check=one_json_line, stderr_empty=True),
        Run(["convert", H, "-", "--to", "csv"], golden="harbor_actuals.csv")]),
    "convert_in_place": Case([
        Run(["convert", H, H, "--actuals", "new_actuals.csv"],
            **usage_error("spm convert"), not_stderr=[r"^error:"]),
        Run(["convert", H, "./" + H], **usage_error("spm convert")),
        Run(["convert", H, H, "--actuals", "new_actuals.csv", "--force"], stderr_empty=True),
        Run(["convert", H, "check.csv"])],
        golden_files={"check.csv": "merged_actuals.csv"}),
    "convert_through_symlink": Case(
        [Run(["convert", H, "link.csv"], stderr_empty=True),
         Run(["convert", H, "link_to_input.json"], **usage_error("spm convert")),
         Run(["convert", H, "link_to_input.json", "--force"], stderr_empty=True)],
        golden_files={"target.csv": "harbor_actuals.csv"},
        setup=lambda w: (open(os.path.join(w, "target.csv"), "w").close(),
                         os.symlink("target.csv", os.path.join(w, "link.csv")),
                         os.symlink(H, os.path.join(w, "link_to_input.json"))),
        check_after=lambda w: (os.path.islink(os.path.join(w, "link.csv"))
                               and os.path.islink(os.path.join(w, "link_to_input.json")))),
    "convert_to_directory": Case([Run(["convert", H, "dir.json"], exit=1,
                                      stderr=[r"^spm: error: cannot write 'dir\.json': .*directory"])],
                                 setup=lambda w: os.mkdir(os.path.join(w, "dir.json"))),
    "convert_unknown_extension": Case([Run(["convert", H, "out.txt"],
                                           **usage_error("spm convert"))]),
    "convert_to_overrides_extension": Case([Run(["convert", H, "out.txt", "--to", "csv"])],
                                           golden_files={"out.txt": "harbor_actuals.csv"}),
    "convert_compact_csv": Case([Run(["convert", H, "out.csv", "--compact"],
                                     **usage_error("spm convert"))]),
    "convert_csv_input": Case([Run(["convert", "new_actuals.csv", "out.json"],
                                   **usage_error("spm convert"))]),
    "convert_missing_output": Case([Run(["convert", H], **usage_error("spm convert"))]),
    "convert_missing_input": Case([Run(["convert", "no_such_file.json", "out.json"], exit=1,
                                       stderr=[r"no_such_file\.json"])]),
    "convert_unwritable_output": Case([Run(["convert", H, "no_such_dir/out.json"], exit=1,
                                           stderr=[r"^spm: error: .*no_such_dir/out\.json"])]),
    "convert_malformed": Case([Run(["convert", "malformed.json", "out.json"], exit=1,
                                   stderr=[r"malformed\.json"])]),
    # ---- score, explain, align, trace ---------------------------------------------------
    "score_twins": Case([Run(["score", "twins.json"], stderr_empty=True,
                             stdout=[r"^Scorecard of Twins for 2026-02",
                                     r"^  goal X Goal X\s+80\.0  amber",
                                     r"^      measure MX Measure of X\s+80\.0  amber\s+\^\s+100%\s+8\.00\s+10\.00$"],
                             check=lambda r, w: max_width(r.stdout, 100))]),
    "score_period_and_scale": Case([Run(["score", "twins.json", "--period", "2026-Q1", "--scale",
                                         "ten_point", "--decimals", "2"],
                                        stdout=[r"for 2026-Q1 \(scores in ten_point",
                                                r"measure MX Measure of X\s+4\.33"])]),
    "score_json": Case([Run(["score", "twins.json", "--format", "json"],
                            check=lambda r, w: json_has(r.stdout, ["perspectives", 1, "goals", 0,
                                                                   "strategies", 0, "measures", 0,
                                                                   "score"], 0.8))]),
    "score_csv": Case([Run(["score", "twins.json", "--format", "csv"],
                           stdout=[r"\Adepth,kind,id,name,parent,score,status,trend,coverage,actual,target\n",
                                   r"^3,measure,MX,Measure of X,X,0\.8,amber,up,1,8,10$"])]),
    "score_bad_period": Case([Run(["score", "twins.json", "--period", "2026-13"],
                                  **usage_error("spm score"))]),
    # An organization large enough to be scored in parts, one per thread: the same output.
    "score_threads": threads_case(3, [(["score", "--format", "json"], ["2", "0"])]),
    "score_bad_threads": Case([Run(["score", "twins.json", "--threads", "-1"],
                                   **usage_error("spm score"))]),
    "score_invalid_model": Case([Run(["score", "invalid.json"], exit=1,
                                     stderr=[r"^spm: error: 'invalid\.json' has \d+ errors",
                                             r"^error: goal 'G2'"], stdout_empty=True)]),
    "score_no_actuals": Case([Run(["score", "minimal.json"], exit=1,
                                  stderr=[r"has no actuals: give --period"])]),
    "explain_goal": Case([Run(["explain", "twins.json", "goal:X", "--period", "2026-02"],
                              stdout=[r"^goal 'X' in 2026-02: score 0\.8000, coverage 100%",
                                      r"^  strategy\s+X\s+weight 1\s+score 0\.8000  x 1\.0000 = \+0\.8000$"])]),
    "explain_threads": Case([Run(["explain", "twins.json", "goal:X", "--period", "2026-02",
                                  "--threads", "0"],
                                 stdout=[r"^goal 'X' in 2026-02: score 0\.8000, coverage 100%"])]),
    "explain_measure": Case([Run(["explain", "twins.json", "MX", "--period", "2026-Q1"],
                                 stdout=[r"^measure 'MX' in 2026-Q1", r"actual 6\.5000, target 10",
                                         r"score 0\.6500  red"])]),
    "explain_json": Case([Run(["explain", "twins.json", "strategy:X", "--period", "2026-01",
                               "--format", "json"],
                              check=lambda r, w: json_has(r.stdout, ["inputs", 0, "contribution"],
                                                          0.5))]),
    "explain_ambiguous": Case([Run(["explain", "twins.json", "X", "--period", "2026-01"],
                                   **usage_error("spm explain"))]),
    "explain_missing_period": Case([Run(["explain", "twins.json", "goal:X"],
                                        **usage_error("spm explain"))]),
    "align_twins": Case([Run(["align", "twins.json"],
                             stdout=[r"^  employees aligned  1 of 1 \(100\.0%\)$",
                                     r"^Orphans: no path to any goal \(0\)$"])]),
    "align_harbor_json": Case([Run(["align", H, "--format", "json"],
                                   check=lambda r, w: json_has(r.stdout, ["organization", "employees"], 3))]),
    "trace_twins": Case([Run(["trace", "twins.json", "O"],
                             stdout=[r"^Line of sight of objective 'O'",
                                     # O is half of the inputs of X, which also has a measure
                                     r"^  -> x0\.500 strategy X  Strategy X$",
                                     r"^    -> x1\.000 goal X  Goal X   \[path 0\.5000\]$",
                                     r"^1 path$"])]),
    "trace_ambiguous": Case([Run(["trace", "twins.json", "X"], **usage_error("spm trace"))]),
    # align, trace and participation on several threads: the same output as on one.
    "align_trace_threads": threads_case(4, [(["align", "--format", "json"], ["2"]),
                                            (["trace", "O1", "--format", "json"], ["0"])]),
    "align_bad_threads": Case([Run(["align", "twins.json", "--threads", "-1"],
                                   **usage_error("spm align"))]),
    "trace_unknown": Case([Run(["trace", "twins.json", "nope"], exit=1,
                               stderr=[r"no goal, strategy, milestone, action or objective has the id 'nope'"])]),
    "trace_bad_kind": Case([Run(["trace", "twins.json", "planet:X"], **usage_error("spm trace"))]),
    # ---- review, participation (data/people.json: the hand-computed organization of -----
    # ---- tests/cpp/people_fixtures.hpp) ----------------------------------------------------
    "help_review": Case([Run(["review", "--help"], stdout=[r"review \[OPTIONS\] FILE", r"--report",
                                                          r"--as-of", r"anonymity"])]),
    "help_participation": Case([Run(["participation", "--help"],
                                    stdout=[r"participation \[OPTIONS\] FILE", r"--period",
                                            r"--missing"])]),
    "review_people": Case([Run(["review", P], golden="review_people.txt", stderr_empty=True,
                               not_stdout=ANONYMOUS, check=lambda r, w: max_width(r.stdout, 100))]),
    "review_employee": Case([Run(["review", P, "--employee", "A"],
                                 stdout=[r"^employee 'A': final score 0\.6904 = weighted mean",
                                         r"^  values\s+score 0\.6250  weight 0\.15\s+share 0\.1500  = \+0\.0938$",
                                         r"^    G1\s+attribution 1\.0000 \(share 0\.6667\)",
                                         r"^    direct_report  not shown"],
                                 not_stdout=ANONYMOUS)]),
    "review_employee_json": Case([Run(["review", P, "--employee", "A", "--format", "json"],
                                      not_stdout=ANONYMOUS,
                                      check=lambda r, w: json_has(r.stdout, ["feedback", 2],
                                                                  {"relation": "direct_report",
                                                                   "shown": False, "threshold": 3}))]),
    "review_json": Case([Run(["review", P, "--format", "json"], not_stdout=ANONYMOUS,
                             check=lambda r, w: json_has(r.stdout, ["employees", 1, "components", 0,
                                                                    "missing"],
                                                         "none of the 1 objectives has a score in 2026"))]),
    "review_threads": Case([Run(["review", P, "--threads", "2"], golden="review_people.txt",
                                stderr_empty=True),
                            Run(["review", P, "--threads", "-1"], **usage_error("spm review"))]),
    "review_unknown_employee": Case([Run(["review", P, "--employee", "R1"], exit=1,
                                         stderr=[r"'R1' is not reviewed in cycle 'RC'"])]),
    "review_check_ins": Case([Run(["review", P, "--report", "check-ins"],
                                  stdout=[r"2 of 3 employees overdue",
                                          r"^B\s+Ben\s+1  2026-12-01\s+50  2026-12-31  OVERDUE$"])]),
    "review_calibration": Case([Run(["review", P, "--report", "calibration", "--outlier-z", "1.3"],
                                    golden="review_people_calibration.txt", not_stdout=ANONYMOUS)]),
    "review_rewards": Case([Run(["review", P, "--report", "rewards", "--pool", "1000"],
                                golden="review_people_rewards.txt", not_stdout=ANONYMOUS)]),
    "review_rewards_json": Case([Run(["review", P, "--report", "rewards", "--pool", "100",
                                      "--contribution-exponent", "1", "--format", "json"],
                                     check=lambda r, w: json_has(r.stdout, ["employees", 0, "cents"],
                                                                 10000))]),
    "review_training": Case([Run(["review", P, "--report", "training"],
                                 stdout=[r"^U1\s+C1 Planning\s+1\.50\s+1\s+0  G1 1\.000$"])]),
    "review_budget": Case([Run(["review", P, "--report", "budget"],
                               stdout=[r"^S1\s+Strategy One\s+600000 EUR\s+-\s+0\.600\s+1\.000  G3 0\.600$"])]),
    "review_as_of": Case([Run(["review", P, "--as-of", "2027-01-11"],
                              stdout=[r"^B\s+Ben\s+-\s+-\s+-\s+-\s+-\s+-\s+0%  in progress$"])]),
    "review_bad_as_of": Case([Run(["review", P, "--as-of", "2027-13-01"], **usage_error("spm review"))]),
    "review_bad_report": Case([Run(["review", P, "--report", "bonus"], **usage_error("spm review"))]),
    "review_bad_exponent": Case([Run(["review", P, "--report", "rewards", "--final-exponent", "-1"],
                                     **usage_error("spm review"))]),
    "review_unknown_cycle": Case([Run(["review", P, "--cycle", "NOPE"], exit=1,
                                      stderr=[r"no review cycle has the id 'NOPE'"])]),
    "review_no_as_of": Case([Run(["review", H], **usage_error("spm review"))]),
    "review_rating_out_of_scale": Case([Run(["review", "people_bad_rating.json"], exit=1,
                                            stderr=[r"rating 7 is outside the cycle's scale 1 to 5"],
                                            stdout_empty=True)]),
    "review_self_review": Case([Run(["review", "people_self_review.json"], exit=1,
                                    stderr=[r"cannot be their own reviewer"], stdout_empty=True)]),
    "participation_people": Case([Run(["participation", P, "--missing"],
                                      golden="participation_people.txt", stderr_empty=True,
                                      not_stdout=ANONYMOUS,
                                      check=lambda r, w: max_width(r.stdout, 100))]),
    "participation_threads": Case([Run(["participation", P, "--missing", "--threads", "2"],
                                       golden="participation_people.txt", stderr_empty=True)]),
    "participation_period": Case([Run(["participation", P, "--period", "2026", "--by",
                                       "organization,unit", "--cadence", "60"],
                                      stdout=[r"Participation in 2026, as of 2027-01-20: 9 employees",
                                              r"^-\s+People Test\s+9\s+22\.2%\s+22\.2%\s+33\.3%\s+n/a\s+n/a\s+n/a$"])]),
    "participation_json": Case([Run(["participation", P, "--format", "json", "--by", "unit"],
                                    not_stdout=ANONYMOUS,
                                    check=lambda r, w: json_has(r.stdout, ["unit", 0, "criteria",
                                                                           "check_in", "missing"],
                                                                ["B"]))]),
    "participation_both": Case([Run(["participation", P, "--cycle", "RC", "--period", "2026"],
                                    **usage_error("spm participation"))]),
    "participation_bad_by": Case([Run(["participation", P, "--by", "planet"],
                                      **usage_error("spm participation"))]),
    # ---- the example organization (examples/municipality.json) ---------------------------
    "example_score": Case([Run(["score", EXAMPLE], golden="score_municipality.txt", stderr_empty=True,
                               check=lambda r, w: max_width(r.stdout, 100))],
                          needs_example=True),
    "example_score_json": Case([Run(["score", EXAMPLE, "--period", "2026-YTD-06", "--format", "json"],
                                    golden="score_municipality_ytd.json")],
                               needs_example=True),
    "example_align": Case([Run(["align", EXAMPLE], golden="align_municipality.txt")],
                          needs_example=True),
    "example_trace": Case([Run(["trace", EXAMPLE, "O-E0002-3"], stdout=[r"^2 paths$"])],
                          needs_example=True),
    "example_validate": Case([Run(["validate", EXAMPLE], stdout=[r"^valid: 0 errors"])],
                             needs_example=True),
    "example_show": Case([Run(["show", EXAMPLE], stdout=[r"^Organization  ", r"^Counts$"],
                              stderr_empty=True,
                              check=lambda r, w: max_width(r.stdout, 100))],
                         needs_example=True),
    "example_review": Case([Run(["review", EXAMPLE], golden="review_municipality.txt",
                                stderr_empty=True, check=lambda r, w: max_width(r.stdout, 100))],
                           needs_example=True),
    "example_review_check_ins": Case([Run(["review", EXAMPLE, "--report", "check-ins"],
                                          stdout=[r"^cadence: every 30 days; 18 of 198 employees overdue$"])],
                                     needs_example=True),
    "example_participation": Case([Run(["participation", EXAMPLE], golden="participation_municipality.txt",
                                       stderr_empty=True, check=lambda r, w: max_width(r.stdout, 100))],
                                  needs_example=True),
    "example_round_trip": Case(
        [Run(["convert", EXAMPLE, "a.json"]), Run(["convert", "a.json", "b.json"]),
         Run(["convert", EXAMPLE, "a.csv"]), Run(["convert", "a.json", "b.csv"])],
        files_equal=[("a.json", "b.json"), ("a.csv", "b.csv")], needs_example=True),
}


def json_has(text, path, expected):
    """The JSON value at `path` (keys and indices) equals `expected` (numbers within 1e-9)."""
    try:
        value = json.loads(text)
    except ValueError as e:
        raise Failed(f"stdout is not JSON: {e}")
    for key in path:
        try:
            value = value[key]
        except (KeyError, IndexError, TypeError):
            raise Failed(f"no {key!r} on the path {path}")
    if isinstance(expected, (int, float)) and isinstance(value, (int, float)):
        if abs(value - expected) > 1e-9:
            raise Failed(f"{path}: {value}, expected {expected}")
    elif value != expected:
        raise Failed(f"{path}: {value!r}, expected {expected!r}")


def max_width(text, width):
    """No line wider than `width`, unless it ends in a word too long to wrap."""
    for line in text.splitlines():
        if len(line) > width and len(line.split(" ")[-1]) < width // 2:
            raise Failed(f"line wider than {width} columns: {line!r}")


class Result:
    def __init__(self, proc):
        self.exit = proc.returncode
        self.stdout = proc.stdout
        self.stderr = proc.stderr


def check_run(run, result, workdir, update):
    where = f"spm {' '.join(run.args)}"
    problems = []
    if result.exit != run.exit:
        problems.append(f"exit code {result.exit}, expected {run.exit}")
    for name, text, wanted, unwanted, empty in (
        ("stdout", result.stdout, run.stdout, run.not_stdout, run.stdout_empty),
        ("stderr", result.stderr, run.stderr, run.not_stderr, run.stderr_empty),
    ):
        for pattern in wanted:
            if not re.search(pattern, text, re.MULTILINE):
                problems.append(f"{name} does not match {pattern!r}")
        for pattern in unwanted:
            if re.search(pattern, text, re.MULTILINE):
                problems.append(f"{name} matches {pattern!r}")
        if empty and text:
            problems.append(f"{name} is not empty")
    if run.golden:
        problems += compare_golden(result.stdout, run.golden, update)
    if run.check:
        try:
            run.check(result, workdir)
        except Failed as e:
            problems.append(str(e))
    if problems:
        raise Failed(
            f"{where}\n  " + "\n  ".join(problems)
            + f"\n--- exit {result.exit}\n--- stdout\n{result.stdout}--- stderr\n{result.stderr}"
        )


def compare_golden(actual, name, update):
    path = os.path.join(EXPECTED, name)
    if update:
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(actual)
        return []
    try:
        with open(path, encoding="utf-8", newline="") as f:
            expected = f.read()
    except FileNotFoundError:
        return [f"no golden file data/expected/{name} (run with --update to create it)"]
    if actual == expected:
        return []
    import difflib

    diff = "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                        f"expected/{name}", "actual"))
    return [f"output differs from data/expected/{name}:\n{diff}"]


def read(path):
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()


def run_case(name, spm, examples, update, keep):
    case = CASES[name]
    example = os.path.join(examples, "municipality.json") if examples else ""
    if case.needs_example and not os.path.isfile(example):
        print(f"skipped: {example or 'examples/municipality.json'} does not exist")
        return SKIP
    workdir = tempfile.mkdtemp(prefix=f"spm-cli-{name}-")
    ok = False
    try:
        for entry in os.listdir(DATA):
            if entry.endswith((".json", ".csv")):
                shutil.copy(os.path.join(DATA, entry), workdir)
        if case.setup:
            case.setup(workdir)
        originals = {f: read(os.path.join(workdir, f)) for f in case.unchanged}
        for run in case.runs:
            args = [a.replace("{examples}", examples or "") for a in run.args]
            proc = subprocess.run([spm] + args, cwd=workdir, capture_output=True, text=True,
                                  encoding="utf-8", errors="replace", timeout=60)
            check_run(run, Result(proc), workdir, update)
        problems = []
        for a, b in case.files_equal:
            if read(os.path.join(workdir, a)) != read(os.path.join(workdir, b)):
                problems.append(f"{a} and {b} differ")
        for a, b in case.json_equal:
            with open(os.path.join(workdir, a)) as fa, open(os.path.join(workdir, b)) as fb:
                if json.load(fa) != json.load(fb):
                    problems.append(f"{a} and {b} hold different JSON")
        for produced, golden in case.golden_files.items():
            path = os.path.join(workdir, produced)
            if not os.path.exists(path):
                problems.append(f"{produced} was not written")
            else:
                problems += [f"{produced}: {p}" for p in compare_golden(read(path), golden, update)]
        if case.check_after and not case.check_after(workdir):
            problems.append("the check after the last run failed")
        for f, text in originals.items():
            if read(os.path.join(workdir, f)) != text:
                problems.append(f"{f} was changed")
        if problems:
            raise Failed("\n".join(problems))
        ok = True
        return 0
    finally:
        if ok or not keep:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            print(f"kept {workdir}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spm", help="the spm binary")
    parser.add_argument("--examples", help="the examples/ directory of the sources")
    parser.add_argument("--list", action="store_true", help="print the name of every case")
    parser.add_argument("--case", action="append", default=[], help="run this case")
    parser.add_argument("--all", action="store_true", help="run every case")
    parser.add_argument("--update", action="store_true", help="rewrite the golden files")
    parser.add_argument("--keep", action="store_true", help="keep the work directory of a failure")
    args = parser.parse_args()
    if args.list:
        print("\n".join(CASES))
        return 0
    names = list(CASES) if args.all else args.case
    if not args.spm or not names:
        parser.error("give --spm and --case NAME (or --all), or --list")
    for name in names:
        if name not in CASES:
            parser.error(f"no case named {name!r}")
    spm = os.path.abspath(args.spm)
    examples = os.path.abspath(args.examples) if args.examples else ""
    failed = skipped = 0
    for name in names:
        try:
            if run_case(name, spm, examples, args.update, args.keep) == SKIP:
                skipped += 1
                status = "skipped"
            else:
                status = "ok"
        except (Failed, subprocess.TimeoutExpired) as e:
            failed += 1
            status = f"FAILED\n{e}"
        if len(names) > 1 or status != "ok":
            print(f"{name}: {status}")
    if failed:
        return 1
    return SKIP if skipped == len(names) else 0


if __name__ == "__main__":
    sys.exit(main())
