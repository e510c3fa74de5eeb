#!/usr/bin/env python3
"""An independent model of CONTRACT.md sections 2, 3 and 5, written from the contract's words alone.

`Gate` decides, line by line, what an import appends, counts as a duplicate or refuses;
`matches` what `tally query` lists.
`Model` reads a `tally export` (the accepted events, in seq order) and the rules, and writes
the reports that `tally … --json` prints: scores, tiers, audit, complaints, actions, every
member's tier history and `explain`. `check.py` compares them with tally on generated
histories.

    model.py EXPORT.ndjson --now TIME [--rules DIR] [--at SEQ] > reports.json
"""
import argparse
import collections
import datetime
import decimal
import json
import math
import os
import sys
import tomllib

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
HOUR_MS = 3_600_000
DAY_MS = 86_400_000
BUILT_IN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "projections")


def iso_day(day):
    return (EPOCH + datetime.timedelta(days=day)).date().isoformat()


def millis(time):
    """RFC 3339 → milliseconds since the epoch."""
    moment = datetime.datetime.fromisoformat(time.replace("Z", "+00:00"))
    return (moment - EPOCH) // datetime.timedelta(milliseconds=1)


class Rules:
    """The three rule files; a file missing from `directory` is the built-in one."""

    def __init__(self, directory=None):
        def load(name):
            path = os.path.join(directory, name) if directory else None
            if not path or not os.path.exists(path):
                path = os.path.join(BUILT_IN, name)
            with open(path, "rb") as file:
                return tomllib.load(file)

        engagement, incentives, service = load("engagement.toml"), load("incentives.toml"), load("service.toml")
        self.name = engagement["name"]
        weights = ("post", "reply", "vote_cast", "upvote_received", "downvote_received", "quiz_correct")
        self.weights = {name: engagement["weights"].get(name, 0) for name in weights}  # left out: 0
        self.cap = engagement["limits"]["daily_cap"]
        self.tiers = sorted(engagement["tiers"].items(), key=lambda tier: tier[1])  # lowest first
        self.reasons = incentives["reasons"]
        self.first_response_hours = service["first_response_hours"]
        self.resolution_hours = service["resolution_hours"]

    def tier(self, score):
        """The highest tier whose threshold is at most `score`, else the lowest."""
        reached = [name for name, threshold in self.tiers if threshold <= score]
        return reached[-1] if reached else self.tiers[0][0]


class Gate:
    """What is refused at append (section 2) and idempotency (section 3), for events whose
    fields are valid."""

    CLOSED_ACTION = ("verified", "cancelled")

    def __init__(self):
        self.contents = {}            # event id → (type, actor, time in ms, data)
        self.entities = set()         # (kind, id); posts and replies share "content"
        self.complaint_closed = {}
        self.action_status = {}
        self.balance = collections.Counter()

    def admit(self, event):
        """"appended", "duplicate", or the name of the refused field."""
        kind, actor, data = event["type"], event["actor"], event["data"]
        content = (kind, actor, millis(event["time"]), data)
        if event["id"] in self.contents:
            return "duplicate" if self.contents[event["id"]] == content else "id"
        creates = {"post": ("content", "post"), "reply": ("content", "reply"), "quiz_published": ("quiz", "quiz"),
                   "complaint": ("complaint", "complaint"), "action_opened": ("action", "action")}
        if kind in creates:
            space, field = creates[kind]
            if (space, data[field]) in self.entities:
                return f"data.{field}"
            self.entities.add((space, data[field]))
        elif kind in ("complaint_response", "resolution"):
            if self.complaint_closed.get(data["complaint"], True):
                return "data.complaint"
        elif kind == "action_updated":
            if self.action_status.get(data["action"], "verified") in self.CLOSED_ACTION:
                return "data.action"
        elif kind == "points_redeemed" and self.balance[actor] < data["points"]:
            return "data.points"
        # Appended: its effects on the state the rules read.
        if kind == "complaint":
            self.complaint_closed[data["complaint"]] = False
        elif kind == "resolution":
            self.complaint_closed[data["complaint"]] = True
        elif kind == "action_opened":
            self.action_status[data["action"]] = "planned"
        elif kind == "action_updated":
            self.action_status[data["action"]] = data["status"]
        elif kind == "points_award":
            self.balance[data["member"]] += data["points"]
        elif kind == "points_redeemed":
            self.balance[actor] -= data["points"]
        self.contents[event["id"]] = content
        return "appended"


REFERENCE_FIELDS = {"post": ["post"], "reply": ["reply", "post"], "vote": ["target"], "quiz_published": ["quiz"],
                    "quiz_answer": ["quiz"], "points_award": ["ref"], "complaint": ["complaint"],
                    "complaint_response": ["complaint"], "resolution": ["complaint"], "action_opened": ["action", "complaints"],
                    "action_updated": ["action"]}


def matches(event, type=None, actor=None, member=None, ref=None, since=None, until=None, first_seq=None):
    """Whether `tally query` with these conditions lists `event` (docs/cli.md): every condition
    holds; `member` is a points_award's member; `ref` any id the event creates or names; times
    are inclusive."""
    data = event["data"]
    names = []
    for field in REFERENCE_FIELDS.get(event["type"], []):
        value = data.get(field)
        names += value if isinstance(value, list) else [value]
    return ((type is None or event["type"] == type) and (actor is None or event["actor"] == actor)
            and (member is None or (event["type"] == "points_award" and data.get("member") == member))
            and (ref is None or ref in names)
            and (since is None or millis(event["time"]) >= millis(since))
            and (until is None or millis(event["time"]) <= millis(until))
            and (first_seq is None or event["seq"] >= first_seq))


class Model:
    """The state of every projection after the events applied so far."""

    def __init__(self, rules):
        self.rules = rules
        self.members = []                      # in first-seen order
        self.score = collections.Counter()
        self.live_credits = collections.defaultdict(dict)  # member → (seq, rule) → (day, amount)
        self.uncredited = collections.defaultdict(dict)    # member → seq → (reason, deciding seq)
        self.redemptions = collections.defaultdict(list)
        self.positive = collections.Counter()  # (member, day) → sum of positive credits
        self.negative = collections.Counter()
        self.tier, self.history = {}, collections.defaultdict(list)
        self.points = collections.Counter()
        self.author = {}                       # post or reply id → author
        self.latest_vote = {}                  # (voter, target) → (value, day, seq)
        self.quizzes = {}                      # quiz → (answer key, closes in ms or None)
        self.answered = {}                     # (member, quiz, question) → seq of the first answer
        self.counted_correct = set()           # ids of counted, correct answers
        self.events_by_id = {}
        self.awards, self.flagged, self.findings = 0, 0, []
        self.awarded = set()                   # (reason, ref) of earlier awards
        self.awards_to = collections.defaultdict(list)
        self.complaints, self.actions = {}, {}

    def apply(self, event):
        kind, actor, data = event["type"], event["actor"], event["data"]
        day = millis(event["time"]) // DAY_MS
        touched = {actor}
        for member in [actor] + ([data["member"]] if kind == "points_award" else []):
            if member not in self.tier:
                self.members.append(member)
                self.tier[member] = self.rules.tiers[0][0]  # every member starts in the lowest tier
            touched.add(member)
        weights = self.rules.weights
        if kind in ("post", "reply"):
            # A reply to a post or reply unknown when it is appended earns nothing (section 2).
            earns = kind == "post" or data["post"] in self.author
            self.author[data[kind]] = actor
            if earns:
                self.credit(actor, day, weights[kind], kind, event["seq"], touched)
            else:
                self.uncredited[actor][event["seq"]] = ("reply_to_unknown", None)
        elif kind == "vote":
            self.vote(actor, data["target"], data["value"], day, event["seq"], touched)
        elif kind == "quiz_published":
            closes = data.get("closes")
            self.quizzes[data["quiz"]] = (data["answers"], millis(closes) if isinstance(closes, str) else None)
        elif kind == "quiz_answer":
            self.answer(event, day, touched)
        elif kind == "points_award":
            self.award(event)
        elif kind == "points_redeemed":
            self.points[actor] -= data["points"]
            self.redemptions[actor].append({"seq": event["seq"], "points": data["points"], "reward": data["reward"]})
        elif kind in ("complaint", "complaint_response", "resolution"):
            self.handle_complaint(event)
        elif kind in ("action_opened", "action_updated"):
            self.handle_action(event)
        self.events_by_id.setdefault(event["id"], event)
        for member in sorted(touched):
            tier = self.rules.tier(self.score[member])
            if tier != self.tier[member]:
                self.history[member].append({"seq": event["seq"], "time": event["time"], "from": self.tier[member], "to": tier})
                self.tier[member] = tier

    # Engagement

    def day_total(self, member, day):
        positive = self.positive[(member, day)]
        return (min(self.rules.cap, positive) if self.rules.cap else positive) + self.negative[(member, day)]

    def credit(self, member, day, amount, rule, seq, touched, sign=1):
        """Gives (or, with `sign` -1, takes back) the credit of `amount` that event `seq` gave on
        `day`. A weight of 0 gives no credit (`explain` lists none)."""
        if amount == 0:
            return
        before = self.day_total(member, day)
        (self.positive if amount >= 0 else self.negative)[(member, day)] += sign * amount
        self.score[member] += self.day_total(member, day) - before
        if sign > 0:
            self.live_credits[member][(seq, rule)] = (day, amount)
        else:
            del self.live_credits[member][(seq, rule)]
        touched.add(member)

    def vote(self, voter, target, value, day, seq, touched):
        author = self.author.get(target)
        if author is None or author == voter:  # unknown when appended, or a self-vote: ignored entirely
            self.uncredited[voter][seq] = ("unknown_target" if author is None else "self_vote", None)
            return
        weights = self.rules.weights
        received = {1: ("upvote_received", weights["upvote_received"]), -1: ("downvote_received", weights["downvote_received"])}
        previous = self.latest_vote.get((voter, target))
        if previous:  # only the latest vote counts
            value_before, day_before, seq_before = previous
            for member in (voter, author):
                self.uncredited[member][seq_before] = ("superseded", seq)
            if value_before != 0:
                self.credit(voter, day_before, weights["vote_cast"], "vote_cast", seq_before, touched, sign=-1)
                self.credit(author, day_before, received[value_before][1], received[value_before][0], seq_before, touched, sign=-1)
        self.latest_vote[(voter, target)] = (value, day, seq)
        if value == 0:
            for member in (voter, author):
                self.uncredited[member][seq] = ("retracted", None)
        else:
            self.credit(voter, day, weights["vote_cast"], "vote_cast", seq, touched)
            self.credit(author, day, received[value][1], received[value][0], seq, touched)

    def answer(self, event, day, touched):
        data = event["data"]
        quiz, question = data["quiz"], data["question"]
        member, seq = event["actor"], event["seq"]
        first = self.answered.setdefault((member, quiz, question), seq)
        key, closes = self.quizzes.get(quiz, ({}, None))
        reason = ("not_first_answer" if first != seq else "unknown_quiz" if quiz not in self.quizzes
                  else "unknown_question" if question not in key
                  else "after_close" if closes is not None and millis(event["time"]) > closes
                  else None if data["answer"] == key[question] else "incorrect")
        if reason:
            self.uncredited[member][seq] = (reason, first if first != seq else None)
        else:
            self.counted_correct.add(event["id"])
            self.credit(event["actor"], day, self.rules.weights["quiz_correct"], "quiz_correct", event["seq"], touched)

    # Incentives

    def award(self, event):
        data = event["data"]
        member, points, reason, ref = data["member"], data["points"], data["reason"], data.get("ref")
        self.points[member] += points
        self.awards += 1
        self.awards_to[member].append({"seq": event["seq"], "points": points, "reason": reason, "ref": ref})
        found = [finding for finding in [self.first_finding(member, points, reason, ref)] if finding]
        if event["actor"] == member:
            found.append("self_award")
        if ref is not None:
            self.awarded.add((reason, ref))
        for finding in found:
            self.findings.append({"seq": event["seq"], "member": member, "points": points, "reason": reason, "finding": finding})
        self.flagged += bool(found)

    def first_finding(self, member, points, reason, ref):
        rule = self.rules.reasons.get(reason)
        if rule is None:
            return "unknown_reason"
        if "ref" in rule:
            named = self.events_by_id.get(ref) if isinstance(ref, str) else None
            if named is None:
                return "missing_ref"
            if named["type"] != rule["ref"]:
                return "ref_mismatch"
            owner = named["actor"]
            if named["type"] == "resolution":
                owner = self.complaints[named["data"]["complaint"]]["member"]
            if owner != member:
                return "ref_mismatch"
            if named["type"] == "quiz_answer" and named["id"] not in self.counted_correct:
                return "not_qualifying"
            if named["type"] == "resolution" and named["data"].get("satisfaction") is None:
                return "not_qualifying"
        if ref is not None and (reason, ref) in self.awarded:
            return "duplicate"
        if "points" in rule and points != rule["points"]:
            return "amount_mismatch"
        return None

    # Service

    def handle_complaint(self, event):
        data, time = event["data"], event["time"]
        if event["type"] == "complaint":
            self.complaints[data["complaint"]] = {
                "complaint": data["complaint"], "member": event["actor"], "severity": data["severity"], "status": "open",
                "opened_at": time, "first_response_at": None, "resolved_at": None, "satisfaction": None}
            return
        complaint = self.complaints[data["complaint"]]
        if complaint["first_response_at"] is None:
            complaint["first_response_at"], complaint["status"] = time, "responded"
        if event["type"] == "resolution":
            complaint["status"], complaint["resolved_at"] = data["outcome"], time
            complaint["satisfaction"] = data.get("satisfaction")

    def handle_action(self, event):
        data = event["data"]
        if event["type"] == "action_opened":
            self.actions[data["action"]] = {
                "action": data["action"], "title": data["title"], "owner": data["owner"], "due": data["due"],
                "status": "planned", "complaints": data.get("complaints") or []}
            return
        action = self.actions[data["action"]]
        action["status"] = data["status"]
        if isinstance(data.get("owner"), str):
            action["owner"] = data["owner"]

    # Reports

    def explanation(self, member):
        """What `tally explain MEMBER --json` prints: the live credits by seq, each with what
        it counted once earlier positive credits of its day filled the cap; the days; the
        awards with their findings; the redemptions."""
        cap, filled, credits = self.rules.cap, collections.Counter(), []
        for (seq, rule), (day, amount) in sorted(self.live_credits[member].items()):
            counted = amount
            if amount > 0 and cap:
                counted = max(0, min(amount, cap - filled[day]))
                filled[day] += amount
            credits.append({"seq": seq, "day": iso_day(day), "rule": rule, "amount": amount, "counted": counted, "capped": counted < amount})
        days = sorted({day for day, _ in self.live_credits[member].values()})
        findings = collections.defaultdict(list)
        for finding in self.findings:
            if finding["member"] == member:
                findings[finding["seq"]].append(finding["finding"])
        return {
            "member": member, "rules": self.rules.name, "score": self.score[member],
            "tier": self.rules.tier(self.score[member]), "points": self.points[member], "credits": credits,
            "days": [{"day": iso_day(day), "positive": self.positive[(member, day)], "negative": self.negative[(member, day)],
                      "cap_cut": max(0, self.positive[(member, day)] - cap) if cap else 0} for day in days],
            "awards": [{"seq": award["seq"], "points": award["points"], "reason": award["reason"], "ref": award["ref"],
                        "findings": sorted(findings[award["seq"]])} for award in self.awards_to[member]],
            "redemptions": self.redemptions[member],
            "uncredited": [{"seq": seq, "reason": reason, "by": by} for seq, (reason, by) in sorted(self.uncredited[member].items())],
        }

    def reports(self, now):
        rules, now = self.rules, millis(now)
        utf8 = lambda text: text.encode()
        scores = [{"member": member, "score": self.score[member], "tier": rules.tier(self.score[member]), "points": self.points[member]}
                  for member in self.members]
        scores.sort(key=lambda row: (-row["score"], utf8(row["member"])))
        distribution = {name: 0 for name, _ in rules.tiers}
        for row in scores:
            distribution[row["tier"]] += 1

        def breached(complaint, at, limits):
            until = millis(complaint[at]) if complaint[at] else now
            return until - millis(complaint["opened_at"]) > limits[complaint["severity"]] * HOUR_MS

        complaints = [dict(complaint,
                           response_breached=breached(complaint, "first_response_at", rules.first_response_hours),
                           resolution_breached=breached(complaint, "resolved_at", rules.resolution_hours))
                      for _, complaint in sorted(self.complaints.items(), key=lambda item: utf8(item[0]))]
        actions = []
        for _, action in sorted(self.actions.items(), key=lambda item: utf8(item[0])):
            midnight_after_due = millis(action["due"] + "T00:00:00Z") + DAY_MS
            open_ = action["status"] in ("planned", "in_progress", "blocked")
            actions.append(dict(action, overdue=open_ and now >= midnight_after_due))
        return {
            "scores": scores,
            "tiers": {"rules": rules.name, "distribution": distribution},
            "audit": {"awards": self.awards, "flagged": self.flagged,
                      "findings": sorted(self.findings, key=lambda row: (row["seq"], row["finding"]))},
            "complaints": complaints,
            "sla": sla(complaints, rules),
            "actions": actions,
            "history": {member: self.history.get(member, []) for member in self.members},
            "explain": {member: self.explanation(member) for member in self.members},
            "day_totals": self.day_totals(),
        }

    def day_totals(self):
        """Per UTC day (ISO date), each member's capped total of that day."""
        totals = collections.defaultdict(dict)
        for member, day in set(self.positive) | set(self.negative):
            totals[iso_day(day)][member] = self.day_total(member, day)
        return totals


def sla(complaints, rules):
    """`complaints --sla`: per severity, most severe first, then all of them: counts, breaches,
    the nearest-rank median and 90th percentile of the hours to the first response and to the
    resolution (to the hundredth, halves away from zero), and the mean satisfaction."""
    def hundredths(numerator, denominator):
        return float((decimal.Decimal(numerator) / decimal.Decimal(denominator)).quantize(decimal.Decimal("0.01"), rounding=decimal.ROUND_HALF_UP))

    def nearest_rank(spans, percentile):
        return hundredths(sorted(spans)[math.ceil(percentile * len(spans) / 100) - 1], HOUR_MS) if spans else None

    def line(severity, rows):
        responses = [millis(row["first_response_at"]) - millis(row["opened_at"]) for row in rows if row["first_response_at"]]
        resolutions = [millis(row["resolved_at"]) - millis(row["opened_at"]) for row in rows if row["resolved_at"]]
        ratings = [row["satisfaction"] for row in rows if row["satisfaction"] is not None]
        return {"severity": severity or "all",
                "first_response_limit_hours": rules.first_response_hours[severity] if severity else None,
                "resolution_limit_hours": rules.resolution_hours[severity] if severity else None,
                "complaints": len(rows), "answered": len(responses),
                "response_breached": sum(row["response_breached"] for row in rows),
                "response_median_hours": nearest_rank(responses, 50), "response_p90_hours": nearest_rank(responses, 90),
                "closed": len(resolutions), "resolution_breached": sum(row["resolution_breached"] for row in rows),
                "resolution_median_hours": nearest_rank(resolutions, 50), "resolution_p90_hours": nearest_rank(resolutions, 90),
                "rated": len(ratings), "satisfaction_mean": hundredths(sum(ratings), len(ratings)) if ratings else None}

    return [line(severity, [row for row in complaints if row["severity"] == severity])
            for severity in ("critical", "high", "medium", "low")] + [line(None, complaints)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("export")
    parser.add_argument("--now", required=True)
    parser.add_argument("--rules")
    parser.add_argument("--at", type=int)
    arguments = parser.parse_args()
    model = Model(Rules(arguments.rules))
    with open(arguments.export, encoding="utf-8") as lines:
        for line in lines:
            event = json.loads(line)
            if arguments.at is not None and event["seq"] > arguments.at:
                break
            model.apply(event)
    json.dump(model.reports(arguments.now), sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
