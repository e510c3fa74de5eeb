#!/usr/bin/env python3
"""Compares `tally` with the independent model (model.py) on generated histories.

For each seed: a history from histories.py is imported with `--skip-invalid` into a new
ledger, whose counts and refused lines (line and field) must be the model's, and exported;
then scores, tiers, audit, points, members, complaints (and their SLA figures), actions, tier histories, explain and diff are
compared, under the built-in rules, trial-rules/ and odd-rules/, at the head and half way
(`--at`), with `--now` also at the edges of the SLA and overdue rules, and some 70 queries
with the export filtered; the history imported in two files must give the same log,
`stats` its counts, and `export --from` a suffix of it; its first 300 lines appended one by
one with `tally append --json` must print the model's seqs and give its reports; last,
`verify --projections` must pass and a rebuild change no score. Exits 1 on the first
difference, naming it.

    check.py --tally .build/release/tally [--seeds 1 2 3] [--events 3000]
"""
import argparse
import collections
import datetime
import json
import os
import random
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TRIAL_RULES = os.path.join(HERE, "trial-rules")
ODD_RULES = os.path.join(HERE, "odd-rules")
NOW = "2026-03-20T00:00:00Z"


sys.path.insert(0, HERE)
from model import Gate, Rules, matches, millis, sla  # noqa: E402


def run(*command, stdout=None):
    return subprocess.run(command, check=True, stdout=stdout or subprocess.PIPE, stderr=subprocess.PIPE, text=True).stdout


def compare_import(tally, history, ledger):
    """Imports `history`; the counts and the refused lines must be the model's."""
    gate, expected_refusals = Gate(), []
    counts = {"appended": 0, "duplicates": 0, "rejected": 0}
    with open(history, encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            outcome = gate.admit(json.loads(line))
            if outcome == "appended":
                counts["appended"] += 1
            elif outcome == "duplicate":
                counts["duplicates"] += 1
            else:
                counts["rejected"] += 1
                expected_refusals.append((number, outcome))
    result = subprocess.run([tally, "import", history, "--skip-invalid", "--db", ledger, "--json"],
                            check=True, capture_output=True, text=True)
    imported = json.loads(result.stdout)
    refusals = [(int(number), field) for number, field in re.findall(r"line (\d+): refused: ([\w.]+):", result.stderr)]
    actual = {key: imported[key] for key in counts}
    problem = first_difference(counts, actual) or first_difference(expected_refusals, refusals)
    return imported, problem and f"import --skip-invalid: {problem}"


def first_difference(model, actual, path=""):
    """Where `model` and `actual` first differ: a path into them and the two values there."""
    if isinstance(model, dict) and isinstance(actual, dict) and model.keys() == actual.keys():
        return next((found for key in model for found in [first_difference(model[key], actual[key], f"{path}.{key}")] if found), None)
    if isinstance(model, list) and isinstance(actual, list) and len(model) == len(actual):
        return next((found for index, pair in enumerate(zip(model, actual)) for found in [first_difference(*pair, f"{path}[{index}]")] if found), None)
    return None if model == actual else f"at {path or 'the top'}, the model has {json.dumps(model)[:400]} and tally {json.dumps(actual)[:400]}"


def model(export, now, flags):
    return json.loads(run(sys.executable, os.path.join(HERE, "model.py"), export, "--now", now, *flags))


def day_of(time):
    """The UTC date of an RFC 3339 time, as `YYYY-MM-DD`."""
    return datetime.datetime.fromtimestamp(millis(time) // 1000, datetime.timezone.utc).date().isoformat()


def stamp(ms):
    """Milliseconds since the epoch as tally prints a time: RFC 3339 UTC, to the millisecond."""
    return datetime.datetime.fromtimestamp(ms / 1000, datetime.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def quiz_results(events):
    """`quizzes`: each quiz a publication or an answer names, by id in byte order. An answer is
    a member's first to the quiz question or not; a first one before the publication, to a
    question not in the key, or after `closes` does not count."""
    quizzes, answered = {}, set()

    def row(quiz):
        return quizzes.setdefault(quiz, {"quiz": quiz, "published_seq": None, "published_at": None, "closes": None, "answers": 0,
                                         "counted": 0, "correct": 0, "members": set(), "before_publication": 0, "unknown_question": 0,
                                         "after_close": 0, "not_first_answer": 0, "key": None, "questions": {}})
    for event in events:
        data = event["data"]
        if event["type"] == "quiz_published":
            line = row(data["quiz"])
            closes = data.get("closes")
            line.update(published_seq=event["seq"], published_at=stamp(millis(event["time"])), key=data["answers"],
                        closes=stamp(millis(closes)) if isinstance(closes, str) else None)
        elif event["type"] == "quiz_answer":
            line, question = row(data["quiz"]), data["question"]
            line["answers"] += 1
            first = (event["actor"], data["quiz"], question) not in answered
            answered.add((event["actor"], data["quiz"], question))
            if not first:
                line["not_first_answer"] += 1
            elif line["key"] is None:
                line["before_publication"] += 1
            elif question not in line["key"]:
                line["unknown_question"] += 1
            elif line["closes"] is not None and millis(event["time"]) > millis(line["closes"]):
                line["after_close"] += 1
            else:
                right = data["answer"] == line["key"][question]
                line["counted"] += 1
                line["correct"] += right
                line["members"].add(event["actor"])
                tally = line["questions"].setdefault(question, {"counted": 0, "correct": 0, "wrong": {}})
                tally["counted"] += 1
                tally["correct"] += right
                if not right:
                    tally["wrong"][data["answer"]] = tally["wrong"].get(data["answer"], 0) + 1
    results = []
    for quiz in sorted(quizzes, key=str.encode):
        line, key = quizzes[quiz], quizzes[quiz].pop("key") or {}
        tallies = line.pop("questions")
        line["members"] = len(line["members"])
        line["questions"] = []
        for question in sorted(key, key=str.encode):
            tally = tallies.get(question, {"counted": 0, "correct": 0, "wrong": {}})
            top = min(tally["wrong"].items(), key=lambda item: (-item[1], item[0].encode()), default=(None, 0))
            line["questions"].append({"question": question, "key": key[question], "counted": tally["counted"], "correct": tally["correct"],
                                      "top_wrong_answer": top[0], "top_wrong_count": top[1]})
        results.append(line)
    return results


def activity_lines(events, by, since=None):
    """`activity --by BY [--since DAY]`: a line per period, quiet ones included."""
    def start(day):
        date = datetime.date.fromisoformat(day)
        if by == "week":
            date -= datetime.timedelta(days=date.weekday())
        elif by == "month":
            date = date.replace(day=1)
        return date

    def label(date):
        if by == "week":
            year, week, _ = date.isocalendar()
            return f"{year}-W{week:02d}"
        return date.isoformat()[:7] if by == "month" else date.isoformat()
    types = ["member_joined", "post", "reply", "vote", "quiz_published", "quiz_answer", "points_award", "points_redeemed",
             "complaint", "complaint_response", "resolution", "action_opened", "action_updated"]
    lines, active, seen = {}, set(), set()
    for event in events:
        new = event["actor"] not in seen
        seen.add(event["actor"])
        if since is not None and day_of(event["time"]) < since:
            continue
        first = start(day_of(event["time"]))
        line = lines.setdefault(first, dict({"period": label(first), "start": first.isoformat(), "events": 0, "active_members": 0,
                                             "new_members": 0}, **{kind: 0 for kind in types}))
        line["events"] += 1
        line[event["type"]] += 1
        line["active_members"] += (first, event["actor"]) not in active
        active.add((first, event["actor"]))
        line["new_members"] += new
    if not lines:
        return []
    result, period = [], min(lines)
    while period <= max(lines):
        result.append(lines.get(period) or dict({"period": label(period), "start": period.isoformat(), "events": 0, "active_members": 0,
                                                  "new_members": 0}, **{kind: 0 for kind in types}))
        period = (period + datetime.timedelta(days=7 if by == "week" else 1)) if by != "month" else \
            (period.replace(year=period.year + 1, month=1) if period.month == 12 else period.replace(month=period.month + 1))
    return result


def content_lines(events):
    """`content`: a line per post, in seq order."""
    contents, lines, repliers, votes = {}, [], set(), {}  # contents: id → (author, line index or None, is a post)
    for event in events:
        data, actor = event["data"], event["actor"]
        if event["type"] == "post" and data["post"] not in contents:
            contents[data["post"]] = (actor, len(lines), True)
            lines.append({"post": data["post"], "seq": event["seq"], "author": actor, "posted_at": stamp(millis(event["time"])),
                          "channel": data.get("channel"), "kind": data.get("kind"), "title": data.get("title"),
                          "replies": 0, "repliers": 0, "upvotes": 0, "downvotes": 0})
        elif event["type"] == "reply":
            parent = contents.get(data["post"])
            line = parent[1] if parent else None
            if line is not None:
                lines[line]["replies"] += 1
                if (line, actor) not in repliers:
                    repliers.add((line, actor))
                    lines[line]["repliers"] += 1
            contents.setdefault(data["reply"], (actor, line, False))
        elif event["type"] == "vote" and data["target"] in contents and contents[data["target"]][0] != actor:
            votes[(actor, data["target"])] = data["value"]
    for (_, target), value in votes.items():
        author, line, is_post = contents[target]
        if is_post and value:
            lines[line]["upvotes" if value > 0 else "downvotes"] += 1
    for line in lines:
        line["interactions"] = line["replies"] + line["upvotes"] + line["downvotes"]
    return lines


def retention_cohorts(events, by, since=None):
    """`retention --by BY [--since DAY]`: a cohort per period, those without newcomers included."""
    def ordinal(day):
        date = datetime.date.fromisoformat(day)
        if by == "month":
            return date.year * 12 + date.month - 1
        return (date.toordinal() - date.weekday()) // 7 if by == "week" else date.toordinal()  # a week: its Monday's ordinal / 7

    def start(number):
        if by == "month":
            return datetime.date(number // 12, number % 12 + 1, 1)
        return datetime.date.fromordinal(number * 7 + 1) if by == "week" else datetime.date.fromordinal(number)

    def label(number):
        date = start(number)
        if by == "week":
            year, week, _ = date.isocalendar()
            return f"{year}-W{week:02d}"
        return date.isoformat()[:7] if by == "month" else date.isoformat()
    if not events:
        return []
    first_day, active = {}, {}
    for event in events:
        first_day.setdefault(event["actor"], day_of(event["time"]))
    last = max(ordinal(day_of(event["time"])) for event in events)
    for event in events:
        cohort = ordinal(first_day[event["actor"]])
        if since is not None and first_day[event["actor"]] < since:
            continue
        offset = ordinal(day_of(event["time"])) - cohort
        if offset >= 0:
            active.setdefault(cohort, [set() for _ in range(last - cohort + 1)])[offset].add(event["actor"])
    if not active:
        return []
    return [{"cohort": label(number), "start": start(number).isoformat(), "members": len(active[number][0]) if number in active else 0,
             "active": [len(members) for members in active[number]] if number in active else [0] * (last - number + 1)}
            for number in range(min(active), max(active) + 1)]


def boundary_times(export):
    """Times `--now` may take at the edges of the SLA and overdue rules: exactly a complaint's
    first-response limit after it and 1 ms later, the midnight after an action's due date
    and 1 ms before."""
    with open(export, encoding="utf-8") as lines:
        events = [json.loads(line) for line in lines]
    complaints = [event for event in events if event["type"] == "complaint" and event["data"]["severity"] == "high"]
    actions = [event for event in events if event["type"] == "action_opened"]
    times = []
    if complaints:
        limit = millis(complaints[0]["time"]) + 4 * 3_600_000  # high: 4 hours under the built-in rules
        times += [stamp(limit), stamp(limit + 1)]
    if actions:
        midnight = millis(actions[-1]["data"]["due"] + "T00:00:00Z") + 86_400_000
        times += [stamp(midnight - 1), stamp(midnight)]
    return times


def compare(tally, ledger, export, rules, at):
    flags = (["--rules", rules] if rules else []) + (["--at", str(at)] if at is not None else [])
    expected = model(export, NOW, flags)

    def report(*arguments):
        return json.loads(run(tally, *arguments, "--db", ledger, "--json", *flags))

    checks = [("scores", expected["scores"], report("scores")),
              ("tiers", expected["tiers"], report("tiers")),
              ("audit", expected["audit"], report("audit")),
              ("complaints", expected["complaints"], report("complaints", "--now", NOW)),
              ("actions", expected["actions"], report("actions", "--now", NOW))]
    actioned = {complaint for action in expected["actions"] if action["status"] != "cancelled" for complaint in action["complaints"]}
    checks.append(("complaints --without-action", [row for row in expected["complaints"] if row["complaint"] not in actioned],
                   report("complaints", "--now", NOW, "--without-action")))
    checks.append(("complaints --sla", expected["sla"], report("complaints", "--now", NOW, "--sla")))
    owners = {}
    for action in expected["actions"]:
        line = owners.setdefault(action["owner"], dict({"owner": action["owner"], "actions": 0, "open": 0, "overdue": 0},
                                                       **{status: 0 for status in ("planned", "in_progress", "blocked", "done", "verified", "cancelled")}))
        line["actions"] += 1
        line["open"] += action["status"] in ("planned", "in_progress", "blocked")
        line["overdue"] += action["overdue"]
        line[action["status"]] += 1
    checks.append(("actions --by-owner", [owners[owner] for owner in sorted(owners, key=str.encode)], report("actions", "--now", NOW, "--by-owner")))
    filed = sorted({day_of(row["opened_at"]) for row in expected["complaints"]})
    if filed:
        since, until = filed[len(filed) // 3], filed[2 * len(filed) // 3]
        kept = [row for row in expected["complaints"] if since <= day_of(row["opened_at"]) <= until]
        checks += [(f"complaints --since {since} --until {until}", kept, report("complaints", "--now", NOW, "--since", since, "--until", until)),
                   (f"complaints --sla --since {since} --until {until}", sla(kept, Rules(rules)),
                    report("complaints", "--now", NOW, "--sla", "--since", since, "--until", until))]
    for now in boundary_times(export):
        at_now = model(export, now, flags)
        checks += [(f"complaints --now {now}", at_now["complaints"], report("complaints", "--now", now)),
                   (f"actions --now {now}", at_now["actions"], report("actions", "--now", now))]
    checks.append(("scores --top 3", expected["scores"][:3], report("scores", "--top", "3")))
    # `scores --since/--until`: the day totals of the days in the window, tier and points as they stand.
    days = sorted(expected["day_totals"])
    if days:
        for since, until in [(days[len(days) // 2], None), (None, days[len(days) // 2]), (days[len(days) // 3], days[2 * len(days) // 3])]:
            period = [dict(row, score=sum(totals.get(row["member"], 0) for day, totals in expected["day_totals"].items()
                                          if (since is None or day >= since) and (until is None or day <= until)))
                      for row in expected["scores"]]
            period.sort(key=lambda row: (-row["score"], row["member"].encode()))
            window = (["--since", since] if since else []) + (["--until", until] if until else [])
            checks.append((f"scores {' '.join(window)}", period, report("scores", *window)))
            changes = sorted(({"seq": change["seq"], "time": change["time"], "member": member, "from": change["from"], "to": change["to"]}
                              for member, history in expected["history"].items() for change in history
                              if (since is None or day_of(change["time"]) >= since) and (until is None or day_of(change["time"]) <= until)),
                             key=lambda change: (change["seq"], change["member"].encode()))
            checks.append((f"tiers {' '.join(window)}", {"rules": expected["tiers"]["rules"], "changes": changes}, report("tiers", *window)))
    for member, history in expected["history"].items():
        tier = next(row["tier"] for row in expected["scores"] if row["member"] == member)
        checks.append((f"tiers --member {member}", {"member": member, "tier": tier, "history": history}, report("tiers", "--member", member)))
        checks.append((f"explain {member}", expected["explain"][member], report("explain", member)))
        checks.append((f"scores --member {member}", [row for row in expected["scores"] if row["member"] == member],
                       report("scores", "--member", member)))
        awards = expected["explain"][member]["awards"]
        checks.append((f"audit --member {member}",
                       {"awards": len(awards), "flagged": sum(1 for award in awards if award["findings"]),
                        "findings": [row for row in expected["audit"]["findings"] if row["member"] == member]},
                       report("audit", "--member", member)))
    # `audit --actor`: the awards each actor made (up to --at), and their findings.
    with open(export, encoding="utf-8") as file:
        awards = [event for event in map(json.loads, file) if event["type"] == "points_award" and (at is None or event["seq"] <= at)]
    for actor in sorted({event["actor"] for event in awards})[:5]:
        made = {event["seq"] for event in awards if event["actor"] == actor}
        findings = [row for row in expected["audit"]["findings"] if row["seq"] in made]
        checks.append((f"audit --actor {actor}", {"awards": len(made), "flagged": len({row["seq"] for row in findings}), "findings": findings},
                       report("audit", "--actor", actor)))
    # `audit --since/--until`: the awards whose time falls on those UTC days.
    award_days = sorted({day_of(event["time"]) for event in awards})
    if award_days:
        for since, until in [(award_days[len(award_days) // 2], None), (award_days[len(award_days) // 4], award_days[len(award_days) // 2])]:
            made = {event["seq"] for event in awards if since <= day_of(event["time"]) and (until is None or day_of(event["time"]) <= until)}
            findings = [row for row in expected["audit"]["findings"] if row["seq"] in made]
            window = ["--since", since] + (["--until", until] if until else [])
            checks.append((f"audit {' '.join(window)}", {"awards": len(made), "flagged": len({row["seq"] for row in findings}), "findings": findings},
                           report("audit", *window)))
    # `points`: the awards per reason (flagged: those with a finding), the redemptions per reward,
    # and the positive balances; with a window, only the awards and redemptions of those days.
    with open(export, encoding="utf-8") as file:
        redemptions = [event for event in map(json.loads, file) if event["type"] == "points_redeemed" and (at is None or event["seq"] <= at)]
    flagged = {row["seq"] for row in expected["audit"]["findings"]}
    held = [row["points"] for row in expected["scores"] if row["points"] > 0]
    # `complaints --category`: the category of the `complaint` event that filed each complaint.
    with open(export, encoding="utf-8") as file:
        filed = {event["data"]["complaint"]: event["data"].get("category") for event in map(json.loads, file)
                 if event["type"] == "complaint" and (at is None or event["seq"] <= at)}
    billing = [row for row in expected["complaints"] if filed.get(row["complaint"]) == "billing"]
    checks += [("complaints --category billing", billing, report("complaints", "--now", NOW, "--category", "billing")),
               ("complaints --sla --category billing", sla(billing, Rules(rules)), report("complaints", "--now", NOW, "--sla", "--category", "billing"))]
    payer = awards[len(awards) // 2]["actor"] if awards else "nobody"
    for window in [[], ["--since", award_days[len(award_days) // 2]] if award_days else [], ["--actor", payer]]:
        def kept(events):
            if window and window[0] == "--actor":
                return [event for event in events if event["actor"] == payer]
            return [event for event in events if not window or day_of(event["time"]) >= window[1]]
        reasons, rewards = {}, {}
        for event in kept(awards):
            line = reasons.setdefault(event["data"]["reason"], {"reason": event["data"]["reason"], "awards": 0, "points": 0, "flagged": 0, "flagged_points": 0})
            line["awards"] += 1
            line["points"] += event["data"]["points"]
            if event["seq"] in flagged:
                line["flagged"] += 1
                line["flagged_points"] += event["data"]["points"]
        for event in kept(redemptions):
            line = rewards.setdefault(event["data"]["reward"], {"reward": event["data"]["reward"], "redemptions": 0, "points": 0})
            line["redemptions"] += 1
            line["points"] += event["data"]["points"]
        by_bytes = lambda lines: [lines[name] for name in sorted(lines, key=str.encode)]
        points = {"rules": expected["tiers"]["rules"], "awards": sum(line["awards"] for line in reasons.values()),
                  "points_awarded": sum(line["points"] for line in reasons.values()), "flagged": sum(line["flagged"] for line in reasons.values()),
                  "flagged_points": sum(line["flagged_points"] for line in reasons.values()),
                  "redemptions": sum(line["redemptions"] for line in rewards.values()), "points_redeemed": sum(line["points"] for line in rewards.values()),
                  "outstanding": sum(held), "holders": len(held), "reasons": by_bytes(reasons), "rewards": by_bytes(rewards)}
        checks.append((f"points {' '.join(window)}", points, report("points", *window)))
    # `members`: each actor's first and last event (by seq) and count, the members awarded
    # points, and each `member_joined`'s role (the latest) and channel (distinct, in order).
    with open(export, encoding="utf-8") as file:
        logged = [event for event in map(json.loads, file) if at is None or event["seq"] <= at]
    activity = {}
    def member(name):
        return activity.setdefault(name, {"member": name, "first_seen": None, "last_seen": None, "events": 0, "role": None, "channels": []})
    for event in logged:
        row = member(event["actor"])
        row["first_seen"] = row["first_seen"] or stamp(millis(event["time"]))
        row["last_seen"] = stamp(millis(event["time"]))
        row["events"] += 1
        if event["type"] == "points_award":
            member(event["data"]["member"])
        if event["type"] == "member_joined":
            row["role"] = event["data"].get("role", row["role"])
            if event["data"].get("channel") is not None and event["data"]["channel"] not in row["channels"]:
                row["channels"].append(event["data"]["channel"])
    rows = [activity[name] for name in sorted(activity, key=str.encode)]

    def members_like(command, *arguments):  # members and quizzes take --at but no rules: they depend on none
        return json.loads(run(tally, command, *arguments, "--db", ledger, "--json", *(["--at", str(at)] if at is not None else [])))

    def members(*arguments):
        return members_like("members", *arguments)
    checks.append(("members", rows, members()))
    # `--as-of TIME`: the seq before the first event whose time is later (a day: its end).
    if at is None and logged:
        for moment in [logged[len(logged) // 2]["time"], stamp(millis(logged[len(logged) // 3]["time"]) - 1), day_of(logged[len(logged) // 4]["time"])]:
            limit = millis(moment) if "T" in moment else millis(moment + "T00:00:00Z") + 86_400_000 - 1
            seq = next((event["seq"] - 1 for event in logged if millis(event["time"]) > limit), logged[-1]["seq"])
            checks.append((f"scores --as-of {moment}", report("scores", "--at", str(seq)), report("scores", "--as-of", moment)))
    checks.append(("scores --role member", [row for row in expected["scores"] if activity[row["member"]]["role"] == "member"],
                   report("scores", "--role", "member")))
    if logged:
        quiet = day_of(logged[len(logged) // 2]["time"])
        checks.append((f"members --inactive-since {quiet}", [row for row in rows if row["last_seen"] is None or day_of(row["last_seen"]) < quiet],
                       members("--inactive-since", quiet)))
    # `quizzes`: every quiz published or answered, each answer judged as the rule says.
    results = quiz_results(logged)
    checks.append(("quizzes", results, members_like("quizzes")))
    for quiz in [row["quiz"] for row in results][:3] + ["no-such-quiz"]:
        checks.append((f"quizzes --quiz {quiz}", [row for row in results if row["quiz"] == quiz], members_like("quizzes", "--quiz", quiz)))
    # `activity`: per ISO week (or day), the events, their distinct actors, the actors' first
    # events (by seq), and the events of each type; every period between the first and last.
    for by, window in [("week", []), ("day", []), ("month", ["--since", day_of(logged[len(logged) // 2]["time"])] if logged else [])]:
        checks.append((f"activity --by {by} {' '.join(window)}", activity_lines(logged, by, window[1] if window else None),
                       members_like("activity", "--by", by, *window)))
    # `retention`: each cohort of members first seen (by seq) in a period, and how many of
    # them made an event in each period since, up to the log's last period.
    for by, window in [("week", []), ("month", []), ("day", ["--since", day_of(logged[len(logged) // 2]["time"])] if logged else [])]:
        checks.append((f"retention --by {by} {' '.join(window)}", retention_cohorts(logged, by, window[1] if window else None),
                       members_like("retention", "--by", by, *window)))
    # `content`: each post's thread (replies made when what they answer was known) and the
    # latest counting vote of each voter on it; ranked by replies and votes, then post id.
    posts = content_lines(logged)
    ranked = sorted(posts, key=lambda line: (-line["interactions"], line["post"].encode()))
    checks.append(("content", ranked, members_like("content")))
    for by in ("channel", "kind", "author"):
        groups = {}
        for line in posts:
            group = groups.setdefault(line[by], {"group": line[by], "posts": 0, "replies": 0, "upvotes": 0, "downvotes": 0, "interactions": 0})
            for field in ("replies", "upvotes", "downvotes", "interactions"):
                group[field] += line[field]
            group["posts"] += 1
        order = sorted(groups, key=lambda name: (name is not None, (name or "").encode()))
        checks.append((f"content --by {by}", [groups[name] for name in order], members_like("content", "--by", by)))
    return next((f"{' '.join([name, *flags])}: {difference}" for name, wanted, actual in checks
                 for difference in [first_difference(wanted, actual)] if difference), None)


def compare_split_import(tally, history, export, directory):
    """The history imported in two files into another ledger: the second file reads what the
    first stored (idempotency across files, the look-ups of stored keys). Its counts must add
    up to the model's, its log must be the same events, and `export --from` a suffix of it."""
    with open(history, encoding="utf-8") as file:
        lines = file.readlines()
    ledger, counts = os.path.join(directory, "split"), collections.Counter()
    for part, chunk in enumerate([lines[:len(lines) // 3], lines[len(lines) // 3:]]):
        path = os.path.join(directory, f"part{part}.ndjson")
        with open(path, "w", encoding="utf-8") as file:
            file.writelines(chunk)
        counts.update(json.loads(run(tally, "import", path, "--skip-invalid", "--db", ledger, "--json")))
    content = lambda event: {key: event[key] for key in ("seq", "id", "type", "actor", "time", "data")}
    with open(export, encoding="utf-8") as file:
        expected = [content(json.loads(line)) for line in file]
    actual = [content(json.loads(line)) for line in run(tally, "export", "--db", ledger).splitlines()]
    problem = first_difference(expected, actual)
    if problem:
        return f"import in two files: {problem}"
    stats = json.loads(run(tally, "stats", "--db", ledger, "--json"))
    by_type = collections.Counter(event["type"] for event in expected)
    problem = first_difference({"events": len(expected), "last_seq": len(expected), "by_type": {kind: by_type[kind] for kind in stats["by_type"]},
                                "actors": len({event["actor"] for event in expected})},
                               {key: stats[key] for key in ("events", "last_seq", "by_type", "actors")})
    if problem or sum(stats["by_type"].values()) != len(expected):
        return f"stats: {problem or stats['by_type']}"
    middle = len(expected) // 2 + 1
    suffix = [content(json.loads(line)) for line in run(tally, "export", "--from", str(middle), "--db", ledger).splitlines()]
    problem = first_difference(expected[middle - 1:], suffix)
    if problem:
        return f"export --from {middle}: {problem}"
    return counts["appended"] != len(expected) and f"import in two files appended {counts['appended']}, not {len(expected)}"


def compare_adopted(tally, history, export, directory, rules):
    """The history imported into another ledger that adopts `rules` after its first third
    (`rebuild --rules`): the imports after it keep the stored projections under them, so
    `verify --projections` passes and every report under them, now read from stored state,
    is the model's."""
    with open(history, encoding="utf-8") as file:
        lines = file.readlines()
    ledger, third = os.path.join(directory, "adopted-" + os.path.basename(rules)), len(lines) // 3
    for part, chunk in enumerate([lines[:third], lines[third:2 * third], lines[2 * third:]]):
        path = os.path.join(directory, f"adopted{part}.ndjson")
        with open(path, "w", encoding="utf-8") as file:
            file.writelines(chunk)
        run(tally, "import", path, "--skip-invalid", "--db", ledger, "--json")
        if part == 0:
            run(tally, "rebuild", "--rules", rules, "--db", ledger, "--json")
    verified = json.loads(run(tally, "verify", "--projections", "--db", ledger, "--json"))
    stats = json.loads(run(tally, "stats", "--db", ledger, "--json"))
    if not verified["ok"] or verified.get("projections") != "ok" or stats["projections"] != "current" or stats["projection_rules_built_in"]:
        return f"adopted {os.path.basename(rules)}: verify {verified}, stats {stats['projections']}"
    problem = compare(tally, ledger, export, rules, None)
    return problem and f"adopted: {problem}"


def compare_appends(tally, history, directory, count=300):
    """The first `count` lines appended one by one with `tally append --json`, each in a
    process of its own: the outcomes (seq, duplicate, refusal) must be the model's, and the
    stored reports those the model computes from the export."""
    ledger, gate, seq = os.path.join(directory, "appended"), Gate(), 0
    with open(history, encoding="utf-8") as file:
        lines = file.readlines()[:count]
    for number, line in enumerate(lines, start=1):
        outcome = gate.admit(json.loads(line))
        result = subprocess.run([tally, "append", "--json", line, "--db", ledger], capture_output=True, text=True)
        if outcome == "appended":
            seq += 1
        expected_exit = 0 if outcome in ("appended", "duplicate") else 1
        if result.returncode != expected_exit or (outcome == "appended" and result.stdout.strip() != str(seq)):
            return f"append of line {number} ({outcome}): exit {result.returncode}, printed {result.stdout.strip()!r} {result.stderr.strip()!r}"
    export = os.path.join(directory, "appended.ndjson")
    with open(export, "w") as file:
        run(tally, "export", "--db", ledger, stdout=file)
    expected = model(export, NOW, [])
    for report, arguments in [("scores", []), ("audit", []), ("complaints", ["--now", NOW]), ("actions", ["--now", NOW])]:
        difference = first_difference(expected[report], json.loads(run(tally, report, *arguments, "--db", ledger, "--json")))
        if difference:
            return f"{report} after {count} appends: {difference}"
    return None


def compare_queries(tally, ledger, export, seed):
    """`tally query` under single and combined conditions against the export, filtered."""
    with open(export, encoding="utf-8") as lines:
        events = [json.loads(line) for line in lines]
    pick = random.Random(seed)
    values = lambda field: sorted({event[field] for event in events})
    refs = sorted({event["data"][field] for event in events for field in ("post", "reply", "target", "quiz", "complaint", "action")
                   if isinstance(event["data"].get(field), str)}) + ["e5", "nothing"]
    times = [event["time"] for event in events]
    queries = [{"type": kind} for kind in values("type")] + [{"actor": actor} for actor in values("actor")]
    queries += [{"member": member} for member in values("actor")] + [{"ref": ref} for ref in pick.sample(refs, 12)]
    for _ in range(12):
        since, until = sorted(pick.sample(times, 2), key=millis)
        query = {"since": since, "until": until, "first_seq": pick.randrange(1, len(events) + 1)}
        query.update(pick.choice([{}, {"type": pick.choice(values("type"))}, {"actor": pick.choice(values("actor"))}]))
        queries.append({key: value for key, value in query.items() if pick.random() < 0.7} or query)
    flags = {"type": "--type", "actor": "--actor", "member": "--member", "ref": "--ref", "since": "--since", "until": "--until",
             "first_seq": "--from"}
    for query in queries:
        limit = pick.choice([None, None, 1, 7])
        arguments = [argument for key, value in query.items() for argument in (flags[key], str(value))]
        arguments += ["--limit", str(limit)] if limit else []
        expected = [event for event in events if matches(event, **query)][:limit]
        actual = [json.loads(line) for line in run(tally, "query", *arguments, "--db", ledger).splitlines()]
        difference = first_difference(expected, actual)
        if difference:
            return f"query {' '.join(arguments)}: {difference}"
    return None


def compare_diff(tally, ledger, export, rules, base=None, at=None):
    """`diff --rules RULES [--base BASE] [--at SEQ]` against the two models' scores."""
    def scores(rules):
        flags = (["--rules", rules] if rules else []) + (["--at", str(at)] if at is not None else [])
        return {row["member"]: row for row in model(export, NOW, flags)["scores"]}

    before, after = scores(base), scores(rules)
    expected = [{"member": member, "score_before": before[member]["score"], "score_after": after[member]["score"],
                 "tier_before": before[member]["tier"], "tier_after": after[member]["tier"]}
                for member in sorted(before, key=str.encode)
                if (before[member]["score"], before[member]["tier"]) != (after[member]["score"], after[member]["tier"])]
    arguments = ["--rules", rules] + (["--base", base] if base else []) + (["--at", str(at)] if at is not None else [])
    actual = json.loads(run(tally, "diff", *arguments, "--db", ledger, "--json"))
    difference = first_difference(expected, actual)
    return difference and f"diff {' '.join(arguments)}: {difference}"


def compare_rule_change(tally, ledger, export, rules, base=None, at=None):
    """`diff --complaints` and `diff --audit`: the complaints whose SLA verdicts, and the
    awards whose findings, differ between the two models."""
    flags = lambda rules: (["--rules", rules] if rules else []) + (["--at", str(at)] if at is not None else [])
    before, after = model(export, NOW, flags(base)), model(export, NOW, flags(rules))
    verdicts = ("response_breached", "resolution_breached")
    complaints = [{"complaint": old["complaint"], "severity": old["severity"],
                   **{f"{verdict}_{when}": row[verdict] for verdict in verdicts for when, row in (("before", old), ("after", new))}}
                  for old, new in zip(before["complaints"], after["complaints"])
                  if any(old[verdict] != new[verdict] for verdict in verdicts)]

    def findings(report):
        awards = {}
        for row in report["audit"]["findings"]:
            awards.setdefault(row["seq"], ({key: row[key] for key in ("seq", "member", "points", "reason")}, []))[1].append(row["finding"])
        return awards
    old, new = findings(before), findings(after)
    audit = [{**(old.get(seq) or new[seq])[0], "findings_before": old.get(seq, (None, []))[1], "findings_after": new.get(seq, (None, []))[1]}
             for seq in sorted(set(old) | set(new)) if old.get(seq, (None, []))[1] != new.get(seq, (None, []))[1]]
    arguments = ["--rules", rules] + (["--base", base] if base else []) + (["--at", str(at)] if at is not None else [])
    for report, expected, extra in [("complaints", complaints, ["--now", NOW]), ("audit", audit, [])]:
        difference = first_difference(expected, json.loads(run(tally, "diff", f"--{report}", *extra, *arguments, "--db", ledger, "--json")))
        if difference:
            return f"diff --{report} {' '.join(arguments)}: {difference}"
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tally", required=True)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--events", type=int, default=3000)
    arguments = parser.parse_args()
    tally = os.path.abspath(arguments.tally)
    for seed in arguments.seeds:
        with tempfile.TemporaryDirectory() as directory:
            history, export, ledger = (os.path.join(directory, name) for name in ("history.ndjson", "export.ndjson", "ledger"))
            with open(history, "w") as file:
                run(sys.executable, os.path.join(HERE, "histories.py"), "--seed", str(seed), "--events", str(arguments.events), stdout=file)
            imported, problem = compare_import(tally, history, ledger)
            with open(export, "w") as file:
                run(tally, "export", "--db", ledger, stdout=file)
            half = imported["last_seq"] // 2
            for rules in [None, TRIAL_RULES, ODD_RULES]:
                for at in [None, half]:
                    problem = problem or compare(tally, ledger, export, rules, at)
            problem = problem or compare(tally, ledger, export, None, 0)  # before the first event
            problem = problem or compare_split_import(tally, history, export, directory) or compare_appends(tally, history, directory)
            problem = problem or compare_adopted(tally, history, export, directory, ODD_RULES)
            problem = (problem or compare_diff(tally, ledger, export, TRIAL_RULES) or compare_diff(tally, ledger, export, ODD_RULES, at=half)
                       or compare_diff(tally, ledger, export, ODD_RULES, base=TRIAL_RULES) or compare_queries(tally, ledger, export, seed))
            problem = (problem or compare_rule_change(tally, ledger, export, ODD_RULES) or compare_rule_change(tally, ledger, export, TRIAL_RULES, at=half)
                       or compare_rule_change(tally, ledger, export, ODD_RULES, base=TRIAL_RULES))
            # The stored projections pass `verify --projections`, and a rebuild leaves them as they were.
            stored = run(tally, "scores", "--db", ledger, "--json")
            verified = json.loads(run(tally, "verify", "--projections", "--db", ledger, "--json"))
            run(tally, "rebuild", "--db", ledger, "--json")
            if not problem and (not verified["ok"] or verified.get("projections") != "ok"):
                problem = f"verify --projections: {verified}"
            if not problem and run(tally, "scores", "--db", ledger, "--json") != stored:
                problem = "scores changed in a rebuild"
            if problem:
                print(f"seed {seed}: {problem}")
                sys.exit(1)
            print(f"seed {seed}: {imported['appended']} appended, {imported['duplicates']} duplicates, {imported['rejected']} refused,"
                  " and every report, as the model says")


if __name__ == "__main__":
    main()
