#!/usr/bin/env python3
"""Builds the City of Riverton example organization.

strategy.json, beside this script, holds everything written by hand: the vision, mission and
values, the perspectives, the structure, the goals and their cause-and-effect links, the
strategies with their theories of action, the measures (with instructions for simulating their
data), the milestones, actions, unit and team objectives, competencies, the review cycle and the
budgets. This script adds what a real city would pull from its HR and operational systems:

  * about 200 employees in a reporting forest (city manager -> deputy city managers -> unit
    heads -> supervisors -> staff, plus an auditor who reports to Council);
  * every employee's 2026 objectives, cascading into their unit's or team's objectives, into
    milestones, or (for a few) into nothing at all: the orphans that real data always has;
  * 24 months of actuals (2025-01 to 2026-12) for every measure, with trends, seasons, noise
    and about 5% of months missing;
  * a measure for most employee objectives (the share of the work planned to date that is
    delivered, recorded at the monthly check-ins), so that objectives have scores of their own and reviews have their
    objective-results and contribution components;
  * the 2026 review cycle: reviews, self-assessments, 360-degree feedback and check-ins.

It writes ../municipality.json (spm file format version 1, laid out like spm's own pretty
output: one entity per line) and ../municipality-actuals.csv. The output depends only on
strategy.json: every random choice comes from a random.Random seeded with a fixed string, so
running the script twice gives identical bytes.

    python3 examples/municipality/generate.py              # writes into examples/
    python3 examples/municipality/generate.py --out DIR    # writes into DIR instead

Standard library only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import random
import sys

SEED = "riverton-2026"
AS_OF = dt.date(2027, 1, 20)  # the day the example's data was "exported"
MONTHS = [f"{y}-{m:02d}" for y in (2025, 2026) for m in range(1, 13)]
MISSING_RATE = 0.05

# Field names of every entity, in the order of spm's file format (src/model/describe.hpp).
# tests/python/test_example.py checks these lists against the C++ ones.
FIELDS = {
    "organization": ["id", "name", "vision", "mission", "settings", "attributes"],
    "values": ["id", "name", "description", "attributes"],
    "perspectives": ["id", "name", "description", "attributes"],
    "functions": ["id", "name", "description", "attributes"],
    "divisions": ["id", "name", "description", "function", "head", "attributes"],
    "units": ["id", "name", "description", "division", "parent", "function", "head", "attributes"],
    "teams": ["id", "name", "description", "milestone", "lead", "members", "units", "attributes"],
    "employees": ["id", "name", "title", "unit", "manager", "start", "end", "attributes"],
    "goals": ["id", "name", "description", "perspective", "owner", "start", "end", "drives",
              "rollup", "missing", "attributes"],
    "strategies": ["id", "name", "description", "if", "then", "owner", "start", "end",
                   "contributes_to", "rollup", "missing", "attributes"],
    "measures": ["id", "name", "description", "subject", "weight", "data_source", "unit", "owner",
                 "polarity", "method", "aggregation", "baseline", "target", "targets", "band_low",
                 "band_high", "band_tolerance", "red_flag", "goal", "table", "cap",
                 "status_bands", "actuals", "attributes"],
    "milestones": ["id", "name", "description", "owner", "start", "due", "progress", "status",
                   "contributes_to", "rollup", "missing", "attributes"],
    "actions": ["id", "name", "description", "owner", "start", "due", "percent_complete",
                "status", "contributes_to", "attributes"],
    "objectives": ["id", "name", "description", "owner", "weight", "start", "end",
                   "contributes_to", "requires_competencies", "rollup", "missing", "attributes"],
    "competencies": ["id", "name", "description", "max_level", "attributes"],
    "review_cycles": ["id", "name", "description", "first", "last", "employees", "weights",
                      "scale", "check_in_cadence_days", "anonymity", "attributes"],
    "reviews": ["id", "cycle", "employee", "reviewer", "completed", "ratings", "overall",
                "comment", "attributes"],
    "self_assessments": ["id", "cycle", "employee", "submitted", "rating", "comment",
                         "attributes"],
    "feedback": ["id", "cycle", "subject", "rater", "relation", "rating", "comment", "submitted",
                 "attributes"],
    "check_ins": ["id", "employee", "manager", "date", "notes", "attributes"],
    "budgets": ["id", "strategy", "period", "amount", "currency", "attributes"],
}
TOP_LEVEL = ["values", "perspectives", "functions", "divisions", "units", "teams", "employees",
             "goals", "strategies", "measures", "milestones", "actions", "objectives",
             "competencies", "review_cycles", "reviews", "self_assessments", "feedback",
             "check_ins", "budgets"]

FIRST_NAMES = [
    "Aaliyah", "Aaron", "Adriana", "Ahmed", "Alicia", "Andre", "Angela", "Anthony", "Beatriz",
    "Benjamin", "Brandon", "Brianna", "Carlos", "Carmen", "Chloe", "Christopher", "Daniel",
    "Deborah", "Derek", "Diana", "Dmitri", "Elena", "Emily", "Eric", "Fatima", "Gabriel",
    "Grace", "Hannah", "Hector", "Isaac", "Jamal", "Jasmine", "Jennifer", "Jessica", "Jorge",
    "Joseph", "Julia", "Kevin", "Kimberly", "Laura", "Leah", "Luis", "Malik", "Maria", "Marcus",
    "Megan", "Michael", "Min-jun", "Nadia", "Nathan", "Nicole", "Omar", "Patricia", "Paul",
    "Priya", "Rachel", "Rafael", "Rebecca", "Robert", "Rosa", "Ryan", "Samantha", "Samuel",
    "Sarah", "Sean", "Sofia", "Stephanie", "Tamika", "Thomas", "Tiffany", "Trevor", "Valerie",
    "Victor", "Wei", "William", "Yolanda", "Yusuf", "Zoe",
]
LAST_NAMES = [
    "Abbott", "Adeyemi", "Alvarez", "Anderson", "Baker", "Banerjee", "Bennett", "Brooks",
    "Castillo", "Chen", "Clark", "Coleman", "Cruz", "Davis", "Diaz", "Edwards", "Evans",
    "Fischer", "Flores", "Foster", "Garcia", "Gonzalez", "Gray", "Green", "Hall", "Harris",
    "Hernandez", "Hughes", "Jackson", "James", "Johnson", "Kaur", "Kim", "Kowalski", "Lee",
    "Lewis", "Lopez", "Martin", "Martinez", "Mitchell", "Moore", "Morales", "Murphy", "Nguyen",
    "Novak", "O'Brien", "Okafor", "Ortiz", "Patel", "Perez", "Peterson", "Phillips", "Price",
    "Ramirez", "Reed", "Reyes", "Richardson", "Rivera", "Roberts", "Robinson", "Rodriguez",
    "Russell", "Sanchez", "Santos", "Scott", "Shah", "Silva", "Sullivan", "Taylor", "Thomas",
    "Thompson", "Torres", "Tran", "Turner", "Walker", "Washington", "Watson", "White",
    "Williams", "Wilson", "Wright", "Yamamoto", "Young", "Zhang",
]
TRADE_UNITS = {"U-STR", "U-WAT", "U-ENV"}
ORPHAN_OBJECTIVES = [
    "Reorganize the unit's shared drive",
    "Attend the state municipal league conference",
    "Renew my commercial driver's licence",
    "Improve my Spanish for the front counter",
    "Organize the holiday food drive",
    "Finish my master's degree coursework",
]
AUDITOR_OBJECTIVES = [
    ("Complete the six audits of the 2026 audit plan", 3),
    ("Follow up every open audit finding with management", 1),
]
CHECK_IN_NOTES = [
    "Reviewed progress on objectives; no blockers.",
    "Talked through workload and priorities for the coming month.",
    "Agreed to move one deadline; will confirm with the project lead.",
    "Discussed training options for next quarter.",
    "Went over the unit dashboard together; two measures need attention.",
    "Good month. Recognized the extra effort during the storm response.",
    "Discussed feedback from a resident complaint and what to change.",
    "Set up a job shadow with another unit.",
    "Reviewed safety observations from the field.",
    "Checked in on the milestone actions; one is slipping.",
    "Short check-in; follow-up meeting booked.",
    "Career conversation: interest in the supervisor academy.",
]
REVIEW_COMMENTS = {
    1: "Did not meet most objectives this year; an improvement plan is agreed for 2027.",
    2: "Met some objectives; needs to improve follow-through and communication with the team.",
    3: "Solid year: met objectives and lived the City's values.",
    4: "Exceeded several objectives and helped colleagues across units.",
    5: "Outstanding year: results well beyond objectives and a role model for others.",
}
SELF_COMMENTS = [
    "I met my main objectives; the second half of the year was stretched by vacancies.",
    "Proud of what the team delivered. I want more training in data tools next year.",
    "Most objectives met. I underestimated how long the procurement steps would take.",
    "A demanding year. I would like clearer priorities when projects compete for time.",
    "I exceeded my main objective and took on extra work during the rollout.",
    "Some objectives slipped because of the system change; I learned a lot from it.",
]
FEEDBACK_COMMENTS = {
    "manager": ["Reliable and well organized.", "Takes ownership of problems.",
                "Could delegate more.", "Communicates clearly with residents and staff."],
    "peer": ["Always willing to help.", "Shares knowledge generously.",
             "Could keep the team better informed.", "Great to work with on busy days.",
             "Meetings could be shorter and more focused."],
    "direct_report": ["Gives clear direction.", "Supports my development.",
                      "Could give feedback more often.", "Stands up for the team.",
                      "Sometimes changes priorities without explaining why."],
    "other": ["Easy to work with across departments.", "Brings the resident's view.",
              "Kept our joint project moving.", "Could respond faster to emails."],
}


# ------------------------------------------------------------------------------------------
# Small helpers


def rng_for(*parts: str) -> random.Random:
    """A random stream of its own for each concern, so that editing one part of strategy.json
    does not reshuffle every other part of the output."""
    return random.Random("/".join((SEED,) + parts))


def clean(obj):
    """Drops the generator's own keys (those starting with "_"), recursively."""
    if isinstance(obj, dict):
        return {k: clean(v) for k, v in obj.items() if not k.startswith("_")}
    if isinstance(obj, list):
        return [clean(v) for v in obj]
    return obj


def ordered(kind: str, entity: dict) -> dict:
    """The entity's fields in file order, without empty ones."""
    unknown = [k for k in entity if k not in FIELDS[kind]]
    if unknown:
        raise SystemExit(f"{kind} {entity.get('id')!r}: unknown field(s) {unknown}")
    out = {}
    for key in FIELDS[kind]:
        value = entity.get(key)
        if value is None or value == "" or value == [] or value == {}:
            continue
        out[key] = value
    return out


def number(x: float, decimals: int):
    """Rounds for output; whole numbers are written without a decimal point (as spm writes
    them), so never 12.0 or -0.0."""
    value = round(x, decimals)
    return int(value) if value == int(value) else value


def day(d: dt.date) -> str:
    return d.isoformat()


def random_date(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


def clamp(x, lo, hi):
    return max(lo, min(hi, x))


# ------------------------------------------------------------------------------------------
# People


class People:
    def __init__(self, plan: dict):
        self.plan = plan
        self.rng = rng_for("people")
        self.employees: list[dict] = []
        self.by_id: dict[str, dict] = {}
        self.used_names: set[str] = set()
        self.latent: dict[str, float] = {}  # how well each person performs, for ratings
        self.heads: dict[str, str] = {}  # unit or division id -> employee id
        self.supervisors: dict[str, list[str]] = {}  # unit id -> supervisor ids
        self.staff: dict[str, list[str]] = {}  # unit id -> staff ids
        self.reports: dict[str, list[str]] = {}  # manager id -> direct report ids
        self.new_hires: list[str] = []
        self.leavers: list[str] = []
        self.city_manager = ""
        self.auditor = ""

    def name(self) -> str:
        while True:
            full = f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"
            if full not in self.used_names:
                self.used_names.add(full)
                return full

    def add(self, title: str, unit: str, manager: str, start: dt.date, **attributes) -> str:
        eid = f"E{len(self.employees) + 1:04d}"
        employee = {"id": eid, "name": self.name(), "title": title, "unit": unit,
                    "manager": manager, "start": day(start)}
        if attributes:
            employee["attributes"] = attributes
        self.employees.append(employee)
        self.by_id[eid] = employee
        self.latent[eid] = self.rng.gauss(0.0, 1.0)
        if manager:
            self.reports.setdefault(manager, []).append(eid)
        return eid

    def build(self) -> None:
        rng = self.rng
        self.city_manager = self.add("City Manager", "U-CMO", "",
                                     random_date(rng, dt.date(2016, 1, 1), dt.date(2019, 12, 31)),
                                     appointed_by="City Council")
        first_unit = {}
        for unit in self.plan["units"]:
            first_unit.setdefault(unit["division"], unit["id"])
        for division in self.plan["divisions"]:
            self.heads[division["id"]] = self.add(
                division["_head_title"], first_unit[division["id"]], self.city_manager,
                random_date(rng, dt.date(2004, 1, 1), dt.date(2021, 12, 31)))
        for unit in self.plan["units"]:
            uid = unit["id"]
            head = self.add(unit["_head_title"], uid, self.heads[unit["division"]],
                            random_date(rng, dt.date(2001, 1, 1), dt.date(2022, 12, 31)))
            self.heads[uid] = head
            if uid == "U-FIN":
                # Appointed by and reporting to Council: a second root of the reporting forest.
                self.auditor = self.add("City Auditor", uid, "",
                                        random_date(rng, dt.date(2012, 1, 1), dt.date(2020, 12, 31)),
                                        reports_to="City Council")
            n_supervisors = (unit["_size"] - 1) // 9
            self.supervisors[uid] = [
                self.add(unit["_supervisor_title"], uid, head,
                         random_date(rng, dt.date(1999, 1, 1), dt.date(2023, 12, 31)))
                for _ in range(n_supervisors)]
            self.staff[uid] = []
            for i in range(unit["_size"] - 1 - n_supervisors):
                title = rng.choice(unit["_staff_titles"])
                start = random_date(rng, dt.date(1996, 1, 1), dt.date(2025, 12, 31))
                if uid in TRADE_UNITS and rng.random() < 0.1 and "Engineer" not in title:
                    title = "Apprentice " + title
                    start = dt.date(2025, 9, 8)  # the first apprenticeship cohort
                # Most staff report to a supervisor; senior staff and small units to the head.
                sups = self.supervisors[uid]
                manager = sups[i % len(sups)] if sups and rng.random() < 0.8 else head
                self.staff[uid].append(self.add(title, uid, manager, start))

        # Two recent hires (no objectives yet) and two people who left during 2026.
        pool = [e for u in ("U-CMO", "U-PRC", "U-WAT", "U-HSG") for e in self.staff[u]
                if not self.by_id[e]["title"].startswith("Apprentice")]
        picks = rng.sample(pool, 4)
        for eid, start in zip(picks[:2], (dt.date(2026, 11, 2), dt.date(2026, 12, 7))):
            self.by_id[eid]["start"] = day(start)
            self.by_id[eid]["attributes"] = {"probation_until": day(start + dt.timedelta(days=180))}
            self.new_hires.append(eid)
        for eid, end, why in zip(picks[2:], (dt.date(2026, 6, 30), dt.date(2026, 9, 11)),
                                 ("retired", "resigned")):
            self.by_id[eid]["end"] = day(end)
            self.by_id[eid]["attributes"] = {"leaving_reason": why}
            self.leavers.append(eid)

    # Who counts for what.
    def active(self, eid: str) -> bool:
        return eid not in self.new_hires and eid not in self.leavers

    def unit_people(self, uid: str) -> list[str]:
        return [self.heads[uid]] + self.supervisors[uid] + self.staff[uid]

    def manager_of(self, eid: str) -> str:
        return self.by_id[eid]["manager"]


# ------------------------------------------------------------------------------------------
# Measures and actuals


def simulate(measure: dict) -> list[dict]:
    sim = measure["_simulate"]
    rng = rng_for("actuals", measure["id"])
    n = len(MONTHS)
    zero_before = MONTHS.index(sim["zero_before"]) if "zero_before" in sim else 0
    explicit_missing = set(sim.get("missing", []))
    actuals = []
    previous = None
    for i, period in enumerate(MONTHS):
        # Draw every random number for every month, used or not, so that the missing months
        # do not shift the noise of later months.
        noise = rng.gauss(0.0, 1.0)
        coin = rng.random()
        missing = rng.random() < MISSING_RATE or period in explicit_missing
        month = i % 12 + 1
        if i < zero_before:
            progress = None
        else:
            span = max(1, n - 1 - zero_before)
            progress = (i - zero_before) / span
            if sim.get("shape") == "s":
                lo, hi = (1 / (1 + math.exp(6)), 1 / (1 + math.exp(-6)))
                progress = (1 / (1 + math.exp(-12 * (progress - 0.5))) - lo) / (hi - lo)
        season = 0.0
        if "season" in sim:
            amplitude, peak = sim["season"]
            season = amplitude * math.cos(2 * math.pi * (month - peak) / 12)

        if sim.get("binary"):
            p = sim["start"] + (sim["end"] - sim["start"]) * (progress or 0.0)
            actual = {"period": period, "value": 1 if coin < p else 0}
        elif sim.get("ratio"):
            lo, hi = sim["denominator"]
            denominator = int(round(lo + (hi - lo) * coin + season))
            share = sim["start"] + (sim["end"] - sim["start"]) * progress + sim["noise"] * noise
            numerator = int(round(clamp(share, 0.0, 1.0) * denominator))
            actual = {"period": period, "numerator": numerator, "denominator": denominator}
        else:
            if progress is None:
                value = 0.0
            else:
                value = (sim["start"] + (sim["end"] - sim["start"]) * progress + season
                         + sim["noise"] * noise)
            if "quantum" in sim:
                value = sim["quantum"] * round(value / sim["quantum"])
            value = clamp(value, sim.get("min", -math.inf), sim.get("max", math.inf))
            if sim.get("monotonic") and previous is not None:
                value = max(value, previous)
            value = number(value, sim["decimals"])
            previous = value
            actual = {"period": period, "value": value}
        if not missing:
            actuals.append(actual)
    return actuals


# ------------------------------------------------------------------------------------------
# The organization


def build(plan: dict) -> dict:
    people = People(plan)
    people.build()
    P = people.by_id

    divisions = []
    for d in plan["divisions"]:
        d = clean(d)
        d["head"] = people.heads[d["id"]]
        divisions.append(d)
    units = []
    for u in plan["units"]:
        u = clean(u)
        u["head"] = people.heads[u["id"]]
        units.append(u)

    # Collaborative teams: members drawn from staff of the units taking part.
    rng = rng_for("teams")
    teams, team_of = [], {}
    for t in plan["teams"]:
        members = []
        for uid, count in t["_members"].items():
            pool = [e for e in people.supervisors[uid] + people.staff[uid]
                    if people.active(e) and e not in team_of
                    and not P[e]["title"].startswith("Apprentice")]
            chosen = rng.sample(pool, count)
            # The lead comes first: a supervisor of the first unit when it has one.
            chosen.sort(key=lambda e: (e not in people.supervisors[uid], e))
            members += chosen
        for e in members:
            team_of[e] = t["id"]
        team = clean(t)
        team["lead"] = members[0]
        team["members"] = members
        teams.append(team)
    team_by_id = {t["id"]: t for t in teams}

    # Actions: owned by a staff member or supervisor of the owning unit or team.
    rng = rng_for("actions")
    actions = []
    for a in plan["actions"]:
        uid = a["_owner_unit"]
        if "_owner_team" in a:
            # A team's action: a member of the team from the unit best placed to do it.
            pool = [e for e in team_by_id[a["_owner_team"]]["members"] if P[e]["unit"] == uid]
        else:
            pool = [e for e in people.supervisors[uid] + people.staff[uid]
                    if people.active(e) and not P[e]["title"].startswith("Apprentice")]
            if a["start"] < "2026":  # 2025 work may have been done by people since gone
                pool = [e for e in people.supervisors[uid] + people.staff[uid]
                        if e not in people.new_hires]
            if people.supervisors[uid] and rng.random() < 0.4:
                pool = people.supervisors[uid]  # supervisors own more than their share
        action = clean(a)
        action["owner"] = rng.choice(pool)
        actions.append(action)

    measures = []
    for m in plan["measures"]:
        measure = clean(m)
        measure["actuals"] = simulate(m)
        measures.append(measure)

    objectives = build_objectives(plan, people, teams, actions)
    measures += build_objective_measures(people, objectives)
    cycle = clean(plan["review_cycles"][0])
    reviews, self_assessments = build_reviews(plan, people, cycle["id"], objectives)
    feedback = build_feedback(people, cycle["id"], team_of, team_by_id)
    check_ins = build_check_ins(people)

    doc = {
        "organization": clean(plan["organization"]),
        "values": clean(plan["values"]),
        "perspectives": clean(plan["perspectives"]),
        "functions": clean(plan["functions"]),
        "divisions": divisions,
        "units": units,
        "teams": teams,
        "employees": people.employees,
        "goals": clean(plan["goals"]),
        "strategies": clean(plan["strategies"]),
        "measures": measures,
        "milestones": clean(plan["milestones"]),
        "actions": actions,
        "objectives": objectives,
        "competencies": clean(plan["competencies"]),
        "review_cycles": [cycle],
        "reviews": reviews,
        "self_assessments": self_assessments,
        "feedback": feedback,
        "check_ins": check_ins,
        "budgets": clean(plan["budgets"]),
    }
    out = {"spm_format_version": 1, "organization": ordered("organization", doc["organization"])}
    for key in TOP_LEVEL:
        out[key] = [ordered(key, e) for e in doc[key]]
    return out


def build_objectives(plan: dict, people: People, teams: list, actions: list) -> list[dict]:
    rng = rng_for("objectives")
    P = people.by_id
    year = {"start": "2026-01-01", "end": "2026-12-31"}
    unit_objectives = plan["objectives"]
    by_owner: dict[str, list[dict]] = {}
    for o in unit_objectives:
        ((_, oid),) = o["owner"].items()
        by_owner.setdefault(oid, []).append(o)
    out = [clean(o) for o in unit_objectives]

    def add(eid: str, n: int, name: str, weight: int, contributes_to: list | None,
            requires: list | None = None) -> None:
        o = {"id": f"O-{eid}-{n}", "name": name, "owner": {"employee": eid}, "weight": weight,
             "start": year["start"], "end": P[eid].get("end", year["end"])}
        if contributes_to:
            o["contributes_to"] = contributes_to
        if requires:
            o["requires_competencies"] = requires
        out.append(o)

    # The city manager and deputies: objectives written in strategy.json, straight onto goals
    # and strategies.
    for i, (name, weight, to) in enumerate(plan["organization"]["_city_manager_objectives"], 1):
        add(people.city_manager, i, name, weight, to)
    for d in plan["divisions"]:
        for i, (name, weight, to) in enumerate(d["_head_objectives"], 1):
            add(people.heads[d["id"]], i, name, weight, to)
    for i, (name, weight) in enumerate(AUDITOR_OBJECTIVES, 1):
        add(people.auditor, i, name, weight, None)  # independent of the plan: orphans

    action_owners: dict[str, list[dict]] = {}
    for a in actions:
        if a["start"] >= "2026" and "contributes_to" in a and a["status"] != "cancelled":
            action_owners.setdefault(a["owner"], []).append(a)
    team_of = {m: t for t in teams for m in t["members"]}
    employees = [e["id"] for e in people.employees]
    orphan_people = set(rng.sample(
        [e for u in people.staff for e in people.staff[u] if e not in people.new_hires], 6))
    champions = set(rng.sample(
        [e for u in people.staff for e in people.staff[u] if people.active(e)], 24))

    for eid in employees:
        if eid in people.new_hires or eid in (people.city_manager, people.auditor):
            continue
        if eid in (people.heads[d["id"]] for d in plan["divisions"]):
            continue
        uid = P[eid]["unit"]
        mine = []  # (name, weight, contributes_to, requires)
        if eid == people.heads[uid]:
            # Unit heads own their unit's objectives personally.
            for o in by_owner[uid]:
                mine.append((o["name"], o["weight"], [{"objective": o["id"]}],
                             o.get("requires_competencies")))
        else:
            fixed = [(a["name"], 3, a["contributes_to"], None) for a in action_owners.get(eid, [])]
            if eid in team_of:
                # The team objective meant for the member's unit ("_for_units"), else the first.
                options = by_owner[team_of[eid]["id"]]
                o = next((x for x in options if uid in x.get("_for_units", [])), options[0])
                fixed.append((phrases_for(o, "")[0], 3, [{"objective": o["id"]}],
                              o.get("requires_competencies")))
            if P[eid]["title"] == "Performance Analyst":
                # One objective serving two units' objectives: the cascade is a DAG, not a tree.
                fixed.append(("Build the 311 performance dashboard with IT", 2,
                              [{"objective": "O-CMO-2", "weight": 2}, {"objective": "O-IT-1"}],
                              [{"competency": "C-DATA", "level": 4}]))
            extras = []
            if eid in people.supervisors[uid] and rng.random() < 0.5:
                extras.append(("Complete the supervisor academy", 1,
                               [{"milestone": "MS-ST11-2026"}],
                               [{"competency": "C-LEAD", "level": 3}]))
            if eid in champions:
                extras.append(("Become my team's data champion", 1,
                               [{"milestone": "MS-ST12-2026"}],
                               [{"competency": "C-DATA", "level": 3}]))
            # Then objectives of their own unit's, in the words of the job: at least one.
            target = rng.choice((2, 3, 3, 4))
            wanted = max(1, target - len(fixed) - len(extras))
            # Only the unit objectives that the job can serve, in the job's own words.
            title = P[eid]["title"]
            unit_objs = [o for o in by_owner[uid] if phrases_for(o, title)]
            derived, phrases = [], set()
            for _ in range(20):
                if len(derived) == wanted or not unit_objs:
                    break
                o = rng.choices(unit_objs, weights=[x["weight"] for x in unit_objs])[0]
                phrase = rng.choice(phrases_for(o, title))
                if phrase not in phrases:
                    phrases.add(phrase)
                    derived.append((phrase, rng.choice((1, 2, 2, 3)), [{"objective": o["id"]}],
                                    o.get("requires_competencies")))
            mine = fixed + derived + extras
            # Too few for the job? Objectives that every unit shares, from strategy.json.
            common = list(plan["_common_objectives"])
            rng.shuffle(common)
            while len(mine) < 2 and common:
                name, to, requires = common.pop()
                mine.append((name, 1, to, requires))
        mine = mine[:3 if eid in orphan_people else 4]
        if eid in orphan_people:
            # Real data has these: a personal objective that serves nothing above it.
            rank = sorted(orphan_people).index(eid)
            mine.append((ORPHAN_OBJECTIVES[rank], 1, None, None))
        for n, (name, weight, to, requires) in enumerate(mine, 1):
            add(eid, n, name, weight, to, requires)
    return [ordered("objectives", o) for o in out]


# The share of employee objectives tracked by a measure; the rest are judged at the review.
TRACKED_SHARE = 0.8
OBJECTIVE_MONTHS = [f"2026-{m:02d}" for m in range(1, 13)]


def build_objective_measures(people: People, objectives: list) -> list[dict]:
    """A measure for most employee objectives: the share of the work planned to date that is
    delivered (100: on plan), as the employee and manager agree at each monthly check-in, so
    that December's value is the year's. How far a person gets follows the same latent
    performance as their review ratings, with noise of its own; early months stray further from
    where the year ends; a leaver's record stops in the month they left. Objectives without a
    measure are judged at the review only, as real ones often are."""
    P = people.by_id
    out = []
    for o in objectives:
        eid = o["owner"].get("employee")
        if eid is None:
            continue
        rng = rng_for("objective-measures", o["id"])
        if rng.random() >= TRACKED_SHARE:
            continue
        final = 88 + 12 * people.latent[eid] + rng.gauss(0.0, 12.0)
        early = rng.gauss(0.0, 10.0)  # how far the first months stray from the year's end
        last = o["end"][:7]
        actuals = []
        for i, period in enumerate(OBJECTIVE_MONTHS):
            noise, missing = rng.gauss(0.0, 3.0), rng.random() < 0.08
            if period > last:
                break
            value = final + early * (1 - (i + 1) / 12) + noise
            if not missing:
                actuals.append({"period": period, "value": int(round(clamp(value, 10.0, 130.0)))})
        out.append(ordered("measures", {
            "id": "M-" + o["id"][2:],
            "name": "On plan: " + o["name"],
            "description": "Share of the work planned to date that is delivered (100: on plan), "
                           "as agreed at the monthly check-in; December's value is the year's.",
            "subject": {"objective": o["id"]},
            "data_source": "Objective tracker, updated at check-ins",
            "unit": "% of plan to date",
            "owner": P[eid]["unit"],
            "polarity": "increasing",
            "method": "linear",
            "aggregation": "last",
            "baseline": 0,
            "target": 100,
            "actuals": actuals,
        }))
    return out


def phrases_for(objective: dict, title: str) -> list[str]:
    """The employee objectives that serve a unit or team objective, for a job title: the
    "_employee_objectives" of strategy.json are a list (for anyone) or a dict from a keyword of
    the title ("Plans Examiner", "311", ...) to phrases."""
    phrases = objective["_employee_objectives"]
    if isinstance(phrases, list):
        return phrases
    return [p for key, group in phrases.items() if key == "*" or key in title for p in group]


def rating(rng: random.Random, center: float, latent: float, spread: float) -> int:
    return int(clamp(round(center + 0.8 * latent + rng.gauss(0.0, spread)), 1, 5))


def build_reviews(plan: dict, people: People, cycle: str, objectives: list) -> tuple:
    rng = rng_for("reviews")
    P = people.by_id
    needs: dict[str, list[str]] = {}
    for o in objectives:
        owner = o["owner"].get("employee")
        for r in o.get("requires_competencies", []):
            if owner and r["competency"] not in needs.setdefault(owner, []):
                needs[owner].append(r["competency"])
    values = [v["id"] for v in plan["values"]]
    reviews, self_assessments = [], []
    for e in people.employees:
        eid = e["id"]
        if not e["manager"] or not people.active(eid):
            continue
        latent = people.latent[eid]
        competencies = needs.get(eid, [])[:2]
        if not competencies:
            if eid in people.reports:
                competencies = ["C-LEAD"]
            elif e["unit"] in TRADE_UNITS:
                competencies = ["C-TECH"]
            else:
                competencies = ["C-SVC"]
        ratings = [{"value": v, "rating": rating(rng, 3.4, latent, 0.6)} for v in values]
        ratings += [{"competency": c, "rating": rating(rng, 3.2, latent, 0.7)}
                    for c in competencies]
        review = {"id": f"R-2026-{eid}", "cycle": cycle, "employee": eid,
                  "reviewer": e["manager"]}
        if rng.random() < 0.86:
            overall = clamp(round((3.3 + 0.8 * latent + rng.gauss(0.0, 0.35)) * 2) / 2, 1, 5)
            review["completed"] = day(random_date(rng, dt.date(2027, 1, 4), dt.date(2027, 1, 19)))
            review["ratings"] = ratings
            review["overall"] = int(overall) if overall == int(overall) else overall
            review["comment"] = REVIEW_COMMENTS[int(round(overall - 0.01))]
        else:
            review["ratings"] = ratings[:len(values)]  # in progress: values rated so far
        reviews.append(ordered("reviews", review))

        roll = rng.random()
        if roll < 0.88:
            self_assessments.append(ordered("self_assessments", {
                "id": f"SA-2026-{eid}", "cycle": cycle, "employee": eid,
                "submitted": day(random_date(rng, dt.date(2026, 12, 1), dt.date(2027, 1, 15))),
                "rating": rating(rng, 3.7, 0.6 * latent, 0.5),
                "comment": rng.choice(SELF_COMMENTS)}))
        elif roll < 0.92:
            # Started but not submitted: a draft with no rating yet.
            self_assessments.append(ordered("self_assessments", {
                "id": f"SA-2026-{eid}", "cycle": cycle, "employee": eid}))
    return reviews, self_assessments


def build_feedback(people: People, cycle: str, team_of: dict, teams: dict) -> list[dict]:
    rng = rng_for("feedback")
    P = people.by_id
    out = []

    def respond(subject: str, rater: str, relation: str) -> None:
        out.append(ordered("feedback", {
            "id": f"FB-{len(out) + 1:04d}", "cycle": cycle, "subject": subject, "rater": rater,
            "relation": relation,
            "rating": rating(rng, 3.5, people.latent[subject], 0.7),
            "comment": rng.choice(FEEDBACK_COMMENTS[relation]),
            "submitted": day(random_date(rng, dt.date(2026, 11, 16), dt.date(2026, 12, 18)))}))

    for e in people.employees:
        eid = e["id"]
        if not e["manager"] or not people.active(eid):
            continue
        leads = eid in people.reports
        if not leads and rng.random() > 0.35:
            continue  # 360-degree feedback for every leader and a sample of staff
        if rng.random() < 0.92:
            respond(eid, e["manager"], "manager")
        peers = [p for p in people.reports.get(e["manager"], [])
                 if p != eid and people.active(p)]
        k = min(len(peers), rng.choice((1, 2, 2, 3, 3, 3, 4, 4, 5)))
        for p in rng.sample(peers, k):
            respond(eid, p, "peer")
        reports = [r for r in people.reports.get(eid, []) if people.active(r)]
        if reports:
            k = min(len(reports), rng.choice((2, 3, 3, 4, 5, 6)))
            for r in rng.sample(reports, k):
                respond(eid, r, "direct_report")
        if eid in team_of:
            others = [m for m in teams[team_of[eid]]["members"] if P[m]["unit"] != e["unit"]]
            for m in rng.sample(others, min(len(others), rng.choice((1, 2, 3)))):
                respond(eid, m, "other")
    return out


def build_check_ins(people: People) -> list[dict]:
    rng = rng_for("check-ins")
    out = []
    eligible = [e for e in people.employees if e["manager"]]
    overdue = set(rng.sample([e["id"] for e in eligible if people.active(e["id"])], 18))
    for e in eligible:
        eid = e["id"]
        start = max(dt.date(2026, 1, 5), dt.date.fromisoformat(e["start"]) + dt.timedelta(days=7))
        stop = AS_OF - dt.timedelta(days=1)
        if "end" in e:
            stop = dt.date.fromisoformat(e["end"])
        if eid in overdue:
            stop = AS_OF - dt.timedelta(days=rng.randint(35, 110))
        dates = []
        d = start + dt.timedelta(days=rng.randint(0, 14))
        while d <= stop:
            dates.append(d)
            d += dt.timedelta(days=rng.randint(18, 38))
        if eid not in overdue and "end" not in e and start <= stop:
            if not dates or dates[-1] < AS_OF - dt.timedelta(days=28):
                dates.append(AS_OF - dt.timedelta(days=rng.randint(2, 20)))
        for d in dates:
            out.append(ordered("check_ins", {
                "id": f"CI-{len(out) + 1:05d}", "employee": eid, "manager": e["manager"],
                "date": day(d), "notes": rng.choice(CHECK_IN_NOTES)}))
    return out


# ------------------------------------------------------------------------------------------
# Output


def dump(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def to_json(doc: dict) -> str:
    """The layout of spm's own pretty output: one entity a line."""
    lines = ["{", f'  "spm_format_version": {doc["spm_format_version"]},',
             f'  "organization": {dump(doc["organization"])}']
    for key in TOP_LEVEL:
        items = doc[key]
        lines[-1] += ","
        if not items:
            lines.append(f'  "{key}": []')
            continue
        lines.append(f'  "{key}": [')
        lines += [f"    {dump(item)}," for item in items]
        lines[-1] = lines[-1][:-1]
        lines.append("  ]")
    lines.append("}")
    return "\n".join(lines) + "\n"


def csv_number(x) -> str:
    return "" if x is None else json.dumps(x)


def to_csv(doc: dict) -> str:
    rows = ["measure,period,value,numerator,denominator"]
    for m in doc["measures"]:
        for a in m.get("actuals", []):
            rows.append(",".join((m["id"], a["period"], csv_number(a.get("value")),
                                  csv_number(a.get("numerator")),
                                  csv_number(a.get("denominator")))))
    return "\n".join(rows) + "\n"


def main(argv: list[str]) -> int:
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=os.path.dirname(here),
                        help="directory to write municipality.json and municipality-actuals.csv "
                             "into (default: examples/)")
    args = parser.parse_args(argv)
    with open(os.path.join(here, "strategy.json"), encoding="utf-8") as f:
        plan = json.load(f)
    doc = build(plan)
    os.makedirs(args.out, exist_ok=True)
    for name, text in (("municipality.json", to_json(doc)),
                       ("municipality-actuals.csv", to_csv(doc))):
        with open(os.path.join(args.out, name), "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
